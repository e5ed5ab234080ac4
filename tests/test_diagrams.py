"""The diagrams drawn in code: each is a titled, lean Figure showing what it claims, and bad
arguments raise ValueErrors that name the argument."""
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from course_utils import (draw_batch_array, draw_gru_cell, draw_gru_cells, draw_sliding_windows,
                          draw_unrolled_rnn, use_course_style)
from course_utils.diagrams import GRU_FORMULAS, ORANGE, RED


@pytest.fixture(autouse=True)
def course_style_and_cleanup():
    use_course_style()
    yield
    plt.close("all")


def texts(container):
    """Every text string drawn in a figure or an axis (titles and legends included)."""
    return [t.get_text() for t in container.findobj(matplotlib.text.Text) if t.get_text()]


def title(fig):
    sup = fig._suptitle.get_text() if fig._suptitle is not None else ""
    return sup or " ".join(ax.get_title() for ax in fig.axes).strip()


ALL = pytest.mark.parametrize("draw", [draw_batch_array, draw_sliding_windows, draw_unrolled_rnn,
                                       draw_gru_cells, draw_gru_cell])


@ALL
def test_each_diagram_is_a_lean_titled_figure_without_axes(draw):
    fig = draw()
    assert isinstance(fig, Figure)
    assert title(fig)
    width, height = fig.get_size_inches()
    assert 4.5 <= width <= 9.5 and 2.5 <= height <= 4.0
    assert fig.axes and not any(ax.axison for ax in fig.axes)


@pytest.mark.parametrize("draw", [draw_batch_array, draw_sliding_windows, draw_unrolled_rnn,
                                  draw_gru_cell])
def test_single_axis_diagrams_draw_into_a_given_axis(draw):
    fig, ax = plt.subplots()
    assert draw(ax=ax) is fig
    assert ax.get_title() and len(fig.axes) == 1


def test_batch_array_has_n_sheets_of_t_by_d_cells_and_one_highlighted_step():
    fig = draw_batch_array(n=2, t=6, d=3)
    cells = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert len(cells) == 2 * 6 * 3
    highlighted = [c for c in cells if matplotlib.colors.same_color(c.get_facecolor(), ORANGE)]
    assert len(highlighted) == 3                                   # D numbers, one column
    assert len({c.get_x() for c in highlighted}) == 1
    words = " ".join(texts(fig))
    for phrase in ("N examples (batch)", "T time steps", "D features", "x[0, 2, :]"):
        assert phrase in words
    assert fig.axes[0].get_title() == "A batch is an (N, T, D) array"


def test_sliding_windows_labels_give_each_slice_and_its_target():
    labels = [t for t in texts(draw_sliding_windows()) if t.startswith("window ")]
    assert labels == [f"window {k}: x[{k}:{k + 4}] -> y = x[{k + 4}]" for k in range(4)]
    labels = [t for t in texts(draw_sliding_windows(12, window=3, shift=2, n_show=3))
              if t.startswith("window ")]
    assert labels == ["window 0: x[0:3] -> y = x[3]", "window 1: x[2:5] -> y = x[5]",
                      "window 2: x[4:7] -> y = x[7]"]


def test_sliding_windows_colours_inputs_blue_and_one_target_orange_per_window():
    ax = draw_sliding_windows(10, window=4, shift=1, n_show=2).axes[0]
    boxes = [p for p in ax.patches if isinstance(p, Rectangle)]
    orange = [b for b in boxes if matplotlib.colors.same_color(b.get_facecolor()[:3], ORANGE)]
    assert len(boxes) == 10 + 2 * 5 and len(orange) == 2
    assert "Sliding windows" in ax.get_title() and "4" in ax.get_title()


@pytest.mark.parametrize("kwargs, name", [
    (dict(series_length=0), "series_length"), (dict(series_length=4.0), "series_length"),
    (dict(window=10), "window"), (dict(window=0), "window"), (dict(shift=0), "shift"),
    (dict(shift=True), "shift"), (dict(n_show=-1), "n_show"), (dict(n_show=7), "n_show"),
])
def test_sliding_windows_rejects_bad_arguments_by_name(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}: expected .*got {kwargs[name]!r}"):
        draw_sliding_windows(**kwargs)


def test_sliding_windows_accepts_the_largest_fitting_n_show():
    draw_sliding_windows(10, window=4, shift=1, n_show=6)       # last target is x[9]


