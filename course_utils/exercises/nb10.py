"""Checkers for the exercises of notebook 10 (a character-level language model: top-k sampling
with a temperature, Kneser-Ney's continuation counts).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import assert_close, assert_same, check, made_mistake


def _made(got, want, wrong, atol):
    """`made_mistake` for results that may hold NaN or inf: True if `wrong` differs from `want`
    and `got` equals it, a NaN matching a NaN (an overflow is a mistake too)."""
    got, want, wrong = (np.asarray(a, dtype=float) for a in (got, want, wrong))
    return (wrong.shape == want.shape == got.shape
            and not np.allclose(wrong, want, atol=atol, equal_nan=True)
            and np.allclose(got, wrong, atol=atol, equal_nan=True))


# --- 10.1 top-k sampling with a temperature --------------------------------------------------

def _softmax(z, axis=-1):
    """Softmax along `axis`, stable: the max is subtracted before np.exp."""
    with np.errstate(all="ignore"):
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)


def _kth_largest(z, k):
    """Each row's k-th largest value, with a trailing axis of 1 to compare against the row."""
    return np.sort(z, axis=-1)[..., -k, None]


def _restricted(z, keep):
    """softmax(z) along the last axis over the entries where `keep`, exactly 0 elsewhere (stable:
    the largest kept entry of each row is subtracted before np.exp)."""
    with np.errstate(all="ignore"):
        top = np.max(np.where(keep, z, -np.inf), axis=-1, keepdims=True)
        e = np.where(keep, np.exp(z - top), 0.0)
        return e / e.sum(axis=-1, keepdims=True)


def _top_k(logits, k, temperature):
    """softmax(logits / temperature) restricted to the k largest logits of each row (no ties at
    the k-th), renormalised; the other entries exactly 0."""
    z = np.asarray(logits, dtype=float) / temperature
    return _restricted(z, z >= _kth_largest(z, k))


def _wrong_top_k(logits, k, temperature):
    """{mistake: [the probabilities that each way of making it computes]}."""
    v = logits.shape[-1]
    z = logits / temperature
    keep = z >= _kth_largest(z, k)
    full = _softmax(z)
    plain = _restricted(logits, keep)                         # the right k, no temperature
    with np.errstate(all="ignore"):
        stable = np.exp(z - z.max(axis=-1, keepdims=True))
        whole = np.exp(z - z.max()) * keep
        wrong = {
            "no_top_k": [full],
            "zeroed_logits": [_softmax(np.where(keep, z, 0.0))],
            "smallest": [_restricted(z, z <= np.sort(z, axis=-1)[..., k - 1, None])],
            "not_renormalised": [full * keep],
            "unnormalised": [stable * keep, np.where(keep, z, 0.0)],
            "k_plus_one": [_top_k(logits, k + 1, temperature)] if k < v else [],
            "k_minus_one": [_top_k(logits, k - 1, temperature)] if k > 1 else [],
            "ignored": [plain],
            "multiplied": [_restricted(logits * temperature, keep)],
            "on_probs": [plain / temperature, plain * temperature, plain ** (1 / temperature),
                         plain ** temperature],
            "global_max": [whole / whole.sum(axis=-1, keepdims=True)],
            "overflow": [np.exp(z) * keep / (np.exp(z) * keep).sum(axis=-1, keepdims=True)],
        }
        if logits.ndim == 2:
            n = logits.shape[0]
            kept = stable * keep
            flat = z >= np.sort(z, axis=None)[-k]                # the k largest of the whole array
            wrong["wrong_axis"] = [kept / kept.sum(axis=0, keepdims=True), kept / kept.sum(),
                                   _restricted(z, flat), _softmax(z, axis=0) * keep,
                                   stable * flat / (stable * flat).sum()]
            if k <= n:                                           # the k largest of each column
                wrong["wrong_axis"].append(
                    _restricted(z, z >= np.sort(z, axis=0)[-k][None, :]))
            if n == v:              # a row's value without keepdims broadcasts along the columns
                row_kth = np.sort(z, axis=-1)[:, -k]
                flat_max = np.exp(z - z.max(axis=-1)) * keep
                wrong["keepdims"] = [_restricted(z, z >= row_kth), kept / kept.sum(axis=-1),
                                     flat_max / flat_max.sum(axis=-1, keepdims=True)]
    return wrong


