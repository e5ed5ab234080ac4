"""Train the character-level language model whose weights notebook 10 loads; record its scores.

    .venv/bin/python models/train_charlm.py      # about 40 min on 2 cores

The model is course_utils.charlm.build_char_lm, trained on the training part of
cu.shakespeare_splits() with a fixed seed and the course's pinned arithmetic. After every epoch
it is scored on the validation part; the weights of the best epoch are kept (a checkpoint) and
written to models/shakespeare_gru.weights.h5. Both held-out parts are then read as streams with
the state carried along (charlm.stream_loss, as in the notebook), and metrics.json records the
losses in nats and bits per character, the accuracy, every epoch's training and validation loss
(Keras' losses over windows that start from a zero state; the training loss is the mean over the
epoch, with dropout active), the time, the machine and the library versions.
"""
import hashlib
import math
import sys
import tempfile
import time
from pathlib import Path

import course_utils as cu  # pins the portable arithmetic before NumPy and TensorFlow load
from course_utils import charlm

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from train_seq2seq import record  # noqa: E402  (metrics.json and SHA256SUMS, one writer)

SEED = 0
NAME = "shakespeare_gru"
CONFIG = dict(embed_dim=32, units=512, dropout=0.25, length=100, batch_size=32, epochs=20,
              learning_rate=3e-3, clipnorm=1.0)


def save_weights_only(model, cfg, vocab_size, path):
    """Write the model's weights without the optimizer's state (Adam's two moment estimates
    per weight would triple the file): copied into a fresh, uncompiled model, then saved."""
    fresh, _ = charlm.build_char_lm(vocab_size, cfg["embed_dim"], cfg["units"], cfg["dropout"])
    fresh.set_weights(model.get_weights())
    fresh.save_weights(path)


def train(cfg=CONFIG):
    import keras
    import numpy as np
    import tensorflow as tf
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    text_train, text_val, text_test = cu.shakespeare_splits()
    chars = sorted(set(text_train))
    index = {c: i for i, c in enumerate(chars)}
    train_ids, val_ids, test_ids = (np.array([index[c] for c in t]) for t in
                                    (text_train, text_val, text_test))
    model, step = charlm.build_char_lm(len(chars), cfg["embed_dim"], cfg["units"],
                                       cfg["dropout"])
    train_ds = charlm.windows_dataset(train_ids, cfg["length"], cfg["batch_size"],
                                      shuffle_seed=SEED)
    val_ds = charlm.windows_dataset(val_ids, cfg["length"], cfg["batch_size"])
    steps = cfg["epochs"] * (len(train_ids) // cfg["length"] // cfg["batch_size"])
    schedule = keras.optimizers.schedules.CosineDecay(cfg["learning_rate"], steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule, global_clipnorm=cfg["clipnorm"]),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    with tempfile.TemporaryDirectory() as tmp:
        best = Path(tmp) / "best.weights.h5"
        checkpoint = keras.callbacks.ModelCheckpoint(best, monitor="val_loss",
                                                     save_best_only=True,
                                                     save_weights_only=True)
        start = time.perf_counter()
        history = model.fit(train_ds, validation_data=val_ds, epochs=cfg["epochs"],
                            callbacks=[checkpoint], verbose=2,
                            shuffle=False)  # the dataset shuffles itself
        seconds = time.perf_counter() - start
        model.load_weights(best)
    path = HERE / f"{NAME}.weights.h5"
    save_weights_only(model, cfg, len(chars), path)
    val_loss, val_acc = charlm.stream_loss(step, val_ids, cfg["units"])
    test_loss, test_acc = charlm.stream_loss(step, test_ids, cfg["units"])
    epoch_losses = history.history["val_loss"]
    return {"config": cfg, "seed": SEED, "parameters": model.count_params(),
            "vocabulary": "".join(chars), "best_epoch": int(np.argmin(epoch_losses)) + 1,
            "epoch_val_losses": [round(v, 4) for v in epoch_losses],
            "epoch_train_losses": [round(v, 4) for v in history.history["loss"]],
            "val_nats": round(val_loss, 4), "val_bits": round(val_loss / math.log(2), 4),
            "val_accuracy": round(val_acc, 4),
            "test_nats": round(test_loss, 4), "test_bits": round(test_loss / math.log(2), 4),
            "test_accuracy": round(test_acc, 4),
            "train_seconds": round(seconds, 1), "size_bytes": path.stat().st_size,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


if __name__ == "__main__":
    record(NAME, train())
