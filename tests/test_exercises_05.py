"""Notebook 05's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import keras
import numpy as np
import pytest

from course_utils import exercises_05 as ex
from conftest import not_attempted


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def split_lstm_kernel(w):
    units = w.shape[-1] // 4
    return {gate: w[..., k * units:(k + 1) * units] for k, gate in enumerate("ifco")}


def lstm_params(input_dim, units):
    return 4 * (units * input_dim + units * units + units)


def cell_state_update(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = 1 / (1 + np.exp(-z[:, :units]))
    f = 1 / (1 + np.exp(-z[:, units:2 * units]))
    candidate = np.tanh(z[:, 2 * units:3 * units])
    return f * c_prev + i * candidate


# --- plausible wrong answers ---------------------------------------------------------------

def split_in_tf1_order(w):                                  # i, c, f, o (old tf.nn.rnn_cell)
    units = w.shape[-1] // 4
    return {gate: w[..., k * units:(k + 1) * units] for k, gate in enumerate("icfo")}


def split_interleaved(w):                                   # reshape (..., H, 4): columns interleaved
    parts = w.reshape(w.shape[:-1] + (w.shape[-1] // 4, 4))
    return {gate: parts[..., k] for k, gate in enumerate("ifco")}


def split_rows(w):                                          # np.split along the wrong axis
    return dict(zip("ifco", np.array_split(w, 4, axis=0)))


def params_without_bias(input_dim, units):
    return 4 * units * (input_dim + units)


def params_one_gate(input_dim, units):
    return units * input_dim + units * units + units


def params_one_bias(input_dim, units):
    return 4 * units * (input_dim + units) + units


def update_gates_swapped(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):   # i <-> f
    units = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = 1 / (1 + np.exp(-z[:, units:2 * units]))
    f = 1 / (1 + np.exp(-z[:, :units]))
    return f * c_prev + i * np.tanh(z[:, 2 * units:3 * units])


def update_sigmoid_candidate(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    s = 1 / (1 + np.exp(-z))
    return s[:, units:2 * units] * c_prev + s[:, :units] * s[:, 2 * units:3 * units]


def update_returns_h(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    c_t = cell_state_update(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)
    return 1 / (1 + np.exp(-z[:, 3 * units:])) * np.tanh(c_t)


def update_without_forget(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):   # c_prev + i*g
    units = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    return c_prev + 1 / (1 + np.exp(-z[:, :units])) * np.tanh(z[:, 2 * units:3 * units])


# --- tests ---------------------------------------------------------------------------------

CHECKERS = [(ex.check_split_lstm_kernel, split_lstm_kernel), (ex.check_lstm_params, lstm_params),
            (ex.check_cell_state_update, cell_state_update)]


@pytest.mark.parametrize("checker, solution", CHECKERS)
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓")


@pytest.mark.parametrize("checker, wrong", [
    (ex.check_split_lstm_kernel, split_in_tf1_order),
    (ex.check_split_lstm_kernel, split_interleaved),
    (ex.check_split_lstm_kernel, split_rows),
    (ex.check_lstm_params, params_without_bias),
    (ex.check_lstm_params, params_one_gate),
    (ex.check_lstm_params, params_one_bias),
    (ex.check_cell_state_update, update_gates_swapped),
    (ex.check_cell_state_update, update_sigmoid_candidate),
    (ex.check_cell_state_update, update_returns_h),
    (ex.check_cell_state_update, update_without_forget),
])
def test_plausible_wrong_answers_fail(checker, wrong, verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out


@pytest.mark.parametrize("checker", [c for c, _ in CHECKERS])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○")


def test_split_reference_matches_keras_layout():
    """The reference split applied to a real layer: its 'f' bias block is the unit_forget_bias ones."""
    layer = keras.layers.LSTM(6)
    layer.build((None, None, 2))
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert split_lstm_kernel(kernel)["f"].shape == (2, 6)
    assert split_lstm_kernel(recurrent_kernel)["o"].shape == (6, 6)
    np.testing.assert_array_equal(split_lstm_kernel(bias)["f"], np.ones(6))
    assert lstm_params(2, 6) == layer.count_params()


def test_hints_name_the_problem(capsys):
    ex.check_split_lstm_kernel(split_in_tf1_order)
    assert "holds the 'c' block" in capsys.readouterr().out
    ex.check_lstm_params(params_without_bias)
    assert "biases are missing" in capsys.readouterr().out
    ex.check_cell_state_update(update_returns_h)
    assert "you returned h_t" in capsys.readouterr().out