def _top_k_cases():
    """(logits, k, temperature, what): one step's logits (V,) with k = 2 at temperature 1, k = 3
    below and above 1, k = V (plain temperature sampling) and k = 1 (greedy); a batch (N, V)
    with N != V, then N == V, where a missing keepdims still broadcasts; logits near 1000 at
    temperature 0.1, where a plain np.exp overflows; and rows of very different size, where
    subtracting the max of the whole array instead of each row's makes a row 0 / 0. No row has
    two equal logits, so the k largest are always exactly k entries."""
    rng = np.random.default_rng(10)
    step = np.array([2.0, 1.0, 0.1, -1.0, 0.5])
    return [
        (step, 2, 1.0, "one step"),
        (step, 3, 0.5, "one step"),
        (step, 3, 2.0, "one step"),
        (step, 5, 1.5, "one step, k = V"),
        (step, 1, 1.0, "one step, k = 1"),
        (np.round(2 * rng.normal(size=(3, 6)), 2), 2, 0.7, "shape (N, V) = (3, 6)"),
        (np.round(2 * rng.normal(size=(4, 4)), 2), 3, 1.5, "shape (N, V) = (4, 4)"),
        (np.array([1000.0, 999.0, 998.0, 990.0]), 3, 0.1, "one step, logits near 1000"),
        (np.array([[1000.0, 998.0, 995.0, 990.0], [-1000.0, -999.0, -1003.0, -1010.0],
                   [3.0, 1.0, 2.0, 0.5]]), 2, 0.1,
         "shape (N, V) = (3, 4), rows near 1000, -1000 and 0"),
    ]


def _show_logits(logits, what):
    return (f"top_k_probs({logits.tolist()}" if logits.ndim == 1
            else f"top_k_probs(logits of {what}")


def _nonzero(p):
    """How many entries of each row are not 0 (to 1e-12), a list."""
    return np.atleast_1d(np.sum(np.abs(p) > 1e-12, axis=-1)).tolist()


