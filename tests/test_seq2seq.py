"""The seq2seq module: vocabulary, attention (NumPy and Keras), the three models, decoding,
the addition and names tasks, and the checksummed loading of shipped weights."""
import hashlib
import warnings

import keras
import numpy as np
import pytest

import course_utils as cu
from course_utils.seq2seq import (END, PAD, START, AdditiveAttention, Vocabulary,
                                  addition_split, additive_attention, build_seq2seq,
                                  greedy_batch, load_shipped_weights, names_task)

V, E, H = 7, 3, 5  # tiny vocabulary, embedding and GRU sizes
SOURCE = np.array([[3, 4, 5, 6, 3],
                   [5, 3, 0, 0, 0],   # padded: the mask must hide the zeros
                   [6, 6, 4, 0, 0]], dtype=np.int32)
DECODER_INPUT = np.array([[START, 3, 4, 5],
                          [START, 6, 0, 0],
                          [START, 4, 4, 3]], dtype=np.int32)


# ---------------------------------------------------------------- Vocabulary

def test_vocabulary_reserves_0_1_2_and_sorts_the_characters():
    vocab = Vocabulary(["cab", "ba"])
    assert (PAD, START, END) == (0, 1, 2)
    assert vocab.tokens == ["<pad>", "<s>", "</s>", "a", "b", "c"]
    assert len(vocab) == 6
    assert vocab.ids == {"<pad>": 0, "<s>": 1, "</s>": 2, "a": 3, "b": 4, "c": 5}


def test_encode_adds_start_end_and_pads():
    vocab = Vocabulary(["abc"])
    ids = vocab.encode(["ab", "c", ""], 5, start=True, end=True)
    assert ids.dtype == np.int32
    np.testing.assert_array_equal(ids, [[1, 3, 4, 2, 0], [1, 5, 2, 0, 0], [1, 2, 0, 0, 0]])
    np.testing.assert_array_equal(vocab.encode(["ab", "cab"], 3), [[3, 4, 0], [5, 3, 4]])
    np.testing.assert_array_equal(vocab.encode(["b"], 2, end=True), [[4, 2]])


def test_decode_stops_at_end_and_skips_pad_and_start():
    vocab = Vocabulary(["abc"])
    assert vocab.decode([1, 3, 4, 2, 5, 5]) == "ab"
    assert vocab.decode(np.array([3, 0, 1, 5, 0])) == "ac"
    assert vocab.decode([2, 3]) == ""
    assert vocab.decode([]) == ""


def test_encode_decode_round_trip():
    texts = ["hello world", "abc", "", "dlrow"]
    vocab = Vocabulary(texts)
    for start in (False, True):
        for end in (False, True):
            ids = vocab.encode(texts, 14, start=start, end=end)
            assert [vocab.decode(row) for row in ids] == texts


def test_encode_errors_name_the_text():
    vocab = Vocabulary(["abc"])
    with pytest.raises(ValueError) as err:
        vocab.encode(["ab", "abxz"], 10)
    assert "texts[1] = 'abxz' has characters outside the vocabulary: ['x', 'z']" in str(err.value)
    with pytest.raises(ValueError) as err:
        vocab.encode(["abc"], 4, start=True, end=True)
    assert "texts[0] = 'abc' needs 5 tokens, more than length=4" in str(err.value)
    vocab.encode(["abc"], 5, start=True, end=True)  # just fits


# ---------------------------------------------------------------- additive_attention

def attention_loop(query, keys, W_query, W_keys, v, mask=None):
    """The definition, one score at a time."""
    N, S, Hk = keys.shape
    context, weights = np.zeros((N, Hk)), np.zeros((N, S))
    for n in range(N):
        positions = [s for s in range(S) if mask is None or mask[n, s]]
        scores = {s: v @ np.tanh(query[n] @ W_query + keys[n, s] @ W_keys) for s in positions}
        total = sum(np.exp(score) for score in scores.values())
        for s, score in scores.items():
            weights[n, s] = np.exp(score) / total
            context[n] += weights[n, s] * keys[n, s]
    return context, weights


