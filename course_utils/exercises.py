"""Checkers for the notebooks' exercises: a clear pass, or a hint that helps.

Each checker takes the learner's function (or value), runs it on cases with known answers
and prints one line:

    ✓ Exercise 1.2: passed.
    ✗ Exercise 1.2: not yet. h has shape (4, 3), expected (4, 5). Hint: ...
    ○ Exercise 1.2: not attempted yet. Hint: ...

and returns True only on a pass, so a worked solution can `assert` it.
"""
import numpy as np

from course_utils.gru import gru_forward, gru_param_count, gru_step
from course_utils.lstm import GATES, lstm_param_count, lstm_step
from course_utils.rnn import rnn_backward, rnn_forward, rnn_param_count
from course_utils.synthetic import adding_problem


def check(title, attempt, test, hint):
    """Run test(attempt); print a pass, a failure with the reason, or "not attempted"."""
    try:
        test(attempt)
    except NotImplementedError:
        print(f"○ {title}: not attempted yet. Hint: {hint}")
        return False
    except AssertionError as err:
        print(f"✗ {title}: not yet. {err} Hint: {hint}")
        return False
    except Exception as err:  # the learner's code crashed: say how, then hint
        print(f"✗ {title}: your code raised {type(err).__name__}: {err}. Hint: {hint}")
        return False
    print(f"✓ {title}: passed.")
    return True


def _close(got, want, what, atol=1e-6):
    got = np.asarray(got)
    assert got.shape == np.shape(want), f"{what} has shape {got.shape}, expected {np.shape(want)}."
    assert np.allclose(got, want, atol=atol), (
        f"{what} differs from the expected values by up to {np.max(np.abs(got - want)):.3g}.")


# --- 00 sequences ---------------------------------------------------------------------

def _same(got, want, what):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what} has shape {got.shape}, expected {want.shape}."
    assert np.array_equal(got, want), f"{what} is {got.tolist()}, expected {want.tolist()}."


def check_pad_post(pad_post):
    """Exercise 0.1: pad_post(seqs, maxlen, value) pads AND truncates at the end."""
    def test(fn):
        seqs = [[3, 1, 4], [1, 5, 9, 2, 6], [5], []]
        got = np.asarray(fn(seqs, 4, 0))
        want = np.array([[3, 1, 4, 0], [1, 5, 9, 2], [5, 0, 0, 0], [0, 0, 0, 0]])
        assert got.shape == want.shape, (
            f"pad_post(seqs, maxlen=4, value=0) has shape {got.shape}, expected {want.shape}: "
            "one row per sequence, maxlen columns.")
        assert not np.array_equal(got[0], [0, 3, 1, 4]), (
            "[3, 1, 4] became [0, 3, 1, 4]: that is padding at the front (padding='pre').")
        assert not np.array_equal(got[1], [5, 9, 2, 6]), (
            "[1, 5, 9, 2, 6] was cut to [5, 9, 2, 6]: that keeps the last items "
            "(truncating='pre'); keep the first maxlen instead.")
        _same(got, want, "pad_post(seqs, maxlen=4, value=0)")
        got = np.asarray(fn([[7, 7], [2]], 3, -1))
        _same(got, [[7, 7, -1], [2, -1, -1]], "pad_post([[7, 7], [2]], maxlen=3, value=-1)")
    return check("Exercise 0.1 (pad_post)", pad_post, test,
                 "make an array full of `value`, then copy seq[:maxlen] into the start of each row.")


def check_mask_from_lengths(mask_from_lengths):
    """Exercise 0.2: mask[n, t] is True where step t of post-padded sequence n is real."""
    def test(fn):
        lengths = np.array([3, 1, 4, 0])
        got = np.asarray(fn(lengths, 4))
        want = np.arange(4)[None, :] < lengths[:, None]
        assert got.shape == want.shape, (
            f"mask_from_lengths([3, 1, 4, 0], maxlen=4) has shape {got.shape}, "
            f"expected {want.shape}: (number of sequences, maxlen).")
        assert got.dtype == bool, f"the mask has dtype {got.dtype}, expected bool (a comparison gives one)."
        assert not np.array_equal(got, np.arange(4)[None, :] <= lengths[:, None]), (
            "each row has one True too many: positions start at 0, so step t is real when "
            "t < length, not t <= length.")
        assert not np.array_equal(got, np.arange(4)[None, :] >= 4 - lengths[:, None]), (
            "the True values sit at the end of each row: that is the mask of pre-padded "
            "sequences; here the padding comes after the real steps.")
        _same(got, want, "mask_from_lengths([3, 1, 4, 0], maxlen=4)")
        _same(np.asarray(fn([1, 2], 6)), np.arange(6)[None, :] < np.array([[1], [2]]),
              "mask_from_lengths([1, 2], maxlen=6)")
    return check("Exercise 0.2 (mask_from_lengths)", mask_from_lengths, test,
                 "compare np.arange(maxlen)[None, :] with lengths[:, None].")


