"""setup_notebook() silences TensorFlow and makes training bit-identical across processes."""
import os
import re
import subprocess
import sys

from pathlib import Path

import pytest

from course_utils.setup import PORTABLE_ENV, QUIET_ENV, course_seed, cpu_limit

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
from course_utils import setup_notebook
seed = setup_notebook(seed=7)
import os, keras, numpy as np
assert seed == int(os.environ.get("COURSE_SEED", 7))
print({k: os.environ[k] for k in ("ONEDNN_MAX_CPU_ISA", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")})
x = np.random.default_rng(0).normal(size=(64, 10, 3)).astype("float32")
y = x.sum(axis=(1, 2))[:, None]
model = keras.Sequential([keras.Input((10, 3)), keras.layers.SimpleRNN(8), keras.layers.Dense(1)])
model.compile("adam", "mse")
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print(repr(float(model.predict(x[:4], verbose=0).sum())))
"""


def run_script(**extra_env):
    """Run SCRIPT in a fresh process whose environment has none of the pinned settings."""
    pinned = (*QUIET_ENV, *PORTABLE_ENV, "COURSE_SEED")
    env = {k: v for k, v in os.environ.items() if k not in pinned}
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env={**env, **extra_env}, timeout=300)


def test_quiet_pinned_and_deterministic_across_processes():
    first, second = run_script(), run_script()
    assert first.returncode == 0, first.stderr
    assert first.stderr == "", f"TensorFlow wrote to stderr:\n{first.stderr}"
    lines = first.stdout.strip().splitlines()
    assert lines[0].startswith("Python 3.11") and "TensorFlow 2.21" in lines[0] and "seed 7" in lines[0]
    assert lines[1] == str(PORTABLE_ENV)  # pinned by `import course_utils`, before NumPy loaded
    assert first.stdout == second.stdout  # bit-identical predictions in two fresh processes


def test_course_seed_overrides_the_notebook_seed():
    run = run_script(COURSE_SEED="3")
    assert run.returncode == 0, run.stderr
    assert "seed 3" in run.stdout.splitlines()[0]
    assert run.stdout.splitlines()[-1] != run_script().stdout.splitlines()[-1]


def test_course_seed_must_be_a_number(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "two")
    with pytest.raises(ValueError, match="COURSE_SEED must be a non-negative integer.*'two'"):
        course_seed(0)
    monkeypatch.setenv("COURSE_SEED", "4")
    assert course_seed(0) == 4
    monkeypatch.delenv("COURSE_SEED")
    assert course_seed(5) == 5


def test_numpy_imported_first_is_named_in_a_note():
    """Hosted runtimes may load NumPy before the first cell: say what is not pinned, go on."""
    script = "import numpy, course_utils; print(course_utils.setup_notebook(0))"
    env = {k: v for k, v in os.environ.items() if k not in PORTABLE_ENV}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    note = run.stdout.splitlines()[1]
    assert note.startswith("Note: NumPy was imported before course_utils") and "OPENBLAS_NUM_THREADS" in note
    assert run.stdout.splitlines()[-1] == "0"


def test_tensorflow_imported_first_is_refused():
    script = "import tensorflow, course_utils; course_utils.setup_notebook(0)"
    env = {k: v for k, v in os.environ.items() if k not in (*PORTABLE_ENV, *QUIET_ENV)}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         timeout=300)
    assert run.returncode != 0 and "TensorFlow was imported before setup_notebook()" in run.stderr


def test_makefile_exports_the_same_pins():
    makefile = (ROOT / "Makefile").read_text()
    for key, value in {**QUIET_ENV, **PORTABLE_ENV}.items():
        assert re.search(rf"^export {key} \??:?= {value}$", makefile, re.M), f"Makefile must export {key}={value}"


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
