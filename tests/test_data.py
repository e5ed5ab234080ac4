"""The shipped datasets load, match their documented facts, and are verified by checksum."""
import re
import shutil
from collections import Counter

import numpy as np
import pytest

from course_utils import data


def test_shakespeare():
    text = data.load_shakespeare()
    assert len(text) > 700_000
    assert text.startswith("BERNARDO:\nWho's there?")
    assert len(set(text)) < 70  # plain ASCII letters and punctuation: a small char vocabulary
    assert "_" not in text and "**" not in text  # Markdown markup was stripped


def test_shakespeare_splits_are_chronological_and_cut_between_speeches():
    text = data.load_shakespeare()
    train, validation, test = data.shakespeare_splits()
    assert train + validation + test == text                   # in order, nothing lost
    cuts = [len(train), len(train) + len(validation)]
    for cut, fraction in zip(cuts, data.SHAKESPEARE_CUTS):
        target = int(fraction * len(text))
        assert text[cut - 2:cut] == "\n\n" and cut <= target  # just after a blank line ...
        assert "\n\n" not in text[cut:target]                  # ... the last one before the target
    for part in (validation, test):
        assert part.split("\n")[0].endswith(":")              # starts with a speaker line
    assert [round(len(p) / len(text), 2) for p in (train, validation, test)] == [0.8, 0.1, 0.1]


def test_movie_reviews():
    texts, ratings = data.load_movie_reviews()
    assert len(texts) == len(ratings) == 10_605
    assert ratings.min() >= -4 and ratings.max() <= 4
    assert 0.3 < np.mean(ratings > 0) < 0.7  # both classes well represented
    assert all(isinstance(t, str) and t for t in texts)