def check_sliding_windows(sliding_windows):
    """Exercise 0.3: sliding_windows(series, width, stride) -> (n_windows, width)."""
    def test(fn):
        series = np.arange(10.0) * 10
        for width, stride in ((3, 1), (3, 2), (4, 3), (10, 1)):
            want = np.stack([series[i:i + width] for i in range(0, len(series) - width + 1, stride)])
            got = np.asarray(fn(series, width, stride))
            call = f"sliding_windows(series of length 10, width={width}, stride={stride})"
            assert got.ndim == 2, f"{call} has shape {got.shape}, expected {want.shape}."
            if got.shape[0] != want.shape[0]:
                raise AssertionError(
                    f"{call} gave {got.shape[0]} windows, expected {want.shape[0]}: a series of "
                    f"length T has (T - width) // stride + 1 windows (the last one may start at "
                    f"T - width).")
            _same(got, want, call)
    return check("Exercise 0.3 (sliding_windows)", sliding_windows, test,
                 "window k is series[k * stride : k * stride + width]; count how many fit.")


# --- 01 simple RNN ----------------------------------------------------------------------

def check_stacked_rnn_params(stacked_rnn_params):
    """Exercise 1.1: stacked_rnn_params(input_dim, units) -> parameters of stacked SimpleRNNs."""
    def test(fn):
        for input_dim, units in [(1, [8]), (3, [32, 16]), (5, [4, 4, 4]), (10, [2, 64, 7])]:
            want, features = 0, input_dim
            for h in units:
                want += rnn_param_count(features, h)
                features = h
            got = fn(input_dim, list(units))
            assert got == want, f"stacked_rnn_params({input_dim}, {units}) = {got}, expected {want}."

    return check("Exercise 1.1", stacked_rnn_params, test,
                 "each layer has H*D + H*H + H parameters, and D of layer 2 is H of layer 1 "
                 "(it reads the states below it, not the original input).")


def check_simple_rnn_in_numpy(simple_rnn_in_numpy):
    """Exercise 1.2: simple_rnn_in_numpy(layer, x) == layer(x) for a SimpleRNN, in NumPy."""
    def test(fn):
        import keras  # only this checker needs Keras

        rng = np.random.default_rng(12)
        n, steps, d, h = 4, 6, 3, 5
        layer = keras.layers.SimpleRNN(h)
        layer.build((None, None, d))
        layer.set_weights([rng.normal(size=(d, h)).astype(np.float32),
                           (0.5 * rng.normal(size=(h, h))).astype(np.float32),
                           rng.normal(size=h).astype(np.float32)])
        x = rng.normal(size=(n, steps, d)).astype(np.float32)
        got = fn(layer, x.copy())
        assert not hasattr(got, "numpy"), (
            "you returned a tensor: compute with NumPy from layer.get_weights(), not layer(x).")
        _close(got, keras.ops.convert_to_numpy(layer(x)), "your output", atol=1e-5)

    return check("Exercise 1.2", simple_rnn_in_numpy, test,
                 "layer.get_weights() gives [kernel, recurrent_kernel, bias]; start from a "
                 "zero state of shape (N, H), apply the update once per time step, return the "
                 "last state.")


def check_sum_sign_weights(sum_sign_weights):
    """Exercise 1.3: hand-set 1-unit RNN weights whose final state has the sign of the sum."""
    def test(fn):
        kernel, recurrent_kernel, bias = (np.asarray(w, dtype=np.float64) for w in fn())
        for name, w, shape in [("kernel", kernel, (1, 1)),
                               ("recurrent_kernel", recurrent_kernel, (1, 1)), ("bias", bias, (1,))]:
            assert w.shape == shape, f"{name} has shape {w.shape}, expected {shape}."
        rng = np.random.default_rng(13)
        for length in (20, 100):
            x = rng.normal(size=(2000, length, 1))
            h_last = rnn_forward(x, None, kernel, recurrent_kernel, bias)[:, -1, 0]
            acc = np.mean(np.sign(h_last) == np.sign(x.sum(axis=(1, 2))))
            assert acc >= 0.98, (f"on length-{length} sequences the final state has the sign of "
                                 f"the sum for {acc:.1%} of them; 98% are needed.")

    return check("Exercise 1.3", sum_sign_weights, test,
                 "to keep a running total the state must carry all of its old value into the "
                 "next step, and tanh(u) is close to u only while u stays small.")