def test_unrolled_rnn_has_every_node_and_a_red_backward_arrow_for_each_forward_one():
    fig = draw_unrolled_rnn(steps=3)
    words = texts(fig)
    for t in range(1, 4):
        assert {f"$x_{t}$", f"$h_{t}$", f"$L_{t}$", rf"$\partial L/\partial h_{t}$"} <= set(words)
    assert "$h_0$" in words and "$x_4$" not in words
    assert {"$W_{hh}$", "$W_y$", "forward pass", "backward pass (BPTT)"} <= set(words)
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    red = [a for a in arrows if matplotlib.colors.same_color(a.get_edgecolor()[:3], RED)]
    assert len(arrows) == 5 * 3 and len(red) == 2 * 3
    assert all(a.get_linestyle() == "--" for a in red)


def test_gru_panels_show_both_candidate_formulas_under_one_title():
    fig = draw_gru_cells()
    assert fig._suptitle.get_text() == "GRU cell: where the reset gate acts"
    left, right = fig.axes
    assert GRU_FORMULAS[False] in texts(left) and GRU_FORMULAS[True] not in texts(left)
    assert GRU_FORMULAS[True] in texts(right) and GRU_FORMULAS[False] not in texts(right)
    assert "reset_after=False" in left.get_title() and "reset_after=True" in right.get_title()
    assert r"r_t \odot (h_{t-1} U_h" in GRU_FORMULAS[True]
    assert r"(r_t \odot h_{t-1})\,U_h" in GRU_FORMULAS[False]


@pytest.mark.parametrize("reset_after", [False, True])
def test_gru_reset_multiply_sits_before_or_after_the_recurrent_matmul(reset_after):
    ax = draw_gru_cell(reset_after).axes[0]
    (u,) = [t for t in ax.texts if t.get_text() == "$U_h$"]
    ux, uy = u.get_position()
    (r_node,) = [t for t in ax.texts if t.get_text() == "×" and t.get_position()[1] == uy]
    assert (r_node.get_position()[0] > ux) == reset_after          # after U_h only when True
    words = texts(ax)
    assert {"z (update)", "r (reset)", "tanh", "1−", "+", "$h_t$", "$h_{t-1}$", "$x_t$"} <= set(words)
    assert words.count("×") == 3                                    # r, z and (1 - z) multiplies


@pytest.mark.parametrize("bad", [1, 0, "True", None])
def test_gru_cell_needs_a_bool(bad):
    with pytest.raises(ValueError, match=rf"^reset_after: expected True or False, got {bad!r}"):
        draw_gru_cell(bad)


@pytest.mark.parametrize("draw, kwargs, name", [
    (draw_batch_array, dict(n=0), "n"), (draw_batch_array, dict(t=2.5), "t"),
    (draw_batch_array, dict(d=False), "d"), (draw_unrolled_rnn, dict(steps=0), "steps"),
])
def test_other_diagrams_reject_non_positive_sizes_by_name(draw, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}: expected a positive int, got {kwargs[name]!r}"):
        draw(**kwargs)


def test_diagrams_module_does_not_import_tensorflow():
    code = "import sys, course_utils.diagrams; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_deep_rnns_is_five_titled_panels_under_one_suptitle():
    from course_utils import draw_deep_rnns
    fig = draw_deep_rnns()
    assert isinstance(fig, Figure)
    assert fig._suptitle.get_text() == "Four ways to make an RNN deep (Pascanu et al. 2014)"
    assert len(fig.axes) == 5 and not any(ax.axison for ax in fig.axes)
    width, height = fig.get_size_inches()
    assert 9.5 <= width <= 10.5 and 2.8 <= height <= 3.6
    assert [ax.get_title() for ax in fig.axes] == [
        "shallow", "stacked", "deep input (DI)", "deep transition (DT)", "deep output (DO)"]


