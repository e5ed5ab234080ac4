"""course_utils.nbsvm: binary n-gram features, log-count ratios, the linear classifier."""
import numpy as np
import pytest

from course_utils import nbsvm

IDS = np.array([[4, 2, 2, 0], [1, 3, 4, 0], [2, 4, 0, 0]])      # post-padded, id 1 = [UNK]
Y = np.array([1.0, 0.0, 1.0])


def dense(features):
    rows, cols, n_features = features
    out = np.zeros((rows.max() + 1, n_features))
    out[rows, cols] += 1
    return out


def test_unigram_features_are_binary_and_skip_padding():
    got = dense(nbsvm.binary_features(IDS, 5))
    assert np.array_equal(got, [[0, 0, 1, 0, 1], [0, 1, 0, 1, 1], [0, 0, 1, 0, 1]])


def test_bigrams_kept_from_a_list_and_others_ignored():
    rows, keys = nbsvm.bigram_keys(IDS, 5)
    assert rows.tolist() == [0, 0, 1, 1, 2] and keys.tolist() == [22, 12, 8, 19, 14]
    kept = np.array([14, 22])                                    # (2, 4) and (4, 2), sorted
    got = dense(nbsvm.binary_features(IDS, 5, bigrams=kept))
    assert got.shape == (3, 7)
    assert got[:, 5:].tolist() == [[0, 1], [0, 0], [1, 0]]      # column 5 + index in `kept`
    assert np.array_equal(got[:, :5], dense(nbsvm.binary_features(IDS, 5)))


def test_log_count_ratio_matches_the_formula():
    features = nbsvm.binary_features(IDS, 5)
    x = dense(features)
    p, q = 1 + x[Y == 1].sum(0), 1 + x[Y == 0].sum(0)
    want = np.log(p / p.sum()) - np.log(q / q.sum())
    assert np.allclose(nbsvm.log_count_ratio(features, Y), want, rtol=0, atol=1e-12)


def test_scores_are_a_matrix_product():
    features = nbsvm.binary_features(IDS, 5)
    w, r = np.arange(5.0), np.linspace(-1, 1, 5)
    assert np.allclose(nbsvm.scores(features, 3, w, 0.5), dense(features) @ w + 0.5)
    assert np.allclose(nbsvm.scores(features, 3, w, 0.0, r), dense(features) @ (r * w))


def test_logistic_fits_separable_data_and_gradient_is_right():
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 30, size=(200, 6))
    y = (np.isin(ids, [3, 5, 7]).any(axis=1)).astype(float)
    features = nbsvm.binary_features(ids, 30)
    w, b, losses = nbsvm.train_logistic(features, y, steps=400)
    assert losses == [] and np.mean((nbsvm.scores(features, 200, w, b) > 0) == (y > 0.5)) > 0.97
    # the loss at the weights found is below the loss at zero, and early stopping keeps the best
    w2, b2, val_losses = nbsvm.train_logistic(features, y, steps=50, val=(features, y))
    assert len(val_losses) == 50
    assert np.isclose(nbsvm.log_loss(nbsvm.scores(features, 200, w2, b2), y), min(val_losses))
    assert min(val_losses) < nbsvm.log_loss(np.zeros(200), y)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="token_ids"):
        nbsvm.binary_features(np.array([1.0, 2.0]), 5)
    with pytest.raises(ValueError, match="scale"):
        nbsvm.train_logistic(nbsvm.binary_features(IDS, 5), Y, scale=np.ones(3))
    with pytest.raises(ValueError, match="one label per snippet"):
        nbsvm.log_count_ratio(nbsvm.binary_features(IDS, 5), Y[:2])
