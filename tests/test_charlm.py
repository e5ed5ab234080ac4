"""course_utils.charlm: the windows a language model trains on, the model, the stream loss."""
import numpy as np
import pytest

from course_utils import charlm


def windows(ds):
    return [(x.numpy(), y.numpy()) for x, y in ds]


def test_windows_are_shifted_by_one_and_start_every_length_characters():
    ids = np.arange(53) % 17
    batches = windows(charlm.windows_dataset(ids, length=5, batch_size=2))
    assert len(batches) == 5                         # 10 windows of 5 (+1), in batches of 2
    x = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1] for b in batches])
    assert x.shape == y.shape == (10, 5)
    for k in range(10):
        assert np.array_equal(x[k], ids[5 * k:5 * k + 5])
        assert np.array_equal(y[k], ids[5 * k + 1:5 * k + 6])


def test_cardinality_is_known_so_fit_can_count_steps():
    ds = charlm.windows_dataset(np.arange(1001) % 7, length=10, batch_size=4)
    assert ds.cardinality().numpy() == 25            # 100 windows, 25 full batches


def test_shuffling_is_seeded_and_changes_every_epoch():
    ids = np.arange(2001) % 50
    a = charlm.windows_dataset(ids, length=10, batch_size=4, shuffle_seed=3)
    b = charlm.windows_dataset(ids, length=10, batch_size=4, shuffle_seed=3)
    first, second = windows(a), windows(a)
    assert all(np.array_equal(p[0], q[0]) for p, q in zip(first, windows(b)))
    assert not all(np.array_equal(p[0], q[0]) for p, q in zip(first, second))
    assert sorted(map(tuple, np.concatenate([w[0] for w in first]))) == \
        sorted(map(tuple, np.concatenate([w[0] for w in windows(charlm.windows_dataset(ids, 10, 4))])))


@pytest.mark.parametrize("ids, kwargs, message", [
    (np.zeros((3, 4), dtype=int), {}, "1-D array of integer character ids"),
    (np.zeros(50), {}, "1-D array of integer character ids"),
    (np.arange(5), {}, "fewer than one window"),
    (np.arange(50), {"length": 0}, "length"),
    (np.arange(50), {"batch_size": 2.5}, "batch_size"),
])
def test_windows_dataset_rejects_bad_input(ids, kwargs, message):
    args = {"length": 10, "batch_size": 2} | kwargs
    with pytest.raises(ValueError, match=message):
        charlm.windows_dataset(ids, **args)


def test_step_model_carries_the_state_like_the_training_model():
    model, step = charlm.build_char_lm(11, 4, 6)
    ids = np.random.default_rng(0).integers(0, 11, size=(2, 9)).astype(np.int32)
    whole = model(ids).numpy()
    state = np.zeros((2, 6), dtype=np.float32)
    logits_a, state = step([ids[:, :4], state])
    logits_b, _ = step([ids[:, 4:], state.numpy()])
    np.testing.assert_allclose(np.concatenate([logits_a, logits_b], axis=1), whole, atol=1e-5)
    assert step.get_layer("gru") is model.get_layer("gru")


def test_dropout_acts_only_in_training():
    model, _ = charlm.build_char_lm(11, 4, 6, dropout=0.5)
    ids = np.arange(10, dtype=np.int32)[None] % 11
    np.testing.assert_array_equal(model(ids).numpy(), model(ids).numpy())
    assert not np.allclose(model(ids, training=True).numpy(), model(ids).numpy())


@pytest.mark.parametrize("kwargs, message", [
    ({"vocab_size": 0}, "vocab_size"), ({"units": 2.0}, "units"), ({"dropout": 1.0}, "dropout"),
])
def test_build_char_lm_rejects_bad_arguments(kwargs, message):
    args = {"vocab_size": 11, "embed_dim": 4, "units": 6} | kwargs
    with pytest.raises(ValueError, match=message):
        charlm.build_char_lm(**args)


def test_stream_loss_is_the_mean_cross_entropy_of_each_stream_read_whole():
    model, step = charlm.build_char_lm(7, 3, 5)
    ids = np.random.default_rng(1).integers(0, 7, size=103)
    loss, accuracy = charlm.stream_loss(step, ids, units=5, streams=4, chunk=6, warmup=0)
    parts = ids[:100].reshape(4, 25)
    logits = model(parts[:, :-1].astype(np.int32)).numpy().astype(np.float64)
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    want = -np.take_along_axis(log_p, parts[:, 1:, None], axis=-1).mean()
    assert loss == pytest.approx(want, rel=1e-5)
    assert accuracy == pytest.approx(np.mean(logits.argmax(-1) == parts[:, 1:]))


