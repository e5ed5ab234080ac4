"""Notebook 06's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb06 as ex
from conftest import not_attempted


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


# --- 6.1 porting Keras GRU weights to PyTorch's layout ------------------------------------

def _reorder(w):                      # Keras z, r, h -> PyTorch r, z, n
    z, r, h = np.split(w, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def keras_gru_to_pytorch(kernel, recurrent_kernel, bias):
    return {"weight_ih": _reorder(kernel).T, "weight_hh": _reorder(recurrent_kernel).T,
            "bias_ih": _reorder(bias[0]), "bias_hh": _reorder(bias[1])}


def port_with_merged_gate_biases(kernel, recurrent_kernel, bias):
    """Also right: r and z only see the sum of the two biases, so it may sit in bias_ih."""
    ported = keras_gru_to_pytorch(kernel, recurrent_kernel, bias)
    h = recurrent_kernel.shape[0]
    ported["bias_ih"] = ported["bias_ih"].copy()
    ported["bias_ih"][:2 * h] += ported["bias_hh"][:2 * h]
    ported["bias_hh"] = np.concatenate([np.zeros(2 * h), ported["bias_hh"][2 * h:]])
    return ported


def _torch_step(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """torch.nn.GRUCell's documented equations, written independently of the checker."""
    w_ir, w_iz, w_in = np.split(weight_ih, 3)
    w_hr, w_hz, w_hn = np.split(weight_hh, 3)
    b_ir, b_iz, b_in = np.split(bias_ih, 3)
    b_hr, b_hz, b_hn = np.split(bias_hh, 3)
    x, h = x.T, h.T                                       # column vectors, as PyTorch writes them
    r = _sigmoid(w_ir @ x + b_ir[:, None] + w_hr @ h + b_hr[:, None])
    z = _sigmoid(w_iz @ x + b_iz[:, None] + w_hz @ h + b_hz[:, None])
    n = np.tanh(w_in @ x + b_in[:, None] + r * (w_hn @ h + b_hn[:, None]))
    return ((1 - z) * n + z * h).T


def test_port_reference_is_pytorchs_gru():
    rng = np.random.default_rng(0)
    kernel, recurrent_kernel, bias = (rng.normal(size=s) for s in [(3, 12), (4, 12), (2, 12)])
    x, h = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))
    np.testing.assert_allclose(_torch_step(x, h, **keras_gru_to_pytorch(kernel, recurrent_kernel, bias)),
                               cu.gru_step(x, h, kernel, recurrent_kernel, bias), atol=1e-12)


@pytest.mark.parametrize("solution", [keras_gru_to_pytorch, port_with_merged_gate_biases])
def test_port_reference_passes(solution, capsys):
    assert ex.check_keras_gru_to_pytorch(solution)
    assert "✓ Exercise 6.1: passed." in capsys.readouterr().out


def _keras_order(kernel, recurrent_kernel, bias):
    return {"weight_ih": kernel.T, "weight_hh": recurrent_kernel.T,
            "bias_ih": bias[0], "bias_hh": bias[1]}


def _not_transposed(kernel, recurrent_kernel, bias):
    ported = keras_gru_to_pytorch(kernel, recurrent_kernel, bias)
    return {**ported, "weight_ih": _reorder(kernel), "weight_hh": _reorder(recurrent_kernel)}


def _biases_swapped(kernel, recurrent_kernel, bias):
    ported = keras_gru_to_pytorch(kernel, recurrent_kernel, bias)
    return {**ported, "bias_ih": ported["bias_hh"], "bias_hh": ported["bias_ih"]}


def _reshaped(kernel, recurrent_kernel, bias):
    ported = keras_gru_to_pytorch(kernel, recurrent_kernel, bias)
    return {**ported, "weight_ih": _reorder(kernel).reshape(ported["weight_ih"].shape)}


def _bias_as_two_rows(kernel, recurrent_kernel, bias):
    return {**keras_gru_to_pytorch(kernel, recurrent_kernel, bias), "bias_ih": _reorder(bias)}


def _missing_key(kernel, recurrent_kernel, bias):
    ported = keras_gru_to_pytorch(kernel, recurrent_kernel, bias)
    del ported["bias_hh"]
    return ported


def _z_r_only_in_weights(kernel, recurrent_kernel, bias):   # biases left in Keras order
    return {**keras_gru_to_pytorch(kernel, recurrent_kernel, bias),
            "bias_ih": bias[0], "bias_hh": bias[1]}


