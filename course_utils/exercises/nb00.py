"""Checkers for the exercises of notebook 00 (sequences).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import assert_same, check


def check_pad_post(pad_post):
    """Exercise 0.1: pad_post(seqs, maxlen, value) pads AND truncates at the end."""
    def test(fn):
        seqs = [[3, 1, 4], [1, 5, 9, 2, 6], [5], []]
        got = np.asarray(fn(seqs, 4, 0))
        want = np.array([[3, 1, 4, 0], [1, 5, 9, 2], [5, 0, 0, 0], [0, 0, 0, 0]])
        assert got.shape == want.shape, (
            f"pad_post(seqs, maxlen=4, value=0) has shape {got.shape}, expected {want.shape}: "
            "one row per sequence, maxlen columns.")
        assert not np.array_equal(got[0], [0, 3, 1, 4]), (
            "[3, 1, 4] became [0, 3, 1, 4]: that is padding at the front (padding='pre').")
        assert not np.array_equal(got[1], [5, 9, 2, 6]), (
            "[1, 5, 9, 2, 6] was cut to [5, 9, 2, 6]: that keeps the last items "
            "(truncating='pre'); keep the first maxlen instead.")
        assert_same(got, want, "pad_post(seqs, maxlen=4, value=0)")
        got = np.asarray(fn([[7, 7], [2]], 3, -1))
        assert_same(got, [[7, 7, -1], [2, -1, -1]], "pad_post([[7, 7], [2]], maxlen=3, value=-1)")
    return check("Exercise 0.1 (pad_post)", pad_post, test,
                 "start from an array of shape (len(seqs), maxlen) that holds only `value`; what is left to do for each sequence?",
                 "make an array full of `value`, then copy seq[:maxlen] into the start of each row.")


def check_mask_from_lengths(mask_from_lengths):
    """Exercise 0.2: mask[n, t] is True where step t of post-padded sequence n is real."""
    def test(fn):
        lengths = np.array([3, 1, 4, 0])
        got = np.asarray(fn(lengths, 4))
        want = np.arange(4)[None, :] < lengths[:, None]
        assert got.shape == want.shape, (
            f"mask_from_lengths([3, 1, 4, 0], maxlen=4) has shape {got.shape}, "
            f"expected {want.shape}: (number of sequences, maxlen).")
        assert got.dtype == bool, f"the mask has dtype {got.dtype}, expected bool (a comparison gives one)."
        assert not np.array_equal(got, np.arange(4)[None, :] <= lengths[:, None]), (
            "each row has one True too many: positions start at 0, so step t is real when "
            "t < length, not t <= length.")
        assert not np.array_equal(got, np.arange(4)[None, :] >= 4 - lengths[:, None]), (
            "the True values sit at the end of each row: that is the mask of pre-padded "
            "sequences; here the padding comes after the real steps.")
        assert_same(got, want, "mask_from_lengths([3, 1, 4, 0], maxlen=4)")
        assert_same(np.asarray(fn([1, 2], 6)), np.arange(6)[None, :] < np.array([[1], [2]]),
              "mask_from_lengths([1, 2], maxlen=6)")
    return check("Exercise 0.2 (mask_from_lengths)", mask_from_lengths, test,
                 "the mask has one row per sequence and one column per step; step t of a post-padded sequence is real exactly when t is small enough. Can one comparison with broadcasting build the whole array?",
                 "compare np.arange(maxlen)[None, :] with lengths[:, None].")


def check_sliding_windows(sliding_windows):
    """Exercise 0.3: sliding_windows(series, width, stride) -> (n_windows, width)."""
    def test(fn):
        series = np.arange(10.0) * 10
        for width, stride in ((3, 1), (3, 2), (4, 3), (10, 1)):
            want = np.stack([series[i:i + width] for i in range(0, len(series) - width + 1, stride)])
            got = np.asarray(fn(series, width, stride))
            call = f"sliding_windows(series of length 10, width={width}, stride={stride})"
            assert got.ndim == 2, f"{call} has shape {got.shape}, expected {want.shape}."
            if got.shape[0] != want.shape[0]:
                raise AssertionError(
                    f"{call} gave {got.shape[0]} windows, expected {want.shape[0]}: a series of "
                    f"length T has (T - width) // stride + 1 windows (the last one may start at "
                    f"T - width).")
            assert_same(got, want, call)
    return check("Exercise 0.3 (sliding_windows)", sliding_windows, test,
                 "write down where window 0, window 1 and window 2 start for a given stride, then ask how many windows fit before the end of the series.",
                 "window k is series[k * stride : k * stride + width]; count how many fit.")
