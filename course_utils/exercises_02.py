"""Checkers for the exercises of notebook 02 (input-output mappings).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `course_utils/exercises.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises import assert_close, check
from course_utils.rnn import rnn_forward, rnn_param_count


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
                            f"a tuple of two tensors, so return two shapes (output, state).")
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
                 "section 4.1's table says what each combination of the two flags returns; you only need the shapes.",
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
                 "many-to-one means: read the whole sequence, answer once. Which layer's default output is one vector per sequence, and what turns it into n_classes scores?",
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
            assert_close(got, want, "your output")

    return check("Exercise 2.3", one_to_many_first_step, test,
                 "the network must still run for T steps; what do you feed it at the steps where there is no input?",
                 "build xs = zeros (N, T, D) with xs[:, 0] = v, run cu.rnn_forward(xs, None, *rnn) "
                 "and apply the read-out hs @ W + b to every step.")
