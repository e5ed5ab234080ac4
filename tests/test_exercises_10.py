"""Notebook 10's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
from collections import Counter

import numpy as np
import pytest

from course_utils import exercises_10 as ex
from conftest import not_attempted


# --- 10.1 sampling with a temperature --------------------------------------------------------

def temperature_probs(logits, temperature):
    z = logits / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def temperature_probs_logsumexp(logits, temperature):
    z = logits / temperature
    m = z.max(axis=-1, keepdims=True)
    log_z = m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
    return np.exp(z - log_z)


def temperature_probs_by_rows(logits, temperature):           # one row at a time
    rows = np.atleast_2d(logits)
    out = np.empty(rows.shape)
    for n, row in enumerate(rows):
        e = np.exp((row - row.max()) / temperature)            # max first, then scale: also stable
        out[n] = e / e.sum()
    return out.reshape(np.shape(logits))


def temperature_probs_power(logits, temperature):              # p ** (1 / T), renormalised
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    q = p ** (1.0 / temperature)
    return q / q.sum(axis=-1, keepdims=True)


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def tp_multiplied(logits, temperature):
    return _softmax(logits * temperature)


def tp_ignores_temperature(logits, temperature):
    return _softmax(logits)


def tp_axis0(logits, temperature):
    return _softmax(logits / temperature, axis=0)


def tp_whole_array(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.max())
    return e / e.sum()


def tp_sum_no_keepdims(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


def tp_max_no_keepdims(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.max(axis=-1))
    return e / e.sum(axis=-1, keepdims=True)


def tp_naive(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum(axis=-1, keepdims=True)


def tp_exp_then_power(logits, temperature):
    e = np.exp(logits) ** (1.0 / temperature)
    return e / e.sum(axis=-1, keepdims=True)


def tp_global_max(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.max())                                     # "the max, to be safe"
    return e / e.sum(axis=-1, keepdims=True)


def tp_scaled_logits(logits, temperature):
    return logits / temperature


def tp_exp_only(logits, temperature):
    z = logits / temperature
    return np.exp(z - z.max(axis=-1, keepdims=True))


def tp_probs_divided(logits, temperature):
    return _softmax(logits) / temperature


def tp_probs_power_unnormalised(logits, temperature):
    return _softmax(logits) ** (1.0 / temperature)


def tp_in_place(logits, temperature):
    logits /= temperature
    logits -= logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=-1, keepdims=True)


def tp_axis1(logits, temperature):
    return _softmax(logits / temperature, axis=1)


def tp_returns_none(logits, temperature):
    p = temperature_probs(logits, temperature)                   # noqa: F841 (no return)


# --- 10.2 the bigram baseline ----------------------------------------------------------------

def bigram_probs(ids, vocab_size, k):
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (ids[:-1], ids[1:]), 1)
    return (counts + k) / (counts.sum(axis=1, keepdims=True) + k * vocab_size)


def bigram_probs_loop(ids, vocab_size, k):
    counts = np.zeros((vocab_size, vocab_size))
    for a, b in zip(ids[:-1], ids[1:]):
        counts[a, b] += 1
    P = np.empty_like(counts)
    for a in range(vocab_size):
        P[a] = (counts[a] + k) / (counts[a].sum() + k * vocab_size)
    return P


def bigram_probs_bincount(ids, vocab_size, k):
    flat = np.bincount(ids[:-1] * vocab_size + ids[1:], minlength=vocab_size * vocab_size)
    counts = flat.reshape(vocab_size, vocab_size)
    starts = np.bincount(ids[:-1], minlength=vocab_size)[:, None]     # a first in a pair
    return (counts + k) / (starts + k * vocab_size)


def bigram_probs_counter(ids, vocab_size, k):
    pairs = Counter(zip(ids[:-1].tolist(), ids[1:].tolist()))
    return np.array([[(pairs[a, b] + k) / (sum(pairs[a, c] for c in range(vocab_size))
                                           + k * vocab_size)
                      for b in range(vocab_size)] for a in range(vocab_size)])


def _counts(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (ids[:-1], ids[1:]), 1)
    return counts


def bp_transposed(ids, vocab_size, k):
    return bigram_probs(ids, vocab_size, k).T


def bp_columns(ids, vocab_size, k):
    counts = _counts(ids, vocab_size)
    return (counts + k) / (counts.sum(axis=0, keepdims=True) + k * vocab_size)


def bp_joint(ids, vocab_size, k):
    counts = _counts(ids, vocab_size)
    return (counts + k) / (counts.sum() + k * vocab_size ** 2)


def bp_whole_text(ids, vocab_size, k):
    counts = _counts(ids, vocab_size)
    occurrences = np.bincount(ids, minlength=vocab_size)[:, None]   # "how often a occurs"
    return (counts + k) / (occurrences + k * vocab_size)


def bp_no_k_in_denominator(ids, vocab_size, k):
    counts = _counts(ids, vocab_size)
    return (counts + k) / counts.sum(axis=1, keepdims=True)


def bp_denominator_plus_k(ids, vocab_size, k):
    counts = _counts(ids, vocab_size)
    return (counts + k) / (counts.sum(axis=1, keepdims=True) + k)


def bp_wraps_round(ids, vocab_size, k):
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (ids, np.roll(ids, -1)), 1)
    return (counts + k) / (counts.sum(axis=1, keepdims=True) + k * vocab_size)


def bp_ignores_k(ids, vocab_size, k):
    counts = _counts(ids, vocab_size)
    return counts / counts.sum(axis=1, keepdims=True)


def bp_ignores_k_uniform_rows(ids, vocab_size, k):
    counts = _counts(ids, vocab_size)
    totals = counts.sum(axis=1, keepdims=True)
    return np.where(totals > 0, counts / np.maximum(totals, 1), 1.0 / vocab_size)


def bp_add_one(ids, vocab_size, k):
    return bigram_probs(ids, vocab_size, 1)


def bp_counted_once(ids, vocab_size, k):
    counts = np.zeros((vocab_size, vocab_size))
    counts[ids[:-1], ids[1:]] += 1                              # fancy indexing: no accumulation
    return (counts + k) / (counts.sum(axis=1, keepdims=True) + k * vocab_size)


def bp_vocabulary_of_the_text(ids, vocab_size, k):
    chars, local = np.unique(ids, return_inverse=True)
    return bigram_probs(local, len(chars), k)


def bp_sorts_in_place(ids, vocab_size, k):
    P = bigram_probs(ids, vocab_size, k)
    ids.sort()
    return P


def bp_returns_none(ids, vocab_size, k):
    P = bigram_probs(ids, vocab_size, k)                        # noqa: F841 (no return)


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_temperature_probs, temperature_probs),
    (ex.check_temperature_probs, temperature_probs_logsumexp),
    (ex.check_temperature_probs, temperature_probs_by_rows),
    (ex.check_temperature_probs, temperature_probs_power),
    (ex.check_bigram_probs, bigram_probs),
    (ex.check_bigram_probs, bigram_probs_loop),
    (ex.check_bigram_probs, bigram_probs_bincount),
    (ex.check_bigram_probs, bigram_probs_counter),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


WRONG = [
    (ex.check_temperature_probs, tp_multiplied, "you multiplied by the temperature"),
    (ex.check_temperature_probs, tp_ignores_temperature, "you ignored the temperature"),
    (ex.check_temperature_probs, tp_axis0, "the softmax over the wrong axis"),
    (ex.check_temperature_probs, tp_whole_array, "the softmax over the wrong axis"),
    (ex.check_temperature_probs, tp_sum_no_keepdims, "taken without keepdims=True"),
    (ex.check_temperature_probs, tp_max_no_keepdims, "taken without keepdims=True"),
    (ex.check_temperature_probs, tp_naive, "not numerically stable"),
    (ex.check_temperature_probs, tp_exp_then_power, "not numerically stable"),
    (ex.check_temperature_probs, tp_global_max, "you subtracted the max of the whole array"),
    (ex.check_temperature_probs, tp_scaled_logits, "these are not probabilities"),
    (ex.check_temperature_probs, tp_exp_only, "these are not probabilities"),
    (ex.check_temperature_probs, tp_probs_divided,
     "you applied the temperature to the probabilities"),
    (ex.check_temperature_probs, tp_probs_power_unnormalised,
     "you applied the temperature to the probabilities"),
    (ex.check_temperature_probs, tp_in_place, "changed its input logits"),
    (ex.check_temperature_probs, tp_axis1, "Use axis=-1, the last axis"),
    (ex.check_temperature_probs, tp_returns_none, "returned None"),
    (ex.check_bigram_probs, bp_transposed, "your P is transposed"),
    (ex.check_bigram_probs, bp_columns, "your columns sum to 1, not your rows"),
    (ex.check_bigram_probs, bp_joint, "the joint probability of a pair"),
    (ex.check_bigram_probs, bp_whole_text, "nothing follows it"),
    (ex.check_bigram_probs, bp_no_k_in_denominator, "divide by count(a) + k * vocab_size"),
    (ex.check_bigram_probs, bp_denominator_plus_k, "divide by count(a) + k * vocab_size"),
    (ex.check_bigram_probs, bp_wraps_round, "wraps round from the last character to the first"),
    (ex.check_bigram_probs, bp_ignores_k, "no smoothing, you ignored k"),
    (ex.check_bigram_probs, bp_ignores_k_uniform_rows, "no smoothing, you ignored k"),
    (ex.check_bigram_probs, bp_add_one, "you used k = 1 (add-one smoothing) whatever k is"),
    (ex.check_bigram_probs, bp_counted_once, "a pair that occurs several times is counted once"),
    (ex.check_bigram_probs, bp_vocabulary_of_the_text, "also for the characters that never occur"),
    (ex.check_bigram_probs, bp_sorts_in_place, "changed its input ids"),
    (ex.check_bigram_probs, bp_returns_none, "returned None"),
]


@pytest.mark.parametrize("checker, wrong, reason", WRONG, ids=[w.__name__ for _, w, _ in WRONG])
def test_plausible_wrong_answers_fail_with_a_hint_that_names_the_problem(checker, wrong, reason,
                                                                          verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out
    assert reason in out and "your code raised" not in out, out


@pytest.mark.parametrize("checker", [ex.check_temperature_probs, ex.check_bigram_probs])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


def test_a_wrong_attempt_prints_no_numpy_warning(verdict, recwarn):
    """An overflow or 0 / 0 in the learner's code is named in the message, not also warned."""
    verdict(ex.check_temperature_probs, tp_naive)
    verdict(ex.check_bigram_probs, bp_ignores_k)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_temperature_probs_reference_on_the_notebook_example():
    logits = np.array([2.0, 1.0, 0.0])
    np.testing.assert_allclose(ex._temperature_probs(logits, 1.0), [0.665, 0.245, 0.090],
                               atol=1e-3)
    np.testing.assert_allclose(ex._temperature_probs(logits, 0.5), [0.867, 0.117, 0.016],
                               atol=1e-3)
    np.testing.assert_allclose(ex._temperature_probs(logits, 2.0), [0.506, 0.307, 0.186],
                               atol=1e-3)
    assert ex._temperature_probs(logits, 0.01).round(6).tolist() == [1.0, 0.0, 0.0]  # greedy


