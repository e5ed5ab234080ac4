"""Notebook 07's cells and race models (course_utils.deep), and the record tools/race07.py wrote."""
import keras
import numpy as np
import pytest

from course_utils import deep, rnn_forward


def test_fresh_deep_transition_cell_is_a_simple_rnn():
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    layer = keras.layers.RNN(deep.DeepTransitionCell(4), return_sequences=True)
    out = layer(x)
    W1, U1, b1, W2, b2, U2, W3 = layer.get_weights()
    assert not W2.any()
    np.testing.assert_allclose(out, rnn_forward(x, None, W3, U2, b2), atol=1e-6)


def test_layer_norm_cell_normalizes_every_step():
    """With gain 1 and shift 0, arctanh of every state has mean 0 and variance 1 over the units
    (up to Keras' epsilon), whatever the scale of the weights."""
    x = np.random.default_rng(1).normal(size=(3, 6, 4)).astype("float32")
    layer = keras.layers.RNN(deep.LayerNormSimpleRNNCell(8), return_sequences=True)
    layer.build((None, None, 4))
    kernel, recurrent, bias, gamma, beta = layer.get_weights()
    layer.set_weights([50 * kernel, 50 * recurrent, bias, gamma, beta])
    z = np.arctanh(np.clip(np.asarray(layer(x), dtype="float64"), -1 + 1e-7, 1 - 1e-7))
    np.testing.assert_allclose(z.mean(axis=-1), 0, atol=1e-3)
    np.testing.assert_allclose(z.var(axis=-1), 1, atol=1e-2)


@pytest.mark.parametrize("kind", list(deep.RACE_UNITS))
def test_race_models_have_about_the_same_size(kind):
    count = deep.build_char_model(kind, deep.RACE_UNITS[kind], 63).count_params()
    assert 48_500 <= count <= 50_500


def test_residual_stack_has_the_stacks_parameters_and_layers():
    plain = deep.build_char_model("stacked", 16, 10, layers=4)
    skip = deep.build_char_model("residual stack", 16, 10, layers=4)
    assert plain.count_params() == skip.count_params()
    assert sum(isinstance(layer, keras.layers.Add) for layer in skip.layers) == 3


def test_bad_input_gets_a_clear_error():
    with pytest.raises(ValueError, match="kind must be one of"):
        deep.build_char_model("deep", 8, 10)
    with pytest.raises(ValueError, match="layers must be at least 1"):
        deep.build_char_model("stacked", 8, 10, layers=0)
    with pytest.raises(ValueError, match="no window of 50"):
        deep.char_windows("abc", {"a": 0, "b": 1, "c": 2}, 50)


def test_windows_are_inputs_and_next_characters():
    x, y = deep.char_windows("abcabcabcab", {"a": 0, "b": 1, "c": 2}, 5)
    assert x.tolist() == [[0, 1, 2, 0, 1], [2, 0, 1, 2, 0]]
    assert y.tolist() == [[1, 2, 0, 1, 2], [0, 1, 2, 0, 1]]


def test_the_record_matches_the_code_that_reads_it():
    """bench/race07.json was written with the settings the notebook uses, for every model, and
    for seeds 0-4 of the race and the residual test (the notebook checks one run live)."""
    record = deep.load_record()
    assert record["settings"]["race"] == deep.RACE
    assert record["settings"]["residual"] == deep.RESIDUAL
    assert record["settings"]["dropout"] == deep.DROPOUT
    assert record["settings"]["race_units"] == deep.RACE_UNITS
    assert set(record["race"]) == set(deep.RACE_UNITS)
    for name, models in (("race", deep.RACE_UNITS), ("residual", ["stacked", "residual stack"])):
        for model in models:
            assert {"0", "1", "2", "3", "4"} <= set(record[name][model]), (name, model)
    for runs in record["race"].values():
        for run in runs.values():
            assert len(run["val_bpc"]) == len(run["train_bpc"]) <= deep.RACE["max_epochs"]
            assert run["val"] == min(run["val_bpc"])
            assert run["best_epoch"] == run["val_bpc"].index(run["val"]) + 1
