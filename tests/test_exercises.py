"""Every exercise checker, in every notebook's module, speaks in two tiers: a nudge while the
exercise is not attempted, the specific hint only after a wrong attempt."""
import importlib
import inspect

import numpy as np
import pytest

from conftest import not_attempted
from course_utils.exercises import checking

# The notebooks with exercises, listed: a notebook without a checker module yet is left out
# here on purpose, not skipped silently.
NOTEBOOKS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)

CHECKERS = [(f"nb{n:02d}", name, fn)
            for n in NOTEBOOKS
            for name, fn in inspect.getmembers(importlib.import_module(f"course_utils.exercises.nb{n:02d}"),
                                               inspect.isfunction)
            if name.startswith("check_")]


def test_every_notebook_has_a_checker_module():
    assert sorted({module for module, _, _ in CHECKERS}) == [f"nb{n:02d}" for n in NOTEBOOKS]
    assert len(CHECKERS) == 38      # 13 gained exercise 13.4 (a child-sum Tree-LSTM node)


@pytest.mark.parametrize("module, name, checker", CHECKERS, ids=[f"{m}.{n}" for m, n, _ in CHECKERS])
def test_not_attempted_gets_a_nudge_not_the_hint(module, name, checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False
    assert out.startswith("○ Exercise ") and "not attempted yet. Where to start: " in out, out
    assert "Hint:" not in out, f"{module}.{name} shows its hint before any attempt"


@pytest.mark.parametrize("module, name, checker", CHECKERS, ids=[f"{m}.{n}" for m, n, _ in CHECKERS])
def test_a_wrong_attempt_gets_the_hint(module, name, checker, verdict):
    def crashes(*args, **kwargs):
        raise ZeroDivisionError("division by zero")
    result, out = verdict(checker, crashes)
    assert result is False and out.startswith("✗ Exercise ") and "Hint: " in out, out
    assert "ZeroDivisionError" in out


def test_check_reports_the_three_outcomes(verdict):
    def run(attempt):
        return checking.check("Exercise 9.9", attempt, lambda fn: fn(), "start here", "the hint")
    def wrong():
        raise AssertionError("got 2, expected 3.")
    assert verdict(run, not_attempted) == (False, "○ Exercise 9.9: not attempted yet. Where to start: start here\n")
    assert verdict(run, wrong) == (False, "✗ Exercise 9.9: not yet. got 2, expected 3. Hint: the hint\n")
    assert verdict(run, lambda: None) == (True, "✓ Exercise 9.9: passed.\n")


def test_a_verdict_is_truthy_only_on_a_pass_and_shows_nothing_in_a_notebook(capsys):
    from course_utils.exercises.checking import Verdict
    assert Verdict(True) and not Verdict(False)
    assert repr(Verdict(False)) == "Verdict(passed=False)"
    assert Verdict(True)._ipython_display_() is None and capsys.readouterr().out == ""
    result = checking.check("Exercise 9.9", not_attempted, lambda fn: fn(), "n", "h")
    assert isinstance(result, Verdict) and not result


def test_made_mistake_names_a_mistake_only_when_the_attempt_is_it():
    from course_utils.exercises.checking import made_mistake
    want, wrong = np.zeros(3), np.ones(3)
    assert made_mistake(wrong, want, wrong)                 # the attempt is this mistake
    assert not made_mistake(want, want, wrong)              # the attempt is right
    assert not made_mistake(wrong, want, want)              # the "mistake" gives the right answer
    assert not made_mistake(np.ones(4), want, wrong)        # shapes differ: not this mistake
