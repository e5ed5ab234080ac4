"""Checkers for the exercises of notebook 08 (bidirectional RNNs).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import assert_close, check, made_mistake
from course_utils.rnn import rnn_forward


def _reverse_padded(x, lengths, mistake=None):
    """Each sequence's real part x[n, :lengths[n]] reversed in time, the padding left in place;
    or a named wrong version of that."""
    x = np.asarray(x)
    if mistake == "whole_row":
        return x[:, ::-1].copy()
    if mistake == "features":
        return x[:, :, ::-1].copy()
    steps = x.shape[1]
    out = x.copy()
    for n, length in enumerate(lengths):
        length = int(lengths[0]) if mistake == "first_length" else int(length)
        if mistake == "short":              # the last real step stays where it is
            length = length - 1
        elif mistake == "long":             # one padded step reversed in with the real ones
            length = min(length + 1, steps)
        if mistake == "shifted":            # x[n, L:0:-1]: step L (padding) in, step 0 out
            idx = np.minimum(np.arange(length, 0, -1), steps - 1)
            out[n, :length] = x[n, idx]
        elif mistake == "real_features":    # the real part's features reversed, not its steps
            out[n, :length] = x[n, :length, ::-1]
        else:
            out[n, :length] = x[n, :length][::-1]
    return out


def _padded_case(rng, n, steps, d, lengths, pad):
    """x (n, steps, d) post-padded to `lengths`, the padding zeros or (pad="random") noise."""
    x = rng.normal(size=(n, steps, d))
    lengths = np.array(lengths)
    padding = np.arange(steps)[None, :] >= lengths[:, None]
    x[padding] = 0.0 if pad == "zeros" else rng.normal(3.0, 1.0, size=(padding.sum(), d))
    return x, lengths, padding


def check_reverse_padded(reverse_padded):
    """Exercise 8.1: reverse_padded(x, lengths) -> a new array of x's shape in which each
    sequence's real steps x[n, :lengths[n]] are reversed in time and the padded steps after
    them are left unchanged; x itself stays unchanged."""
    def test(fn):
        rng = np.random.default_rng(81)
        # no full-length sequence in the first case (x[n, L:0:-1] only fits when L < T), then
        # one with a full-length and a length-1 sequence and padding that is not zero
        for n, steps, d, lengths, pad in (
                (4, 7, 3, [4, 1, 6, 3], "zeros"),
                (3, 6, 2, [2, 6, 1], "random"),
                (2, 5, 4, [5, 3], "zeros")):
            x, lengths, padding = _padded_case(rng, n, steps, d, lengths, pad)
            x_before = x.copy()
            got = fn(x, lengths.copy())
            want = _reverse_padded(x_before, lengths)
            where = f"(N={n}, T={steps}, D={d}, lengths={lengths.tolist()})"
            changed = not np.array_equal(x, x_before)
            if got is None:
                raise AssertionError(
                    f"you returned None {where}"
                    + (", after reversing x in place" if changed else "")
                    + ". Return a NEW array and leave x unchanged: start from x.copy().")
            assert not changed, (
                f"your function changed its input x {where}: the caller still needs x (the "
                f"forward direction reads it as it is). Work on a copy: out = x.copy().")
            got = np.asarray(got)
            assert got.shape == want.shape, (
                f"the result has shape {got.shape}, expected x's shape {want.shape} {where}.")
            if np.array_equal(got, want):
                continue

            def matches(mistake):
                wrong = _reverse_padded(x_before, lengths, mistake)
                return not np.array_equal(wrong, want) and np.array_equal(got, wrong)

            assert not matches("whole_row"), (
                f"you reversed the whole row {where}: that moves the padding to the FRONT, so a "
                f"backward RNN would read the padded steps first. Reverse only the real steps "
                f"x[n, :lengths[n]] of each sequence and leave the padding at the end.")
            assert not (matches("features") or matches("real_features")), (
                f"you reversed the feature axis (axis 2), not time (axis 1) {where}: keep each "
                f"step's features as they are and reverse the order of the steps.")
            assert not matches("first_length"), (
                f"you reversed lengths[0] = {lengths[0]} steps of every sequence {where}: each "
                f"sequence n has its own length lengths[n].")
            assert not matches("short"), (
                f"off by one {where}: you reversed lengths[n] - 1 steps, so each sequence's last "
                f"real step stayed where it was. Reverse all lengths[n] real steps, "
                f"x[n, :lengths[n]][::-1].")
            assert not (matches("long") or matches("shifted")), (
                f"off by one {where}: a padded step (step lengths[n]) went into the reversed part "
                f"and now comes first. Reverse exactly the real steps 0 .. lengths[n] - 1, "
                f"x[n, :lengths[n]][::-1].")
            real = ~padding
            if np.array_equal(got[real], want[real]):
                raise AssertionError(
                    f"the real steps are right, but the padded steps changed {where}: leave them "
                    f"as they are in x (padding is not always zeros).")
            assert_close(got, want, f"the result {where}", atol=1e-12)

    return check("Exercise 8.1", reverse_padded, test,
                 "sequence n is real for steps 0 .. lengths[n] - 1. Which part of each row does a backward RNN read in reverse, and what should happen to the rest?",
                 "out = x.copy(); for n, L in enumerate(lengths): out[n, :L] = x[n, :L][::-1]; "
                 "return out. Only the first L steps of row n are reversed; the padding after "
                 "them stays at the end, and x itself is not changed.")


def _masked_bidirectional(x, lengths, forward, backward, mistake=None):
    """The concat-merged states of a masked Bidirectional on post-padded x, zeros at padded
    steps; or a named wrong version of them."""
    fw = forward(x)
    if mistake == "plain":                  # no mask: the backward RNN reads the padding first
        bw = backward(x[:, ::-1])[:, ::-1]
    elif mistake == "not_rereversed":
        bw = backward(_reverse_padded(x, lengths))
    elif mistake == "rereversed_whole_row":
        bw = backward(_reverse_padded(x, lengths))[:, ::-1]
    else:
        bw = _reverse_padded(backward(_reverse_padded(x, lengths)), lengths)
    out = np.concatenate([bw, fw] if mistake == "swapped" else [fw, bw], axis=-1)
    padding = np.arange(x.shape[1])[None, :] >= np.asarray(lengths)[:, None]
    out[padding] = 0.0
    return out


def _direction(rng, d, h):
    """A SimpleRNN direction x (N, T, D) -> hs (N, T, H) with random float64 weights."""
    weights = (rng.normal(0, 0.6, (d, h)), rng.normal(0, 0.5, (h, h)), rng.normal(0, 0.3, h))
    return lambda x: rnn_forward(x, None, *weights)


def check_masked_bidirectional_forward(masked_bidirectional_forward):
    """Exercise 8.2: masked_bidirectional_forward(x, lengths, forward, backward) -> the
    concat-merged (forward first) states (N, T, H_fw + H_bw) of a masked Bidirectional on
    post-padded x, with zeros at the padded steps."""
    def test(fn):
        rng = np.random.default_rng(82)
        for n, steps, d, h_fw, h_bw, lengths, pad in (
                (4, 6, 3, 4, 4, [6, 1, 3, 4], "zeros"),
                (3, 5, 2, 3, 5, [2, 5, 1], "random"),
                (2, 7, 3, 2, 3, [7, 4], "zeros")):
            x, lengths, padding = _padded_case(rng, n, steps, d, lengths, pad)
            forward, backward = _direction(rng, d, h_fw), _direction(rng, d, h_bw)
            want = _masked_bidirectional(x, lengths, forward, backward)
            got = fn(x.copy(), lengths.copy(), forward, backward)
            where = (f"(N={n}, T={steps}, D={d}, H_fw={h_fw}, H_bw={h_bw}, "
                     f"lengths={lengths.tolist()})")
            if isinstance(got, (list, tuple)):
                raise AssertionError(
                    f"you returned a {type(got).__name__} of {len(got)} arrays {where}; return "
                    f"one array, the two directions concatenated along the last axis, of shape "
                    f"(N, T, H_fw + H_bw) = {want.shape}.")
            got = np.asarray(got, dtype=float)
            assert got.shape == want.shape, (
                f"the result has shape {got.shape}, expected (N, T, H_fw + H_bw) = {want.shape} "
                f"{where}: concatenate the forward and the backward states along the last axis.")
            real = ~padding
            if not np.allclose(got[real], want[real], atol=1e-10):
                def matches(mistake):
                    wrong = _masked_bidirectional(x, lengths, forward, backward, mistake)
                    return made_mistake(got[real], want[real], wrong[real], atol=1e-10)

                assert not matches("plain"), (
                    f"at the real steps, your backward states are those of an unmasked "
                    f"Bidirectional {where}: reversing the whole row puts the padding first, so "
                    f"the backward direction read the padding first and its states at the real "
                    f"steps depend on it. Reverse only the real steps (reverse_padded) before "
                    f"and after the backward RNN.")
                assert not matches("swapped"), (
                    f"the halves are in the wrong order {where}: the backward states came first. "
                    f"Keras' concat puts the forward states first: [forward, backward].")
                assert not matches("not_rereversed"), (
                    f"you forgot to re-reverse the backward states {where}: backward(...)[:, t] "
                    f"belongs to the reversed step, not to step t. Apply reverse_padded to the "
                    f"backward states too, so both halves at t belong to input step t.")
                assert not matches("rereversed_whole_row"), (
                    f"you re-reversed the backward states over the whole row {where}: that moves "
                    f"their padded steps to the front. Re-reverse with reverse_padded, as the "
                    f"input was reversed.")
                h = h_fw
                assert np.allclose(got[..., :h][real], want[..., :h][real], atol=1e-10), (
                    f"the forward half (the first H_fw = {h_fw} features) differs from "
                    f"forward(x) at the real steps {where} by up to "
                    f"{np.max(np.abs(got[..., :h][real] - want[..., :h][real])):.3g}.")
                assert_close(got[..., h:][real], want[..., h:][real],
                             f"the backward half at the real steps {where}", atol=1e-10)
            if not np.array_equal(got[padding], np.zeros_like(got[padding])):
                halves = [name for name, part in (("forward", got[..., :h_fw]),
                                                  ("backward", got[..., h_fw:]))
                          if np.any(part[padding] != 0)]
                raise AssertionError(
                    f"the real steps are right, but the states at the padded steps are not 0 "
                    f"(in the {' and '.join(halves)} half) {where}: a masked Bidirectional "
                    f"outputs zeros there. Set out[n, lengths[n]:] = 0 for every n.")

    return check("Exercise 8.2", masked_bidirectional_forward, test,
                 "the forward direction can read x as it is (padding comes after the real steps). What must the backward direction read first, and how do you line its states up with the input steps again?",
                 "fw = forward(x); bw = reverse_padded(backward(reverse_padded(x, lengths)), "
                 "lengths); out = np.concatenate([fw, bw], axis=-1); then out[n, lengths[n]:] "
                 "= 0 for every n (both halves).")