def attention_inputs(seed=0, N=3, S=4, Hq=2, Hk=3, A=5):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(N, Hq)), rng.normal(size=(N, S, Hk)), rng.normal(size=(Hq, A)),
            rng.normal(size=(Hk, A)), rng.normal(size=A))


MASK = np.array([[True, True, True, True], [True, False, True, False], [True, False, False, False]])


@pytest.mark.parametrize("mask", [None, MASK])
def test_additive_attention_matches_the_loop(mask):
    args = attention_inputs()
    context, weights = additive_attention(*args, mask=mask)
    expected_context, expected_weights = attention_loop(*args, mask=mask)
    assert context.shape == (3, 3) and weights.shape == (3, 4)
    np.testing.assert_allclose(weights, expected_weights, rtol=0, atol=1e-12)
    np.testing.assert_allclose(context, expected_context, rtol=0, atol=1e-12)


def test_masked_positions_get_exactly_zero_weight():
    context, weights = additive_attention(*attention_inputs(1), mask=MASK)
    assert np.all(weights[~MASK] == 0)
    assert np.all(weights[MASK] > 0)
    np.testing.assert_allclose(weights.sum(axis=1), 1, rtol=0, atol=1e-12)
    query, keys = attention_inputs(1)[:2]
    np.testing.assert_allclose(context[2], keys[2, 0], rtol=0, atol=1e-12)  # one position left


@pytest.mark.parametrize("query, keys, shown", [
    (np.zeros(2), np.zeros((3, 4, 3)), "query (2,) and keys (3, 4, 3)"),
    (np.zeros((3, 2)), np.zeros((3, 3)), "query (3, 2) and keys (3, 3)"),
    (np.zeros((2, 2)), np.zeros((3, 4, 3)), "query (2, 2) and keys (3, 4, 3)"),
])
def test_additive_attention_shape_errors(query, keys, shown):
    _, _, W_query, W_keys, v = attention_inputs()
    with pytest.raises(ValueError) as err:
        additive_attention(query, keys, W_query, W_keys, v)
    assert "expected query (N, Hq) and keys (N, S, Hk) with the same N" in str(err.value)
    assert shown in str(err.value)


def test_additive_attention_mask_shape_error():
    with pytest.raises(ValueError, match=r"mask: expected shape \(3, 4\), got \(3, 3\)"):
        additive_attention(*attention_inputs(), mask=MASK[:, :3])


# ---------------------------------------------------------------- AdditiveAttention (Keras)

@pytest.mark.parametrize("masked", [False, True])
def test_keras_layer_matches_additive_attention_at_every_step(masked):
    rng = np.random.default_rng(2)
    N, T, S, Hq, Hk, A = 3, 2, 4, 2, 3, 5
    query = rng.normal(size=(N, T, Hq)).astype("float32")
    keys = rng.normal(size=(N, S, Hk)).astype("float32")
    mask = MASK if masked else None
    layer = AdditiveAttention(A)
    layer(query, keys, mask)
    assert [tuple(w.shape) for w in layer.get_weights()] == [(Hq, A), (Hk, A), (A,)]
    W_query, W_keys, v = (rng.normal(size=w.shape).astype("float32") for w in layer.get_weights())
    layer.set_weights([W_query, W_keys, v])
    context, weights = (np.asarray(x) for x in layer(query, keys, mask))
    assert context.shape == (N, T, Hk) and weights.shape == (N, T, S)
    for t in range(T):
        expected_context, expected_weights = additive_attention(query[:, t], keys, W_query,
                                                                W_keys, v, mask=mask)
        np.testing.assert_allclose(weights[:, t], expected_weights, rtol=0, atol=1e-5)
        np.testing.assert_allclose(context[:, t], expected_context, rtol=0, atol=1e-5)
    if masked:
        assert np.all(weights[~np.broadcast_to(MASK[:, None], weights.shape)] == 0)


# ---------------------------------------------------------------- build_seq2seq

def randomize(model, seed):
    """Weights large enough that the logits, states and attention weights vary a lot."""
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape) * 0.7 for w in model.get_weights()])


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "attention"])
def models(request):
    keras.utils.set_random_seed(0)
    training, encoder, step = build_seq2seq(V, E, H, attention=request.param)
    randomize(training, 3)
    return request.param, training, encoder, step


