"""Checkers for the exercises of notebook 07 (deep RNNs).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import math

import numpy as np

from course_utils.exercises.checking import assert_close, check, made_mistake
from course_utils.rnn import rnn_forward


def _stack_forward(x, layers, mistake=None):
    """The residual stack's last states, or a named wrong version of them (all layers' states
    for "all_layers")."""
    if mistake == "around_first":       # x + rnn(x): only possible when D == H
        h = rnn_forward(x, None, *layers[0]) + x
    else:
        h = rnn_forward(x, None, *layers[0])
    if mistake == "first_only":
        return h
    states = [h]
    for layer in layers[1:]:
        if mistake == "plain":          # no residual at all
            h = rnn_forward(h, None, *layer)
        elif mistake == "into_input":   # the sum fed to the RNN: rnn(h + h), nothing added after
            h = rnn_forward(h + h, None, *layer)
        else:
            h = rnn_forward(h, None, *layer) + h
        states.append(h)
    return np.stack(states) if mistake == "all_layers" else h


def _stack_case(rng, n, steps, d, h, depth):
    x = rng.normal(size=(n, steps, d))
    layers = [(rng.normal(0, 0.6, (d if i == 0 else h, h)), rng.normal(0, 0.5, (h, h)),
               rng.normal(0, 0.2, h)) for i in range(depth)]
    return x, layers


def check_residual_stack_forward(residual_stack_forward):
    """Exercise 7.1: residual_stack_forward(x, layers) -> the last layer's states (N, T, H) of a
    stack of SimpleRNNs with a residual connection around every layer but the first."""
    def test(fn):
        rng = np.random.default_rng(71)
        # D == H first (a residual around the first layer is possible, and wrong), then D != H
        for n, steps, d, h, depth in ((3, 6, 4, 4, 3), (2, 5, 3, 5, 3), (4, 4, 6, 3, 2)):
            x, layers = _stack_case(rng, n, steps, d, h, depth)
            got = fn(x.copy(), [tuple(w.copy() for w in layer) for layer in layers])
            want = _stack_forward(x, layers)
            where = f"(N={n}, T={steps}, D={d}, H={h}, {depth} layers)"
            if isinstance(got, (list, tuple)):
                raise AssertionError(
                    f"you returned a {type(got).__name__} of {len(got)} arrays {where}; return one "
                    f"array, the LAST layer's states, of shape (N, T, H) = {want.shape}.")
            got = np.asarray(got, dtype=float)
            if got.shape == (depth, n, steps, h):
                raise AssertionError(
                    f"the result has shape {got.shape}: the states of all {depth} layers {where}. "
                    f"Return only the last layer's, of shape (N, T, H) = {want.shape}.")
            if got.shape == (n, h):
                raise AssertionError(
                    f"the result has shape {got.shape}, only the last time step {where}; return "
                    f"the last layer's states at every step, (N, T, H) = {want.shape}.")
            assert got.shape == want.shape, (
                f"the result has shape {got.shape}, expected (N, T, H) = {want.shape} {where}.")
            if np.allclose(got, want, atol=1e-8):
                continue

            def matches(mistake):
                return made_mistake(got, want, _stack_forward(x, layers, mistake), atol=1e-8)

            assert not matches("plain"), (
                f"that is a plain stack {where}: no residual connections. After every layer but "
                f"the first, add the layer's input to its output: h_l = rnn(h_(l-1)) + h_(l-1).")
            assert not matches("first_only"), (
                f"those are the FIRST layer's states {where}: run the input through all "
                f"{depth} layers and return the last one's.")
            assert not matches("around_first"), (
                f"you also added a residual around the first layer {where}: x + rnn(x) "
                f"only fits because D == H here. The first layer reads D features and outputs "
                f"H: in general they cannot be added, so the first layer has no residual.")
            assert not matches("into_input"), (
                f"the residual went INTO the next RNN {where}: you fed it h_(l-1) + h_(l-1) "
                f"and added nothing to its output. A residual connection goes around the layer: "
                f"h_l = rnn(h_(l-1)) + h_(l-1), added after the RNN.")
            assert_close(got, want, f"the last layer's states {where}", atol=1e-8)

    return check("Exercise 7.1", residual_stack_forward, test,
                 "run the layers one after the other, each on the previous layer's states, with cu.rnn_forward. Where can an addition go, and where can it not because the shapes differ?",
                 "h = cu.rnn_forward(x, None, *layers[0]) (no residual: x has D features); then "
                 "for every later layer h = cu.rnn_forward(h, None, *layer) + h, the layer's "
                 "input added to its output; return h, the last layer's (N, T, H) states.")


def _budget_cases():
    """(description, count_params, budget): SimpleRNN, LSTM, two-layer stacks, large budgets,
    and budgets exactly equal to a count."""
    def simple_rnn_2(u):
        return u * (2 + u) + u                                   # SimpleRNN(u) on 2 features

    def lstm_8(u):
        return 4 * (u * (8 + u) + u)                             # LSTM(u) on 8 features

    def stacked_rnn_1(u):
        return (u * (1 + u) + u) + (u * (u + u) + u) + (u + 1)   # 2 SimpleRNNs + Dense(1)

    def stacked_lstm_3(u):
        return 4 * (u * (3 + u) + u) + 4 * (u * (u + u) + u) + (u + 1)

    return [
        ("SimpleRNN on 2 features", simple_rnn_2, 1050),          # nearest would be 31
        ("SimpleRNN on 2 features", simple_rnn_2, simple_rnn_2(30)),   # boundary
        ("SimpleRNN on 2 features", simple_rnn_2, simple_rnn_2(1)),    # boundary at units=1
        ("LSTM on 8 features", lstm_8, 50_000),
        ("LSTM on 8 features", lstm_8, lstm_8(64)),                    # boundary
        ("two stacked SimpleRNNs + Dense(1)", stacked_rnn_1, 20_000),
        ("two stacked SimpleRNNs + Dense(1)", stacked_rnn_1, stacked_rnn_1(40) + 1),
        ("two stacked LSTMs + Dense(1)", stacked_lstm_3, 3_000_000),   # units in the hundreds
        ("SimpleRNN on 2 features", simple_rnn_2, 10_000_000),         # units in the thousands
        ("SimpleRNN on 2 features", simple_rnn_2, simple_rnn_2(2500)), # boundary, large
    ]


def _largest_units(count_params, budget):
    units = 1
    while count_params(2 * units) <= budget:
        units *= 2
    step = units
    while step > 1:                      # bisect between units and 2 * units
        step //= 2
        if count_params(units + step) <= budget:
            units += step
    return units


class _Counted:
    """count_params, with a limit on how often it is called (a bisection that never ends)."""
    LIMIT = 200_000

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, units):
        self.calls += 1
        if self.calls > self.LIMIT:
            raise AssertionError(
                f"count_params was called more than {self.LIMIT} times: does a loop never end? "
                f"(In a bisection, make sure the interval shrinks at every step.)")
        return self.fn(units)


def check_units_for_budget(units_for_budget):
    """Exercise 7.2: units_for_budget(count_params, budget) -> the largest int units >= 1 with
    count_params(units) <= budget; ValueError if even count_params(1) > budget."""
    def test(fn):
        for what, count, budget in _budget_cases():
            want = _largest_units(count, budget)
            got = fn(_Counted(count), budget)
            where = f"for a {what} with budget {budget}"
            assert isinstance(got, (int, np.integer)) and not isinstance(got, bool), (
                f"{where} you returned {got!r} ({type(got).__name__}); return an int: Keras "
                f"wants a whole number of units.")
            got = int(got)
            if got == want:
                continue
            if got == want + 1:
                raise AssertionError(
                    f"{where} you returned {got}, one too many: count_params({got}) = "
                    f"{count(got)} is over the budget. The answer is the largest units that "
                    f"FITS (count <= budget, here {want} with {count(want)}), not the nearest.")
            if got == want - 1:
                exact = (" (it equals the budget, and a count equal to the budget fits: "
                         "compare with <=, not <)") if count(want) == budget else ""
                raise AssertionError(
                    f"{where} you returned {got}, one too few: count_params({want}) = "
                    f"{count(want)} still fits{exact}.")
            raise AssertionError(
                f"{where} you returned {got} (count_params({got}) = "
                f"{count(got) if got >= 1 else 'undefined'}); expected {want}: "
                f"count_params({want}) = {count(want)} <= budget < "
                f"count_params({want + 1}) = {count(want + 1)}.")
        lstm_100 = lambda u: 4 * (u * (100 + u) + u)             # LSTM on 100 features
        for budget in (lstm_100(1) - 1, 10):
            try:
                got = fn(_Counted(lstm_100), budget)
            except ValueError:
                continue
            raise AssertionError(
                f"for an LSTM on 100 features with budget {budget}, even 1 unit needs "
                f"{lstm_100(1)} parameters, but you returned {got!r} instead of raising a "
                f"ValueError: no layer fits that budget.")

    return check("Exercise 7.2", units_for_budget, test,
                 "count_params only grows with units: try units = 1, 2, 3, ... and stop at the first that no longer fits. Which one do you return, and what if even 1 does not fit?",
                 "if count_params(1) > budget: raise ValueError(...). Else start at units = 1 "
                 "and increase while count_params(units + 1) <= budget (<=: a count equal to "
                 "the budget fits); return units, the last that fits, not the nearest. For "
                 "speed, double an upper bound and bisect.")


def _sign_test(differences, mistake=None):
    """The two-sided exact sign test's p-value, or a named wrong version of it."""
    d = np.asarray(differences, dtype=float)
    if mistake != "keep_zeros":
        d = d[d != 0]
    n = len(d)
    if n == 0:
        return 1.0
    k = int(np.sum(d > 0))
    if mistake == "count_positive":              # the tail of k, not of the rarer sign
        tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    else:
        tail = sum(math.comb(n, i) for i in range(min(k, n - k) + 1)) / 2 ** n
    if mistake == "one_sided":
        return tail
    if mistake == "uncapped":
        return 2 * tail
    return min(1.0, 2 * tail)