def test_deep_rnns_panels_draw_two_steps_with_mlps_where_each_architecture_puts_them():
    from course_utils import draw_deep_rnns
    from course_utils.diagrams import BLUE, GREEN, PURPLE
    shallow, stacked, di, dt, do = draw_deep_rnns().axes

    def boxes(ax, colour):
        return sorted((p.get_y(), p.get_x()) for p in ax.patches if isinstance(p, Rectangle)
                      and matplotlib.colors.same_color(p.get_facecolor()[:3], colour))

    for ax in (shallow, stacked, di, dt, do):
        words = texts(ax)
        assert {"$x_{t-1}$", "$x_t$", "$y_{t-1}$", "$y_t$"} <= set(words)
        assert len(boxes(ax, BLUE)) == 2 and len(boxes(ax, ORANGE)) == 2
    assert {"$h^1_{t-1}$", "$h^2_{t-1}$", "$h^1_t$", "$h^2_t$"} <= set(texts(stacked))
    assert len(boxes(stacked, PURPLE)) == 4 and not boxes(stacked, GREEN)
    assert len(boxes(shallow, PURPLE)) == 2 and not boxes(shallow, GREEN)
    for ax, mlp_below_h in ((di, True), (dt, True), (do, False)):
        assert texts(ax).count("MLP") == 2 and len(boxes(ax, GREEN)) == 2
        assert (boxes(ax, GREEN)[0][0] < boxes(ax, PURPLE)[0][0]) == mlp_below_h


def test_deep_transition_panel_alone_has_a_dashed_shortcut_from_h_to_h():
    from course_utils import draw_deep_rnns
    from course_utils.diagrams import PURPLE
    axes = draw_deep_rnns().axes
    assert [("shortcut" in texts(ax)) for ax in axes] == [False, False, False, True, False]
    for ax in axes:
        arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
        dashed = [a for a in arrows if a.get_linestyle() == "--"]
        assert len(dashed) == (1 if ax is axes[3] else 0)
    (shortcut,) = [a for a in axes[3].patches
                            if isinstance(a, FancyArrowPatch) and a.get_linestyle() == "--"]
    assert matplotlib.colors.same_color(shortcut.get_edgecolor()[:3], PURPLE)
    (start, end) = shortcut._posA_posB
    assert start[1] == end[1] and start[0] < end[0]               # straight along the h row
    h_rows = {p.get_y() + p.get_height() / 2 for p in axes[3].patches
              if isinstance(p, Rectangle)
              and matplotlib.colors.same_color(p.get_facecolor()[:3], PURPLE)}
    assert len(h_rows) == 1 and abs(start[1] - h_rows.pop()) < 0.3


@pytest.mark.parametrize("attention", [False, True])
def test_encoder_decoder_is_a_wide_lean_titled_figure_or_draws_into_a_given_axis(attention):
    from course_utils import draw_encoder_decoder
    fig = draw_encoder_decoder(attention)
    assert isinstance(fig, Figure) and title(fig)
    width, height = fig.get_size_inches()
    assert 9.5 <= width <= 10.5 and 3.0 <= height <= 4.0
    assert len(fig.axes) == 1 and not fig.axes[0].axison
    fig, ax = plt.subplots()
    assert draw_encoder_decoder(attention, ax=ax) is fig
    assert ax.get_title() and len(fig.axes) == 1


@pytest.mark.parametrize("attention", [False, True])
def test_encoder_decoder_reads_12_plus_34_and_predicts_46_with_teacher_forcing(attention):
    from course_utils import draw_encoder_decoder
    from course_utils.diagrams import BLUE, PURPLE
    ax = draw_encoder_decoder(attention).axes[0]
    words = texts(ax)
    assert {f"$x_{t}$" for t in range(1, 6)} | {f"$h_{t}$" for t in range(1, 6)} <= set(words)
    assert {"$s_1$", "$s_2$", "$s_3$", "encoder"} <= set(words) and "$h_6$" not in words
    assert "decoder (teacher forcing: the input\nis the true previous character)" in words
    assert any(w.startswith("context $c = h_5$") and "fixed size" in w for w in words)

    def row(colour):                         # the texts of the boxes of one colour, left to right
        centres = sorted((p.get_x() + p.get_width() / 2, p.get_y() + p.get_height() / 2)
                         for p in ax.patches if isinstance(p, Rectangle)
                         and matplotlib.colors.same_color(p.get_facecolor()[:3], colour))
        return [(t.get_text(), y) for x, y in centres for t in ax.texts
                if max(abs(a - b) for a, b in zip(t.get_position(), (x, y))) < 1e-9]

    assert [w for w, _ in row(BLUE)] == ["4", "3", "+", "2", "1", "<s>", "4", "6"]  # reversed
    assert [w for w, _ in row(ORANGE)] == ["$h_5$", "4", "6", "</s>"]   # context, then targets
    (h_row,) = {y for _, y in row(PURPLE)}
    targets = {y for w, y in row(ORANGE) if w != "$h_5$"}
    assert len(targets) == 1 and targets.pop() > h_row                  # predicted above


