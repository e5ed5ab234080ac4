"""Notebook 11's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import numpy as np
import pytest

from course_utils.exercises import nb11 as ex
from conftest import not_attempted


# --- 11.1 windows of inputs and targets ------------------------------------------------------

def make_windows(series, window, horizon):
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError(f"no window of {window} and horizon of {horizon} fits in {len(series)}")
    X = np.stack([series[i:i + window] for i in range(n)])
    Y = np.stack([series[i + window:i + window + horizon] for i in range(n)])
    return X, Y


def make_windows_vectorised(series, window, horizon):
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError("series too short")
    index = np.arange(n)[:, None] + np.arange(window + horizon)[None, :]
    pairs = series[index]
    return pairs[:, :window], pairs[:, window:]


def make_windows_strided(series, window, horizon):
    if len(series) < window + horizon:
        raise ValueError("series too short")
    pairs = np.lib.stride_tricks.sliding_window_view(series, window + horizon)
    return pairs[:, :window], pairs[:, window:]


def _pairs(series, window, horizon, shift=0, rows=None):
    n = len(series) - window - horizon + 1 if rows is None else rows
    X = np.array([series[i:i + window] for i in range(n)])
    Y = np.array([series[i + window + shift:i + window + shift + horizon] for i in range(n)])
    return X, Y


def mw_one_missing(series, window, horizon):
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError("series too short")
    return _pairs(series, window, horizon, rows=n - 1)


def mw_one_too_many(series, window, horizon):                 # the last Y comes out short
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError("series too short")
    return _pairs(series, window, horizon, rows=n + 1)


def mw_one_too_many_indexed(series, window, horizon):
    n = len(series) - window - horizon + 2
    if n < 2:
        raise ValueError("series too short")
    pairs = series[np.arange(n)[:, None] + np.arange(window + horizon)]
    return pairs[:, :window], pairs[:, window:]


def mw_overlap(series, window, horizon):
    if len(series) - window - horizon + 1 < 1:
        raise ValueError("series too short")
    return _pairs(series, window, horizon, shift=-1)


def mw_overlap_one_more(series, window, horizon):                # Y from the last input on
    if len(series) - window - horizon + 1 < 1:
        raise ValueError("series too short")
    return _pairs(series, window, horizon, shift=-1, rows=len(series) - window - horizon + 2)


def mw_shifted(series, window, horizon):                         # and one pair fewer to fit
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError("series too short")
    return _pairs(series, window, horizon, shift=1, rows=n - 1)


def mw_shifted_crashes(series, window, horizon):
    if len(series) - window - horizon + 1 < 1:
        raise ValueError("series too short")
    return _pairs(series, window, horizon, shift=1)


def mw_swapped(series, window, horizon):
    X, Y = make_windows(series, window, horizon)
    return Y, X


def mw_horizon_ignored(series, window, horizon):
    n = len(series) - window
    if n < 1:
        raise ValueError("series too short")
    X = np.stack([series[i:i + window] for i in range(n)])
    return X, series[window:window + n, None]


def mw_y_flat(series, window, horizon):
    X, Y = make_windows(series, window, horizon)
    return X, Y[:, 0] if horizon == 1 else Y


def mw_lists(series, window, horizon):
    X, Y = make_windows(series, window, horizon)
    return [list(x) for x in X], [list(y) for y in Y]


def mw_normalises_in_place(series, window, horizon):
    series -= series.mean()
    series /= series.std()
    return make_windows(series, window, horizon)


def mw_no_error(series, window, horizon):
    n = max(len(series) - window - horizon + 1, 0)
    X = np.array([series[i:i + window] for i in range(n)]).reshape(n, window)
    Y = np.array([series[i + window:i + window + horizon] for i in range(n)]).reshape(n, horizon)
    return X, Y


def mw_raises_at_one(series, window, horizon):
    if len(series) - window - horizon + 1 <= 1:
        raise ValueError("series too short")
    return make_windows(series, window, horizon)


def mw_only_x(series, window, horizon):
    return make_windows(series, window, horizon)[0]


# --- 11.2 the seasonal-naive forecast --------------------------------------------------------

def seasonal_naive(history, period, horizon):
    if len(history) < period:
        raise ValueError("the history is shorter than one period")
    season = history[len(history) - period:]
    return season[np.arange(horizon) % period]


def seasonal_naive_loop(history, period, horizon):
    if len(history) < period:
        raise ValueError("the history is shorter than one period")
    forecast = []
    for h in range(horizon):
        forecast.append(history[len(history) - period + h % period])
    return forecast


def seasonal_naive_resize(history, period, horizon):
    if len(history) < period:
        raise ValueError("need one full season")
    return np.resize(history[-period:], horizon)


def seasonal_naive_tile(history, period, horizon):
    if len(history) < period:
        raise ValueError("need one full season")
    return np.tile(history[-period:], horizon // period + 1)[:horizon]


def _check_length(history, period):
    if len(history) < period:
        raise ValueError("need one full season")


def sn_constant(history, period, horizon):
    _check_length(history, period)
    return np.full(horizon, history[-period])


def sn_constant_before_last(history, period, horizon):
    _check_length(history, period)
    return np.full(horizon, history[-1 - period])


def sn_off_by_one(history, period, horizon):
    _check_length(history, period)
    return np.array([history[-period - 1 + h % period] for h in range(horizon)])


def sn_off_by_one_late(history, period, horizon):
    _check_length(history, period)
    return np.array([history[-period + 1 + h % period] for h in range(horizon)])


def sn_no_modulo(history, period, horizon):                      # IndexError past the end
    _check_length(history, period)
    return np.array([history[len(history) - period + h] for h in range(horizon)])


def sn_no_modulo_negative(history, period, horizon):             # wraps round to history[0]
    _check_length(history, period)
    return np.array([history[-period + h] for h in range(horizon)])


def sn_one_season_only(history, period, horizon):
    _check_length(history, period)
    return history[-period:][:horizon]


def sn_persistence(history, period, horizon):
    _check_length(history, period)
    return np.full(horizon, history[-1])


def sn_reversed(history, period, horizon):
    _check_length(history, period)
    return np.resize(history[-period:][::-1], horizon)


def sn_first_season(history, period, horizon):
    _check_length(history, period)
    return np.resize(history[:period], horizon)


def sn_in_place(history, period, horizon):
    _check_length(history, period)
    level = history.mean()
    history -= level                                             # "centre it first"
    return seasonal_naive(history, period, horizon) + level


def sn_no_error(history, period, horizon):
    return np.array([history[-period + h % period] for h in range(horizon)])


def sn_returns_none(history, period, horizon):
    _check_length(history, period)
    forecast = seasonal_naive(history, period, horizon)         # noqa: F841 (no return)


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_make_windows, make_windows),
    (ex.check_make_windows, make_windows_vectorised),
    (ex.check_make_windows, make_windows_strided),
    (ex.check_seasonal_naive, seasonal_naive),
    (ex.check_seasonal_naive, seasonal_naive_loop),
    (ex.check_seasonal_naive, seasonal_naive_resize),
    (ex.check_seasonal_naive, seasonal_naive_tile),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


WRONG = [
    (ex.check_make_windows, mw_one_missing, "one too few"),
    (ex.check_make_windows, mw_one_too_many, "runs past the end of the series"),
    (ex.check_make_windows, mw_one_too_many_indexed, "runs past the end of the series"),
    (ex.check_make_windows, mw_overlap, "starts at the last value of X[i]"),
    (ex.check_make_windows, mw_overlap_one_more, "starts at the last value of X[i]"),
    (ex.check_make_windows, mw_shifted, "starts one step too late"),
    (ex.check_make_windows, mw_shifted_crashes, "runs past the end of the series"),
    (ex.check_make_windows, mw_swapped, "you returned (Y, X)"),
    (ex.check_make_windows, mw_horizon_ignored, "you ignored the horizon"),
    (ex.check_make_windows, mw_y_flat, "keep Y 2-D also when horizon is 1"),
    (ex.check_make_windows, mw_lists, "not a NumPy array"),
    (ex.check_make_windows, mw_normalises_in_place, "changed its input series"),
    (ex.check_make_windows, mw_no_error, "instead of raising a ValueError"),
    (ex.check_make_windows, mw_raises_at_one, "raise only when N < 1"),
    (ex.check_make_windows, mw_only_x, "return a pair (X, Y)"),
    (ex.check_seasonal_naive, sn_constant, "a constant forecast"),
    (ex.check_seasonal_naive, sn_constant_before_last, "a constant forecast"),
    (ex.check_seasonal_naive, sn_off_by_one, "off by one"),
    (ex.check_seasonal_naive, sn_off_by_one_late, "off by one"),
    (ex.check_seasonal_naive, sn_no_modulo, "h % period"),
    (ex.check_seasonal_naive, sn_no_modulo_negative, "you forgot the modulo"),
    (ex.check_seasonal_naive, sn_one_season_only, "the season starts again"),
    (ex.check_seasonal_naive, sn_persistence, "the persistence baseline"),
    (ex.check_seasonal_naive, sn_reversed, "your season runs backwards"),
    (ex.check_seasonal_naive, sn_first_season, "the first season of the history, not the last"),
    (ex.check_seasonal_naive, sn_in_place, "changed its input history"),
    (ex.check_seasonal_naive, sn_no_error, "expected a ValueError"),
    (ex.check_seasonal_naive, sn_returns_none, "returned None"),
]


@pytest.mark.parametrize("checker, wrong, reason", WRONG, ids=[w.__name__ for _, w, _ in WRONG])
def test_plausible_wrong_answers_fail_with_a_hint_that_names_the_problem(checker, wrong, reason,
                                                                          verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out
    assert reason in out and "your code raised" not in out, out


@pytest.mark.parametrize("checker", [ex.check_make_windows, ex.check_seasonal_naive])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


def test_make_windows_reference_on_the_notebook_example():
    X, Y = ex._windows(np.arange(6.0), 3, 2)
    np.testing.assert_array_equal(X, [[0, 1, 2], [1, 2, 3]])
    np.testing.assert_array_equal(Y, [[3, 4], [4, 5]])
    assert ex._windows(np.arange(4.0), 3, 2) is None                # N = 0
    assert ex._windows(np.arange(6.0), 3, 2, shift=1) is None       # the last Y runs past the end


def test_window_cases_tell_the_named_mistakes_apart():
    for series, window, horizon in ex._window_cases():
        n = len(series) - window - horizon + 1
        assert n >= 1 and len(np.unique(series)) == len(series)
    assert any(w == h for _, w, h in ex._window_cases())          # X and Y of one shape
    assert any(h == 1 for _, _, h in ex._window_cases())
    assert any(len(s) - w - h + 1 == 1 for s, w, h in ex._window_cases())


def test_seasonal_naive_reference_on_the_notebook_example():
    history = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    np.testing.assert_array_equal(ex._seasonal_naive(history, 7, 9), [4, 5, 6, 7, 8, 9, 10, 4, 5])
    np.testing.assert_array_equal(ex._seasonal_naive(history, 1, 3), [10, 10, 10])  # persistence


def test_seasonal_cases_make_every_named_mistake_visible():
    """Each named mistake differs from the right forecast in at least one case."""
    seen = set()
    for history, period, horizon in ex._seasonal_cases():
        assert len(history) >= period and len(np.unique(history)) == len(history)
        want = ex._seasonal_naive(history, period, horizon)
        for mistake, forecasts in ex._wrong_forecasts(history, period, horizon).items():
            if any(w.shape == want.shape and not np.allclose(w, want) for w in forecasts):
                seen.add(mistake)
    assert seen == {"constant", "persistence", "off_by_one", "no_modulo", "reversed",
                    "first_season"}
