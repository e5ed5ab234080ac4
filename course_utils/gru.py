"""The gated recurrent unit (GRU) from scratch, with the weight layout of keras.layers.GRU.

Gates in the order z (update), r (reset), h (candidate), each a block of H columns:

    z   = sigmoid(x_t @ Wz + h_{t-1} @ Uz + bz)
    r   = sigmoid(x_t @ Wr + h_{t-1} @ Ur + br)
    hh  = tanh(x_t @ Wh + r * (h_{t-1} @ Uh + bUh))       reset_after=True  (Keras default)
    hh  = tanh(x_t @ Wh + (r * h_{t-1}) @ Uh + bh)         reset_after=False (Cho et al. 2014)
    h_t = z * h_{t-1} + (1 - z) * hh                       (Keras: z = 1 keeps the old state)

kernel: (D, 3H) = [Wz | Wr | Wh], recurrent_kernel: (H, 3H) = [Uz | Ur | Uh], and
bias: (2, 3H) with reset_after=True (row 0 the input bias, row 1 the recurrent bias) or
(3H,) with reset_after=False -- exactly `layer.get_weights()`.
Inputs are batch-major: x has shape (N, T, D), states have shape (N, H).
"""
import numpy as np

from course_utils.shapes import expect


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))  # = 1 / (1 + exp(-a)), without overflow warnings


def _weights(kernel, recurrent_kernel, bias, reset_after, dims):
    if not isinstance(reset_after, (bool, np.bool_)):
        raise ValueError(f"reset_after: expected True or False, got {reset_after!r}")
    recurrent_kernel = expect("recurrent_kernel", recurrent_kernel, ("H", "3H"), dims)
    if dims["3H"] != 3 * dims["H"]:
        raise ValueError(f"recurrent_kernel: expected shape (H, 3H) (the z, r and h blocks side "
                         f"by side), got {recurrent_kernel.shape}")
    kernel = expect("kernel", kernel, ("D", "3H"), dims)
    shape = (2, "3H") if reset_after else ("3H",)
    try:
        bias = expect("bias", bias, shape, dims)
    except ValueError as err:
        raise ValueError(f"{err}. reset_after=True expects a bias of shape (2, 3H) (input bias "
                         f"in row 0, recurrent bias in row 1); reset_after=False expects (3H,); "
                         f"here reset_after={bool(reset_after)}") from None
    return kernel, recurrent_kernel, bias


def _step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after):
    """One step on checked arrays; returns h_t and the gates (z, r, hh) for the backward pass."""
    H = h_prev.shape[1]
    if reset_after:
        ax = x_t @ kernel + bias[0]
        ah = h_prev @ recurrent_kernel + bias[1]
        z = _sigmoid(ax[:, :H] + ah[:, :H])
        r = _sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
        hh = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    else:
        ax = x_t @ kernel + bias
        ah = h_prev @ recurrent_kernel[:, :2 * H]
        z = _sigmoid(ax[:, :H] + ah[:, :H])
        r = _sigmoid(ax[:, H:2 * H] + ah[:, H:])
        hh = np.tanh(ax[:, 2 * H:] + (r * h_prev) @ recurrent_kernel[:, 2 * H:])
    return z * h_prev + (1.0 - z) * hh, (z, r, hh)


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=True):
    """One time step: x_t (N, D), h_prev (N, H) -> h_t (N, H)."""
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, reset_after, dims)
    x_t = expect("x_t", x_t, ("N", "D"), dims)
    h_prev = expect("h_prev", h_prev, ("N", "H"), dims)
    return _step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after)[0]


def gru_forward(x, h0, kernel, recurrent_kernel, bias, reset_after=True):
    """Run the GRU over a whole sequence: x (N, T, D), h0 (N, H) or None -> hs (N, T, H).

    hs[:, t] is the hidden state after reading x[:, t]; hs[:, -1] is the final state.
    h0=None starts from zeros, as Keras does when no initial_state is given.
    """
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, reset_after, dims)
    x = expect("x", x, ("N", "T", "D"), dims)
    if h0 is None:
        h0 = np.zeros((x.shape[0], dims["H"]), dtype=np.result_type(x, kernel))
    h = expect("h0", h0, ("N", "H"), dims)
    hs = []
    for t in range(x.shape[1]):
        h = _step(x[:, t], h, kernel, recurrent_kernel, bias, reset_after)[0]
        hs.append(h)
    return np.stack(hs, axis=1) if hs else np.zeros((x.shape[0], 0, dims["H"]), dtype=h.dtype)


