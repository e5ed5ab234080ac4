"""Checkers for the exercises of notebook 05 (LSTM).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `course_utils/exercises.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises import assert_close, check
from course_utils.lstm import GATES, lstm_param_count, lstm_step


def check_split_lstm_kernel(split_lstm_kernel):
    """Exercise 5.1: split_lstm_kernel(w) -> {"i", "f", "c", "o"}, the four H-wide gate blocks."""
    def test(fn):
        units = 3
        for shape in [(2, 4 * units), (units, 4 * units), (4 * units,)]:
            # block k holds values 10 * (k + 1) + column, so a misplaced block is recognisable
            block = (10.0 * (np.arange(4 * units) // units + 1) + np.arange(4 * units) % units)
            w = np.broadcast_to(block, shape) + (np.arange(shape[0])[:, None] / 100.0
                                                  if len(shape) == 2 else 0.0)
            got = fn(np.array(w))
            assert isinstance(got, dict), f"you returned a {type(got).__name__}, expected a dict."
            assert sorted(got) == sorted(GATES), (
                f"the dict has keys {sorted(got)}, expected {sorted(GATES)}.")
            what = "the kernel" if len(shape) == 2 and shape[0] == 2 else (
                "the recurrent kernel" if len(shape) == 2 else "the bias")
            for k, gate in enumerate(GATES):
                part = np.asarray(got[gate])
                want = w[..., k * units:(k + 1) * units]
                assert part.shape == want.shape, (
                    f"For {what} of shape {shape}, gate '{gate}' has shape {part.shape}, "
                    f"expected {want.shape}.")
                if not np.array_equal(part, want):
                    found = [g for j, g in enumerate(GATES)
                             if np.array_equal(part, w[..., j * units:(j + 1) * units])]
                    where = (f" it holds the '{found[0]}' block" if found else
                             " it is not one contiguous block of H columns")
                    raise AssertionError(f"For {what}, gate '{gate}' is wrong:{where}.")

    return check("Exercise 5.1", split_lstm_kernel, test,
                 "the kernel's last axis holds the four gates side by side; section 2 gives Keras' order of the blocks.",
                 "the last axis has 4H columns: i is w[..., :H], f is w[..., H:2H], c the next "
                 "H, o the last H (Keras' order i, f, c, o).")


def check_lstm_params(lstm_params):
    """Exercise 5.2: lstm_params(input_dim, units) -> trainable parameters of LSTM(units)."""
    def test(fn):
        for d, h in [(1, 1), (2, 32), (3, 8), (28, 128), (100, 7)]:
            got, want = fn(d, h), lstm_param_count(d, h)
            if got == 4 * h * (d + h):
                raise AssertionError(f"lstm_params({d}, {h}) = {got}: the {4 * h} biases are missing.")
            if got == h * (d + h) + h:
                raise AssertionError(f"lstm_params({d}, {h}) = {got}: that is one gate's worth.")
            if got == 4 * h * (d + h) + h:
                raise AssertionError(f"lstm_params({d}, {h}) = {got}: every gate has its own "
                                     f"{h} biases, {4 * h} in all.")
            assert got == want, f"lstm_params({d}, {h}) = {got}, expected {want}."

    return check("Exercise 5.2", lstm_params, test,
                 "an LSTM is four SimpleRNN-like dense maps sharing their input [x_t, h_{t-1}]; count one, then multiply.",
                 "each of the four gates is a dense layer on [x_t, h_{t-1}] with its own bias: "
                 "H*D + H*H + H parameters, times four.")


def check_cell_state_update(cell_state_update):
    """Exercise 5.3: cell_state_update(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias) -> c_t."""
    def test(fn):
        rng = np.random.default_rng(53)
        n, d, h = 4, 3, 5
        args = (rng.normal(size=(n, d)), rng.normal(size=(n, h)), rng.normal(size=(n, h)) * 2,
                rng.normal(size=(d, 4 * h)), rng.normal(size=(h, 4 * h)), rng.normal(size=4 * h))
        h_t, c_t = lstm_step(*args)
        got = np.asarray(fn(*(np.array(a) for a in args)))
        if got.shape == c_t.shape and np.allclose(got, h_t):
            raise AssertionError("you returned h_t = o * tanh(c_t); the exercise asks for c_t itself.")
        assert_close(got, c_t, "c_t")

    return check("Exercise 5.3", cell_state_update, test,
                 "compute the four pre-activations with one product, split them, apply each gate's nonlinearity, then combine with the previous cell state.",
                 "z = x_t @ kernel + h_prev @ recurrent_kernel + bias; split it into i, f, c, o "
                 "blocks; i and f go through the sigmoid, the candidate through tanh; "
                 "c_t = f * c_prev + i * candidate.")
