"""The from-scratch GRU against keras.layers.GRU (both reset_after settings), and its input checks."""
import keras
import numpy as np
import pytest

from course_utils import (check_gradients, gru_backward, gru_forward, gru_param_count,
                          gru_step)

BOTH = pytest.mark.parametrize("reset_after", [True, False])


def keras_gru(units, x, reset_after, h0=None, seed=0):
    """A GRU layer with random (non-zero) biases, and its output sequence on x."""
    keras.utils.set_random_seed(seed)
    layer = keras.layers.GRU(units, return_sequences=True, reset_after=reset_after,
                             bias_initializer=keras.initializers.RandomNormal(seed=seed))
    out = layer(x) if h0 is None else layer(x, initial_state=h0)
    return layer, np.asarray(out)


@BOTH
def test_forward_matches_keras_gru(reset_after):
    x = np.random.default_rng(0).normal(size=(3, 7, 4)).astype(np.float32)
    layer, keras_out = keras_gru(5, x, reset_after)
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert kernel.shape == (4, 15) and recurrent_kernel.shape == (5, 15)
    assert bias.shape == ((2, 15) if reset_after else (15,))
    ours = gru_forward(x, None, kernel, recurrent_kernel, bias, reset_after=reset_after)
    assert ours.shape == (3, 7, 5)
    np.testing.assert_allclose(ours, keras_out, atol=1e-6)


@BOTH
def test_forward_matches_keras_with_initial_state(reset_after):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    h0 = rng.normal(size=(2, 4)).astype(np.float32)
    layer, keras_out = keras_gru(4, x, reset_after, h0=h0, seed=1)
    ours = gru_forward(x, h0, *layer.get_weights(), reset_after=reset_after)
    np.testing.assert_allclose(ours, keras_out, atol=1e-6)
    # The initial state matters: starting from zeros gives something else.
    assert np.max(np.abs(gru_forward(x, None, *layer.get_weights(), reset_after=reset_after)
                         - keras_out)) > 1e-2


def test_the_two_variants_are_different_functions():
    """Same kernels and the same total bias, yet reset before / after the matmul differ."""
    rng = np.random.default_rng(2)
    x, h0 = rng.normal(size=(4, 6, 3)), rng.normal(size=(4, 5))
    kernel, recurrent_kernel = rng.normal(size=(3, 15)), rng.normal(size=(5, 15)) * 0.5
    bias = rng.normal(size=15) * 0.1
    after = gru_forward(x, h0, kernel, recurrent_kernel, np.stack([bias, np.zeros(15)]))
    before = gru_forward(x, h0, kernel, recurrent_kernel, bias, reset_after=False)
    assert np.max(np.abs(after - before)) > 0.1
    # ... and they agree when the reset gate is fully open (r = 1): push its bias up.
    bias[5:10] = 50.0
    after = gru_forward(x, h0, kernel, recurrent_kernel, np.stack([bias, np.zeros(15)]))
    before = gru_forward(x, h0, kernel, recurrent_kernel, bias, reset_after=False)
    np.testing.assert_allclose(after, before, atol=1e-12)


@BOTH
def test_keras_layers_with_the_same_weights_differ(reset_after):
    """Copy one layer's kernels into the other variant: Keras too gives different outputs."""
    x = np.random.default_rng(3).normal(size=(2, 6, 3)).astype(np.float32)
    layer, out = keras_gru(4, x, reset_after, seed=3)
    kernel, recurrent_kernel, bias = layer.get_weights()
    other = keras.layers.GRU(4, return_sequences=True, reset_after=not reset_after)
    other.build((None, None, 3))
    # reset_after=True -> False: keep the input bias row; False -> True: zero recurrent bias row.
    other_bias = bias[0] if reset_after else np.stack([bias, np.zeros_like(bias)])
    other.set_weights([kernel, recurrent_kernel, other_bias])
    other_out = np.asarray(other(x))
    np.testing.assert_allclose(gru_forward(x, None, kernel, recurrent_kernel, other_bias,
                                           reset_after=not reset_after), other_out, atol=1e-6)
    assert np.max(np.abs(other_out - out)) > 1e-3


