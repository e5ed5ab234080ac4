"""What every exercise checker shares: `check` and two assertions that name what differs.

The checkers themselves live one module per notebook (`nb00.py`, `nb01.py`, ... in this
package); a notebook imports its own, e.g. `from course_utils.exercises import nb05 as ex`.
Each checker takes the learner's function (or value), runs it on cases with known answers and
prints one line:

    ○ Exercise 1.2: not attempted yet. Where to start: ...   (a nudge, not the answer)
    ✗ Exercise 1.2: not yet. h has shape (4, 3), expected (4, 5). Hint: ...
    ✓ Exercise 1.2: passed.

and returns a `Verdict`, true only on a pass, so a worked solution can `assert` it.
"""
import numpy as np


class Verdict:
    """A checker's result: true only on a pass. A notebook shows nothing for it (the checker
    has already printed its line), so an exercise cell ends with the verdict, not `True`/`False`."""

    def __init__(self, passed):
        self.passed = bool(passed)

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"Verdict(passed={self.passed})"

    def _ipython_display_(self):  # IPython calls this instead of printing the repr
        pass


def check(title, attempt, test, nudge, hint):
    """Run test(attempt) and print one line: a pass, a nudge, or what is wrong and a hint.

    `nudge` is shown while the exercise is not attempted yet (the stub raises
    NotImplementedError): where to start, not the answer. `hint` is shown only after a wrong
    attempt, with the reason the test gave.
    """
    try:
        test(attempt)
    except NotImplementedError:
        print(f"○ {title}: not attempted yet. Where to start: {nudge}")
        return Verdict(False)
    except AssertionError as err:
        print(f"✗ {title}: not yet. {err} Hint: {hint}")
        return Verdict(False)
    except Exception as err:  # the learner's code crashed: say how, then hint
        print(f"✗ {title}: your code raised {type(err).__name__}: {err}. Hint: {hint}")
        return Verdict(False)
    print(f"✓ {title}: passed.")
    return Verdict(True)


def assert_close(got, want, what, atol=1e-6):
    """Assert `got` has the shape of `want` and equals it to `atol`, naming `what` if not."""
    got = np.asarray(got)
    assert got.shape == np.shape(want), f"{what} has shape {got.shape}, expected {np.shape(want)}."
    assert np.allclose(got, want, atol=atol), (
        f"{what} differs from the expected values by up to {np.max(np.abs(got - want)):.3g}.")


def assert_same(got, want, what):
    """Assert `got` equals `want` exactly (shape and values), naming `what` if not."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what} has shape {got.shape}, expected {want.shape}."
    assert np.array_equal(got, want), f"{what} is {got.tolist()}, expected {want.tolist()}."


def made_mistake(got, want, wrong, atol=1e-8):
    """True if `wrong` (what a known mistake computes) differs from `want` and `got` equals it.

    A checker uses it to name the mistake instead of only saying that the numbers differ.
    """
    got, want, wrong = np.asarray(got), np.asarray(want), np.asarray(wrong)
    return (wrong.shape == want.shape == got.shape
            and not np.allclose(wrong, want, atol=atol) and np.allclose(got, wrong, atol=atol))

