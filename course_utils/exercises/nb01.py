"""Checkers for the exercises of notebook 01 (the simple RNN).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import assert_close, check
from course_utils.rnn import rnn_forward, rnn_param_count


def check_stacked_rnn_params(stacked_rnn_params):
    """Exercise 1.1: stacked_rnn_params(input_dim, units) -> parameters of stacked SimpleRNNs."""
    def test(fn):
        for input_dim, units in [(1, [8]), (3, [32, 16]), (5, [4, 4, 4]), (10, [2, 64, 7])]:
            want, features = 0, input_dim
            for h in units:
                want += rnn_param_count(features, h)
                features = h
            got = fn(input_dim, list(units))
            assert got == want, f"stacked_rnn_params({input_dim}, {units}) = {got}, expected {want}."

    return check("Exercise 1.1", stacked_rnn_params, test,
                 "write the parameter count of one SimpleRNN layer first; then ask what the 'input features' of the second layer are.",
                 "each layer has H*D + H*H + H parameters, and D of layer 2 is H of layer 1 "
                 "(it reads the states below it, not the original input).")


def check_simple_rnn_in_numpy(simple_rnn_in_numpy):
    """Exercise 1.2: simple_rnn_in_numpy(layer, x) == layer(x) for a SimpleRNN, in NumPy."""
    def test(fn):
        import keras  # only this checker needs Keras

        rng = np.random.default_rng(12)
        n, steps, d, h = 4, 6, 3, 5
        layer = keras.layers.SimpleRNN(h)
        layer.build((None, None, d))
        layer.set_weights([rng.normal(size=(d, h)).astype(np.float32),
                           (0.5 * rng.normal(size=(h, h))).astype(np.float32),
                           rng.normal(size=h).astype(np.float32)])
        x = rng.normal(size=(n, steps, d)).astype(np.float32)
        got = fn(layer, x.copy())
        assert not hasattr(got, "numpy"), (
            "you returned a tensor: compute with NumPy from layer.get_weights(), not layer(x).")
        assert_close(got, keras.ops.convert_to_numpy(layer(x)), "your output", atol=1e-5)

    return check("Exercise 1.2", simple_rnn_in_numpy, test,
                 "the layer holds three arrays; section 3's rnn_step shows what to do with them at each time step, starting from a zero state.",
                 "layer.get_weights() gives [kernel, recurrent_kernel, bias]; start from a "
                 "zero state of shape (N, H), apply the update once per time step, return the "
                 "last state.")


def check_sum_sign_weights(sum_sign_weights):
    """Exercise 1.3: hand-set 1-unit RNN weights whose final state has the sign of the sum."""
    def test(fn):
        kernel, recurrent_kernel, bias = (np.asarray(w, dtype=np.float64) for w in fn())
        for name, w, shape in [("kernel", kernel, (1, 1)),
                               ("recurrent_kernel", recurrent_kernel, (1, 1)), ("bias", bias, (1,))]:
            assert w.shape == shape, f"{name} has shape {w.shape}, expected {shape}."
        rng = np.random.default_rng(13)
        for length in (20, 100):
            x = rng.normal(size=(2000, length, 1))
            h_last = rnn_forward(x, None, kernel, recurrent_kernel, bias)[:, -1, 0]
            acc = np.mean(np.sign(h_last) == np.sign(x.sum(axis=(1, 2))))
            assert acc >= 0.98, (f"on length-{length} sequences the final state has the sign of "
                                 f"the sum for {acc:.1%} of them; 98% are needed.")

    return check("Exercise 1.3", sum_sign_weights, test,
                 "a running total means h_t ≈ h_{t-1} + x_t. Which values of the three weights make the update look like that, and what does tanh do to it?",
                 "to keep a running total the state must carry all of its old value into the "
                 "next step, and tanh(u) is close to u only while u stays small.")
