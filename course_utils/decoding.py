"""Decoding a sequence from a step-by-step model: beam search, and greedy as beam width 1.

A decoder is given as one function for one hypothesis:

    step(state, token) -> (log_probs, new_state)

log_probs (V,) are the log-probabilities of the next token after `token`; new_state is what the
decoder carries on (a hidden state, a tuple of them, ...). A hypothesis scores the sum of the
log-probabilities of its tokens, divided by GNMT's length penalty (Wu et al., 2016)
lp(Y) = ((5 + |Y|) / 6) ** alpha when alpha > 0 (alpha = 0, the default: no penalty).
"""
import numpy as np

from course_utils.shapes import check_positive_ints


def _log_probs(step, state, token):
    log_probs, new_state = step(state, token)
    log_probs = np.asarray(log_probs, dtype=np.float64)
    if log_probs.ndim != 1 or np.isnan(log_probs).any():
        raise ValueError(f"step: expected log_probs of shape (V,) without NaN, got shape "
                         f"{log_probs.shape}")
    return log_probs, new_state


def length_penalty(length, alpha):
    """GNMT's lp = ((5 + length) / 6) ** alpha: 1 for alpha = 0, growing with the length."""
    return ((5 + length) / 6) ** alpha


def beam_search(step, state, start, end, beam_width, max_length, alpha=0.0):
    """Keep the `beam_width` best partial sequences at each step; return them best first.

    Starts from `state` with the token `start` and grows each hypothesis by one token for at
    most `max_length` steps. A hypothesis that produces `end` is finished: it stops growing
    but keeps competing for a place in the beam. Stops early once every hypothesis is finished.
    Returns a list of at most beam_width (tokens, log_prob), best first, finished and
    unfinished alike: tokens (a list of ints) excludes `start` and includes `end` if reached.
    Ties are broken deterministically: for equal log_prob the smaller token sequence (compared
    as lists) comes first, so beam_width=1 is greedy decoding taking the lowest token id among
    equal maxima, like np.argmax.
    alpha > 0 ranks by log_prob / length_penalty(len(tokens), alpha) instead (the returned
    log_prob stays the plain sum): the hypotheses still growing all have the same length, so
    this changes only how finished, shorter ones compare with them.
    `step` must not modify the state it receives: hypotheses with a common prefix share it.
    """
    check_positive_ints(beam_width=beam_width, max_length=max_length)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not alpha >= 0:
        raise ValueError(f"alpha must be a number >= 0 (0: no length penalty), got {alpha!r}")
    beam = [([], 0.0, state, False)]  # (tokens, log_prob, state, finished)
    for _ in range(max_length):
        if all(finished for *_, finished in beam):
            break
        candidates = []
        for tokens, score, st, finished in beam:
            if finished:
                candidates.append((tokens, score, st, True))
                continue
            log_probs, new_state = _log_probs(step, st, tokens[-1] if tokens else start)
            for token, lp in enumerate(log_probs):
                candidates.append((tokens + [token], score + float(lp), new_state, token == end))
        candidates.sort(key=lambda c: (-c[1] / length_penalty(len(c[0]), alpha), c[0]))
        beam = candidates[:beam_width]
    return [(tokens, score) for tokens, score, *_ in beam]


def greedy_decode(step, state, start, end, max_length):
    """Take the most likely next token at every step: beam_search with beam_width=1.

    Returns one (tokens, log_prob), tokens excluding `start` and including `end` if reached.
    """
    return beam_search(step, state, start, end, beam_width=1, max_length=max_length)[0]
