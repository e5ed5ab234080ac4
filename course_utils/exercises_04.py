"""Checkers for the exercises of notebook 04 (vanishing and exploding gradients).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `course_utils/exercises.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises import assert_close, check


def check_scale_to_spectral_radius(scale_to_spectral_radius):
    """Exercise 4.1: scale_to_spectral_radius(matrix, rho) -> matrix * c with rho(result) = rho."""
    def test(fn):
        rng = np.random.default_rng(41)
        for n, rho in [(6, 0.5), (10, 1.0), (16, 3.0)]:
            m = rng.normal(size=(n, n))          # non-symmetric: spectral radius < largest singular value
            got = np.asarray(fn(m.copy(), rho), dtype=np.float64)
            assert got.shape == m.shape, f"the result has shape {got.shape}, expected {m.shape}."
            radius = float(np.max(np.abs(np.linalg.eigvals(got))))
            top_sv = float(np.linalg.norm(got, 2))
            assert not np.isclose(top_sv, rho, rtol=1e-6) or np.isclose(radius, rho, rtol=1e-6), (
                f"for rho={rho} your matrix has largest singular value {rho} but spectral radius "
                f"{radius:.4f}: you divided by the matrix 2-norm, not by the largest |eigenvalue|.")
            assert np.isclose(radius, rho, rtol=1e-6), (
                f"for rho={rho} your matrix has spectral radius {radius:.4f}.")
            scale = float(np.sum(got * m) / np.sum(m * m))
            assert scale > 0 and np.allclose(got, scale * m, atol=1e-9), (
                "the result must be the input times one positive number: the same matrix, rescaled.")

    return check("Exercise 4.1", scale_to_spectral_radius, test,
                 "a matrix times a number has its eigenvalues times that number. Measure the matrix's spectral radius first.",
                 "the spectral radius is the largest ABSOLUTE eigenvalue, "
                 "np.max(np.abs(np.linalg.eigvals(matrix))) (eigenvalues can be complex); "
                 "multiply the matrix by rho / that number.")


def check_clip_each_by_norm(clip_each_by_norm):
    """Exercise 4.2: clip_each_by_norm(grads, max_norm) -> list, each array clipped on its own."""
    def test(fn):
        grads = [np.array([3.0, 4.0]), np.array([[0.6], [0.8]]), np.array([12.0, 0.0, 5.0])]
        before = [g.copy() for g in grads]                              # norms 5, 1, 13
        for max_norm, scales in [(2.0, [0.4, 1.0, 2 / 13]), (5.0, [1.0, 1.0, 5 / 13]),
                                 (20.0, [1.0, 1.0, 1.0])]:
            got = fn(grads, max_norm)
            assert all(np.array_equal(g, b) for g, b in zip(grads, before)), (
                "your function changed the arrays it was given; return new arrays instead.")
            got = list(got)
            assert len(got) == len(grads), f"return {len(grads)} arrays, got {len(got)}."
            norms = [float(np.linalg.norm(np.asarray(g))) for g in got]
            if np.isclose(np.sqrt(sum(n ** 2 for n in norms)), max_norm):
                raise AssertionError("the arrays together have norm 5: that is global clipping "
                                     "(global_clipnorm); clip each array on its own instead.")
            for i, (g, b, s) in enumerate(zip(got, before, scales)):
                assert_close(g, b * s, f"with max_norm={max_norm}, array {i} (norm {np.linalg.norm(b):g})",
                       atol=1e-12)

    return check("Exercise 4.2", clip_each_by_norm, test,
                 "unlike global clipping, every array is judged on its own norm.",
                 "for each array g on its own: n = np.linalg.norm(g); if n > max_norm return "
                 "g * max_norm / n, else g unchanged. Arrays under the limit are not scaled up.")


def check_steps_to_vanish(steps_to_vanish):
    """Exercise 4.3: steps_to_vanish(rho, factor=1e-3) -> smallest k with rho**k < factor, or None."""
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

    return check("Exercise 4.3", steps_to_vanish, test,
                 "the gradient after k steps is rho**k times its start; solve rho**k < factor for k with logarithms, and think about what happens when rho >= 1.",
                 "rho**k < factor means k > log(factor) / log(rho) (log(rho) < 0 flips the "
                 "inequality); the answer is the next whole number above that. Return None when "
                 "rho >= 1.")
