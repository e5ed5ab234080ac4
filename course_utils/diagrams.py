"""Diagrams drawn in code: a batch array, sliding windows, an unrolled RNN, the GRU cell, deep
RNNs and an encoder-decoder (the tree of a ListOps expression is in tree_diagrams.py).

Each function returns a matplotlib Figure (it does not show it), so a notebook cell that ends
with the call displays it once. Colours follow the course style: blue for inputs, orange for
targets and highlights, red for gradients, green for gates.
"""
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

BLUE, RED, GREEN, ORANGE, PURPLE = "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"

GRU_FORMULAS = {
    False: r"$\tilde h_t = \tanh(x_t W_h + (r_t \odot h_{t-1})\,U_h + b_h)$",
    True: r"$\tilde h_t = \tanh(x_t W_h + b_h + r_t \odot (h_{t-1} U_h + \hat b_h))$",
}


def _canvas(ax, size, top=0.9):
    """A fresh figure and axis of `size` inches, or the figure that `ax` belongs to."""
    if ax is None:
        fig, ax = plt.subplots(figsize=size)
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=top)
    fig = ax.figure
    ax.axis("off")
    ax.set_aspect("equal")
    return fig, ax


def _box(ax, x, y, text, color, w=1.0, h=0.8, fontsize=10):
    """A filled box centred on (x, y) with `text` inside."""
    ax.add_patch(Rectangle((x - w / 2, y - h / 2), w, h, facecolor=color, edgecolor="black",
                           alpha=0.85, linewidth=1))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _node(ax, x, y, symbol="×", r=0.28):
    """A small white circle with an operator in it."""
    ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor="black", zorder=3))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=11, zorder=4)


