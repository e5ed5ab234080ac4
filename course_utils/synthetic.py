"""Seeded generators for the course's synthetic tasks. Same seed, same data, every time.

    adding_problem(n, length, seed)  -> x (n, length, 2), y (n, 1)   (Hochreiter & Schmidhuber 1997)
    copy_task(n, length, ...)        -> x, y one-hot sequences
    addition_strings(n, max_digits)  -> questions ["123+456", ...], answers ["579", ...]
"""
import numpy as np

from course_utils.shapes import check_positive_ints


def adding_problem(n, length, seed=0):
    """The adding problem: sum the two numbers that are marked.

    Each sequence has `length` steps of two features: a value drawn uniformly from [0, 1]
    and a marker that is 1 at exactly two positions (one in the first half, one in the
    second half) and 0 elsewhere. The target is the sum of the two marked values.
    Always predicting the mean target 1.0 gives an MSE of 1/6 ~ 0.167 (the variance of a
    sum of two uniforms), the baseline a model must beat.
    Returns x of shape (n, length, 2) and y of shape (n, 1), both float32.
    """
    check_positive_ints(n=n, length=length)
    if length < 2:
        raise ValueError(f"length must be at least 2 (one marker per half), got {length}")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, length))
    markers = np.zeros((n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    markers[np.arange(n), first] = 1.0
    markers[np.arange(n), second] = 1.0
    x = np.stack([values, markers], axis=-1).astype(np.float32)
    y = (values[np.arange(n), first] + values[np.arange(n), second])[:, None].astype(np.float32)
    return x, y


def copy_task(n, length, n_symbols=8, delay=None, seed=0):
    """Remember a sequence of symbols, then reproduce it after a delay.

    Input: `length` random symbols from 1..n_symbols, then `delay` blanks (0), then a go
    marker (n_symbols + 1), then `length` - 1 blanks; target: blanks until the go marker, then
    the symbols. Returns one-hot x (n, T, n_symbols + 2) and integer y (n, T), T = 2*length + delay.
    """
    delay = length if delay is None else delay
    check_positive_ints(n=n, length=length, n_symbols=n_symbols)
    if not isinstance(delay, (int, np.integer)) or delay < 0:
        raise ValueError(f"delay must be a non-negative int, got {delay!r}")
    rng = np.random.default_rng(seed)
    total = 2 * length + delay
    symbols = rng.integers(1, n_symbols + 1, size=(n, length))
    x_ids = np.zeros((n, total), dtype=np.int64)
    x_ids[:, :length] = symbols
    x_ids[:, length + delay] = n_symbols + 1
    y = np.zeros((n, total), dtype=np.int64)
    y[:, length + delay:] = symbols
    x = np.eye(n_symbols + 2, dtype=np.float32)[x_ids]
    return x, y


def addition_strings(n, max_digits=3, seed=0):
    """Number addition as text, for sequence-to-sequence models: "123+45" -> "168".

    Each operand is drawn in two steps: its digit count uniformly from 1..max_digits, then the
    number uniformly among the numbers with that many digits (0-9 for one digit, 10-99 for
    two, ...). So one-digit operands are as common as three-digit ones, and short sums are not
    rare, as they would be if the numbers were drawn uniformly from 0..10**max_digits - 1.
    Returns (questions, answers): two lists of n strings, without spaces or padding.
    """
    check_positive_ints(n=n, max_digits=max_digits)
    if max_digits > 18:
        raise ValueError(f"max_digits must be at most 18 (int64 operands), got {max_digits}")
    rng = np.random.default_rng(seed)
    digits = rng.integers(1, max_digits + 1, size=(n, 2))
    low = np.where(digits == 1, 0, 10 ** (digits - 1))
    a, b = rng.integers(low, 10 ** digits).T.tolist()
    return [f"{x}+{y}" for x, y in zip(a, b)], [str(x + y) for x, y in zip(a, b)]


# The adding-problem length used by notebooks 04 (SimpleRNN fails), 05 (LSTM succeeds) and
# 06 (the three cells compared): one constant, so the three notebooks tell one story.
ADDING_LENGTH = 50
