"""Checkers for the exercises of notebook 06 (GRU).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `course_utils/exercises.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises import assert_close, check
from course_utils.gru import gru_forward, gru_param_count, gru_step
from course_utils.synthetic import adding_problem


def check_gru_params(gru_params):
    """Exercise 6.1: gru_params(input_dim, units, reset_after) -> trainable parameters of GRU."""
    def test(fn):
        for d, h in [(1, 1), (2, 18), (3, 8), (28, 128), (100, 7)]:
            for reset_after in (True, False):
                got, want = fn(d, h, reset_after), gru_param_count(d, h, reset_after)
                call = f"gru_params({d}, {h}, reset_after={reset_after})"
                if got == want:
                    continue
                if got == 4 * h * (d + h + 1):
                    raise AssertionError(f"{call} = {got}: that is an LSTM's count (four blocks); "
                                         "a GRU has three.")
                if reset_after and got == gru_param_count(d, h, False):
                    raise AssertionError(f"{call} = {got}: with reset_after=True the recurrent "
                                         f"part has its own {3 * h} biases (bias shape (2, 3H)).")
                if not reset_after and got == gru_param_count(d, h, True):
                    raise AssertionError(f"{call} = {got}: with reset_after=False there is one "
                                         f"bias vector of shape (3H,), {3 * h} numbers.")
                raise AssertionError(f"{call} = {got}, expected {want}.")

    return check("Exercise 6.1", gru_params, test,
                 "count the weights of one GRU block (input kernel, recurrent kernel, bias), multiply by the number of blocks, then look at what reset_after adds.",
                 "three blocks (z, r, h), each with an input kernel D x H, a recurrent kernel "
                 "H x H and H biases; reset_after=True adds a second bias of 3H.")


def check_gru_step_reset_before(gru_step_reset_before):
    """Exercise 6.2: gru_step_reset_before(x_t, h_prev, kernel, recurrent_kernel, bias) -> h_t."""
    def test(fn):
        rng = np.random.default_rng(62)
        n, d, h = 4, 3, 5
        x_t, h_prev = rng.normal(size=(n, d)), rng.normal(size=(n, h))
        kernel, recurrent_kernel = rng.normal(size=(d, 3 * h)), rng.normal(size=(h, 3 * h))
        bias = rng.normal(size=3 * h)
        got = np.asarray(fn(x_t.copy(), h_prev.copy(), kernel.copy(), recurrent_kernel.copy(),
                            bias.copy()))
        want = gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=False)
        after = gru_step(x_t, h_prev, kernel, recurrent_kernel, np.stack([bias, 0 * bias]))
        if got.shape == want.shape and np.allclose(got, after):
            raise AssertionError("that is the reset-after formula r * (h_prev @ U_h); here r "
                                 "multiplies h_prev before the product: (r * h_prev) @ U_h.")
        z = 1 / (1 + np.exp(-(x_t @ kernel[:, :h] + h_prev @ recurrent_kernel[:, :h] + bias[:h])))
        candidate = (want - z * h_prev) / (1 - z)
        swapped = (1 - z) * h_prev + z * candidate  # the same candidate, z and 1 - z swapped
        if got.shape == want.shape and np.allclose(got, swapped):
            raise AssertionError("z and 1 - z are swapped: Keras keeps the old state where z = 1, "
                                 "h_t = z * h_prev + (1 - z) * candidate.")
        assert_close(got, want, "h_t")

    return check("Exercise 6.2", gru_step_reset_before, test,
                 "the only difference from Keras' default is where r acts: on h_prev before the recurrent product instead of on the product's result.",
                 "split kernel, recurrent_kernel and bias into z, r, h blocks of H columns; "
                 "z and r are sigmoids of x_t W + h_prev U + b; the candidate is "
                 "tanh(x_t W_h + (r * h_prev) @ U_h + b_h); h_t = z * h_prev + (1 - z) * candidate.")


def check_gru_latch(gru_latch):
    """Exercise 6.3: gru_latch() -> (kernel, recurrent_kernel, bias) of a 1-unit GRU
    (reset_after=True) whose final state is tanh(value at the last marker) on adding-problem
    sequences."""
    def test(fn):
        weights = fn()
        assert isinstance(weights, (tuple, list)) and len(weights) == 3, (
            "return the three arrays (kernel, recurrent_kernel, bias), as layer.get_weights() does.")
        kernel, recurrent_kernel, bias = (np.asarray(w, dtype=float) for w in weights)
        for name, arr, shape in [("kernel", kernel, (2, 3)), ("bias", bias, (2, 3)),
                                 ("recurrent_kernel", recurrent_kernel, (1, 3))]:
            assert arr.shape == shape, f"{name} has shape {arr.shape}, expected {shape} (D=2, H=1)."
        for length in (10, 30):
            x, _ = adding_problem(200, length, seed=63 + length)
            last = x.shape[1] - 1 - np.argmax(x[:, ::-1, 1], axis=1)  # position of the last marker
            want = np.tanh(x[np.arange(len(x)), last, 0])
            got = gru_forward(x.astype(float), None, kernel, recurrent_kernel, bias)[:, -1, 0]
            worst = int(np.argmax(np.abs(got - want)))
            assert np.abs(got - want).max() < 0.05, (
                f"on sequences of length {length}, the final state is off by up to "
                f"{np.abs(got - want).max():.3f} (e.g. {got[worst]:.3f} instead of "
                f"{want[worst]:.3f}); it must be within 0.05 of tanh(last marked value).")

    return check("Exercise 6.3", gru_latch, test,
                 "a latch keeps its state until the marker says 'write'. Which gate decides keep or write, and which sign of weight on the marker makes it switch?",
                 "the update gate should be close to 1 (keep) when the marker is 0 and close "
                 "to 0 (write) when it is 1: a large positive z bias and a larger negative z "
                 "weight on the marker (sigmoid(6) = 0.9975 keeps 99.75 % per step). The "
                 "candidate only needs the value: tanh(1.0 * value).")