def _arrow(ax, start, end, color="black", style="-|>", ls="-", shrink=0, lw=1.3):
    """An arrow (or, with style="-", a plain line) from `start` to `end`."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=11, color=color,
                                 linestyle=ls, linewidth=lw, shrinkA=shrink, shrinkB=shrink))


def _dot(ax, x, y):
    """A junction: lines that meet here are connected."""
    ax.plot([x], [y], "o", color="black", markersize=4, zorder=3)


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name}: expected a positive int, got {value!r}")


def draw_batch_array(n=3, t=5, d=4, ax=None):
    """The (N, T, D) batch as N sheets, each a T x D grid; one step of example 0 highlighted."""
    for name, value in (("n", n), ("t", t), ("d", d)):
        _positive_int(name, value)
    fig, ax = _canvas(ax, (7.0, 3.0))
    step = min(2, t - 1)
    dx, dy = 0.55, 0.45                      # the diagonal offset from one sheet to the next
    for k in reversed(range(n)):             # back sheets first, so the front one covers them
        for i in range(t):
            for j in range(d):
                hit = k == 0 and i == step
                fill = ORANGE if hit else ("#a6c8e4" if k == 0 else "#dbe7f3")
                ax.add_patch(Rectangle((i + k * dx, j + k * dy), 1, 1, facecolor=fill,
                                       edgecolor="black" if k == 0 else "#7f7f7f", lw=1))
    _arrow(ax, (0, -0.35), (t, -0.35), style="<|-|>")
    ax.text(t / 2, -0.55, "T time steps", ha="center", va="top", fontsize=10)
    _arrow(ax, (-0.35, 0), (-0.35, d), style="<|-|>")
    ax.text(-0.55, d / 2, "D features\nper step", ha="right", va="center", fontsize=10)
    top = (t + 0.2, d + 0.1)
    _arrow(ax, top, (top[0] + max(n - 1, 1) * dx, top[1] + max(n - 1, 1) * dy), style="<|-|>")
    ax.text(top[0] + max(n - 1, 1) * dx + 0.2, top[1] + max(n - 1, 1) * dy, "N examples (batch)",
            ha="left", va="center", fontsize=10)
    ax.annotate(f"x[0, {step}, :]\none step of one example:\nD numbers",
                xy=(step + 1, d / 2), xytext=(t + (n - 1) * dx + 0.8, d / 2),
                ha="left", va="center", fontsize=10, color="black",
                arrowprops=dict(arrowstyle="-|>", color=ORANGE, lw=1.5))
    right, height = t + (n - 1) * dx + 0.8, d + (n - 1) * dy + 2.0
    per_inch = max(height / 2.6, (right + 0.4) / 3.4)   # data units per inch of the 7 x 3 axes
    ax.set_xlim(-0.4 - 1.3 * per_inch, right + 2.1 * per_inch)   # room for the side texts
    ax.set_ylim(-1.4, height - 1.4)
    ax.set_title("A batch is an (N, T, D) array")
    return fig


def draw_sliding_windows(series_length=10, window=4, shift=1, n_show=4, ax=None):
    """A series as numbered boxes and `n_show` windows over it: inputs blue, target orange."""
    for name, value in (("series_length", series_length), ("window", window),
                        ("shift", shift), ("n_show", n_show)):
        _positive_int(name, value)
    if window >= series_length:
        raise ValueError(f"window: expected an int smaller than series_length={series_length} "
                         f"(a target must follow the window), got {window!r}")
    last = (n_show - 1) * shift + window     # index of the last window's target
    if last >= series_length:
        most = (series_length - 1 - window) // shift + 1
        raise ValueError(f"n_show: expected at most {most} windows of {window} with shift "
                         f"{shift} in a series of {series_length}, got {n_show!r}")
    fig, ax = _canvas(ax, (8.5, 0.6 + 0.55 * (n_show + 1)))
    row = 1.25                               # vertical distance between rows
    for i in range(series_length):
        _box(ax, i + 0.5, 0, str(i), "#dddddd", w=0.92, h=0.92)
    ax.text(-0.3, 0, "series x", ha="right", va="center", fontsize=10)
    for k in range(n_show):
        y, start = -(k + 1) * row, k * shift
        for i in range(start, start + window):
            _box(ax, i + 0.5, y, str(i), BLUE, w=0.92, h=0.92)
        _box(ax, start + window + 0.5, y, str(start + window), ORANGE, w=0.92, h=0.92)
        ax.text(series_length + 0.4, y,
                f"window {k}: x[{start}:{start + window}] -> y = x[{start + window}]",
                ha="left", va="center", fontsize=10)
    ax.legend(handles=[Rectangle((0, 0), 1, 1, color=BLUE, alpha=0.85, label="inputs"),
                       Rectangle((0, 0), 1, 1, color=ORANGE, alpha=0.85, label="target")],
              loc="upper right", ncol=2, bbox_to_anchor=(1.0, 1.0))
    ax.set_xlim(-2.3, series_length + 7.6)
    ax.set_ylim(-n_show * row - 0.7, 1.5)
    ax.set_title(f"Sliding windows: each window of {window} values predicts the next one")
    return fig


def draw_unrolled_rnn(steps=4, ax=None):
    """The unrolled simple RNN: forward arrows in black, BPTT gradients in dashed red."""
    _positive_int("steps", steps)
    fig, ax = _canvas(ax, (8.5, 3.4))
    gap, yx, yh, yl = 2.6, 0.0, 2.0, 4.0     # column spacing and the rows of x, h and L
    _box(ax, 0, yh, "$h_0$", PURPLE, w=0.9, h=0.7)
    for t in range(1, steps + 1):
        c = t * gap
        _box(ax, c, yx, f"$x_{t}$", BLUE, w=0.9, h=0.7)
        _box(ax, c, yh, f"$h_{t}$", PURPLE, w=0.9, h=0.7)
        _box(ax, c, yl, f"$L_{t}$", ORANGE, w=0.9, h=0.7)
        _arrow(ax, (c, yx + 0.35), (c, yh - 0.35))
        _arrow(ax, (c - 0.1, yh + 0.35), (c - 0.1, yl - 0.35))
        _arrow(ax, (c - gap + 0.45, yh + 0.12), (c - 0.45, yh + 0.12))
        _arrow(ax, (c + 0.1, yl - 0.35), (c + 0.1, yh + 0.35), color=RED, ls="--")
        _arrow(ax, (c - 0.45, yh - 0.15), (c - gap + 0.45, yh - 0.15), color=RED, ls="--")
        ax.text(c - gap / 2, yh - 0.3, rf"$\partial L/\partial h_{t}$", color=RED,
                ha="center", va="top", fontsize=10)
    ax.text(gap / 2, yh + 0.25, "$W_{hh}$", ha="center", va="bottom", fontsize=10)
    ax.text(gap - 0.2, (yh + yl) / 2, "$W_y$", ha="right", va="center", fontsize=10)
    ax.text(gap - 0.1, (yx + yh) / 2, "$W_{xh}$", ha="right", va="center", fontsize=10)
    ax.legend(handles=[Line2D([], [], color="black", label="forward pass"),
                       Line2D([], [], color=RED, ls="--", label="backward pass (BPTT)")],
              loc="lower left")
    ax.set_xlim(-0.8, steps * gap + 0.8)
    ax.set_ylim(-0.6, yl + 0.6)
    ax.set_title("Unrolled RNN: forward (black) and backward through time (red)")
    return fig


def draw_gru_cell(reset_after=True, ax=None):
    """One GRU cell; the reset gate multiplies before U_h (False) or after it (True)."""
    if not isinstance(reset_after, bool):
        raise ValueError(f"reset_after: expected True or False, got {reset_after!r}")
    fig, ax = _canvas(ax, (4.8, 3.5), top=0.86)
    xx, xh = 0.0, 0.6                        # the vertical x_t and h_{t-1} lines
    top, yz, yc, yr, ybot = 6.2, 4.9, 3.5, 2.1, 0.9   # rows: state, z, candidate, r, x_t tap
    xz, xt, xo = 6.0, 7.3, 9.6               # z-multiply, tanh, blend columns
    xu, xm = (2.6, 4.4) if reset_after else (4.4, 2.6)   # U_h box and r-multiply node
    # inputs: h_{t-1} along the top and down the left, x_t up from the bottom
    ax.text(-0.4, top, "$h_{t-1}$", ha="right", va="center", fontsize=11)
    ax.text(xx, 0.2, "$x_t$", ha="center", va="top", fontsize=11)
    _arrow(ax, (-0.3, top), (xz - 0.28, top))
    _arrow(ax, (xh, top), (xh, yr), style="-")
    _arrow(ax, (xx, 0.3), (xx, yz), style="-")
    for x, y in ((xh, top), (xh, yc), (xx, ybot)):
        _dot(ax, x, y)
    # gates: both take x_t and h_{t-1}
    for y, xg, name in ((yz, 2.6, "z (update)"), (yr, xm, "r (reset)")):
        _dot(ax, xx, y)
        _dot(ax, xh, y)
        _arrow(ax, (xx, y), (xg - 0.5, y))
        _box(ax, xg, y, r"$\sigma$", GREEN, w=1.0, h=0.7)
        ax.text(xg, y - 0.42, name, ha="center", va="top", fontsize=9, color=GREEN)
    # candidate: h_{t-1} through U_h and the r multiply (order set by reset_after), plus x_t W_h
    _arrow(ax, (xh, yc), (min(xu, xm) - 0.5, yc))
    _box(ax, xu, yc, "$U_h$", "#dddddd", w=1.0, h=0.7)
    _node(ax, xm, yc)
    _arrow(ax, (min(xu, xm) + 0.5, yc), (max(xu, xm) - 0.5, yc))
    _arrow(ax, (xm, yr + 0.35), (xm, yc - 0.28))
    _arrow(ax, (max(xu, xm) + 0.5, yc), (xt - 0.6, yc))
    _arrow(ax, (xx, ybot), (xt, ybot), style="-")
    _arrow(ax, (xt, ybot), (xt, yc - 0.35))
    ax.text(xt + 0.15, ybot + 0.15, "$x_t W_h + b_h$", ha="left", va="bottom", fontsize=10)
    _box(ax, xt, yc, "tanh", ORANGE, w=1.2, h=0.7, fontsize=9)
    # blend: h_t = z * h_{t-1} + (1 - z) * candidate
    _arrow(ax, (3.1, yz), (xz, yz), style="-")
    _arrow(ax, (xz, yz), (xz, top - 0.28))
    _node(ax, xz, top)
    _arrow(ax, (xz, yz), (xo - 1.5, yz))
    _box(ax, xo - 1.1, yz, "1−", "#dddddd", w=0.8, h=0.6, fontsize=9)
    _arrow(ax, (xo - 0.7, yz), (xo - 0.28, yz))
    _node(ax, xo, yz)
    _arrow(ax, (xt + 0.6, yc), (xo, yc), style="-")
    _arrow(ax, (xo, yc), (xo, yz - 0.28))
    ax.text(xt + 1.1, yc - 0.15, r"$\tilde h_t$", ha="center", va="top", fontsize=10)
    _arrow(ax, (xo, yz + 0.28), (xo, top - 0.28))
    _arrow(ax, (xz + 0.28, top), (xo - 0.28, top))
    _node(ax, xo, top, "+")
    _arrow(ax, (xo + 0.28, top), (xo + 1.0, top))
    ax.text(xo + 1.1, top, "$h_t$", ha="left", va="center", fontsize=11)
    ax.text(4.9, -0.6, GRU_FORMULAS[reset_after], ha="center", va="top", fontsize=10)
    ax.set_xlim(-1.5, 11.3)
    ax.set_ylim(-1.4, 6.7)
    where = "after" if reset_after else "before"
    note = "Keras default, cuDNN-compatible" if reset_after else "original Cho et al. 2014, no cuDNN"
    ax.set_title(f"reset_after={reset_after}: r acts {where} $U_h$\n({note})", fontsize=10)
    return fig


def draw_gru_cells():
    """Both GRU variants side by side: reset before U_h (left) and after it (right)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.5))
    fig.subplots_adjust(left=0.0, right=1.0, bottom=0.08, top=0.81, wspace=0.06)
    draw_gru_cell(False, ax=left)
    draw_gru_cell(True, ax=right)
    fig.suptitle("GRU cell: where the reset gate acts", fontsize=12)
    fig.text(0.5, 0.01, r"both: $h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$"
             "  (Keras: z keeps the old state)", ha="center", va="bottom", fontsize=10)
    return fig