# --- 02 mappings ------------------------------------------------------------------------

def _shape_of(value, call):
    try:
        return tuple(int(size) for size in value)
    except (TypeError, ValueError):
        raise AssertionError(f"{call} returned {value!r}, expected a shape: a tuple of ints "
                             f"such as (4, 16).") from None


def check_rnn_output_shape(rnn_output_shape):
    """Exercise 2.1: the shape(s) SimpleRNN(units, return_sequences, return_state) returns."""
    def test(fn):
        for n, t, d, units in ((4, 7, 3, 16), (1, 12, 5, 8), (32, 2, 10, 3)):
            for seq in (False, True):
                for state in (False, True):
                    call = (f"rnn_output_shape(N={n}, T={t}, D={d}, units={units}, "
                            f"return_sequences={seq}, return_state={state})")
                    want = (n, t, units) if seq else (n, units)
                    got = fn(N=n, T=t, D=d, units=units, return_sequences=seq, return_state=state)
                    if state:
                        assert (isinstance(got, (list, tuple)) and len(got) == 2
                                and all(isinstance(g, (list, tuple)) for g in got)), (
                            f"{call} returned {got!r}: with return_state=True the layer returns "
                            f"two tensors, so return a list of two shapes [output, state].")
                        got_out, got_state = (_shape_of(g, call) for g in got)
                        assert got_out == want, f"{call}: output shape {got_out}, expected {want}."
                        assert got_state == (n, units), (
                            f"{call}: state shape {got_state}, expected {(n, units)}. The state is "
                            f"the final one only, with no time axis, whatever return_sequences is.")
                    else:
                        got = _shape_of(got, call)
                        assert got != (n, t, units) or seq, (
                            f"{call} = {got}: without return_sequences the layer returns only the "
                            f"last output, with no time axis.")
                        assert got != (n, t, d), (
                            f"{call} = {got}: the output has `units` features, not D.")
                        assert got == want, f"{call} = {got}, expected {want}."

    return check("Exercise 2.1", rnn_output_shape, test,
                 "return_sequences=True keeps the time axis (N, T, units), False gives (N, units); "
                 "return_state=True adds the final state (N, units) as a second output.")


def check_build_many_to_one(build_many_to_one):
    """Exercise 2.2: build_many_to_one(T, D, units, n_classes) -> model (N, T, D) -> (N, n_classes)."""
    def test(fn):
        import keras  # only this checker needs Keras

        rng = np.random.default_rng(22)
        for t, d, units, k in ((7, 3, 5, 4), (4, 1, 8, 2)):
            call = f"build_many_to_one(T={t}, D={d}, units={units}, n_classes={k})"
            model = fn(t, d, units, k)
            assert isinstance(model, keras.Model), (
                f"{call} returned a {type(model).__name__}, expected a Keras model "
                f"(for example keras.Sequential([...])).")
            x = rng.normal(size=(6, t, d)).astype(np.float32)
            y = keras.ops.convert_to_numpy(model(x))
            assert y.shape != (6, t, k), (
                f"on input (6, {t}, {d}) the output has shape {y.shape}, expected (6, {k}): one "
                f"answer per step means return_sequences=True; many-to-one keeps the last state.")
            assert y.shape == (6, k), (
                f"on input (6, {t}, {d}) the output has shape {y.shape}, expected (6, {k}).")
            assert any(isinstance(layer, keras.layers.SimpleRNN) for layer in model.layers), (
                f"{call} has no SimpleRNN layer.")
            x_changed = x.copy()
            x_changed[:, 0] += 1.0
            assert not np.allclose(keras.ops.convert_to_numpy(model(x_changed)), y), (
                "changing the first time step does not change the output: the model must read "
                "the whole sequence.")
            want = rnn_param_count(d, units) + units * k + k
            assert model.count_params() == want, (
                f"{call} has {model.count_params()} parameters, expected {want} = "
                f"rnn_param_count(D, units) + units * n_classes + n_classes (one SimpleRNN, "
                f"one Dense).")
            assert not np.allclose(y.sum(axis=-1), 1.0, atol=1e-4), (
                "every row of the output sums to 1: return logits, without a softmax activation.")

    return check("Exercise 2.2", build_many_to_one, test,
                 "a SimpleRNN(units) with the default return_sequences=False gives the last "
                 "state (N, units); a Dense(n_classes) without activation turns it into logits.")


