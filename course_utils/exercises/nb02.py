"""Checkers for the exercises of notebook 02 (input-output mappings).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import assert_close, check
from course_utils.rnn import rnn_forward


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


def _recurrent_layers(layer):
    """The recurrent layers (and cells) inside a model, nested models and wrappers included."""
    import keras

    kinds = (keras.layers.RNN, keras.layers.Bidirectional, keras.layers.SimpleRNNCell,
             keras.layers.LSTMCell, keras.layers.GRUCell)
    found = [layer] if isinstance(layer, kinds) else []
    if isinstance(layer, keras.layers.Bidirectional):
        return found
    for inner in list(getattr(layer, "layers", None) or []) + [getattr(layer, "layer", None)]:
        if inner is not None and inner is not layer:
            found += _recurrent_layers(inner)
    return found


def check_build_seq2seq(build_seq2seq):
    """Exercise 2.2: build_seq2seq(input_dim, output_steps, output_dim, units) -> an uncompiled
    encoder-decoder keras.Model, (N, T, input_dim) for any T -> (N, output_steps, output_dim)."""
    def test(fn):
        import keras  # only this checker needs Keras

        rng = np.random.default_rng(22)
        for d, m, k, units in ((3, 4, 2, 6), (1, 2, 5, 3)):
            call = f"build_seq2seq(input_dim={d}, output_steps={m}, output_dim={k}, units={units})"
            model = fn(d, m, k, units=units)
            if isinstance(model, type):
                raise AssertionError(f"{call} returned the class {model.__name__}, not a model: "
                                     f"build the layers and return keras.Model(inputs, outputs).")
            assert isinstance(model, keras.Model), (
                f"{call} returned a {type(model).__name__}, expected a Keras model: "
                f"keras.Model(inputs, outputs) or keras.Sequential([...]).")
            outputs = {}
            for t in (11, 3):
                x = rng.normal(size=(5, t, d)).astype(np.float32)
                try:
                    y = model(x)
                except Exception as err:
                    raise AssertionError(
                        f"{call} fails on an input of shape (5, {t}, {d}) "
                        f"({type(err).__name__}: {str(err).splitlines()[0][:160]}). The input "
                        f"length T is not an argument: declare it unknown, "
                        f"keras.Input((None, input_dim)).") from None
                if isinstance(y, (list, tuple)):
                    raise AssertionError(
                        f"{call} returns {len(y)} outputs (a tuple: did a return_state layer "
                        f"end the model?); return only the decoder's read-out.")
                y = keras.ops.convert_to_numpy(y)
                want = (5, m, k)
                assert y.shape != (5, t, k) or t == m, (
                    f"on input (5, {t}, {d}) the output has shape {y.shape}, one step per input "
                    f"step: that is an aligned N:N model. The decoder must run output_steps = "
                    f"{m} steps, e.g. on RepeatVector({m}) copies of the encoder's context.")
                assert y.shape != (5, k), (
                    f"on input (5, {t}, {d}) the output has shape {y.shape}, without a time "
                    f"axis: that is a many-to-one model; the decoder needs "
                    f"return_sequences=True and {m} steps.")
                assert not (y.ndim == 3 and y.shape[0] == 5 and y.shape[2] == k
                            and y.shape[1] != m), (
                    f"on input (5, {t}, {d}) the output has {y.shape[1]} steps, expected "
                    f"output_steps = {m}: the decoder's length comes from output_steps.")
                assert y.shape == want, (
                    f"on input (5, {t}, {d}) the output has shape {y.shape}, expected {want}.")
                outputs[t] = x, y
            x, y = outputs[11]
            x_changed = x.copy()
            x_changed[:, 0] += 1.0
            changed = keras.ops.convert_to_numpy(model(x_changed))
            assert np.abs(changed - y).max() > 1e-6, (
                "changing the FIRST of 11 input steps does not change the output: the encoder "
                "must read the whole sequence (a recurrent layer over all of x), not a window "
                "of the last steps.")
            assert not np.allclose(y, y[:, :1], atol=1e-6), (
                f"all {m} output steps are identical: a Dense (or TimeDistributed Dense) on "
                f"RepeatVector copies gives the same answer at every step. The decoder needs "
                f"its own recurrent layer, with return_sequences=True, between the copies and "
                f"the read-out.")
            n_recurrent = len(_recurrent_layers(model))
            assert n_recurrent >= 2, (
                f"{call} has {n_recurrent} recurrent layer(s); an encoder-decoder has two: an "
                f"encoder that reads x into a context vector, and a decoder that runs "
                f"{m} steps from it.")

    return check("Exercise 2.2", build_seq2seq, test,
                 "section 4.4's seq_to_seq_model is the pattern. What in it fixes the input length, and which argument sets the number of output steps?",
                 "x = keras.Input((None, input_dim)) leaves T free; an encoder "
                 "SimpleRNN(units, return_state=True) gives the context; RepeatVector(output_steps) "
                 "copies it; a decoder SimpleRNN(units, return_sequences=True) called with "
                 "initial_state=context; a TimeDistributed(Dense(output_dim)) read-out; "
                 "return keras.Model(x, y).")


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
