"""Checkers for the exercises of notebook 12 (sentiment classification: bag of words vs LSTM).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import math

import numpy as np

from course_utils.exercises.checking import assert_close, check, made_mistake


# --- 12.1 the multi-hot bag of words ---------------------------------------------------------

def _multi_hot(token_ids, vocab_size):
    """(N, vocab_size) floats: 1.0 at every id in row n, column 0 (the padding) left at 0."""
    token_ids = np.asarray(token_ids)
    out = np.zeros((len(token_ids), vocab_size))
    out[np.arange(len(token_ids))[:, None], token_ids] = 1.0
    out[:, 0] = 0.0
    return out


def _token_counts(token_ids, vocab_size):
    """(N, vocab_size): how often each id occurs in row n, the padding id 0 included."""
    return np.stack([np.bincount(row, minlength=vocab_size) for row in np.asarray(token_ids)]
                    ).astype(float)


def _multi_hot_cases():
    """(token_ids (N, T), vocab_size): post-padded with 0 and holding [UNK] = 1; a token twice
    in one row (and one three times); a row of only padding; a row with no padding; N never
    equal to vocab_size, so that a transposed result shows; and a random batch."""
    rng = np.random.default_rng(12)
    lengths = [7, 3, 5, 0, 6]
    random = np.zeros((5, 7), dtype=np.int64)
    for n, length in enumerate(lengths):
        random[n, :length] = rng.integers(1, 12, size=length)
    return [(np.array([[5, 2, 2, 0, 0], [1, 3, 0, 0, 0], [4, 4, 4, 1, 2]]), 6),
            (np.array([[0, 0, 0, 0], [2, 1, 3, 3], [7, 0, 0, 0]]), 8),
            (random, 12)]


def _show(token_ids):
    return "[" + ", ".join(str(row.tolist()) for row in token_ids) + "]"


def check_multi_hot(multi_hot):
    """Exercise 12.1: multi_hot(token_ids (N, T) ints post-padded with 0, vocab_size) ->
    (N, vocab_size) array with 1 at every id that occurs in row n ([UNK] = 1 included) and 0
    elsewhere; column 0, the padding, always 0; token_ids unchanged. Any numeric dtype."""
    def test(fn):
        for token_ids, vocab_size in _multi_hot_cases():
            n = len(token_ids)
            call = f"multi_hot({_show(token_ids)}, vocab_size={vocab_size})"
            before = token_ids.copy()
            got = fn(token_ids, vocab_size)
            assert np.array_equal(token_ids, before), (
                f"{call} changed its input token_ids (now {_show(token_ids)}): the caller "
                f"still needs them (the LSTM reads the same token ids). Work on a copy, or "
                f"build a new array, instead of sorting or writing into token_ids.")
            assert got is not None, (
                f"{call} returned None: build the (N, vocab_size) array and return it.")
            got = np.asarray(got)
            assert got.dtype == bool or np.issubdtype(got.dtype, np.number), (
                f"{call} returned an array of {got.dtype}, expected numbers (0 and 1).")
            got = got.astype(float)
            want = _multi_hot(token_ids, vocab_size)
            if got.shape == (vocab_size, n):
                raise AssertionError(
                    f"{call} returned shape {got.shape}, the transposed (vocab_size, N): one "
                    f"row per review, one column per vocabulary id, (N, vocab_size) = "
                    f"{want.shape}, as Dense expects its inputs.")
            assert got.shape == want.shape, (
                f"{call} returned shape {got.shape}, expected (N, vocab_size) = {want.shape}: "
                f"one row per review (not one per token position), one column for every id "
                f"0 .. vocab_size - 1.")
            counts = _token_counts(token_ids, vocab_size)
            if got.max() > 1:
                counted = (made_mistake(got, want, counts)
                           or made_mistake(got, want, np.where(np.arange(vocab_size) == 0, 0,
                                                               counts)))
                raise AssertionError(
                    f"{call} has values up to {got.max():g}"
                    + (": it counts how often each id occurs, e.g. row 0 is "
                       f"{got[0].tolist()}. " if counted else ". ")
                    + "A multi-hot row only says whether an id occurs: 1 if it occurs at all, "
                      "however often, else 0 (counting is output_mode=\"count\").")
            assert not np.any(got[:, 0]), (
                f"{call} marks the padding id 0 (column 0 is {got[:, 0].tolist()}, expected "
                f"all 0): 0 only fills the rows up to a common length, it is not a word of the "
                f"review. Set column 0 back to 0 after marking the ids.")
            assert not made_mistake(got, want, np.where(np.arange(vocab_size) == 1, 0, want)), (
                f"{call}: column 1 is {got[:, 1].tolist()}, expected {want[:, 1].tolist()}: "
                f"you dropped the out-of-vocabulary token [UNK] = 1. Only 0 is padding; 1 "
                f"stands for every word outside the vocabulary and is marked like any id.")
            twice = [np.where(counts > 0, counts % 2, 0), np.where(counts == 1, 1.0, 0.0)]
            twice = [np.where(np.arange(vocab_size) == 0, 0, w) for w in twice]
            assert not any(made_mistake(got, want, w) for w in twice), (
                f"{call}: row 0 is {got[0].tolist()}, expected {want[0].tolist()}: a token that "
                f"occurs twice in a row comes out 0 (toggling a cell, or keeping only the ids "
                f"seen once, loses it). Set the cell to 1 for every occurrence: marking it again "
                f"keeps it 1.")
            union = np.repeat(want.max(axis=0, keepdims=True), n, axis=0)
            assert not made_mistake(got, want, union), (
                f"{call}: every row is {got[0].tolist()}, the ids of the whole batch: each row "
                f"n marks only the ids of review n, token_ids[n].")
            assert_close(got, want, f"{call}", atol=1e-12)

    return check("Exercise 12.1", multi_hot, test,
                 "start from np.zeros((N, vocab_size)). For one review, token_ids[n], which columns of row n become 1? What happens to column 0, the padding?",
                 "out = np.zeros((len(token_ids), vocab_size)); for n, row in "
                 "enumerate(token_ids): out[n, row] = 1.0 (repeated ids just set 1 again); then "
                 "out[:, 0] = 0.0, since 0 is padding. Return out; do not write into token_ids.")


# --- 12.2 accuracy by review length ----------------------------------------------------------

def _bin_masks(lengths, edges, rule="half_open"):
    """One boolean mask per bin: the reviews a bin holds under `rule` ("half_open" low <= l <
    high, the right one; "closed" low <= l <= high; "right_closed" low < l <= high;
    "histogram" half open but the last bin closed, as np.histogram does)."""
    lengths, masks = np.asarray(lengths), []
    last = len(edges) - 2
    for i, (low, high) in enumerate(zip(edges[:-1], edges[1:])):
        if rule == "closed" or (rule == "histogram" and i == last):
            masks.append((lengths >= low) & (lengths <= high))
        elif rule == "right_closed":
            masks.append((lengths > low) & (lengths <= high))
        else:
            masks.append((lengths >= low) & (lengths < high))
    return masks


def _accuracy_by_length(lengths, correct, edges):
    """[(low, high, count, accuracy)] per bin low <= length < high, accuracy NaN when empty."""
    correct = np.asarray(correct, dtype=bool)
    rows = []
    for (low, high), mask in zip(zip(edges[:-1], edges[1:]), _bin_masks(lengths, edges)):
        count = int(mask.sum())
        rows.append((low, high, count, float(correct[mask].mean()) if count else math.nan))
    return rows


def _length_cases():
    """(lengths, correct, edges): lengths on the edges (10, 20 and the last edge, 60); an empty
    bin; lengths below the first and past the last edge, in no bin; and a random batch. In
    each, the overall accuracy differs from some bin's, and the correct count from the count."""
    rng = np.random.default_rng(12)
    lengths = rng.integers(1, 90, size=40)
    return [
        (np.array([3, 7, 10, 12, 20, 25, 40, 59, 60]),
         np.array([1, 0, 1, 1, 0, 1, 1, 0, 1], dtype=bool), [0, 10, 20, 60]),
        (np.array([1, 2, 3, 11, 12, 14, 16, 29, 15]),
         np.array([1, 1, 0, 0, 1, 0, 1, 1, 1], dtype=bool), [0, 5, 10, 15, 30]),
        (np.array([2, 6, 9, 14, 25, 31, 5]),
         np.array([0, 1, 1, 0, 1, 1, 1], dtype=bool), [5, 10, 20, 30]),
        (lengths, rng.random(40) < 0.7, [0, 10, 20, 40, 80]),
    ]


