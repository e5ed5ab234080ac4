import numpy as np
import pytest

from course_utils import ADDING_LENGTH, adding_problem, addition_strings, copy_task


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


def test_addition_strings_are_seeded_correct_sums():
    questions, answers = addition_strings(2000, max_digits=3, seed=5)
    assert (questions, answers) == addition_strings(2000, max_digits=3, seed=5)
    assert questions != addition_strings(2000, max_digits=3, seed=6)[0]
    assert len(questions) == len(answers) == 2000
    for question, answer in zip(questions, answers):
        a, b = question.split("+")
        assert answer == str(int(a) + int(b))
        assert a == str(int(a)) and b == str(int(b))         # no leading zeros, no spaces


def test_addition_strings_digit_counts_are_uniform_in_range():
    questions, _ = addition_strings(6000, max_digits=3, seed=0)
    lengths = np.array([len(operand) for q in questions for operand in q.split("+")])
    assert lengths.min() == 1 and lengths.max() == 3
    assert np.allclose(np.bincount(lengths)[1:] / lengths.size, 1 / 3, atol=0.02)
    assert {len(q) for q in addition_strings(50, max_digits=1)[0]} == {3}   # "d+d"


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=0), "n must be a positive int, got 0"),
    (dict(n=5, max_digits=0), "max_digits must be a positive int, got 0"),
    (dict(n=5, max_digits=2.0), "max_digits must be a positive int, got 2.0"),
    (dict(n=5, max_digits=19), "max_digits must be at most 18"),
])
def test_addition_strings_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        addition_strings(**kwargs)
