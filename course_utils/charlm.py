"""Character-level language models: the windows they train on and the model notebook 10 uses.

Notebook 10 builds its model with `build_char_lm` and `models/train_charlm.py` trains the
shipped weights with the same function, so the weights fit the notebook's model.

    windows_dataset  a tf.data pipeline of (input, target) windows cut from one long text
    build_char_lm    Embedding -> GRU -> Dense, plus a step model that carries the GRU state
    stream_logits    the logits for every character of a text, the state carried along
    log_softmax      log-probabilities from logits, at a temperature
    stream_log_probs the log-probability of every character of a text, the state carried along
    stream_loss      their mean: the cross-entropy in nats per character, and the accuracy
"""
import numpy as np

from course_utils.shapes import check_positive_ints


def _check_ids(ids, name="ids"):
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D array of integer character ids, got shape "
                         f"{ids.shape} and dtype {ids.dtype}")
    return ids


def windows_dataset(ids, length, batch_size, shuffle_seed=None):
    """Batches of (input (B, length), target (B, length)) windows from one encoded text.

    Window k holds characters k*length .. k*length + length (length + 1 of them, so windows
    overlap by one character); the input is its first `length` characters and the target the
    same window shifted by one, so every character of the text is a target exactly once per
    epoch (except the first, and those of the last, incomplete window and batch, which are
    dropped). With `shuffle_seed` the windows are shuffled, in a new order every
    epoch but the same orders for the same seed; without it they keep the text's order.
    """
    import tensorflow as tf  # here so that `import course_utils` does not load TensorFlow
    ids = _check_ids(ids)
    check_positive_ints(length=length, batch_size=batch_size)
    if len(ids) < length + 1:
        raise ValueError(f"ids holds {len(ids)} characters, fewer than one window of "
                         f"length + 1 = {length + 1}")
    n_windows = (len(ids) - 1) // length
    ds = tf.data.Dataset.from_tensor_slices(ids.astype(np.int32))
    ds = ds.window(length + 1, shift=length, drop_remainder=True)
    ds = ds.flat_map(lambda window: window.batch(length + 1))
    ds = ds.apply(tf.data.experimental.assert_cardinality(n_windows))  # lets fit count steps
    if shuffle_seed is not None:
        ds = ds.shuffle(n_windows, seed=shuffle_seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size, drop_remainder=True)
    return ds.map(lambda w: (w[:, :-1], w[:, 1:])).prefetch(1)


def build_char_lm(vocab_size, embed_dim, units, dropout=0.0):
    """A GRU language model on character ids: (training model, step model), sharing layers.

    training:  ids (N, T) -> logits (N, T, V) for the next character, starting from a zero state
    step:      [ids (N, T), state (N, units)] -> [logits (N, T, V), state after the last id]
    The step model continues from any state: generation feeds it one character at a time and
    passes the state back in, as notebook 03's NumPy char-RNN did with h. `dropout` zeroes that
    share of the embedding's outputs (the GRU's inputs) and of the GRU's outputs (the readout's
    inputs), while training only (Zaremba et al.'s dropout on the non-recurrent connections).
    """
    check_positive_ints(vocab_size=vocab_size, embed_dim=embed_dim, units=units)
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
    import keras
    embed = keras.layers.Embedding(vocab_size, embed_dim, name="embed")
    gru = keras.layers.GRU(units, return_sequences=True, return_state=True, name="gru")
    drop_in = keras.layers.Dropout(dropout, name="dropout_in")
    drop_out = keras.layers.Dropout(dropout, name="dropout_out")
    readout = keras.layers.Dense(vocab_size, name="readout")

    ids = keras.Input((None,), dtype="int32", name="ids")
    states, _ = gru(drop_in(embed(ids)))
    training = keras.Model(ids, readout(drop_out(states)), name="char_lm")

    step_ids = keras.Input((None,), dtype="int32", name="step_ids")
    state = keras.Input((units,), name="state")
    states, new_state = gru(embed(step_ids), initial_state=state)
    step = keras.Model([step_ids, state], [readout(states), new_state], name="char_lm_step")
    return training, step


