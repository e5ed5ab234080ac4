"""Checkers for the exercises of notebook 09 (encoder-decoder, beam search, attention).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import copy

import numpy as np

from course_utils.exercises.checking import assert_close, check, made_mistake


def _softmax(scores, axis=1):
    """Softmax along `axis`, -inf scores giving weight 0 (NaN where a whole slice is -inf)."""
    with np.errstate(all="ignore"):
        e = np.exp(scores - scores.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)


def _dot_attention(query, keys, mask=None):
    """Luong's dot-product attention for one decoder step: (context (N, H), weights (N, S))."""
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = _softmax(scores)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def _wrong_weights(query, keys, mask):
    """{mistake: [the weights (N, S) that each way of making it computes]}."""
    scores = np.einsum("nsh,nh->ns", keys, query)
    real = np.ones(scores.shape, bool) if mask is None else mask
    masked = np.where(real, scores, -np.inf)
    with np.errstate(all="ignore"):
        wrong = {
            "mask_ignored": [_softmax(scores)],
            "mask_zero_score": [_softmax(scores * real)],           # scores * mask: exp(0) = 1
            "mask_after": [_softmax(scores) * real],
            "wrong_axis": [_softmax(masked, axis=0), _softmax(scores, axis=0) * real,
                           _softmax(scores, axis=0)],
            "scores": [scores, masked, scores * real],
            "unnormalised": [np.exp(masked - masked.max(axis=1, keepdims=True)),
                             np.exp(masked), np.exp(scores - scores.max(axis=1, keepdims=True)),
                             np.exp(scores)],
        }
        if scores.shape[0] == scores.shape[1]:      # e / e.sum(axis=1) without keepdims: N == S
            wrong["keepdims"] = [e / e.sum(axis=1) for e in (
                np.exp(masked - masked.max(axis=1, keepdims=True)), np.exp(masked))]
            wrong["transposed"] = [_softmax(masked).T]
    return wrong


def _wrong_contexts(query, keys, mask, weights):
    """{mistake: [the contexts (N, H) that each way of making it computes]} for right weights."""
    real = np.ones(weights.shape, bool) if mask is None else mask
    scores = np.einsum("nsh,nh->ns", keys, query)
    wrong = {
        "unweighted": [keys.sum(axis=1), keys.mean(axis=1), (keys * real[:, :, None]).sum(axis=1),
                       (keys * real[:, :, None]).sum(axis=1) / real.sum(axis=1, keepdims=True)],
        "from_scores": [np.einsum("ns,nsh->nh", scores * real, keys)],
    }
    if keys.shape[1] == keys.shape[2]:              # S == H: the weights fit along either axis
        wrong["orientation"] = [(weights[:, None, :] * keys).sum(axis=1),
                                (keys @ weights[:, :, None])[:, :, 0],
                                np.einsum("ns,nsh->ns", weights, keys)]
    return wrong


def _attention_cases(rng):
    """(query, keys, mask, what): no mask, first with N == S == H, where a wrong axis or a
    missing keepdims still broadcasts, then not; post-padding, scattered masks with S == H and
    N == S, and scores near 1000, where a plain np.exp overflows."""
    cases = []
    for n, s, h, mask, large in (
            (4, 4, 4, None, False),
            (3, 5, 4, None, False),
            (4, 6, 3, [6, 2, 4, 1], False),
            (3, 4, 4, [[1, 0, 1, 1], [0, 1, 0, 0], [1, 1, 1, 0]], False),
            (4, 4, 2, [[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 1, 1]], False),
            (3, 5, 4, [5, 3, 2], True),
            (2, 3, 4, None, True)):
        query, keys = rng.normal(size=(n, h)), rng.normal(size=(n, s, h))
        if large:           # every score 1000 + a few: keys along the query, plus noise
            scale = 1000.0 / np.sum(query ** 2, axis=1)
            keys = 0.5 * keys + scale[:, None, None] * query[:, None, :]
        if mask is not None:
            mask = np.asarray(mask)
            if mask.ndim == 1:                      # lengths: post-padded sequences
                mask = np.arange(s)[None, :] < mask[:, None]
            mask = mask.astype(bool)
        what = f"N={n}, S={s}, H={h}, " + ("mask=None" if mask is None else "with a mask")
        cases.append((query, keys, mask, what + (", scores near 1000" if large else "")))
    return cases


