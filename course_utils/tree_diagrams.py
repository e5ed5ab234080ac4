"""The tree of a ListOps expression, drawn in code: draw_listops_tree().

Like the other diagrams (diagrams.py, whose colours and canvas it shares), it returns a
matplotlib Figure and does not show it.
"""
import textwrap

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from course_utils.diagrams import BLUE, GREEN, ORANGE, PURPLE, RED, _canvas
from course_utils.synthetic import LISTOPS_APPLY, parse_listops

LISTOPS_MAX_TOKENS = 60                        # a larger tree no longer fits one readable figure
HEIGHT_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                  "#7f7f7f", RED)              # height 0 (the digits, the inputs) is blue


def _listops_nodes(tree):
    """The nodes of a parsed ListOps tree in pre-order, each a dict: op (None for a digit),
    value, height (digits 0, an operator 1 + its children's highest), depth (the root 0), x
    (the digits at 0, 1, 2, ... in order, an operator centred over its first and last child)
    and parent (its index; None for the root)."""
    nodes, leaves = [], []

    def visit(node, depth, parent):
        k = len(nodes)
        nodes.append(dict(depth=depth, parent=parent))
        if isinstance(node, int):
            nodes[k].update(op=None, value=node, height=0, x=float(len(leaves)))
            leaves.append(k)
            return nodes[k]
        op, children = node
        kids = [visit(child, depth + 1, k) for child in children]
        nodes[k].update(op=op, value=LISTOPS_APPLY[op]([c["value"] for c in kids]),
                        height=1 + max(c["height"] for c in kids),
                        x=(kids[0]["x"] + kids[-1]["x"]) / 2)
        return nodes[k]

    visit(tree, 0, None)
    return nodes


def draw_listops_tree(expression, values=True, heights=False, ax=None):
    """The tree of a ListOps expression such as "[MAX 2 9 [MIN 4 7 ] 0 ]", root at the top:
    operators in rounded boxes (with `values`, their value too: "MIN → 4"), digits in blue
    circles, children left to right in their order, the root orange. With `heights`, every node
    is coloured by its height instead (digits 0, an operator 1 + its children's highest): the
    nodes of one colour are the ones a tree network can compute together, one batch per height.
    A bad expression raises parse_listops's ValueError; at most 60 tokens are drawn."""
    for name, value in (("values", values), ("heights", heights)):
        if not isinstance(value, bool):
            raise ValueError(f"{name}: expected True or False, got {value!r}")
    tree = parse_listops(expression)
    n_tokens = len(expression.split())
    if n_tokens > LISTOPS_MAX_TOKENS:
        raise ValueError(f"expression: expected at most {LISTOPS_MAX_TOKENS} tokens (a larger "
                         f"tree does not fit one readable figure), got {n_tokens}")
    nodes = _listops_nodes(tree)
    n_leaves = sum(node["op"] is None for node in nodes)
    depth = max(node["depth"] for node in nodes)
    n_heights = nodes[0]["height"] + 1
    r, h = 0.3, 0.6                          # digit radius and operator box height
    colours = (HEIGHT_COLOURS if n_heights <= len(HEIGHT_COLOURS) else
               [plt.cm.viridis(k / (n_heights - 1)) for k in range(n_heights)])
    answer = f" →\xa0{nodes[0]['value']}" if values else ""   # a no-break space: one word
    lines = textwrap.wrap(" ".join(expression.split()) + answer, 100) + (
        ["colour = height: all nodes of one colour are computed at once, lowest first"]
        if heights else [])
    legend_in = 1.5 * (1 + (n_heights - 1) // 10) if heights else 0.0   # inches, on the right
    title_in = 0.2 + 0.22 * len(lines)
    unit = min(0.55, (9.5 - legend_in) / (n_leaves + 0.8),     # inches per unit of the layout
               (4.6 - title_in) / (depth * 1.25 + 1.0))
    row = max(1.25, min(2.0, 0.12 * n_leaves,   # wide trees get taller rows: no shallow edges
                        ((4.0 - title_in) / unit - 1.0) / max(depth, 1)))
    size = (max(4.5, min(9.5, 0.085 * max(map(len, lines)) + 0.3),
                unit * (n_leaves + 0.8) + legend_in),
            max(2.0, unit * (depth * row + 1.0) + title_in))
    fig, ax = _canvas(ax, size, top=1 - title_in / size[1])
    fontsize = 9 if unit >= 0.4 else 8 if unit >= 0.3 else 7
    patches = []
    for node in nodes:
        x, y = node["x"], -node["depth"] * row
        colour = (colours[node["height"]] if heights else
                  ORANGE if node["parent"] is None else BLUE if node["op"] is None else "#dddddd")
        if node["op"] is None:
            patch = Circle((x, y), r, facecolor=colour, edgecolor="black", alpha=0.85, zorder=2)
            text = str(node["value"])
        else:
            text = f"{node['op']} → {node['value']}" if values else node["op"]
            w = max(0.9, 0.6 * fontsize / 72 * len(text) / unit + 0.35)
            pad = 0.1
            patch = FancyBboxPatch((x - w / 2 + pad, y - h / 2 + pad), w - 2 * pad, h - 2 * pad,
                                   boxstyle=f"round,pad={pad}", facecolor=colour,
                                   edgecolor="black", alpha=0.85, zorder=2)
        ax.add_patch(patch)
        patches.append(patch)
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=3)
        if node["parent"] is not None:       # an edge clipped to the two nodes' outlines
            parent = nodes[node["parent"]]
            ax.add_patch(FancyArrowPatch((parent["x"], -parent["depth"] * row), (x, y),
                                         patchA=patches[node["parent"]], patchB=patch,
                                         arrowstyle="-", shrinkA=0, shrinkB=0, color="black",
                                         linewidth=1, zorder=1))
    if heights:
        ax.legend(handles=[Rectangle((0, 0), 1, 1, facecolor=colours[k], edgecolor="black",
                                     alpha=0.85, label=f"height {k}" if k else "height 0 (digits)")
                           for k in reversed(range(n_heights))],
                  loc="center right", ncol=1 + (n_heights - 1) // 10)
    ax.set_xlim(-0.9, n_leaves - 0.1 + legend_in / unit)
    ax.set_ylim(-depth * row - 0.5, 0.5)
    ax.set_title("\n".join(lines), fontsize=10)
    return fig
