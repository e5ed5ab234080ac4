"""Encoder-decoder models on characters, with and without additive (Bahdanau) attention.

Notebook 09 builds its models with `build_seq2seq` and `models/train_seq2seq.py` trains the
shipped weights with the same function, so the weights fit the notebook's models.

    Vocabulary            characters <-> token ids, with <pad> = 0, <s> = 1, </s> = 2
    additive_attention    one step of Bahdanau attention in NumPy (the reference)
    AdditiveAttention     the same score as a Keras layer, for every decoder step at once
    build_seq2seq         training model + encoder and one-step decoder models sharing layers
    greedy_batch          greedy decoding of a whole batch with the inference models
    held_out              the fixed tenth of all addition questions no model trains on
    held_out_sums         the fixed held-out sums every model is scored on
    addition_split        training sums and a fixed held-out set that never overlaps them
    names_task            the vocabulary and lengths of the English -> French name pairs
    load_shipped_weights  load models/<name>.weights.h5 after checking its SHA-256
"""
import zlib
from pathlib import Path

import numpy as np

from course_utils.shapes import check_positive_ints

PAD, START, END = 0, 1, 2
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


class Vocabulary:
    """Character vocabulary: ids 0, 1, 2 are <pad>, <s>, </s>, then the characters, sorted."""

    def __init__(self, texts):
        chars = sorted(set("".join(texts)))
        self.tokens = ["<pad>", "<s>", "</s>"] + chars
        self.ids = {c: i for i, c in enumerate(self.tokens)}

    def __len__(self):
        return len(self.tokens)

    def encode(self, texts, length, start=False, end=False):
        """Token ids (N, length) of the strings, post-padded with <pad> = 0.

        start/end: put <s> before / </s> after each string. A string too long for `length`,
        or with a character outside the vocabulary, raises a ValueError naming it.
        """
        out = np.full((len(texts), length), PAD, dtype=np.int32)
        for n, text in enumerate(texts):
            unknown = sorted(set(text) - set(self.ids))
            if unknown:
                raise ValueError(f"texts[{n}] = {text!r} has characters outside the "
                                 f"vocabulary: {unknown}")
            ids = [START] * start + [self.ids[c] for c in text] + [END] * end
            if len(ids) > length:
                raise ValueError(f"texts[{n}] = {text!r} needs {len(ids)} tokens, more than "
                                 f"length={length}")
            out[n, :len(ids)] = ids
        return out

    def decode(self, ids):
        """The string of one sequence of ids: stops at </s>, skips <pad> and <s>."""
        chars = []
        for i in ids:
            if i == END:
                break
            if i not in (PAD, START):
                chars.append(self.tokens[i])
        return "".join(chars)


