"""Notebook 06's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import numpy as np

from course_utils import exercises_06 as ex
from conftest import not_attempted


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


# --- 6.1 parameter count ---------------------------------------------------------------

def gru_params(input_dim, units, reset_after=True):
    return 3 * (units * input_dim + units * units + (2 if reset_after else 1) * units)


def test_params_reference_passes(capsys):
    assert ex.check_gru_params(gru_params)
    assert "✓ Exercise 6.1: passed." in capsys.readouterr().out


def test_params_one_bias_for_both_variants_fails(capsys):
    assert not ex.check_gru_params(lambda d, h, reset_after=True: 3 * (h * d + h * h + h))
    assert "the recurrent part has its own 3 biases" in capsys.readouterr().out


def test_params_lstm_count_fails(capsys):
    assert not ex.check_gru_params(lambda d, h, reset_after=True: 4 * h * (d + h + 1))
    assert "LSTM" in capsys.readouterr().out


def test_params_variants_swapped_fails(capsys):
    assert not ex.check_gru_params(lambda d, h, reset_after=True: gru_params(d, h, not reset_after))
    assert "✗ Exercise 6.1" in capsys.readouterr().out


def test_params_not_attempted(capsys):
    assert not ex.check_gru_params(not_attempted)
    assert "○ Exercise 6.1: not attempted yet." in capsys.readouterr().out


# --- 6.2 a step with the reset gate before the recurrent product -----------------------

def _blocks(w):
    return np.split(w, 3, axis=-1)


def gru_step_reset_before(x_t, h_prev, kernel, recurrent_kernel, bias):
    wz, wr, wh = _blocks(kernel)
    uz, ur, uh = _blocks(recurrent_kernel)
    bz, br, bh = _blocks(bias)
    z = _sigmoid(x_t @ wz + h_prev @ uz + bz)
    r = _sigmoid(x_t @ wr + h_prev @ ur + br)
    candidate = np.tanh(x_t @ wh + (r * h_prev) @ uh + bh)
    return z * h_prev + (1 - z) * candidate


def test_step_reference_passes(capsys):
    assert ex.check_gru_step_reset_before(gru_step_reset_before)
    assert "✓ Exercise 6.2: passed." in capsys.readouterr().out


def test_step_reset_after_fails_with_its_own_message(capsys):
    def reset_after(x_t, h_prev, kernel, recurrent_kernel, bias):
        wz, wr, wh = _blocks(kernel)
        uz, ur, uh = _blocks(recurrent_kernel)
        bz, br, bh = _blocks(bias)
        z = _sigmoid(x_t @ wz + h_prev @ uz + bz)
        r = _sigmoid(x_t @ wr + h_prev @ ur + br)
        candidate = np.tanh(x_t @ wh + r * (h_prev @ uh) + bh)
        return z * h_prev + (1 - z) * candidate

    assert not ex.check_gru_step_reset_before(reset_after)
    assert "reset-after formula" in capsys.readouterr().out


def test_step_swapped_update_gate_fails(capsys):
    def swapped(x_t, h_prev, kernel, recurrent_kernel, bias):
        right = gru_step_reset_before(x_t, h_prev, kernel, recurrent_kernel, bias)
        z = _sigmoid(x_t @ kernel[:, :h_prev.shape[1]] + h_prev @ recurrent_kernel[:, :h_prev.shape[1]]
                     + bias[:h_prev.shape[1]])
        candidate = (right - z * h_prev) / (1 - z)
        return (1 - z) * h_prev + z * candidate

    assert not ex.check_gru_step_reset_before(swapped)
    assert "swapped" in capsys.readouterr().out


def test_step_lstm_gate_order_fails(capsys):
    def r_first(x_t, h_prev, kernel, recurrent_kernel, bias):
        def order(w):  # reads the blocks as r, z, h
            r, z, h = _blocks(w)
            return np.concatenate([z, r, h], axis=-1)
        return gru_step_reset_before(x_t, h_prev, order(kernel), order(recurrent_kernel), order(bias))

    assert not ex.check_gru_step_reset_before(r_first)
    assert "h_t differs from the expected values" in capsys.readouterr().out


# --- 6.3 a hand-set latch -----------------------------------------------------------------

def gru_latch():
    kernel = np.array([[0.0, 0.0, 1.0],      # value  -> z, r, candidate
                       [-12.0, 0.0, 0.0]])   # marker -> z, r, candidate
    recurrent_kernel = np.zeros((1, 3))
    bias = np.array([[6.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    return kernel, recurrent_kernel, bias


def test_latch_reference_passes(capsys):
    assert ex.check_gru_latch(gru_latch)
    assert "✓ Exercise 6.3: passed." in capsys.readouterr().out


def test_latch_with_the_gate_the_wrong_way_round_fails(capsys):
    kernel, recurrent_kernel, bias = gru_latch()
    assert not ex.check_gru_latch(lambda: (-kernel * [[1, 1, -1], [1, 1, 1]], recurrent_kernel, -bias))
    assert "off by up to" in capsys.readouterr().out


def test_latch_that_adds_instead_of_overwriting_fails(capsys):
    kernel, _, bias = gru_latch()
    adder = np.array([[0.0, 0.0, 1.0]])  # candidate = tanh(value + h): the intuition section's adder
    assert not ex.check_gru_latch(lambda: (kernel, adder, bias))
    assert "off by up to" in capsys.readouterr().out


def test_latch_too_leaky_fails(capsys):
    kernel = np.array([[0.0, 0.0, 1.0], [-4.0, 0.0, 0.0]])
    bias = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    assert not ex.check_gru_latch(lambda: (kernel, np.zeros((1, 3)), bias))
    assert "off by up to" in capsys.readouterr().out


def test_latch_wrong_shapes_fail(capsys):
    assert not ex.check_gru_latch(lambda: (np.zeros((2, 3)), np.zeros((1, 3)), np.zeros(3)))
    assert "bias has shape (3,), expected (2, 3)" in capsys.readouterr().out
