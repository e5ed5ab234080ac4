"""Notebook 01's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import keras
import numpy as np
import pytest

from course_utils.exercises import nb01 as ex
from conftest import not_attempted


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def stacked_rnn_params(input_dim, units):
    total, features = 0, input_dim
    for h in units:
        total += h * features + h * h + h
        features = h
    return total


def simple_rnn_in_numpy(layer, x):
    kernel, recurrent_kernel, bias = layer.get_weights()
    h = np.zeros((x.shape[0], kernel.shape[1]), dtype=np.float32)
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
    return h


def sum_sign_weights():
    return np.array([[1e-3]]), np.array([[1.0]]), np.array([0.0])


# --- plausible wrong answers ---------------------------------------------------------------

def stacked_every_layer_reads_input(input_dim, units):   # D of every layer = input_dim
    return sum(h * input_dim + h * h + h for h in units)


def stacked_without_bias(input_dim, units):
    total, features = 0, input_dim
    for h in units:
        total += h * features + h * h
        features = h
    return total


def numpy_without_bias(layer, x):
    kernel, recurrent_kernel, _ = layer.get_weights()
    h = np.zeros((x.shape[0], kernel.shape[1]), dtype=np.float32)
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel)
    return h


def numpy_all_states(layer, x):                            # returns (N, T, H)
    kernel, recurrent_kernel, bias = layer.get_weights()
    h, hs = np.zeros((x.shape[0], kernel.shape[1]), dtype=np.float32), []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
        hs.append(h)
    return np.stack(hs, axis=1)


def numpy_transposed_recurrence(layer, x):                # column-vector habit: W_h h
    kernel, recurrent_kernel, bias = layer.get_weights()
    h = np.zeros((x.shape[0], kernel.shape[1]), dtype=np.float32)
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel.T + bias)
    return h


def calls_the_layer(layer, x):                            # not NumPy at all
    return layer(x)


def weights_no_memory():                                  # only the last input counts
    return np.array([[1.0]]), np.array([[0.0]]), np.array([0.0])


def weights_saturating():                                 # adds, but tanh saturates
    return np.array([[1.0]]), np.array([[1.0]]), np.array([0.0])


def weights_leaky():                                      # small input weight, memory fades
    return np.array([[1e-3]]), np.array([[0.9]]), np.array([0.0])


def weights_wrong_shapes():
    return np.array([1e-3]), np.array([1.0]), np.array(0.0)


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_stacked_rnn_params, stacked_rnn_params),
    (ex.check_simple_rnn_in_numpy, simple_rnn_in_numpy),
    (ex.check_sum_sign_weights, sum_sign_weights),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓")


@pytest.mark.parametrize("checker, wrong", [
    (ex.check_stacked_rnn_params, stacked_every_layer_reads_input),
    (ex.check_stacked_rnn_params, stacked_without_bias),
    (ex.check_simple_rnn_in_numpy, numpy_without_bias),
    (ex.check_simple_rnn_in_numpy, numpy_all_states),
    (ex.check_simple_rnn_in_numpy, numpy_transposed_recurrence),
    (ex.check_simple_rnn_in_numpy, calls_the_layer),
    (ex.check_sum_sign_weights, weights_no_memory),
    (ex.check_sum_sign_weights, weights_saturating),
    (ex.check_sum_sign_weights, weights_leaky),
    (ex.check_sum_sign_weights, weights_wrong_shapes),
])
def test_plausible_wrong_answers_fail(checker, wrong, verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out


@pytest.mark.parametrize("checker", [ex.check_stacked_rnn_params, ex.check_simple_rnn_in_numpy,
                                     ex.check_sum_sign_weights])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○")


def test_stacked_reference_matches_keras():
    model = keras.Sequential([keras.Input((None, 3)),
                              keras.layers.SimpleRNN(32, return_sequences=True),
                              keras.layers.SimpleRNN(16, return_sequences=True),
                              keras.layers.SimpleRNN(7)])
    assert model.count_params() == stacked_rnn_params(3, [32, 16, 7])


def test_hints_name_the_problem(capsys):
    ex.check_simple_rnn_in_numpy(numpy_all_states)
    assert "shape" in capsys.readouterr().out
    ex.check_sum_sign_weights(weights_no_memory)
    assert "98%" in capsys.readouterr().out
