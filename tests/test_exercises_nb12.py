"""Notebook 12's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import math

import numpy as np
import pytest

from course_utils.exercises import nb12 as ex
from conftest import not_attempted


# --- 12.1 the multi-hot bag of words ---------------------------------------------------------

def multi_hot(token_ids, vocab_size):
    out = np.zeros((len(token_ids), vocab_size))
    for n, row in enumerate(token_ids):
        out[n, row] = 1.0                                  # a repeated id just sets 1 again
    out[:, 0] = 0.0                                        # 0 is padding, not a word
    return out


def multi_hot_vectorised(token_ids, vocab_size):
    rows = np.arange(token_ids.shape[0])[:, None]
    out = np.zeros((token_ids.shape[0], vocab_size), dtype=np.float32)
    out[rows, token_ids] = 1
    out[:, 0] = 0
    return out


def multi_hot_ints(token_ids, vocab_size):                       # ints are fine
    counts = np.stack([np.bincount(row, minlength=vocab_size) for row in token_ids])
    counts[:, 0] = 0
    return (counts > 0).astype(int)


def mh_marks_padding(token_ids, vocab_size):
    out = np.zeros((len(token_ids), vocab_size))
    for n, row in enumerate(token_ids):
        out[n, row] = 1.0
    return out


def mh_counts(token_ids, vocab_size):
    out = np.zeros((len(token_ids), vocab_size))
    for n, row in enumerate(token_ids):
        for t in row:
            if t != 0:
                out[n, t] += 1
    return out


def mh_counts_with_padding(token_ids, vocab_size):
    out = np.zeros((len(token_ids), vocab_size))
    np.add.at(out, (np.arange(len(token_ids))[:, None], token_ids), 1)
    return out


def mh_transposed(token_ids, vocab_size):
    return multi_hot(token_ids, vocab_size).T


def mh_toggles(token_ids, vocab_size):
    out = np.zeros((len(token_ids), vocab_size))
    for n, row in enumerate(token_ids):
        for t in row:
            if t != 0:
                out[n, t] = 1 - out[n, t]                          # "flip it on"
    return out


def mh_once_only(token_ids, vocab_size):
    out = np.zeros((len(token_ids), vocab_size))
    for n, row in enumerate(token_ids):
        ids, counts = np.unique(row[row > 0], return_counts=True)
        out[n, ids[counts == 1]] = 1.0
    return out


def mh_whole_batch(token_ids, vocab_size):
    out = np.zeros((len(token_ids), vocab_size))
    out[:, np.unique(token_ids)] = 1.0
    out[:, 0] = 0.0
    return out


def mh_drops_unk(token_ids, vocab_size):
    out = multi_hot(token_ids, vocab_size)
    out[:, 1] = 0.0                                                 # "0 and 1 are special"
    return out


def mh_sorts_in_place(token_ids, vocab_size):
    token_ids.sort(axis=1)                                          # "unique ids side by side"
    return multi_hot(token_ids, vocab_size)


def mh_per_position(token_ids, vocab_size):
    return (token_ids > 0).astype(float)


def mh_returns_none(token_ids, vocab_size):
    out = multi_hot(token_ids, vocab_size)                          # noqa: F841 (no return)


# --- 12.2 accuracy by review length ----------------------------------------------------------

def accuracy_by_length(lengths, correct, edges):
    rows = []
    for low, high in zip(edges[:-1], edges[1:]):
        mask = (lengths >= low) & (lengths < high)
        count = int(mask.sum())
        rows.append((low, high, count, correct[mask].mean() if count else float("nan")))
    return rows


def accuracy_by_length_digitize(lengths, correct, edges):
    bins = np.digitize(lengths, edges) - 1                          # bin i: edges[i] <= l < edges[i+1]
    result = []
    for i in range(len(edges) - 1):
        in_bin = bins == i
        n = int(np.sum(in_bin))
        accuracy = np.sum(correct[in_bin]) / n if n > 0 else math.nan
        result.append([edges[i], edges[i + 1], n, accuracy])
    return result


def _rows(lengths, correct, edges, inside, accuracy=None, empty=math.nan):
    rows = []
    for low, high in zip(edges[:-1], edges[1:]):
        mask = inside(lengths, low, high)
        count = int(mask.sum())
        value = (accuracy(correct, mask) if accuracy else correct[mask].mean()) if count else empty
        rows.append((low, high, count, value))
    return rows


def abl_inclusive(lengths, correct, edges):
    return _rows(lengths, correct, edges, lambda l, lo, hi: (l >= lo) & (l <= hi))


def abl_right_closed(lengths, correct, edges):
    return _rows(lengths, correct, edges, lambda l, lo, hi: (l > lo) & (l <= hi))


def abl_histogram(lengths, correct, edges):
    counts, _ = np.histogram(lengths, bins=edges)                   # its last bin is closed
    hits, _ = np.histogram(lengths[correct], bins=edges)
    return [(lo, hi, int(c), h / c if c else math.nan)
            for lo, hi, c, h in zip(edges[:-1], edges[1:], counts, hits)]


def abl_overall(lengths, correct, edges):
    return _rows(lengths, correct, edges, lambda l, lo, hi: (l >= lo) & (l < hi),
                 accuracy=lambda c, mask: c.mean())


def abl_count_correct(lengths, correct, edges):
    rows = accuracy_by_length(lengths, correct, edges)
    return [(lo, hi, int(np.sum(correct & (lengths >= lo) & (lengths < hi))), acc)
            for lo, hi, _, acc in rows]


def abl_zero_for_empty(lengths, correct, edges):
    return _rows(lengths, correct, edges, lambda l, lo, hi: (l >= lo) & (l < hi), empty=0.0)


def abl_none_for_empty(lengths, correct, edges):
    return _rows(lengths, correct, edges, lambda l, lo, hi: (l >= lo) & (l < hi), empty=None)


def abl_one_bin_too_few(lengths, correct, edges):
    return accuracy_by_length(lengths, correct, edges)[:-1]         # range(len(edges) - 2)


def abl_one_bin_too_many(lengths, correct, edges):
    return accuracy_by_length(lengths, correct, list(edges) + [np.inf])


def abl_shifted_labels(lengths, correct, edges):
    rows = accuracy_by_length(lengths, correct, edges)
    return [(edges[i + 1], edges[i + 2] if i + 2 < len(edges) else np.inf, c, a)
            for i, (_, _, c, a) in enumerate(rows)]


def abl_returns_none(lengths, correct, edges):
    rows = accuracy_by_length(lengths, correct, edges)              # noqa: F841 (no return)


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_multi_hot, multi_hot),
    (ex.check_multi_hot, multi_hot_vectorised),
    (ex.check_multi_hot, multi_hot_ints),
    (ex.check_accuracy_by_length, accuracy_by_length),
    (ex.check_accuracy_by_length, accuracy_by_length_digitize),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


WRONG = [
    (ex.check_multi_hot, mh_marks_padding, "marks the padding id 0"),
    (ex.check_multi_hot, mh_counts, "it counts how often each id occurs"),
    (ex.check_multi_hot, mh_counts_with_padding, "it counts how often each id occurs"),
    (ex.check_multi_hot, mh_transposed, "the transposed (vocab_size, N)"),
    (ex.check_multi_hot, mh_toggles, "a token that occurs twice in a row comes out 0"),
    (ex.check_multi_hot, mh_once_only, "a token that occurs twice in a row comes out 0"),
    (ex.check_multi_hot, mh_whole_batch, "the ids of the whole batch"),
    (ex.check_multi_hot, mh_drops_unk, "you dropped the out-of-vocabulary token [UNK] = 1"),
    (ex.check_multi_hot, mh_sorts_in_place, "changed its input token_ids"),
    (ex.check_multi_hot, mh_per_position, "one row per review (not one per token position)"),
    (ex.check_multi_hot, mh_returns_none, "returned None"),
    (ex.check_accuracy_by_length, abl_inclusive, "you made the upper edge inclusive"),
    (ex.check_accuracy_by_length, abl_right_closed, "you made the upper edge inclusive"),
    (ex.check_accuracy_by_length, abl_histogram, "np.histogram does so for its last bin"),
    (ex.check_accuracy_by_length, abl_overall, "the accuracy over all reviews"),
    (ex.check_accuracy_by_length, abl_count_correct, "the correct reviews in each bin"),
    (ex.check_accuracy_by_length, abl_zero_for_empty, "0 instead of NaN"),
    (ex.check_accuracy_by_length, abl_none_for_empty, "return float('nan')"),
    (ex.check_accuracy_by_length, abl_one_bin_too_few, "the bins are off by one"),
    (ex.check_accuracy_by_length, abl_one_bin_too_many, "the bins are off by one"),
    (ex.check_accuracy_by_length, abl_shifted_labels, "are your bins off by one?"),
    (ex.check_accuracy_by_length, abl_returns_none, "returned None"),
]


@pytest.mark.parametrize("checker, wrong, reason", WRONG, ids=[w.__name__ for _, w, _ in WRONG])
def test_plausible_wrong_answers_fail_with_a_hint_that_names_the_problem(checker, wrong, reason,
                                                                          verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out
    assert reason in out and "your code raised" not in out, out


@pytest.mark.parametrize("checker", [ex.check_multi_hot, ex.check_accuracy_by_length])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


def test_multi_hot_reference_on_the_notebook_example():
    got = ex._multi_hot(np.array([[4, 2, 2, 0], [1, 3, 0, 0]]), 5)
    np.testing.assert_array_equal(got, [[0, 0, 1, 0, 1], [0, 1, 0, 1, 0]])


def test_multi_hot_cases_make_every_named_mistake_visible():
    ids = [t for t, _ in ex._multi_hot_cases()]
    assert all(len(t) != v for t, v in ex._multi_hot_cases())          # transposed shows
    assert any((t == 0).all(axis=1).any() for t in ids)                  # a row of only padding
    assert any((t == 1).any() for t in ids)                              # [UNK]
    assert any((np.bincount(row)[1:] == 2).any() for t in ids for row in t)   # a token twice


def test_accuracy_by_length_reference_on_the_notebook_example():
    lengths = np.array([4, 12, 15, 30, 9])
    correct = np.array([True, False, True, True, True])
    got = ex._accuracy_by_length(lengths, correct, [0, 10, 20, 40, 60])
    assert got[:3] == [(0, 10, 2, 1.0), (10, 20, 2, 0.5), (20, 40, 1, 1.0)]
    assert got[3][:3] == (40, 60, 0) and math.isnan(got[3][3])


def test_length_cases_make_every_named_mistake_visible():
    cases = ex._length_cases()
    assert any(0 in [r[2] for r in ex._accuracy_by_length(*c)] for c in cases)      # empty bin
    assert any(np.isin(l, e).any() for l, _, e in cases)                             # on an edge
    assert any((l == e[-1]).any() for l, _, e in cases)                              # last edge
