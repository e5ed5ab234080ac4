"""Notebook 10's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
from collections import defaultdict

import numpy as np
import pytest

from course_utils.exercises import nb10 as ex
from conftest import not_attempted


# --- 10.1 top-k sampling with a temperature --------------------------------------------------

def top_k_probs(logits, k, temperature=1.0):
    z = logits / temperature
    kth = np.sort(z, axis=-1)[..., -k, None]
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    e = np.where(z >= kth, e, 0.0)
    return e / e.sum(axis=-1, keepdims=True)


def top_k_probs_minus_inf(logits, k, temperature=1.0):        # the others' logits to -inf
    z = logits / temperature
    z = np.where(z >= np.sort(z, axis=-1)[..., -k, None], z, -np.inf)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def top_k_probs_argpartition(logits, k, temperature=1.0):     # softmax first, then cut
    z = logits / temperature
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    top = np.argpartition(p, -k, axis=-1)[..., -k:]
    out = np.zeros_like(p)
    np.put_along_axis(out, top, np.take_along_axis(p, top, axis=-1), axis=-1)
    return out / out.sum(axis=-1, keepdims=True)


def top_k_probs_by_rows(logits, k, temperature=1.0):          # one row at a time
    rows = np.atleast_2d(logits)
    out = np.zeros(rows.shape)
    for n, row in enumerate(rows):
        top = np.argsort(row)[::-1][:k]                          # the k largest, largest first
        e = np.exp((row[top] - row[top[0]]) / temperature)
        out[n, top] = e / e.sum()
    return out.reshape(np.shape(logits))


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _keep(z, k):
    return z >= np.sort(z, axis=-1)[..., -k, None]


def tk_no_top_k(logits, k, temperature=1.0):
    return _softmax(logits / temperature)


def tk_zeroed_logits(logits, k, temperature=1.0):
    z = logits / temperature
    return _softmax(np.where(_keep(z, k), z, 0.0))


def tk_smallest(logits, k, temperature=1.0):
    z = logits / temperature
    bottom = np.argsort(z, axis=-1)[..., :k]                     # "the first k of the sort"
    out = np.zeros_like(z)
    np.put_along_axis(out, bottom, np.take_along_axis(_softmax(z), bottom, axis=-1), axis=-1)
    return out / out.sum(axis=-1, keepdims=True)


def tk_not_renormalised(logits, k, temperature=1.0):
    z = logits / temperature
    return np.where(_keep(z, k), _softmax(z), 0.0)


def tk_exp_only(logits, k, temperature=1.0):
    z = logits / temperature
    return np.where(_keep(z, k), np.exp(z - z.max(axis=-1, keepdims=True)), 0.0)


def tk_k_plus_one(logits, k, temperature=1.0):
    z = logits / temperature
    kth = np.sort(z, axis=-1)[..., -k - 1, None] if k < z.shape[-1] else z.min(axis=-1,
                                                                                 keepdims=True)
    e = np.where(z >= kth, np.exp(z - z.max(axis=-1, keepdims=True)), 0.0)
    return e / e.sum(axis=-1, keepdims=True)


def tk_strict_threshold(logits, k, temperature=1.0):           # z > kth: keeps k - 1
    z = logits / temperature
    e = np.where(z > np.sort(z, axis=-1)[..., -k, None], np.exp(z - z.max(axis=-1,
                                                                            keepdims=True)), 0.0)
    return e / e.sum(axis=-1, keepdims=True)


def tk_ignores_temperature(logits, k, temperature=1.0):
    return top_k_probs(logits, k, 1.0)


def tk_multiplied(logits, k, temperature=1.0):
    return top_k_probs(logits * temperature, k, 1.0)


def tk_probs_divided(logits, k, temperature=1.0):
    return top_k_probs(logits, k, 1.0) / temperature


def tk_axis0_sum(logits, k, temperature=1.0):
    z = logits / temperature
    e = np.where(_keep(z, k), np.exp(z - z.max(axis=-1, keepdims=True)), 0.0)
    return e / e.sum(axis=0, keepdims=True)


def tk_top_k_of_whole_array(logits, k, temperature=1.0):
    z = logits / temperature
    e = np.where(z >= np.sort(z, axis=None)[-k], np.exp(z - z.max()), 0.0)
    return e / e.sum()


def tk_top_k_of_whole_array_row_sums(logits, k, temperature=1.0):
    z = logits / temperature
    e = np.where(z >= np.sort(z, axis=None)[-k], np.exp(z - z.max(axis=-1, keepdims=True)), 0.0)
    return e / e.sum(axis=-1, keepdims=True)


def tk_threshold_no_keepdims(logits, k, temperature=1.0):
    z = logits / temperature
    kth = np.sort(z, axis=-1)[..., -k]                          # shape (N,): no trailing axis
    e = np.where(z >= kth, np.exp(z - z.max(axis=-1, keepdims=True)), 0.0)
    return e / e.sum(axis=-1, keepdims=True)


def tk_naive(logits, k, temperature=1.0):
    z = logits / temperature
    e = np.where(_keep(z, k), np.exp(z), 0.0)
    return e / e.sum(axis=-1, keepdims=True)


def tk_global_max(logits, k, temperature=1.0):
    z = logits / temperature
    e = np.where(_keep(z, k), np.exp(z - z.max()), 0.0)        # "the max, to be safe"
    return e / e.sum(axis=-1, keepdims=True)


def tk_only_the_k(logits, k, temperature=1.0):
    z = np.sort(logits / temperature, axis=-1)[..., -k:]
    return _softmax(z)


def tk_in_place(logits, k, temperature=1.0):
    logits /= temperature
    logits[logits < np.sort(logits, axis=-1)[..., -k, None]] = -np.inf
    return _softmax(logits)


def tk_axis1(logits, k, temperature=1.0):
    z = logits / temperature
    e = np.where(_keep(z, k), np.exp(z - z.max(axis=1, keepdims=True)), 0.0)
    return e / e.sum(axis=1, keepdims=True)


def tk_returns_none(logits, k, temperature=1.0):
    p = top_k_probs(logits, k, temperature)                      # noqa: F841 (no return)


# --- 10.2 Kneser-Ney's continuation counts ---------------------------------------------------

def continuation_counts(ids, vocab_size):
    pairs = np.unique(ids[:-1] * vocab_size + ids[1:])
    return np.bincount(pairs % vocab_size, minlength=vocab_size)


def continuation_counts_sets(ids, vocab_size):
    before = defaultdict(set)
    for b, c in zip(ids[:-1], ids[1:]):
        before[c].add(b)
    return np.array([len(before[c]) for c in range(vocab_size)])


def continuation_counts_matrix(ids, vocab_size):
    seen = np.zeros((vocab_size, vocab_size), dtype=bool)
    seen[ids[:-1], ids[1:]] = True                               # fancy indexing: once is enough
    return seen.sum(axis=0)


def continuation_counts_loop(ids, vocab_size):
    counts = np.zeros(vocab_size, dtype=int)
    for c in range(vocab_size):
        counts[c] = len(np.unique(ids[:-1][ids[1:] == c]))
    return counts


def cc_occurrences(ids, vocab_size):
    return np.bincount(ids[1:], minlength=vocab_size)


def cc_unigram_counts(ids, vocab_size):
    return np.bincount(ids, minlength=vocab_size)


def cc_followers(ids, vocab_size):
    after = defaultdict(set)
    for b, c in zip(ids[:-1], ids[1:]):
        after[b].add(c)
    return np.array([len(after[b]) for b in range(vocab_size)])


def cc_fancy_index(ids, vocab_size):
    counts = np.zeros(vocab_size, dtype=int)
    counts[ids[1:]] += 1                                        # no accumulation
    return counts


def cc_wraps_round(ids, vocab_size):
    pairs = np.unique(np.roll(ids, 1) * vocab_size + ids)
    return np.bincount(pairs % vocab_size, minlength=vocab_size)


def cc_start_symbol(ids, vocab_size):
    before = defaultdict(set)
    prev = None
    for c in ids:
        before[c].add(prev)                                     # None counts as a predecessor
        prev = c
    return np.array([len(before[c]) for c in range(vocab_size)])


def cc_prev_zero(ids, vocab_size):
    before = defaultdict(set)
    prev = 0
    for c in ids:
        before[c].add(prev)
        prev = c
    return np.array([len(before[c]) for c in range(vocab_size)])


def cc_no_minlength(ids, vocab_size):
    pairs = np.unique(ids[:-1] * vocab_size + ids[1:])
    return np.bincount(pairs % vocab_size)


def cc_floats(ids, vocab_size):
    return continuation_counts(ids, vocab_size).astype(float)


def cc_dict(ids, vocab_size):
    before = defaultdict(set)
    for b, c in zip(ids[:-1], ids[1:]):
        before[c].add(b)
    return {c: len(s) for c, s in before.items()}


def cc_sorts_in_place(ids, vocab_size):
    counts = continuation_counts(ids, vocab_size)
    ids.sort()
    return counts


def cc_returns_none(ids, vocab_size):
    counts = continuation_counts(ids, vocab_size)               # noqa: F841 (no return)


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_top_k_probs, top_k_probs),
    (ex.check_top_k_probs, top_k_probs_minus_inf),
    (ex.check_top_k_probs, top_k_probs_argpartition),
    (ex.check_top_k_probs, top_k_probs_by_rows),
    (ex.check_continuation_counts, continuation_counts),
    (ex.check_continuation_counts, continuation_counts_sets),
    (ex.check_continuation_counts, continuation_counts_matrix),
    (ex.check_continuation_counts, continuation_counts_loop),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


WRONG = [
    (ex.check_top_k_probs, tk_no_top_k, "you kept every character, k played no part"),
    (ex.check_top_k_probs, tk_zeroed_logits, "you set the other logits to 0"),
    (ex.check_top_k_probs, tk_smallest, "you kept the k smallest logits"),
    (ex.check_top_k_probs, tk_not_renormalised, "then zeroed the rest without renormalising"),
    (ex.check_top_k_probs, tk_exp_only, "these are not probabilities"),
    (ex.check_top_k_probs, tk_k_plus_one, "k is off by one, you kept the 3 largest"),
    (ex.check_top_k_probs, tk_strict_threshold, "k is off by one, you kept the 1 largest"),
    (ex.check_top_k_probs, tk_ignores_temperature, "you ignored the temperature"),
    (ex.check_top_k_probs, tk_multiplied, "you multiplied by the temperature"),
    (ex.check_top_k_probs, tk_probs_divided,
     "you applied the temperature to the probabilities"),
    (ex.check_top_k_probs, tk_axis0_sum, "over the wrong axis"),
    (ex.check_top_k_probs, tk_top_k_of_whole_array, "over the wrong axis"),
    (ex.check_top_k_probs, tk_top_k_of_whole_array_row_sums, "over the wrong axis"),
    (ex.check_top_k_probs, tk_threshold_no_keepdims, "without keepdims=True"),
    (ex.check_top_k_probs, tk_naive, "not numerically stable"),
    (ex.check_top_k_probs, tk_global_max, "you subtracted the max of the whole array"),
    (ex.check_top_k_probs, tk_only_the_k, "the k kept probabilities alone"),
    (ex.check_top_k_probs, tk_in_place, "changed its input logits"),
    (ex.check_top_k_probs, tk_axis1, "Use axis=-1, the last axis"),
    (ex.check_top_k_probs, tk_returns_none, "returned None"),
    (ex.check_continuation_counts, cc_occurrences, "not by how many *different* characters"),
    (ex.check_continuation_counts, cc_unigram_counts, "not by how many *different* characters"),
    (ex.check_continuation_counts, cc_followers, "the distinct characters that come *after*"),
    (ex.check_continuation_counts, cc_fancy_index, "every entry is 0 or 1"),
    (ex.check_continuation_counts, cc_wraps_round, "you gave the first character"),
    (ex.check_continuation_counts, cc_start_symbol, "you gave the first character"),
    (ex.check_continuation_counts, cc_prev_zero, "you gave the first character"),
    (ex.check_continuation_counts, cc_no_minlength, "unless you pass minlength=vocab_size"),
    (ex.check_continuation_counts, cc_floats, "the right counts, but as float64"),
    (ex.check_continuation_counts, cc_dict, "returned a dict"),
    (ex.check_continuation_counts, cc_sorts_in_place, "changed its input ids"),
    (ex.check_continuation_counts, cc_returns_none, "returned None"),
]


@pytest.mark.parametrize("checker, wrong, reason", WRONG, ids=[w.__name__ for _, w, _ in WRONG])
def test_plausible_wrong_answers_fail_with_a_hint_that_names_the_problem(checker, wrong, reason,
                                                                          verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out
    assert reason in out and "your code raised" not in out, out


@pytest.mark.parametrize("checker", [ex.check_top_k_probs, ex.check_continuation_counts])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


def test_a_wrong_attempt_prints_no_numpy_warning(verdict, recwarn):
    """An overflow or 0 / 0 in the learner's code is named in the message, not also warned."""
    verdict(ex.check_top_k_probs, tk_naive)
    verdict(ex.check_top_k_probs, tk_global_max)
    verdict(ex.check_top_k_probs, tk_strict_threshold)          # k = 1 keeps nothing: 0 / 0
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_top_k_reference_on_the_notebook_example():
    logits = np.array([2.0, 1.0, 0.0, -1.0])
    np.testing.assert_allclose(ex._top_k(logits, 2, 1.0), [0.731, 0.269, 0, 0], atol=1e-3)
    np.testing.assert_allclose(ex._top_k(logits, 2, 0.5), [0.881, 0.119, 0, 0], atol=1e-3)
    np.testing.assert_allclose(ex._top_k(logits, 3, 1.0), [0.665, 0.245, 0.090, 0], atol=1e-3)
    assert ex._top_k(logits, 1, 1.0).tolist() == [1.0, 0.0, 0.0, 0.0]           # greedy
    np.testing.assert_allclose(ex._top_k(logits, 4, 2.0), ex._softmax(logits / 2.0))  # k = V
    assert ex._top_k(logits, 2, 1.0)[2:].tolist() == [0.0, 0.0]                 # exactly 0


