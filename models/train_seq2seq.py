"""Train the encoder-decoders whose weights notebook 09 loads; record what they reach.

    .venv/bin/python models/train_seq2seq.py            # all models (about 30 min, 2 cores)
    .venv/bin/python models/train_seq2seq.py addition   # one of them

Each model is built by course_utils.seq2seq.build_seq2seq, trained with a fixed seed and the
course's pinned arithmetic, scored on held-out data, and written to models/<name>.weights.h5.
models/SHA256SUMS gets the file's checksum (the loader checks it) and models/metrics.json
the held-out scores, every epoch's training and validation loss and accuracy, the training
time, the machine and the library versions; the notebook asserts the scores it measures
itself against the ones it promises, not against this file.

Validation: for addition, the 2,000 held-out sums after the 2,000 test sums
(s2s.held_out_sums), never trained on; for the names, cu.translation_splits' validation
pairs. A model with a `patience` stops once its validation loss has not improved for that
many epochs and keeps the weights of its best validation epoch (EarlyStopping); the others
train for all their epochs and only record the validation loss. The recorded losses and
accuracies are per real token (padding counts neither in the sum nor in the mean) and
teacher-forced; the training ones are running means over each epoch, as Keras reports them.
"""
import difflib
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import course_utils as cu  # pins the portable arithmetic before NumPy and TensorFlow load
from course_utils import seq2seq as s2s

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from tools.notebooks import environment_line  # noqa: E402  (date, cores, CPU, Python)

SEED = 0

# name: what to train (each with Adam, its learning rate decayed to 0 along a cosine over
# `epochs`). Addition sums use cu.addition_strings' digit counts; the source is reversed
# ("123+45" is read as "54+321", Sutskever et al.'s trick, measured in notebook 09).
MODELS = {
    "addition": dict(task="addition", max_digits=3, attention=False, n_train=100_000,
                     epochs=20, embed_dim=16, units=128, learning_rate=3e-3, batch_size=128),
    "names_attention": dict(task="names", attention=True, epochs=60, patience=10,
                            embed_dim=32, units=128, learning_rate=3e-3, batch_size=32),
    "addition_long": dict(task="addition", max_digits=6, attention=False, n_train=50_000,
                          epochs=20, embed_dim=16, units=128, learning_rate=3e-3,
                          batch_size=128),
    "addition_long_attention": dict(task="addition", max_digits=6, attention=True,
                                    n_train=50_000, epochs=20, embed_dim=16, units=128,
                                    learning_rate=3e-3, batch_size=128),
    # the plain model made as large as the attention one (GRUs of 148 units: 149,942
    # parameters against 149,070), and a bidirectional encoder (73 units each way, a decoder
    # of 146: 114,196 parameters against addition_long's 114,382)
    "addition_long_wide": dict(task="addition", max_digits=6, attention=False,
                               n_train=50_000, epochs=20, embed_dim=16, units=148,
                               learning_rate=3e-3, batch_size=128),
    "addition_long_bidirectional": dict(task="addition", max_digits=6, attention=False,
                                        bidirectional=True, n_train=50_000, epochs=20,
                                        embed_dim=16, units=146, learning_rate=3e-3,
                                        batch_size=128),
}


def reverse(texts):
    return [t[::-1] for t in texts]


def addition_data(cfg):
    """(vocab, train, validation, test, source length, target length), sources reversed."""
    (q, a), (tq, ta) = s2s.addition_split(cfg["n_train"], cfg["max_digits"], seed=SEED)
    vq, va = (part[len(tq):] for part in s2s.held_out_sums(cfg["max_digits"], 2 * len(tq)))
    vocab = s2s.Vocabulary("0123456789+")
    return (vocab, (reverse(q), a), (reverse(vq), va), (reverse(tq), ta),
            2 * cfg["max_digits"] + 1, cfg["max_digits"] + 2)


def names_data(cfg):
    train, validation, test = cu.translation_splits()
    vocab, src_len, tgt_len = s2s.names_task()
    pairs = (tuple(map(list, zip(*part))) for part in (train, validation, test))
    return (vocab, *pairs, src_len, tgt_len)


def greedy_scores(vocab, encoder, step, sources, targets, src_len, tgt_len):
    """(exact match, character similarity) of greedy decoding."""
    import numpy as np
    tokens, _ = s2s.greedy_batch(encoder, step, vocab.encode(sources, src_len), tgt_len)
    pred = [vocab.decode(row) for row in tokens]
    exact = float(np.mean([p == t for p, t in zip(pred, targets)]))
    similarity = float(np.mean([difflib.SequenceMatcher(None, p, t).ratio()
                                for p, t in zip(pred, targets)]))
    return round(exact, 4), round(similarity, 4)


