"""The course's one set of data loaders. Every file is checked against datasets/SHA256SUMS.

    load_shakespeare()        -> str, six tragedies as plain text
    shakespeare_splits()      -> (train, validation, test) parts of it, in order
    load_movie_reviews()      -> (texts, ratings), 10,605 snippets rated -4..4
    load_sunspots()           -> (months, counts), 3,126 monthly means from 1749
    sunspots_splits()         -> (train, validation, test) parts of it, cut by calendar
    load_seattle_weather()    -> dict of columns, 1,461 days 2012-2015
    seattle_weather_splits()  -> (train, validation, test) parts of it, cut by calendar
    load_translation_pairs()  -> list of (english, french) names from CLDR

Each loader takes `root=` to read a copy of datasets/ elsewhere (tests use it to show that a
corrupted copy is rejected). Nothing is ever downloaded: datasets/extract.py documents where
each file came from and re-creates it.
"""
import csv
import hashlib
import os
from pathlib import Path

import numpy as np

DATA_DIR = Path(os.environ.get("COURSE_DATA_DIR", Path(__file__).resolve().parents[1] / "datasets"))


def read_checksums(sums_file):
    """{file name: SHA-256} from a `sha256sum`-style file ("<digest>  <name>" lines)."""
    sums = {}
    for line in Path(sums_file).read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name] = digest
    return sums


def check_sha256(path, expected, restore):
    """Raise a ValueError naming `path` unless its SHA-256 is `expected`; `restore` says how to
    get the right file back. Used for the datasets and for the shipped weights (models/)."""
    actual = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if actual != expected:
        raise ValueError(f"{path} is corrupted or was edited: its SHA-256 is {actual[:16]}..., "
                         f"expected {expected[:16]}... (SHA256SUMS beside it). {restore}")


def _checksums(root):
    sums_file = root / "SHA256SUMS"
    if not sums_file.is_file():
        raise FileNotFoundError(f"{sums_file} is missing: it lists the checksum of every dataset file. "
                                "Restore it with `git checkout -- datasets/SHA256SUMS`.")
    return read_checksums(sums_file)


def verified_path(name, root=None):
    """Path of datasets/<name> after checking that it exists and its SHA-256 matches."""
    root = Path(root) if root is not None else DATA_DIR
    path = root / name
    expected = _checksums(root).get(name)
    if expected is None:
        raise ValueError(f"{name!r} is not a known dataset file; known: {sorted(_checksums(root))}")
    if not path.is_file():
        raise FileNotFoundError(f"dataset file {path} is missing. Restore it with "
                                f"`git checkout -- datasets/{name}` or rebuild it with "
                                "`python datasets/extract.py`.")
    check_sha256(path, expected, f"Restore it with `git checkout -- datasets/{name}`.")
    return path


def _read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_shakespeare(root=None):
    """Hamlet, King Lear, Macbeth, Othello, Romeo and Juliet, Timon of Athens: one string.

    Speeches look like "HAMLET:\\nTo be, or not to be...\\n" separated by blank lines.
    """
    return verified_path("shakespeare/tragedies.txt", root).read_text(encoding="utf-8")


SHAKESPEARE_CUTS = (0.8, 0.9)  # the train / validation / test boundaries, as fractions of the text


def shakespeare_splits(root=None):
    """The Shakespeare text cut in three chronological parts: (train, validation, test).

    The rule: for each fraction f in SHAKESPEARE_CUTS = (0.8, 0.9), the cut is just after the
    last blank line ("\n\n") that ends at or before character int(f * len(text)). So the
    parts are about 80 %, 10 % and 10 % of the characters, no speech is split, validation
    and test each start with a speaker line, and train + validation + test == the whole text.
    Every notebook that trains on this text uses these parts.
    """
    text = load_shakespeare(root)
    cuts = [text.rfind("\n\n", 0, int(f * len(text))) + 2 for f in SHAKESPEARE_CUTS]
    return text[:cuts[0]], text[cuts[0]:cuts[1]], text[cuts[1]:]


def load_movie_reviews(root=None):
    """Movie-review snippets and their mean human sentiment rating, from -4 (awful) to 4.

    Returns (texts, ratings): a list of 10,605 strings and a float32 array of ratings.
    A rating above 0 is usually taken as "positive". The texts are cleaned at extraction (HTML
    entities decoded, runs of spaces collapsed; datasets/movie_reviews/README.md says how).
    """
    rows = _read_tsv(verified_path("movie_reviews/snippets.tsv", root))
    return [r["text"] for r in rows], np.array([float(r["rating"]) for r in rows], dtype=np.float32)


def load_sunspots(root=None):
    """Monthly mean sunspot numbers, 1749-01 to 2009-06.

    Returns (months, counts): a datetime64[M] array and a float32 array, 3,126 each.
    """
    with open(verified_path("sunspots/sunspots_monthly.csv", root), newline="") as f:
        rows = list(csv.DictReader(f))
    months = np.array([r["month"] for r in rows], dtype="datetime64[M]")
    return months, np.array([float(r["sunspots"]) for r in rows], dtype=np.float32)


SUNSPOTS_CUTS = ("1950-01", "1980-01")  # the first month of validation and of test


