"""Notebook 02's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import keras
import numpy as np
import pytest

from course_utils.exercises import nb02 as ex
from conftest import not_attempted
from course_utils import rnn_forward


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def rnn_output_shape(N, T, D, units, return_sequences, return_state):
    output = (N, T, units) if return_sequences else (N, units)
    return [output, (N, units)] if return_state else output


def build_seq2seq(input_dim, output_steps, output_dim, units=16):
    x = keras.Input((None, input_dim))
    _, context = keras.layers.SimpleRNN(units, return_state=True)(x)
    cs = keras.layers.RepeatVector(output_steps)(context)
    ss = keras.layers.SimpleRNN(units, return_sequences=True)(cs, initial_state=context)
    return keras.Model(x, keras.layers.TimeDistributed(keras.layers.Dense(output_dim))(ss))


def seq2seq_sequential(input_dim, output_steps, output_dim, units=16):
    """Also right: an unbuilt Sequential, the context at every step only (no initial_state)."""
    return keras.Sequential([keras.layers.GRU(units), keras.layers.RepeatVector(output_steps),
                             keras.layers.LSTM(units, return_sequences=True),
                             keras.layers.Dense(output_dim)])


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


def seq2seq_fixed_length(input_dim, output_steps, output_dim, units=16):
    x = keras.Input((output_steps, input_dim))           # T fixed (to the wrong length, too)
    _, context = keras.layers.SimpleRNN(units, return_state=True)(x)
    cs = keras.layers.RepeatVector(output_steps)(context)
    ss = keras.layers.SimpleRNN(units, return_sequences=True)(cs, initial_state=context)
    return keras.Model(x, keras.layers.Dense(output_dim)(ss))


def seq2seq_without_decoder_rnn(input_dim, output_steps, output_dim, units=16):
    return keras.Sequential([keras.Input((None, input_dim)), keras.layers.SimpleRNN(units),
                             keras.layers.RepeatVector(output_steps),
                             keras.layers.TimeDistributed(keras.layers.Dense(output_dim))])


def seq2seq_aligned(input_dim, output_steps, output_dim, units=16):   # N:N, not N:M
    return keras.Sequential([keras.Input((None, input_dim)),
                             keras.layers.SimpleRNN(units, return_sequences=True),
                             keras.layers.SimpleRNN(units, return_sequences=True),
                             keras.layers.Dense(output_dim)])


def seq2seq_last_window(input_dim, output_steps, output_dim, units=16):
    x = keras.Input((None, input_dim))
    recent = keras.layers.Lambda(lambda seq: seq[:, -3:])(x)     # only the last three steps
    context = keras.layers.SimpleRNN(units)(recent)
    ss = keras.layers.SimpleRNN(units, return_sequences=True)(
        keras.layers.RepeatVector(output_steps)(context))
    return keras.Model(x, keras.layers.Dense(output_dim)(ss))


def seq2seq_one_step_short(input_dim, output_steps, output_dim, units=16):
    return seq2seq_sequential(input_dim, output_steps - 1, output_dim, units)


def seq2seq_returning_state(input_dim, output_steps, output_dim, units=16):
    x = keras.Input((None, input_dim))
    _, context = keras.layers.SimpleRNN(units, return_state=True)(x)
    ss, state = keras.layers.SimpleRNN(units, return_sequences=True, return_state=True)(
        keras.layers.RepeatVector(output_steps)(context), initial_state=context)
    return keras.Model(x, (keras.layers.Dense(output_dim)(ss), state))


def seq2seq_layer_class(input_dim, output_steps, output_dim, units=16):
    return keras.layers.SimpleRNN


def seq2seq_one_rnn_dense_head(input_dim, output_steps, output_dim, units=16):
    """No decoder: one RNN and a Dense(M * K) head, reshaped (section 5.5's alternative)."""
    return keras.Sequential([keras.Input((None, input_dim)), keras.layers.SimpleRNN(units),
                             keras.layers.Dense(output_steps * output_dim),
                             keras.layers.Reshape((output_steps, output_dim))])


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
    (ex.check_build_seq2seq, build_seq2seq,
     [seq2seq_fixed_length, seq2seq_without_decoder_rnn, seq2seq_aligned, seq2seq_last_window,
      seq2seq_one_step_short, seq2seq_returning_state, seq2seq_layer_class,
      seq2seq_one_rnn_dense_head]),
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
    ex.check_build_seq2seq(seq2seq_fixed_length)
    assert "keras.Input((None, input_dim))" in capsys.readouterr().out
    ex.check_build_seq2seq(seq2seq_without_decoder_rnn)
    assert "needs its own recurrent layer" in capsys.readouterr().out
    ex.check_build_seq2seq(seq2seq_aligned)
    assert "aligned N:N" in capsys.readouterr().out
    ex.check_build_seq2seq(seq2seq_last_window)
    assert "FIRST of 11 input steps" in capsys.readouterr().out
    ex.check_build_seq2seq(seq2seq_one_step_short)
    assert "expected output_steps" in capsys.readouterr().out
    ex.check_build_seq2seq(seq2seq_returning_state)
    assert "returns 2 outputs" in capsys.readouterr().out
    ex.check_build_seq2seq(seq2seq_layer_class)
    assert "returned the class SimpleRNN" in capsys.readouterr().out
    ex.check_build_seq2seq(seq2seq_one_rnn_dense_head)
    assert "1 recurrent layer(s)" in capsys.readouterr().out
    ex.check_one_to_many_first_step(one_to_many_repeated)
    assert "RepeatVector" in capsys.readouterr().out
    ex.check_one_to_many_first_step(one_to_many_first_state_copied)
    assert "step 1 is right" in capsys.readouterr().out


def test_seq2seq_alternatives_pass(verdict):
    result, out = verdict(ex.check_build_seq2seq, seq2seq_sequential)
    assert result is True and "passed" in out


def test_seq2seq_reference_handles_any_length():
    model = build_seq2seq(4, 3, 6, units=5)
    for t in (1, 9, 40):
        assert tuple(model(np.zeros((2, t, 4), dtype=np.float32)).shape) == (2, 3, 6)


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("return_state", [False, True])
def test_reference_shapes_are_what_keras_returns(return_sequences, return_state):
    n, t, d, units = 4, 7, 3, 5
    layer = keras.layers.SimpleRNN(units, return_sequences=return_sequences,
                                   return_state=return_state)
    result = layer(np.zeros((n, t, d), dtype=np.float32))
    got = [tuple(r.shape) for r in result] if return_state else tuple(result.shape)
    assert got == rnn_output_shape(n, t, d, units, return_sequences, return_state)
