"""Beam search and greedy decoding on hand-made Markov models, against brute force."""
import itertools

import numpy as np
import pytest

from course_utils import beam_search, greedy_decode
from course_utils.decoding import length_penalty

START, END = 0, 3
# A 4-token Markov model, row = previous token. Greedy takes 1 (0.55), but the best any 1 can
# continue with is 0.3: 0.165 in all. Taking 2 (0.35) then END (0.8) gives 0.28.
TABLE = np.log(np.array([
    [0.05, 0.55, 0.35, 0.05],
    [0.30, 0.25, 0.25, 0.20],
    [0.05, 0.05, 0.10, 0.80],
    [0.25, 0.25, 0.25, 0.25],
]))


def markov(table):
    """A step function for a Markov model; the state counts the calls (nothing reads it)."""
    return lambda state, token: (table[token], state + 1)


def positional(tables):
    """A step function whose log-probs depend on the position, carried in the state."""
    return lambda position, token: (tables[position][token], position + 1)


def score(step, state, tokens, start=START):
    total, previous = 0.0, start
    for token in tokens:
        log_probs, state = step(state, previous)
        total += log_probs[token]
        previous = token
    return total


def brute_force(step, state, vocab, max_length, end=END):
    """Every sequence beam search may return, scored, best first (same tie-breaking)."""
    results = []
    for length in range(1, max_length + 1):
        for tokens in itertools.product(range(vocab), repeat=length):
            if end in tokens[:-1] or (tokens[-1] != end and length < max_length):
                continue
            results.append((list(tokens), score(step, state, tokens)))
    return sorted(results, key=lambda r: (-r[1], r[0]))


def greedy_loop(table, max_length):
    tokens, total, previous = [], 0.0, START
    for _ in range(max_length):
        token = int(np.argmax(table[previous]))
        total += table[previous][token]
        tokens.append(token)
        previous = token
        if token == END:
            break
    return tokens, total


def test_beam_of_two_finds_what_greedy_misses():
    greedy = greedy_decode(markov(TABLE), 0, START, END, max_length=2)
    assert greedy[0] == [1, 0] and greedy[1] == pytest.approx(np.log(0.55 * 0.30))
    best = beam_search(markov(TABLE), 0, START, END, beam_width=2, max_length=2)
    assert best[0][0] == [2, END] and best[0][1] == pytest.approx(np.log(0.35 * 0.80))
    assert best[1] == greedy


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("max_length", [1, 2, 4])
def test_beam_width_one_is_the_greedy_loop(seed, max_length):
    table = np.log(np.random.default_rng(seed).dirichlet(np.ones(4), size=4))
    expected = greedy_loop(table, max_length)
    assert beam_search(markov(table), 0, START, END, 1, max_length) == [expected]
    assert greedy_decode(markov(table), 0, START, END, max_length) == expected


@pytest.mark.parametrize("seed", range(3))
def test_a_beam_as_wide_as_all_sequences_is_exhaustive_search(seed):
    vocab, max_length = 3, 3
    rng = np.random.default_rng(seed)
    tables = np.log(rng.dirichlet(np.ones(vocab), size=(max_length, vocab)))
    step = positional(tables)
    found = beam_search(step, 0, START, 2, beam_width=vocab ** max_length, max_length=max_length)
    assert found == brute_force(step, 0, vocab, max_length, end=2)


def test_log_prob_is_the_sum_of_the_chosen_steps_and_results_are_best_first():
    table = np.log(np.random.default_rng(7).dirichlet(np.ones(5), size=5))
    results = beam_search(markov(table), 0, START, END, beam_width=4, max_length=5)
    assert len(results) == 4
    for tokens, log_prob in results:
        assert log_prob == score(markov(table), 0, tokens)
    scores = [log_prob for _, log_prob in results]
    assert scores == sorted(scores, reverse=True)


def test_finished_hypotheses_stop_growing():
    calls = []

    def step(state, token):
        calls.append(token)
        return TABLE[2], state           # END is the likeliest token from every state

    results = beam_search(step, 0, START, END, beam_width=2, max_length=6)
    assert END not in calls              # no hypothesis was extended past END
    assert results[0] == ([END], pytest.approx(np.log(0.8)))
    for tokens, _ in results:
        assert END not in tokens[:-1]
    assert greedy_decode(step, 0, START, END, max_length=6) == ([END], pytest.approx(np.log(0.8)))


def test_ties_go_to_the_smaller_token_sequence():
    uniform = np.log(np.full((4, 4), 0.25))
    results = beam_search(markov(uniform), 0, START, END, beam_width=3, max_length=2)
    assert [tokens for tokens, _ in results] == [[0, 0], [0, 1], [0, 2]]


@pytest.mark.parametrize("kwargs, message", [
    (dict(beam_width=0), "beam_width must be a positive int, got 0"),
    (dict(beam_width=1.5), "beam_width must be a positive int, got 1.5"),
    (dict(beam_width=True), "beam_width must be a positive int, got True"),
    (dict(max_length=0), "max_length must be a positive int, got 0"),
    (dict(step=lambda s, t: (TABLE, s)), r"step: expected log_probs of shape \(V,\) without NaN, got shape \(4, 4\)"),
    (dict(step=lambda s, t: (np.full(4, np.nan), s)), "step: expected log_probs of shape"),
    (dict(alpha=-0.5), r"alpha must be a number >= 0 \(0: no length penalty\), got -0.5"),
    (dict(alpha="1"), "alpha must be a number >= 0"),
    (dict(alpha=float("nan")), "alpha must be a number >= 0"),
])
def test_bad_arguments_raise_clear_errors(kwargs, message):
    args = dict(step=markov(TABLE), state=0, start=START, end=END, beam_width=2, max_length=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        beam_search(**args)


# ---------------------------------------------------------------- the length penalty

def test_alpha_zero_is_the_plain_search():
    table = np.log(np.random.default_rng(3).dirichlet(np.ones(5), size=5))
    for width in (1, 2, 4):
        plain = beam_search(markov(table), 0, START, END, width, 5)
        assert beam_search(markov(table), 0, START, END, width, 5, alpha=0) == plain


def test_the_length_penalty_lets_a_longer_hypothesis_win():
    # END at once scores log 0.6 = -0.51; the only longer answer, 1 END, log(0.4 * 0.9) = -1.02.
    table = np.log(np.array([[1e-9, 0.4, 1e-9, 0.6],
                             [1e-9, 0.1 - 2e-9, 1e-9, 0.9],
                             [0.25] * 4, [0.25] * 4]))
    plain = beam_search(markov(table), 0, START, END, 2, 3)
    assert plain[0][0] == [END]
    penalised = beam_search(markov(table), 0, START, END, 2, 3, alpha=5)
    assert penalised[0][0] == [1, END]              # -1.02 / (7 / 6) ** 5 = -0.47 > -0.51
    assert penalised[0][1] == pytest.approx(np.log(0.4 * 0.9))  # the plain sum is returned


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
def test_a_full_beam_with_alpha_is_exhaustive_search_of_the_normalised_score(alpha):
    vocab, max_length = 3, 3
    tables = np.log(np.random.default_rng(11).dirichlet(np.ones(vocab), size=(max_length, vocab)))
    step = positional(tables)
    found = beam_search(step, 0, START, 2, vocab ** max_length, max_length, alpha=alpha)
    expected = sorted(brute_force(step, 0, vocab, max_length, end=2),
                      key=lambda r: (-r[1] / length_penalty(len(r[0]), alpha), r[0]))
    assert found == expected
    assert length_penalty(1, 1.0) == 1.0 and length_penalty(7, 0.0) == 1.0