def test_encoder_decoder_draws_attention_only_when_asked():
    from course_utils import draw_encoder_decoder
    from course_utils.diagrams import GREEN
    plain, attended = (draw_encoder_decoder(a).axes[0] for a in (False, True))
    assert "attention" not in texts(plain) and "attention" in texts(attended)
    assert r"$\alpha \cdot h$" in texts(attended) and "$c_2$" in texts(attended)
    assert "attention" not in plain.get_title().lower()
    assert r"$c_t = \Sigma_s\, \alpha_{ts} h_s$" in attended.get_title()

    def green_arrows(ax):
        return [p for p in ax.patches if isinstance(p, FancyArrowPatch)
                and matplotlib.colors.same_color(p.get_edgecolor()[:3], GREEN)]

    assert not green_arrows(plain)
    arrows = green_arrows(attended)
    assert len(arrows) == 5 + 1 + 3      # one from each h_s, c_2 to one step, the query s_2
    assert "query $s_2$" in texts(attended)             # (the query drawn in three segments)
    others = [p for p in attended.patches if p not in arrows]
    assert len(others) == len(plain.patches) + 1      # plus the attention box, nothing removed


@pytest.mark.parametrize("bad", [1, 0, "False", None])
def test_encoder_decoder_needs_a_bool(bad):
    from course_utils import draw_encoder_decoder
    with pytest.raises(ValueError, match=rf"^attention: expected True or False, got {bad!r}"):
        draw_encoder_decoder(bad)


LISTOPS = "[MED [MAX [MIN 4 4 6 5 1 ] 7 [SM [MED 8 2 9 0 ] 9 2 ] 6 ] 5 4 ]"   # 25 tokens


def listops_heights(tree):
    """The heights of a parsed ListOps tree's nodes in pre-order: digits 0, a list 1 + max."""
    if isinstance(tree, int):
        return [0]
    below = [listops_heights(child) for child in tree[1]]
    return [1 + max(child[0] for child in below)] + [h for child in below for h in child]


def tree_nodes(ax):
    """The node outlines (digit circles, operator boxes) in drawing order, and the edges."""
    from matplotlib.patches import Circle, FancyBboxPatch
    nodes = [p for p in ax.patches if isinstance(p, (Circle, FancyBboxPatch))]
    edges = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    return nodes, edges


@pytest.mark.parametrize("heights", [False, True])
def test_listops_tree_is_a_lean_titled_figure_or_draws_into_a_given_axis(heights):
    from course_utils import draw_listops_tree
    fig = draw_listops_tree(LISTOPS, heights=heights)
    assert isinstance(fig, Figure)
    assert title(fig).replace("\xa0", " ").startswith(LISTOPS + " → 5")
    assert ("colour = height" in title(fig)) == heights
    width, height = fig.get_size_inches()
    assert 4.5 <= width <= 9.5 and 2.0 <= height <= 4.6
    assert len(fig.axes) == 1 and not fig.axes[0].axison
    fig, ax = plt.subplots()
    assert draw_listops_tree(LISTOPS, heights=heights, ax=ax) is fig
    assert ax.get_title() and len(fig.axes) == 1


@pytest.mark.parametrize("values, labels", [
    (True, ["MAX → 9", "2", "9", "MIN → 4", "4", "7", "0"]),
    (False, ["MAX", "2", "9", "MIN", "4", "7", "0"]),
])
def test_listops_tree_labels_every_node_once_and_joins_each_child_to_its_parent(values, labels):
    from course_utils import draw_listops_tree
    ax = draw_listops_tree("[MAX 2 9 [MIN 4 7 ] 0 ]", values=values).axes[0]
    assert [t.get_text() for t in ax.texts] == labels               # one label per node, pre-order
    nodes, edges = tree_nodes(ax)
    assert len(nodes) == 7 and len(edges) == 6                     # a tree: one edge per child
    assert "9" in ax.get_title() and ax.get_legend() is None


