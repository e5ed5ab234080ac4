"""Numerical fingerprint of this machine's TensorFlow/NumPy arithmetic.

Runs a few tiny, seeded computations like the course's (NumPy and TensorFlow matrix products,
three short RNN trainings) and prints one line per computation: a result and a short hash of
the exact bits. Two machines whose lines are equal compute these identically; a line that
differs names a computation whose result depends on the machine.

This is the probe of the project's portability measurements (shared/portability), kept in the
repository so that every checkout can run it: `make test` compares its output with
bench/fingerprint/reference.txt (the machine that wrote the committed outputs) to decide
between exact and assert-only notebook validation (tools/fingerprint.py).

    python tools/fingerprint_probe.py
"""
import hashlib
import os
import platform

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:12]


def model_digest(model):
    return digest(*model.get_weights())


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def numpy_products():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(301, 257)), rng.normal(size=(257, 199))
    yield "numpy float64 matmul 301x257x199", f"{(a @ b).sum():.6f}", digest(a @ b)
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    yield "numpy float32 matmul 301x257x199", f"{(a32 @ b32).sum():.3f}", digest(a32 @ b32)


def tf_products():
    rng = np.random.default_rng(1)
    for m, k, n in [(32, 1, 16), (64, 16, 16), (32, 48, 128), (301, 257, 199)]:
        a = rng.normal(size=(m, k)).astype(np.float32)
        b = rng.normal(size=(k, n)).astype(np.float32)
        c = tf.matmul(a, b).numpy()
        yield f"tf float32 matmul {m}x{k}x{n}", f"{c.sum():.4f}", digest(c)


def echo_training():
    """Stateful SimpleRNN on a lagged-bit task (a result near chance: sensitive to every bit)."""
    streams, length, lag, chunk = 32, 1600, 12, 8
    keras.utils.set_random_seed(0)

    def data(seed):
        bits = np.random.default_rng(seed).integers(0, 2, size=(streams, length + lag))
        x, y = bits[:, lag:], bits[:, :-lag]
        f = lambda a: a.reshape(streams, -1, chunk).transpose(1, 0, 2).reshape(-1, chunk, 1).astype("float32")
        return f(x), f(y)

    rnn = keras.layers.SimpleRNN(16, return_sequences=True, stateful=True)
    model = keras.Sequential([keras.Input(batch_shape=(streams, chunk, 1)), rnn,
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy")
    reset = keras.callbacks.LambdaCallback(on_epoch_begin=lambda *_: rnn.reset_state())
    x, y = data(1)
    model.fit(x, y, batch_size=streams, epochs=6, shuffle=False, callbacks=[reset], verbose=0)
    xt, yt = data(2)
    rnn.reset_state()
    acc = np.mean((model.predict(xt, batch_size=streams, verbose=0) > 0.5) == yt)
    return "SimpleRNN echo, 6 epochs (accuracy)", f"{acc:.4f}", model_digest(model)


def adding_training(layer):
    """A few epochs of the adding problem at T=50: an ordinary, converging training run."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    n, t = 2000, 50
    values = rng.uniform(size=(n, t))
    marks = np.zeros((n, t))
    for i in range(n):
        marks[i, rng.choice(t, 2, replace=False)] = 1
    x = np.stack([values, marks], axis=-1).astype("float32")
    y = (values * marks).sum(axis=1, keepdims=True).astype("float32")
    model = keras.Sequential([keras.Input((t, 2)), layer(16), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(1e-2, clipnorm=1.0), "mse")
    hist = model.fit(x, y, batch_size=64, epochs=3, verbose=0)
    return (f"{layer.__name__} adding problem, 3 epochs (last loss)",
            f"{hist.history['loss'][-1]:.6f}", model_digest(model))


def main():
    print(f"# {cpu_name()}; {os.cpu_count()} cores; ONEDNN_MAX_CPU_ISA="
          f"{os.environ.get('ONEDNN_MAX_CPU_ISA', '(unset)')}; OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    print(f"# Python {platform.python_version()}, TensorFlow {tf.__version__}, "
          f"Keras {keras.__version__}, NumPy {np.__version__}")
    rows = [*numpy_products(), *tf_products(), echo_training(),
            adding_training(keras.layers.SimpleRNN), adding_training(keras.layers.LSTM),
            adding_training(keras.layers.GRU)]
    width = max(len(r[0]) for r in rows)
    for name, value, bits in rows:
        print(f"{name:<{width}}  {value:>14}  {bits}")


if __name__ == "__main__":
    main()
