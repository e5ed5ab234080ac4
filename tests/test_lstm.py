"""The from-scratch LSTM against keras.layers.LSTM, its gradients, and its input checks."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import (check_gradients, lstm_backward, lstm_forward, lstm_param_count,
                          lstm_step)


def keras_lstm(units, x, seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True,
                              bias_initializer=keras.initializers.RandomNormal(seed=seed), **kwargs)
    hs, h_last, c_last = layer(x)
    return layer, hs.numpy(), h_last.numpy(), c_last.numpy()


def test_forward_matches_keras_lstm():
    x = np.random.default_rng(0).normal(size=(3, 7, 4)).astype(np.float32)
    layer, keras_hs, h_last, c_last = keras_lstm(5, x)
    hs, cs = lstm_forward(x, None, None, *layer.get_weights())
    assert hs.shape == cs.shape == (3, 7, 5)
    np.testing.assert_allclose(hs, keras_hs, atol=1e-6)
    np.testing.assert_allclose(hs[:, -1], h_last, atol=1e-6)
    np.testing.assert_allclose(cs[:, -1], c_last, atol=1e-6)


def test_forward_matches_keras_with_initial_state():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    h0, c0 = rng.normal(size=(2, 2, 4)).astype(np.float32)
    keras.utils.set_random_seed(1)
    layer = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    keras_hs, _, c_last = layer(x, initial_state=[h0, c0])
    hs, cs = lstm_forward(x, h0, c0, *layer.get_weights())
    np.testing.assert_allclose(hs, keras_hs.numpy(), atol=1e-6)
    np.testing.assert_allclose(cs[:, -1], c_last.numpy(), atol=1e-6)


def test_unit_forget_bias_sets_the_forget_slice_to_one():
    x = np.random.default_rng(2).normal(size=(2, 6, 3)).astype(np.float32)
    units = 4
    layer = keras.layers.LSTM(units, return_sequences=True)  # unit_forget_bias=True by default
    keras_hs = layer(x).numpy()
    bias = layer.get_weights()[2]
    np.testing.assert_array_equal(bias[units:2 * units], np.ones(units))   # f
    np.testing.assert_array_equal(bias[:units], np.zeros(units))           # i
    np.testing.assert_array_equal(bias[2 * units:], np.zeros(2 * units))   # c, o
    np.testing.assert_allclose(lstm_forward(x, None, None, *layer.get_weights())[0], keras_hs,
                               atol=1e-6)
    # with a random bias initializer the forget slice is still exactly one, the rest is random
    layer, keras_hs, _, _ = keras_lstm(units, x, seed=3, unit_forget_bias=True)
    bias = layer.get_weights()[2]
    np.testing.assert_array_equal(bias[units:2 * units], np.ones(units))
    assert np.all(bias[:units] != 0.0)
    np.testing.assert_allclose(lstm_forward(x, None, None, *layer.get_weights())[0], keras_hs,
                               atol=1e-6)
    # and without it the bias initializer fills all four slices
    off = keras.layers.LSTM(units, unit_forget_bias=False)
    off.build((None, None, 3))
    np.testing.assert_array_equal(off.get_weights()[2], np.zeros(4 * units))


def test_step_is_one_column_of_forward():
    rng = np.random.default_rng(4)
    x, h0, c0 = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5)), rng.normal(size=(2, 5))
    w = rng.normal(size=(4, 20)), rng.normal(size=(5, 20)) * 0.3, rng.normal(size=20)
    hs, cs = lstm_forward(x, h0, c0, *w)
    h, c = h0, c0
    for t in range(3):
        h, c = lstm_step(x[:, t], h, c, *w)
        np.testing.assert_allclose(hs[:, t], h, rtol=0, atol=0)
        np.testing.assert_allclose(cs[:, t], c, rtol=0, atol=0)


def test_param_count_formula_matches_keras():
    for d, h in [(1, 1), (2, 8), (10, 32)]:
        layer = keras.layers.LSTM(h)
        layer.build((None, None, d))
        assert lstm_param_count(d, h) == layer.count_params() == 4 * (h * (d + h) + h)


def _random_problem(seed):
    rng = np.random.default_rng(seed)
    p = {"x": rng.normal(size=(2, 6, 3)), "h0": rng.normal(size=(2, 4)) * 0.5,
         "c0": rng.normal(size=(2, 4)) * 0.5,
         "kernel": rng.normal(size=(3, 16)) * 0.5, "recurrent_kernel": rng.normal(size=(4, 16)) * 0.5,
         "bias": rng.normal(size=16) * 0.1}
    return p, rng.normal(size=(2, 6, 4))


def test_backward_passes_gradient_check():
    p, target = _random_problem(5)

    def loss():
        hs, _ = lstm_forward(p["x"], p["h0"], p["c0"], p["kernel"], p["recurrent_kernel"], p["bias"])
        return 0.5 * np.sum((hs - target) ** 2)

    hs, cs = lstm_forward(p["x"], p["h0"], p["c0"], p["kernel"], p["recurrent_kernel"], p["bias"])
    grads = lstm_backward(hs - target, p["x"], p["h0"], p["c0"], hs, cs,
                          p["kernel"], p["recurrent_kernel"], p["bias"])
    assert set(grads) == set(p)
    for name in p:
        assert grads[name].shape == p[name].shape, name
    errors = check_gradients(loss, p, grads)
    assert max(errors.values()) < 1e-7, errors


def test_backward_matches_gradient_tape():
    """Same gradients as TensorFlow's autodiff through keras.layers.LSTM (float64)."""
    p, target = _random_problem(6)
    layer = keras.layers.LSTM(4, return_sequences=True, dtype="float64")
    layer.build((None, None, 3))
    layer.set_weights([p["kernel"], p["recurrent_kernel"], p["bias"]])
    x, h0, c0 = (tf.Variable(p[k]) for k in ("x", "h0", "c0"))
    with tf.GradientTape() as tape:
        hs = layer(x, initial_state=[h0, c0])
        loss = 0.5 * tf.reduce_sum((hs - target) ** 2)
    tape_grads = tape.gradient(loss, [x, h0, c0] + layer.trainable_weights)
    hs, cs = lstm_forward(p["x"], p["h0"], p["c0"], p["kernel"], p["recurrent_kernel"], p["bias"])
    ours = lstm_backward(hs - target, p["x"], p["h0"], p["c0"], hs, cs,
                         p["kernel"], p["recurrent_kernel"], p["bias"])
    for name, g in zip(["x", "h0", "c0", "kernel", "recurrent_kernel", "bias"], tape_grads):
        np.testing.assert_allclose(ours[name], g.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


def test_backward_detects_a_wrong_gradient():
    """The check is not vacuous: a forget-gate gradient off by 1 % fails it."""
    p, target = _random_problem(7)
    q = {"bias": p["bias"]}

    def loss():
        return np.sum(lstm_forward(p["x"], p["h0"], p["c0"], p["kernel"], p["recurrent_kernel"],
                                   q["bias"])[0])

    hs, cs = lstm_forward(p["x"], p["h0"], p["c0"], p["kernel"], p["recurrent_kernel"], p["bias"])
    good = lstm_backward(np.ones_like(hs), p["x"], p["h0"], p["c0"], hs, cs,
                         p["kernel"], p["recurrent_kernel"], p["bias"])["bias"]
    bad = good.copy()
    bad[4:8] *= 1.01
    assert check_gradients(loss, q, {"bias": good})["bias"] < 1e-7
    assert check_gradients(loss, q, {"bias": bad})["bias"] > 1e-4


def test_none_states_mean_zeros():
    rng = np.random.default_rng(8)
    x, w = rng.normal(size=(2, 4, 3)), (rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8))
    zeros = np.zeros((2, 2))
    hs, cs = lstm_forward(x, None, None, *w)
    hs0, cs0 = lstm_forward(x, zeros, zeros, *w)
    np.testing.assert_array_equal(hs, hs0)
    np.testing.assert_array_equal(cs, cs0)
    g = lstm_backward(np.ones_like(hs), x, None, None, hs, cs, *w)
    g0 = lstm_backward(np.ones_like(hs), x, zeros, zeros, hs, cs, *w)
    for name in g:
        np.testing.assert_array_equal(g[name], g0[name])


