"""Notebook 05's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import numpy as np
import pytest

from course_utils.exercises import nb05 as ex
from course_utils.lstm import lstm_step
from conftest import not_attempted


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def peephole_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes):
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    p_i, p_f, p_o = peepholes
    i = sigmoid(z[:, :H] + c_prev * p_i)               # i and f peek at the old cell state
    f = sigmoid(z[:, H:2 * H] + c_prev * p_f)
    c_tilde = np.tanh(z[:, 2 * H:3 * H])
    c_t = f * c_prev + i * c_tilde
    o = sigmoid(z[:, 3 * H:] + c_t * p_o)               # o peeks at the new one
    return o * np.tanh(c_t), c_t


def cifg_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # (N, 3H): columns f | c | o
    f = sigmoid(z[:, :H])
    c_tilde = np.tanh(z[:, H:2 * H])
    o = sigmoid(z[:, 2 * H:])
    c_t = f * c_prev + (1 - f) * c_tilde                 # what is forgotten is replaced
    return o * np.tanh(c_t), c_t


def belt_gradient_by_lag(f):
    f = np.asarray(f, dtype=np.float64)
    return np.concatenate([[1.0], np.cumprod(f[::-1])[:-1]])


# --- other right answers ---------------------------------------------------------------------

def belt_gradient_by_loop(f):
    out, g = [], 1.0
    for t in range(len(f) - 1, -1, -1):
        out.append(g)
        g *= f[t]
    return out


def peephole_via_keras_layout(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes):
    """Add the peephole terms to a zero-padded copy of z: a different, equally right route."""
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z = z + np.concatenate([c_prev * peepholes[0], c_prev * peepholes[1],
                            np.zeros_like(c_prev), np.zeros_like(c_prev)], axis=1)
    i, f, c_tilde = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H])
    c_t = f * c_prev + i * c_tilde
    return sigmoid(z[:, 3 * H:] + c_t * peepholes[2]) * np.tanh(c_t), c_t


# --- plausible wrong answers ---------------------------------------------------------------

def peephole_output_reads_c_prev(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes):
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = sigmoid(z[:, :H] + c_prev * peepholes[0])
    f = sigmoid(z[:, H:2 * H] + c_prev * peepholes[1])
    o = sigmoid(z[:, 3 * H:] + c_prev * peepholes[2])
    c_t = f * c_prev + i * np.tanh(z[:, 2 * H:3 * H])
    return o * np.tanh(c_t), c_t


def peephole_ignored(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes):
    return lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)


def peephole_rows_i_o_f(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes):
    return peephole_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes[[0, 2, 1]])


def peephole_rows_f_i_o(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes):
    return peephole_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes[[1, 0, 2]])


def peephole_h_without_tanh(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes):
    h_t, c_t = peephole_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, peepholes)
    return h_t / np.tanh(c_t) * c_t, c_t


def peephole_states_swapped(*args):
    h_t, c_t = peephole_lstm_step(*args)
    return c_t, h_t


def peephole_returns_h_only(*args):
    return peephole_lstm_step(*args)[0]


def cifg_input_equals_forget(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    f = sigmoid(z[:, :H])
    c_t = f * c_prev + f * np.tanh(z[:, H:2 * H])
    return sigmoid(z[:, 2 * H:]) * np.tanh(c_t), c_t


def cifg_blocks_as_i_c_o(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = sigmoid(z[:, :H])
    c_t = (1 - i) * c_prev + i * np.tanh(z[:, H:2 * H])
    return sigmoid(z[:, 2 * H:]) * np.tanh(c_t), c_t


def cifg_blocks_c_f_o(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    H = h_prev.shape[1]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    f = sigmoid(z[:, H:2 * H])
    c_t = f * c_prev + (1 - f) * np.tanh(z[:, :H])
    return sigmoid(z[:, 2 * H:]) * np.tanh(c_t), c_t


def cifg_h_without_tanh(*args):
    h_t, c_t = cifg_lstm_step(*args)
    return h_t / np.tanh(c_t) * c_t, c_t


def cifg_four_blocks(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):   # still slices 4 blocks
    H = kernel.shape[1] // 4
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    f = sigmoid(z[:, H:2 * H])
    c_t = f * c_prev + (1 - f) * np.tanh(z[:, 2 * H:3 * H])
    return sigmoid(z[:, 3 * H:]) * np.tanh(c_t), c_t


def belt_off_by_one(f):                              # entry k includes f_{T-k}
    return np.cumprod(np.asarray(f)[::-1])


def belt_from_the_start(f):
    return np.concatenate([[1.0], np.cumprod(f)[:-1]])


def belt_in_time_order(f):
    return belt_gradient_by_lag(f)[::-1]


def belt_sum(f):
    return np.concatenate([[1.0], np.cumsum(np.asarray(f)[::-1])[:-1]])


def belt_total_product(f):
    return np.prod(f)


# --- tests ---------------------------------------------------------------------------------

CHECKERS = [(ex.check_peephole_lstm_step, peephole_lstm_step), (ex.check_cifg_lstm_step, cifg_lstm_step),
            (ex.check_belt_gradient_by_lag, belt_gradient_by_lag)]


@pytest.mark.parametrize("checker, solution", CHECKERS + [
    (ex.check_peephole_lstm_step, peephole_via_keras_layout),
    (ex.check_belt_gradient_by_lag, belt_gradient_by_loop),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓")


@pytest.mark.parametrize("checker, wrong", [
    (ex.check_peephole_lstm_step, peephole_output_reads_c_prev),
    (ex.check_peephole_lstm_step, peephole_ignored),
    (ex.check_peephole_lstm_step, peephole_rows_i_o_f),
    (ex.check_peephole_lstm_step, peephole_rows_f_i_o),
    (ex.check_peephole_lstm_step, peephole_h_without_tanh),
    (ex.check_peephole_lstm_step, peephole_states_swapped),
    (ex.check_peephole_lstm_step, peephole_returns_h_only),
    (ex.check_cifg_lstm_step, cifg_input_equals_forget),
    (ex.check_cifg_lstm_step, cifg_blocks_as_i_c_o),
    (ex.check_cifg_lstm_step, cifg_blocks_c_f_o),
    (ex.check_cifg_lstm_step, cifg_h_without_tanh),
    (ex.check_cifg_lstm_step, cifg_four_blocks),
    (ex.check_belt_gradient_by_lag, belt_off_by_one),
    (ex.check_belt_gradient_by_lag, belt_from_the_start),
    (ex.check_belt_gradient_by_lag, belt_in_time_order),
    (ex.check_belt_gradient_by_lag, belt_sum),
    (ex.check_belt_gradient_by_lag, belt_total_product),
])
def test_plausible_wrong_answers_fail(checker, wrong, verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out


@pytest.mark.parametrize("checker", [c for c, _ in CHECKERS])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○")


@pytest.mark.parametrize("checker, wrong, words", [
    (ex.check_peephole_lstm_step, peephole_output_reads_c_prev, "peeks at the old cell state"),
    (ex.check_peephole_lstm_step, peephole_ignored, "the peepholes are not used"),
    (ex.check_peephole_lstm_step, peephole_rows_i_o_f, "peephole rows are used in the wrong order"),
    (ex.check_peephole_lstm_step, peephole_h_without_tanh, "missing the tanh"),
    (ex.check_peephole_lstm_step, peephole_states_swapped, "you returned (c_t, h_t)"),
    (ex.check_peephole_lstm_step, peephole_returns_h_only, "return the pair (h_t, c_t)"),
    (ex.check_cifg_lstm_step, cifg_input_equals_forget, "you used i = f"),
    (ex.check_cifg_lstm_step, cifg_blocks_as_i_c_o, "first block as the input gate"),
    (ex.check_cifg_lstm_step, cifg_blocks_c_f_o, "blocks are in the wrong order"),
    (ex.check_cifg_lstm_step, cifg_h_without_tanh, "missing the tanh"),
    (ex.check_belt_gradient_by_lag, belt_off_by_one, "off by one"),
    (ex.check_belt_gradient_by_lag, belt_from_the_start, "from the start of the sequence"),
    (ex.check_belt_gradient_by_lag, belt_in_time_order, "time order"),
    (ex.check_belt_gradient_by_lag, belt_sum, "you added the forget gates"),
    (ex.check_belt_gradient_by_lag, belt_total_product, "one entry per lag"),
])
def test_messages_name_the_mistake(checker, wrong, words, capsys):
    checker(wrong)
    assert words in capsys.readouterr().out


def test_zero_peepholes_give_the_plain_lstm_and_the_cifg_is_an_lstm_with_i_equal_1_minus_f():
    rng = np.random.default_rng(0)
    x_t, h_prev, c_prev = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    weights = rng.normal(size=(3, 12)), rng.normal(size=(4, 12)), rng.normal(size=12)
    four = [np.concatenate([-w[..., :4], w], axis=-1) for w in weights]  # z_i = -z_f: i = 1 - f
    for got, want in zip(peephole_lstm_step(x_t, h_prev, c_prev, *four, np.zeros((3, 4))),
                         lstm_step(x_t, h_prev, c_prev, *four)):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    for got, want in zip(cifg_lstm_step(x_t, h_prev, c_prev, *weights),
                         lstm_step(x_t, h_prev, c_prev, *four)):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_belt_gradient_is_the_course_backward_pass_along_the_belt():
    """With no recurrent weights (no path through h), lstm_backward's gradient into the cell
    state k steps before the end, divided by the one into c_T, is entry k of the reference."""
    from course_utils.lstm import lstm_backward, lstm_forward
    rng = np.random.default_rng(1)
    T, D, H = 7, 2, 3
    x = rng.normal(size=(1, T, D))
    kernel, recurrent_kernel, bias = rng.normal(size=(D, 4 * H)), np.zeros((H, 4 * H)), rng.normal(size=4 * H)
    h0, c0 = rng.normal(size=(2, 1, H))
    hs, cs = lstm_forward(x, h0, c0, kernel, recurrent_kernel, bias)
    f = sigmoid(x[0] @ kernel[:, H:2 * H] + bias[H:2 * H])                 # (T, H)
    o_T = sigmoid(x[0, -1] @ kernel[:, 3 * H:] + bias[3 * H:])
    dc_T = o_T * (1 - np.tanh(cs[0, -1]) ** 2)                            # dh_T / dc_T
    cs = np.concatenate([c0[:, None], cs], axis=1)                         # now cs[:, t] is c_t
    for k in range(1, T):                     # run the last k steps from c_{T-k}: dh_T / dc_{T-k}
        part = slice(T - k, T)
        hs_k, cs_k = lstm_forward(x[:, part], h0, cs[:, T - k], kernel, recurrent_kernel, bias)
        dhs = np.zeros_like(hs_k)
        dhs[:, -1] = 1.0
        dc = lstm_backward(dhs, x[:, part], h0, cs[:, T - k], hs_k, cs_k,
                           kernel, recurrent_kernel, bias)["c0"][0]
        want = [belt_gradient_by_lag(f[:, unit])[k] for unit in range(H)]
        np.testing.assert_allclose(dc / dc_T, want, rtol=1e-10)