@pytest.mark.parametrize("wrong, message", [
    (_keras_order, "keeps Keras' block order z, r, h"),
    (_not_transposed, "not transposed"),
    (_biases_swapped, "bias_ih and bias_hh are swapped"),
    (_reshaped, "was reshaped"),
    (_bias_as_two_rows, "one row of Keras' (2, 3H) bias each"),
    (_missing_key, "the dict has no bias_hh"),
    (_z_r_only_in_weights, "bias_ih keeps Keras' block order"),
    (lambda kernel, recurrent_kernel, bias: [kernel.T, recurrent_kernel.T, bias[0], bias[1]],
     "return a dict"),
])
def test_port_mistakes_fail_with_their_message(wrong, message, capsys):
    assert not ex.check_keras_gru_to_pytorch(wrong)
    out = capsys.readouterr().out
    assert out.startswith("✗ Exercise 6.1: not yet.") and message in out and "Hint:" in out, out


def test_port_not_attempted(capsys):
    assert not ex.check_keras_gru_to_pytorch(not_attempted)
    assert "○ Exercise 6.1: not attempted yet." in capsys.readouterr().out


# --- 6.2 one step of the backward pass (reset_after=True) ----------------------------------

def gru_step_backward(dh, x_t, h_prev, kernel, recurrent_kernel, bias):
    H = h_prev.shape[1]
    a_x = x_t @ kernel + bias[0]
    a_h = h_prev @ recurrent_kernel + bias[1]
    z = _sigmoid(a_x[:, :H] + a_h[:, :H])
    r = _sigmoid(a_x[:, H:2 * H] + a_h[:, H:2 * H])
    candidate = np.tanh(a_x[:, 2 * H:] + r * a_h[:, 2 * H:])
    dz = dh * (h_prev - candidate) * z * (1 - z)
    d_cand = dh * (1 - z) * (1 - candidate ** 2)
    dr = d_cand * a_h[:, 2 * H:] * r * (1 - r)
    d_ax = np.concatenate([dz, dr, d_cand], axis=1)
    d_ah = np.concatenate([dz, dr, d_cand * r], axis=1)
    return {"x_t": d_ax @ kernel.T, "h_prev": dh * z + d_ah @ recurrent_kernel.T,
            "kernel": x_t.T @ d_ax, "recurrent_kernel": h_prev.T @ d_ah,
            "bias": np.stack([d_ax.sum(axis=0), d_ah.sum(axis=0)])}


def test_backward_reference_passes_a_gradient_check():
    rng = np.random.default_rng(1)
    n, d, h = 3, 2, 4
    x_t, h_prev, dh = rng.normal(size=(n, d)), rng.normal(size=(n, h)), rng.normal(size=(n, h))
    p = {"x_t": x_t, "h_prev": h_prev, "kernel": rng.normal(size=(d, 3 * h)),
         "recurrent_kernel": rng.normal(size=(h, 3 * h)), "bias": rng.normal(size=(2, 3 * h))}

    def loss():
        return float(np.sum(dh * cu.gru_step(**p)))

    errors = cu.check_gradients(loss, p, gru_step_backward(dh, **p))
    assert max(errors.values()) < 1e-7


def test_backward_reference_passes(capsys):
    assert ex.check_gru_step_backward(gru_step_backward)
    assert "✓ Exercise 6.2: passed." in capsys.readouterr().out


def _edited(**changes):
    """The reference with some gradients recomputed by `changes[name](grads, *args)`."""
    def attempt(*args):
        grads = gru_step_backward(*args)
        return {**grads, **{name: change(grads, *args) for name, change in changes.items()}}
    return attempt


def _gates(dh, x_t, h_prev, kernel, recurrent_kernel, bias):
    H = h_prev.shape[1]
    a_x, a_h = x_t @ kernel + bias[0], h_prev @ recurrent_kernel + bias[1]
    z = _sigmoid(a_x[:, :H] + a_h[:, :H])
    r = _sigmoid(a_x[:, H:2 * H] + a_h[:, H:2 * H])
    return z, r, np.tanh(a_x[:, 2 * H:] + r * a_h[:, 2 * H:])


def _sign_flipped(dh, x_t, h_prev, kernel, recurrent_kernel, bias):
    """dh_t/dz taken as candidate - h_prev: every z-block gradient changes sign."""
    grads = gru_step_backward(dh, x_t, h_prev, kernel, recurrent_kernel, bias)
    z, _, candidate = _gates(dh, x_t, h_prev, kernel, recurrent_kernel, bias)
    H = h_prev.shape[1]
    dz = dh * (h_prev - candidate) * z * (1 - z)
    kernel_grad = grads["kernel"].copy()
    kernel_grad[:, :H] -= 2 * x_t.T @ dz
    return {**grads, "kernel": kernel_grad}


