"""Input checking shared by the from-scratch layers.

`expect` turns its argument into a NumPy array and checks its rank, its dtype kind and
each dimension against a symbolic shape such as ("N", "T", "D"). Symbols are bound by the
first array that uses them, so a later mismatch names both sides:

    ValueError: h0: expected shape (N, H) = (4, 3), got (4, 5)

`check_positive_ints` checks counts such as n, length or beam_width.
"""
import numpy as np


def expect(name, value, shape, dims):
    """Return `value` as a float array whose shape matches `shape`, binding symbols in `dims`.

    shape: a tuple of ints (fixed sizes) and strings (symbols such as "N" or "H").
    dims:  a dict shared by the calls of one function; it records each symbol's size.
    Integer arrays are converted to float64; bool, complex, string and object arrays are
    rejected.
    """
    try:
        arr = np.asarray(value)
    except Exception as err:  # ragged lists and the like
        raise ValueError(f"{name}: expected an array of shape {_show(shape)}, "
                         f"got {type(value).__name__} that NumPy cannot convert ({err})") from None
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name}: expected a real-valued float array, got dtype {arr.dtype}")
    if arr.dtype.kind in "iu":
        arr = arr.astype(np.float64)
    if arr.ndim != len(shape):
        raise ValueError(f"{name}: expected {len(shape)} dimensions with shape {_show(shape)}, "
                         f"got {arr.ndim} dimension(s) with shape {arr.shape}")
    for size, want in zip(arr.shape, shape):
        if isinstance(want, str) and want not in dims:
            dims[want] = size
    wanted = tuple(dims[w] if isinstance(w, str) else w for w in shape)
    if arr.shape != wanted:
        raise ValueError(f"{name}: expected shape {_show(shape)} = {wanted}, got {arr.shape}")
    return arr


def check_positive_ints(**values):
    """Raise a ValueError naming the first argument that is not a positive int (bools are not)."""
    for name, value in values.items():
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")


def _show(shape):
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
