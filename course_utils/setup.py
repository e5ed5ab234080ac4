"""Notebook set-up: quiet, seeded, deterministic and portable TensorFlow in one call.

Every notebook starts with

    from course_utils import setup_notebook
    SEED = setup_notebook(seed=0)

and only then imports TensorFlow or Keras; every random draw in the notebook derives from
SEED. The environment variable COURSE_SEED overrides the seed (`make seeds` uses it to show
that each trained claim holds for other seeds too).

Two groups of environment variables must be set before the libraries that read them load:
- QUIET_ENV silences TensorFlow's C++ logging (read when TensorFlow is imported);
- PORTABLE_ENV pins the arithmetic: oneDNN (TensorFlow's CPU matrix products) is held to its
  AVX2 kernels, OpenBLAS (NumPy's) to one thread and its Haswell (AVX2) kernels, whatever the
  core count. That makes most of the arithmetic equal across x86-64 CPUs, not all of it: an
  emulated AMD EPYC-Milan and a real AMD EPYC (Zen 4) train a sensitive model to other bits
  (bench/fingerprint.md, shared/portability). `make test` therefore compares outputs exactly
  only where this machine's fingerprint equals the one that wrote them (tools/fingerprint.py);
  the asserts hold everywhere. OpenBLAS reads its settings when NumPy is imported, so
  `import course_utils` applies them first.
Values already in the environment win (the Makefile exports the same ones), so
`ONEDNN_MAX_CPU_ISA=ALL make check` runs the notebooks with another CPU's kernels.
"""
import os
import random
import sys

QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",     # no C++ INFO/WARNING/ERROR lines on stderr
    "TF_ENABLE_ONEDNN_OPTS": "0",    # no oneDNN graph rewrites (matmuls still use oneDNN)
    "PYTHONHASHSEED": "0",           # only affects child processes; set for completeness
}
PORTABLE_ENV = {
    "ONEDNN_MAX_CPU_ISA": "AVX2",    # the same oneDNN kernels on AVX2 and AVX-512 machines
    "OPENBLAS_NUM_THREADS": "1",     # NumPy's float64 products change with the thread count
    "OPENBLAS_CORETYPE": "Haswell",  # ... and with the kernel OpenBLAS picks for the CPU
}


READER = {  # the module that reads each setting when it is imported
    "TF_CPP_MIN_LOG_LEVEL": "tensorflow", "TF_ENABLE_ONEDNN_OPTS": "tensorflow",
    "ONEDNN_MAX_CPU_ISA": "tensorflow", "OPENBLAS_NUM_THREADS": "numpy",
    "OPENBLAS_CORETYPE": "numpy", "PYTHONHASHSEED": None,  # read by child processes only
}
_set_too_late = set()  # names set after the library that reads them was already imported


def pin_environment():
    """Set QUIET_ENV and PORTABLE_ENV where not already set (at `import course_utils`).

    Remembers a name set after its reader was imported (NumPy reads OPENBLAS_*, TensorFlow
    the rest): setup_notebook() then refuses to go on (TensorFlow) or prints a note (NumPy).
    """
    for key, value in {**QUIET_ENV, **PORTABLE_ENV}.items():
        if key in os.environ:
            continue
        os.environ[key] = value
        if READER[key] in sys.modules:
            _set_too_late.add(key)


def cpu_limit():
    """The number of CPU threads to use: Binder's CPU_LIMIT if set, else all cores."""
    raw = os.environ.get("CPU_LIMIT", "").strip()
    if raw:
        try:
            return max(1, int(float(raw)))
        except ValueError:
            raise ValueError(f"CPU_LIMIT must be a number of cores such as '2' or '2.0', got {raw!r}")
    return os.cpu_count() or 1


def course_seed(default=0):
    """The seed in use: COURSE_SEED from the environment if set, else `default`."""
    raw = os.environ.get("COURSE_SEED", "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValueError(f"COURSE_SEED must be a non-negative integer such as '3', got {raw!r}")
    return int(raw)


def setup_notebook(seed=0, quiet=False):
    """Silence TensorFlow, pin the arithmetic, seed every generator, make ops deterministic.

    `seed` is the notebook's default; COURSE_SEED in the environment overrides it. Prints one
    line with the versions and the seed in use (unless quiet=True) and returns the seed.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    pin_environment()
    late = sorted(_set_too_late)
    if any(not key.startswith("OPENBLAS") for key in late):
        raise RuntimeError(
            "TensorFlow was imported before setup_notebook(); restart the kernel and "
            "call setup_notebook() first so its logging and arithmetic can be set.")
    seed = course_seed(seed)

    import tensorflow as tf
    import keras

    threads = cpu_limit()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # the runtime is already initialised (set_up called twice): keep its pools

    random.seed(seed)
    keras.utils.set_random_seed(seed)  # seeds Python, NumPy and TensorFlow
    tf.config.experimental.enable_op_determinism()

    from course_utils.plots import use_course_style
    use_course_style()

    if not quiet:
        print(version_line(threads=threads, seed=seed))
    if late:  # some runtimes (a hosted notebook service) may load NumPy before the first cell
        print(f"Note: NumPy was imported before course_utils, so {', '.join(late)} could not be "
              "pinned: NumPy's products may differ from the stored outputs in the last bits (every "
              "assert still holds). For the stored arithmetic, restart the kernel and run the set-up "
              "cell first.")
    return seed


def version_line(threads=None, seed=None):
    """One line naming the versions that produced a notebook's outputs."""
    import platform
    import numpy as np
    import tensorflow as tf
    import keras
    parts = [
        f"Python {platform.python_version()}",
        f"TensorFlow {tf.__version__}",
        f"Keras {keras.__version__}",
        f"NumPy {np.__version__}",
    ]
    if threads is not None:
        parts.append(f"{threads} CPU thread{'s' if threads != 1 else ''}")
    if seed is not None:
        parts.append(f"seed {seed}")
    return " | ".join(parts)
