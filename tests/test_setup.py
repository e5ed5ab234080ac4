"""setup_notebook() silences TensorFlow and makes training bit-identical across processes."""
import os
import subprocess
import sys

import pytest

from course_utils.setup import cpu_limit

SCRIPT = """
from course_utils import setup_notebook
setup_notebook(seed=7)
import keras, numpy as np
x = np.random.default_rng(0).normal(size=(64, 10, 3)).astype("float32")
y = x.sum(axis=(1, 2))[:, None]
model = keras.Sequential([keras.Input((10, 3)), keras.layers.SimpleRNN(8), keras.layers.Dense(1)])
model.compile("adam", "mse")
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print(repr(float(model.predict(x[:4], verbose=0).sum())))
"""


def run_script():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PYTHONHASHSEED"))}
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env,
                          timeout=300)


def test_quiet_and_deterministic_across_processes():
    first, second = run_script(), run_script()
    assert first.returncode == 0, first.stderr
    assert first.stderr == "", f"TensorFlow wrote to stderr:\n{first.stderr}"
    lines = first.stdout.strip().splitlines()
    assert lines[0].startswith("Python 3.11") and "TensorFlow 2.21" in lines[0] and "seed 7" in lines[0]
    assert first.stdout == second.stdout  # bit-identical predictions in two fresh processes


def test_cpu_limit(monkeypatch):
    monkeypatch.setenv("CPU_LIMIT", "2.0")
    assert cpu_limit() == 2
    monkeypatch.setenv("CPU_LIMIT", "0.5")
    assert cpu_limit() == 1
    monkeypatch.setenv("CPU_LIMIT", "lots")
    with pytest.raises(ValueError, match="CPU_LIMIT must be a number"):
        cpu_limit()
    monkeypatch.delenv("CPU_LIMIT")
    assert cpu_limit() == (os.cpu_count() or 1)


def test_bad_seed():
    from course_utils import setup_notebook
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        setup_notebook(seed=-1)