def _fmt(value):
    try:
        return f"{float(value):.3g}"
    except (TypeError, ValueError):
        return repr(value)


def check_accuracy_by_length(accuracy_by_length):
    """Exercise 12.2: accuracy_by_length(lengths (N,) ints, correct (N,) bools, edges increasing)
    -> [(low, high, count, accuracy)], one per bin low <= length < high, len(edges) - 1 of them;
    accuracy = the fraction correct in the bin, float('nan') when the bin is empty."""
    def test(fn):
        for lengths, correct, edges in _length_cases():
            shown = (f"lengths {lengths.tolist()}" if len(lengths) < 12
                     else f"{len(lengths)} random lengths")
            call = f"accuracy_by_length({shown}, correct, edges={edges})"
            got = fn(lengths.copy(), correct.copy(), list(edges))
            want = _accuracy_by_length(lengths, correct, edges)
            k = len(edges) - 1
            assert got is not None, (
                f"{call} returned None: build the list of (low, high, count, accuracy) and "
                f"return it.")
            try:
                got = [tuple(row) for row in got]
            except TypeError:
                raise AssertionError(
                    f"{call} returned {got!r}; expected a list of (low, high, count, accuracy) "
                    f"tuples, one per bin.") from None
            if len(got) in (k - 1, k + 1):
                raise AssertionError(
                    f"{call} returned {len(got)} bins, expected len(edges) - 1 = {k}: the bins "
                    f"are off by one. Consecutive edges make a bin, (edges[i], edges[i + 1]) for "
                    f"i in range(len(edges) - 1); lengths outside [edges[0], edges[-1]) are in "
                    f"no bin.")
            assert len(got) == k, (
                f"{call} returned {len(got)} bins, expected len(edges) - 1 = {k}.")
            for i, row in enumerate(got):
                assert len(row) == 4, (
                    f"{call}: bin {i} is {row!r}, expected 4 values (low, high, count, "
                    f"accuracy).")
                assert (row[0], row[1]) == (edges[i], edges[i + 1]), (
                    f"{call}: bin {i} starts ({_fmt(row[0])}, {_fmt(row[1])}), expected (low, "
                    f"high) = ({edges[i]}, {edges[i + 1]}), two consecutive edges; are your "
                    f"bins off by one?")
            counts = [row[2] for row in got]
            want_counts = [row[2] for row in want]
            if counts != want_counts:
                n_correct = [int(np.sum(correct & m)) for m in _bin_masks(lengths, edges)]
                inclusive = [[int(m.sum()) for m in _bin_masks(lengths, edges, rule)]
                             for rule in ("closed", "right_closed", "histogram")]
                assert counts != n_correct, (
                    f"{call}: the counts are {counts}, the correct reviews in each bin; count is "
                    f"how many reviews the bin holds, {want_counts}, correct or not (the "
                    f"accuracy divides the correct ones by it).")
                assert counts not in inclusive, (
                    f"{call}: the counts are {counts}, expected {want_counts}: a length equal "
                    f"to a bin's upper edge went into that bin, you made the upper edge "
                    f"inclusive (np.histogram does so for its last bin). A bin holds low <= "
                    f"length < high: a length equal to high belongs to the next bin, and one equal to "
                    f"edges[-1] = {edges[-1]} to none.")
                raise AssertionError(f"{call}: the counts are {counts}, expected {want_counts} "
                                     f"(low <= length < high).")
            for i, (row, want_row) in enumerate(zip(got, want)):
                if want_row[2] == 0:
                    value = row[3]
                    is_nan = isinstance(value, (float, np.floating)) and math.isnan(value)
                    assert is_nan, (
                        f"{call}: bin [{edges[i]}, {edges[i + 1]}) is empty and its accuracy is "
                        f"{value!r}; 0 instead of NaN would read as \"every review wrong\". An "
                        f"empty bin has no accuracy: return float('nan') (a plot leaves it "
                        f"out).")
            full = [i for i, row in enumerate(want) if row[2] > 0]
            accuracies = np.array([float(got[i][3]) for i in full])
            overall = float(np.mean(correct))
            wanted = np.array([want[i][3] for i in full])
            assert not made_mistake(accuracies, wanted, np.full(len(full), overall)), (
                f"{call}: every bin's accuracy is {overall:.3g}, the accuracy over all reviews: "
                f"compute it over the reviews of the bin only, the mean of correct[mask] with "
                f"mask = (low <= lengths) & (lengths < high).")
            assert_close(accuracies, wanted,
                         f"the accuracies of the non-empty bins of {call}", atol=1e-9)

    return check("Exercise 12.2", accuracy_by_length, test,
                 "take one bin, low = edges[0] and high = edges[1]: a boolean mask picks its reviews. How many are there, and what fraction of them is correct? What if there are none?",
                 "for low, high in zip(edges[:-1], edges[1:]): mask = (lengths >= low) & "
                 "(lengths < high); count = int(mask.sum()); accuracy = correct[mask].mean() if "
                 "count else float('nan'); append (low, high, count, accuracy).")
