"""Notebook 04's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import math

import numpy as np
import pytest

from course_utils import exercises_04 as ex
from conftest import not_attempted


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def scale_to_spectral_radius(matrix, rho):
    matrix = np.asarray(matrix, dtype=np.float64)
    return matrix * (rho / np.max(np.abs(np.linalg.eigvals(matrix))))


def clip_each_by_norm(grads, max_norm):
    return [g * (max_norm / max(np.linalg.norm(g), max_norm)) for g in grads]


def steps_to_vanish(rho, factor=1e-3):
    if rho >= 1:
        return None
    return math.floor(math.log(factor) / math.log(rho)) + 1


# --- plausible wrong answers ---------------------------------------------------------------

def scale_by_largest_singular_value(matrix, rho):       # the 2-norm, not the spectral radius
    return matrix * (rho / np.linalg.norm(matrix, 2))


def scale_by_largest_real_eigenvalue(matrix, rho):      # forgets the absolute value
    return matrix * (rho / np.max(np.linalg.eigvals(matrix).real))


def scale_by_power(matrix, rho):                        # rescales each entry, not the matrix
    return np.sign(matrix) * np.abs(matrix) ** rho


def clip_globally(grads, max_norm):                     # global_clipnorm instead of clipnorm
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    return [g * (max_norm / max(total, max_norm)) for g in grads]


def clip_always_to_norm(grads, max_norm):               # also scales small arrays up
    return [g * (max_norm / np.linalg.norm(g)) for g in grads]


def clip_in_place(grads, max_norm):                     # right values, but overwrites the input
    for g in grads:
        g *= max_norm / max(np.linalg.norm(g), max_norm)
    return grads


def clip_by_value(grads, max_norm):                     # clipvalue, not clipnorm
    return [np.clip(g, -max_norm, max_norm) for g in grads]


def steps_rounded_down(rho, factor=1e-3):
    if rho >= 1:
        return None
    return int(math.log(factor) / math.log(rho))


def steps_ceil_no_none(rho, factor=1e-3):               # forgets rho >= 1 (divides by log 1 = 0)
    return math.ceil(math.log(factor) / math.log(rho))


def steps_infinite_instead_of_none(rho, factor=1e-3):
    return math.inf if rho >= 1 else math.ceil(math.log(factor) / math.log(rho))


# --- the tests -----------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_scale_to_spectral_radius, scale_to_spectral_radius),
    (ex.check_clip_each_by_norm, clip_each_by_norm),
    (ex.check_steps_to_vanish, steps_to_vanish),
])
def test_reference_solution_passes(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and "passed" in out


@pytest.mark.parametrize("checker, wrong", [
    (ex.check_scale_to_spectral_radius, scale_by_largest_singular_value),
    (ex.check_scale_to_spectral_radius, scale_by_largest_real_eigenvalue),
    (ex.check_scale_to_spectral_radius, scale_by_power),
    (ex.check_clip_each_by_norm, clip_globally),
    (ex.check_clip_each_by_norm, clip_always_to_norm),
    (ex.check_clip_each_by_norm, clip_in_place),
    (ex.check_clip_each_by_norm, clip_by_value),
    (ex.check_steps_to_vanish, steps_rounded_down),
    (ex.check_steps_to_vanish, steps_ceil_no_none),
    (ex.check_steps_to_vanish, steps_infinite_instead_of_none),
])
def test_plausible_mistake_fails_with_a_hint(checker, wrong, verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out


def test_specific_messages_name_the_mistake(capsys):
    ex.check_scale_to_spectral_radius(scale_by_largest_singular_value)
    assert "2-norm" in capsys.readouterr().out
    ex.check_clip_each_by_norm(clip_globally)
    assert "global clipping" in capsys.readouterr().out
    ex.check_steps_to_vanish(steps_rounded_down)
    assert "one step short" in capsys.readouterr().out


@pytest.mark.parametrize("checker", [ex.check_scale_to_spectral_radius, ex.check_clip_each_by_norm,
                                     ex.check_steps_to_vanish])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○")