def sunspots_splits(root=None):
    """The sunspot series cut in three chronological parts: (train, validation, test).

    Each part is a (months, counts) pair of arrays, as load_sunspots() returns. The rule is a
    calendar cut at SUNSPOTS_CUTS = ("1950-01", "1980-01"): train is 1749-01..1949-12
    (2,412 months), validation 1950-01..1979-12 (360 months), test 1980-01..2009-06
    (354 months). Joined in order they are the whole series. Every notebook that trains on
    the sunspots uses these parts.
    """
    months, counts = load_sunspots(root)
    cuts = np.searchsorted(months, np.array(SUNSPOTS_CUTS, dtype="datetime64[M]"))
    return tuple(zip(np.split(months, cuts), np.split(counts, cuts)))


def load_seattle_weather(root=None):
    """Daily weather in Seattle, 2012-01-01 to 2015-12-31 (1,461 days).

    Returns a dict of equal-length arrays: "date" (datetime64[D]), "precipitation" (mm),
    "temp_max" and "temp_min" (deg C), "wind" (m/s) as float32, and "weather" (str labels
    such as "rain" or "sun").
    """
    with open(verified_path("seattle_weather/seattle-weather.csv", root), newline="") as f:
        rows = list(csv.DictReader(f))
    columns = {"date": np.array([r["date"].replace("/", "-") for r in rows], dtype="datetime64[D]")}
    for name in ("precipitation", "temp_max", "temp_min", "wind"):
        columns[name] = np.array([float(r[name]) for r in rows], dtype=np.float32)
    columns["weather"] = np.array([r["weather"] for r in rows])
    return columns


SEATTLE_WEATHER_CUTS = ("2014-01-01", "2015-01-01")  # the first day of validation and of test


def seattle_weather_splits(root=None):
    """The Seattle weather cut in three chronological parts: (train, validation, test).

    Each part is a dict with the same keys as load_seattle_weather(), every column sliced
    alike. The rule is a calendar cut at SEATTLE_WEATHER_CUTS = ("2014-01-01", "2015-01-01"):
    train is 2012 and 2013 (731 days; 2012 is a leap year), validation 2014 (365 days), test
    2015 (365 days). Joined in order they are the whole table. Every notebook that trains on
    this weather uses these parts.
    """
    columns = load_seattle_weather(root)
    cuts = np.searchsorted(columns["date"], np.array(SEATTLE_WEATHER_CUTS, dtype="datetime64[D]"))
    bounds = [0, *cuts, len(columns["date"])]
    return tuple({name: values[start:stop] for name, values in columns.items()}
                 for start, stop in zip(bounds[:-1], bounds[1:]))


def load_translation_pairs(root=None, kinds=("territories", "languages", "currencies")):
    """Short English -> French name pairs from CLDR, e.g. ("North America", "Amérique du Nord").

    kinds: which CLDR name lists to include. Returns a list of (english, french) tuples.
    """
    known = {"territories", "languages", "currencies"}
    unknown = set(kinds) - known
    if isinstance(kinds, str) or unknown:
        raise ValueError(f"kinds must be a collection drawn from {sorted(known)}, got {kinds!r}")
    rows = _read_tsv(verified_path("translation/en_fr_names.tsv", root))
    return [(r["english"], r["french"]) for r in rows if r["kind"] in kinds]


def translation_splits(root=None):
    """All the name pairs in three fixed parts: (train, validation, test) lists of pairs.

    The pairs have no time order, so the rule is a fixed shuffle: the permutation
    np.random.default_rng(0).permutation(n) of the file's rows, cut at 80 % and 90 %
    (932, 117 and 117 of the 1,166 pairs). Every notebook that trains on them uses these parts.
    """
    pairs = load_translation_pairs(root=root)
    order = np.random.default_rng(0).permutation(len(pairs))
    cuts = [int(0.8 * len(pairs)), int(0.9 * len(pairs))]
    parts = np.split(order, cuts)
    return tuple([pairs[i] for i in part] for part in parts)


NEUTRAL_BAND = 0.5  # snippets rated within ±0.5 of neutral are dropped: their sign says little


def movie_review_splits(root=None):
    """The movie reviews as a sentiment task in three fixed parts: (train, validation, test).

    Each part is a (texts, labels) pair: a list of strings and a float32 array, 1.0 for a
    positive snippet (rating > 0) and 0.0 for a negative one. The snippets rated near neutral,
    |rating| < NEUTRAL_BAND = 0.5, are dropped first: their sign says little. That keeps 10,072
    of the 10,605 snippets. They have no time order, so the rule is a fixed shuffle: the
    permutation np.random.default_rng(0).permutation(n) of the kept snippets, cut at 80 % and
    90 % (8,057, 1,007 and 1,008 snippets). Two texts occur twice in the file (each time with the
    same sign); both rows are kept, so they appear in two parts. Every notebook that trains on
    them uses these parts.
    """
    texts, ratings = load_movie_reviews(root=root)
    kept = np.flatnonzero(np.abs(ratings) >= NEUTRAL_BAND)
    order = kept[np.random.default_rng(0).permutation(len(kept))]
    cuts = [int(0.8 * len(kept)), int(0.9 * len(kept))]
    return tuple(([texts[i] for i in part], (ratings[part] > 0).astype(np.float32))
                 for part in np.split(order, cuts))
