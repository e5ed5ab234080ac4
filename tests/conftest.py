import os

# Quiet TensorFlow in the test process too; must happen before anything imports it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import pytest


def not_attempted(*args, **kwargs):
    """An exercise stub as a learner first sees it."""
    raise NotImplementedError


@pytest.fixture
def verdict(capsys):
    """Run an exercise checker on an attempt: returns (passed as a bool, the line it printed)."""
    def run(checker, attempt):
        result = checker(attempt)
        return bool(result), capsys.readouterr().out
    return run
