"""Notebook 08's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb08 as ex
from conftest import not_attempted


# --- 8.1 reverse the real part of post-padded sequences -------------------------------------

def reverse_padded(x, lengths):
    out = x.copy()
    for n, length in enumerate(lengths):
        out[n, :length] = x[n, :length][::-1]
    return out


def reverse_padded_vectorized(x, lengths):
    t = np.arange(x.shape[1])[None, :]
    lengths = np.asarray(lengths)[:, None]
    idx = np.where(t < lengths, lengths - 1 - t, t)          # (N, T): where each step comes from
    return np.take_along_axis(x, idx[:, :, None], axis=1)


def reverse_whole_row(x, lengths):
    return x[:, ::-1].copy()


def reverse_first_length_for_all(x, lengths):
    out = x.copy()
    out[:, :lengths[0]] = x[:, :lengths[0]][:, ::-1]
    return out


def reverse_one_short(x, lengths):
    out = x.copy()
    for n, length in enumerate(lengths):
        out[n, :length - 1] = x[n, :length - 1][::-1]
    return out


def reverse_one_long(x, lengths):
    out = x.copy()
    for n, length in enumerate(lengths):
        out[n, :length + 1] = x[n, :length + 1][::-1]
    return out


def reverse_shifted_slice(x, lengths):                       # x[n, L:0:-1]: step L in, step 0 out
    out = x.copy()
    for n, length in enumerate(lengths):
        out[n, :length] = x[n, length:0:-1]
    return out


def reverse_in_place(x, lengths):
    for n, length in enumerate(lengths):
        x[n, :length] = x[n, :length][::-1].copy()
    return x


def reverse_in_place_returning_none(x, lengths):
    reverse_in_place(x, lengths)


def reverse_features(x, lengths):
    return x[:, :, ::-1].copy()


def reverse_real_features(x, lengths):
    out = x.copy()
    for n, length in enumerate(lengths):
        out[n, :length] = x[n, :length, ::-1]
    return out


def reverse_and_zero_padding(x, lengths):                    # padding assumed to be zeros
    out = np.zeros_like(x)
    for n, length in enumerate(lengths):
        out[n, :length] = x[n, :length][::-1]
    return out


# --- 8.2 a masked bidirectional RNN ----------------------------------------------------------

def zero_padded_steps(out, lengths):
    for n, length in enumerate(lengths):
        out[n, length:] = 0.0
    return out


def masked_bidirectional_forward(x, lengths, forward, backward):
    fw = forward(x)
    bw = reverse_padded(backward(reverse_padded(x, lengths)), lengths)
    return zero_padded_steps(np.concatenate([fw, bw], axis=-1), lengths)


def masked_bidirectional_with_a_mask(x, lengths, forward, backward):
    fw = forward(x)
    bw = reverse_padded_vectorized(backward(reverse_padded_vectorized(x, lengths)), lengths)
    mask = np.arange(x.shape[1])[None, :] < np.asarray(lengths)[:, None]
    return np.concatenate([fw, bw], axis=-1) * mask[:, :, None]


def bi_plain(x, lengths, forward, backward):
    return cu.bidirectional_forward(x, forward, backward, "concat")


def bi_plain_zeroed(x, lengths, forward, backward):
    return zero_padded_steps(cu.bidirectional_forward(x, forward, backward, "concat"), lengths)


def bi_padding_not_zeroed(x, lengths, forward, backward):
    fw = forward(x)
    bw = reverse_padded(backward(reverse_padded(x, lengths)), lengths)
    return np.concatenate([fw, bw], axis=-1)


def bi_only_forward_zeroed(x, lengths, forward, backward):
    fw = zero_padded_steps(forward(x), lengths)
    bw = reverse_padded(backward(reverse_padded(x, lengths)), lengths)
    return np.concatenate([fw, bw], axis=-1)


def bi_backward_first(x, lengths, forward, backward):
    fw = forward(x)
    bw = reverse_padded(backward(reverse_padded(x, lengths)), lengths)
    return zero_padded_steps(np.concatenate([bw, fw], axis=-1), lengths)


def bi_not_rereversed(x, lengths, forward, backward):
    fw = forward(x)
    bw = backward(reverse_padded(x, lengths))
    return zero_padded_steps(np.concatenate([fw, bw], axis=-1), lengths)


def bi_rereversed_whole_row(x, lengths, forward, backward):
    fw = forward(x)
    bw = backward(reverse_padded(x, lengths))[:, ::-1]
    return zero_padded_steps(np.concatenate([fw, bw], axis=-1), lengths)


def bi_pair(x, lengths, forward, backward):
    fw = zero_padded_steps(forward(x), lengths)
    bw = zero_padded_steps(reverse_padded(backward(reverse_padded(x, lengths)), lengths), lengths)
    return fw, bw


def bi_sum(x, lengths, forward, backward):
    fw, bw = bi_pair(x, lengths, forward, backward)
    return fw + bw


def bi_forward_twice(x, lengths, forward, backward):
    fw = forward(x)
    bw = reverse_padded(forward(reverse_padded(x, lengths)), lengths)
    return zero_padded_steps(np.concatenate([fw, bw], axis=-1), lengths)


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_reverse_padded, reverse_padded),
    (ex.check_reverse_padded, reverse_padded_vectorized),
    (ex.check_masked_bidirectional_forward, masked_bidirectional_forward),
    (ex.check_masked_bidirectional_forward, masked_bidirectional_with_a_mask),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


WRONG = [
    (ex.check_reverse_padded, reverse_whole_row, "padding to the FRONT"),
    (ex.check_reverse_padded, reverse_first_length_for_all, "lengths[0] = 4 steps of every"),
    (ex.check_reverse_padded, reverse_one_short, "last real step stayed"),
    (ex.check_reverse_padded, reverse_one_long, "a padded step (step lengths[n])"),
    (ex.check_reverse_padded, reverse_shifted_slice, "a padded step (step lengths[n])"),
    (ex.check_reverse_padded, reverse_in_place, "changed its input x"),
    (ex.check_reverse_padded, reverse_in_place_returning_none, "after reversing x in place"),
    (ex.check_reverse_padded, reverse_features, "feature axis"),
    (ex.check_reverse_padded, reverse_real_features, "feature axis"),
    (ex.check_reverse_padded, reverse_and_zero_padding, "padded steps changed"),
    (ex.check_masked_bidirectional_forward, bi_plain, "read the padding first"),
    (ex.check_masked_bidirectional_forward, bi_plain_zeroed, "read the padding first"),
    (ex.check_masked_bidirectional_forward, bi_padding_not_zeroed,
     "padded steps are not 0 (in the forward and backward half)"),
    (ex.check_masked_bidirectional_forward, bi_only_forward_zeroed,
     "padded steps are not 0 (in the backward half)"),
    (ex.check_masked_bidirectional_forward, bi_backward_first, "wrong order"),
    (ex.check_masked_bidirectional_forward, bi_not_rereversed, "forgot to re-reverse"),
    (ex.check_masked_bidirectional_forward, bi_rereversed_whole_row, "over the whole row"),
    (ex.check_masked_bidirectional_forward, bi_pair, "tuple of 2 arrays"),
    (ex.check_masked_bidirectional_forward, bi_sum, "concatenate"),
    (ex.check_masked_bidirectional_forward, bi_forward_twice, "the backward half"),
]


@pytest.mark.parametrize("checker, wrong, reason", WRONG, ids=[w.__name__ for _, w, _ in WRONG])
def test_plausible_wrong_answers_fail_with_a_hint_that_names_the_problem(checker, wrong, reason,
                                                                          verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out
    assert reason in out and "raised" not in out, out


@pytest.mark.parametrize("checker", [ex.check_reverse_padded,
                                     ex.check_masked_bidirectional_forward])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


def test_reverse_padded_reference_on_a_small_example():
    x = np.arange(1.0, 6.0).reshape(1, 5, 1).repeat(2, axis=0)
    got = ex._reverse_padded(x, [3, 5])
    np.testing.assert_array_equal(got[0, :, 0], [3, 2, 1, 4, 5])
    np.testing.assert_array_equal(got[1, :, 0], [5, 4, 3, 2, 1])
    np.testing.assert_array_equal(x[0, :, 0], [1, 2, 3, 4, 5])          # x unchanged


def test_masked_reference_ignores_the_padding_at_real_steps():
    """What the exercise is about: the real steps do not depend on the padded values, and they
    equal the unpadded sequence run through cu.bidirectional_forward."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 6, 2))
    forward, backward = ex._direction(rng, 2, 3), ex._direction(rng, 2, 4)
    out = ex._masked_bidirectional(x, [4], forward, backward)
    other = x.copy()
    other[:, 4:] = rng.normal(size=(1, 2, 2))
    np.testing.assert_allclose(ex._masked_bidirectional(other, [4], forward, backward), out,
                               rtol=0, atol=1e-12)
    unpadded = cu.bidirectional_forward(x[:, :4], forward, backward, "concat")
    np.testing.assert_allclose(out[:, :4], unpadded, rtol=0, atol=1e-12)
    assert np.all(out[:, 4:] == 0)


def test_masked_reference_matches_a_masked_keras_bidirectional():
    """The checker's reference is what keras.layers.Bidirectional does with a mask."""
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(1)
    lengths = np.array([5, 1, 3])
    x = rng.normal(size=(3, 5, 2))
    x[np.arange(5)[None, :] >= lengths[:, None]] = 0.0
    inputs = keras.Input((5, 2), dtype="float64")
    masked = keras.layers.Masking(0.0, dtype="float64")(inputs)
    bi = keras.layers.Bidirectional(keras.layers.SimpleRNN(3, return_sequences=True,
                                                           dtype="float64"), dtype="float64")
    model = keras.Model(inputs, bi(masked))
    bi.set_weights([rng.normal(size=w.shape) * 0.5 for w in bi.get_weights()])
    weights = bi.get_weights()
    want = ex._masked_bidirectional(x, lengths, lambda a: cu.rnn_forward(a, None, *weights[:3]),
                                    lambda a: cu.rnn_forward(a, None, *weights[3:]))
    got = keras.ops.convert_to_numpy(model(x))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)