@BOTH
def test_step_is_one_column_of_forward(reset_after):
    rng = np.random.default_rng(4)
    x, h0 = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5))
    bias = rng.normal(size=(2, 15) if reset_after else 15)
    w = rng.normal(size=(4, 15)), rng.normal(size=(5, 15)) * 0.3, bias
    hs = gru_forward(x, h0, *w, reset_after=reset_after)
    h = h0
    for t in range(3):
        h = gru_step(x[:, t], h, *w, reset_after=reset_after)
        np.testing.assert_allclose(hs[:, t], h, rtol=0, atol=0)


def test_update_gate_convention_is_keras():
    """z = 1 keeps the previous state (h_t = z h_{t-1} + (1 - z) hh), as in Keras."""
    rng = np.random.default_rng(5)
    h0 = rng.normal(size=(2, 3))
    bias = np.zeros((2, 9))
    bias[0, :3] = 50.0  # z = sigmoid(50) = 1 to float64 precision
    h1 = gru_step(rng.normal(size=(2, 4)), h0, rng.normal(size=(4, 9)), rng.normal(size=(3, 9)), bias)
    np.testing.assert_allclose(h1, h0, atol=1e-12)


@BOTH
def test_param_count_formula_matches_keras(reset_after):
    for d, h in [(1, 1), (2, 8), (10, 32)]:
        layer = keras.layers.GRU(h, reset_after=reset_after)
        layer.build((None, None, d))
        assert gru_param_count(d, h, reset_after=reset_after) == layer.count_params()
    assert gru_param_count(2, 8, True) - gru_param_count(2, 8, False) == 3 * 8


@BOTH
def test_backward_passes_gradient_check(reset_after):
    rng = np.random.default_rng(6)
    p = {"x": rng.normal(size=(2, 5, 3)), "h0": rng.normal(size=(2, 4)) * 0.5,
         "kernel": rng.normal(size=(3, 12)) * 0.5, "recurrent_kernel": rng.normal(size=(4, 12)) * 0.5,
         "bias": rng.normal(size=(2, 12) if reset_after else 12) * 0.3}
    target = rng.normal(size=(2, 5, 4))

    def forward():
        return gru_forward(p["x"], p["h0"], p["kernel"], p["recurrent_kernel"], p["bias"],
                           reset_after=reset_after)

    def loss():
        return 0.5 * np.sum((forward() - target) ** 2)

    hs = forward()
    grads = gru_backward(hs - target, p["x"], p["h0"], hs, p["kernel"], p["recurrent_kernel"],
                         p["bias"], reset_after=reset_after)
    assert {k: v.shape for k, v in grads.items()} == {k: v.shape for k, v in p.items()}
    errors = check_gradients(loss, p, grads)
    assert max(errors.values()) < 1e-7, errors


def test_backward_detects_the_wrong_variant():
    """The check is not vacuous: reset_before gradients used for a reset_after GRU fail it."""
    rng = np.random.default_rng(7)
    p = {"recurrent_kernel": rng.normal(size=(4, 12)) * 0.5}
    x, h0 = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4))
    k, b = rng.normal(size=(3, 12)), rng.normal(size=12) * 0.3
    b2 = np.stack([b, np.zeros(12)])

    def loss():
        return np.sum(gru_forward(x, h0, k, p["recurrent_kernel"], b2))

    hs = gru_forward(x, h0, k, p["recurrent_kernel"], b2)
    good = gru_backward(np.ones_like(hs), x, h0, hs, k, p["recurrent_kernel"], b2)
    wrong = gru_backward(np.ones_like(hs), x, h0, hs, k, p["recurrent_kernel"], b, reset_after=False)
    assert check_gradients(loss, p, {"recurrent_kernel": good["recurrent_kernel"]})["recurrent_kernel"] < 1e-7
    assert check_gradients(loss, p, {"recurrent_kernel": wrong["recurrent_kernel"]})["recurrent_kernel"] > 1e-3


