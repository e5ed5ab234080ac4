"""The simple (Elman) RNN from scratch, with the weight layout of keras.layers.SimpleRNN.

    h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)

kernel: (D, H), recurrent_kernel: (H, H), bias: (H,) -- exactly `layer.get_weights()`.
Inputs are batch-major: x has shape (N, T, D), states have shape (N, H).
"""
import numpy as np

from course_utils.shapes import expect


def _weights(kernel, recurrent_kernel, bias, dims):
    kernel = expect("kernel", kernel, ("D", "H"), dims)
    recurrent_kernel = expect("recurrent_kernel", recurrent_kernel, ("H", "H"), dims)
    bias = expect("bias", bias, ("H",), dims)
    return kernel, recurrent_kernel, bias


def rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One time step: x_t (N, D), h_prev (N, H) -> h_t (N, H)."""
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, dims)
    x_t = expect("x_t", x_t, ("N", "D"), dims)
    h_prev = expect("h_prev", h_prev, ("N", "H"), dims)
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def rnn_forward(x, h0, kernel, recurrent_kernel, bias):
    """Run the RNN over a whole sequence: x (N, T, D), h0 (N, H) or None -> hs (N, T, H).

    hs[:, t] is the hidden state after reading x[:, t]; hs[:, -1] is the final state.
    h0=None starts from zeros, as Keras does when no initial_state is given.
    """
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, dims)
    x = expect("x", x, ("N", "T", "D"), dims)
    if h0 is None:
        h0 = np.zeros((x.shape[0], dims["H"]), dtype=np.result_type(x, kernel))
    h = expect("h0", h0, ("N", "H"), dims)
    hs = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
        hs.append(h)
    return np.stack(hs, axis=1) if hs else np.zeros((x.shape[0], 0, dims["H"]), dtype=h.dtype)


def rnn_backward(dhs, x, h0, hs, kernel, recurrent_kernel, bias):
    """Backpropagation through time for rnn_forward.

    dhs: (N, T, H), the gradient of the loss with respect to every hidden state hs[:, t]
         (for a loss on the last state only, all zeros except dhs[:, -1]).
    Returns a dict of gradients with the shapes of the inputs:
    {"x", "h0", "kernel", "recurrent_kernel", "bias"}.
    """
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, dims)
    x = expect("x", x, ("N", "T", "D"), dims)
    h0 = expect("h0", h0, ("N", "H"), dims)
    hs = expect("hs", hs, ("N", "T", "H"), dims)
    dhs = expect("dhs", dhs, ("N", "T", "H"), dims)

    grads = {
        "x": np.zeros_like(x), "kernel": np.zeros_like(kernel),
        "recurrent_kernel": np.zeros_like(recurrent_kernel), "bias": np.zeros_like(bias),
    }
    dh_next = np.zeros_like(h0)  # gradient flowing back from step t+1 into h_t
    for t in reversed(range(x.shape[1])):
        h_prev = hs[:, t - 1] if t > 0 else h0
        dh = dhs[:, t] + dh_next
        da = dh * (1.0 - hs[:, t] ** 2)  # through tanh
        grads["x"][:, t] = da @ kernel.T
        grads["kernel"] += x[:, t].T @ da
        grads["recurrent_kernel"] += h_prev.T @ da
        grads["bias"] += da.sum(axis=0)
        dh_next = da @ recurrent_kernel.T
    grads["h0"] = dh_next
    return grads


def rnn_param_count(input_dim, units):
    """Trainable parameters of SimpleRNN(units) on input_dim features: H*D + H*H + H."""
    return units * input_dim + units * units + units
