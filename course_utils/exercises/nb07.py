"""Checkers for the exercises of notebook 07 (deep RNNs).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
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


def _relu(a):
    return np.maximum(a, 0.0)


def _dt_step(x_t, h_prev, W1, U1, b1, W2, b2, U2, W3, mistake=None):
    """One deep-transition step with shortcut, or a named wrong version of it."""
    act1, act2 = (np.tanh, _relu) if mistake == "swapped" else (_relu, np.tanh)
    z = act1(x_t @ W1 + h_prev @ U1 + b1)
    top = z @ W2 + b2
    shortcut = {"no_shortcut": 0.0, "only_h": h_prev @ U2, "only_x": x_t @ W3}.get(
        mistake, h_prev @ U2 + x_t @ W3)
    if mistake == "relu_around_all":            # the shortcut inside a relu
        return act2(_relu(top + shortcut))
    if mistake == "relu_on_top":                # a relu on z W2 + b2 only
        return act2(_relu(top) + shortcut)
    return act2(top + shortcut)


def check_deep_transition_step(deep_transition_step):
    """Exercise 7.3: deep_transition_step(x_t, h_prev, W1, U1, b1, W2, b2, U2, W3) -> h_t (N, H)
    of the deep-transition cell with shortcut: z = relu(x_t W1 + h_prev U1 + b1),
    h_t = tanh(z W2 + b2 + h_prev U2 + x_t W3)."""
    def test(fn):
        rng = np.random.default_rng(73)
        for n, d, h, m in ((4, 3, 5, 7), (2, 6, 3, 4), (3, 2, 4, 6)):
            args = (rng.normal(size=(n, d)), rng.normal(size=(n, h)),
                    rng.normal(0, 0.6, (d, m)), rng.normal(0, 0.6, (h, m)), rng.normal(0, 0.3, m),
                    rng.normal(0, 0.6, (m, h)), rng.normal(0, 0.3, h),
                    rng.normal(0, 0.6, (h, h)), rng.normal(0, 0.6, (d, h)))
            got = np.asarray(fn(*(a.copy() for a in args)), dtype=float)
            want = _dt_step(*args)
            where = f"(N={n}, D={d}, H={h}, M={m})"
            assert got.shape == want.shape, (
                f"h_t has shape {got.shape}, expected (N, H) = {want.shape} {where}.")
            if np.allclose(got, want, atol=1e-10):
                continue

            def matches(mistake):
                return made_mistake(got, want, _dt_step(*args, mistake=mistake), atol=1e-10)

            assert not matches("no_shortcut"), (
                f"h_t has no shortcut {where}: that is tanh(z W2 + b2) alone. DT(S) adds "
                f"h_prev U2 + x_t W3 inside the tanh, so the state and the input also reach "
                f"h_t in one step.")
            assert not matches("only_h"), (
                f"the shortcut has h_prev U2 but not x_t W3 {where}: both go inside the tanh.")
            assert not matches("only_x"), (
                f"the shortcut has x_t W3 but not h_prev U2 {where}: both go inside the tanh.")
            assert not matches("swapped"), (
                f"tanh and relu are swapped {where}: the intermediate layer is relu, z = "
                f"relu(x_t W1 + h_prev U1 + b1); the new state is tanh(...), bounded like "
                f"a SimpleRNN's.")
            assert not (matches("relu_around_all") or matches("relu_on_top")), (
                f"there is a relu on the second layer {where}: the shortcut terms and z W2 + b2 "
                f"go straight into the tanh, h_t = tanh(z W2 + b2 + h_prev U2 + x_t W3); only "
                f"z has a relu.")
            assert_close(got, want, f"h_t {where}", atol=1e-10)

    return check("Exercise 7.3", deep_transition_step, test,
                 "two layers between h_prev and h_t: first compute the intermediate z from x_t and h_prev, then h_t from z. Which terms skip the intermediate layer?",
                 "z = np.maximum(x_t @ W1 + h_prev @ U1 + b1, 0); h_t = np.tanh(z @ W2 + b2 + "
                 "h_prev @ U2 + x_t @ W3). The shortcut terms h_prev @ U2 and x_t @ W3 skip z "
                 "and go straight into the tanh.")
