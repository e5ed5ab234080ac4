"""Deep RNNs (notebook 07): two custom cells, the race's models, and one training run of them.

    DeepTransitionCell       Pascanu et al.'s deep transition with shortcut, DT(S)
    LayerNormSimpleRNNCell   a simple RNN cell with layer normalization before the tanh
    RACE_UNITS, build_char_model   the race's models, each about 50,000 parameters
    char_windows, race_data  the race's data: Shakespeare in windows of 50 characters
    train_char_model         one model trained with early stopping on validation, scored once on test

`bench/race07.py` runs the race over several seeds with these and records every epoch;
notebook 07 shows the record and repeats part of one run live to check it.
"""
import json
import time
from pathlib import Path

import numpy as np

from course_utils.data import shakespeare_splits

import keras  # noqa: E402  (after course_utils pinned the arithmetic)


@keras.saving.register_keras_serializable(package="course")
class DeepTransitionCell(keras.layers.Layer):
    """h_t = tanh(relu(x_t W1 + h_{t-1} U1 + b1) W2 + b2 + h_{t-1} U2 + x_t W3).

    W2 starts at zero, so a fresh cell is a simple RNN (kernel W3, recurrent kernel U2, bias b2);
    the last two terms are the shortcut, a one-layer path from h_{t-1} to h_t."""

    def __init__(self, units, hidden_units=None, **kwargs):
        super().__init__(**kwargs)
        self.units, self.hidden_units = units, hidden_units or units
        self.state_size = self.output_size = units

    def build(self, input_shape):
        d, h, m = input_shape[-1], self.units, self.hidden_units
        def weight(name, shape, init):
            return self.add_weight(name=name, shape=shape, initializer=init)
        self.W1, self.U1 = weight("W1", (d, m), "glorot_uniform"), weight("U1", (h, m), "orthogonal")
        self.b1 = weight("b1", (m,), "zeros")
        self.W2, self.b2 = weight("W2", (m, h), "zeros"), weight("b2", (h,), "zeros")
        self.U2, self.W3 = weight("U2", (h, h), "orthogonal"), weight("W3", (d, h), "glorot_uniform")

    def call(self, x_t, states):
        h_prev = states[0]
        z = keras.ops.relu(x_t @ self.W1 + h_prev @ self.U1 + self.b1)
        h = keras.ops.tanh(z @ self.W2 + self.b2 + h_prev @ self.U2 + x_t @ self.W3)  # + shortcut
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "hidden_units": self.hidden_units}


@keras.saving.register_keras_serializable(package="course")
class LayerNormSimpleRNNCell(keras.layers.Layer):
    """h_t = tanh(LayerNorm(x_t W + h_{t-1} U + b)): a simple RNN step whose pre-activation is
    normalized over its units (mean 0, variance 1, then a learned gain and shift) at every step,
    as in Ba, Kiros & Hinton 2016 and Hands-On ML 3's LNSimpleRNNCell."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = self.output_size = units
        self.step = keras.layers.SimpleRNNCell(units, activation=None)
        self.norm = keras.layers.LayerNormalization()

    def build(self, input_shape):
        self.step.build(input_shape)
        self.norm.build((input_shape[0], self.units))

    def call(self, x_t, states, training=False):
        z, _ = self.step(x_t, states, training=training)
        h = keras.ops.tanh(self.norm(z))
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


# Units per recurrent layer that put every model at about 50,000 parameters (within 2 %) with an
# embedding of 16 and a softmax over 63 characters; found by counting, as exercise 7.2 does.
RACE_UNITS = {"shallow": 185, "stacked": 115, "residual stack": 115, "deep input": 137,
              "deep output": 137, "deep transition": 113, "DOT": 99,
              "stacked LSTM": 58, "stacked GRU": 67}


# Notebook 07's three experiments; tools/race07.py runs them over seeds into RECORD.
RACE = dict(train_chars=150_000, max_epochs=15, patience=2)          # early stopping on validation
RESIDUAL = dict(train_chars=150_000, units=64, layers=4, epochs=12)  # fixed epochs: whole curves
DROPOUT = dict(train_chars=150_000, units=128, layers=2, epochs=10, rate=0.3)
RECORD = Path(__file__).resolve().parents[1] / "bench" / "race07.json"


def load_record(path=RECORD):
    """tools/race07.py's record: settings, machine, and per experiment, model and seed, the run."""
    if not Path(path).exists():
        raise FileNotFoundError(f"{path} is missing: run `.venv/bin/python tools/race07.py`")
    return json.loads(Path(path).read_text())


