"""NBSVM (Wang & Manning 2012) in NumPy: binary n-gram features, log-count ratios, and a linear
classifier trained by full-batch gradient descent on them (notebook 12).

A snippet's features are sparse: a few dozen of 10,000+ columns are 1. They are kept as two
index arrays, `rows` and `cols` (one entry per feature that is 1), so a matrix product is a
`np.bincount`. Token ids follow `TextVectorization`: 0 is padding (never a feature), 1 `[UNK]`.
"""
import numpy as np


def _ids(token_ids):
    token_ids = np.asarray(token_ids)
    if token_ids.ndim != 2 or not np.issubdtype(token_ids.dtype, np.integer):
        raise ValueError(f"token_ids must be an integer array (N, T), got {token_ids.dtype} "
                         f"of shape {token_ids.shape}")
    return token_ids


def bigram_keys(token_ids, vocab_size):
    """Every pair of neighbouring words (no padding) in token_ids (N, T), as a key
    first * vocab_size + second; returns (row of each pair, key of each pair)."""
    ids = _ids(token_ids)
    first, second = ids[:, :-1], ids[:, 1:]
    rows, steps = np.nonzero((first != 0) & (second != 0))
    return rows, first[rows, steps].astype(np.int64) * vocab_size + second[rows, steps]


def binary_features(token_ids, vocab_size, bigrams=None):
    """Binarized features of each snippet: (rows, cols, n_features), one entry per feature
    present. Columns 0 .. vocab_size - 1 are the word ids (column 0, the padding, never set);
    with `bigrams`, a sorted array of the bigram keys to keep (from the training snippets), a
    kept bigram k is column vocab_size + k, and a bigram not in the list is ignored."""
    ids = _ids(token_ids)
    rows, steps = np.nonzero(ids)
    cols = ids[rows, steps].astype(np.int64)
    n_features = vocab_size
    if bigrams is not None:
        bigrams = np.asarray(bigrams)
        pair_rows, keys = bigram_keys(ids, vocab_size)
        where = np.minimum(np.searchsorted(bigrams, keys), max(len(bigrams) - 1, 0))
        kept = bigrams[where] == keys if len(bigrams) else np.zeros(len(keys), bool)
        rows = np.concatenate([rows, pair_rows[kept]])
        cols = np.concatenate([cols, vocab_size + where[kept]])
        n_features += len(bigrams)
    pairs = np.unique(rows * np.int64(n_features) + cols)       # binarized: each pair once
    return pairs // n_features, pairs % n_features, n_features


def log_count_ratio(features, y, alpha=1.0):
    """r = log((p / |p|_1) / (q / |q|_1)), p = alpha + the feature counts over the positive
    snippets, q the same over the negative ones (Wang & Manning 2012, eq. 1-2)."""
    rows, cols, n_features = features
    y = np.asarray(y)
    if y.ndim != 1 or (len(y) and rows.max(initial=0) >= len(y)):
        raise ValueError(f"y must be one label per snippet (N,), got shape {y.shape}")
    positive = y[rows] > 0.5
    p = alpha + np.bincount(cols[positive], minlength=n_features)
    q = alpha + np.bincount(cols[~positive], minlength=n_features)
    return np.log(p / p.sum()) - np.log(q / q.sum())


def scores(features, n_rows, w, b, scale=None):
    """The linear scores x . (scale * w) + b of n_rows snippets (scale: r for NBSVM)."""
    rows, cols, _ = features
    weights = w[cols] if scale is None else (scale * w)[cols]
    return np.bincount(rows, weights=weights, minlength=n_rows) + b


def train_logistic(features, y, scale=None, l2=0.0, lr=2.0, steps=300, val=None):
    """Logistic regression on the features (times `scale` if given), L2 penalty l2 / 2 * |w|^2,
    full-batch gradient descent with Nesterov momentum 0.9 for `steps` steps.
    With val = (features, y) of validation snippets, returns the weights of the step with the
    lowest validation loss (early stopping) and that loss curve; else the last weights.
    Returns (w, b, val_losses)."""
    rows, cols, n_features = features
    y = np.asarray(y, dtype=np.float64)
    scale = np.ones(n_features) if scale is None else np.asarray(scale, dtype=np.float64)
    if scale.shape != (n_features,):
        raise ValueError(f"scale must have shape ({n_features},), got {scale.shape}")
    w, b = np.zeros(n_features), 0.0
    vw, vb = np.zeros(n_features), 0.0
    best, losses = (np.inf, w, b), []
    for _ in range(steps):
        lw, lb = w + 0.9 * vw, b + 0.9 * vb                       # look ahead (Nesterov)
        g = 1 / (1 + np.exp(-scores(features, len(y), lw, lb, scale))) - y     # dLoss/dscore
        gw = scale * np.bincount(cols, weights=g[rows], minlength=n_features) / len(y) + l2 * lw
        vw, vb = 0.9 * vw - lr * gw, 0.9 * vb - lr * g.mean()
        w, b = w + vw, b + vb
        if val is not None:
            losses.append(log_loss(scores(val[0], len(val[1]), w, b, scale), val[1]))
            if losses[-1] < best[0]:
                best = (losses[-1], w.copy(), b)
    return (best[1], best[2], losses) if val is not None else (w, b, losses)


def log_loss(score, y):
    """Mean binary cross-entropy of the scores (logits) against labels y in {0, 1}."""
    score, y = np.asarray(score, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.mean(np.logaddexp(0, score) - y * score))