def test_top_k_cases_have_no_ties_and_make_every_named_mistake_visible():
    seen = set()
    for logits, k, temperature, _ in ex._top_k_cases():
        assert 1 <= k <= logits.shape[-1]
        for row in np.atleast_2d(logits / temperature):
            assert len(np.unique(row)) == len(row)              # no ties, at the k-th or anywhere
        want = ex._top_k(logits, k, temperature)
        assert np.all(np.isfinite(want)) and np.allclose(want.sum(axis=-1), 1.0)
        assert np.all(np.sum(want > 0, axis=-1) == k)
        for mistake, ways in ex._wrong_top_k(logits, k, temperature).items():
            if any(np.shape(w) == want.shape and not np.allclose(w, want, equal_nan=True)
                   for w in ways):
                seen.add(mistake)
    assert seen == {"no_top_k", "zeroed_logits", "smallest", "not_renormalised", "unnormalised",
                    "k_plus_one", "k_minus_one", "ignored", "multiplied", "on_probs",
                    "global_max", "overflow", "wrong_axis", "keepdims"}
    assert {k for _, k, _, _ in ex._top_k_cases()} >= {1, 5}     # greedy, and k = V = 5


def test_continuation_reference_on_the_notebook_example():
    abracadabra = np.array(["abrcd".index(c) for c in "abracadabra"])
    assert ex._continuation(abracadabra, 5).tolist() == [3, 1, 1, 1, 1]
    assert ex._continuation(np.array([0, 1]), 3).tolist() == [0, 1, 0]     # ids[0]: nothing
    assert ex._continuation(np.array([0, 0, 0]), 1).tolist() == [1]        # itself, once


def test_continuation_cases_make_every_named_mistake_visible():
    seen = set()
    for ids, vocab_size in ex._continuation_cases():
        want = ex._continuation(ids, vocab_size)
        for mistake, ways in ex._wrong_continuations(ids, vocab_size).items():
            if any(not np.array_equal(w, want) for w in ways):
                seen.add(mistake)
    assert seen == set(ex._wrong_continuations(np.array([0, 1]), 2))
    assert any(len(set(ids.tolist())) < vocab_size for ids, vocab_size in ex._continuation_cases())
    assert any(ids[0] not in ids[1:] for ids, _ in ex._continuation_cases())