def test_stream_loss_rejects_too_short_a_text():
    _, step = charlm.build_char_lm(7, 3, 5)
    with pytest.raises(ValueError, match="too few for 100 streams"):
        charlm.stream_loss(step, np.arange(15) % 7, units=5)


def test_stream_log_probs_names_the_positions_it_predicts():
    model, step = charlm.build_char_lm(7, 3, 5)
    ids = np.random.default_rng(2).integers(0, 7, size=41)
    positions, log_probs, correct = charlm.stream_log_probs(step, ids, units=5, streams=4, chunk=3,
                                                           warmup=0)
    assert positions.tolist() == [p for k in range(4) for p in range(10 * k + 1, 10 * k + 10)]
    logits = model(ids[:40].reshape(4, 10)[:, :-1].astype(np.int32)).numpy().astype(np.float64)
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    want = np.take_along_axis(log_p, ids[positions].reshape(4, 9)[..., None], axis=-1).ravel()
    np.testing.assert_allclose(log_probs, want, rtol=1e-5)
    assert correct.dtype == bool and correct.shape == positions.shape


def test_warmup_reads_the_text_before_each_part_as_one_long_stream_would():
    model, step = charlm.build_char_lm(7, 3, 5)
    ids = np.random.default_rng(3).integers(0, 7, size=60)
    one_pos, one_log_p, _ = charlm.stream_log_probs(step, ids, units=5, streams=1, chunk=7)
    two_pos, two_log_p, _ = charlm.stream_log_probs(step, ids, units=5, streams=2, chunk=7,
                                                    warmup=30)
    assert two_pos.tolist() == one_pos.tolist() == list(range(1, 60))
    np.testing.assert_allclose(two_log_p, one_log_p, rtol=1e-5)


@pytest.mark.parametrize("warmup", [-1, 2.5, True])
def test_stream_log_probs_rejects_a_bad_warmup(warmup):
    _, step = charlm.build_char_lm(7, 3, 5)
    with pytest.raises(ValueError, match="warmup must be an int >= 0"):
        charlm.stream_log_probs(step, np.arange(40) % 7, units=5, streams=2, warmup=warmup)


def test_stream_logits_give_the_stream_log_probs_at_temperature_1():
    model, step = charlm.build_char_lm(7, 3, 5)
    ids = np.random.default_rng(4).integers(0, 7, size=83)
    positions, logits = charlm.stream_logits(step, ids, units=5, streams=4, chunk=6, warmup=9)
    pos, log_p, correct = charlm.stream_log_probs(step, ids, units=5, streams=4, chunk=6, warmup=9)
    assert positions.tolist() == pos.tolist() == list(range(1, 80))
    assert logits.shape == (79, 7) and logits.dtype == np.float32
    want = np.take_along_axis(charlm.log_softmax(logits), ids[positions, None], axis=-1)[:, 0]
    np.testing.assert_array_equal(want, log_p)
    np.testing.assert_array_equal(logits.argmax(-1) == ids[positions], correct)


def test_log_softmax_divides_by_the_temperature_and_is_stable():
    z = np.array([[1000.0, 999.0, 990.0], [0.0, 0.0, 0.0]])
    p = np.exp(charlm.log_softmax(z, temperature=0.5))
    np.testing.assert_allclose(p.sum(-1), 1.0)
    np.testing.assert_allclose(p[0, :2] / p[0, 0], [1.0, np.exp(-2.0)])
    np.testing.assert_allclose(p[1], 1 / 3)


@pytest.mark.parametrize("temperature", [0, -1.0, np.array([1.0, 2.0])])
def test_log_softmax_rejects_a_bad_temperature(temperature):
    with pytest.raises(ValueError, match="temperature must be a number > 0"):
        charlm.log_softmax(np.zeros((2, 3)), temperature)


def test_log_softmax_leaves_its_input_unchanged():
    z = np.array([[1.0, 2.0, 3.0]])
    charlm.log_softmax(z, temperature=2.0)
    np.testing.assert_array_equal(z, [[1.0, 2.0, 3.0]])