GOOD = dict(x=np.zeros((2, 3, 4)), h0=np.zeros((2, 5)), c0=np.zeros((2, 5)),
            kernel=np.zeros((4, 20)), recurrent_kernel=np.zeros((5, 20)), bias=np.zeros(20))


@pytest.mark.parametrize("args, message", [
    (dict(x=np.zeros((2, 3))), "x: expected 3 dimensions with shape (N, T, D)"),
    (dict(h0=np.zeros((2, 7))), "h0: expected shape (N, H) = (2, 5), got (2, 7)"),
    (dict(c0=np.zeros((3, 5))), "c0: expected shape (N, H) = (2, 5), got (3, 5)"),
    (dict(kernel=np.zeros((4, 5))), "kernel: expected shape (D, 4H) = (4, 20), got (4, 5)"),
    (dict(kernel=np.zeros((3, 20))), "x: expected shape (N, T, D) = (2, 3, 3), got (2, 3, 4)"),
    (dict(recurrent_kernel=np.zeros((5, 5))), "recurrent_kernel: expected shape (H, 4H) with 4H = 4 * H"),
    (dict(bias=np.zeros(5)), "bias: expected shape (4H,) = (20,), got (5,)"),
    (dict(bias=np.zeros((2, 20))), "bias: expected 1 dimensions with shape (4H,)"),
    (dict(x=np.zeros((2, 3, 4), dtype=bool)), "x: expected a real-valued float array, got dtype bool"),
    (dict(c0=np.array([["a"]])), "c0: expected a real-valued float array"),
])
def test_bad_inputs_raise_clear_errors(args, message):
    good = dict(GOOD)
    good.update(args)
    with pytest.raises(ValueError) as err:
        lstm_forward(**good)
    assert message in str(err.value)


