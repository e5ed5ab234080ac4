"""Notebook 02's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import keras
import numpy as np
import pytest

from course_utils import exercises_02 as ex
from conftest import not_attempted
from course_utils import rnn_forward


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def rnn_output_shape(N, T, D, units, return_sequences, return_state):
    output = (N, T, units) if return_sequences else (N, units)
    return [output, (N, units)] if return_state else output


def build_many_to_one(T, D, units, n_classes):
    return keras.Sequential([keras.Input((T, D)), keras.layers.SimpleRNN(units),
                             keras.layers.Dense(n_classes)])


def one_to_many_first_step(v, T, rnn, out):
    xs = np.zeros((v.shape[0], T, v.shape[1]), dtype=v.dtype)
    xs[:, 0] = v
    return rnn_forward(xs, None, *rnn) @ out[0] + out[1]


# --- plausible wrong answers ---------------------------------------------------------------

def shape_state_with_time_axis(N, T, D, units, return_sequences, return_state):
    output = (N, T, units) if return_sequences else (N, units)
    return [output, output] if return_state else output     # state copies the output's shape


def shape_ignores_return_state(N, T, D, units, return_sequences, return_state):
    return (N, T, units) if return_sequences else (N, units)


def shape_always_sequences(N, T, D, units, return_sequences, return_state):
    return [(N, T, units), (N, units)] if return_state else (N, T, units)


def many_to_one_returning_sequences(T, D, units, n_classes):
    return keras.Sequential([keras.Input((T, D)),
                             keras.layers.SimpleRNN(units, return_sequences=True),
                             keras.layers.Dense(n_classes)])


def many_to_one_with_softmax(T, D, units, n_classes):
    return keras.Sequential([keras.Input((T, D)), keras.layers.SimpleRNN(units),
                             keras.layers.Dense(n_classes, activation="softmax")])


def many_to_one_extra_hidden_layer(T, D, units, n_classes):
    return keras.Sequential([keras.Input((T, D)), keras.layers.SimpleRNN(units),
                             keras.layers.Dense(units, activation="relu"),
                             keras.layers.Dense(n_classes)])


def many_to_one_without_rnn(T, D, units, n_classes):   # looks at the last step only
    return keras.Sequential([keras.Input((T, D)), keras.layers.Cropping1D((T - 1, 0)),
                             keras.layers.Flatten(), keras.layers.Dense(n_classes)])


def one_to_many_repeated(v, T, rnn, out):               # the RepeatVector convention
    xs = np.repeat(v[:, None, :], T, axis=1)
    return rnn_forward(xs, None, *rnn) @ out[0] + out[1]


def one_to_many_first_state_copied(v, T, rnn, out):     # one step, then copies h_1
    h1 = rnn_forward(v[:, None, :], None, *rnn)[:, 0]
    return np.repeat(h1[:, None, :], T, axis=1) @ out[0] + out[1]


# --- tests ---------------------------------------------------------------------------------

CHECKERS = [
    (ex.check_rnn_output_shape, rnn_output_shape,
     [shape_state_with_time_axis, shape_ignores_return_state, shape_always_sequences]),
    (ex.check_build_many_to_one, build_many_to_one,
     [many_to_one_returning_sequences, many_to_one_with_softmax, many_to_one_extra_hidden_layer,
      many_to_one_without_rnn]),
    (ex.check_one_to_many_first_step, one_to_many_first_step,
     [one_to_many_repeated, one_to_many_first_state_copied]),
]


@pytest.mark.parametrize("checker, reference, _", CHECKERS)
def test_reference_passes(checker, reference, _, verdict):
    result, out = verdict(checker, reference)
    assert result is True and "passed" in out


@pytest.mark.parametrize("checker, wrong", [(c, w) for c, _, wrongs in CHECKERS for w in wrongs])
def test_plausible_mistake_fails_with_reason(checker, wrong, verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert "not yet" in out and "Hint:" in out


@pytest.mark.parametrize("checker, _, __", CHECKERS)
def test_stub_is_not_attempted(checker, _, __, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and "not attempted" in out


def test_mistake_messages_name_the_cause(capsys):
    ex.check_rnn_output_shape(shape_state_with_time_axis)
    assert "no time axis" in capsys.readouterr().out
    ex.check_build_many_to_one(many_to_one_returning_sequences)
    assert "return_sequences=True" in capsys.readouterr().out
    ex.check_one_to_many_first_step(one_to_many_repeated)
    assert "RepeatVector" in capsys.readouterr().out
    ex.check_one_to_many_first_step(one_to_many_first_state_copied)
    assert "step 1 is right" in capsys.readouterr().out


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("return_state", [False, True])
def test_reference_shapes_are_what_keras_returns(return_sequences, return_state):
    n, t, d, units = 4, 7, 3, 5
    layer = keras.layers.SimpleRNN(units, return_sequences=return_sequences,
                                   return_state=return_state)
    result = layer(np.zeros((n, t, d), dtype=np.float32))
    got = [tuple(r.shape) for r in result] if return_state else tuple(result.shape)
    assert got == rnn_output_shape(n, t, d, units, return_sequences, return_state)