def build_char_model(kind, units, vocab_size, embed_dim=16, dropout=0.0, layers=2):
    """Embedding, the recurrent part named by `kind`, a softmax over the next character.

    kind: one of RACE_UNITS; "stacked", "residual stack" and the gated stacks have `layers`
    recurrent layers (the residual adds each layer's input to its output from layer 2 on);
    "DOT" is a deep transition followed by a deep output. dropout: the fraction of each recurrent
    layer's inputs dropped in training (one mask per sequence) and of the softmax's inputs."""
    if kind not in RACE_UNITS:
        raise ValueError(f"kind must be one of {sorted(RACE_UNITS)}, got {kind!r}")
    if int(layers) < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, embed_dim)(inputs)
    layer = {"stacked LSTM": keras.layers.LSTM, "stacked GRU": keras.layers.GRU}.get(
        kind, keras.layers.SimpleRNN)
    def rnn():
        return layer(units, return_sequences=True, dropout=dropout)
    if kind in ("stacked", "residual stack", "stacked LSTM", "stacked GRU"):
        x = rnn()(x)
        for _ in range(int(layers) - 1):
            h = rnn()(x)
            x = keras.layers.Add()([h, x]) if kind == "residual stack" else h
    elif kind == "shallow":
        x = rnn()(x)
    elif kind == "deep input":
        x = rnn()(keras.layers.Dense(units, activation="relu")(x))
    elif kind == "deep output":
        x = keras.layers.Dense(units, activation="relu")(rnn()(x))
    else:  # deep transition, DOT
        x = keras.layers.RNN(DeepTransitionCell(units), return_sequences=True)(x)
        if kind == "DOT":
            x = keras.layers.Dense(units, activation="relu")(x)
    if dropout:
        x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(vocab_size, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=kind.replace(" ", "_"))


def char_windows(text, char_id, steps):
    """Inputs and next-character targets, (n, steps) int32 each, from consecutive windows."""
    ids = np.array([char_id[c] for c in text], dtype="int32")
    n = (len(ids) - 1) // steps
    if n < 1:
        raise ValueError(f"text of {len(text)} characters holds no window of {steps} + 1")
    return ids[:n * steps].reshape(n, steps), ids[1:n * steps + 1].reshape(n, steps)


def race_data(train_chars=300_000, held_out_chars=50_000, steps=50):
    """The race's data: the vocabulary and (x, y) windows from the first characters of the
    training, validation and test parts of cu.shakespeare_splits()."""
    train_text, val_text, test_text = shakespeare_splits()
    vocab = sorted(set(train_text))
    char_id = {c: i for i, c in enumerate(vocab)}
    return vocab, {"train": char_windows(train_text[:train_chars], char_id, steps),
                   "val": char_windows(val_text[:held_out_chars], char_id, steps),
                   "test": char_windows(test_text[:held_out_chars], char_id, steps)}


def train_char_model(make_model, data, seed, max_epochs, patience=None, learning_rate=1e-2):
    """Seed, build with `make_model()`, train: Adam with gradients clipped to global norm 1,
    batches of 64 windows, scored in bits per character on validation after every epoch. With
    `patience`, training stops when the validation loss has not improved for that many epochs and
    the best epoch's weights are kept (EarlyStopping); the test part is scored once, at the end,
    with the kept weights. Returns the per-epoch curves, the best epoch and its scores."""
    keras.utils.set_random_seed(seed)
    model = make_model()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, global_clipnorm=1.0),
                  loss="sparse_categorical_crossentropy")
    callbacks = [] if patience is None else [keras.callbacks.EarlyStopping(
        patience=patience, restore_best_weights=True)]
    start = time.perf_counter()
    history = model.fit(*data["train"], batch_size=64, epochs=max_epochs, verbose=0,
                        validation_data=data["val"], callbacks=callbacks)
    seconds = time.perf_counter() - start
    bits = 1 / np.log(2)
    val = [v * bits for v in history.history["val_loss"]]
    train = [v * bits for v in history.history["loss"]]
    best = int(np.argmin(val)) if patience is not None else len(val) - 1
    test = model.evaluate(*data["test"], batch_size=256, verbose=0) * bits
    return {"train_bpc": train, "val_bpc": val, "best_epoch": best + 1, "val": val[best],
            "test": float(test), "seconds": seconds, "params": model.count_params()}