def additive_attention(query, keys, W_query, W_keys, v, mask=None):
    """Bahdanau attention for one decoder step: (context (N, Hk), weights (N, S)).

    score[n, s] = v . tanh(query[n] @ W_query + keys[n, s] @ W_keys); weights = softmax over s
    (positions where mask is False get weight 0); context[n] = sum_s weights[n, s] keys[n, s].
    query (N, Hq), keys (N, S, Hk), W_query (Hq, A), W_keys (Hk, A), v (A,), mask (N, S) bool.
    """
    query, keys = np.asarray(query, dtype=np.float64), np.asarray(keys, dtype=np.float64)
    if query.ndim != 2 or keys.ndim != 3 or keys.shape[0] != query.shape[0]:
        raise ValueError(f"expected query (N, Hq) and keys (N, S, Hk) with the same N, got "
                         f"query {query.shape} and keys {keys.shape}")
    scores = np.tanh(query[:, None, :] @ W_query + keys @ W_keys) @ v     # (N, S)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != scores.shape:
            raise ValueError(f"mask: expected shape {scores.shape}, got {mask.shape}")
        scores = np.where(mask, scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    return np.einsum("ns,nsh->nh", weights, keys), weights


def _keras():
    import keras  # imported here so that `import course_utils` does not load TensorFlow
    return keras


def AdditiveAttention(units, name="attention"):
    """A Keras layer: Bahdanau's score for every decoder step at once.

    Called as layer(query (N, T, Hq), keys (N, S, Hk), mask (N, S)) it returns
    (context (N, T, Hk), weights (N, T, S)); its weights are [W_query, W_keys, v], the
    arguments of `additive_attention` after the arrays.
    """
    keras = _keras()
    ops = keras.ops

    class _AdditiveAttention(keras.layers.Layer):
        def build(self, query_shape, keys_shape, mask_shape=None):
            self.W_query = self.add_weight(shape=(query_shape[-1], units), name="W_query")
            self.W_keys = self.add_weight(shape=(keys_shape[-1], units), name="W_keys")
            self.v = self.add_weight(shape=(units,), name="v")

        def call(self, query, keys, mask=None):
            q = ops.expand_dims(ops.matmul(query, self.W_query), 2)    # (N, T, 1, A)
            k = ops.expand_dims(ops.matmul(keys, self.W_keys), 1)      # (N, 1, S, A)
            scores = ops.sum(ops.tanh(q + k) * self.v, axis=-1)      # (N, T, S)
            if mask is not None:
                scores = ops.where(ops.expand_dims(mask, 1), scores, -1e9)
            weights = ops.softmax(scores, axis=-1)
            return ops.matmul(weights, keys), weights

        def compute_output_spec(self, query, keys, mask=None):
            n, t, s = query.shape[0], query.shape[1], keys.shape[1]
            return (keras.KerasTensor((n, t, keys.shape[-1])), keras.KerasTensor((n, t, s)))

    return _AdditiveAttention(name=name)


def build_seq2seq(vocab_size, embed_dim, units, attention=False, bidirectional=False):
    """A GRU encoder-decoder on token ids: (training model, encoder model, decoder step model).

    training:  [source (N, S), decoder input (N, T)] -> logits (N, T, V); the decoder input is
               <s> followed by the target (teacher forcing), the encoder's last state starts it.
    encoder:   source -> [encoder states (N, S, H), last state (N, H)]
    step:      [token (N, 1), state (N, H), encoder states, source mask (N, S)]
               -> [logits (N, V), new state (N, H), attention weights (N, S)]
    All three share the same layers, so training one trains the others. With attention=False
    the decoder sees the source only through the last encoder state, and the step model is
    [token, state] -> [logits, new state].
    bidirectional=True: the encoder is a Bidirectional GRU of units // 2 per direction (units
    must be even); its states and its last state are the two directions' concatenated, so the
    decoder's shapes do not change. The last state joins the forward GRU's state after the
    last real character and the backward GRU's state after the first.
    """
    check_positive_ints(vocab_size=vocab_size, embed_dim=embed_dim, units=units)
    for flag, value in (("attention", attention), ("bidirectional", bidirectional)):
        if not isinstance(value, bool):
            raise ValueError(f"{flag} must be True or False, got {value!r}")
    if bidirectional and units % 2:
        raise ValueError(f"bidirectional=True splits units between two directions: expected "
                         f"an even number, got units={units}")
    keras = _keras()
    layers, ops = keras.layers, keras.ops
    enc_embed = layers.Embedding(vocab_size, embed_dim, mask_zero=True, name="enc_embed")
    if bidirectional:
        bi_gru = layers.Bidirectional(layers.GRU(units // 2, return_sequences=True,
                                                 return_state=True), name="encoder")

        def enc_gru(x):
            states, forward_last, backward_last = bi_gru(x)
            return states, ops.concatenate([forward_last, backward_last], axis=-1)
    else:
        enc_gru = layers.GRU(units, return_sequences=True, return_state=True, name="encoder")
    dec_embed = layers.Embedding(vocab_size, embed_dim, name="dec_embed")
    dec_gru = layers.GRU(units, return_sequences=True, return_state=True, name="decoder")
    attend = AdditiveAttention(units) if attention else None
    readout = layers.Dense(vocab_size, name="readout")

    def decode(tokens, state, enc_states, src_mask):
        dec_states, new_state = dec_gru(dec_embed(tokens), initial_state=state)
        if attend is None:
            return readout(dec_states), new_state, None
        context, weights = attend(dec_states, enc_states, src_mask)
        return readout(ops.concatenate([dec_states, context], axis=-1)), new_state, weights

    source = keras.Input((None,), dtype="int32", name="source")
    dec_input = keras.Input((None,), dtype="int32", name="decoder_input")
    src_mask = ops.not_equal(source, PAD)
    enc_states, last_state = enc_gru(enc_embed(source))
    logits, _, _ = decode(dec_input, last_state, enc_states, src_mask)
    training = keras.Model([source, dec_input], logits, name="seq2seq")
    encoder = keras.Model(source, [enc_states, last_state], name="encoder_model")

    token = keras.Input((1,), dtype="int32", name="token")
    state = keras.Input((units,), name="state")
    if attend is None:
        step_logits, new_state, _ = decode(token, state, None, None)
        step = keras.Model([token, state], [step_logits[:, 0], new_state], name="decoder_step")
    else:
        states_in = keras.Input((None, units), name="encoder_states")
        mask_in = keras.Input((None,), dtype="bool", name="source_mask")
        step_logits, new_state, weights = decode(token, state, states_in, mask_in)
        step = keras.Model([token, state, states_in, mask_in],
                           [step_logits[:, 0], new_state, weights[:, 0]], name="decoder_step")
    return training, encoder, step


def greedy_batch(encoder, step, source, max_length):
    """Greedy decoding of a batch with build_seq2seq's inference models, max_length steps.

    source (N, S) token ids. Returns (tokens (N, max_length), weights): tokens are the argmax
    at each step, fed back as the next input (all max_length of them, </s> and after included:
    Vocabulary.decode stops at </s>); weights (N, max_length, S) are the attention weights, or
    None for a model without attention.
    """
    source = np.asarray(source, dtype=np.int32)
    attention = len(step.inputs) == 4
    # direct calls, not predict(): one batch, and no tf.function traced for each new shape
    enc_states, state = (np.asarray(t) for t in encoder(source, training=False))
    token = np.full((len(source), 1), START, dtype=np.int32)
    tokens, weights = [], []
    for _ in range(max_length):
        inputs = [token, state, enc_states, source != PAD] if attention else [token, state]
        logits, state, *w = (np.asarray(t) for t in step(inputs, training=False))
        token = logits.argmax(axis=-1)[:, None].astype(np.int32)
        tokens.append(token[:, 0])
        weights += w
    return np.stack(tokens, axis=1), np.stack(weights, axis=1) if attention else None


def held_out(question):
    """True for the fixed tenth of all questions that no training set contains.

    A question is held out when the CRC-32 of its text is divisible by 10: a tenth of the
    questions of every size, the rare one-digit sums included, so training still sees nine
    tenths of each kind of sum, and no seed ever trains on a held-out question.
    """
    return zlib.crc32(question.encode()) % 10 == 0


def held_out_sums(max_digits, n_test=2000):
    """The fixed held-out sums for max_digits: (questions, answers), n_test distinct ones.

    They are the first n_test distinct held-out questions (see `held_out`) in the order
    cu.addition_strings draws them with seed 10_000 + max_digits: the same for every caller.
    """
    check_positive_ints(max_digits=max_digits, n_test=n_test)
    from course_utils.synthetic import addition_strings
    test = {}
    for x, y in zip(*addition_strings(40 * n_test, max_digits, seed=10_000 + max_digits)):
        if held_out(x):
            test.setdefault(x, y)
    if len(test) < n_test:
        raise ValueError(f"n_test={n_test} is more than the {len(test)} distinct held-out "
                         f"sums drawn for max_digits={max_digits}")
    test = dict(list(test.items())[:n_test])
    return list(test), list(test.values())


def addition_split(n_train, max_digits, seed, n_test=2000):
    """Sums for training and a fixed held-out set: ((train_q, train_a), (test_q, test_a)).

    The held-out set is `held_out_sums(max_digits, n_test)`, the same for every seed, so every
    run and the shipped models are scored on the same sums. The n_train training sums are
    drawn with `seed` (repeats allowed) from the other nine tenths of all questions.
    """
    check_positive_ints(n_train=n_train, max_digits=max_digits, n_test=n_test)
    from course_utils.synthetic import addition_strings
    test = held_out_sums(max_digits, n_test)
    q, a = addition_strings(2 * n_train, max_digits, seed=seed)
    train = [(x, y) for x, y in zip(q, a) if not held_out(x)][:n_train]
    if len(train) < n_train:
        raise ValueError(f"n_train={n_train} is too many sums for max_digits={max_digits}")
    return tuple(map(list, zip(*train))), test


def names_task():
    """(vocab, source_length, target_length) for cu.translation_splits' name pairs.

    The vocabulary holds every character of both languages in the file (its character set,
    not its words); target_length leaves room for </s> after the longest French name.
    """
    from course_utils.data import load_translation_pairs
    pairs = load_translation_pairs()
    return (Vocabulary([e + f for e, f in pairs]), max(len(e) for e, _ in pairs),
            max(len(f) for _, f in pairs) + 1)


def load_shipped_weights(model, name, root=None):
    """Load models/<name>.weights.h5 into `model` after checking its SHA-256 (models/SHA256SUMS).

    Every shipped model goes through here: notebook 09's encoder-decoders and notebook 10's
    language model."""
    from course_utils.data import check_sha256, read_checksums
    root = Path(root) if root is not None else MODELS_DIR
    sums = read_checksums(root / "SHA256SUMS")
    file = f"{name}.weights.h5"
    if file not in sums:
        raise ValueError(f"{name!r} is not a shipped model; known: "
                         f"{sorted(f.removesuffix('.weights.h5') for f in sums)}")
    path = root / file
    check_sha256(path, sums[file], f"Restore it with `git checkout -- models/{file}` or rerun "
                                   "the models/train_*.py script that makes it "
                                   "(models/README.md).")
    model.load_weights(path)
    return model