def test_movie_reviews_are_clean_text():
    # datasets/extract.py decodes HTML entities and collapses the source's runs of spaces
    texts, _ = data.load_movie_reviews()
    entity = re.compile(r"&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)
    assert not [t for t in texts if "&amp;" in t or entity.search(t)]
    assert not [t for t in texts if "  " in t or t != t.strip() or re.search(r"[^\S ]", t)]
    assert sum("&" in t for t in texts) == 22            # the decoded ones are still there


def test_sunspots():
    months, counts = data.load_sunspots()
    assert len(months) == len(counts) == 3_126
    assert str(months[0]) == "1749-01" and str(months[-1]) == "2009-06"
    assert np.all(np.diff(months).astype(int) == 1)  # consecutive months, no gaps
    assert counts.min() >= 0


def test_sunspots_splits_are_chronological_calendar_cuts():
    months, counts = data.load_sunspots()
    parts = data.sunspots_splits()
    assert [len(m) for m, _ in parts] == [len(c) for _, c in parts] == [2_412, 360, 354]
    assert np.array_equal(np.concatenate([m for m, _ in parts]), months)  # in order, nothing lost
    assert np.array_equal(np.concatenate([c for _, c in parts]), counts)
    (train_m, _), (val_m, _), (test_m, _) = parts
    assert [str(train_m[0]), str(train_m[-1])] == ["1749-01", "1949-12"]
    assert [str(val_m[0]), str(val_m[-1])] == ["1950-01", "1979-12"]
    assert [str(test_m[0]), str(test_m[-1])] == ["1980-01", "2009-06"]
    assert [str(val_m[0]), str(test_m[0])] == list(data.SUNSPOTS_CUTS)
    assert train_m[-1] < val_m[0] and val_m[-1] < test_m[0]  # no overlap
    assert counts.dtype == parts[0][1].dtype == np.float32


def test_seattle_weather():
    cols = data.load_seattle_weather()
    assert set(cols) == {"date", "precipitation", "temp_max", "temp_min", "wind", "weather"}
    assert all(len(v) == 1_461 for v in cols.values())
    assert str(cols["date"][0]) == "2012-01-01" and str(cols["date"][-1]) == "2015-12-31"
    assert np.all(cols["temp_max"] >= cols["temp_min"])


def test_seattle_weather_splits_are_calendar_years():
    cols = data.load_seattle_weather()
    parts = data.seattle_weather_splits()
    assert all(set(part) == set(cols) for part in parts)
    assert [{len(v) for v in part.values()} for part in parts] == [{731}, {365}, {365}]
    for name, values in cols.items():  # every column, in order, nothing lost
        assert np.array_equal(np.concatenate([part[name] for part in parts]), values), name
    train, validation, test = (part["date"] for part in parts)
    assert [str(train[0]), str(train[-1])] == ["2012-01-01", "2013-12-31"]
    assert [str(validation[0]), str(validation[-1])] == ["2014-01-01", "2014-12-31"]
    assert [str(test[0]), str(test[-1])] == ["2015-01-01", "2015-12-31"]
    assert [str(validation[0]), str(test[0])] == list(data.SEATTLE_WEATHER_CUTS)
    assert train[-1] < validation[0] and validation[-1] < test[0]  # no overlap


def test_translation_pairs():
    pairs = data.load_translation_pairs()
    assert len(pairs) > 1_000
    assert ("North America", "Amérique du Nord") in pairs
    assert len(data.load_translation_pairs(kinds=("territories",))) < len(pairs)
    with pytest.raises(ValueError, match="kinds must be"):
        data.load_translation_pairs(kinds="territories")


@pytest.fixture
def data_copy(tmp_path):
    root = tmp_path / "datasets"
    shutil.copytree(data.DATA_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def test_a_corrupted_copy_is_rejected(data_copy):
    data.load_sunspots(root=data_copy)  # the intact copy loads
    path = data_copy / "sunspots" / "sunspots_monthly.csv"
    path.write_text(path.read_text().replace("1749-01,58.0", "1749-01,99.0"))
    with pytest.raises(ValueError, match=r"corrupted or was edited.*git checkout -- datasets/sunspots"):
        data.load_sunspots(root=data_copy)


def test_a_missing_file_says_how_to_restore_it(data_copy):
    (data_copy / "shakespeare" / "tragedies.txt").unlink()
    with pytest.raises(FileNotFoundError, match="missing.*git checkout -- datasets/shakespeare/tragedies.txt"):
        data.load_shakespeare(root=data_copy)


def test_missing_checksum_list_is_an_error(data_copy):
    (data_copy / "SHA256SUMS").unlink()
    with pytest.raises(FileNotFoundError, match="SHA256SUMS is missing"):
        data.load_movie_reviews(root=data_copy)


def test_unknown_file_is_an_error():
    with pytest.raises(ValueError, match="not a known dataset file"):
        data.verified_path("nope.csv")


def test_every_shipped_data_file_is_checksummed_and_documented():
    listed = {line.split()[1] for line in (data.DATA_DIR / "SHA256SUMS").read_text().splitlines()}
    shipped = {p.relative_to(data.DATA_DIR).as_posix() for p in data.DATA_DIR.glob("*/*")
               if p.suffix in {".txt", ".tsv", ".csv"}}
    assert listed == shipped
    for folder in {name.split("/")[0] for name in listed}:
        assert (data.DATA_DIR / folder / "LICENSE").is_file(), folder
        assert (data.DATA_DIR / folder / "README.md").is_file(), folder
    total = sum(p.stat().st_size for p in data.DATA_DIR.rglob("*") if p.is_file())
    assert total < 5_000_000, f"datasets/ is {total / 1e6:.1f} MB; keep it to a few MB"


def test_translation_splits_are_fixed_disjoint_and_complete():
    pairs = data.load_translation_pairs()
    train, validation, test = data.translation_splits()
    assert (len(train), len(validation), len(test)) == (932, 117, 117)
    assert len(pairs) == len(set(pairs)) == 1_166
    assert not set(train) & set(validation)
    assert not set(train) & set(test) and not set(validation) & set(test)
    assert sorted(train + validation + test) == sorted(pairs)
    assert data.translation_splits() == (train, validation, test)
    assert train[:5] != pairs[:5]  # shuffled, not cut in file order


def test_movie_review_splits_are_fixed_disjoint_and_complete():
    texts, ratings = data.load_movie_reviews()
    splits = data.movie_review_splits()
    assert [len(t) for t, _ in splits] == [len(y) for _, y in splits] == [8_057, 1_007, 1_008]
    kept = np.abs(ratings) >= data.NEUTRAL_BAND
    assert data.NEUTRAL_BAND == 0.5 and kept.sum() == 10_072
    # A few snippets occur twice in the file, so compare rows as multisets, not sets.
    rows = Counter((t, r > 0) for t, r, k in zip(texts, ratings, kept) if k)
    parts = [Counter(zip(t, y == 1)) for t, y in splits]
    assert sum(parts, Counter()) == rows                     # every kept snippet, exactly once
    train, validation, test = (set(t) for t, _ in splits)
    # Disjoint as rows; a text is shared only if the file holds it twice (2 snippets, both
    # rows with the same sign, land in two parts).
    twice = {t for t, n in Counter(t for t, k in zip(texts, kept) if k).items() if n > 1}
    shared = (train & validation) | (train & test) | (validation & test)
    assert shared <= twice and len(twice) == 2
    sign = {t: r > 0 for t, r, k in zip(texts, ratings, kept) if k}
    for part_texts, labels in splits:
        assert labels.dtype == np.float32 and set(np.unique(labels)) <= {0.0, 1.0}
        assert all(sign[t] == (y == 1) for t, y in zip(part_texts, labels))
        assert 0.4 < labels.mean() < 0.6                     # both classes in every part
    near_neutral = {t for t, r in zip(texts, ratings) if abs(r) < 0.5}
    assert not near_neutral & (train | validation | test)
    again = data.movie_review_splits()
    assert all(a[0] == b[0] and np.array_equal(a[1], b[1]) for a, b in zip(again, splits))
    assert splits[0][0][:5] != [t for t, k in zip(texts, kept) if k][:5]  # shuffled
