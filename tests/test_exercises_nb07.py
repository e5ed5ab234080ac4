"""Notebook 07's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import time

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb07 as ex
from conftest import not_attempted


# --- 7.1 a residual stack of SimpleRNNs -----------------------------------------------------

def residual_stack_forward(x, layers):
    h = cu.rnn_forward(x, None, *layers[0])          # no residual: x has D features, h has H
    for layer in layers[1:]:
        h = cu.rnn_forward(h, None, *layer) + h
    return h


def stack_plain(x, layers):
    h = x
    for layer in layers:
        h = cu.rnn_forward(h, None, *layer)
    return h


def stack_residual_around_first_too(x, layers):      # crashes when D != H, wrong when D == H
    h = x
    for layer in layers:
        h = cu.rnn_forward(h, None, *layer) + h
    return h


def stack_all_layers(x, layers):
    states, h = [], cu.rnn_forward(x, None, *layers[0])
    states.append(h)
    for layer in layers[1:]:
        h = cu.rnn_forward(h, None, *layer) + h
        states.append(h)
    return states


def stack_all_layers_stacked(x, layers):
    return np.stack(stack_all_layers(x, layers))


def stack_first_layer_only(x, layers):
    h = cu.rnn_forward(x, None, *layers[0])
    for layer in layers[1:]:
        cu.rnn_forward(h, None, *layer) + h              # result dropped
    return h


def stack_residual_into_input(x, layers):
    h = cu.rnn_forward(x, None, *layers[0])
    prev = h
    for layer in layers[1:]:
        h = cu.rnn_forward(h + prev, None, *layer)       # the skip fed in, not added after
        prev = h
    return h


def stack_last_step_only(x, layers):
    return residual_stack_forward(x, layers)[:, -1]


# --- 7.2 units for a parameter budget ---------------------------------------------------------

def units_for_budget(count_params, budget):
    if count_params(1) > budget:
        raise ValueError(f"even 1 unit needs {count_params(1)} parameters > budget {budget}")
    units = 1
    while count_params(units + 1) <= budget:
        units += 1
    return units


def units_by_bisection(count_params, budget):
    if count_params(1) > budget:
        raise ValueError("budget too small")
    lo, hi = 1, 2
    while count_params(hi) <= budget:
        lo, hi = hi, 2 * hi                               # count(lo) fits, count(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if count_params(mid) <= budget else (lo, mid)
    return lo


def units_nearest(count_params, budget):
    units = units_for_budget(count_params, budget)
    over = units + 1
    return over if abs(count_params(over) - budget) < abs(count_params(units) - budget) else units


def units_strict_less(count_params, budget):             # count == budget counted as too big
    if count_params(1) > budget:
        raise ValueError("budget too small")
    units = 1
    while count_params(units + 1) < budget:
        units += 1
    return units


def units_one_low(count_params, budget):                 # stops one before the last that fits
    units = 0
    while count_params(units + 1) <= budget:
        units += 1
    return max(units - 1, 1)


def units_no_error(count_params, budget):                # returns 0 when nothing fits
    units = 0
    while count_params(units + 1) <= budget:
        units += 1
    return units


def units_as_float(count_params, budget):
    return float(units_for_budget(count_params, budget))


def units_endless_bisection(count_params, budget):       # lo = mid with hi = lo + 1 never ends
    if count_params(1) > budget:
        raise ValueError("budget too small")
    lo, hi = 1, budget
    while lo < hi:
        mid = (lo + hi) // 2
        if count_params(mid) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return lo


# --- 7.3 the sign test ---------------------------------------------------------------------

import math  # noqa: E402


def sign_test(differences):
    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    n = len(d)
    if n == 0:
        return 1.0
    m = min(int((d > 0).sum()), int((d < 0).sum()))
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(m + 1)) / 2 ** n)


def sign_test_by_enumeration(differences):            # every sign pattern, counted
    import itertools
    d = [x for x in differences if x != 0]
    n, k = len(d), sum(x > 0 for x in d)
    if n == 0:
        return 1.0
    extreme = abs(k - n / 2)
    hits = sum(abs(sum(p) - n / 2) >= extreme for p in itertools.product((0, 1), repeat=n))
    return hits / 2 ** n


def sign_one_sided(differences):
    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    n = len(d)
    m = min(int((d > 0).sum()), int((d < 0).sum()))
    return sum(math.comb(n, i) for i in range(m + 1)) / 2 ** n if n else 1.0


def sign_uncapped(differences):
    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    n = len(d)
    m = min(int((d > 0).sum()), int((d < 0).sum()))
    return 2 * sum(math.comb(n, i) for i in range(m + 1)) / 2 ** n if n else 1.0


def sign_keeps_zeros(differences):
    d = np.asarray(differences, dtype=float)
    n = len(d)
    m = min(int((d > 0).sum()), int((d <= 0).sum()))
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(m + 1)) / 2 ** n)


def sign_counts_positive(differences):
    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    n = len(d)
    if n == 0:
        return 1.0
    k = int((d > 0).sum())
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def sign_normal_approximation(differences):
    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    n = len(d)
    if n == 0:
        return 1.0
    z = abs((d > 0).sum() - n / 2) / math.sqrt(n / 4)
    return float(math.erfc(z / math.sqrt(2)))


def sign_returns_count(differences):
    return int((np.asarray(differences) > 0).sum())


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_residual_stack_forward, residual_stack_forward),
    (ex.check_units_for_budget, units_for_budget),
    (ex.check_units_for_budget, units_by_bisection),
    (ex.check_sign_test, sign_test),
    (ex.check_sign_test, sign_test_by_enumeration),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


@pytest.mark.parametrize("checker, wrong", [
    (ex.check_residual_stack_forward, stack_plain),
    (ex.check_residual_stack_forward, stack_residual_around_first_too),
    (ex.check_residual_stack_forward, stack_all_layers),
    (ex.check_residual_stack_forward, stack_all_layers_stacked),
    (ex.check_residual_stack_forward, stack_first_layer_only),
    (ex.check_residual_stack_forward, stack_residual_into_input),
    (ex.check_residual_stack_forward, stack_last_step_only),
    (ex.check_units_for_budget, units_nearest),
    (ex.check_units_for_budget, units_strict_less),
    (ex.check_units_for_budget, units_one_low),
    (ex.check_units_for_budget, units_no_error),
    (ex.check_units_for_budget, units_as_float),
    (ex.check_units_for_budget, units_endless_bisection),
    (ex.check_sign_test, sign_one_sided),
    (ex.check_sign_test, sign_uncapped),
    (ex.check_sign_test, sign_keeps_zeros),
    (ex.check_sign_test, sign_counts_positive),
    (ex.check_sign_test, sign_normal_approximation),
    (ex.check_sign_test, sign_returns_count),
])
def test_plausible_wrong_answers_fail(checker, wrong, verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out


@pytest.mark.parametrize("checker", [ex.check_residual_stack_forward, ex.check_units_for_budget,
                                     ex.check_sign_test])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


@pytest.mark.parametrize("checker, wrong, reason", [
    (ex.check_residual_stack_forward, stack_plain, "plain stack"),
    (ex.check_residual_stack_forward, stack_residual_around_first_too, "around the first layer"),
    (ex.check_residual_stack_forward, stack_all_layers, "list of 3 arrays"),
    (ex.check_residual_stack_forward, stack_all_layers_stacked, "the states of all 3 layers"),
    (ex.check_residual_stack_forward, stack_first_layer_only, "FIRST layer's states"),
    (ex.check_residual_stack_forward, stack_residual_into_input, "went INTO the next RNN"),
    (ex.check_residual_stack_forward, stack_last_step_only, "only the last time step"),
    (ex.check_units_for_budget, units_nearest, "one too many"),
    (ex.check_units_for_budget, units_strict_less, "a count equal to the budget fits"),
    (ex.check_units_for_budget, units_one_low, "one too few"),
    (ex.check_units_for_budget, units_no_error, "instead of raising a ValueError"),
    (ex.check_units_for_budget, units_as_float, "return an int"),
    (ex.check_units_for_budget, units_endless_bisection, "does a loop never end"),
    (ex.check_sign_test, sign_one_sided, "one-sided"),
    (ex.check_sign_test, sign_uncapped, "cap it at 1"),
    (ex.check_sign_test, sign_keeps_zeros, "Drop the zeros"),
    (ex.check_sign_test, sign_counts_positive, "RARER sign"),
    (ex.check_sign_test, sign_returns_count, "return the p-value"),
])
def test_hints_name_the_problem(checker, wrong, reason, capsys):
    assert not checker(wrong)
    assert reason in capsys.readouterr().out


def test_the_residual_around_the_first_layer_is_caught_before_it_crashes(capsys):
    """The D == H case comes first, so that mistake gets its message, not a broadcasting error."""
    ex.check_residual_stack_forward(stack_residual_around_first_too)
    out = capsys.readouterr().out
    assert "around the first layer" in out and "raised" not in out


def test_budget_cases_include_boundaries_and_large_budgets():
    cases = ex._budget_cases()
    wants = [ex._largest_units(count, budget) for _, count, budget in cases]
    assert any(count(want) == budget for (_, count, budget), want in zip(cases, wants))
    assert any(count(1) == budget for _, count, budget in cases)
    assert max(wants) >= 1000 and any(100 <= w < 1000 for w in wants)
    for (_, count, budget), want in zip(cases, wants):     # the checker's bisection is right
        assert want == units_for_budget(count, budget)


def test_budget_checker_is_quick_for_a_loop_and_a_bisection():
    for solution in (units_for_budget, units_by_bisection):
        start = time.perf_counter()
        assert ex.check_units_for_budget(solution)
        assert time.perf_counter() - start < 2.0


def test_sign_test_reference_values():
    """Known values, and cases that tell every named mistake apart: balanced splits (the cap),
    zeros, no nonzero difference at all, and both signs in the majority."""
    assert sign_test([0.1] * 5) == sign_test([-0.1] * 5) == 2 / 32   # 5 seeds: never below 0.05
    assert sign_test([0.1] * 10) == 2 / 1024
    assert sign_test([0.0, 0.0]) == 1.0 and sign_test([0.5, -0.5]) == 1.0
    assert sign_test([0.1, 0.2, 0.0, 0.3]) == sign_test([0.1, 0.2, 0.3])
    for case in ex.SIGN_CASES:
        assert abs(sign_test(case) - sign_test_by_enumeration(case)) < 1e-12
