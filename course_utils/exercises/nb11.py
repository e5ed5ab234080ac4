"""Checkers for the exercises of notebook 11 (time-series forecasting: windows, baselines).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import assert_close, assert_same, check, made_mistake


def _windows(series, window, horizon, shift=0, rows=None):
    """(X, Y) with X[i] = series[i : i + window] and Y[i] the `horizon` values from
    i + window + shift (shift 0: right after the window); `rows` pairs, N by default.
    None if a pair would run outside the series or there is no pair."""
    n = len(series) - window - horizon + 1 if rows is None else rows
    start = window + shift
    if n < 1 or start < 0 or n - 1 + start + horizon > len(series) or n - 1 + window > len(series):
        return None
    X = np.stack([series[i:i + window] for i in range(n)])
    Y = np.stack([series[i + start:i + start + horizon] for i in range(n)])
    return X, Y


def _window_cases():
    """(series, window, horizon): readable values 100, 101, ... so that a message shows which
    steps a window holds; horizon 1 and horizon == window (where X and Y have one shape);
    exactly one pair; a window of 1; and a random walk."""
    walk = np.round(20 + np.cumsum(np.random.default_rng(11).normal(size=15)), 2)
    return [(100.0 + np.arange(10), 3, 2), (100.0 + np.arange(12), 4, 1),
            (100.0 + np.arange(9), 3, 3), (100.0 + np.arange(6), 4, 2),
            (100.0 + np.arange(7), 1, 2), (walk, 5, 4)]


def check_make_windows(make_windows):
    """Exercise 11.1: make_windows(series (T,), window, horizon) -> (X (N, window),
    Y (N, horizon)), two NumPy arrays, N = T - window - horizon + 1, X[i] = series[i : i +
    window], Y[i] = series[i + window : i + window + horizon]; ValueError if N < 1; the series
    unchanged."""
    def test(fn):
        for series, window, horizon in _window_cases():
            series = series.copy()
            before = series.copy()
            length = len(series)
            n = length - window - horizon + 1
            call = f"make_windows(series of length {length}, window={window}, horizon={horizon})"
            try:
                got = fn(series, window, horizon)
            except (ValueError, IndexError) as err:
                raise AssertionError(
                    f"{call} raised {type(err).__name__} ({err}), but N = {length} - {window} - "
                    f"{horizon} + 1 = {n} {'pair fits' if n == 1 else 'pairs fit'}. If you "
                    f"raised it yourself, raise only when N < 1. If NumPy raised it, your last "
                    f"window or its target runs past the end of the series (the rows come out "
                    f"uneven, or an index is out of range): the last pair is i = N - 1, whose Y "
                    f"ends exactly at the end of the series.")
            assert np.array_equal(series, before), (
                f"{call} changed its input series: the caller still needs it (the notebook "
                f"cuts several window sets from one series). Compute new arrays instead of "
                f"writing into series.")
            if not (isinstance(got, (tuple, list)) and len(got) == 2):
                kind = ("None" if got is None else f"a {type(got).__name__} of {len(got)} things"
                        if isinstance(got, (tuple, list)) else f"one {type(got).__name__}")
                raise AssertionError(f"{call} returned {kind}; return a pair (X, Y): "
                                     f"return X, Y.")
            X, Y = got
            for name, a in (("X", X), ("Y", Y)):
                assert isinstance(a, np.ndarray), (
                    f"{call} returned {name} as a {type(a).__name__}, not a NumPy array: Keras "
                    f"and the baselines slice it by rows and columns. Turn a list of windows "
                    f"into an array, e.g. np.array(rows) or np.stack(rows).")
            want_X, want_Y = _windows(series, window, horizon)
            swapped = (X.shape == want_Y.shape and Y.shape == want_X.shape and (
                window != horizon or (np.array_equal(X, want_Y) and np.array_equal(Y, want_X))))
            if swapped:
                raise AssertionError(
                    f"{call}: the pair is in the wrong order, you returned (Y, X). Return the "
                    f"inputs X, shape (N, window) = {want_X.shape}, first, then the targets Y, "
                    f"shape (N, horizon) = {want_Y.shape}.")
            if horizon > 1 and Y.shape[:1] in ((n,), (length - window,)) and (
                    Y.ndim == 1 or (Y.ndim == 2 and Y.shape[1] == 1)):
                raise AssertionError(
                    f"{call}: Y has shape {Y.shape}, expected (N, horizon) = {want_Y.shape}: "
                    f"you ignored the horizon and kept only the next value. Each Y[i] holds the "
                    f"{horizon} values that follow window i, and N also leaves room for them.")
            if horizon == 1 and Y.shape == (n,):
                raise AssertionError(
                    f"{call}: Y has shape {Y.shape}, expected (N, 1) = {want_Y.shape}: keep Y "
                    f"2-D also when horizon is 1, one row of `horizon` targets per window, so "
                    f"that the one-step and the multi-step forecasters read it alike.")
            assert X.ndim == 2 and X.shape[1] == window, (
                f"{call}: X has shape {X.shape}, expected (N, window) = {want_X.shape}: one row "
                f"of {window} consecutive values per window.")
            assert Y.ndim == 2 and Y.shape[1] == horizon, (
                f"{call}: Y has shape {Y.shape}, expected (N, horizon) = {want_Y.shape}: one row "
                f"of the {horizon} values that follow each window.")

            def is_shifted(shift):
                for rows in (n - 1, n, n + 1):
                    wrong = _windows(series, window, horizon, shift, rows)
                    if (wrong is not None and X.shape == wrong[0].shape
                            and Y.shape == wrong[1].shape and np.array_equal(X, wrong[0])
                            and np.array_equal(Y, wrong[1])):
                        return True
                return False

            assert not is_shifted(-1), (
                f"{call}: Y[i] starts at the last value of X[i], series[i + window - 1]; e.g. "
                f"X[0] = {X[0].tolist()} and Y[0] = {Y[0].tolist()}. The target then overlaps "
                f"the input, and a one-step forecaster only has to copy its last input. Y[i] "
                f"starts right after the window: series[i + window : i + window + horizon].")
            assert not is_shifted(1), (
                f"{call}: Y[i] starts one step too late, at series[i + window + 1]; e.g. "
                f"X[0] = {X[0].tolist()} and Y[0] = {Y[0].tolist()}. That skips the step right "
                f"after the window, the first one to forecast: Y[i] = "
                f"series[i + window : i + window + horizon].")
            assert X.shape[0] == Y.shape[0], (
                f"{call}: X has {X.shape[0]} rows and Y {Y.shape[0]}: one target row per "
                f"window, N = {n} of each.")
            if X.shape[0] == n - 1:
                raise AssertionError(
                    f"{call} gave {n - 1} pairs, one too few: the last pair, i = N - 1 = "
                    f"{n - 1}, has its target ending exactly at the end of the series (Y[-1] = "
                    f"{want_Y[-1].tolist()}). N = T - window - horizon + 1 = {n}: range(N), not "
                    f"range(N - 1) or range(T - window - horizon).")
            if X.shape[0] == n + 1:
                raise AssertionError(
                    f"{call} gave {n + 1} pairs, one too many: a pair i = {n} would need values "
                    f"past the end of the series. N = T - window - horizon + 1 = {n}.")
            assert X.shape[0] == n, (
                f"{call} gave {X.shape[0]} pairs, expected N = T - window - horizon + 1 = {n}: "
                f"one pair for every start i whose window and target both fit in the series.")
            assert_same(X, want_X, f"X of {call}")
            assert_same(Y, want_Y, f"Y of {call}")

        for length, window, horizon in ((5, 4, 2), (3, 4, 1)):
            series = 100.0 + np.arange(length)
            n = length - window - horizon + 1
            call = f"make_windows(series of length {length}, window={window}, horizon={horizon})"
            try:
                got = fn(series, window, horizon)
            except ValueError:
                continue
            except Exception as err:
                raise AssertionError(
                    f"{call} raised {type(err).__name__} ({err}); expected a ValueError: "
                    f"N = {n}, no window and its target fit. Check N yourself and raise "
                    f"ValueError(...) before building anything.")
            shapes = (f"arrays of shapes {[np.shape(a) for a in got]}"
                      if isinstance(got, (tuple, list)) else repr(got))
            raise AssertionError(
                f"{call} returned {shapes} instead of raising a ValueError: N = {length} - "
                f"{window} - {horizon} + 1 = {n}, no window and its target fit, and an empty "
                f"training set would only fail later, somewhere less clear.")

    return check("Exercise 11.1", make_windows, test,
                 "write down X[0] and Y[0] for a short series, say 10 values with window=3 and horizon=2, then X[1] and Y[1]. Where does the last pair end, and how many pairs fit?",
                 "N = len(series) - window - horizon + 1; if N < 1: raise ValueError(...). "
                 "X = np.stack([series[i:i + window] for i in range(N)]) and Y = "
                 "np.stack([series[i + window:i + window + horizon] for i in range(N)]); return "
                 "X, Y, two arrays. Do not write into series.")


def _seasonal_naive(history, period, horizon):
    """forecast[h] = history[len(history) - period + h % period]: the last season repeated."""
    return history[len(history) - period + np.arange(horizon) % period]


def _wrong_forecasts(history, period, horizon):
    """{mistake: [the forecasts (horizon,) that each way of making it computes]}."""
    length, h = len(history), np.arange(horizon)
    wrong = {
        "constant": [np.full(horizon, history[-period])],
        "persistence": [np.full(horizon, history[-1])],
        "off_by_one": [history[-period - 1 + h % period]] if length > period else [],
        "no_modulo": [history[-period + h]] if horizon <= length + period else [],
        "reversed": [history[-1 - h % period]],
        "first_season": [history[(length + h) % period], history[h % period]],
    }
    if length > period:
        wrong["constant"].append(np.full(horizon, history[-period - 1]))
    wrong["off_by_one"].append(history[-period + 1 + h % period])  # wraps round to history[0]
    return wrong


def _seasonal_cases():
    """(history, period, horizon): lengths that are not a multiple of the period, so that the
    phase matters; horizons longer than the period (the season repeats), shorter, and 1; a
    history of exactly one season; random values."""
    values = np.random.default_rng(12).permutation(40) + 0.5
    return [(100.0 + np.arange(17), 7, 10), (100.0 + np.arange(30), 12, 26),
            (100.0 + np.arange(10), 7, 3), (100.0 + np.arange(9), 4, 1),
            (100.0 + np.arange(4), 4, 6), (values[:23], 5, 12)]


def check_seasonal_naive(seasonal_naive):
    """Exercise 11.2: seasonal_naive(history (T,), period, horizon) -> forecast (horizon,) with
    forecast[h] = history[T - period + h % period], the last full season repeated; ValueError
    if T < period; the history unchanged."""
    def test(fn):
        for history, period, horizon in _seasonal_cases():
            history = history.copy()
            before = history.copy()
            length = len(history)
            call = (f"seasonal_naive(history of length {length}, period={period}, "
                    f"horizon={horizon})")
            try:
                got = fn(history, period, horizon)
            except IndexError as err:
                raise AssertionError(
                    f"{call} raised IndexError ({err}): you read past the end of the history. "
                    f"The forecast only reads the last full season, history[T - period : T]"
                    + (f"; for h >= period (here horizon {horizon} > period {period}) start "
                       f"that season again: h % period." if horizon > period else "."))
            assert np.array_equal(history, before), (
                f"{call} changed its input history: the caller still needs it (the same "
                f"history feeds every baseline). Compute a new array instead of writing into "
                f"history.")
            assert got is not None, f"{call} returned None: did you forget to return the forecast?"
            got = np.asarray(got, dtype=float)
            want = _seasonal_naive(history, period, horizon)
            if horizon > period and got.shape == (period,):
                raise AssertionError(
                    f"{call} returned {period} values, one season, expected horizon = "
                    f"{horizon}: when the horizon is longer than the period, the season starts "
                    f"again: forecast[h] = season[h % period] (np.resize or np.tile do that too).")
            assert got.shape == want.shape, (
                f"{call} has shape {got.shape}, expected (horizon,) = {want.shape}: one "
                f"forecast value per step ahead.")
            if not np.allclose(got, want, atol=1e-12):
                wrong = _wrong_forecasts(history, period, horizon)

                def matches(mistake):
                    return any(made_mistake(got, want, w, atol=1e-12) for w in wrong[mistake])

                shown = f"{call} is {got.tolist()}, expected {want.tolist()}"
                assert not matches("persistence"), (
                    f"{shown}: that repeats the last value, history[-1], the persistence "
                    f"baseline. The seasonal-naive forecast for h steps ahead is the value one "
                    f"period earlier: history[T - period + h % period].")
                assert not matches("constant"), (
                    f"{shown}: a constant forecast, one value of the history for every step "
                    f"ahead. Each step ahead takes its own value from the last season: step h "
                    f"takes history[T - period + h % period], the same point of the season.")
                assert not matches("off_by_one"), (
                    f"{shown}: off by one. The first step ahead, at time T, is one period "
                    f"after time T - period, so forecast[0] = history[T - period] = "
                    f"history[-period], and forecast[h] = history[T - period + h % period].")
                assert not matches("no_modulo"), (
                    f"{shown}: you forgot the modulo. Beyond the last season, history[-period + "
                    f"h] wraps round to the start of the history; for h >= period start the "
                    f"last season again: history[T - period + h % period].")
                assert not matches("reversed"), (
                    f"{shown}: your season runs backwards. forecast[0] is history[-period], the "
                    f"oldest value of the last season, one period before the first step ahead; "
                    f"then forward in time: history[T - period + h % period].")
                assert not matches("first_season"), (
                    f"{shown}: you repeated the first season of the history, not the last. "
                    f"The forecast repeats the most recent full season, history[T - period:].")
                assert_close(got, want, f"the forecast of {call}", atol=1e-12)

        for length, period, horizon in ((5, 7, 3), (11, 12, 1)):
            history = 100.0 + np.arange(length)
            call = (f"seasonal_naive(history of length {length}, period={period}, "
                    f"horizon={horizon})")
            try:
                got = fn(history, period, horizon)
            except ValueError:
                continue
            except Exception as err:
                raise AssertionError(
                    f"{call} raised {type(err).__name__} ({err}); expected a ValueError: the "
                    f"history is shorter than one period. Check len(history) < period first "
                    f"and raise ValueError(...).")
            raise AssertionError(
                f"{call} returned {np.asarray(got).tolist()} instead of raising a ValueError: "
                f"the history is shorter than one period, so there is no full season to "
                f"repeat (negative indices would silently read the wrong steps).")

    return check("Exercise 11.2", seasonal_naive, test,
                 "the last full season is the last `period` values of the history. Which of them does the forecast 1 step ahead use, which the one `period` steps ahead, and which `period + 1` steps ahead?",
                 "if len(history) < period: raise ValueError(...). season = "
                 "history[len(history) - period:]; forecast[h] = season[h % period], e.g. "
                 "return season[np.arange(horizon) % period] (or np.resize(season, horizon)). "
                 "Do not write into history.")