def check_one_to_many_first_step(one_to_many_first_step):
    """Exercise 2.3: NumPy one-to-many feeding v at the first step and zeros afterwards."""
    def test(fn):
        rng = np.random.default_rng(23)
        for n, t, d, h, k in ((3, 5, 4, 6, 2), (2, 3, 1, 4, 5)):
            rnn = (rng.normal(0, 0.5, (d, h)), rng.normal(0, 0.5, (h, h)), rng.normal(0, 0.1, h))
            out = (rng.normal(0, 0.5, (h, k)), rng.normal(0, 0.1, k))
            v = rng.normal(size=(n, d))
            xs = np.zeros((n, t, d))
            xs[:, 0] = v
            want = rnn_forward(xs, None, *rnn) @ out[0] + out[1]
            got = np.asarray(fn(v.copy(), t, rnn, out))
            assert got.shape == want.shape, (
                f"for v of shape {v.shape} and T={t} the output has shape {got.shape}, "
                f"expected (N, T, K) = {want.shape}.")
            repeated = rnn_forward(np.repeat(v[:, None], t, axis=1), None, *rnn) @ out[0] + out[1]
            assert not np.allclose(got, repeated), (
                "that is the RepeatVector version (v at every step); here v goes in at step 1 "
                "only, followed by zeros.")
            assert not (np.allclose(got[:, 0], want[:, 0]) and not np.allclose(got, want)), (
                "step 1 is right but later steps differ: feed zeros after step 1 and let the "
                "state carry on from step to step.")
            _close(got, want, "your output")

    return check("Exercise 2.3", one_to_many_first_step, test,
                 "build xs = zeros (N, T, D) with xs[:, 0] = v, run cu.rnn_forward(xs, None, *rnn) "
                 "and apply the read-out hs @ W + b to every step.")



# --- 03 backpropagation through time ----------------------------------------------------

def _step_backward_case(rng, n=3, d=4, h=5):
    """One random tanh step (D != H, so a transposed matrix shows up as a shape error)."""
    x_t, h_prev = rng.normal(size=(n, d)), rng.normal(size=(n, h))
    kernel, recurrent_kernel = rng.normal(size=(d, h)) * 0.5, rng.normal(size=(h, h)) * 0.5
    h_t = np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + rng.normal(size=h) * 0.1)
    return rng.normal(size=(n, h)), x_t, h_prev, h_t, kernel, recurrent_kernel


def check_rnn_step_backward(rnn_step_backward):
    """Exercise 3.1: rnn_step_backward(dh, x_t, h_prev, h_t, kernel, recurrent_kernel) -> dict."""
    def test(fn):
        rng = np.random.default_rng(31)
        for _ in range(3):
            dh, x_t, h_prev, h_t, kernel, recurrent_kernel = _step_backward_case(rng)
            got = fn(dh, x_t.copy(), h_prev.copy(), h_t.copy(), kernel.copy(), recurrent_kernel.copy())
            assert isinstance(got, dict), f"return a dict of gradients, got {type(got).__name__}."
            da = dh * (1.0 - h_t ** 2)
            want = {"x_t": da @ kernel.T, "h_prev": da @ recurrent_kernel.T, "kernel": x_t.T @ da,
                    "recurrent_kernel": h_prev.T @ da, "bias": da.sum(axis=0)}
            missing = sorted(set(want) - set(got))
            assert not missing, f"the dict lacks the key(s) {missing}."
            for name in want:
                _close(got[name], want[name], f"the gradient for {name!r}", atol=1e-9)

    return check("Exercise 3.1", rnn_step_backward, test,
                 "go back through tanh first: da = dh * (1 - h_t**2) (h_t is already tanh of a). "
                 "a = x_t @ kernel + h_prev @ recurrent_kernel + bias is linear, so each gradient "
                 "is da times the other factor: x_t.T @ da, da @ kernel.T, ...; the bias gradient "
                 "sums da over the batch.")