def check_dot_attention(dot_attention):
    """Exercise 9.1: dot_attention(query (N, H), keys (N, S, H), mask=None) -> (context (N, H),
    weights (N, S)): Luong's dot-product score keys[n, s] . query[n], a softmax over s in which
    positions where mask is False get weight exactly 0, and context = the weighted sum of keys;
    numerically stable, the inputs unchanged."""
    def test(fn):
        rng = np.random.default_rng(91)
        for query, keys, mask, what in _attention_cases(rng):
            n, s, h = keys.shape
            where = f"({what})"
            inputs = [query, keys] + ([] if mask is None else [mask])
            before = [a.copy() for a in inputs]
            got = fn(*inputs)
            for name, a, b in zip(("query", "keys", "mask"), inputs, before):
                assert np.array_equal(a, b), (
                    f"your function changed its input {name} {where}: the caller still needs "
                    f"it (the decoder attends to the same keys at every step). Compute new "
                    f"arrays instead of writing into {name}.")
            want_context, want_weights = _dot_attention(query, keys, mask)
            if not (isinstance(got, (tuple, list)) and len(got) == 2):
                kind = ("None" if got is None else f"a {type(got).__name__} of {len(got)} things"
                        if isinstance(got, (tuple, list)) else f"one {type(got).__name__}")
                raise AssertionError(f"you returned {kind} {where}; return a pair "
                                     f"(context, weights): return context, weights.")
            context = np.asarray(got[0], dtype=float)
            weights = np.asarray(got[1], dtype=float)
            swapped = (context.shape == (n, s) and weights.shape == (n, h) and (
                s != h or (np.allclose(context, want_weights, atol=1e-8)
                           and np.allclose(weights, want_context, atol=1e-8))))
            if swapped:
                raise AssertionError(
                    f"the pair is in the wrong order {where}: you returned (weights, context). "
                    f"Return context (N, H) = {(n, h)} first, then weights (N, S) = {(n, s)}.")
            if weights.shape == (s, n) and s != n:
                raise AssertionError(
                    f"weights has shape {weights.shape}, expected (N, S) = {(n, s)} {where}: "
                    f"it is transposed. Row n holds query n's weights over its S source positions.")
            assert weights.shape == (n, s), (
                f"weights has shape {weights.shape}, expected (N, S) = {(n, s)} {where}: one "
                f"weight per source position s, for each of the N queries.")
            if context.shape == (n, s, h):
                raise AssertionError(
                    f"context has shape {context.shape}, expected (N, H) = {(n, h)} {where}: "
                    f"you weighted the keys but did not sum them over the source positions s.")
            assert context.shape == (n, h), (
                f"context has shape {context.shape}, expected (N, H) = {(n, h)} {where}: one "
                f"weighted sum of the keys, of size H, for each of the N queries.")

            if not np.allclose(weights, want_weights, atol=1e-8):
                wrong = _wrong_weights(query, keys, mask)

                def matches(mistake):
                    return any(made_mistake(weights, want_weights, w, atol=1e-8)
                               for w in wrong.get(mistake, []))

                assert not matches("mask_ignored"), (
                    f"you ignored the mask {where}: the masked-out positions (mask False, "
                    f"padding) got weight too. They must get weight exactly 0 and the real "
                    f"positions share all of it.")
                assert not matches("mask_zero_score"), (
                    f"you gave the masked-out positions a score of 0 {where} (scores * mask?): "
                    f"exp(0) = 1, so they still get weight. Their score must be -inf, so that "
                    f"exp gives exactly 0.")
                assert not matches("mask_after"), (
                    f"you applied the mask after the softmax without renormalising {where}: the "
                    f"masked positions are 0, but the real positions' weights no longer sum to 1. "
                    f"Mask the scores before the softmax (or divide by the new row sums).")
                assert not matches("wrong_axis"), (
                    f"you took the softmax over the wrong axis {where}: your weights sum to 1 "
                    f"down each column (over the N queries). Each query's weights must sum to 1 "
                    f"over its S source positions: axis=1.")
                assert not matches("keepdims"), (
                    f"you divided by the row sums without keepdims=True {where}: e / "
                    f"e.sum(axis=1) divides column s by row s's sum (it only fits because N == S "
                    f"here). Use e.sum(axis=1, keepdims=True), shape (N, 1).")
                assert not matches("transposed"), (
                    f"your weights are transposed {where}: row n must hold query n's weights "
                    f"over its S source positions (the shape only fits because N == S here).")
                assert not matches("scores"), (
                    f"those are the scores, not the weights {where}: turn each row of scores "
                    f"into weights with a softmax over the source positions.")
                assert not matches("unnormalised"), (
                    f"your weights are not normalised {where}: you took exp of the scores but "
                    f"did not divide by each row's sum, so the rows do not sum to 1.")
                if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(context))):
                    if "near 1000" in what:
                        raise AssertionError(
                            f"your result contains NaN or inf {where}: not numerically stable. "
                            f"np.exp(1000) overflows to inf, and inf / inf is NaN. Softmax does "
                            f"not change if you subtract the same number from a row's scores: "
                            f"subtract each row's max before np.exp.")
                    raise AssertionError(
                        f"your result contains NaN or inf {where}"
                        + (": with mask=None every position is real (np.where(None, ...) "
                           "treats None as False, masking out everything)."
                           if mask is None else
                           ": every row has at least one real position, so no row should "
                           "divide 0 by 0."))
                assert_close(weights, want_weights, f"weights {where}", atol=1e-8)
            if mask is not None and np.any(weights[~mask] != 0):
                largest = np.max(np.abs(weights[~mask]))
                raise AssertionError(
                    f"the masked-out positions get weights up to {largest:.3g} {where}, "
                    f"not exactly 0: a large negative score like -100 still leaves "
                    f"exp(-100) > 0. Use -np.inf (exp(-inf) = 0), e.g. "
                    f"np.where(mask, scores, -np.inf).")

            if not np.allclose(context, want_context, atol=1e-8):
                wrong = _wrong_contexts(query, keys, mask, want_weights)

                def matches(mistake):
                    return any(made_mistake(context, want_context, c, atol=1e-8)
                               for c in wrong.get(mistake, []))

                assert not matches("unweighted"), (
                    f"the weights are right, but the context is the plain sum (or mean) of the "
                    f"keys {where}: weight each key by its attention weight, "
                    f"context[n] = sum_s weights[n, s] * keys[n, s].")
                assert not matches("orientation"), (
                    f"the weights are right, but you multiplied them along the wrong axis of "
                    f"keys {where}; the shapes only fit because S == H here. weights[n, s] "
                    f"scales the whole key keys[n, s, :]: use weights[:, :, None] * keys and sum "
                    f"over axis 1, or np.einsum('ns,nsh->nh', weights, keys).")
                assert not matches("from_scores"), (
                    f"the weights are right, but you built the context from the scores {where}: "
                    f"weight the keys by the softmax weights, not by the raw scores.")
                assert_close(context, want_context, f"context {where}", atol=1e-8)

    return check("Exercise 9.1", dot_attention, test,
                 "start with the scores, an (N, S) array: for each query n and source position s, the dot product of keys[n, s] with query[n]. Then make each row a set of weights that sum to 1, with the masked-out positions left out, and use them to average the keys.",
                 "scores = np.einsum('nsh,nh->ns', keys, query); if mask is not None: scores = "
                 "np.where(mask, scores, -np.inf); e = np.exp(scores - scores.max(axis=1, "
                 "keepdims=True)); weights = e / e.sum(axis=1, keepdims=True); context = "
                 "np.einsum('ns,nsh->nh', weights, keys); return context, weights. Do not "
                 "write into query, keys or mask.")


