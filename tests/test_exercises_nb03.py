"""Notebook 03's exercise checkers: the reference solutions pass, plausible mistakes fail."""
import numpy as np
import pytest

from course_utils import check_gradients, rnn_backward, rnn_forward
from course_utils.exercises import nb03 as ex
from conftest import not_attempted


# --- reference solutions (the same as the notebook's worked solutions) -------------------

def rnn_step_backward(dh, x_t, h_prev, h_t, kernel, recurrent_kernel):
    da = dh * (1.0 - h_t ** 2)
    return {"x_t": da @ kernel.T, "h_prev": da @ recurrent_kernel.T, "kernel": x_t.T @ da,
            "recurrent_kernel": h_prev.T @ da, "bias": da.sum(axis=0)}


def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {name: g * scale for name, g in grads.items()}


def truncated_bptt(dhs, x, h0, kernel, recurrent_kernel, bias, k):
    hs = rnn_forward(x, h0, kernel, recurrent_kernel, bias)
    total = {name: 0.0 for name in ("kernel", "recurrent_kernel", "bias")}
    for start in range(0, x.shape[1], k):
        h_in = h0 if start == 0 else hs[:, start - 1]
        part = slice(start, start + k)
        grads = rnn_backward(dhs[:, part], x[:, part], h_in, hs[:, part],
                             kernel, recurrent_kernel, bias)
        for name in total:
            total[name] = total[name] + grads[name]
    return total


# --- plausible wrong answers ---------------------------------------------------------------

def step_no_tanh_derivative(dh, x_t, h_prev, h_t, kernel, recurrent_kernel):
    return rnn_step_backward(dh, x_t, h_prev, np.zeros_like(h_t), kernel, recurrent_kernel)


def step_tanh_derivative_of_h(dh, x_t, h_prev, h_t, kernel, recurrent_kernel):
    # 1 - tanh(h_t)**2: applies tanh a second time
    return rnn_step_backward(dh, x_t, h_prev, np.tanh(h_t), kernel, recurrent_kernel)


def step_untransposed_recurrent(dh, x_t, h_prev, h_t, kernel, recurrent_kernel):
    grads = rnn_step_backward(dh, x_t, h_prev, h_t, kernel, recurrent_kernel)
    grads["h_prev"] = (dh * (1.0 - h_t ** 2)) @ recurrent_kernel
    return grads


def step_bias_not_summed(dh, x_t, h_prev, h_t, kernel, recurrent_kernel):
    grads = rnn_step_backward(dh, x_t, h_prev, h_t, kernel, recurrent_kernel)
    grads["bias"] = dh * (1.0 - h_t ** 2)
    return grads


def clip_each_array(grads, max_norm):                    # per-tensor clipping, not global
    return {name: g * min(1.0, max_norm / np.linalg.norm(g)) for name, g in grads.items()}


def clip_by_value(grads, max_norm):                      # elementwise np.clip
    return {name: np.clip(g, -max_norm, max_norm) for name, g in grads.items()}


def clip_in_place(grads, max_norm):                      # right numbers, but mutates the input
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    for g in grads.values():
        g *= min(1.0, max_norm / norm)
    return grads


def clip_always_rescales(grads, max_norm):               # also stretches short gradients
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    return {name: g * max_norm / norm for name, g in grads.items()}


def full_bptt(dhs, x, h0, kernel, recurrent_kernel, bias, k):   # ignores k
    hs = rnn_forward(x, h0, kernel, recurrent_kernel, bias)
    grads = rnn_backward(dhs, x, h0, hs, kernel, recurrent_kernel, bias)
    return {name: grads[name] for name in ("kernel", "recurrent_kernel", "bias")}


def truncated_state_reset(dhs, x, h0, kernel, recurrent_kernel, bias, k):
    # restarts every chunk from zeros: the forward pass forgets, not just the backward pass
    total = {name: 0.0 for name in ("kernel", "recurrent_kernel", "bias")}
    for start in range(0, x.shape[1], k):
        part = slice(start, start + k)
        h_in = h0 if start == 0 else np.zeros_like(h0)
        hs = rnn_forward(x[:, part], h_in, kernel, recurrent_kernel, bias)
        grads = rnn_backward(dhs[:, part], x[:, part], h_in, hs, kernel, recurrent_kernel, bias)
        for name in total:
            total[name] = total[name] + grads[name]
    return total


def truncated_last_chunk_dropped(dhs, x, h0, kernel, recurrent_kernel, bias, k):
    usable = (x.shape[1] // k) * k
    if usable == x.shape[1]:
        return truncated_bptt(dhs, x, h0, kernel, recurrent_kernel, bias, k)
    dhs = dhs.copy()
    dhs[:, usable:] = 0.0
    return truncated_bptt(dhs, x, h0, kernel, recurrent_kernel, bias, k)


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_rnn_step_backward, rnn_step_backward),
    (ex.check_clip_by_global_norm, clip_by_global_norm),
    (ex.check_truncated_bptt, truncated_bptt),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓")


@pytest.mark.parametrize("checker, wrong", [
    (ex.check_rnn_step_backward, step_no_tanh_derivative),
    (ex.check_rnn_step_backward, step_tanh_derivative_of_h),
    (ex.check_rnn_step_backward, step_untransposed_recurrent),
    (ex.check_rnn_step_backward, step_bias_not_summed),
    (ex.check_clip_by_global_norm, clip_each_array),
    (ex.check_clip_by_global_norm, clip_by_value),
    (ex.check_clip_by_global_norm, clip_in_place),
    (ex.check_clip_by_global_norm, clip_always_rescales),
    (ex.check_truncated_bptt, full_bptt),
    (ex.check_truncated_bptt, truncated_state_reset),
    (ex.check_truncated_bptt, truncated_last_chunk_dropped),
])
def test_plausible_wrong_answers_fail(checker, wrong, verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out


@pytest.mark.parametrize("checker", [ex.check_rnn_step_backward, ex.check_clip_by_global_norm,
                                     ex.check_truncated_bptt])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○")


def test_step_reference_is_the_true_gradient():
    """The checker's expected values are themselves right: a numerical check of one step."""
    rng = np.random.default_rng(0)
    dh, x_t, h_prev, _, kernel, recurrent_kernel = ex._step_backward_case(rng)
    bias = rng.normal(size=kernel.shape[1])
    params = {"x_t": x_t, "h_prev": h_prev, "kernel": kernel,
              "recurrent_kernel": recurrent_kernel, "bias": bias}

    def loss():
        return np.sum(dh * np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias))

    h_t = np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)
    errors = check_gradients(loss, params, rnn_step_backward(dh, x_t, h_prev, h_t, kernel,
                                                             recurrent_kernel))
    assert max(errors.values()) < 1e-7, errors


def test_truncation_with_k_at_least_length_is_full_bptt():
    rng = np.random.default_rng(1)
    x, h0 = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 4))
    w = rng.normal(size=(3, 4)), rng.normal(size=(4, 4)) * 0.5, rng.normal(size=4)
    dhs = rng.normal(size=(2, 6, 4))
    full, cut = full_bptt(dhs, x, h0, *w, 6), truncated_bptt(dhs, x, h0, *w, 6)
    for name in full:
        np.testing.assert_allclose(cut[name], full[name], rtol=0, atol=1e-12)


def test_hints_name_the_problem(capsys):
    ex.check_clip_by_global_norm(clip_in_place)
    assert "changed the arrays" in capsys.readouterr().out
    ex.check_truncated_bptt(full_bptt)
    assert "with k=1" in capsys.readouterr().out