DEEP_RNN_TITLES = ("shallow", "stacked", "deep input (DI)", "deep transition (DT)",
                   "deep output (DO)")


def _deep_rnn_panel(ax, kind):
    """Steps t-1 and t of one architecture of Pascanu et al. 2014, drawn into `ax`."""
    _canvas(ax, None)
    gap, w, h, rec = 2.2, 0.9, 0.55, PURPLE  # column spacing, box size, recurrent colour
    rows = {"shallow": ("x", "h", "y"), "stacked": ("x", "h1", "h2", "y"),
            "DI": ("x", "mlp", "h", "y"), "DT": ("x", "mlp", "h", "y"),
            "DO": ("x", "h", "mlp", "y")}[kind]
    ys = [4.4 * i / (len(rows) - 1) for i in range(len(rows))]
    colour = {"x": BLUE, "h": PURPLE, "h1": PURPLE, "h2": PURPLE, "mlp": GREEN, "y": ORANGE}
    for c, step in ((0.0, "t-1"), (gap, "t")):
        sub = "{t-1}" if step == "t-1" else "t"
        label = {"x": f"$x_{sub}$", "h": f"$h_{sub}$", "h1": f"$h^1_{sub}$",
                 "h2": f"$h^2_{sub}$", "mlp": "MLP", "y": f"$y_{sub}$"}
        for k, (name, y) in enumerate(zip(rows, ys)):
            _box(ax, c, y, label[name], colour[name], w=w, h=h,
                 fontsize=8 if name == "mlp" else 9)
            if k:                            # feed-forward arrow from the row below
                _arrow(ax, (c, ys[k - 1] + h / 2), (c, y - h / 2))
    # recurrence: into the first column from t-2, from t-1 to t, and out of t to t+1
    targets = [rows.index("mlp")] if kind == "DT" else [k for k, n in enumerate(rows)
                                                        if n.startswith("h")]
    source = rows.index("h") if kind == "DT" else None
    for k in targets:
        y = ys[k]
        _arrow(ax, (-w / 2 - 0.45, y), (-w / 2, y), color=rec)
        if kind == "DT":                     # h_{t-1} into the transition MLP of step t
            _arrow(ax, (w / 2, ys[source] - 0.1), (gap - w / 2, y + 0.1), color=rec)
        else:
            _arrow(ax, (w / 2, y), (gap - w / 2, y), color=rec)
    for k in [rows.index("h")] if kind == "DT" else targets:
        _arrow(ax, (gap + w / 2, ys[k]), (gap + w / 2 + 0.45, ys[k]), color=rec)
    if kind == "DT":                         # the shortcut skips the transition MLP
        y = ys[source] + 0.12
        _arrow(ax, (w / 2, y), (gap - w / 2, y), color=rec, ls="--")
        ax.text(gap / 2, y + 0.2, "shortcut", ha="center", va="bottom", fontsize=8, color=rec)
    ax.set_xlim(-w / 2 - 0.6, gap + w / 2 + 0.6)
    ax.set_ylim(-h / 2 - 0.15, ys[-1] + h / 2 + 0.15)
    ax.set_title(DEEP_RNN_TITLES[("shallow", "stacked", "DI", "DT", "DO").index(kind)],
                 fontsize=10)