def _length_penalty(tokens, alpha, offset=0):
    """GNMT's lp = ((5 + |Y|) / 6) ** alpha, |Y| every token (offset: a wrong length)."""
    return ((5 + len(tokens) + offset) / 6) ** alpha


def _rescore_order(hypotheses, alpha, mistake=None):
    """The indices of the hypotheses, best first by log_prob / lp (stable); or the order a named
    mistake gives."""
    offset = {"length_plus": 1, "length_minus": -1}.get(mistake, 0)
    alpha = {"no_penalty": 0.0, "alpha_one": 1.0}.get(mistake, alpha)

    def key(i):
        tokens, log_prob = hypotheses[i]
        if mistake == "multiply":
            return log_prob * _length_penalty(tokens, alpha)
        return log_prob / _length_penalty(tokens, alpha, offset)

    order = sorted(range(len(hypotheses)), key=key, reverse=mistake != "worst_first")
    return order[::-1] if mistake == "reversed" else order


def _rescore_cases():
    """(hypotheses, alpha): </s> = 2 ends a finished hypothesis; tokens differ between
    hypotheses; the ties (same length and log_prob) come with the larger tokens first."""
    beam = [([5, 9, 2], -2.20), ([7, 2], -1.90), ([3, 4, 8, 6, 11, 2], -3.30),
            ([4, 4, 6, 2], -2.75), ([8, 3, 3, 7, 2], -2.95), ([6], -1.95)]
    tied = [([9, 4, 2], -2.10), ([3, 3, 7, 5, 2], -2.80), ([4, 8, 2], -2.10),
            ([5, 2], -1.70), ([6, 6, 6, 6, 6, 6, 6, 2], -3.60), ([3, 9, 2], -2.10)]
    plain = [([8, 2], -1.50), ([5, 6, 7, 2], -1.50), ([9, 3, 2], -0.90),
             ([4, 4, 4, 4, 4, 2], -2.40)]
    return [(beam, 0.6), (beam, 1.0), (tied, 1.5), (plain, 0.0), (beam, 2.0)]