def gru_backward(dhs, x, h0, hs, kernel, recurrent_kernel, bias, reset_after=True):
    """Backpropagation through time for gru_forward (the gates are recomputed from hs).

    dhs: (N, T, H), the gradient of the loss with respect to every hidden state hs[:, t].
    Returns a dict of gradients with the shapes of the inputs:
    {"x", "h0", "kernel", "recurrent_kernel", "bias"}.
    """
    dims = {}
    kernel, recurrent_kernel, bias = _weights(kernel, recurrent_kernel, bias, reset_after, dims)
    x = expect("x", x, ("N", "T", "D"), dims)
    h0 = expect("h0", h0, ("N", "H"), dims)
    hs = expect("hs", hs, ("N", "T", "H"), dims)
    dhs = expect("dhs", dhs, ("N", "T", "H"), dims)
    H = dims["H"]
    grads = {
        "x": np.zeros_like(x), "kernel": np.zeros_like(kernel),
        "recurrent_kernel": np.zeros_like(recurrent_kernel), "bias": np.zeros_like(bias),
    }
    dh_next = np.zeros_like(h0)  # gradient flowing back from step t+1 into h_t
    for t in reversed(range(x.shape[1])):
        h_prev = hs[:, t - 1] if t > 0 else h0
        _, (z, r, hh) = _step(x[:, t], h_prev, kernel, recurrent_kernel, bias, reset_after)
        dh = dhs[:, t] + dh_next
        dh_prev = dh * z                             # h_t = z * h_prev + ...
        dz = dh * (h_prev - hh) * z * (1.0 - z)      # through z, then its sigmoid
        dah = dh * (1.0 - z) * (1.0 - hh ** 2)       # through (1 - z) * hh, then tanh
        if reset_after:
            uh = h_prev @ recurrent_kernel[:, 2 * H:] + bias[1, 2 * H:]
            dr = dah * uh * r * (1.0 - r)
            d_inner = np.concatenate([dz, dr, dah * r], axis=1)  # d(h_prev @ U + b_rec)
            grads["recurrent_kernel"] += h_prev.T @ d_inner
            grads["bias"][1] += d_inner.sum(axis=0)
            dh_prev += d_inner @ recurrent_kernel.T
        else:
            d_rh = dah @ recurrent_kernel[:, 2 * H:].T           # d(r * h_prev)
            dr = d_rh * h_prev * r * (1.0 - r)
            d_zr = np.concatenate([dz, dr], axis=1)
            grads["recurrent_kernel"][:, :2 * H] += h_prev.T @ d_zr
            grads["recurrent_kernel"][:, 2 * H:] += (r * h_prev).T @ dah
            dh_prev += d_zr @ recurrent_kernel[:, :2 * H].T + d_rh * r
        d_ax = np.concatenate([dz, dr, dah], axis=1)             # d(x_t @ W + b_in)
        grads["x"][:, t] = d_ax @ kernel.T
        grads["kernel"] += x[:, t].T @ d_ax
        if reset_after:
            grads["bias"][0] += d_ax.sum(axis=0)
        else:
            grads["bias"] += d_ax.sum(axis=0)
        dh_next = dh_prev
    grads["h0"] = dh_next
    return grads


def gru_param_count(input_dim, units, reset_after=True):
    """Trainable parameters of GRU(units) on input_dim features.

    reset_after=True:  3H*D + 3H*H + 2*3H  (two biases: one for the input, one recurrent)
    reset_after=False: 3H*D + 3H*H + 3H
    """
    n_biases = 2 if reset_after else 1
    return 3 * units * (input_dim + units + n_biases)