def good_args(reset_after=True):
    return dict(x=np.zeros((2, 3, 4)), h0=np.zeros((2, 5)), kernel=np.zeros((4, 15)),
                recurrent_kernel=np.zeros((5, 15)),
                bias=np.zeros((2, 15)) if reset_after else np.zeros(15), reset_after=reset_after)


@pytest.mark.parametrize("args, message", [
    (dict(x=np.zeros((2, 3))), "x: expected 3 dimensions with shape (N, T, D)"),
    (dict(x=np.zeros((2, 3, 6))), "x: expected shape (N, T, D) = (2, 3, 4), got (2, 3, 6)"),
    (dict(h0=np.zeros((2, 7))), "h0: expected shape (N, H) = (2, 5), got (2, 7)"),
    (dict(h0=np.zeros((3, 5))), "h0: expected shape (N, H) = (2, 5), got (3, 5)"),
    (dict(kernel=np.zeros((4, 12))), "kernel: expected shape (D, 3H) = (4, 15), got (4, 12)"),
    (dict(recurrent_kernel=np.zeros((5, 5))), "recurrent_kernel: expected shape (H, 3H)"),
    (dict(recurrent_kernel=np.zeros(15)), "recurrent_kernel: expected 2 dimensions"),
    (dict(bias=np.zeros(15)), "bias: expected 2 dimensions with shape (2, 3H)"),
    (dict(bias=np.zeros(15)), "reset_after=True expects a bias of shape (2, 3H)"),
    (dict(bias=np.zeros((2, 12))), "bias: expected shape (2, 3H) = (2, 15), got (2, 12)"),
    (dict(bias=np.zeros((3, 15))), "bias: expected shape (2, 3H) = (2, 15), got (3, 15)"),
    (dict(reset_after="yes"), "reset_after: expected True or False, got 'yes'"),
    (dict(x=np.zeros((2, 3, 4), dtype=bool)), "x: expected a real-valued float array, got dtype bool"),
    (dict(kernel=np.array([["a"]])), "kernel: expected a real-valued float array"),
])
def test_bad_inputs_raise_clear_errors(args, message):
    good = good_args()
    good.update(args)
    with pytest.raises(ValueError) as err:
        gru_forward(**good)
    assert message in str(err.value)


def test_bias_of_the_other_variant_is_named():
    good = good_args(reset_after=False)
    good["bias"] = np.zeros((2, 15))
    with pytest.raises(ValueError) as err:
        gru_forward(**good)
    text = str(err.value)
    assert "bias: expected 1 dimensions with shape (3H,)" in text
    assert "reset_after=False expects (3H,)" in text and "here reset_after=False" in text


def test_step_names_its_own_arguments():
    with pytest.raises(ValueError, match=r"x_t: expected shape \(N, D\) = \(2, 4\), got \(2, 3\)"):
        gru_step(np.zeros((2, 3)), np.zeros((2, 5)), np.zeros((4, 15)), np.zeros((5, 15)),
                 np.zeros((2, 15)))
    with pytest.raises(ValueError, match=r"h_prev: expected shape \(N, H\) = \(2, 5\), got \(2, 4\)"):
        gru_step(np.zeros((2, 4)), np.zeros((2, 4)), np.zeros((4, 15)), np.zeros((5, 15)),
                 np.zeros((2, 15)))


def test_integer_inputs_and_empty_sequences():
    hs = gru_forward(np.ones((1, 2, 1), dtype=int), None, np.zeros((1, 3)), np.zeros((1, 3)),
                     np.zeros((2, 3), dtype=int))
    np.testing.assert_allclose(hs, 0.0)  # z = 0.5, hh = 0: the state stays at zero
    assert gru_forward(np.zeros((3, 0, 2)), None, np.zeros((2, 12)), np.zeros((4, 12)),
                       np.zeros((2, 12))).shape == (3, 0, 4)