def check_length_penalty(rescore):
    """Exercise 9.2: rescore(hypotheses, alpha) -> a new list of the (tokens, log_prob) pairs,
    each unchanged, best first by log_prob / ((5 + len(tokens)) / 6) ** alpha (GNMT's length
    penalty), ties in input order; the input list unchanged."""
    def test(fn):
        for hypotheses, alpha in _rescore_cases():
            hypotheses = copy.deepcopy(hypotheses)
            before = copy.deepcopy(hypotheses)
            got = fn(hypotheses, alpha)
            changed = hypotheses != before
            where = f"(alpha={alpha}, {len(hypotheses)} hypotheses)"
            if got is None:
                raise AssertionError(
                    f"you returned None {where}"
                    + (": list.sort() sorts the list in place and returns None"
                       if changed else "")
                    + ". Return a NEW sorted list: sorted(...) returns one.")
            assert not changed, (
                f"your function changed its input list {where}: the caller still needs the "
                f"hypotheses as beam search returned them. Use sorted(...), which returns a new "
                f"list, not list.sort(), which sorts in place.")
            assert got is not hypotheses, (
                f"you returned the input list itself {where}: return a new list, e.g. from "
                f"sorted(...).")
            got = list(got)
            assert all(isinstance(h, (tuple, list)) and len(h) == 2 for h in got), (
                f"return a list of pairs (tokens, log_prob) like the input {where}; you "
                f"returned {got!r}.")
            assert len(got) == len(hypotheses), (
                f"you returned {len(got)} of the {len(hypotheses)} hypotheses {where}: return "
                f"all of them, reordered.")
            index = {tuple(tokens): i for i, (tokens, _) in enumerate(hypotheses)}
            unknown = [list(tokens) for tokens, _ in got if tuple(tokens) not in index]
            assert not unknown, (
                f"you returned tokens {unknown[0]} {where}, which are not one of the "
                f"hypotheses: return each (tokens, log_prob) pair as it came, only reordered.")
            order = [index[tuple(tokens)] for tokens, _ in got]
            want = _rescore_order(hypotheses, alpha)
            if order != want:
                def matches(mistake):
                    wrong = _rescore_order(hypotheses, alpha, mistake)
                    return wrong != want and order == wrong

                assert not matches("multiply"), (
                    f"you multiplied the log-probs by the length penalty {where}: log-probs are "
                    f"negative, so that makes long hypotheses worse still. Divide, "
                    f"log_prob / lp: lp >= 1 grows with the length and pulls long ones up.")
                assert not (matches("worst_first") or matches("reversed")), (
                    f"your list is sorted worst first {where}: the highest (least negative) "
                    f"rescored value comes first. Sort with reverse=True (or by minus it).")
                assert not (matches("length_plus") or matches("length_minus")), (
                    f"the length is off by one {where}: len(tokens) counts every token in the "
                    f"list, the end token included, so lp = ((5 + len(tokens)) / 6) ** alpha.")
                assert not matches("no_penalty"), (
                    f"that is the plain log-prob order {where}: you did not apply the length "
                    f"penalty. Sort by log_prob / ((5 + len(tokens)) / 6) ** alpha.")
                assert not matches("alpha_one"), (
                    f"you ignored alpha {where}: your order is the one for alpha = 1. Raise "
                    f"(5 + len(tokens)) / 6 to the power alpha.")
                keys = [hypotheses[i][1] / _length_penalty(hypotheses[i][0], alpha) for i in want]
                if [hypotheses[i][1] / _length_penalty(hypotheses[i][0], alpha)
                        for i in order] == keys:
                    raise AssertionError(
                        f"the order is right except among ties {where}: hypotheses with equal "
                        f"rescored values must keep their input order. Python's sorted() is "
                        f"stable (also with reverse=True); reversing an ascending sort, or "
                        f"breaking ties by the tokens, is not.")
                raise AssertionError(
                    f"your order is {order}, expected {want} {where} (positions in the input "
                    f"list).")
            log_probs = [float(lp) for _, lp in got]
            original = [hypotheses[i][1] for i in want]
            if not np.allclose(log_probs, original, rtol=0, atol=1e-12):
                rescored = [lp / _length_penalty(hypotheses[i][0], alpha)
                            for i, lp in zip(want, original)]
                assert not made_mistake(log_probs, original, rescored, atol=1e-9), (
                    f"the order is right, but you returned the rescored values {where}: return "
                    f"each hypothesis's original log_prob; the length penalty only decides the "
                    f"order.")
                assert_close(log_probs, original, f"the log-probs {where}", atol=1e-12)

    return check("Exercise 9.2", rescore, test,
                 "write the length penalty lp(tokens) = ((5 + len(tokens)) / 6) ** alpha first and compute log_prob / lp for one hypothesis. Which built-in sorts a list into a new one by a key, keeping ties in their order?",
                 "return sorted(hypotheses, key=lambda h: h[1] / ((5 + len(h[0])) / 6) ** "
                 "alpha, reverse=True): the highest rescored value first, each (tokens, "
                 "log_prob) pair unchanged. sorted() is stable and leaves the input list alone.")


