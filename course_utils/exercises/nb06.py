"""Checkers for the exercises of notebook 06 (GRU).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.
"""
import numpy as np

from course_utils.exercises.checking import assert_close, check
from course_utils.gru import gru_backward, gru_forward, gru_step
from course_utils.synthetic import adding_problem


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def _keras_to_torch_order(w):
    """Keras' blocks z, r, h along the last axis -> PyTorch's r, z, n."""
    z, r, h = np.split(np.asarray(w), 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def _torch_gru_step(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of torch.nn.GRU from its documented equations, on row vectors x (N, D), h (N, H).

    PyTorch writes W x for a column vector x; with rows that is x @ W.T. Blocks: r, z, n.
    """
    H = h.shape[1]
    gi = x @ weight_ih.T + bias_ih          # W_i* x + b_i*
    gh = h @ weight_hh.T + bias_hh          # W_h* h + b_h*
    r = _sigmoid(gi[:, :H] + gh[:, :H])
    z = _sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
    return (1 - z) * n + z * h


def check_keras_gru_to_pytorch(keras_gru_to_pytorch):
    """Exercise 6.1: keras_gru_to_pytorch(kernel, recurrent_kernel, bias) -> dict of
    torch.nn.GRU parameters weight_ih (3H, D), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,)."""
    def test(fn):
        rng = np.random.default_rng(61)
        for n, d, h in ((5, 3, 4), (2, 7, 2)):
            kernel, recurrent_kernel = rng.normal(size=(d, 3 * h)), rng.normal(size=(h, 3 * h))
            bias = rng.normal(size=(2, 3 * h))
            x, h_prev = rng.normal(size=(n, d)), rng.normal(size=(n, h))
            got = fn(kernel.copy(), recurrent_kernel.copy(), bias.copy())
            names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            assert isinstance(got, dict), (
                f"return a dict with the keys {', '.join(names)}, not a {type(got).__name__}.")
            missing = [name for name in names if name not in got]
            assert not missing, f"the dict has no {', '.join(missing)} (keys: {sorted(got)})."
            got = {name: np.asarray(got[name], dtype=float) for name in names}
            shapes = {"weight_ih": (3 * h, d), "weight_hh": (3 * h, h),
                      "bias_ih": (3 * h,), "bias_hh": (3 * h,)}
            for name, shape in shapes.items():
                if got[name].shape == shape[::-1] and len(shape) == 2:
                    raise AssertionError(
                        f"{name} has shape {got[name].shape}, expected {shape} (D={d}, H={h}): "
                        f"not transposed. PyTorch stores (out_features, in_features) and "
                        f"computes W x; Keras stores (in, out) and computes x @ W.")
                if name.startswith("bias") and got[name].shape in ((2, 3 * h), (1, 3 * h)):
                    raise AssertionError(
                        f"{name} has shape {got[name].shape}, expected {shape}: one row of "
                        f"Keras' (2, 3H) bias each, bias_ih from row 0 (input bias), bias_hh "
                        f"from row 1 (recurrent bias).")
                assert got[name].shape == shape, (
                    f"{name} has shape {got[name].shape}, expected {shape} (D={d}, H={h}).")
            want = gru_step(x, h_prev, kernel, recurrent_kernel, bias, reset_after=True)
            ported = _torch_gru_step(x, h_prev, *(got[name] for name in names))
            if np.allclose(ported, want, atol=1e-10):
                continue
            for name, keras_w in (("weight_ih", kernel), ("weight_hh", recurrent_kernel),
                                  ("bias_ih", bias[0]), ("bias_hh", bias[1])):
                if np.allclose(got[name], np.transpose(keras_w)):
                    raise AssertionError(
                        f"{name} keeps Keras' block order z, r, h; PyTorch's is r, z, n, so "
                        f"PyTorch reads your update gate as its reset gate and vice versa.")
                if keras_w.ndim == 2 and (
                        np.allclose(got[name], keras_w.reshape(shapes[name]))
                        or np.allclose(got[name], _keras_to_torch_order(keras_w).reshape(shapes[name]))):
                    raise AssertionError(
                        f"{name} has the right shape but was reshaped, which reorders the "
                        f"numbers; a transpose (.T) is what turns (in, out) into (out, in).")
            if (np.allclose(got["bias_ih"], _keras_to_torch_order(bias[1]))
                    and np.allclose(got["bias_hh"], _keras_to_torch_order(bias[0]))):
                raise AssertionError(
                    "bias_ih and bias_hh are swapped: bias_ih is Keras' input bias (row 0), "
                    "bias_hh the recurrent bias (row 1). They differ where the candidate is "
                    "computed: b_hn sits inside r * (W_hn h + b_hn), b_in outside.")
            assert_close(ported, want,
                         f"PyTorch's step with your weights (D={d}, H={h}) gives h' that")

    return check("Exercise 6.1", keras_gru_to_pytorch, test,
                 "write Keras' GRU equations and PyTorch's side by side: which block of each matrix plays which gate, and does PyTorch multiply x @ W or W x?",
                 "split each Keras array into its z, r, h blocks (np.split(w, 3, axis=-1)), "
                 "concatenate them as r, z, h, and transpose the kernels: weight_ih = "
                 "reordered kernel.T, weight_hh = reordered recurrent_kernel.T, bias_ih = "
                 "reordered bias[0], bias_hh = reordered bias[1].")


def _step_backward(dh, x_t, h_prev, kernel, recurrent_kernel, bias, mistake=None):
    """One GRU (reset_after=True) step's gradients, or a named wrong version of them."""
    H = h_prev.shape[1]
    ax = x_t @ kernel + bias[0]
    ah = h_prev @ recurrent_kernel + bias[1]
    z = _sigmoid(ax[:, :H] + ah[:, :H])
    r = _sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    hh = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    dz = dh * (h_prev - hh) * z * (1 - z)
    if mistake == "plus":               # d[(1 - z) hh]/dz taken as +hh
        dz = dh * (h_prev + hh) * z * (1 - z)
    elif mistake == "flipped":          # dh_t/dz taken as hh - h_prev
        dz = -dz
    dah = dh * (1 - z) * (1 - hh ** 2)
    U_h = recurrent_kernel[:, 2 * H:]
    if mistake == "reset_before":       # candidate tanh(x W_h + (r * h_prev) U_h + ...)
        d_rh = dah @ U_h.T
        dr = d_rh * h_prev * r * (1 - r)
        d_zr = np.concatenate([dz, dr], axis=1)
        d_rec = np.concatenate([h_prev.T @ d_zr, (r * h_prev).T @ dah], axis=1)
        dh_from_gates = d_zr @ recurrent_kernel[:, :2 * H].T + d_rh * r
        d_ah = np.concatenate([dz, dr, dah], axis=1)
    else:
        dr = dah * ah[:, 2 * H:] * r * (1 - r)
        d_ah = np.concatenate([dz, dr, dah * r], axis=1)
        d_rec = h_prev.T @ d_ah
        dh_from_gates = d_ah @ recurrent_kernel.T
    d_ax = np.concatenate([dz, dr, dah], axis=1)
    dh_prev = dh * z + dh_from_gates
    if mistake == "no_direct":
        dh_prev = dh_from_gates
    elif mistake == "direct_only":
        dh_prev = dh * z
    return {"x_t": d_ax @ kernel.T, "h_prev": dh_prev, "kernel": x_t.T @ d_ax,
            "recurrent_kernel": d_rec, "bias": np.stack([d_ax.sum(axis=0), d_ah.sum(axis=0)])}


def check_gru_step_backward(gru_step_backward):
    """Exercise 6.2: gru_step_backward(dh, x_t, h_prev, kernel, recurrent_kernel, bias) -> dict
    of the gradients for x_t, h_prev, kernel, recurrent_kernel, bias (reset_after=True)."""
    def test(fn):
        rng = np.random.default_rng(62)
        for n, d, h in ((4, 3, 5), (2, 2, 3)):
            x_t, h_prev = rng.normal(size=(n, d)), rng.normal(size=(n, h))
            kernel = rng.normal(0, 0.7, (d, 3 * h))
            recurrent_kernel = rng.normal(0, 0.7, (h, 3 * h))
            bias = rng.normal(0, 0.7, (2, 3 * h))
            dh = rng.normal(size=(n, h))
            args = (dh, x_t, h_prev, kernel, recurrent_kernel, bias)
            got = fn(*(a.copy() for a in args))
            hs = gru_forward(x_t[:, None], h_prev, kernel, recurrent_kernel, bias)
            ref = gru_backward(dh[:, None], x_t[:, None], h_prev, hs, kernel, recurrent_kernel,
                               bias)
            want = {"x_t": ref["x"][:, 0], "h_prev": ref["h0"], "kernel": ref["kernel"],
                    "recurrent_kernel": ref["recurrent_kernel"], "bias": ref["bias"]}
            assert isinstance(got, dict), (
                f"return a dict with the keys {', '.join(want)}, not a {type(got).__name__}.")
            missing = [name for name in want if name not in got]
            assert not missing, f"the dict has no {', '.join(missing)} (keys: {sorted(got)})."
            got = {name: np.asarray(got[name], dtype=float) for name in want}
            assert got["bias"].shape != (3 * h,), (
                f"the bias gradient has shape (3H,) = {(3 * h,)}, expected (2, 3H) = "
                f"{(2, 3 * h)}, the shape of bias: row 0 for the input bias, row 1 for the "
                f"recurrent one. They differ in the candidate block, where only the "
                f"recurrent bias is multiplied by r.")
            for name in want:
                assert got[name].shape == want[name].shape, (
                    f"the gradient for {name} has shape {got[name].shape}, expected "
                    f"{want[name].shape}: a gradient has the shape of what it is taken for.")
            if all(np.allclose(got[name], want[name], atol=1e-8) for name in want):
                continue

            def matches(mistake, name, block=None):
                """Does the attempt's `name` (or its z/r/h block) equal that mistake's?"""
                cols = {None: slice(None), "z": slice(0, h), "r": slice(h, 2 * h),
                        "h": slice(2 * h, None)}[block]
                wrong = _step_backward(*args, mistake=mistake)[name][..., cols]
                return (not np.allclose(wrong, want[name][..., cols], atol=1e-8)
                        and np.allclose(got[name][..., cols], wrong, atol=1e-8))

            assert not matches("no_direct", "h_prev"), (
                "the h_prev gradient only goes through the gates: it misses the direct path. "
                "h_t = z * h_prev + ..., so dh_prev starts with dh * z, then adds the paths "
                "through z, r and the candidate.")
            assert not matches("direct_only", "h_prev"), (
                "the h_prev gradient is only the direct path dh * z: h_prev also enters z, r "
                "and the candidate through h_prev @ recurrent_kernel, so add "
                "d(pre-activations) @ recurrent_kernel.T.")
            assert not (matches("plus", "kernel", "z") or matches("flipped", "kernel", "z")), (
                "the gradient through the update gate has the wrong sign: dh_t/dz = h_prev - "
                "candidate, since the (1 - z) * candidate term contributes -candidate.")
            assert not (matches("reset_before", "recurrent_kernel", "h")
                        or matches("reset_before", "kernel", "r")), (
                "that is the reset-before (reset_after=False) derivative, with r applied to "
                "h_prev before the product. Here the candidate is tanh(... + r * (h_prev @ U_h "
                "+ b_rec_h)): dr = dcand * (h_prev @ U_h + b_rec_h) and the recurrent block "
                "gets h_prev.T @ (dcand * r).")
            assert not (np.allclose(got["bias"][0], want["bias"][0], atol=1e-8)
                        and np.allclose(got["bias"][1], got["bias"][0], atol=1e-8)), (
                "both rows of the bias gradient are the same: row 1's candidate block is "
                "multiplied by r (the recurrent bias sits inside r * (h_prev @ U_h + b_rec_h)).")
            for name in want:
                assert_close(got[name], want[name], f"the gradient for {name}", atol=1e-8)

    return check("Exercise 6.2", gru_step_backward, test,
                 "recompute the forward step, keeping the gates and the pre-activations, then go back through it one line at a time, last line first.",
                 "with a_x = x_t @ kernel + bias[0] and a_h = h_prev @ recurrent_kernel + bias[1]: "
                 "dz = dh * (h_prev - cand) * z * (1 - z); dcand = dh * (1 - z) * (1 - cand**2); "
                 "dr = dcand * a_h[h block] * r * (1 - r). The input side gets [dz, dr, dcand], "
                 "the recurrent side [dz, dr, dcand * r]; dh_prev = dh * z + (recurrent side) @ "
                 "recurrent_kernel.T.")


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
                 "a latch keeps its state until the marker says 'write'. Which gate decides keep or write, and which sign of weight on the marker makes it switch?",
                 "the update gate should be close to 1 (keep) when the marker is 0 and close "
                 "to 0 (write) when it is 1: a large positive z bias and a larger negative z "
                 "weight on the marker (sigmoid(6) = 0.9975 keeps 99.75 % per step). The "
                 "candidate only needs the value: tanh(1.0 * value).")