def check_top_k_probs(top_k_probs):
    """Exercise 10.1: top_k_probs(logits (V,) or (N, V), k with 1 <= k <= V, temperature > 0)
    -> softmax(logits / temperature) restricted to the k largest logits of each row, the rest
    exactly 0, renormalised so that each row sums to 1; the shape of logits; numerically stable
    (logits near 1000 at temperature 0.1), logits unchanged."""
    def test(fn):
        for logits, k, temperature, what in _top_k_cases():
            where = f"{_show_logits(logits, what)}, k={k}, temperature={temperature})"
            logits = logits.copy()
            before = logits.copy()
            try:
                with np.errstate(all="ignore"):       # an overflow is reported below, by name
                    got = fn(logits, k, temperature)
            except (ValueError, IndexError) as err:
                if logits.ndim == 1 and "axis" in str(err):
                    raise AssertionError(
                        f"{where} raised {type(err).__name__} ({err}): one step's logits are 1-D, "
                        f"shape (V,), and have no axis 1. Use axis=-1, the last axis: the same "
                        f"code then works for one step (V,) and a batch (N, V).") from None
                if logits.ndim == 2 and "broadcast" in str(err):
                    raise AssertionError(
                        f"{where} raised {type(err).__name__} ({err}): a row's k-th largest "
                        f"value, max or sum taken without keepdims=True has shape (N,), which "
                        f"does not line up with the (N, V) logits. Keep a trailing axis, shape "
                        f"(N, 1) (keepdims=True, or [..., None]), so that each row is compared "
                        f"with and divided by its own.") from None
                raise
            assert np.array_equal(logits, before), (
                f"{where} changed its input logits (logits /= temperature, or setting the "
                f"small ones to -inf in place, writes into the caller's array): the sampling "
                f"loop still needs them. z = logits / temperature makes a new array.")
            assert got is not None, f"{where} returned None: return the probabilities."
            got = np.asarray(got, dtype=float)
            want = _top_k(logits, k, temperature)
            if k < want.shape[-1] and got.shape == want.shape[:-1] + (k,):
                raise AssertionError(
                    f"{where} returned shape {got.shape}, the k kept probabilities alone; "
                    f"expected {want.shape}, the shape of logits: the sampling loop draws an id "
                    f"0 .. V - 1 with rng.choice(V, p=...), so every character needs its entry, "
                    f"0 for the ones cut off.")
            assert got.shape == want.shape, (
                f"{where} returned shape {got.shape}, expected {want.shape}, the shape of "
                f"logits: one probability per logit, a distribution over the V characters "
                f"for each row.")
            if np.allclose(got, want, atol=1e-9):
                continue
            wrong = _wrong_top_k(logits, k, temperature)

            def matches(mistake):
                return any(_made(got, want, w, atol=1e-9) for w in wrong.get(mistake, []))

            sums = np.round(np.atleast_1d(got.sum(axis=-1)), 4).tolist()
            assert not matches("no_top_k"), (
                f"{where} is softmax(logits / temperature) over the whole row: you kept every "
                f"character, k played no part. Keep the k largest logits of each row, set "
                f"every other probability to 0, and renormalise.")
            assert not matches("zeroed_logits"), (
                f"{where}: the entries outside the k largest are not 0 (nonzero per row: "
                f"{_nonzero(got)}, expected {k}): you set the other logits to 0, but a logit "
                f"of 0 is not a probability of 0, exp(0) = 1. Zero their probabilities "
                f"after np.exp (or set their logits to -inf: exp(-inf) = 0).")
            assert not matches("smallest"), (
                f"{where}: you kept the k smallest logits, the k least likely characters, "
                f"not the k largest: np.sort sorts in increasing order, so the k largest are "
                f"its last k, np.sort(z, axis=-1)[..., -k:] (the k-th largest is [..., -k]).")
            assert not matches("not_renormalised"), (
                f"{where}: the rows sum to {sums}, not 1: you took the softmax over the whole "
                f"row, then zeroed the rest without renormalising. The k kept probabilities "
                f"must be divided by their own sum, so that they sum to 1 again.")
            assert not matches("unnormalised"), (
                f"{where}: these are not probabilities, they do not sum to 1 (sums {sums}): "
                f"you zeroed the rest of the scaled logits or of their exp, without the "
                f"softmax's division by the sum of what is kept.")
            for mistake, off in (("k_plus_one", k + 1), ("k_minus_one", k - 1)):
                assert not matches(mistake), (
                    f"{where}: your rows keep {_nonzero(got)} characters, expected k = {k}: "
                    f"k is off by one, you kept the {off} largest. The k-th largest logit is "
                    f"np.sort(z, axis=-1)[..., -k] and belongs to the kept ones (z >= it, not "
                    f"z > it); np.argsort(z, axis=-1)[..., -k:] are the k largest.")
            assert not matches("ignored"), (
                f"{where} is the top-k softmax of the logits themselves, the same at every "
                f"temperature: you ignored the temperature. Divide the logits by it before "
                f"the softmax.")
            assert not matches("multiplied"), (
                f"{where} uses softmax(logits * temperature): you multiplied by the "
                f"temperature, which flattens where it should sharpen and the other way round. "
                f"Divide: softmax(logits / temperature), then keep the k largest.")
            assert not matches("on_probs"), (
                f"{where}: you applied the temperature to the probabilities, and they no "
                f"longer sum to 1 (sums {sums}). Apply it to the logits, before the softmax: "
                f"logits / temperature.")
            assert not matches("global_max"), (
                f"{where}: NaN in the rows far below the largest logit of the whole array: you "
                f"subtracted the max of the whole array, and exp of those rows underflows to "
                f"0, then 0 / 0. Subtract each row's own max: z.max(axis=-1, keepdims=True).")
            assert not matches("wrong_axis"), (
                f"{where}: you chose the k largest, or took the softmax, over the wrong axis "
                f"(axis=0, down the batch, or the whole array); nonzero per row "
                f"{_nonzero(got)}, row sums {sums}. Each row is one step's distribution over "
                f"the V characters: its own k largest and its own sum, axis=-1.")
            assert not matches("keepdims"), (
                f"{where}: a row's k-th largest value, max or sum taken without keepdims=True "
                f"has shape (N,), and comparing or dividing the (N, V) array by it uses row "
                f"j's value for column j (it only broadcasts because N == V here). Keep a "
                f"trailing axis, shape (N, 1): keepdims=True, or [..., None].")
            if matches("overflow") or not np.all(np.isfinite(got)):
                large = "1000" in what
                raise AssertionError(
                    f"{where} contains NaN or inf"
                    + (": not numerically stable. logits / temperature reaches 10000 here, "
                       "np.exp overflows to inf, and inf / inf is NaN. The softmax does not "
                       "change if you subtract the same number from every logit of a row: "
                       "subtract the row's max of logits / temperature before np.exp (the max "
                       "is always kept, so then the largest exp is 1)." if large else
                       ": every logit and the temperature are finite, and the row's largest "
                       "logit is always kept, so every probability should be too."))
            kept = _nonzero(got)
            assert kept == _nonzero(want), (
                f"{where}: your rows keep {kept} nonzero probabilities, expected k = {k} in "
                f"every row (the cases have no ties at the k-th largest logit); all the "
                f"others are exactly 0.")
            assert np.array_equal(np.abs(got) > 1e-12, want > 0), (
                f"{where}: you kept k entries, but not the k largest logits of each row (kept "
                f"at {np.argwhere(np.abs(got) > 1e-12).tolist()}, expected "
                f"{np.argwhere(want > 0).tolist()}).")
            assert np.allclose(got.sum(axis=-1), 1.0, atol=1e-9), (
                f"{where}: the probabilities sum to {sums}, not 1: divide the kept ones of "
                f"each row by their own sum.")
            assert_close(got, want, f"{where}", atol=1e-9)

    return check("Exercise 10.1", top_k_probs, test,
                 "divide the logits by the temperature first. Which value of a row is its k-th largest (np.sort along the last axis), which entries does that keep, and what must the kept probabilities sum to?",
                 "z = logits / temperature (a new array); kth = np.sort(z, axis=-1)[..., -k, "
                 "None] (each row's k-th largest, a trailing axis kept); e = np.exp(z - "
                 "z.max(axis=-1, keepdims=True)) (no overflow); e = np.where(z >= kth, e, 0.0); "
                 "return e / e.sum(axis=-1, keepdims=True). Do not write into logits.")


