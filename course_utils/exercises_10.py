"""Checkers for the exercises of notebook 10 (a character-level language model: sampling with
temperature, the bigram baseline).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `course_utils/exercises.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises import assert_close, check


def _made(got, want, wrong, atol):
    """`made_mistake` for results that may hold NaN or inf: True if `wrong` differs from `want`
    and `got` equals it, a NaN matching a NaN (an overflow is a mistake too)."""
    got, want, wrong = (np.asarray(a, dtype=float) for a in (got, want, wrong))
    return (wrong.shape == want.shape == got.shape
            and not np.allclose(wrong, want, atol=atol, equal_nan=True)
            and np.allclose(got, wrong, atol=atol, equal_nan=True))


# --- 10.1 sampling with a temperature --------------------------------------------------------

def _softmax(z, axis=-1):
    """Softmax along `axis`, stable: the max is subtracted before np.exp."""
    with np.errstate(all="ignore"):
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)


def _temperature_probs(logits, temperature):
    """softmax(logits / temperature) along the last axis."""
    return _softmax(np.asarray(logits, dtype=float) / temperature)


def _wrong_probs(logits, temperature):
    """{mistake: [the probabilities that each way of making it computes]}."""
    z = logits / temperature
    p = _softmax(logits)
    with np.errstate(all="ignore"):
        stable = np.exp(z - z.max(axis=-1, keepdims=True))
        whole = np.exp(z - z.max())
        wrong = {
            "ignored": [p],
            "multiplied": [_softmax(logits * temperature)],      # = p ** T, renormalised
            "unnormalised": [z, stable, np.exp(z)],
            "on_probs": [p / temperature, p * temperature, p ** (1 / temperature),
                         p ** temperature],
            "global_max": [whole / whole.sum(axis=-1, keepdims=True)],
            "overflow": [np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)],
        }
        if logits.ndim == 2:
            wrong["wrong_axis"] = [_softmax(z, axis=0), whole / whole.sum(),
                                   stable / stable.sum()]
            if logits.shape[0] == logits.shape[1]:   # e / e.sum(axis=-1) broadcasts: N == V
                flat = np.exp(z - z.max(axis=-1))            # the max without keepdims
                wrong["keepdims"] = [stable / stable.sum(axis=-1), flat / flat.sum(axis=-1),
                                     flat / flat.sum(axis=-1, keepdims=True)]
    return wrong


def _temperature_cases():
    """(logits, temperature, what): one step's logits (V,) at temperature 1 (a plain softmax),
    below 1 and above 1, and near 0 (almost greedy); a batch (N, V) with N != V, then N == V,
    where a missing keepdims still broadcasts; logits near 1000 at temperature 0.1, where a
    plain np.exp overflows; and rows of very different size, where subtracting the max of the
    whole array instead of each row's makes a row 0 / 0."""
    rng = np.random.default_rng(10)
    step = np.array([2.0, 1.0, 0.1, -1.0, 0.5])
    return [
        (step, 1.0, "one step"),
        (step, 0.5, "one step"),
        (step, 2.0, "one step"),
        (np.array([1.0, 3.0, 2.0, 2.95]), 0.01, "one step, almost greedy"),
        (np.round(2 * rng.normal(size=(3, 5)), 2), 0.7, "shape (N, V) = (3, 5)"),
        (np.round(2 * rng.normal(size=(4, 4)), 2), 1.5, "shape (N, V) = (4, 4)"),
        (np.array([1000.0, 999.0, 998.0, 990.0]), 0.1, "one step, logits near 1000"),
        (np.array([[1000.0, 998.0, 995.0, 990.0], [-1000.0, -999.0, -1003.0, -1010.0],
                   [3.0, 1.0, 2.0, 0.5]]), 0.1,
         "shape (N, V) = (3, 4), rows near 1000, -1000 and 0"),
    ]


def _show_logits(logits, what):
    return (f"temperature_probs({logits.tolist()}" if logits.ndim == 1
            else f"temperature_probs(logits of {what}")


