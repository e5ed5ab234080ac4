"""The course's one numerical gradient checker (central differences, float64).

    numerical_gradient(f, array)      -> d f / d array, one entry at a time
    relative_error(a, b)              -> ||a - b|| / (||a|| + ||b||)
    check_gradients(f, params, grads) -> {name: relative error}
    bound(error)                      -> "< 1e-09": what to print instead of a rounding error

f is a function of no arguments that returns a scalar loss computed from the arrays in
`params`; the checker nudges those arrays in place and puts every entry back.
"""
import numpy as np


def numerical_gradient(f, array, eps=1e-6):
    """Central-difference gradient of the scalar f() with respect to `array` (changed in place, then restored)."""
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        got = array.dtype if isinstance(array, np.ndarray) else type(array).__name__
        raise ValueError(f"numerical_gradient needs a float64 NumPy array (float32 rounding swamps "
                         f"the differences), got {got}")
    grad = np.zeros_like(array)
    it = np.nditer(array, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = array[i]
        array[i] = old + eps
        up = float(f())
        array[i] = old - eps
        down = float(f())
        array[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||): 0 for equal arrays, about 1e-9 for a correct float64 gradient."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: shapes differ, {a.shape} vs {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def check_gradients(f, params, grads, eps=1e-6):
    """Compare analytic `grads` with numerical ones for every array in `params`.

    params, grads: dicts with the same keys. Returns {name: relative error}.
    """
    missing = set(params) ^ set(grads)
    if missing:
        raise ValueError(f"check_gradients: params and grads must have the same keys; "
                         f"unmatched: {sorted(missing)}")
    return {name: relative_error(grads[name], numerical_gradient(f, params[name], eps))
            for name in params}


def bound(error):
    """The smallest power of ten above `error`, as text: bound(3.2e-10) == '< 1e-09'.

    Print this rather than the error itself: a rounding-level error's digits depend on the
    CPU's arithmetic, its order of magnitude is what the check says.
    """
    error = float(error)
    if not np.isfinite(error) or error < 0:
        raise ValueError(f"bound needs a finite error >= 0, got {error!r}")
    if error == 0:
        return "= 0"
    return f"< 1e{int(np.floor(np.log10(error))) + 1:+03d}"
