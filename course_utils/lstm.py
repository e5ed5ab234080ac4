"""The LSTM from scratch, with the weight layout of keras.layers.LSTM.

    z   = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias      (N, 4H), split in gate order i, f, c, o
    i   = sigmoid(z_i)        input gate:      how much of the candidate to write
    f   = sigmoid(z_f)        forget gate:     how much of the old cell state to keep
    c~  = tanh(z_c)           candidate:       the values that could be written
    o   = sigmoid(z_o)        output gate:     how much of the cell to show as h
    c_t = f * c_{t-1} + i * c~
    h_t = o * tanh(c_t)

kernel: (D, 4H), recurrent_kernel: (H, 4H), bias: (4H,) -- exactly `layer.get_weights()`
(Keras' defaults activation="tanh", recurrent_activation="sigmoid").
Inputs are batch-major: x has shape (N, T, D), states have shape (N, H).
"""
import numpy as np

from course_utils.shapes import expect

GATES = ("i", "f", "c", "o")  # the order of the four H-wide blocks in kernel, recurrent_kernel, bias


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _weights(kernel, recurrent_kernel, bias, dims):
    recurrent_kernel = expect("recurrent_kernel", recurrent_kernel, ("H", "4H"), dims)
    if dims["4H"] != 4 * dims["H"]:
        raise ValueError(f"recurrent_kernel: expected shape (H, 4H) with 4H = 4 * H, got "
                         f"{recurrent_kernel.shape}; Keras LSTM stacks the gates i, f, c, o "
                         f"side by side")
    kernel = expect("kernel", kernel, ("D", "4H"), dims)
    bias = expect("bias", bias, ("4H",), dims)
    return kernel, recurrent_kernel, bias


def _gates(z, units):
    """Split the pre-activations z (N, 4H) into the activated gates i, f, c_tilde, o (each (N, H))."""
    H = units
    return (_sigmoid(z[:, :H]), _sigmoid(z[:, H:2 * H]),
            np.tanh(z[:, 2 * H:3 * H]), _sigmoid(z[:, 3 * H:]))


def _initial(state, name, n, dims, dtype):
    if state is None:
        return np.zeros((n, dims["H"]), dtype=dtype)
    return expect(name, state, ("N", "H"), dims)


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One time step: x_t (N, D), h_prev (N, H), c_prev (N, H) -> (h_t, c_t), each (N, H)."""
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, dims)
    x_t = expect("x_t", x_t, ("N", "D"), dims)
    h_prev = expect("h_prev", h_prev, ("N", "H"), dims)
    c_prev = expect("c_prev", c_prev, ("N", "H"), dims)
    i, f, c_tilde, o = _gates(x_t @ kernel + h_prev @ recurrent_kernel + bias, dims["H"])
    c_t = f * c_prev + i * c_tilde
    return o * np.tanh(c_t), c_t


def lstm_forward(x, h0, c0, kernel, recurrent_kernel, bias):
    """Run the LSTM over a whole sequence: x (N, T, D) -> (hs, cs), each (N, T, H).

    hs[:, t] and cs[:, t] are the hidden and cell states after reading x[:, t].
    h0 / c0 of shape (N, H), or None for zeros (as Keras does without initial_state).
    """
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, dims)
    x = expect("x", x, ("N", "T", "D"), dims)
    dtype = np.result_type(x, kernel)
    h = _initial(h0, "h0", x.shape[0], dims, dtype)
    c = _initial(c0, "c0", x.shape[0], dims, dtype)
    hs, cs = [], []
    for t in range(x.shape[1]):
        i, f, c_tilde, o = _gates(x[:, t] @ kernel + h @ recurrent_kernel + bias, dims["H"])
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    if not hs:
        empty = np.zeros((x.shape[0], 0, dims["H"]), dtype=dtype)
        return empty, empty.copy()
    return np.stack(hs, axis=1), np.stack(cs, axis=1)


def lstm_backward(dhs, x, h0, c0, hs, cs, kernel, recurrent_kernel, bias):
    """Backpropagation through time for lstm_forward.

    dhs: (N, T, H), the gradient of the loss with respect to every hidden state hs[:, t]
         (for a loss on the last state only, all zeros except dhs[:, -1]).
    hs, cs: the outputs of lstm_forward; the gates are recomputed from them.
    h0, c0: the initial states given to lstm_forward (None for zeros).
    Returns a dict of gradients with the shapes of the inputs:
    {"x", "h0", "c0", "kernel", "recurrent_kernel", "bias"}.
    """
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, dims)
    x = expect("x", x, ("N", "T", "D"), dims)
    dtype = np.result_type(x, kernel)
    h0 = _initial(h0, "h0", x.shape[0], dims, dtype)
    c0 = _initial(c0, "c0", x.shape[0], dims, dtype)
    hs = expect("hs", hs, ("N", "T", "H"), dims)
    cs = expect("cs", cs, ("N", "T", "H"), dims)
    dhs = expect("dhs", dhs, ("N", "T", "H"), dims)
    H = dims["H"]

    grads = {
        "x": np.zeros_like(x), "kernel": np.zeros_like(kernel),
        "recurrent_kernel": np.zeros_like(recurrent_kernel), "bias": np.zeros_like(bias),
    }
    dh_next = np.zeros_like(h0)  # gradient flowing back from step t+1 into h_t
    dc_next = np.zeros_like(c0)  # ... and into c_t, along the cell state
    for t in reversed(range(x.shape[1])):
        h_prev = hs[:, t - 1] if t > 0 else h0
        c_prev = cs[:, t - 1] if t > 0 else c0
        i, f, c_tilde, o = _gates(x[:, t] @ kernel + h_prev @ recurrent_kernel + bias, H)
        tanh_c = np.tanh(cs[:, t])
        dh = dhs[:, t] + dh_next
        dc = dc_next + dh * o * (1.0 - tanh_c ** 2)         # through h_t = o * tanh(c_t)
        dz = np.concatenate([dc * c_tilde * i * (1.0 - i),         # input gate (sigmoid')
                             dc * c_prev * f * (1.0 - f),    # forget gate
                             dc * i * (1.0 - c_tilde ** 2),        # candidate (tanh')
                             dh * tanh_c * o * (1.0 - o)],   # output gate
                            axis=1)
        grads["x"][:, t] = dz @ kernel.T
        grads["kernel"] += x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev.T @ dz
        grads["bias"] += dz.sum(axis=0)
        dh_next = dz @ recurrent_kernel.T
        dc_next = dc * f                                     # the conveyor belt: only a product of f
    grads["h0"] = dh_next
    grads["c0"] = dc_next
    return grads


def lstm_param_count(input_dim, units):
    """Trainable parameters of LSTM(units) on input_dim features: 4 * (H*D + H*H + H)."""
    return 4 * (units * input_dim + units * units + units)