def check_clip_by_global_norm(clip_by_global_norm):
    """Exercise 3.2: clip_by_global_norm(grads, max_norm) -> a new dict, rescaled if too long."""
    def test(fn):
        grads = {"a": np.array([3.0, 4.0]), "b": np.array([[12.0]])}   # global norm 13
        before = {k: v.copy() for k, v in grads.items()}
        for max_norm, scale in [(6.5, 0.5), (26.0, 1.0), (13.0, 1.0), (1.0, 1 / 13)]:
            got = fn(grads, max_norm)
            assert isinstance(got, dict) and set(got) == set(grads), (
                f"return a dict with the same keys {sorted(grads)}.")
            assert all(np.array_equal(grads[k], before[k]) for k in grads), (
                "your function changed the arrays it was given; return new arrays instead.")
            for name in grads:
                _close(got[name], before[name] * scale,
                       f"with max_norm={max_norm}, the clipped {name!r}", atol=1e-12)
        rng = np.random.default_rng(32)
        big = {"kernel": rng.normal(size=(4, 5)) * 10, "bias": rng.normal(size=5)}
        total = np.sqrt(sum(np.sum(v ** 2) for v in big.values()))
        got = fn(big, 1.0)
        norm = np.sqrt(sum(np.sum(np.asarray(v) ** 2) for v in got.values()))
        assert np.isclose(norm, 1.0), f"after clipping to 1.0 the global norm is {norm:.4f}, not 1."
        for name in big:
            _close(got[name], big[name] / total, f"the clipped {name!r}", atol=1e-12)

    return check("Exercise 3.2", clip_by_global_norm, test,
                 "the global norm is sqrt of the sum of squares of ALL entries of ALL arrays; "
                 "when it exceeds max_norm, multiply every array by the same max_norm / norm "
                 "(one scale for all, so the direction is kept), else return copies unchanged.")


def check_truncated_bptt(truncated_bptt):
    """Exercise 3.3: truncated_bptt(dhs, x, h0, kernel, recurrent_kernel, bias, k) -> dict."""

    def reference(dhs, x, h0, kernel, recurrent_kernel, bias, k):
        hs = rnn_forward(x, h0, kernel, recurrent_kernel, bias)
        total = {"kernel": 0.0, "recurrent_kernel": 0.0, "bias": 0.0}
        for start in range(0, x.shape[1], k):
            h_in = h0 if start == 0 else hs[:, start - 1]
            part = slice(start, start + k)
            g = rnn_backward(dhs[:, part], x[:, part], h_in, hs[:, part],
                             kernel, recurrent_kernel, bias)
            for name in total:
                total[name] = total[name] + g[name]
        return total

    def test(fn):
        rng = np.random.default_rng(33)
        n, steps, d, h = 2, 11, 3, 4
        x, h0 = rng.normal(size=(n, steps, d)), rng.normal(size=(n, h)) * 0.5
        kernel, recurrent_kernel = rng.normal(size=(d, h)) * 0.5, rng.normal(size=(h, h)) * 0.6
        bias, dhs = rng.normal(size=h) * 0.1, rng.normal(size=(n, steps, h))
        for k in (1, 4, 5, steps):
            got = fn(dhs.copy(), x.copy(), h0.copy(), kernel.copy(), recurrent_kernel.copy(),
                     bias.copy(), k)
            assert isinstance(got, dict), f"return a dict of gradients, got {type(got).__name__}."
            want = reference(dhs, x, h0, kernel, recurrent_kernel, bias, k)
            missing = sorted(set(want) - set(got))
            assert not missing, f"the dict lacks the key(s) {missing}."
            for name in want:
                _close(got[name], want[name], f"with k={k}, the gradient for {name!r}", atol=1e-9)

    return check("Exercise 3.3", truncated_bptt, test,
                 "run the forward pass ONCE over the whole sequence (the state is carried, never "
                 "reset); then for each chunk of k steps call rnn_backward on that chunk alone, "
                 "with the state that entered it (h0 or hs[:, start - 1]) as its h0, and add up "
                 "the three weight gradients. The last chunk may be shorter than k.")


# --- 04 vanishing and exploding gradients -----------------------------------------------

def check_scale_to_spectral_radius(scale_to_spectral_radius):
    """Exercise 4.1: scale_to_spectral_radius(matrix, rho) -> matrix * c with rho(result) = rho."""
    def test(fn):
        rng = np.random.default_rng(41)
        for n, rho in [(6, 0.5), (10, 1.0), (16, 3.0)]:
            m = rng.normal(size=(n, n))          # non-symmetric: spectral radius < largest singular value
            got = np.asarray(fn(m.copy(), rho), dtype=np.float64)
            assert got.shape == m.shape, f"the result has shape {got.shape}, expected {m.shape}."
            radius = float(np.max(np.abs(np.linalg.eigvals(got))))
            top_sv = float(np.linalg.norm(got, 2))
            assert not np.isclose(top_sv, rho, rtol=1e-6) or np.isclose(radius, rho, rtol=1e-6), (
                f"for rho={rho} your matrix has largest singular value {rho} but spectral radius "
                f"{radius:.4f}: you divided by the matrix 2-norm, not by the largest |eigenvalue|.")
            assert np.isclose(radius, rho, rtol=1e-6), (
                f"for rho={rho} your matrix has spectral radius {radius:.4f}.")
            scale = float(np.sum(got * m) / np.sum(m * m))
            assert scale > 0 and np.allclose(got, scale * m, atol=1e-9), (
                "the result must be the input times one positive number: the same matrix, rescaled.")

    return check("Exercise 4.1", scale_to_spectral_radius, test,
                 "the spectral radius is the largest ABSOLUTE eigenvalue, "
                 "np.max(np.abs(np.linalg.eigvals(matrix))) (eigenvalues can be complex); "
                 "multiply the matrix by rho / that number.")


