"""Notebook 00's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import numpy as np

from course_utils.exercises import nb00 as ex
from conftest import not_attempted


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def pad_post(seqs, maxlen, value=0):
    out = np.full((len(seqs), maxlen), value)
    for i, seq in enumerate(seqs):
        kept = list(seq)[:maxlen]
        out[i, :len(kept)] = kept
    return out


def mask_from_lengths(lengths, maxlen):
    return np.arange(maxlen)[None, :] < np.asarray(lengths)[:, None]


def sliding_windows(series, width, stride=1):
    series = np.asarray(series)
    starts = range(0, len(series) - width + 1, stride)
    return np.stack([series[s:s + width] for s in starts])


# --- plausible wrong answers ---------------------------------------------------------------

def pad_pre(seqs, maxlen, value=0):            # pads at the front
    out = np.full((len(seqs), maxlen), value)
    for i, seq in enumerate(seqs):
        kept = list(seq)[:maxlen]
        if kept:
            out[i, -len(kept):] = kept
    return out


def pad_post_truncate_pre(seqs, maxlen, value=0):   # keeps the LAST maxlen items
    out = np.full((len(seqs), maxlen), value)
    for i, seq in enumerate(seqs):
        kept = list(seq)[-maxlen:] if len(seq) > maxlen else list(seq)
        out[i, :len(kept)] = kept
    return out


def pad_post_ignores_value(seqs, maxlen, value=0):  # always pads with 0
    return pad_post(seqs, maxlen, 0)


def mask_off_by_one(lengths, maxlen):
    return np.arange(maxlen)[None, :] <= np.asarray(lengths)[:, None]


def mask_pre(lengths, maxlen):
    return np.arange(maxlen)[None, :] >= maxlen - np.asarray(lengths)[:, None]


def mask_as_ints(lengths, maxlen):
    return mask_from_lengths(lengths, maxlen).astype(int)


def windows_one_short(series, width, stride=1):
    series = np.asarray(series)
    return np.stack([series[s:s + width] for s in range(0, len(series) - width, stride)])


def windows_ignore_stride(series, width, stride=1):
    return sliding_windows(series, width, 1)


# --- tests ------------------------------------------------------------------------------------

def test_references_pass(capsys):
    assert ex.check_pad_post(pad_post)
    assert ex.check_mask_from_lengths(mask_from_lengths)
    assert ex.check_sliding_windows(sliding_windows)
    assert capsys.readouterr().out.count("passed.") == 3


def test_pad_post_mistakes_fail_with_a_reason(capsys):
    assert not ex.check_pad_post(pad_pre)
    assert "padding='pre'" in capsys.readouterr().out
    assert not ex.check_pad_post(pad_post_truncate_pre)
    assert "truncating='pre'" in capsys.readouterr().out
    assert not ex.check_pad_post(pad_post_ignores_value)
    assert "value=-1" in capsys.readouterr().out


def test_mask_mistakes_fail_with_a_reason(capsys):
    assert not ex.check_mask_from_lengths(mask_off_by_one)
    assert "t < length" in capsys.readouterr().out
    assert not ex.check_mask_from_lengths(mask_pre)
    assert "pre-padded" in capsys.readouterr().out
    assert not ex.check_mask_from_lengths(mask_as_ints)
    assert "expected bool" in capsys.readouterr().out


def test_window_mistakes_fail_with_a_reason(capsys):
    assert not ex.check_sliding_windows(windows_one_short)
    assert "gave 7 windows, expected 8" in capsys.readouterr().out
    assert not ex.check_sliding_windows(windows_ignore_stride)
    assert "stride=2" in capsys.readouterr().out


def test_stubs_report_not_attempted(capsys):
    for checker in (ex.check_pad_post, ex.check_mask_from_lengths, ex.check_sliding_windows):
        assert not checker(not_attempted)
        assert "not attempted" in capsys.readouterr().out


def test_a_crashing_attempt_is_reported_not_raised(capsys):
    assert not ex.check_sliding_windows(lambda series, width, stride: series.reshape(-1, width))
    assert "raised" in capsys.readouterr().out