def run_step(step, attention, token, state, enc_states, source):
    inputs = [token, state, enc_states, source != PAD] if attention else [token, state]
    return [np.asarray(x) for x in step(inputs)]


def test_the_three_models_share_their_layers(models):
    attention, training, encoder, step = models
    names = ["enc_embed", "encoder", "dec_embed", "decoder", "readout"]
    names += ["attention"] if attention else []
    assert sorted(l.name for l in training.layers if l.weights) == sorted(names)
    for name in ["enc_embed", "encoder"]:
        assert encoder.get_layer(name) is training.get_layer(name)
    for name in names[2:]:
        assert step.get_layer(name) is training.get_layer(name)
    assert len(step.inputs) == (4 if attention else 2)
    assert {id(w) for w in encoder.weights + step.weights} == {id(w) for w in training.weights}


def test_step_model_reproduces_the_training_logits(models):
    attention, training, encoder, step = models
    logits = np.asarray(training([SOURCE, DECODER_INPUT]))
    assert logits.shape == (3, 4, V)
    enc_states, state = (np.asarray(x) for x in encoder(SOURCE))
    assert enc_states.shape == (3, 5, H) and state.shape == (3, H)
    for t in range(DECODER_INPUT.shape[1]):
        step_logits, state, *weights = run_step(step, attention, DECODER_INPUT[:, t:t + 1],
                                                state, enc_states, SOURCE)
        np.testing.assert_allclose(step_logits, logits[:, t], rtol=0, atol=1e-5)
        if attention:
            assert np.all(weights[0][SOURCE == PAD] == 0)


def test_source_padding_changes_nothing(models):
    """The padded row gives the logits of the same source without its padding."""
    attention, training, encoder, step = models
    logits = np.asarray(training([SOURCE, DECODER_INPUT]))
    alone = np.asarray(training([SOURCE[1:2, :2], DECODER_INPUT[1:2]]))
    np.testing.assert_allclose(logits[1], alone[0], rtol=0, atol=1e-5)
    np.testing.assert_allclose(np.asarray(encoder(SOURCE)[1])[1],
                               np.asarray(encoder(SOURCE[1:2, :2])[1])[0], rtol=0, atol=1e-5)


@pytest.mark.parametrize("args, message", [
    (dict(attention=1), "attention must be True or False, got 1"),
    (dict(attention="yes"), "attention must be True or False, got 'yes'"),
    (dict(vocab_size=0), "vocab_size must be a positive int, got 0"),
    (dict(embed_dim=-1), "embed_dim must be a positive int, got -1"),
    (dict(units=2.5), "units must be a positive int, got 2.5"),
    (dict(bidirectional=1), "bidirectional must be True or False, got 1"),
    (dict(bidirectional=True), "expected an even number, got units=5"),
])
def test_build_seq2seq_bad_arguments(args, message):
    good = dict(vocab_size=V, embed_dim=E, units=H, attention=False)
    with pytest.raises(ValueError) as err:
        build_seq2seq(**{**good, **args})
    assert message in str(err.value)


# ---------------------------------------------------------------- greedy_batch

def test_greedy_batch_is_the_argmax_loop(models):
    attention, training, encoder, step = models
    tokens, weights = greedy_batch(encoder, step, SOURCE, max_length=6)
    assert tokens.shape == (3, 6)
    enc_states, state = (np.asarray(x) for x in encoder(SOURCE))
    token, expected, expected_weights = np.full((3, 1), START, dtype=np.int32), [], []
    for _ in range(6):
        logits, state, *w = run_step(step, attention, token, state, enc_states, SOURCE)
        token = logits.argmax(axis=-1)[:, None].astype(np.int32)
        expected.append(token[:, 0])
        expected_weights += w
    np.testing.assert_array_equal(tokens, np.stack(expected, axis=1))
    if not attention:
        assert weights is None
        return
    assert weights.shape == (3, 6, 5)
    np.testing.assert_allclose(weights, np.stack(expected_weights, axis=1), rtol=0, atol=1e-6)
    assert np.all(weights[np.broadcast_to((SOURCE == PAD)[:, None], weights.shape)] == 0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1, rtol=0, atol=1e-5)