def test_listops_tree_spaces_digits_evenly_in_order_and_centres_parents_over_children():
    from course_utils import draw_listops_tree
    ax = draw_listops_tree("[MAX 2 9 [MIN 4 7 ] 0 ]").axes[0]
    (mx, my), _, _, (nx, ny), _, _, _ = [t.get_position() for t in ax.texts]
    leaves = [t for t in ax.texts if t.get_text().isdigit()]
    assert [t.get_text() for t in leaves] == ["2", "9", "4", "7", "0"]
    digits = [t.get_position() for t in leaves]
    xs = [x for x, _ in digits]
    assert xs[1] > xs[0] and all(b - a == pytest.approx(xs[1] - xs[0]) for a, b in zip(xs, xs[1:]))
    assert nx == pytest.approx((xs[2] + xs[3]) / 2) and mx == pytest.approx((xs[0] + xs[4]) / 2)
    rows = sorted({y for _, y in digits} | {my, ny}, reverse=True)
    assert len(rows) == 3 and my == rows[0] and ny == rows[1]      # y by depth, the root on top
    assert [y for _, y in digits] == [rows[1], rows[1], rows[2], rows[2], rows[1]]


@pytest.mark.parametrize("expression", [LISTOPS, "[MAX 2 9 [MIN 4 7 ] 0 ]", "[SM 3 ]", "7",
                                        "[MIN [MAX [MED 1 2 ] 3 ] [SM 4 5 ] 6 ]"])
def test_listops_tree_with_heights_gives_each_height_its_own_colour(expression):
    from course_utils import draw_listops_tree, listops_depth, parse_listops
    ax = draw_listops_tree(expression, heights=True).axes[0]
    nodes, _ = tree_nodes(ax)
    colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in nodes]
    heights = listops_heights(parse_listops(expression))
    assert len(set(colours)) == len(set(heights)) == listops_depth(expression) + 1
    assert len(set(zip(heights, colours))) == len(set(heights))    # one colour per height
    top = max(heights)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == (
        [f"height {k}" for k in range(top, 0, -1)] + ["height 0 (digits)"])


def test_listops_tree_colours_digits_blue_the_root_orange_unless_heights_are_asked():
    from course_utils import draw_listops_tree
    from course_utils.diagrams import BLUE
    plain, waves = (draw_listops_tree(LISTOPS, heights=h).axes[0] for h in (False, True))
    texts_plain = [t.get_text() for t in plain.texts]
    fills = [p.get_facecolor() for p in tree_nodes(plain)[0]]
    assert matplotlib.colors.same_color(fills[0][:3], ORANGE)       # the root: the answer
    for text, fill in zip(texts_plain[1:], fills[1:]):
        assert matplotlib.colors.same_color(fill[:3], BLUE) == text.isdigit()
        assert not matplotlib.colors.same_color(fill[:3], ORANGE)
    fills = dict(zip([t.get_text() for t in waves.texts], tree_nodes(waves)[0]))
    same = [fills[name].get_facecolor() for name in ("MIN → 1", "MED → 5")]   # both height 1
    assert matplotlib.colors.same_color(*same)
    assert not matplotlib.colors.same_color(same[0], fills["SM → 6"].get_facecolor())


def test_listops_tree_draws_up_to_60_tokens_and_says_so_beyond():
    from course_utils import draw_listops_tree
    longest = "[SM " + "1 " * 58 + "]"
    assert len(draw_listops_tree(longest).axes[0].texts) == 59
    with pytest.raises(ValueError, match=r"^expression: expected at most 60 tokens .*got 61$"):
        draw_listops_tree("[SM " + "1 " * 59 + "]")


@pytest.mark.parametrize("bad, problem", [
    ("[MAX 2 9", "unbalanced brackets"), ("[FOO 1 ]", "unknown operator"),
    ("[MIN ]", "empty list"), ("[MAX 1 ] 2", "trailing tokens"), (12, "expression must be a str"),
])
def test_listops_tree_passes_on_the_parsers_error(bad, problem):
    from course_utils import draw_listops_tree
    with pytest.raises(ValueError, match=rf"^{problem}"):
        draw_listops_tree(bad)


@pytest.mark.parametrize("kwargs, name", [
    (dict(values=1), "values"), (dict(values=None), "values"),
    (dict(heights="True"), "heights"), (dict(heights=0), "heights"),
])
def test_listops_tree_needs_bools(kwargs, name):
    from course_utils import draw_listops_tree
    with pytest.raises(ValueError, match=rf"^{name}: expected True or False, got {kwargs[name]!r}"):
        draw_listops_tree(LISTOPS, **kwargs)
