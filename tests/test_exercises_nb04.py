"""Notebook 04's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import math

import numpy as np
import pytest

from course_utils.exercises import nb04 as ex
from conftest import not_attempted


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def jacobian_norms_by_lag(recurrent_kernel, hs):
    hs = np.asarray(hs, dtype=np.float64)
    m = np.eye(hs.shape[1])                       # lag 0: the identity
    norms = [1.0]
    for t in range(hs.shape[0] - 1, 0, -1):       # hs[t] is h_{t+1}: from h_T back to h_1
        m = m @ np.diag(1.0 - hs[t] ** 2) @ recurrent_kernel.T
        norms.append(np.linalg.norm(m, 2))
    return np.array(norms)


def steps_to_vanish(rho, factor=1e-3):
    if rho >= 1:
        return None
    return math.floor(math.log(factor) / math.log(rho)) + 1


# --- other right answers ---------------------------------------------------------------------

def jacobian_norms_column_form(recurrent_kernel, hs):
    """The transposed product, built the other way round: the same spectral norms."""
    out, m = [1.0], np.eye(hs.shape[1])
    for t in range(hs.shape[0] - 1, 0, -1):
        m = recurrent_kernel @ np.diag(1.0 - hs[t] ** 2) @ m
        out.append(np.linalg.svd(m, compute_uv=False)[0])
    return out                                    # a list is fine too


# --- plausible wrong answers ---------------------------------------------------------------

def _lag_norms(hs, step, reverse=False, norm=2):
    out, m = [1.0 if norm == 2 else np.sqrt(hs.shape[1])], np.eye(hs.shape[1])
    for t in range(hs.shape[0] - 1, 0, -1):
        m = step(t) @ m if reverse else m @ step(t)
        out.append(np.linalg.norm(m, norm))
    return np.array(out)


def norms_without_tanh_derivative(recurrent_kernel, hs):
    return _lag_norms(hs, lambda t: recurrent_kernel.T)


def norms_derivative_of_tanh_h(recurrent_kernel, hs):          # tanh'(h) instead of 1 - h**2
    return _lag_norms(hs, lambda t: np.diag(1 - np.tanh(hs[t]) ** 2) @ recurrent_kernel.T)


def norms_off_by_one(recurrent_kernel, hs):                     # 1 - h_{t-1}**2 in J_t
    return _lag_norms(hs, lambda t: np.diag(1 - hs[t - 1] ** 2) @ recurrent_kernel.T)


def norms_not_transposed(recurrent_kernel, hs):
    return _lag_norms(hs, lambda t: np.diag(1 - hs[t] ** 2) @ recurrent_kernel)


def norms_derivative_after_kernel(recurrent_kernel, hs):
    return _lag_norms(hs, lambda t: recurrent_kernel.T @ np.diag(1 - hs[t] ** 2))


def norms_wrong_order(recurrent_kernel, hs):
    return _lag_norms(hs, lambda t: np.diag(1 - hs[t] ** 2) @ recurrent_kernel.T, reverse=True)


def norms_frobenius(recurrent_kernel, hs):
    return _lag_norms(hs, lambda t: np.diag(1 - hs[t] ** 2) @ recurrent_kernel.T, norm="fro")


def norms_without_lag_zero(recurrent_kernel, hs):
    return jacobian_norms_by_lag(recurrent_kernel, hs)[1:]


def norms_in_time_order(recurrent_kernel, hs):                  # entry t instead of lag k
    return jacobian_norms_by_lag(recurrent_kernel, hs)[::-1]


def steps_rounded_down(rho, factor=1e-3):
    if rho >= 1:
        return None
    return int(math.log(factor) / math.log(rho))


def steps_ceil_no_none(rho, factor=1e-3):               # forgets rho >= 1 (divides by log 1 = 0)
    return math.ceil(math.log(factor) / math.log(rho))


def steps_infinite_instead_of_none(rho, factor=1e-3):
    return math.inf if rho >= 1 else math.ceil(math.log(factor) / math.log(rho))


# --- the tests -----------------------------------------------------------------------------

CHECKERS = [ex.check_jacobian_norms_by_lag, ex.check_steps_to_vanish]


@pytest.mark.parametrize("checker, solution", [
    (ex.check_jacobian_norms_by_lag, jacobian_norms_by_lag),
    (ex.check_jacobian_norms_by_lag, jacobian_norms_column_form),
    (ex.check_steps_to_vanish, steps_to_vanish),
])
def test_reference_solution_passes(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and "passed" in out


@pytest.mark.parametrize("checker, wrong", [
    (ex.check_jacobian_norms_by_lag, norms_without_tanh_derivative),
    (ex.check_jacobian_norms_by_lag, norms_derivative_of_tanh_h),
    (ex.check_jacobian_norms_by_lag, norms_off_by_one),
    (ex.check_jacobian_norms_by_lag, norms_not_transposed),
    (ex.check_jacobian_norms_by_lag, norms_derivative_after_kernel),
    (ex.check_jacobian_norms_by_lag, norms_wrong_order),
    (ex.check_jacobian_norms_by_lag, norms_frobenius),
    (ex.check_jacobian_norms_by_lag, norms_without_lag_zero),
    (ex.check_jacobian_norms_by_lag, norms_in_time_order),
    (ex.check_steps_to_vanish, steps_rounded_down),
    (ex.check_steps_to_vanish, steps_ceil_no_none),
    (ex.check_steps_to_vanish, steps_infinite_instead_of_none),
])
def test_plausible_mistake_fails_with_a_hint(checker, wrong, verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out


@pytest.mark.parametrize("wrong, words", [
    (norms_without_tanh_derivative, "derivative diag(1 - h_t**2) is missing"),
    (norms_derivative_of_tanh_h, "h_t is already tanh(a_t)"),
    (norms_off_by_one, "off by one"),
    (norms_not_transposed, "where its transpose belongs"),
    (norms_derivative_after_kernel, "on the wrong side"),
    (norms_wrong_order, "wrong order"),
    (norms_frobenius, "Frobenius"),
    (norms_without_lag_zero, "entry 0 (lag 0, the identity) included"),
    (norms_in_time_order, "time order"),
])
def test_jacobian_messages_name_the_mistake(wrong, words, capsys):
    ex.check_jacobian_norms_by_lag(wrong)
    assert words in capsys.readouterr().out


def test_steps_message_names_the_mistake(capsys):
    ex.check_steps_to_vanish(steps_rounded_down)
    assert "one step short" in capsys.readouterr().out


def test_the_mistakes_told_apart_are_really_different_and_the_undetectable_one_is_right():
    """Every named mistake gives norms that differ from the right ones by over 1 % somewhere,
    while the transposed product (recurrent_kernel @ diag, reversed) gives the same norms."""
    rng = np.random.default_rng(0)
    recurrent_kernel = rng.normal(size=(5, 5)) * 1.2 / np.sqrt(5)
    hs = ex.rnn_forward(rng.normal(size=(1, 10, 3)), None, rng.normal(size=(3, 5)),
                        recurrent_kernel, np.zeros(5))[0]
    right, mistakes = ex._jacobian_norm_answers(recurrent_kernel, hs)
    np.testing.assert_allclose(right, jacobian_norms_by_lag(recurrent_kernel, hs), rtol=1e-12)
    np.testing.assert_allclose(jacobian_norms_column_form(recurrent_kernel, hs), right, rtol=1e-12)
    for wrong, _ in mistakes:
        assert np.max(np.abs(wrong / right - 1)) > 0.01


@pytest.mark.parametrize("checker", CHECKERS)
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○")