def test_temperature_cases_make_every_named_mistake_visible():
    seen = set()
    for logits, temperature, _ in ex._temperature_cases():
        want = ex._temperature_probs(logits, temperature)
        assert np.all(np.isfinite(want)) and np.allclose(want.sum(axis=-1), 1.0)
        for mistake, ways in ex._wrong_probs(logits, temperature).items():
            if any(np.shape(w) == want.shape and not np.allclose(w, want, equal_nan=True)
                   for w in ways):
                seen.add(mistake)
    assert seen == {"ignored", "multiplied", "unnormalised", "on_probs", "global_max",
                    "overflow", "wrong_axis", "keepdims"}


def test_bigram_reference_on_the_notebook_example():
    P = ex._bigram(np.array([0, 1, 2, 0, 1]), 3, 1)              # "abcab"
    np.testing.assert_allclose(P, [[0.2, 0.6, 0.2], [0.25, 0.25, 0.5], [0.5, 0.25, 0.25]])


def test_bigram_cases_make_every_named_mistake_visible():
    seen = set()
    for ids, vocab_size, k in ex._bigram_cases():
        want = ex._bigram(ids, vocab_size, k)
        np.testing.assert_allclose(want.sum(axis=1), 1.0)
        assert len(np.unique(ids)) < vocab_size or ids[-1] in ids[:-1]
        for mistake, ways in ex._wrong_bigrams(ids, vocab_size, k).items():
            if any(not np.allclose(w, want, equal_nan=True) for w in ways):
                seen.add(mistake)
    assert seen == set(ex._wrong_bigrams(np.array([0, 1]), 2, 1.0))
    assert any(k != 1 for _, _, k in ex._bigram_cases())
    assert any(ex._repeated_pair(ids)[2] > 1 for ids, _, _ in ex._bigram_cases())
