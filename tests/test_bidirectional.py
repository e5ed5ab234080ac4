"""The from-scratch bidirectional RNN against keras.layers.Bidirectional, for every merge mode."""
import keras
import numpy as np
import pytest

from course_utils import bidirectional_forward, gru_forward, lstm_forward, rnn_forward

MERGE_MODES = ["concat", "sum", "mul", "ave", None]
DIRECTIONS = {  # Keras layer -> our forward pass, given that layer's weights
    "SimpleRNN": (keras.layers.SimpleRNN, lambda w: lambda x: rnn_forward(x, None, *w)),
    "LSTM": (keras.layers.LSTM, lambda w: lambda x: lstm_forward(x, None, None, *w)[0]),
    "GRU": (keras.layers.GRU, lambda w: lambda x: gru_forward(x, None, *w)),
}


def keras_bidirectional(layer_class, merge_mode, x, units=3):
    """A float64 Bidirectional layer with random weights (forward != backward), and its output."""
    layer = layer_class(units, return_sequences=True, dtype="float64")
    bi = keras.layers.Bidirectional(layer, merge_mode=merge_mode, dtype="float64")
    bi(x)
    rng = np.random.default_rng(1)
    bi.set_weights([rng.normal(size=w.shape) * 0.5 for w in bi.get_weights()])
    return bi, bi(x)


@pytest.mark.parametrize("merge_mode", MERGE_MODES)
@pytest.mark.parametrize("name", DIRECTIONS)
def test_matches_keras_bidirectional(name, merge_mode):
    layer_class, ours = DIRECTIONS[name]
    x = np.random.default_rng(0).normal(size=(2, 5, 4))
    bi, keras_out = keras_bidirectional(layer_class, merge_mode, x)
    weights = bi.get_weights()  # the forward layer's weights, then the backward layer's:
    in_order = bi.forward_layer.get_weights() + bi.backward_layer.get_weights()
    assert len(weights) == len(in_order)
    for w, expected in zip(weights, in_order):
        np.testing.assert_array_equal(w, expected)
    k = len(weights) // 2
    out = bidirectional_forward(x, ours(weights[:k]), ours(weights[k:]), merge_mode=merge_mode)
    if merge_mode is None:
        assert isinstance(out, tuple) and len(keras_out) == 2
        for mine, theirs in zip(out, keras_out):
            np.testing.assert_allclose(mine, np.asarray(theirs), rtol=0, atol=1e-12)
    else:
        assert out.shape == (2, 5, 6 if merge_mode == "concat" else 3)
        np.testing.assert_allclose(out, np.asarray(keras_out), rtol=0, atol=1e-12)


def test_backward_states_are_aligned_with_the_input_steps():
    """Running sums make the alignment visible: bw[:, t] has read x[:, t:], fw[:, t] x[:, :t+1]."""
    def cumsum(x):
        return np.cumsum(x, axis=1)
    x = np.arange(1.0, 5.0).reshape(1, 4, 1)
    fw, bw = bidirectional_forward(x, cumsum, cumsum, merge_mode=None)
    np.testing.assert_array_equal(fw[0, :, 0], [1, 3, 6, 10])
    np.testing.assert_array_equal(bw[0, :, 0], [10, 9, 7, 4])
    np.testing.assert_array_equal(bidirectional_forward(x, cumsum, cumsum, "sum")[0, :, 0], [11, 12, 13, 14])


def test_directions_may_differ_in_width_when_concatenated():
    x = np.ones((2, 3, 1))
    out = bidirectional_forward(x, lambda x: np.repeat(x, 2, axis=-1), lambda x: x)
    assert out.shape == (2, 3, 3)


def identity(x):
    return x


@pytest.mark.parametrize("args, message", [
    (dict(merge_mode="avg"), "merge_mode: expected one of ['concat', 'sum', 'mul', 'ave', None], got 'avg'"),
    (dict(x=np.zeros((2, 3))), "x: expected 3 dimensions with shape (N, T, D)"),
    (dict(x=np.zeros((2, 3, 1), dtype=bool)), "x: expected a real-valued float array"),
    (dict(forward=np.zeros(3)), "forward: expected a callable x (N, T, D) -> hs (N, T, H), got ndarray"),
    (dict(backward=lambda x: x[:, :-1]), "backward: expected it to return hs of shape (N, T, H) = (2, 3, H), got (2, 2, 1)"),
    (dict(backward=lambda x: x[..., 0]), "backward: expected it to return hs of shape (N, T, H)"),
    (dict(backward=lambda x: np.repeat(x, 2, axis=-1), merge_mode="sum"),
     "merge_mode='sum' adds or multiplies the two directions, so they need the same shape: "
     "forward gave (2, 3, 1), backward (2, 3, 2)"),
])
def test_bad_inputs_raise_clear_errors(args, message):
    good = dict(x=np.zeros((2, 3, 1)), forward=identity, backward=identity, merge_mode="concat")
    good.update(args)
    with pytest.raises(ValueError) as err:
        bidirectional_forward(**good)
    assert message in str(err.value)
