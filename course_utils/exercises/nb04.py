"""Checkers for the exercises of notebook 04 (vanishing and exploding gradients).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import check
from course_utils.rnn import rnn_forward


def _close(got, want, rtol=1e-7):
    """Relative closeness: gradient norms can be tiny, so an absolute tolerance says nothing."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=1e-300))


def _norms_by_lag(step, lags, size, reverse=False, norm=2):
    """[||I||, ||step(0)||, ||step(0) @ step(1)||, ...]: the lag-k map is the product of the
    first k step matrices (reverse=True multiplies each new one on the left instead)."""
    m, out = np.eye(size), [np.linalg.norm(np.eye(size), norm)]
    for j in range(lags - 1):
        m = step(j) @ m if reverse else m @ step(j)
        out.append(np.linalg.norm(m, norm))
    return np.array(out)


_FROBENIUS = ("these are Frobenius norms (np.linalg.norm(M)); the spectral norm is "
              "np.linalg.norm(M, 2), the largest singular value.")


def _jacobian_norm_answers(recurrent_kernel, hs):
    """The right norms by lag and those of the typical mistakes, with what each mistake is.

    hs[t] is h_{t+1}, so step j back from the output (j = 0, 1, ...) is
    J_{T-j} = diag(1 - h_{T-j}**2) @ recurrent_kernel.T with h_{T-j} = hs[T-1-j].
    Mistakes not listed cannot be told apart from a right answer by the norms alone: the
    spectral norm of a matrix equals that of its transpose, so e.g. the product of
    recurrent_kernel @ diag(1 - h_t**2) in reversed order is also right.
    """
    T, H = hs.shape
    R, d = recurrent_kernel, 1.0 - hs ** 2
    at = lambda j: T - 1 - j                                     # index into hs of h_{T-j}
    right = _norms_by_lag(lambda j: d[at(j)][:, None] * R.T, T, H)
    mistakes = [
        (_norms_by_lag(lambda j: R.T, T, H),
         "your norms are those of powers of recurrent_kernel.T alone: the tanh derivative "
         "diag(1 - h_t**2) is missing from every step."),
        (_norms_by_lag(lambda j: (1.0 - np.tanh(hs[at(j)]) ** 2)[:, None] * R.T, T, H),
         "you used 1 - tanh(h_t)**2, but h_t is already tanh(a_t): tanh'(a_t) = 1 - h_t**2."),
        (_norms_by_lag(lambda j: d[at(j) - 1][:, None] * R.T, T, H),
         "off by one: each step back uses the derivative of the state before it, 1 - h_{t-1}**2; "
         "J_t needs 1 - h_t**2 of the state h_t that step t produced (hs[t] is h_{t+1}, so the "
         "first step back, from h_T, uses hs[-1])."),
        (_norms_by_lag(lambda j: d[at(j)][:, None] * R, T, H),
         "you multiplied by recurrent_kernel where its transpose belongs: a row-vector gradient "
         "goes back one step through recurrent_kernel.T."),
        (_norms_by_lag(lambda j: R.T * d[at(j)][None, :], T, H),
         "diag(1 - h_t**2) is on the wrong side of recurrent_kernel.T: going back, the gradient "
         "first passes through tanh (times 1 - h_t**2), then through recurrent_kernel.T."),
        (_norms_by_lag(lambda j: d[at(j)][:, None] * R.T, T, H, reverse=True),
         "the Jacobians are multiplied in the wrong order: the lag-k map is J_T @ J_{T-1} @ ... "
         "@ J_{T-k+1}, the step next to the output first, each further step on the right."),
        (_norms_by_lag(lambda j: d[at(j)][:, None] * R.T, T, H, norm="fro"), _FROBENIUS),
    ]
    return right, mistakes