# ---------------------------------------------------------------- addition_split

def test_addition_split_holds_out_a_fixed_set():
    (train_q, train_a), (test_q, test_a) = addition_split(300, 2, seed=0, n_test=200)
    (other_q, other_a), (test_q2, test_a2) = addition_split(50, 2, seed=1, n_test=200)
    assert (test_q, test_a) == (test_q2, test_a2)          # whatever the seed and n_train
    assert len(test_q) == len(set(test_q)) == 200          # distinct questions
    assert len(train_q) == len(train_a) == 300 and len(other_q) == 50
    assert not set(test_q) & (set(train_q) | set(other_q))  # never trained on
    assert addition_split(50, 2, seed=0, n_test=200)[0] != (other_q, other_a)  # seed matters
    for q, a in zip(train_q + test_q, train_a + test_a):
        x, y = q.split("+")
        assert int(a) == int(x) + int(y) and int(x) < 100 and int(y) < 100


def test_addition_split_default_test_size():
    (train_q, _), (test_q, test_a) = addition_split(10, 3, seed=0)
    assert len(set(test_q)) == len(test_a) == 2000 and len(train_q) == 10


@pytest.mark.parametrize("args, message", [
    (dict(n_train=10, max_digits=1),
     "n_test=2000 is more than the 10 distinct held-out sums drawn for max_digits=1"),
    (dict(n_train=0, max_digits=2), "n_train must be a positive int, got 0"),
    (dict(n_train=10, max_digits=2, n_test=0), "n_test must be a positive int, got 0"),
])
def test_addition_split_impossible_sizes(args, message):
    with pytest.raises(ValueError) as err:
        addition_split(seed=0, **args)
    assert message in str(err.value)


# ---------------------------------------------------------------- names_task

def test_names_task_fits_every_pair():
    vocab, source_length, target_length = names_task()
    pairs = cu.load_translation_pairs()
    english, french = [e for e, _ in pairs], [f for _, f in pairs]
    assert source_length == max(map(len, english))
    assert target_length == max(map(len, french)) + 1
    source = vocab.encode(english, source_length)
    target = vocab.encode(french, target_length, end=True)
    decoder_input = vocab.encode(french, target_length, start=True)
    assert np.any(source[:, -1] != PAD) and np.any(target[:, -1] == END)  # the longest fit exactly
    assert [vocab.decode(row) for row in source] == english
    assert [vocab.decode(row) for row in target] == french
    assert [vocab.decode(row) for row in decoder_input] == french
    assert vocab.tokens[3:] == sorted(set("".join(english + french)))


# ---------------------------------------------------------------- load_shipped_weights

def tiny_model(seed):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    randomize(model, seed)
    return model