def check_temperature_probs(temperature_probs):
    """Exercise 10.1: temperature_probs(logits (V,) or (N, V), temperature > 0) -> the
    probabilities softmax(logits / temperature) along the last axis, the shape of logits;
    numerically stable (logits near 1000 at temperature 0.1), logits unchanged."""
    def test(fn):
        for logits, temperature, what in _temperature_cases():
            where = f"{_show_logits(logits, what)}, temperature={temperature})"
            logits = logits.copy()
            before = logits.copy()
            try:
                with np.errstate(all="ignore"):       # an overflow is reported below, by name
                    got = fn(logits, temperature)
            except (ValueError, IndexError) as err:
                if logits.ndim == 1 and "axis" in str(err):
                    raise AssertionError(
                        f"{where} raised {type(err).__name__} ({err}): one step's logits are 1-D, "
                        f"shape (V,), and have no axis 1. Use axis=-1, the last axis: the same "
                        f"code then works for one step (V,) and a batch (N, V).") from None
                if logits.ndim == 2 and "broadcast" in str(err):
                    raise AssertionError(
                        f"{where} raised {type(err).__name__} ({err}): a row's max or sum "
                        f"taken without keepdims=True has shape (N,), which does not line up "
                        f"with the (N, V) logits. Use keepdims=True, shape (N, 1), so that "
                        f"each row is divided by its own sum.") from None
                raise
            assert np.array_equal(logits, before), (
                f"{where} changed its input logits (logits /= temperature or logits -= "
                f"logits.max() writes into the caller's array): the sampling loop still needs "
                f"them. z = logits / temperature makes a new array.")
            assert got is not None, f"{where} returned None: return the probabilities."
            got = np.asarray(got, dtype=float)
            want = _temperature_probs(logits, temperature)
            assert got.shape == want.shape, (
                f"{where} returned shape {got.shape}, expected {want.shape}, the shape of "
                f"logits: one probability per logit, a distribution over the V characters "
                f"for each row.")
            if np.allclose(got, want, atol=1e-9):
                continue
            wrong = _wrong_probs(logits, temperature)

            def matches(mistake):
                return any(_made(got, want, w, atol=1e-9) for w in wrong.get(mistake, []))

            assert not matches("ignored"), (
                f"{where} is softmax(logits), the same at every temperature: you ignored the "
                f"temperature. Divide the logits by it before the softmax.")
            assert not matches("multiplied"), (
                f"{where} is softmax(logits * temperature): you multiplied by the temperature "
                f"(or raised the probabilities to the power temperature), which flattens where "
                f"it should sharpen and the other way round. Divide: softmax(logits / "
                f"temperature), so that a temperature below 1 sharpens and one above 1 "
                f"flattens.")
            assert not matches("wrong_axis"), (
                f"{where}: your probabilities do not sum to 1 along each row, you took the "
                f"softmax over the wrong axis (axis=0, down the batch, or the whole array). "
                f"Each row is one distribution over the V characters: axis=-1, with "
                f"keepdims=True.")
            assert not matches("keepdims"), (
                f"{where}: a row's max or sum taken without keepdims=True has shape (N,), and "
                f"e / e.sum(axis=-1) divides column j by row j's sum (it only broadcasts because "
                f"N == V here). Use keepdims=True, shape (N, 1).")
            assert not matches("unnormalised"), (
                f"{where}: these are not probabilities, they do not sum to 1 (sums "
                f"{np.round(got.sum(axis=-1), 4).tolist()}): you returned the scaled logits, or "
                f"their exp, without the softmax's division by the sum.")
            assert not matches("on_probs"), (
                f"{where}: you applied the temperature to the probabilities softmax(logits), "
                f"and they no longer sum to 1 (sums {np.round(got.sum(axis=-1), 4).tolist()}). "
                f"Apply it to the logits, before the softmax: softmax(logits / temperature).")
            assert not matches("global_max"), (
                f"{where}: NaN in the rows far below the largest logit of the whole array: you "
                f"subtracted the max of the whole array, and exp of those rows underflows to "
                f"0, then 0 / 0. Subtract each row's own max: z.max(axis=-1, keepdims=True).")
            if matches("overflow") or not np.all(np.isfinite(got)):
                large = "1000" in what
                raise AssertionError(
                    f"{where} contains NaN or inf"
                    + (": not numerically stable. logits / temperature reaches 10000 here, "
                       "np.exp overflows to inf, and inf / inf is NaN. The softmax does not "
                       "change if you subtract the same number from every logit of a row: "
                       "subtract the row's max of logits / temperature before np.exp (then "
                       "the largest exp is 1)." if large else
                       ": every logit and the temperature are finite, so every probability "
                       "should be too."))
            sums = got.sum(axis=-1)
            assert np.allclose(sums, 1.0, atol=1e-9), (
                f"{where}: the probabilities sum to {np.round(sums, 4).tolist()}, not 1: "
                f"divide each row of exp by its own sum.")
            assert_close(got, want, f"{where}", atol=1e-9)

    return check("Exercise 10.1", temperature_probs, test,
                 "divide the logits by the temperature, then take a softmax along the last axis. What happens to np.exp(10000), and what can you subtract from a row without changing its softmax?",
                 "z = logits / temperature (a new array); z = z - z.max(axis=-1, keepdims=True) "
                 "(then np.exp cannot overflow); e = np.exp(z); return e / e.sum(axis=-1, "
                 "keepdims=True). axis=-1 works for (V,) and (N, V); do not write into logits.")