SIGN_CASES = [[0.1, 0.2, 0.05, 0.3, 0.02], [-0.1, -0.2, -0.05, -0.3, -0.02],
              [0.1, -0.2, 0.05, 0.3, 0.02], [0.4, -0.1, 0.2, -0.3], [0.0, 0.1, 0.2, 0.3, 0.0],
              [0.01] * 10, [0.5, -0.5], [0.0, 0.0], [0.2, 0.3, -0.1, 0.4, 0.1, 0.2, 0.3, 0.1]]


def check_sign_test(sign_test):
    """Exercise 7.3: sign_test(differences) -> the two-sided exact sign test's p-value for paired
    differences (ties, exact zeros, dropped; 1.0 if nothing is left)."""
    def test(fn):
        for case in SIGN_CASES:
            got = fn(np.array(case))
            want = _sign_test(case)
            where = f"for the differences {case}"
            assert isinstance(got, (float, np.floating)) and np.isfinite(got), (
                f"{where} you returned {got!r}; return the p-value, a float between 0 and 1.")
            if abs(got - want) < 1e-12:
                continue

            def matches(mistake):
                return made_mistake(got, want, _sign_test(case, mistake), atol=1e-12)

            assert got <= 1, (
                f"{where} you returned {got:.4g}, more than 1: a p-value is a probability. "
                f"Doubling the tail of a balanced count goes over 1: cap it at 1.")
            assert not matches("one_sided"), (
                f"{where} you returned {got:.4g}, half the expected {want:.4g}: that is a "
                f"one-sided p-value. We did not say beforehand which model would win, so either "
                f"direction counts: double the tail (and cap at 1).")
            assert not matches("keep_zeros"), (
                f"{where} you returned {got:.4g}, expected {want:.4g}: a difference of exactly 0 "
                f"favours neither model. Drop the zeros before counting.")
            assert not matches("count_positive"), (
                f"{where} you returned {got:.4g}, expected {want:.4g}: the tail must be that of "
                f"the RARER sign, min(k, n - k), so that the test is the same whichever model "
                f"you subtract from the other.")
            raise AssertionError(f"{where} you returned {got:.6g}, expected {want:.6g}.")

    return check("Exercise 7.3", sign_test, test,
                 "under 'no difference' each nonzero difference is positive with probability 1/2, independently. How likely is a split at least as lopsided as the one you see, in either direction?",
                 "drop exact zeros; n = how many are left (return 1.0 if none), k = how many "
                 "are positive, m = min(k, n - k); p = min(1, 2 * sum(math.comb(n, i) for i in "
                 "range(m + 1)) / 2 ** n).")
