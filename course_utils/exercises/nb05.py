"""Checkers for the exercises of notebook 05 (LSTM).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
from itertools import permutations

import numpy as np

from course_utils.exercises.checking import assert_close, check


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _same(got, want):
    return np.shape(got) == np.shape(want) and bool(np.allclose(got, want, rtol=1e-9, atol=1e-12))


def _two_states(got, shape):
    """The learner's (h_t, c_t) as float arrays, after checking it is a pair of (N, H) arrays."""
    assert isinstance(got, (tuple, list)) and len(got) == 2, (
        f"return the pair (h_t, c_t); you returned "
        + (f"{len(got)} values." if isinstance(got, (tuple, list)) else
           f"one value of type {type(got).__name__}."))
    h_t, c_t = (np.asarray(a, dtype=np.float64) for a in got)
    for name, a in (("h_t", h_t), ("c_t", c_t)):
        assert a.shape == shape, f"{name} has shape {a.shape}, expected {shape}."
    return h_t, c_t


def _compare_states(got, want, mistakes):
    """Pass if (h_t, c_t) equals `want`; else name the first mistake it equals, if any."""
    h_t, c_t = got
    if _same(h_t, want[0]) and _same(c_t, want[1]):
        return
    if _same(h_t, want[1]) and _same(c_t, want[0]):
        raise AssertionError("you returned (c_t, h_t); return (h_t, c_t), the hidden state first.")
    for (h_wrong, c_wrong), message in mistakes:
        if _same(h_t, h_wrong) and _same(c_t, c_wrong):
            raise AssertionError(message)
    assert_close(c_t, want[1], "c_t")
    assert_close(h_t, want[0], "h_t")


# --- Exercise 5.1 ------------------------------------------------------------------------

def _peephole_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes,
                   rows=(0, 1, 2), output_sees_new=True, peep=True, tanh_out=True):
    """The peephole LSTM step, and (through the keywords) its typical mistakes."""
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    p_i, p_f, p_o = (peepholes[r] * peep for r in rows)
    i = _sigmoid(z[:, :H] + c_prev * p_i)
    f = _sigmoid(z[:, H:2 * H] + c_prev * p_f)
    c_t = f * c_prev + i * np.tanh(z[:, 2 * H:3 * H])
    o = _sigmoid(z[:, 3 * H:] + (c_t if output_sees_new else c_prev) * p_o)
    return o * (np.tanh(c_t) if tanh_out else c_t), c_t


def check_peephole_lstm_step(peephole_lstm_step):
    """Exercise 5.1: peephole_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias,
    peepholes) -> (h_t, c_t), the gates i and f peeking at c_{t-1}, the gate o at c_t."""
    def test(fn):
        rng = np.random.default_rng(51)
        n, d, h = 4, 3, 5
        for _ in range(2):
            args = (rng.normal(size=(n, d)), rng.normal(size=(n, h)), 2 * rng.normal(size=(n, h)),
                    rng.normal(size=(d, 4 * h)), 0.5 * rng.normal(size=(h, 4 * h)),
                    rng.normal(size=4 * h), 1.5 * rng.normal(size=(3, h)))
            got = _two_states(fn(*(np.array(a) for a in args)), (n, h))
            mistakes = [
                (_peephole_step(*args, peep=False),
                 "that is the plain LSTM step: the peepholes are not used. Add c * p inside the "
                 "sigmoids of the input, forget and output gates."),
                (_peephole_step(*args, output_sees_new=False),
                 "the output gate peeks at the old cell state c_{t-1}; it reads the new one, c_t, "
                 "so compute c_t before o."),
                (_peephole_step(*args, tanh_out=False),
                 "h_t = o * c_t is missing the tanh: h_t = o * tanh(c_t)."),
            ]
            mistakes += [(_peephole_step(*args, rows=rows),
                          f"the peephole rows are used in the wrong order (as p_i, p_f, p_o = "
                          f"peepholes[{rows[0]}], peepholes[{rows[1]}], peepholes[{rows[2]}]); "
                          f"they are p_i, p_f, p_o in that order.")
                         for rows in permutations(range(3)) if rows != (0, 1, 2)]
            _compare_states(got, _peephole_step(*args), mistakes)

    return check("Exercise 5.1", peephole_lstm_step, test,
                 "start from section 3's lstm_step: the peepholes add one term inside three of the gates' "
                 "sigmoids. Mind which cell state each gate can see when it is computed.",
                 "p_i, p_f, p_o = peepholes; i = sigmoid(z_i + c_prev * p_i), f = sigmoid(z_f + c_prev "
                 "* p_f); c_t = f * c_prev + i * tanh(z_c); only then o = sigmoid(z_o + c_t * p_o) "
                 "and h_t = o * tanh(c_t).")


# --- Exercise 5.2 ------------------------------------------------------------------------

def _cifg_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias,
               order=(0, 1, 2), coupled=True, first_is_input=False, tanh_out=True):
    """The coupled input-forget gate step (blocks f, c, o), and its typical mistakes."""
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_f, z_c, z_o = (z[:, k * H:(k + 1) * H] for k in order)
    gate = _sigmoid(z_f)
    f, i = (1 - gate, gate) if first_is_input else (gate, 1 - gate if coupled else gate)
    c_t = f * c_prev + i * np.tanh(z_c)
    o = _sigmoid(z_o)
    return o * (np.tanh(c_t) if tanh_out else c_t), c_t