# --- 10.2 the bigram baseline ----------------------------------------------------------------

def _pair_counts(first, second, vocab_size):
    """(vocab_size, vocab_size) floats: counts[a, b] = how often first[t] = a, second[t] = b."""
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (np.asarray(first), np.asarray(second)), 1.0)
    return counts


def _bigram(ids, vocab_size, k):
    """P[a, b] = (count(a, b) + k) / (count(a, .) + k * vocab_size), pairs (ids[t], ids[t + 1])."""
    counts = _pair_counts(ids[:-1], ids[1:], vocab_size)
    return (counts + k) / (counts.sum(axis=1, keepdims=True) + k * vocab_size)


def _wrong_bigrams(ids, vocab_size, k):
    """{mistake: [the matrices (vocab_size, vocab_size) that each way of making it computes]}."""
    v = vocab_size
    counts = _pair_counts(ids[:-1], ids[1:], v)
    starts = counts.sum(axis=1, keepdims=True)              # a as the first element of a pair
    in_text = np.bincount(ids, minlength=v)[:, None].astype(float)
    right = _bigram(ids, v, k)
    once = (counts > 0).astype(float)                       # counts[a_ids, b_ids] += 1
    wrapped = _pair_counts(ids, np.roll(ids, -1), v)
    with np.errstate(all="ignore"):
        wrong = {
            "transposed": [right.T, (counts.T + k) / (counts.T.sum(axis=1, keepdims=True)
                                                      + k * v)],
            "columns": [(counts + k) / (counts.sum(axis=0, keepdims=True) + k * v)],
            "joint": [(counts + k) / (counts.sum() + k * v * v), counts / counts.sum()],
            "unsmoothed": [counts / starts, np.where(starts > 0, counts / starts, 1.0 / v)],
            "add_one": [(counts + 1) / (starts + v)],
            "k_denominator": [(counts + k) / starts, (counts + k) / (starts + k),
                              (counts + k) / (starts + v)],
            "whole_text": [(counts + k) / (in_text + k * v)],
            "wrap": [(wrapped + k) / (wrapped.sum(axis=1, keepdims=True) + k * v)],
            "once": [(once + k) / (once.sum(axis=1, keepdims=True) + k * v),
                     (once + k) / (starts + k * v)],
        }
    return wrong


def _bigram_cases():
    """(ids, vocab_size, k): in each, the last id also occurs earlier or never, so that its row
    tells counting it in the whole text from counting it as a pair's first element; a pair that
    occurs more than once; an id that never occurs (its row uniform); k = 1 and k != 1; a text of
    one pair; a character followed by itself; and 60 random ids."""
    rng = np.random.default_rng(10)
    abracadabra = np.array(["abcdr".index(c) for c in "abracadabra"])
    return [(np.array([0, 1, 2, 1, 2, 0, 1]), 4, 1.0),
            (abracadabra, 6, 0.5),
            (np.array([0, 0, 0, 1]), 3, 0.25),
            (np.array([3, 1]), 4, 2.0),
            (rng.integers(0, 7, size=60), 8, 0.1)]


def _repeated_pair(ids):
    """A pair (a, b, count) that occurs most often in ids."""
    counts = _pair_counts(ids[:-1], ids[1:], int(ids.max()) + 1)
    a, b = np.unravel_index(np.argmax(counts), counts.shape)
    return int(a), int(b), int(counts[a, b])