def draw_deep_rnns():
    """Five small unrolled RNNs (steps t-1 and t): shallow, stacked and the three deep ones
    of Pascanu et al. 2014 (deep input, deep transition with its shortcut, deep output)."""
    fig, axes = plt.subplots(1, 5, figsize=(10.0, 3.2))
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.02, top=0.86, wspace=0.12)
    for ax, kind in zip(axes, ("shallow", "stacked", "DI", "DT", "DO")):
        _deep_rnn_panel(ax, kind)
    fig.suptitle("Four ways to make an RNN deep (Pascanu et al. 2014)", fontsize=12)
    return fig


ENCODER_INPUTS = ("4", "3", "+", "2", "1")     # the source "12+34", reversed as read ...
DECODER_INPUTS = ("<s>", "4", "6")             # ... the shifted target (teacher forcing) ...
DECODER_OUTPUTS = ("4", "6", "</s>")           # ... and the target "46"


def draw_encoder_decoder(attention=False, ax=None):
    """Notebook 09's encoder-decoder on "12+34" -> "46", trained with teacher forcing; the
    encoder reads the source reversed, "43+21", as notebook 09's models do. The encoder's last
    state is the context c, the decoder's initial state; with `attention`, one decoder step
    (the one predicting "6") also gets its own context c_t: its state s_2 is the query that
    scores every encoder state, and c_2, their weighted sum, goes to its readout beside s_2."""
    if not isinstance(attention, bool):
        raise ValueError(f"attention: expected True or False, got {attention!r}")
    fig, ax = _canvas(ax, (10.0, 3.5))
    gap, w, h = 2.0, 1.1, 0.6                # column spacing and box size
    yx, yh, yy = 0.0, 1.3, 2.6               # rows: inputs, states, outputs
    n, first = len(ENCODER_INPUTS), (len(ENCODER_INPUTS) + 1) * gap   # first decoder column
    enc = [k * gap for k in range(n)]
    dec = [first + k * gap for k in range(len(DECODER_INPUTS))]
    for k, (c, char) in enumerate(zip(enc, ENCODER_INPUTS), start=1):
        _box(ax, c, yx, char, BLUE, w=w, h=h)
        ax.text(c, yx - h / 2 - 0.08, f"$x_{k}$", ha="center", va="top", fontsize=9)
        _box(ax, c, yh, f"$h_{k}$", ORANGE if k == n else PURPLE, w=w, h=h)
        _arrow(ax, (c, yx + h / 2), (c, yh - h / 2))
        if k > 1:
            _arrow(ax, (c - gap + w / 2, yh), (c - w / 2, yh))
    for k, (c, char, target) in enumerate(zip(dec, DECODER_INPUTS, DECODER_OUTPUTS), start=1):
        _box(ax, c, yx, char, BLUE, w=w, h=h)
        _box(ax, c, yh, f"$s_{k}$", PURPLE, w=w, h=h)
        _box(ax, c, yy, target, ORANGE, w=w, h=h)
        _arrow(ax, (c, yx + h / 2), (c, yh - h / 2))
        _arrow(ax, (c, yh + h / 2), (c, yy - h / 2))
        if k > 1:
            _arrow(ax, (c - gap + w / 2, yh), (c - w / 2, yh))
    # the context: the last encoder state (orange) is the decoder's initial state
    _arrow(ax, (enc[-1] + w / 2, yh), (dec[0] - w / 2, yh), color=ORANGE)
    ax.text((enc[-1] + dec[0]) / 2, yh - 0.12, "context $c = h_5$\n(fixed size)",
            ha="center", va="top", fontsize=9)
    ax.text((enc[0] + enc[-1]) / 2, -0.95, "encoder", ha="center", va="top", fontsize=10)
    ax.text((dec[0] + dec[-1]) / 2, -0.95,
            "decoder (teacher forcing: the input\nis the true previous character)",
            ha="center", va="top", fontsize=10)
    title = "Encoder-decoder: the whole input is squeezed into one context vector c"
    if attention:                            # step 2, predicting "6", gets its own c_2
        xa, ya, wa, ha = (enc[-1] + dec[0]) / 2, yy + 0.9, 0.9, 0.5
        for k, c in enumerate(enc):
            end = (xa - wa / 2 + 0.1 + k * (wa - 0.2) / (n - 1), ya - ha / 2)
            _arrow(ax, (c, yh + h / 2), end, color=GREEN, lw=0.8)
        _box(ax, xa, ya, r"$\alpha \cdot h$", GREEN, w=wa, h=ha)
        ax.text(xa, ya + ha / 2 + 0.05, "attention", ha="center", va="bottom", fontsize=9,
                color=GREEN)
        end = (dec[1] - w / 2, yy + 0.1)
        _arrow(ax, (xa + wa / 2, ya - 0.1), end, color=GREEN)
        ax.text((xa + wa / 2 + end[0]) / 2, (ya - 0.1 + end[1]) / 2 + 0.12, "$c_2$",
                ha="left", va="bottom", fontsize=10, color=GREEN)
        # the query: the decoder state s_2 scores every encoder state
        xq, yq = dec[1] + w / 2 + 0.4, ya + 0.15
        _arrow(ax, (dec[1] + w / 2, yh + 0.15), (xq, yh + 0.15), color=GREEN, style="-")
        _arrow(ax, (xq, yh + 0.15), (xq, yq), color=GREEN, style="-")
        _arrow(ax, (xq, yq), (xa + wa / 2, yq), color=GREEN)
        ax.text(xq - 0.1, yq + 0.05, "query $s_2$", ha="right", va="bottom", fontsize=9,
                color=GREEN)
        title = (r"With attention: every decoder step gets its own context "
                 r"$c_t = \Sigma_s\, \alpha_{ts} h_s$ (drawn for the step predicting 6)")
    ax.set_xlim(enc[0] - 1.0, dec[-1] + 1.3)
    ax.set_ylim(-1.65, yy + 1.65)
    ax.set_title(title, fontsize=11)
    return fig