_REVERSAL_CASES = [("123+45", "168"), ("7+5", "12"), ("999+1", "1000"), ("40+306", "346")]


def _reversals(question, answer):
    a, b = question.split("+")
    return {"whole": (question[::-1], answer), "operands": (f"{a[::-1]}+{b[::-1]}", answer),
            "target": (question, answer[::-1])}


def check_reversals(reversals):
    """Exercise 9.3: reversals(question, answer) -> {"whole", "operands", "target"}: each a
    (source, target) pair of strings."""
    def test(fn):
        for question, answer in _REVERSAL_CASES:
            got, want = fn(question, answer), _reversals(question, answer)
            where = f"for {question!r} -> {answer!r}"
            assert isinstance(got, dict) and set(got) == set(want), (
                f"return a dict with the keys 'whole', 'operands' and 'target' {where}; you "
                f"returned {got!r}.")
            for key, (source, target) in want.items():
                pair = got[key]
                assert isinstance(pair, (tuple, list)) and len(pair) == 2, (
                    f"{key!r} must be a pair (source, target) {where}; you returned {pair!r}.")
                s, t = pair
                assert not (key == "operands" and s == question[::-1]), (
                    f"your 'operands' source {s!r} {where} is the whole string reversed: the "
                    f"operands must stay in their order, each one's digits reversed.")
                assert not (key == "target" and s != question), (
                    f"'target' reverses only the answer {where}: its source is the question as "
                    f"written, {question!r}, not {s!r}.")
                assert not (key != "target" and t != answer), (
                    f"{key!r} reverses only the source {where}: its target is the answer as "
                    f"written, {answer!r}, not {t!r}.")
                assert (s, t) == (source, target), (
                    f"{key!r} is {(s, t)!r} {where}, expected {(source, target)!r}.")

    return check("Exercise 9.3", reversals, test,
                 "split the question at '+' with question.split('+'); a string reversed is "
                 "text[::-1].",
                 "'whole' is (question[::-1], answer); 'operands' reverses each operand in "
                 "place, a[::-1] + '+' + b[::-1]; 'target' is (question, answer[::-1]).")