# --- 10.2 Kneser-Ney's continuation counts ---------------------------------------------------

def _distinct_before(before, after, vocab_size):
    """(vocab_size,) ints: for each c, how many distinct b occur in a pair (before[t] = b,
    after[t] = c)."""
    before, after = np.asarray(before, dtype=np.int64), np.asarray(after, dtype=np.int64)
    pairs = np.unique(before * vocab_size + after)                 # each distinct pair once
    return np.bincount(pairs % vocab_size, minlength=vocab_size)


def _continuation(ids, vocab_size):
    """How many distinct characters occur immediately before each character c in ids: the
    pairs (ids[t], ids[t + 1]), so ids[0] is preceded by nothing."""
    return _distinct_before(ids[:-1], ids[1:], vocab_size)


def _wrong_continuations(ids, vocab_size):
    """{mistake: [the counts (vocab_size,) that each way of making it computes]}."""
    v = vocab_size
    ids = np.asarray(ids, dtype=np.int64)
    started = np.zeros(v, dtype=np.int64)
    started[ids[0]] = 1
    return {
        "followers": [np.bincount(np.unique(ids[:-1] * v + ids[1:]) // v, minlength=v)],
        "occurrences": [np.bincount(ids[1:], minlength=v), np.bincount(ids, minlength=v)],
        "presence": [(np.bincount(ids[1:], minlength=v) > 0).astype(np.int64),   # c[ids[1:]] += 1
                     (np.bincount(ids, minlength=v) > 0).astype(np.int64)],
        "first": [_distinct_before(np.roll(ids, 1), ids, v),                   # wraps round
                  _continuation(ids, v) + started,             # ids[0] after a start symbol
                  _distinct_before(np.r_[0, ids[:-1]], ids, v)],         # prev = 0 at the start
    }


def _continuation_cases():
    """(ids, vocab_size): "abracadabra" (a = 0, b = 1, r = 2, c = 3, d = 4), the statement's
    example: a preceded 4 times by 3 characters, the first a preceded by nothing; a text whose
    first character never occurs again and that leaves an id unused, in which the characters
    seen before c and after c differ; a character that follows itself; and 60 random ids with
    two ids unused."""
    rng = np.random.default_rng(10)
    abracadabra = np.array(["abrcd".index(c) for c in "abracadabra"])
    return [(abracadabra, 5),
            (np.array([4, 0, 1, 0, 2, 0, 1, 0, 3, 1]), 6),
            (np.array([2, 0, 0, 0, 1]), 4),
            (rng.integers(0, 7, size=60), 9)]


def check_continuation_counts(continuation_counts):
    """Exercise 10.2: continuation_counts(ids (T,) ints, vocab_size) -> ints (vocab_size,) whose
    entry c is the number of distinct characters immediately before c in ids (the pairs
    (ids[t], ids[t + 1]); ids[0] is preceded by nothing); ids unchanged."""
    def test(fn):
        for ids, vocab_size in _continuation_cases():
            shown = f"ids={ids.tolist()}" if len(ids) <= 12 else f"{len(ids)} random ids"
            call = f"continuation_counts({shown}, vocab_size={vocab_size})"
            ids = ids.copy()
            before = ids.copy()
            got = fn(ids, vocab_size)
            assert np.array_equal(ids, before), (
                f"{call} changed its input ids: the caller still needs the encoded text. Read "
                f"ids, do not sort or write into it.")
            assert got is not None, f"{call} returned None: return the array of counts."
            if isinstance(got, dict):
                raise AssertionError(
                    f"{call} returned a {type(got).__name__}; expected an array of shape "
                    f"(vocab_size,) = ({vocab_size},), entry c for every id c, 0 for the ids "
                    f"with no predecessor: np.array([d.get(c, 0) for c in "
                    f"range(vocab_size)]) turns it into one.")
            got = np.asarray(got)
            want = _continuation(ids, vocab_size)
            if got.ndim == 1 and len(got) < vocab_size:
                unused = sorted(set(range(vocab_size)) - set(ids[1:].tolist()))
                raise AssertionError(
                    f"{call} returned shape {got.shape}, expected (vocab_size,) = "
                    f"({vocab_size},): one entry for every id 0 .. vocab_size - 1, also the "
                    f"ones that never follow anything here ({'id' if len(unused) == 1 else 'ids'} "
                    f"{', '.join(map(str, unused))}), "
                    f"with count 0. np.bincount stops at the largest id it sees unless you pass "
                    f"minlength=vocab_size.")
            assert got.shape == want.shape, (
                f"{call} returned shape {got.shape}, expected (vocab_size,) = {want.shape}: one "
                f"count per character id.")
            assert got.dtype == bool or np.issubdtype(got.dtype, np.number), (
                f"{call} returned an array of {got.dtype}, expected numbers: for each "
                f"character, how many distinct characters come before it (len of a set, not "
                f"the set).")
            if np.array_equal(got, want):
                assert np.issubdtype(got.dtype, np.integer), (
                    f"{call}: the right counts, but as {got.dtype}; counts are whole numbers, "
                    f"return them as ints (np.bincount gives ints; or np.zeros(vocab_size, "
                    f"dtype=int), or .astype(int)).")
                continue
            wrong = _wrong_continuations(ids, vocab_size)

            def matches(mistake):
                return any(made_mistake(got, want, w) for w in wrong[mistake])

            assert not matches("followers"), (
                f"{call}: you counted the distinct characters that come *after* each "
                f"character, what c is followed by. The continuation count looks backwards: "
                f"how many different characters come right before c, the b of the pairs "
                f"(b, c) = (ids[t], ids[t + 1]), counted at c.")
            if matches("occurrences"):
                c = int(np.argmax(wrong["occurrences"][0] - want))
                raise AssertionError(
                    f"{call}: you counted how often each character occurs (or is preceded), "
                    f"not by how many *different* characters: e.g. {c} is preceded "
                    f"{int(np.sum(ids[1:] == c))} times, but by only {int(want[c])} distinct "
                    f"characters. Count each distinct pair (b, c) once: a set per character, or "
                    f"np.unique of the pairs.")
            assert not matches("presence"), (
                f"{call}: every entry is 0 or 1, whether c has a predecessor at all. "
                f"counts[ids[1:]] += 1 adds 1 only once per distinct index (NumPy's "
                f"fancy-index assignment does not accumulate), and it does not ask how many "
                f"*different* characters come before c. Count the distinct pairs (b, c) for "
                f"each c.")
            assert not matches("first"), (
                f"{call}: entry {int(ids[0])} is {int(got[ids[0]])}, expected {int(want[ids[0]])}: "
                f"you gave the first character, ids[0] = {int(ids[0])}, a predecessor (the "
                f"last character wrapping round, a start symbol, or a prev = 0 before the "
                f"loop). Nothing comes before the start of the text: the pairs are (ids[t], "
                f"ids[t + 1]) for t < len(ids) - 1, zip(ids[:-1], ids[1:]), and ids[0] counts "
                f"only where it occurs again later.")
            assert_same(got, want, call)

    return check("Exercise 10.2", continuation_counts, test,
                 "list the pairs (ids[t], ids[t + 1]) first. For one character c, which different characters come right before it? A set, or np.unique, drops the repeats.",
                 "pairs = np.unique(ids[:-1] * vocab_size + ids[1:]) (each distinct pair (b, c) "
                 "once, as one integer); c is pairs % vocab_size; return np.bincount(pairs % "
                 "vocab_size, minlength=vocab_size). Or a set per character: for b, c in "
                 "zip(ids[:-1], ids[1:]): before[c].add(b). Do not write into ids.")