def test_backward_checks_its_inputs():
    hs = cs = np.zeros((2, 3, 5))
    with pytest.raises(ValueError, match=r"cs: expected shape \(N, T, H\) = \(2, 3, 5\), got \(2, 4, 5\)"):
        lstm_backward(hs, GOOD["x"], None, None, hs, np.zeros((2, 4, 5)),
                      GOOD["kernel"], GOOD["recurrent_kernel"], GOOD["bias"])
    with pytest.raises(ValueError, match=r"dhs: expected shape \(N, T, H\) = \(2, 3, 5\), got \(2, 3, 4\)"):
        lstm_backward(np.zeros((2, 3, 4)), GOOD["x"], None, None, hs, cs,
                      GOOD["kernel"], GOOD["recurrent_kernel"], GOOD["bias"])


def test_step_names_its_own_arguments():
    w = GOOD["kernel"], GOOD["recurrent_kernel"], GOOD["bias"]
    with pytest.raises(ValueError, match=r"x_t: expected shape \(N, D\) = \(2, 4\), got \(2, 3\)"):
        lstm_step(np.zeros((2, 3)), np.zeros((2, 5)), np.zeros((2, 5)), *w)
    with pytest.raises(ValueError, match=r"c_prev: expected shape \(N, H\) = \(2, 5\), got \(2, 6\)"):
        lstm_step(np.zeros((2, 4)), np.zeros((2, 5)), np.zeros((2, 6)), *w)


def test_integer_inputs_are_accepted_as_float():
    # all-zero weights: every gate is sigmoid(0) = 0.5, the candidate tanh(0) = 0
    hs, cs = lstm_forward(np.ones((1, 2, 1), dtype=int), None, None,
                          np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4))
    np.testing.assert_array_equal(cs, np.zeros((1, 2, 1)))
    np.testing.assert_array_equal(hs, np.zeros((1, 2, 1)))