def check_clip_each_by_norm(clip_each_by_norm):
    """Exercise 4.2: clip_each_by_norm(grads, max_norm) -> list, each array clipped on its own."""
    def test(fn):
        grads = [np.array([3.0, 4.0]), np.array([[0.6], [0.8]]), np.array([12.0, 0.0, 5.0])]
        before = [g.copy() for g in grads]                              # norms 5, 1, 13
        for max_norm, scales in [(2.0, [0.4, 1.0, 2 / 13]), (5.0, [1.0, 1.0, 5 / 13]),
                                 (20.0, [1.0, 1.0, 1.0])]:
            got = fn(grads, max_norm)
            assert all(np.array_equal(g, b) for g, b in zip(grads, before)), (
                "your function changed the arrays it was given; return new arrays instead.")
            got = list(got)
            assert len(got) == len(grads), f"return {len(grads)} arrays, got {len(got)}."
            norms = [float(np.linalg.norm(np.asarray(g))) for g in got]
            if np.isclose(np.sqrt(sum(n ** 2 for n in norms)), max_norm):
                raise AssertionError("the arrays together have norm 5: that is global clipping "
                                     "(global_clipnorm); clip each array on its own instead.")
            for i, (g, b, s) in enumerate(zip(got, before, scales)):
                _close(g, b * s, f"with max_norm={max_norm}, array {i} (norm {np.linalg.norm(b):g})",
                       atol=1e-12)

    return check("Exercise 4.2", clip_each_by_norm, test,
                 "for each array g on its own: n = np.linalg.norm(g); if n > max_norm return "
                 "g * max_norm / n, else g unchanged. Arrays under the limit are not scaled up.")


def check_steps_to_vanish(steps_to_vanish):
    """Exercise 4.3: steps_to_vanish(rho, factor=1e-3) -> smallest k with rho**k < factor, or None."""
    def reference(rho, factor):
        if rho >= 1:
            return None
        k, g = 0, 1.0
        while g >= factor:
            k, g = k + 1, g * rho
        return k

    def test(fn):
        # no case has rho**k == factor exactly, so float rounding cannot decide the answer
        for rho, factor in [(0.5, 1e-3), (0.9, 1e-3), (0.95, 1e-3), (0.3, 1e-3), (0.8, 1e-6),
                            (0.99, 0.5), (1.0, 1e-3), (1.5, 1e-3)]:
            want = reference(rho, factor)
            got = fn(rho, factor) if factor != 1e-3 else fn(rho)
            if want is None:
                assert got is None, (
                    f"for rho={rho} the gradient never shrinks (rho**k >= 1 for every k), so the "
                    f"answer is None; you returned {got!r}.")
                continue
            assert got is not None and float(got) == int(got), (
                f"steps_to_vanish({rho}, {factor}) should be a whole number of steps, got {got!r}.")
            got = int(got)
            assert got != want - 1, (
                f"steps_to_vanish({rho}, {factor}) = {got}, but {rho}**{got} = {rho ** got:.3g} is "
                f"not yet below {factor}: one step short (round up, not down).")
            assert got == want, f"steps_to_vanish({rho}, {factor}) = {got}, expected {want}."

    return check("Exercise 4.3", steps_to_vanish, test,
                 "rho**k < factor means k > log(factor) / log(rho) (log(rho) < 0 flips the "
                 "inequality); the answer is the next whole number above that. Return None when "
                 "rho >= 1.")


# --- 05 LSTM ----------------------------------------------------------------------------



