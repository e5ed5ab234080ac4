"""The from-scratch simple RNN against keras.layers.SimpleRNN, and its input checks."""
import keras
import numpy as np
import pytest

from course_utils import (check_gradients, rnn_backward, rnn_forward, rnn_param_count,
                          rnn_step)


def keras_simple_rnn(units, x, seed=0):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.SimpleRNN(units, return_sequences=True,
                                   bias_initializer=keras.initializers.RandomNormal(seed=seed))
    out = layer(x).numpy()
    return layer, out


def test_forward_matches_keras_simple_rnn():
    x = np.random.default_rng(0).normal(size=(3, 7, 4)).astype(np.float32)
    layer, keras_out = keras_simple_rnn(5, x)
    ours = rnn_forward(x, None, *layer.get_weights())
    assert ours.shape == (3, 7, 5)
    np.testing.assert_allclose(ours, keras_out, atol=1e-6)


def test_forward_matches_keras_with_initial_state():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    h0 = rng.normal(size=(2, 4)).astype(np.float32)
    layer = keras.layers.SimpleRNN(4, return_sequences=True)
    keras_out = layer(x, initial_state=h0).numpy()
    np.testing.assert_allclose(rnn_forward(x, h0, *layer.get_weights()), keras_out, atol=1e-6)


def test_step_is_one_column_of_forward():
    rng = np.random.default_rng(2)
    x, h0 = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5))
    w = rng.normal(size=(4, 5)), rng.normal(size=(5, 5)) * 0.3, rng.normal(size=5)
    hs = rnn_forward(x, h0, *w)
    h = h0
    for t in range(3):
        h = rnn_step(x[:, t], h, *w)
        np.testing.assert_allclose(hs[:, t], h, rtol=0, atol=0)


def test_param_count_formula_matches_keras():
    for d, h in [(1, 1), (3, 8), (10, 32)]:
        layer = keras.layers.SimpleRNN(h)
        layer.build((None, None, d))
        assert rnn_param_count(d, h) == layer.count_params()


def test_backward_passes_gradient_check():
    rng = np.random.default_rng(3)
    p = {"x": rng.normal(size=(2, 6, 3)), "h0": rng.normal(size=(2, 4)) * 0.5,
         "kernel": rng.normal(size=(3, 4)) * 0.5, "recurrent_kernel": rng.normal(size=(4, 4)) * 0.5,
         "bias": rng.normal(size=4) * 0.1}
    target = rng.normal(size=(2, 6, 4))

    def loss():
        hs = rnn_forward(p["x"], p["h0"], p["kernel"], p["recurrent_kernel"], p["bias"])
        return 0.5 * np.sum((hs - target) ** 2)

    hs = rnn_forward(p["x"], p["h0"], p["kernel"], p["recurrent_kernel"], p["bias"])
    grads = rnn_backward(hs - target, p["x"], p["h0"], hs, p["kernel"], p["recurrent_kernel"], p["bias"])
    errors = check_gradients(loss, p, grads)
    assert max(errors.values()) < 1e-7, errors


def test_backward_detects_a_wrong_gradient():
    """The check is not vacuous: a gradient that skips the tanh derivative fails it."""
    rng = np.random.default_rng(4)
    p = {"kernel": rng.normal(size=(3, 4))}
    x, h0 = rng.normal(size=(2, 4, 3)), np.zeros((2, 4))
    rk, b = rng.normal(size=(4, 4)) * 0.5, np.zeros(4)

    def loss():
        return np.sum(rnn_forward(x, h0, p["kernel"], rk, b))

    hs = rnn_forward(x, h0, p["kernel"], rk, b)
    good = rnn_backward(np.ones_like(hs), x, h0, hs, p["kernel"], rk, b)["kernel"]
    assert check_gradients(loss, p, {"kernel": good})["kernel"] < 1e-7
    assert check_gradients(loss, p, {"kernel": good * 1.01})["kernel"] > 1e-3


@pytest.mark.parametrize("args, message", [
    (dict(x=np.zeros((2, 3))), "x: expected 3 dimensions with shape (N, T, D)"),
    (dict(h0=np.zeros((2, 7))), "h0: expected shape (N, H) = (2, 5), got (2, 7)"),
    (dict(kernel=np.zeros((4, 6))), "recurrent_kernel: expected shape (H, H) = (6, 6), got (5, 5)"),
    (dict(bias=np.zeros((1, 5))), "bias: expected 1 dimensions with shape (H,)"),
    (dict(x=np.zeros((2, 3, 4), dtype=bool)), "x: expected a real-valued float array, got dtype bool"),
    (dict(x=np.array([["a"]])), "x: expected a real-valued float array"),
])
def test_bad_inputs_raise_clear_errors(args, message):
    good = dict(x=np.zeros((2, 3, 4)), h0=np.zeros((2, 5)), kernel=np.zeros((4, 5)),
                recurrent_kernel=np.zeros((5, 5)), bias=np.zeros(5))
    good.update(args)
    with pytest.raises(ValueError) as err:
        rnn_forward(**good)
    assert message in str(err.value)


def test_step_names_its_own_arguments():
    with pytest.raises(ValueError, match=r"x_t: expected shape \(N, D\) = \(2, 4\), got \(2, 3\)"):
        rnn_step(np.zeros((2, 3)), np.zeros((2, 5)), np.zeros((4, 5)), np.zeros((5, 5)), np.zeros(5))


def test_integer_inputs_are_accepted_as_float():
    hs = rnn_forward(np.ones((1, 2, 1), dtype=int), None, np.ones((1, 1)), np.zeros((1, 1)), np.zeros(1))
    np.testing.assert_allclose(hs[0, :, 0], np.tanh([1.0, 1.0]))
