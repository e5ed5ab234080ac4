"""A bidirectional RNN from scratch, equal to keras.layers.Bidirectional(..., return_sequences=True).

One RNN reads the sequence forwards, a second one reads it backwards; at every step t the two
states are merged, so the output at t has seen both the past x[:t+1] and the future x[t:].

    fw = forward(x)                     (N, T, H)   fw[:, t] has read x[:, 0..t]
    bw = backward(x[:, ::-1])[:, ::-1]  (N, T, H)   bw[:, t] has read x[:, T-1..t]
"""
import numpy as np

from course_utils.shapes import expect

MERGE_MODES = {
    "concat": lambda fw, bw: np.concatenate([fw, bw], axis=-1),
    "sum": lambda fw, bw: fw + bw,
    "mul": lambda fw, bw: fw * bw,
    "ave": lambda fw, bw: (fw + bw) / 2,
    None: None,
}


def _run(name, rnn, x):
    """Call one direction's RNN and check it returned states of shape (N, T, H)."""
    if not callable(rnn):
        raise ValueError(f"{name}: expected a callable x (N, T, D) -> hs (N, T, H), "
                         f"got {type(rnn).__name__}")
    hs = np.asarray(rnn(x))
    if hs.ndim != 3 or hs.shape[:2] != x.shape[:2]:
        raise ValueError(f"{name}: expected it to return hs of shape (N, T, H) = "
                         f"({x.shape[0]}, {x.shape[1]}, H), got {hs.shape}")
    return hs


def bidirectional_forward(x, forward, backward, merge_mode="concat"):
    """Run `forward` over x and `backward` over x reversed in time, then merge the two.

    x: (N, T, D). forward, backward: callables x (N, T, D) -> hs (N, T, H), for example
    `lambda x: rnn_forward(x, None, *weights)`. The backward states are re-reversed, so that
    both outputs at index t belong to the input step t (as Keras does).
    merge_mode: "concat" -> (N, T, H_fw + H_bw), "sum" / "mul" / "ave" -> (N, T, H);
    None -> the pair (forward_hs, backward_hs).

    There is no mask: with padding at the end, the backward direction reads the padded steps
    first, so its states at the real steps depend on the padding. Keras avoids that with a
    mask (Masking or Embedding(mask_zero=True)); here, give sequences of one length.
    """
    if merge_mode not in MERGE_MODES:
        raise ValueError(f"merge_mode: expected one of {list(MERGE_MODES)}, got {merge_mode!r}")
    x = expect("x", x, ("N", "T", "D"), {})
    fw = _run("forward", forward, x)
    bw = _run("backward", backward, x[:, ::-1])[:, ::-1]
    if merge_mode is None:
        return fw, bw
    if merge_mode != "concat" and fw.shape != bw.shape:
        raise ValueError(f"merge_mode={merge_mode!r} adds or multiplies the two directions, so "
                         f"they need the same shape: forward gave {fw.shape}, backward {bw.shape}")
    return MERGE_MODES[merge_mode](fw, bw)