def check_split_lstm_kernel(split_lstm_kernel):
    """Exercise 5.1: split_lstm_kernel(w) -> {"i", "f", "c", "o"}, the four H-wide gate blocks."""
    def test(fn):
        units = 3
        for shape in [(2, 4 * units), (units, 4 * units), (4 * units,)]:
            # block k holds values 10 * (k + 1) + column, so a misplaced block is recognisable
            block = (10.0 * (np.arange(4 * units) // units + 1) + np.arange(4 * units) % units)
            w = np.broadcast_to(block, shape) + (np.arange(shape[0])[:, None] / 100.0
                                                  if len(shape) == 2 else 0.0)
            got = fn(np.array(w))
            assert isinstance(got, dict), f"you returned a {type(got).__name__}, expected a dict."
            assert sorted(got) == sorted(GATES), (
                f"the dict has keys {sorted(got)}, expected {sorted(GATES)}.")
            what = "the kernel" if len(shape) == 2 and shape[0] == 2 else (
                "the recurrent kernel" if len(shape) == 2 else "the bias")
            for k, gate in enumerate(GATES):
                part = np.asarray(got[gate])
                want = w[..., k * units:(k + 1) * units]
                assert part.shape == want.shape, (
                    f"For {what} of shape {shape}, gate '{gate}' has shape {part.shape}, "
                    f"expected {want.shape}.")
                if not np.array_equal(part, want):
                    found = [g for j, g in enumerate(GATES)
                             if np.array_equal(part, w[..., j * units:(j + 1) * units])]
                    where = (f" it holds the '{found[0]}' block" if found else
                             " it is not one contiguous block of H columns")
                    raise AssertionError(f"For {what}, gate '{gate}' is wrong:{where}.")

    return check("Exercise 5.1", split_lstm_kernel, test,
                 "the last axis has 4H columns: i is w[..., :H], f is w[..., H:2H], c the next "
                 "H, o the last H (Keras' order i, f, c, o).")


def check_lstm_params(lstm_params):
    """Exercise 5.2: lstm_params(input_dim, units) -> trainable parameters of LSTM(units)."""
    def test(fn):
        for d, h in [(1, 1), (2, 32), (3, 8), (28, 128), (100, 7)]:
            got, want = fn(d, h), lstm_param_count(d, h)
            if got == 4 * h * (d + h):
                raise AssertionError(f"lstm_params({d}, {h}) = {got}: the {4 * h} biases are missing.")
            if got == h * (d + h) + h:
                raise AssertionError(f"lstm_params({d}, {h}) = {got}: that is one gate's worth.")
            if got == 4 * h * (d + h) + h:
                raise AssertionError(f"lstm_params({d}, {h}) = {got}: every gate has its own "
                                     f"{h} biases, {4 * h} in all.")
            assert got == want, f"lstm_params({d}, {h}) = {got}, expected {want}."

    return check("Exercise 5.2", lstm_params, test,
                 "each of the four gates is a dense layer on [x_t, h_{t-1}] with its own bias: "
                 "H*D + H*H + H parameters, times four.")


def check_cell_state_update(cell_state_update):
    """Exercise 5.3: cell_state_update(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias) -> c_t."""
    def test(fn):
        rng = np.random.default_rng(53)
        n, d, h = 4, 3, 5
        args = (rng.normal(size=(n, d)), rng.normal(size=(n, h)), rng.normal(size=(n, h)) * 2,
                rng.normal(size=(d, 4 * h)), rng.normal(size=(h, 4 * h)), rng.normal(size=4 * h))
        h_t, c_t = lstm_step(*args)
        got = np.asarray(fn(*(np.array(a) for a in args)))
        if got.shape == c_t.shape and np.allclose(got, h_t):
            raise AssertionError("you returned h_t = o * tanh(c_t); the exercise asks for c_t itself.")
        _close(got, c_t, "c_t")

    return check("Exercise 5.3", cell_state_update, test,
                 "z = x_t @ kernel + h_prev @ recurrent_kernel + bias; split it into i, f, c, o "
                 "blocks; i and f go through the sigmoid, the candidate through tanh; "
                 "c_t = f * c_prev + i * candidate.")


# --- 06 GRU -----------------------------------------------------------------------------



def check_gru_params(gru_params):
    """Exercise 6.1: gru_params(input_dim, units, reset_after) -> trainable parameters of GRU."""
    def test(fn):
        for d, h in [(1, 1), (2, 18), (3, 8), (28, 128), (100, 7)]:
            for reset_after in (True, False):
                got, want = fn(d, h, reset_after), gru_param_count(d, h, reset_after)
                call = f"gru_params({d}, {h}, reset_after={reset_after})"
                if got == want:
                    continue
                if got == 4 * h * (d + h + 1):
                    raise AssertionError(f"{call} = {got}: that is an LSTM's count (four blocks); "
                                         "a GRU has three.")
                if reset_after and got == gru_param_count(d, h, False):
                    raise AssertionError(f"{call} = {got}: with reset_after=True the recurrent "
                                         f"part has its own {3 * h} biases (bias shape (2, 3H)).")
                if not reset_after and got == gru_param_count(d, h, True):
                    raise AssertionError(f"{call} = {got}: with reset_after=False there is one "
                                         f"bias vector of shape (3H,), {3 * h} numbers.")
                raise AssertionError(f"{call} = {got}, expected {want}.")

    return check("Exercise 6.1", gru_params, test,
                 "three blocks (z, r, h), each with an input kernel D x H, a recurrent kernel "
                 "H x H and H biases; reset_after=True adds a second bias of 3H.")


def check_gru_step_reset_before(gru_step_reset_before):
    """Exercise 6.2: gru_step_reset_before(x_t, h_prev, kernel, recurrent_kernel, bias) -> h_t."""
    def test(fn):
        rng = np.random.default_rng(62)
        n, d, h = 4, 3, 5
        x_t, h_prev = rng.normal(size=(n, d)), rng.normal(size=(n, h))
        kernel, recurrent_kernel = rng.normal(size=(d, 3 * h)), rng.normal(size=(h, 3 * h))
        bias = rng.normal(size=3 * h)
        got = np.asarray(fn(x_t.copy(), h_prev.copy(), kernel.copy(), recurrent_kernel.copy(),
                            bias.copy()))
        want = gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=False)
        after = gru_step(x_t, h_prev, kernel, recurrent_kernel, np.stack([bias, 0 * bias]))
        if got.shape == want.shape and np.allclose(got, after):
            raise AssertionError("that is the reset-after formula r * (h_prev @ U_h); here r "
                                 "multiplies h_prev before the product: (r * h_prev) @ U_h.")
        z = 1 / (1 + np.exp(-(x_t @ kernel[:, :h] + h_prev @ recurrent_kernel[:, :h] + bias[:h])))
        candidate = (want - z * h_prev) / (1 - z)
        swapped = (1 - z) * h_prev + z * candidate  # the same candidate, z and 1 - z swapped
        if got.shape == want.shape and np.allclose(got, swapped):
            raise AssertionError("z and 1 - z are swapped: Keras keeps the old state where z = 1, "
                                 "h_t = z * h_prev + (1 - z) * candidate.")
        _close(got, want, "h_t")

    return check("Exercise 6.2", gru_step_reset_before, test,
                 "split kernel, recurrent_kernel and bias into z, r, h blocks of H columns; "
                 "z and r are sigmoids of x_t W + h_prev U + b; the candidate is "
                 "tanh(x_t W_h + (r * h_prev) @ U_h + b_h); h_t = z * h_prev + (1 - z) * candidate.")


def check_gru_latch(gru_latch):
    """Exercise 6.3: gru_latch() -> (kernel, recurrent_kernel, bias) of a 1-unit GRU
    (reset_after=True) whose final state is tanh(value at the last marker) on adding-problem
    sequences."""
    def test(fn):
        weights = fn()
        assert isinstance(weights, (tuple, list)) and len(weights) == 3, (
            "return the three arrays (kernel, recurrent_kernel, bias), as layer.get_weights() does.")
        kernel, recurrent_kernel, bias = (np.asarray(w, dtype=float) for w in weights)
        for name, arr, shape in [("kernel", kernel, (2, 3)), ("bias", bias, (2, 3)),
                                 ("recurrent_kernel", recurrent_kernel, (1, 3))]:
            assert arr.shape == shape, f"{name} has shape {arr.shape}, expected {shape} (D=2, H=1)."
        for length in (10, 30):
            x, _ = adding_problem(200, length, seed=63 + length)
            last = x.shape[1] - 1 - np.argmax(x[:, ::-1, 1], axis=1)  # position of the last marker
            want = np.tanh(x[np.arange(len(x)), last, 0])
            got = gru_forward(x.astype(float), None, kernel, recurrent_kernel, bias)[:, -1, 0]
            worst = int(np.argmax(np.abs(got - want)))
            assert np.abs(got - want).max() < 0.05, (
                f"on sequences of length {length}, the final state is off by up to "
                f"{np.abs(got - want).max():.3f} (e.g. {got[worst]:.3f} instead of "
                f"{want[worst]:.3f}); it must be within 0.05 of tanh(last marked value).")

    return check("Exercise 6.3", gru_latch, test,
                 "the update gate should be close to 1 (keep) when the marker is 0 and close "
                 "to 0 (write) when it is 1: a large positive z bias and a larger negative z "
                 "weight on the marker (sigmoid(6) = 0.9975 keeps 99.75 % per step). The "
                 "candidate only needs the value: tanh(1.0 * value).")
