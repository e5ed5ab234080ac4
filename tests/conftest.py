import os

# Quiet TensorFlow in the test process too; must happen before anything imports it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import importlib.util
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def load_tool(name):
    """A script in tools/ (not a package) as a module, for its tests."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
