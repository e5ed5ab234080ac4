import numpy as np
import pytest

from course_utils import ADDING_LENGTH, adding_problem, copy_task


def test_adding_problem_is_seeded_and_well_formed():
    x, y = adding_problem(2000, 20, seed=3)
    x2, y2 = adding_problem(2000, 20, seed=3)
    np.testing.assert_array_equal(x, x2)
    assert x.shape == (2000, 20, 2) and y.shape == (2000, 1) and x.dtype == np.float32
    assert np.all(x[:, :, 1].sum(axis=1) == 2)                 # exactly two markers
    assert np.all(x[:, :10, 1].sum(axis=1) == 1)               # one in each half
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * x[:, :, 1]).sum(axis=1), rtol=1e-6)
    assert not np.array_equal(x, adding_problem(2000, 20, seed=4)[0])


def test_adding_problem_baseline_is_one_sixth():
    _, y = adding_problem(50_000, ADDING_LENGTH, seed=0)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.005)


def test_copy_task_layout():
    x, y = copy_task(5, 4, n_symbols=3, delay=2, seed=0)
    assert x.shape == (5, 10, 5) and y.shape == (5, 10)
    ids = x.argmax(-1)
    np.testing.assert_array_equal(y[:, 6:], ids[:, :4])         # symbols come back after the go marker
    assert np.all(ids[:, 6] == 4) and np.all(y[:, :6] == 0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=0, length=10), "n must be a positive int"),
    (dict(n=5, length=1), "length must be at least 2"),
    (dict(n=5, length=2.5), "length must be a positive int"),
])
def test_adding_problem_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        adding_problem(**kwargs)