def _reset_before(dh, x_t, h_prev, kernel, recurrent_kernel, bias):
    """The recurrent h block as if the candidate were tanh(... + (r * h_prev) @ U_h)."""
    grads = gru_step_backward(dh, x_t, h_prev, kernel, recurrent_kernel, bias)
    z, r, candidate = _gates(dh, x_t, h_prev, kernel, recurrent_kernel, bias)
    H = h_prev.shape[1]
    d_cand = dh * (1 - z) * (1 - candidate ** 2)
    rec = grads["recurrent_kernel"].copy()
    rec[:, 2 * H:] = (r * h_prev).T @ d_cand
    return {**grads, "recurrent_kernel": rec}


def _direct_path_only_term(grads, dh, x_t, h_prev, kernel, recurrent_kernel, bias):
    z, _, _ = _gates(dh, x_t, h_prev, kernel, recurrent_kernel, bias)
    return dh * z


@pytest.mark.parametrize("wrong, message", [
    (_edited(h_prev=lambda g, *a: g["h_prev"] - _direct_path_only_term(g, *a)),
     "misses the direct path"),
    (_edited(h_prev=_direct_path_only_term), "only the direct path dh * z"),
    (_sign_flipped, "wrong sign"),
    (_reset_before, "reset-before (reset_after=False) derivative"),
    (_edited(bias=lambda g, *a: g["bias"].sum(axis=0)), "expected (2, 3H)"),
    (_edited(bias=lambda g, *a: np.stack([g["bias"][0], g["bias"][0]])),
     "both rows of the bias gradient are the same"),
    (_edited(x_t=lambda g, *a: g["x_t"][:, :, None]), "the gradient for x_t has shape"),
    (_edited(kernel=lambda g, *a: 2 * g["kernel"]), "the gradient for kernel differs"),
    (lambda *args: list(gru_step_backward(*args).values()), "return a dict"),
])
def test_backward_mistakes_fail_with_their_message(wrong, message, capsys):
    assert not ex.check_gru_step_backward(wrong)
    out = capsys.readouterr().out
    assert out.startswith("✗ Exercise 6.2: not yet.") and message in out and "Hint:" in out, out


def test_backward_not_attempted(capsys):
    assert not ex.check_gru_step_backward(not_attempted)
    assert "○ Exercise 6.2: not attempted yet." in capsys.readouterr().out


# --- 6.3 a hand-set latch -----------------------------------------------------------------

def gru_latch():
    kernel = np.array([[0.0, 0.0, 1.0],      # value  -> z, r, candidate
                       [-12.0, 0.0, 0.0]])   # marker -> z, r, candidate
    recurrent_kernel = np.zeros((1, 3))
    bias = np.array([[6.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    return kernel, recurrent_kernel, bias


def test_latch_reference_passes(capsys):
    assert ex.check_gru_latch(gru_latch)
    assert "✓ Exercise 6.3: passed." in capsys.readouterr().out


def test_latch_with_the_gate_the_wrong_way_round_fails(capsys):
    kernel, recurrent_kernel, bias = gru_latch()
    assert not ex.check_gru_latch(lambda: (-kernel * [[1, 1, -1], [1, 1, 1]], recurrent_kernel, -bias))
    assert "off by up to" in capsys.readouterr().out


def test_latch_that_adds_instead_of_overwriting_fails(capsys):
    kernel, _, bias = gru_latch()
    adder = np.array([[0.0, 0.0, 1.0]])  # candidate = tanh(value + h): the intuition section's adder
    assert not ex.check_gru_latch(lambda: (kernel, adder, bias))
    assert "off by up to" in capsys.readouterr().out


def test_latch_too_leaky_fails(capsys):
    kernel = np.array([[0.0, 0.0, 1.0], [-4.0, 0.0, 0.0]])
    bias = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    assert not ex.check_gru_latch(lambda: (kernel, np.zeros((1, 3)), bias))
    assert "off by up to" in capsys.readouterr().out


def test_latch_wrong_shapes_fail(capsys):
    assert not ex.check_gru_latch(lambda: (np.zeros((2, 3)), np.zeros((1, 3)), np.zeros(3)))
    assert "bias has shape (3,), expected (2, 3)" in capsys.readouterr().out