def check_cifg_lstm_step(cifg_lstm_step):
    """Exercise 5.2: cifg_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)
    -> (h_t, c_t), three blocks f, c, o and the input gate i = 1 - f."""
    def test(fn):
        rng = np.random.default_rng(52)
        n, d, h = 4, 3, 5
        for _ in range(2):
            args = (rng.normal(size=(n, d)), rng.normal(size=(n, h)), 2 * rng.normal(size=(n, h)),
                    rng.normal(size=(d, 3 * h)), 0.5 * rng.normal(size=(h, 3 * h)),
                    rng.normal(size=3 * h))
            got = _two_states(fn(*(np.array(a) for a in args)), (n, h))
            names = "fco"
            mistakes = [
                (_cifg_step(*args, coupled=False),
                 "you used i = f: then the gate that keeps the old contents also writes the new "
                 "ones. The coupled input gate is i = 1 - f."),
                (_cifg_step(*args, first_is_input=True),
                 "you read the first block as the input gate i (and f = 1 - i); the three blocks "
                 "are f, c, o, so the first is the forget gate and i = 1 - f."),
                (_cifg_step(*args, tanh_out=False),
                 "h_t = o * c_t is missing the tanh: h_t = o * tanh(c_t)."),
            ]
            mistakes += [(_cifg_step(*args, order=order),
                          f"the blocks are in the wrong order: you used block {order[0]} as f, "
                          f"{order[1]} as the candidate and {order[2]} as o; the order is "
                          f"{', '.join(names)}.")
                         for order in permutations(range(3)) if order != (0, 1, 2)]
            _compare_states(got, _cifg_step(*args), mistakes)

    return check("Exercise 5.2", cifg_lstm_step, test,
                 "the weights now hold three H-wide blocks, not four; one gate is gone, and the forget "
                 "gate decides what takes its place.",
                 "H = h_prev.shape[1]; z = x_t @ kernel + h_prev @ recurrent_kernel + bias; "
                 "f = sigmoid(z[:, :H]), c_tilde = tanh(z[:, H:2*H]), o = sigmoid(z[:, 2*H:]); "
                 "c_t = f * c_prev + (1 - f) * c_tilde; h_t = o * tanh(c_t).")


# --- Exercise 5.3 ------------------------------------------------------------------------

def check_belt_gradient_by_lag(belt_gradient_by_lag):
    """Exercise 5.3: belt_gradient_by_lag(f) -> entry k = f_T f_{T-1} ... f_{T-k+1}, entry 0 = 1."""
    def test(fn):
        rng = np.random.default_rng(53)
        with_zero = rng.uniform(0.3, 1.0, size=9)
        with_zero[3] = 0.0                                     # a forget gate that clears the cell
        for f in [np.full(6, 0.5), rng.uniform(0.2, 1.0, size=8), rng.uniform(0.5, 1.0, size=12),
                  with_zero]:
            T = len(f)
            back = np.cumprod(f[::-1])                         # f_T, f_T f_{T-1}, ...
            want = np.concatenate([[1.0], back[:-1]])
            what = f"For f = {np.round(f, 2).tolist()}"
            got = np.asarray(fn(f.copy()), dtype=np.float64)
            assert got.shape == (T,), (
                f"{what}: you returned shape {got.shape}, expected ({T},): one entry per lag "
                f"k = 0 .. {T - 1}, lag 0 included.")
            if _same(got, want):
                continue
            assert not _same(got, back), (
                f"{what}: off by one. Entry k includes f_{{T-k}}, one gate too many: c_{{T-k}} "
                f"reaches c_T through f_{{T-k+1}} ... f_T only, and entry 0 (lag 0) is 1.")
            assert not (_same(got, np.concatenate([[1.0], np.cumprod(f)[:-1]]))
                        or _same(got, np.cumprod(f))), (
                f"{what}: you multiplied from the start of the sequence (f_1, f_1 f_2, ...); "
                f"lag k counts back from the end: f_T, f_T f_{{T-1}}, ...")
            assert not _same(got, want[::-1]), (
                f"{what}: your entries run in time order; entry k is lag k, and entry 0 (c_T "
                f"itself) is 1.")
            sums = np.cumsum(f[::-1])
            assert not (_same(got[1:], sums[:-1]) or _same(got[1:], sums[1:])), (
                f"{what}: you added the forget gates; along the belt the gradient is multiplied "
                f"by each f, so the factors multiply.")
            assert_close(got, want, what, atol=1e-9)

    return check("Exercise 5.3", belt_gradient_by_lag, test,
                 "write c_T in terms of c_{T-1}, then of c_{T-2}, following the belt only: what "
                 "multiplies c_{T-k}?",
                 "entry k is f[T-k] * ... * f[T-1] (f[t] is f_{t+1}): reverse f, take np.cumprod, "
                 "put 1.0 in front for lag 0 and drop the last product.")
