"""Notebook set-up: quiet, seeded, deterministic TensorFlow in one call.

Every notebook starts with

    from course_utils import setup_notebook
    setup_notebook(seed=0)

and only then imports TensorFlow or Keras. The environment variables that silence
TensorFlow's C++ logging only work if they are set *before* TensorFlow is imported,
which is why the call must come first.
"""
import os
import random
import sys

QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",     # no C++ INFO/WARNING/ERROR lines on stderr
    "TF_ENABLE_ONEDNN_OPTS": "0",    # oneDNN kernels change float results slightly
    "PYTHONHASHSEED": "0",           # only affects child processes; set for completeness
}


def cpu_limit():
    """The number of CPU threads to use: Binder's CPU_LIMIT if set, else all cores."""
    raw = os.environ.get("CPU_LIMIT", "").strip()
    if raw:
        try:
            return max(1, int(float(raw)))
        except ValueError:
            raise ValueError(f"CPU_LIMIT must be a number of cores such as '2' or '2.0', got {raw!r}")
    return os.cpu_count() or 1


def setup_notebook(seed=0, quiet=False):
    """Silence TensorFlow, seed every generator, make ops deterministic, cap threads.

    Prints one line with the versions in use (unless quiet=True) and returns nothing.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    if "tensorflow" in sys.modules and not os.environ.get("TF_CPP_MIN_LOG_LEVEL"):
        raise RuntimeError(
            "TensorFlow was imported before setup_notebook(); restart the kernel and "
            "call setup_notebook() first so its logging can be silenced."
        )
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)

    import numpy as np
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