def check_bigram_probs(bigram_probs):
    """Exercise 10.2: bigram_probs(ids (T,) ints, vocab_size, k > 0) -> P (vocab_size,
    vocab_size) with P[a, b] = (count of the pair a, b + k) / (count of a as the first element
    of a pair + k * vocab_size), the pairs (ids[t], ids[t + 1]); every row sums to 1; ids
    unchanged."""
    def test(fn):
        for ids, vocab_size, k in _bigram_cases():
            shown = f"ids={ids.tolist()}" if len(ids) <= 12 else f"{len(ids)} random ids"
            call = f"bigram_probs({shown}, vocab_size={vocab_size}, k={k})"
            ids = ids.copy()
            before = ids.copy()
            with np.errstate(all="ignore"):              # a 0 / 0 is reported below, by name
                got = fn(ids, vocab_size, k)
            assert np.array_equal(ids, before), (
                f"{call} changed its input ids: the caller still needs the encoded text. Read "
                f"ids, do not sort or write into it.")
            assert got is not None, f"{call} returned None: return the matrix P."
            got = np.asarray(got, dtype=float)
            want = _bigram(ids, vocab_size, k)
            present = len(np.unique(ids))
            if got.ndim == 2 and got.shape[0] == got.shape[1] < vocab_size:
                unused = sorted(set(range(vocab_size)) - set(ids.tolist()))
                raise AssertionError(
                    f"{call} returned shape {got.shape}, expected (vocab_size, vocab_size) = "
                    f"{want.shape}: one row and one column for every id 0 .. vocab_size - 1, "
                    f"also for the characters that never occur in this text (id "
                    f"{', '.join(map(str, unused))} here; with only k in their counts, their "
                    f"rows come out uniform, 1 / vocab_size)."
                    + (f" You have {present} rows, the distinct ids of the text."
                       if got.shape[0] == present else ""))
            assert got.shape == want.shape, (
                f"{call} returned shape {got.shape}, expected (vocab_size, vocab_size) = "
                f"{want.shape}: row a, the current character, holds the probabilities of "
                f"every next character b.")
            if np.allclose(got, want, atol=1e-9):
                continue
            wrong = _wrong_bigrams(ids, vocab_size, k)

            def matches(mistake):
                return any(_made(got, want, w, atol=1e-9) for w in wrong[mistake])

            last = int(ids[-1])
            sums = np.round(got.sum(axis=1), 4).tolist()
            assert not matches("transposed"), (
                f"{call}: your P is transposed, P[b, a] instead of P[a, b]. Row a is the "
                f"current character and column b the next one: P[a, b] is the probability "
                f"that b follows a, and each row sums to 1.")
            assert not matches("columns"), (
                f"{call}: your columns sum to 1, not your rows: you divided by the column "
                f"totals (axis=0). Divide row a by its own total, the number of pairs that "
                f"start with a: counts.sum(axis=1, keepdims=True) + k * vocab_size.")
            assert not matches("joint"), (
                f"{call}: the whole matrix sums to 1: that is the joint probability of a "
                f"pair, P(a, b). The model needs the probability of the next character given "
                f"the current one, P(b | a): divide each row by its own total.")
            assert not matches("unsmoothed"), (
                f"{call}: no smoothing, you ignored k. A pair that never occurs gets "
                f"probability 0, an infinite loss the first time it occurs in the "
                f"validation text (and a row with no pairs is 0 / 0). Add k to every count "
                f"and k * vocab_size to every row's total.")
            assert not matches("add_one"), (
                f"{call}: you used k = 1 (add-one smoothing) whatever k is; here k = {k}. Use "
                f"the argument k, in the counts and in the total: + k and + k * vocab_size.")
            assert not matches("k_denominator"), (
                f"{call}: the rows do not sum to 1 (row sums {sums}): adding k to each of the "
                f"vocab_size counts of a row adds k * vocab_size to its total, so divide by "
                f"count(a) + k * vocab_size.")
            assert not matches("whole_text"), (
                f"{call}: row {last} sums to {sums[last]}, not 1: you divided by the count of "
                f"{last} in the whole text, {int(np.sum(ids == last))}. But ids[-1] = {last} "
                f"is the last character, nothing follows it, so it starts only "
                f"{int(np.sum(ids[:-1] == last))} pairs. Count a as the first element of a "
                f"pair, in ids[:-1] (or sum row a of the pair counts).")
            assert not matches("wrap"), (
                f"{call}: you counted a pair ({last}, {int(ids[0])}) that wraps round from the "
                f"last character to the first (np.roll?): the text does not start again after "
                f"its end. The pairs are (ids[t], ids[t + 1]) for t < len(ids) - 1: "
                f"zip(ids[:-1], ids[1:]).")
            if matches("once"):
                a, b, n = _repeated_pair(ids)
                raise AssertionError(
                    f"{call}: a pair that occurs several times is counted once, e.g. ({a}, {b}) "
                    f"occurs {n} times. counts[ids[:-1], ids[1:]] += 1 adds 1 only once per "
                    f"distinct pair: NumPy's fancy-index assignment does not accumulate. Use "
                    f"np.add.at(counts, (ids[:-1], ids[1:]), 1), or a loop over the pairs.")
            assert np.all(np.isfinite(got)), (
                f"{call} contains NaN or inf: with k > 0 no row total is 0.")
            assert np.allclose(got.sum(axis=1), 1.0, atol=1e-9), (
                f"{call}: the rows sum to {sums}, not 1: each row of P is the distribution of "
                f"the character after a.")
            assert_close(got, want, call, atol=1e-9)

    return check("Exercise 10.2", bigram_probs, test,
                 "count the pairs (ids[t], ids[t + 1]) in a (vocab_size, vocab_size) array first. How many pairs start with a, and how does adding k to every count of row a change its total?",
                 "counts = np.zeros((vocab_size, vocab_size)); np.add.at(counts, (ids[:-1], "
                 "ids[1:]), 1) (counts[ids[:-1], ids[1:]] += 1 would count a repeated pair "
                 "once); return (counts + k) / (counts.sum(axis=1, keepdims=True) + k * "
                 "vocab_size). Do not write into ids.")