def train(name):
    import keras
    import numpy as np
    import tensorflow as tf
    cfg = MODELS[name]
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    vocab, (src, tgt), (val_src, val_tgt), (test_src, test_tgt), src_len, tgt_len = (
        addition_data(cfg) if cfg["task"] == "addition" else names_data(cfg))

    def arrays(sources, targets):
        y = vocab.encode(targets, tgt_len, end=True)
        return ([vocab.encode(sources, src_len), vocab.encode(targets, tgt_len, start=True)],
                y, (y != s2s.PAD).astype("float32"))

    (x, y, weight), validation = arrays(src, tgt), arrays(val_src, val_tgt)
    model, encoder, step = s2s.build_seq2seq(len(vocab), cfg["embed_dim"], cfg["units"],
                                             attention=cfg["attention"],
                                             bidirectional=cfg.get("bidirectional", False))
    # Adam with the learning rate decayed to 0 along a cosine over the whole run (the cap)
    steps = cfg["epochs"] * -(-len(y) // cfg["batch_size"])
    schedule = keras.optimizers.schedules.CosineDecay(cfg["learning_rate"], steps)
    # the metrics only record, per real token (weighted by `weight`); they do not train
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  weighted_metrics=[keras.metrics.SparseCategoricalCrossentropy(
                                        from_logits=True, name="ce"),
                                    keras.metrics.SparseCategoricalAccuracy(name="acc")])
    callbacks = []
    if "patience" in cfg:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_ce", patience=cfg["patience"], restore_best_weights=True))
    start = time.perf_counter()
    history = model.fit(x, y, sample_weight=weight, validation_data=validation,
                        batch_size=cfg["batch_size"], epochs=cfg["epochs"], verbose=2,
                        callbacks=callbacks).history
    seconds = time.perf_counter() - start
    best = int(np.argmin(history["val_ce"])) if callbacks else len(history["val_ce"]) - 1
    exact, similarity = greedy_scores(vocab, encoder, step, test_src, test_tgt, src_len,
                                      tgt_len)
    val_exact, val_similarity = greedy_scores(vocab, encoder, step, val_src, val_tgt,
                                              src_len, tgt_len)
    path = HERE / f"{name}.weights.h5"
    model.save_weights(path)
    per_epoch = {f"epoch_{key}": [round(float(v), 4) for v in history[key]]
                 for key in ("ce", "acc", "val_ce", "val_acc")}
    return {"config": cfg, "seed": SEED, "parameters": model.count_params(),
            "held_out": len(test_tgt), "exact_match": exact, "char_similarity": similarity,
            "validation": len(val_tgt), "val_exact_match": val_exact,
            "val_char_similarity": val_similarity,
            "epochs_run": len(history["val_ce"]), "best_epoch": best + 1,
            "final_train_loss": per_epoch["epoch_ce"][-1], **per_epoch,
            "train_seconds": round(seconds, 1),
            "size_bytes": path.stat().st_size,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def main(names):
    unknown = set(names) - set(MODELS)
    if unknown:
        sys.exit(f"unknown model(s) {sorted(unknown)}; choose from {sorted(MODELS)}")
    for name in names or list(MODELS):
        print(f"== {name}", flush=True)
        record(name, train(name))


def record(name, entry):
    """Add the machine to `entry`, store it as models/metrics.json[name], and rewrite
    models/SHA256SUMS from the checksums of every model in metrics.json."""
    import keras
    import numpy as np
    import tensorflow as tf
    metrics_path = HERE / "metrics.json"
    metrics = json.loads(metrics_path.read_text()) if metrics_path.exists() else {}
    entry["machine"] = {
        "environment": environment_line(), "tensorflow": tf.__version__,
        "keras": keras.__version__, "numpy": np.__version__,
        "ONEDNN_MAX_CPU_ISA": os.environ.get("ONEDNN_MAX_CPU_ISA")}
    metrics[name] = entry
    print(json.dumps({k: v for k, v in entry.items() if k != "config"}), flush=True)
    metrics_path.write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n")
    sums = {f"{n}.weights.h5": m["sha256"] for n, m in metrics.items()}
    (HERE / "SHA256SUMS").write_text(
        "".join(f"{digest}  {file}\n" for file, digest in sorted(sums.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
