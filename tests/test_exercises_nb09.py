"""Notebook 09's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb09 as ex
from conftest import not_attempted


# --- 9.1 dot-product (Luong) attention -------------------------------------------------------

def dot_attention(query, keys, mask=None):
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def dot_attention_loop(query, keys, mask=None):
    n, s, h = keys.shape
    context, weights = np.zeros((n, h)), np.zeros((n, s))
    for i in range(n):
        real = np.ones(s, bool) if mask is None else mask[i]
        scores = keys[i][real] @ query[i]
        e = np.exp(scores - scores.max())
        weights[i, real] = e / e.sum()
        context[i] = weights[i] @ keys[i]
    return context, weights


def dot_attention_large_negative(query, keys, mask=None):      # -1e9 like Keras: exp gives 0
    scores = (keys @ query[:, :, None])[:, :, 0]
    if mask is not None:
        scores = scores + (1.0 - mask) * -1e9
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
    return (weights[:, None, :] @ keys)[:, 0], weights


def dot_attention_mask_after_exp(query, keys, mask=None):  # exp, then zero the masked positions
    scores = np.sum(keys * query[:, None, :], axis=-1)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    if mask is not None:
        e = e * mask
    weights = e / e.sum(axis=1, keepdims=True)
    return np.sum(weights[:, :, None] * keys, axis=1), weights


def _softmax(scores, axis=1):
    e = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _scores(query, keys):
    return np.einsum("nsh,nh->ns", keys, query)


def _masked(query, keys, mask):
    scores = _scores(query, keys)
    return scores if mask is None else np.where(mask, scores, -np.inf)


def att_mask_ignored(query, keys, mask=None):
    weights = _softmax(_scores(query, keys))
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_mask_zero_score(query, keys, mask=None):
    scores = _scores(query, keys)
    if mask is not None:
        scores = scores * mask
    weights = _softmax(scores)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_mask_after_softmax(query, keys, mask=None):
    weights = _softmax(_scores(query, keys))
    if mask is not None:
        weights = weights * mask
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_softmax_axis_0(query, keys, mask=None):
    weights = _softmax(_masked(query, keys, mask), axis=0)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_no_keepdims(query, keys, mask=None):
    e = np.exp(_masked(query, keys, mask))
    weights = e / e.sum(axis=1)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_unstable(query, keys, mask=None):
    e = np.exp(_masked(query, keys, mask))
    weights = e / e.sum(axis=1, keepdims=True)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_returns_scores(query, keys, mask=None):
    scores = _scores(query, keys)
    return np.einsum("ns,nsh->nh", scores, keys), scores


def att_unnormalised(query, keys, mask=None):
    scores = _masked(query, keys, mask)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_transposed_weights(query, keys, mask=None):
    context, weights = dot_attention(query, keys, mask)
    return context, weights.T


def att_keys_summed(query, keys, mask=None):
    _, weights = dot_attention(query, keys, mask)
    return keys.sum(axis=1), weights


def att_weights_wrong_orientation(query, keys, mask=None):
    _, weights = dot_attention(query, keys, mask)
    return (weights[:, None, :] * keys).sum(axis=1), weights


def att_context_from_scores(query, keys, mask=None):
    _, weights = dot_attention(query, keys, mask)
    scores = _scores(query, keys) * (1 if mask is None else mask)
    return np.einsum("ns,nsh->nh", scores, keys), weights


def att_in_place(query, keys, mask=None):
    keys -= keys.max()                                     # "for stability"
    return dot_attention(query, keys, mask)


def att_mask_none_as_false(query, keys, mask=None):
    scores = np.where(mask, _scores(query, keys), -np.inf)
    weights = _softmax(scores)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_mask_minus_100(query, keys, mask=None):
    scores = _scores(query, keys)
    if mask is not None:
        scores = np.where(mask, scores, -100.0)
    weights = _softmax(scores)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def att_swapped(query, keys, mask=None):
    context, weights = dot_attention(query, keys, mask)
    return weights, context


def att_weights_only(query, keys, mask=None):
    return dot_attention(query, keys, mask)[1]


def att_context_not_summed(query, keys, mask=None):
    _, weights = dot_attention(query, keys, mask)
    return weights[:, :, None] * keys, weights


# --- 9.2 GNMT's length penalty ---------------------------------------------------------------

def rescore(hypotheses, alpha):
    return sorted(hypotheses, key=lambda h: h[1] / ((5 + len(h[0])) / 6) ** alpha, reverse=True)


def rescore_argsort(hypotheses, alpha):
    lengths = np.array([len(tokens) for tokens, _ in hypotheses])
    scores = np.array([log_prob for _, log_prob in hypotheses]) / ((5 + lengths) / 6) ** alpha
    return [hypotheses[i] for i in np.argsort(-scores, kind="stable")]


def rescore_loop(hypotheses, alpha):
    ranked = []
    for tokens, log_prob in hypotheses:        # insert after every one at least as good
        score = log_prob / ((5 + len(tokens)) / 6) ** alpha
        at = 0
        while at < len(ranked) and ranked[at][0] >= score:
            at += 1
        ranked.insert(at, (score, (tokens, log_prob)))
    return [h for _, h in ranked]


def _key(alpha, offset=0):
    return lambda h: h[1] / ((5 + len(h[0]) + offset) / 6) ** alpha


def rs_multiply(hypotheses, alpha):
    return sorted(hypotheses, key=lambda h: h[1] * ((5 + len(h[0])) / 6) ** alpha, reverse=True)


def rs_worst_first(hypotheses, alpha):
    return sorted(hypotheses, key=_key(alpha))


def rs_worst_first_argsort(hypotheses, alpha):
    scores = np.array([_key(alpha)(h) for h in hypotheses])
    return [hypotheses[i] for i in np.argsort(scores, kind="stable")]


def rs_length_plus_one(hypotheses, alpha):
    return sorted(hypotheses, key=_key(alpha, 1), reverse=True)


def rs_length_without_end(hypotheses, alpha):
    return sorted(hypotheses, key=_key(alpha, -1), reverse=True)


def rs_rescored_values(hypotheses, alpha):
    return sorted(((tokens, _key(alpha)((tokens, lp))) for tokens, lp in hypotheses),
                  key=lambda h: h[1], reverse=True)


def rs_alpha_ignored(hypotheses, alpha):
    return sorted(hypotheses, key=_key(1.0), reverse=True)


def rs_no_penalty(hypotheses, alpha):
    return sorted(hypotheses, key=lambda h: h[1], reverse=True)


def rs_in_place(hypotheses, alpha):
    hypotheses.sort(key=_key(alpha), reverse=True)
    return hypotheses


def rs_in_place_returning_none(hypotheses, alpha):
    return hypotheses.sort(key=_key(alpha), reverse=True)


def rs_ties_reversed(hypotheses, alpha):
    return sorted(hypotheses, key=_key(alpha))[::-1]


def rs_ties_by_tokens(hypotheses, alpha):
    return sorted(hypotheses, key=lambda h: (-_key(alpha)(h), h[0]))


def rs_only_tokens(hypotheses, alpha):
    return [tokens for tokens, _ in rescore(hypotheses, alpha)]


def rs_best_only(hypotheses, alpha):
    return rescore(hypotheses, alpha)[:1]


# --- 9.3 three ways to reverse a sum -----------------------------------------------------------

def reversals(question, answer):
    a, b = question.split("+")
    return {"whole": (question[::-1], answer), "operands": (a[::-1] + "+" + b[::-1], answer),
            "target": (question, answer[::-1])}


def rv_lists(question, answer):
    return {key: list(pair) for key, pair in reversals(question, answer).items()}


def rv_operands_swapped(question, answer):
    return {**reversals(question, answer), "operands": (question[::-1], answer)}


def rv_target_reverses_the_question_too(question, answer):
    return {**reversals(question, answer), "target": (question[::-1], answer[::-1])}


def rv_whole_reverses_the_answer_too(question, answer):
    return {**reversals(question, answer), "whole": (question[::-1], answer[::-1])}


def rv_operands_swapped_in_place(question, answer):
    a, b = question.split("+")
    return {**reversals(question, answer), "operands": (b + "+" + a, answer)}


def rv_tuple(question, answer):
    return tuple(reversals(question, answer).values())


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_dot_attention, dot_attention),
    (ex.check_dot_attention, dot_attention_loop),
    (ex.check_dot_attention, dot_attention_large_negative),
    (ex.check_dot_attention, dot_attention_mask_after_exp),
    (ex.check_length_penalty, rescore),
    (ex.check_length_penalty, rescore_argsort),
    (ex.check_length_penalty, rescore_loop),
    (ex.check_reversals, reversals),
    (ex.check_reversals, rv_lists),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


WRONG = [
    (ex.check_dot_attention, att_mask_ignored, "you ignored the mask"),
    (ex.check_dot_attention, att_mask_zero_score, "a score of 0"),
    (ex.check_dot_attention, att_mask_after_softmax, "after the softmax without renormalising"),
    (ex.check_dot_attention, att_softmax_axis_0, "softmax over the wrong axis"),
    (ex.check_dot_attention, att_no_keepdims, "without keepdims=True"),
    (ex.check_dot_attention, att_unstable, "not numerically stable"),
    (ex.check_dot_attention, att_returns_scores, "those are the scores, not the weights"),
    (ex.check_dot_attention, att_unnormalised, "not normalised"),
    (ex.check_dot_attention, att_transposed_weights, "your weights are transposed"),
    (ex.check_dot_attention, att_keys_summed, "plain sum (or mean) of the keys"),
    (ex.check_dot_attention, att_weights_wrong_orientation, "along the wrong axis of keys"),
    (ex.check_dot_attention, att_context_from_scores, "context from the scores"),
    (ex.check_dot_attention, att_in_place, "changed its input keys"),
    (ex.check_dot_attention, att_mask_none_as_false, "with mask=None every position is real"),
    (ex.check_dot_attention, att_mask_minus_100, "not exactly 0"),
    (ex.check_dot_attention, att_swapped, "wrong order"),
    (ex.check_dot_attention, att_weights_only, "return a pair (context, weights)"),
    (ex.check_dot_attention, att_context_not_summed, "did not sum them over"),
    (ex.check_length_penalty, rs_multiply, "multiplied the log-probs"),
    (ex.check_length_penalty, rs_worst_first, "sorted worst first"),
    (ex.check_length_penalty, rs_worst_first_argsort, "sorted worst first"),
    (ex.check_length_penalty, rs_length_plus_one, "off by one"),
    (ex.check_length_penalty, rs_length_without_end, "off by one"),
    (ex.check_length_penalty, rs_rescored_values, "returned the rescored values"),
    (ex.check_length_penalty, rs_alpha_ignored, "you ignored alpha"),
    (ex.check_length_penalty, rs_no_penalty, "plain log-prob order"),
    (ex.check_length_penalty, rs_in_place, "changed its input list"),
    (ex.check_length_penalty, rs_in_place_returning_none, "list.sort() sorts the list in place"),
    (ex.check_length_penalty, rs_ties_reversed, "except among ties"),
    (ex.check_length_penalty, rs_ties_by_tokens, "except among ties"),
    (ex.check_length_penalty, rs_only_tokens, "list of pairs (tokens, log_prob)"),
    (ex.check_length_penalty, rs_best_only, "1 of the 6 hypotheses"),
    (ex.check_reversals, rv_operands_swapped, "is the whole string reversed"),
    (ex.check_reversals, rv_target_reverses_the_question_too, "reverses only the answer"),
    (ex.check_reversals, rv_whole_reverses_the_answer_too, "reverses only the source"),
    (ex.check_reversals, rv_operands_swapped_in_place, "expected ('321+54', '168')"),
    (ex.check_reversals, rv_tuple, "return a dict with the keys"),
]


@pytest.mark.parametrize("checker, wrong, reason", WRONG, ids=[w.__name__ for _, w, _ in WRONG])
def test_plausible_wrong_answers_fail_with_a_hint_that_names_the_problem(checker, wrong, reason,
                                                                          verdict):
    with np.errstate(all="ignore"):                 # the unstable attempts overflow, on purpose
        result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out
    assert reason in out and "raised" not in out, out


@pytest.mark.parametrize("checker", [ex.check_dot_attention, ex.check_length_penalty,
                                     ex.check_reversals])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


def test_dot_attention_reference_on_a_small_example():
    query = np.array([[1.0, 0.0]])
    keys = np.array([[[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]]])
    context, weights = ex._dot_attention(query, keys, np.array([[True, True, False]]))
    e = np.e / (np.e + 1)
    np.testing.assert_allclose(weights, [[e, 1 - e, 0.0]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(context, [[e, 1 - e]], rtol=0, atol=1e-15)
    assert weights[0, 2] == 0.0


def test_attention_cases_overflow_a_plain_exp_and_leave_every_row_a_real_position():
    for query, keys, mask, what in ex._attention_cases(np.random.default_rng(91)):
        scores = np.einsum("nsh,nh->ns", keys, query)
        if "near 1000" in what:
            assert np.all(np.abs(scores - 1000) < 20)
            with np.errstate(over="ignore"):
                assert np.isinf(np.exp(scores)).any()
        if mask is not None:
            assert mask.dtype == bool and mask.any(axis=1).all() and not mask.all()


def test_dot_attention_reference_weights_are_a_masked_distribution():
    rng = np.random.default_rng(3)
    query, keys = rng.normal(size=(2, 3)), rng.normal(size=(2, 4, 3))
    mask = np.array([[True, True, False, True], [True, False, False, False]])
    context, weights = ex._dot_attention(query, keys, mask)
    assert np.all(weights[~mask] == 0) and np.allclose(weights.sum(axis=1), 1)
    np.testing.assert_allclose(weights[1], [1, 0, 0, 0], rtol=0, atol=0)
    np.testing.assert_allclose(context[1], keys[1, 0], rtol=0, atol=1e-15)


def test_length_penalty_reference_on_the_notebook_example():
    hypotheses = [([4, 2], -1.2), ([4, 7, 9, 2], -1.5)]
    assert ex._rescore_order(hypotheses, 1.0) == [1, 0]       # -1.5 / 1.5 > -1.2 / (7 / 6)
    assert ex._rescore_order(hypotheses, 0.0) == [0, 1]       # alpha = 0: plain log-probs


def test_length_penalty_reference_keeps_ties_in_input_order():
    hypotheses = [([9, 2], -1.0), ([3, 2], -1.0), ([5, 5, 2], -1.0)]
    assert ex._rescore_order(hypotheses, 0.0) == [0, 1, 2]
    assert ex._rescore_order(hypotheses, 1.0) == [2, 0, 1]


def test_length_penalty_on_a_real_beam():
    """rescore works on what cu.beam_search returns."""
    rng = np.random.default_rng(5)
    table = np.log(rng.dirichlet(np.ones(5), size=5))

    def step(state, token):
        return table[token], state

    beam = cu.beam_search(step, None, start=1, end=2, beam_width=4, max_length=6)
    order = ex._rescore_order(beam, 0.0)
    assert order == list(range(len(beam)))                     # alpha = 0: beam_search's order
    assert sorted(ex._rescore_order(beam, 1.0)) == list(range(len(beam)))
