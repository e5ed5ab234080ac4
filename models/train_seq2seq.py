"""Train the encoder-decoders whose weights notebook 09 loads; record what they reach.

    .venv/bin/python models/train_seq2seq.py            # all models (about 17 min, 2 cores)
    .venv/bin/python models/train_seq2seq.py addition   # one of them

Each model is built by course_utils.seq2seq.build_seq2seq, trained with a fixed seed and the
course's pinned arithmetic, scored on held-out data, and written to models/<name>.weights.h5.
models/SHA256SUMS gets the file's checksum (the loader checks it) and models/metrics.json
the held-out scores, the training time, the machine and the library versions; the notebook
asserts the scores it measures itself against the ones it promises, not against this file.
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

# name: what to train (each with Adam, its learning rate decayed to 0 along a cosine). Addition sums use cu.addition_strings' digit counts; the source is
# reversed ("123+45" is read as "54+321", Sutskever et al.'s trick, measured in notebook 09).
MODELS = {
    "addition": dict(task="addition", max_digits=3, attention=False, n_train=100_000,
                     epochs=20, embed_dim=16, units=128, learning_rate=3e-3, batch_size=128),
    "names_attention": dict(task="names", attention=True, epochs=60, embed_dim=32, units=128,
                            learning_rate=3e-3, batch_size=32),
    "addition_long": dict(task="addition", max_digits=6, attention=False, n_train=50_000,
                          epochs=20, embed_dim=16, units=128, learning_rate=3e-3,
                          batch_size=128),
    "addition_long_attention": dict(task="addition", max_digits=6, attention=True,
                                    n_train=50_000, epochs=20, embed_dim=16, units=128,
                                    learning_rate=3e-3, batch_size=128),
}


def reverse(texts):
    return [t[::-1] for t in texts]


def addition_data(cfg):
    (q, a), (tq, ta) = s2s.addition_split(cfg["n_train"], cfg["max_digits"], seed=SEED)
    vocab = s2s.Vocabulary("0123456789+")
    return vocab, (reverse(q), a), (reverse(tq), ta), 2 * cfg["max_digits"] + 1, cfg["max_digits"] + 2


def names_data(cfg):
    train, _, test = cu.translation_splits()
    vocab, src_len, tgt_len = s2s.names_task()
    return vocab, tuple(map(list, zip(*train))), tuple(map(list, zip(*test))), src_len, tgt_len


def train(name):
    import keras
    import numpy as np
    import tensorflow as tf
    cfg = MODELS[name]
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    vocab, (src, tgt), (test_src, test_tgt), src_len, tgt_len = (
        addition_data(cfg) if cfg["task"] == "addition" else names_data(cfg))
    x = vocab.encode(src, src_len)
    dec_in = vocab.encode(tgt, tgt_len, start=True)
    y = vocab.encode(tgt, tgt_len, end=True)
    model, encoder, step = s2s.build_seq2seq(len(vocab), cfg["embed_dim"], cfg["units"],
                                             attention=cfg["attention"])
    # Adam with the learning rate decayed to 0 along a cosine over the whole run
    steps = cfg["epochs"] * -(-len(x) // cfg["batch_size"])
    schedule = keras.optimizers.schedules.CosineDecay(cfg["learning_rate"], steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    start = time.perf_counter()
    history = model.fit([x, dec_in], y, sample_weight=(y != s2s.PAD).astype("float32"),
                        batch_size=cfg["batch_size"], epochs=cfg["epochs"], verbose=2)
    seconds = time.perf_counter() - start
    tokens, _ = s2s.greedy_batch(encoder, step, vocab.encode(test_src, src_len), tgt_len)
    pred = [vocab.decode(row) for row in tokens]
    exact = float(np.mean([p == t for p, t in zip(pred, test_tgt)]))
    similarity = float(np.mean([difflib.SequenceMatcher(None, p, t).ratio()
                                for p, t in zip(pred, test_tgt)]))
    path = HERE / f"{name}.weights.h5"
    model.save_weights(path)
    return {"config": cfg, "seed": SEED, "parameters": model.count_params(),
            "held_out": len(test_tgt), "exact_match": round(exact, 4),
            "char_similarity": round(similarity, 4),
            "final_train_loss": round(float(history.history["loss"][-1]), 4),
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