def check_jacobian_norms_by_lag(jacobian_norms_by_lag):
    """Exercise 4.1: jacobian_norms_by_lag(recurrent_kernel, hs) -> T spectral norms by lag."""
    def compare(got, right, mistakes, what):
        T = len(right)
        got = np.asarray(got, dtype=np.float64)
        assert got.shape == right.shape, (
            f"{what}: you returned shape {got.shape}, expected ({T},): one norm for each lag "
            f"k = 0 .. {T - 1}, entry 0 (lag 0, the identity) included.")
        if _close(got, right):
            return
        for wrong, message in mistakes:
            if _close(got, wrong):
                raise AssertionError(f"{what}: {message}")
        assert not _close(got, right[::-1]), (
            f"{what}: your entries run in time order, from h_1 up to h_T; entry k is lag k, "
            f"so entry 0 belongs to h_T itself (the identity, norm 1).")
        assert np.isclose(got[0], 1.0), (
            f"{what}: entry 0 is {got[0]:.4g}; lag 0 is no step back, the identity, whose "
            f"spectral norm is 1.")
        bad = int(np.argmax(~np.isclose(got, right, rtol=1e-7, atol=1e-300)))
        raise AssertionError(f"{what}: entry {bad} (lag {bad}) is {got[bad]:.6g}, "
                             f"expected {right[bad]:.6g}.")

    def test(fn):
        # a sanity case first: tanh' = 1 everywhere and 0.5 times an orthogonal matrix
        q, _ = np.linalg.qr(np.random.default_rng(40).normal(size=(3, 3)))
        got = fn(0.5 * q, np.zeros((6, 3)))
        right = 0.5 ** np.arange(6)
        compare(got, right, [(right * np.sqrt(3), _FROBENIUS)],
                "With hs all zero (tanh' = 1) and recurrent_kernel 0.5 x an orthogonal matrix, "
                "so that entry k is 0.5**k")
        # states of real tanh RNNs, with a non-symmetric recurrent kernel
        rng = np.random.default_rng(41)
        for units, steps, scale in [(4, 8, 1.0), (5, 10, 2.0), (6, 12, 0.5)]:
            recurrent_kernel = rng.normal(size=(units, units)) * 1.2 / np.sqrt(units)
            kernel, bias = rng.normal(size=(3, units)), 0.3 * rng.normal(size=units)
            x = scale * rng.normal(size=(1, steps, 3))
            hs = rnn_forward(x, None, kernel, recurrent_kernel, bias)[0]
            right, mistakes = _jacobian_norm_answers(recurrent_kernel, hs)
            got = fn(recurrent_kernel.copy(), hs.copy())
            compare(got, right, mistakes, f"For H={units}, T={steps}")

    return check("Exercise 4.1", jacobian_norms_by_lag, test,
                 "start from the identity, the map for lag 0, and walk back from the last state hs[-1] one "
                 "Jacobian at a time; section 2 gives the Jacobian of one step.",
                 "M = np.eye(H); for t from T - 1 down to 1: M = M @ np.diag(1 - hs[t]**2) @ "
                 "recurrent_kernel.T, then append np.linalg.norm(M, 2). hs[t] is h_{t+1}, so the first "
                 "step back, from h_T, uses hs[-1].")


def check_steps_to_vanish(steps_to_vanish):
    """Exercise 4.2: steps_to_vanish(rho, factor=1e-3) -> smallest k with rho**k < factor, or None."""
    def reference(rho, factor):
        if rho >= 1:
            return None
        k, g = 0, 1.0
        while g >= factor:
            k, g = k + 1, g * rho
        return k

    def test(fn):
        # no case has rho**k == factor exactly, so float rounding cannot decide the answer
        for rho, factor in [(0.5, 1e-3), (0.9, 1e-3), (0.95, 1e-3), (0.3, 1e-3), (0.8, 1e-6),
                            (0.99, 0.5), (1.0, 1e-3), (1.5, 1e-3)]:
            want = reference(rho, factor)
            got = fn(rho, factor) if factor != 1e-3 else fn(rho)
            if want is None:
                assert got is None, (
                    f"for rho={rho} the gradient never shrinks (rho**k >= 1 for every k), so the "
                    f"answer is None; you returned {got!r}.")
                continue
            assert got is not None and float(got) == int(got), (
                f"steps_to_vanish({rho}, {factor}) should be a whole number of steps, got {got!r}.")
            got = int(got)
            assert got != want - 1, (
                f"steps_to_vanish({rho}, {factor}) = {got}, but {rho}**{got} = {rho ** got:.3g} is "
                f"not yet below {factor}: one step short (round up, not down).")
            assert got == want, f"steps_to_vanish({rho}, {factor}) = {got}, expected {want}."

    return check("Exercise 4.2", steps_to_vanish, test,
                 "the gradient after k steps is rho**k times its start; solve rho**k < factor for k with logarithms, and think about what happens when rho >= 1.",
                 "rho**k < factor means k > log(factor) / log(rho) (log(rho) < 0 flips the "
                 "inequality); the answer is the next whole number above that. Return None when "
                 "rho >= 1.")