def stream_logits(step, ids, units, streams=100, chunk=200, warmup=200):
    """The step model's logits for every character of `ids` but the first, state carried.

    The text is cut into `streams` contiguous parts read side by side, `chunk` characters at a
    time, each part's state carried from one chunk to the next (never reset). Reading the parts
    side by side is what makes this fast; so that a part's first characters are not predicted
    from nothing, every part but the first starts by reading the `warmup` characters before it
    (unscored). Returns (positions, logits): the indices into `ids` of the predicted characters
    (1 .. streams * (len(ids) // streams) - 1: a tail of fewer than `streams` characters is left
    out), and the logits (float32, one row of V per position) that predicted each of them.
    """
    ids = _check_ids(ids)
    check_positive_ints(units=units, streams=streams, chunk=chunk)
    if not isinstance(warmup, (int, np.integer)) or isinstance(warmup, bool) or warmup < 0:
        raise ValueError(f"warmup must be an int >= 0, got {warmup!r}")
    per = len(ids) // streams
    if per < 2:
        raise ValueError(f"ids holds {len(ids)} characters, too few for {streams} streams")
    parts = ids[:per * streams].reshape(streams, per).astype(np.int32)
    state = np.zeros((streams, units), dtype=np.float32)
    # column 0: each part's first character, predicted only from the text before the part
    first, columns = None, []
    width = min(warmup, per)
    if streams > 1 and width > 0:
        before = np.stack([ids[k * per - width:k * per] for k in range(1, streams)])
        logits, warm = step([before.astype(np.int32), state[1:]])
        state[1:] = np.asarray(warm)
        first = np.asarray(logits, dtype=np.float32)[:, -1]          # (streams - 1, V)
    for start in range(0, per - 1, chunk):
        x = parts[:, start:min(start + chunk, per - 1)]
        logits, state = step([x, state])
        state = np.asarray(state)       # Keras wants all inputs NumPy (or all tensors)
        columns.append(np.asarray(logits, dtype=np.float32))
    logits = np.concatenate(columns, axis=1)                          # (streams, per - 1, V)
    positions = np.arange(streams)[:, None] * per + np.arange(1, per)
    if first is None:
        return positions.ravel(), logits.reshape(-1, logits.shape[-1])
    # insert each later part's first character before the rest of its part, in text order
    logits = np.concatenate([np.concatenate([np.full_like(first[:1], np.nan), first])[:, None],
                             logits], axis=1)
    positions = np.arange(streams)[:, None] * per + np.arange(per)
    keep = positions.ravel() != 0
    return positions.ravel()[keep], logits.reshape(-1, logits.shape[-1])[keep]


def log_softmax(logits, temperature=1.0):
    """log softmax(logits / temperature) along the last axis, in float64, computed stably."""
    if not np.isscalar(temperature) or not temperature > 0:
        raise ValueError(f"temperature must be a number > 0, got {temperature!r}")
    z = np.array(logits, dtype=np.float64)              # a copy: the steps below work in place
    z /= temperature
    z -= z.max(axis=-1, keepdims=True)
    z -= np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return z


def stream_log_probs(step, ids, units, streams=100, chunk=200, warmup=200):
    """The step model's log-probability of every character of `ids` but the first, state carried.

    The text is read as `stream_logits` reads it. Returns (positions, log_probs, correct): the
    indices into `ids` of the predicted characters, their log-probabilities (float64), and
    whether the most likely character was the right one.
    """
    ids = _check_ids(ids)
    positions, logits = stream_logits(step, ids, units, streams, chunk, warmup)
    targets = ids[positions]
    log_p = np.take_along_axis(log_softmax(logits), targets[:, None], axis=-1)[:, 0]
    return positions, log_p, logits.argmax(-1) == targets


def stream_loss(step, ids, units, streams=100, chunk=200, warmup=200):
    """Mean cross-entropy (nats per character) and accuracy of the step model over the text
    `ids`, read as `stream_log_probs` reads it (the state carried, never reset)."""
    _, log_probs, correct = stream_log_probs(step, ids, units, streams, chunk, warmup)
    return -log_probs.mean(), correct.mean()
