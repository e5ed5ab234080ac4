"""A notebook opened outside a checkout (Colab, Kaggle, downloaded alone) installs the course itself.

Simulated here: a fresh virtual environment that sees the pinned libraries (as a hosted runtime
has TensorFlow, Keras, NumPy) but not course_utils, a notebook copied into an empty folder, and
COURSE_REPOSITORY pointed at this repository instead of GitHub. The notebook's bootstrap cell
must clone the course at its branch, install it without downloading anything (pip runs with
--no-index, so replacing the runtime's TensorFlow would fail), and the notebook must then run to
the end with its asserts, loading the data sets from the clone.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REF = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]["ref"]
NOTEBOOK = "00_sequences.ipynb"  # the lightest notebook that reads every shipped data set


def has_ref():
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", REF],
                          capture_output=True).returncode == 0


@pytest.fixture
def outside(tmp_path):
    """A Python environment with the course's libraries on its path but no course_utils."""
    env_dir = tmp_path / "runtime"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(env_dir)],
                   check=True, capture_output=True, timeout=300)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # A plain path line: the libraries become importable, but the .pth files there (among them
    # the editable install of course_utils) are not processed.
    Path(site, "runtime-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    check = subprocess.run([str(python), "-c", "import importlib.util as u; "
                            "print(u.find_spec('course_utils') is None, u.find_spec('tensorflow') is not None)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path)  # not the checkout
    assert check.stdout.split() == ["True", "True"], "the simulated runtime must lack course_utils only"
    return python


@pytest.mark.skipif(not has_ref(), reason=f"this clone has no branch {REF!r} to fetch")
def test_a_notebook_alone_installs_the_course_and_runs_to_the_end(outside, tmp_path):
    work = tmp_path / "content"  # Colab's working folder, with one notebook in it
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, work / NOTEBOOK)
    env = {**os.environ, "COURSE_REPOSITORY": str(ROOT), "PIP_NO_INDEX": "1",
           "PIP_NO_BUILD_ISOLATION": "0",  # (pip's spelling of "no build isolation")
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    run = subprocess.run([str(outside), "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval-lax",
                          "--nbval-cell-timeout=600", NOTEBOOK],
                         cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    clone = work / "rnn-course"
    assert (clone / "course_utils" / "__init__.py").is_file() and (clone / "datasets" / "SHA256SUMS").is_file()
    located = subprocess.run(
        [str(outside), "-c", "import course_utils, course_utils.data as d; "
         "print(course_utils.__file__); print(d.DATA_DIR)"],
        cwd=work, env=env, capture_output=True, text=True, check=True).stdout.split()
    # installed by the bootstrap cell (pip install -e), so a restarted kernel finds it too
    assert located == [str(clone / "course_utils" / "__init__.py"), str(clone / "datasets")]
