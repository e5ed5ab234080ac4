import numpy as np
import pytest

from course_utils import check_gradients, numerical_gradient, relative_error


def test_numerical_gradient_of_a_quadratic():
    a = np.array([[1.0, -2.0], [3.0, 0.5]])
    grad = numerical_gradient(lambda: np.sum(a ** 2), a)
    np.testing.assert_allclose(grad, 2 * a, atol=1e-8)
    np.testing.assert_array_equal(a, [[1.0, -2.0], [3.0, 0.5]])  # restored in place


def test_float32_is_refused():
    with pytest.raises(ValueError, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(3, dtype=np.float32))


def test_relative_error_scale_and_shapes():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_gradients_flags_a_wrong_gradient():
    w = {"w": np.array([0.3, -0.7, 1.1])}
    f = lambda: float(np.sum(np.sin(w["w"])))
    assert check_gradients(f, w, {"w": np.cos(w["w"])})["w"] < 1e-9
    assert check_gradients(f, w, {"w": np.sin(w["w"])})["w"] > 0.1
    with pytest.raises(ValueError, match="same keys"):
        check_gradients(f, w, {"v": np.zeros(3)})


def test_bound_prints_the_order_of_magnitude():
    from course_utils import bound
    assert bound(3.2e-10) == "< 1e-09"
    assert bound(9.99e-10) == "< 1e-09"
    assert bound(1e-9) == "< 1e-08"
    assert bound(0.0) == "= 0"
    assert bound(0.5) == "< 1e+00"
    with pytest.raises(ValueError, match="finite error >= 0"):
        bound(float("nan"))