@pytest.fixture
def shipped(tmp_path):
    """A models/ folder with one checksummed weights file, 'tiny'; returns (root, its weights)."""
    model = tiny_model(0)
    path = tmp_path / "tiny.weights.h5"
    with warnings.catch_warnings():  # TensorFlow's own, from NumPy 2's __array__ protocol
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        model.save_weights(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (tmp_path / "SHA256SUMS").write_text(f"{digest}  tiny.weights.h5\n")
    return tmp_path, model.get_weights()


def test_load_shipped_weights_loads_a_verified_file(shipped):
    root, expected = shipped
    model = tiny_model(1)
    assert load_shipped_weights(model, "tiny", root=root) is model
    for w, e in zip(model.get_weights(), expected):
        np.testing.assert_array_equal(w, e)


def test_load_shipped_weights_rejects_a_changed_file(shipped):
    root, _ = shipped
    with open(root / "tiny.weights.h5", "ab") as f:
        f.write(b"\0")
    model = tiny_model(1)
    before = model.get_weights()
    with pytest.raises(ValueError) as err:
        load_shipped_weights(model, "tiny", root=root)
    assert f"{root / 'tiny.weights.h5'} is corrupted or was edited" in str(err.value)
    for w, b in zip(model.get_weights(), before):  # nothing was loaded
        np.testing.assert_array_equal(w, b)


def test_load_shipped_weights_unknown_name(shipped):
    root, _ = shipped
    with pytest.raises(ValueError) as err:
        load_shipped_weights(tiny_model(1), "huge", root=root)
    assert "'huge' is not a shipped model; known: ['tiny']" in str(err.value)


def test_held_out_is_a_tenth_of_every_size_and_training_keeps_the_one_digit_sums():
    from course_utils.seq2seq import held_out
    one_digit = [f"{a}+{b}" for a in range(10) for b in range(10)]
    assert 3 <= sum(map(held_out, one_digit)) <= 20
    questions, _ = cu.addition_strings(20_000, max_digits=3, seed=5)
    assert 0.08 < np.mean([held_out(q) for q in questions]) < 0.12
    (train_q, _), (test_q, _) = addition_split(20_000, 3, seed=0)
    assert not any(map(held_out, train_q)) and all(map(held_out, test_q))
    seen = {q for q in train_q if len(q) == 3}
    assert len(seen) >= 75                      # nearly all 90-odd trainable one-digit sums


# ---------------------------------------------------------------- the shipped models

def test_every_shipped_model_has_a_checksum_metrics_and_a_small_file():
    from course_utils.seq2seq import MODELS_DIR
    import json
    sums = cu.data.read_checksums(MODELS_DIR / "SHA256SUMS")
    metrics = json.loads((MODELS_DIR / "metrics.json").read_text())
    assert set(sums) == {f"{name}.weights.h5" for name in metrics}
    assert set(sums) == {p.name for p in MODELS_DIR.glob("*.weights.h5")}
    for name, m in metrics.items():
        path = MODELS_DIR / f"{name}.weights.h5"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == sums[path.name] == m["sha256"], name
        assert path.stat().st_size == m["size_bytes"] < 5_000_000, name
        assert {"train_seconds", "machine", "config", "parameters", "seed"} <= set(m), name
        assert "exact_match" in m or {"val_nats", "test_nats"} <= set(m), name   # a score


def test_held_out_sums_are_addition_splits_test_set():
    from course_utils.seq2seq import held_out_sums
    assert held_out_sums(3) == addition_split(10, 3, seed=4)[1]
    q, a = held_out_sums(2, n_test=50)
    assert len(set(q)) == 50 and all(str(eval(x)) == y for x, y in zip(q, a))


# ---------------------------------------------------------------- the bidirectional encoder

@pytest.mark.parametrize("attention", [False, True], ids=["plain", "attention"])
def test_bidirectional_encoder_is_both_directions_in_numpy(attention):
    """The last state joins the forward GRU after the last real token and the backward GRU
    after the first; the encoder states join both directions at every real position."""
    keras.utils.set_random_seed(0)
    training, encoder, step = build_seq2seq(V, E, 6, attention=attention, bidirectional=True)
    randomize(training, 5)
    enc_states, last = (np.asarray(x, dtype=np.float64) for x in encoder(SOURCE))
    assert enc_states.shape == (3, 5, 6) and last.shape == (3, 6)
    bi = training.get_layer("encoder")
    forward, backward = bi.forward_layer.get_weights(), bi.backward_layer.get_weights()
    embedding = training.get_layer("enc_embed").get_weights()[0]
    for n, row in enumerate(SOURCE):
        x = embedding[row[row != PAD]][None]                  # (1, length, E), no padding
        f = cu.gru_forward(x, None, *forward)[0]              # (length, 3)
        b = cu.gru_forward(x[:, ::-1], None, *backward)[0][::-1]   # position-aligned
        np.testing.assert_allclose(last[n], np.concatenate([f[-1], b[0]]), rtol=0, atol=1e-5)
        np.testing.assert_allclose(enc_states[n, :len(f)], np.concatenate([f, b], axis=1),
                                   rtol=0, atol=1e-5)
    logits = np.asarray(training([SOURCE, DECODER_INPUT]))
    state = np.asarray(last, dtype=np.float32)
    for t in range(DECODER_INPUT.shape[1]):
        step_logits, state, *_ = run_step(step, attention, DECODER_INPUT[:, t:t + 1], state,
                                          enc_states.astype(np.float32), SOURCE)
        np.testing.assert_allclose(step_logits, logits[:, t], rtol=0, atol=1e-5)
