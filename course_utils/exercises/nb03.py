"""Checkers for the exercises of notebook 03 (backpropagation through time).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import assert_close, check
from course_utils.rnn import rnn_backward, rnn_forward


def _step_backward_case(rng, n=3, d=4, h=5):
    """One random tanh step (D != H, so a transposed matrix shows up as a shape error)."""
    x_t, h_prev = rng.normal(size=(n, d)), rng.normal(size=(n, h))
    kernel, recurrent_kernel = rng.normal(size=(d, h)) * 0.5, rng.normal(size=(h, h)) * 0.5
    h_t = np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + rng.normal(size=h) * 0.1)
    return rng.normal(size=(n, h)), x_t, h_prev, h_t, kernel, recurrent_kernel


def check_rnn_step_backward(rnn_step_backward):
    """Exercise 3.1: rnn_step_backward(dh, x_t, h_prev, h_t, kernel, recurrent_kernel) -> dict."""
    def test(fn):
        rng = np.random.default_rng(31)
        for _ in range(3):
            dh, x_t, h_prev, h_t, kernel, recurrent_kernel = _step_backward_case(rng)
            got = fn(dh, x_t.copy(), h_prev.copy(), h_t.copy(), kernel.copy(), recurrent_kernel.copy())
            assert isinstance(got, dict), f"return a dict of gradients, got {type(got).__name__}."
            da = dh * (1.0 - h_t ** 2)
            want = {"x_t": da @ kernel.T, "h_prev": da @ recurrent_kernel.T, "kernel": x_t.T @ da,
                    "recurrent_kernel": h_prev.T @ da, "bias": da.sum(axis=0)}
            missing = sorted(set(want) - set(got))
            assert not missing, f"the dict lacks the key(s) {missing}."
            for name in want:
                assert_close(got[name], want[name], f"the gradient for {name!r}", atol=1e-9)

    return check("Exercise 3.1", rnn_step_backward, test,
                 "go backwards through the two operations of the step: first the tanh, then the linear map a = x_t W_x + h_prev W_h + b. The chain rule gives one line per gradient.",
                 "go back through tanh first: da = dh * (1 - h_t**2) (h_t is already tanh of a). "
                 "a = x_t @ kernel + h_prev @ recurrent_kernel + bias is linear, so each gradient "
                 "is da times the other factor: x_t.T @ da, da @ kernel.T, ...; the bias gradient "
                 "sums da over the batch.")


def check_clip_by_global_norm(clip_by_global_norm):
    """Exercise 3.2: clip_by_global_norm(grads, max_norm) -> a new dict, rescaled if too long."""
    def test(fn):
        grads = {"a": np.array([3.0, 4.0]), "b": np.array([[12.0]])}   # global norm 13
        before = {k: v.copy() for k, v in grads.items()}
        for max_norm, scale in [(6.5, 0.5), (26.0, 1.0), (13.0, 1.0), (1.0, 1 / 13)]:
            got = fn(grads, max_norm)
            assert isinstance(got, dict) and set(got) == set(grads), (
                f"return a dict with the same keys {sorted(grads)}.")
            assert all(np.array_equal(grads[k], before[k]) for k in grads), (
                "your function changed the arrays it was given; return new arrays instead.")
            for name in grads:
                assert_close(got[name], before[name] * scale,
                       f"with max_norm={max_norm}, the clipped {name!r}", atol=1e-12)
        rng = np.random.default_rng(32)
        big = {"kernel": rng.normal(size=(4, 5)) * 10, "bias": rng.normal(size=5)}
        total = np.sqrt(sum(np.sum(v ** 2) for v in big.values()))
        got = fn(big, 1.0)
        norm = np.sqrt(sum(np.sum(np.asarray(v) ** 2) for v in got.values()))
        assert np.isclose(norm, 1.0), f"after clipping to 1.0 the global norm is {norm:.4f}, not 1."
        for name in big:
            assert_close(got[name], big[name] / total, f"the clipped {name!r}", atol=1e-12)

    return check("Exercise 3.2", clip_by_global_norm, test,
                 "compute one number for all the arrays together first; whether and how much to scale follows from comparing it with max_norm.",
                 "the global norm is sqrt of the sum of squares of ALL entries of ALL arrays; "
                 "when it exceeds max_norm, multiply every array by the same max_norm / norm "
                 "(one scale for all, so the direction is kept), else return copies unchanged.")


def check_truncated_bptt(truncated_bptt):
    """Exercise 3.3: truncated_bptt(dhs, x, h0, kernel, recurrent_kernel, bias, k) -> dict."""

    def reference(dhs, x, h0, kernel, recurrent_kernel, bias, k):
        hs = rnn_forward(x, h0, kernel, recurrent_kernel, bias)
        total = {"kernel": 0.0, "recurrent_kernel": 0.0, "bias": 0.0}
        for start in range(0, x.shape[1], k):
            h_in = h0 if start == 0 else hs[:, start - 1]
            part = slice(start, start + k)
            g = rnn_backward(dhs[:, part], x[:, part], h_in, hs[:, part],
                             kernel, recurrent_kernel, bias)
            for name in total:
                total[name] = total[name] + g[name]
        return total

    def test(fn):
        rng = np.random.default_rng(33)
        n, steps, d, h = 2, 11, 3, 4
        x, h0 = rng.normal(size=(n, steps, d)), rng.normal(size=(n, h)) * 0.5
        kernel, recurrent_kernel = rng.normal(size=(d, h)) * 0.5, rng.normal(size=(h, h)) * 0.6
        bias, dhs = rng.normal(size=h) * 0.1, rng.normal(size=(n, steps, h))
        for k in (1, 4, 5, steps):
            got = fn(dhs.copy(), x.copy(), h0.copy(), kernel.copy(), recurrent_kernel.copy(),
                     bias.copy(), k)
            assert isinstance(got, dict), f"return a dict of gradients, got {type(got).__name__}."
            want = reference(dhs, x, h0, kernel, recurrent_kernel, bias, k)
            missing = sorted(set(want) - set(got))
            assert not missing, f"the dict lacks the key(s) {missing}."
            for name in want:
                assert_close(got[name], want[name], f"with k={k}, the gradient for {name!r}", atol=1e-9)

    return check("Exercise 3.3", truncated_bptt, test,
                 "the forward pass is not truncated, only the backward pass is. Which function from this notebook computes the gradient of one chunk, and what state enters each chunk?",
                 "run the forward pass ONCE over the whole sequence (the state is carried, never "
                 "reset); then for each chunk of k steps call rnn_backward on that chunk alone, "
                 "with the state that entered it (h0 or hs[:, start - 1]) as its h0, and add up "
                 "the three weight gradients. The last chunk may be shorter than k.")
