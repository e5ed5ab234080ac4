"""Notebook 13's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import math
import statistics

import numpy as np
import pytest

from course_utils.exercises import nb13 as ex
from course_utils.exercises import listops_mistakes as mistakes, listops_trees as trees, tree_lstm
from course_utils.synthetic import LISTOPS_APPLY, LISTOPS_OPS
from conftest import not_attempted


# --- 13.1 evaluating a tree, children first --------------------------------------------------

def evaluate(tree):
    if isinstance(tree, int):
        return tree
    op, children = tree
    values = [evaluate(child) for child in children]
    if op == "MAX":
        return max(values)
    if op == "MIN":
        return min(values)
    if op == "MED":
        return int(np.median(values))                          # Nangia & Bowman's own MED
    return sum(values) % 10


OPS = {"MAX": max, "MIN": min, "MED": lambda v: int(statistics.median(v)),
       "SM": lambda v: sum(v) % 10}


def evaluate_table(tree):                                      # a dict of operators
    if not isinstance(tree, tuple):
        return tree
    op, children = tree
    return OPS[op]([evaluate_table(child) for child in children])


def evaluate_stack(tree):                                      # no recursion: an explicit stack
    if isinstance(tree, int):
        return tree
    values, stack = {}, [(tree, False)]
    while stack:
        node, ready = stack.pop()
        if ready:
            op, children = node
            got = [c if isinstance(c, int) else values[id(c)] for c in children]
            values[id(node)] = int(np.median(np.sort(got))) if op == "MED" else (
                int(sum(got) % 10) if op == "SM" else (max(got) if op == "MAX" else min(got)))
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in node[1] if not isinstance(c, int))
    return values[id(tree)]


def _evaluate_with(name, med=None, sm=None):
    def fn(tree):
        if isinstance(tree, int):
            return tree
        op, children = tree
        values = [fn(child) for child in children]
        if op == "MED" and med:
            return med(values)
        if op == "SM" and sm:
            return sm(values)
        return LISTOPS_APPLY[op](values)
    fn.__name__ = name
    return fn


def _middles_floor(v):                                       # integer arithmetic, no NumPy
    ordered = sorted(v)
    return (ordered[(len(v) - 1) // 2] + ordered[len(v) // 2]) // 2


ev_np_median_int = _evaluate_with("ev_np_median_int", med=lambda v: int(np.median(v)))
ev_middles_floor = _evaluate_with("ev_middles_floor", med=_middles_floor)
ev_np_median_astype = _evaluate_with("ev_np_median_astype",
                                     med=lambda v: np.median(v).astype(int))   # np.int64
ev_lower_middle = _evaluate_with("ev_lower_middle", med=lambda v: sorted(v)[(len(v) - 1) // 2])
ev_median_low = _evaluate_with("ev_median_low", med=statistics.median_low)
ev_upper_middle = _evaluate_with("ev_upper_middle", med=lambda v: sorted(v)[len(v) // 2])
ev_median_high = _evaluate_with("ev_median_high", med=statistics.median_high)
ev_unsorted = _evaluate_with("ev_unsorted", med=lambda v: v[(len(v) - 1) // 2])
ev_unsorted_upper = _evaluate_with("ev_unsorted_upper", med=lambda v: v[len(v) // 2])
ev_unsorted_average = _evaluate_with(
    "ev_unsorted_average", med=lambda v: (v[(len(v) - 1) // 2] + v[len(v) // 2]) // 2)
ev_np_median = _evaluate_with("ev_np_median", med=lambda v: np.median(v))
ev_statistics_median = _evaluate_with("ev_statistics_median", med=statistics.median)
ev_rounded = _evaluate_with("ev_rounded", med=lambda v: round(np.median(v)))
ev_np_round = _evaluate_with("ev_np_round", med=lambda v: int(np.round(np.median(v))))
ev_rounded_half_up = _evaluate_with("ev_rounded_half_up", med=lambda v: int(np.median(v) + 0.5))
ev_ceil = _evaluate_with("ev_ceil", med=lambda v: math.ceil(np.median(v)))
ev_mean = _evaluate_with("ev_mean", med=lambda v: sum(v) / len(v))
ev_mean_floor = _evaluate_with("ev_mean_floor", med=lambda v: sum(v) // len(v))
ev_mean_rounded = _evaluate_with("ev_mean_rounded", med=lambda v: round(sum(v) / len(v)))
ev_no_modulo = _evaluate_with("ev_no_modulo", sm=sum)
ev_float = _evaluate_with("ev_float", sm=lambda v: float(sum(v) % 10))


def ev_no_recursion(tree):
    if isinstance(tree, int):
        return tree
    op, values = tree                                           # the children taken as values
    return LISTOPS_APPLY[op](values)


def ev_skips_subtrees(tree):
    if isinstance(tree, int):
        return tree
    op, children = tree
    return LISTOPS_APPLY[op]([c for c in children if isinstance(c, int)])


def ev_no_base_case(tree):
    op, children = tree
    values = [child if isinstance(child, int) else ev_no_base_case(child) for child in children]
    return LISTOPS_APPLY[op](values)


def ev_recurses_into_leaves(tree):
    op, children = tree
    return LISTOPS_APPLY[op]([ev_recurses_into_leaves(child) for child in children])


def ev_writes_values_into_tree(tree):
    if isinstance(tree, int):
        return tree
    op, children = tree
    for i, child in enumerate(children):
        children[i] = ev_writes_values_into_tree(child)         # replaces subtrees by values
    return LISTOPS_APPLY[op](children)


def ev_returns_none(tree):
    value = evaluate(tree)                                     # noqa: F841 (no return)


# --- 13.2 node heights -----------------------------------------------------------------------

def node_heights(parents):
    heights = np.zeros(len(parents), dtype=int)
    for i in range(len(parents) - 1, -1, -1):
        p = parents[i]
        if p >= 0:
            heights[p] = max(heights[p], heights[i] + 1)
    return heights


def node_heights_recursive(parents):
    children = [[] for _ in parents]
    for i, p in enumerate(parents):
        if p >= 0:
            children[p].append(i)

    def height(i):
        return 1 + max(height(c) for c in children[i]) if children[i] else 0

    return np.array([height(i) for i in range(len(parents))])


def node_heights_by_levels(parents):                            # the leaves, then their parents...
    parents = np.asarray(parents)
    heights = np.full(len(parents), -1)
    has_child = np.zeros(len(parents), dtype=bool)
    has_child[parents[parents >= 0]] = True
    heights[~has_child] = 0
    level = 0
    while (heights < 0).any():
        level += 1
        for i in np.flatnonzero(heights < 0):
            kids = np.flatnonzero(parents == i)
            if (heights[kids] >= 0).all() and heights[kids].max() == level - 1:
                heights[i] = level
    return heights


def _depths(parents):
    depth = np.zeros(len(parents), dtype=int)
    for i, p in enumerate(parents):
        if p >= 0:
            depth[i] = depth[p] + 1
    return depth


def nh_depth(parents):
    return _depths(parents)


def nh_min(parents):
    children = [[] for _ in parents]
    for i, p in enumerate(parents):
        if p >= 0:
            children[p].append(i)

    def height(i):
        return 1 + min(height(c) for c in children[i]) if children[i] else 0

    return np.array([height(i) for i in range(len(parents))])


def nh_leaves_at_one(parents):
    heights = np.ones(len(parents), dtype=int)
    for i in range(len(parents) - 1, -1, -1):
        if parents[i] >= 0:
            heights[parents[i]] = max(heights[parents[i]], heights[i] + 1)
    return heights


def nh_negative_index(parents):
    heights = np.zeros(len(parents), dtype=int)
    for i in range(len(parents) - 1, -1, -1):
        heights[parents[i]] = max(heights[parents[i]], heights[i] + 1)   # the root: parents = -1
    return heights


def nh_forward(parents):
    heights = np.zeros(len(parents), dtype=int)
    for i in range(len(parents)):
        if parents[i] >= 0:
            heights[parents[i]] = max(heights[parents[i]], heights[i] + 1)
    return heights


def nh_first_tree_only(parents):
    children = [[] for _ in parents]
    for i, p in enumerate(parents):
        if p >= 0:
            children[p].append(i)
    heights = np.zeros(len(parents), dtype=int)

    def visit(i):                                               # from the root, node 0
        for c in children[i]:
            visit(c)
        heights[i] = 1 + max(heights[c] for c in children[i]) if children[i] else 0

    visit(0)
    return heights


def nh_counts_children(parents):
    heights = np.zeros(len(parents), dtype=int)
    for p in parents:
        if p >= 0:
            heights[p] += 1
    return heights


def nh_floats(parents):
    heights = np.zeros(len(parents))
    for i in range(len(parents) - 1, -1, -1):
        if parents[i] >= 0:
            heights[parents[i]] = max(heights[parents[i]], heights[i] + 1)
    return heights


def nh_marks_parents_in_place(parents):
    heights = node_heights(parents)
    parents[parents < 0] = 0                                    # "the root is its own parent"
    return heights


def nh_returns_none(parents):
    heights = node_heights(parents)                             # noqa: F841 (no return)


# --- 13.3 one height at once, in NumPy -------------------------------------------------------

def _row_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fold_height(H, ops, children, w):
    s = w["O"][ops]
    for j in range(children.shape[1]):
        has = children[:, j] >= 0
        x = H[np.maximum(children[:, j], 0)]
        hidden = np.maximum(0, np.concatenate([s, x], axis=1) @ w["W1"] + w["b1"])
        s = np.where(has[:, None], np.tanh(hidden @ w["W2"] + w["b2"]), s)
    z = s @ w["Wv"] + w["bv"]
    return z, _row_softmax(z) @ w["E"]


def _node_softmax(z):                                           # the notebook's, for one vector
    e = np.exp(z - z.max())
    return e / e.sum()


def fold_height_node_by_node(H, ops, children, w):             # the recursion's cell, per node
    d = w["O"].shape[1]
    logits, vectors = np.zeros((len(ops), 10)), np.zeros((len(ops), d))
    for i, (op, kids) in enumerate(zip(ops, children)):
        s = w["O"][op]
        for k in kids[kids >= 0]:
            hidden = np.maximum(0, np.concatenate([s, H[k]]) @ w["W1"] + w["b1"])
            s = np.tanh(hidden @ w["W2"] + w["b2"])
        logits[i] = s @ w["Wv"] + w["bv"]
        vectors[i] = _node_softmax(logits[i]) @ w["E"]
    return logits, vectors


def fold_height_reads_minus_one(H, ops, children, w):          # H[-1] read, then thrown away
    s = w["O"][ops]
    for j in range(5):
        x = H[children[:, j]]
        hidden = np.maximum(0, np.hstack([s, x]) @ w["W1"] + w["b1"])
        s = np.where(children[:, j:j + 1] >= 0, np.tanh(hidden @ w["W2"] + w["b2"]), s)
    z = s @ w["Wv"] + w["bv"]
    p = np.apply_along_axis(_node_softmax, 1, z) if len(z) else np.zeros((0, 10))
    return z, p @ w["E"]


def fold_height_arithmetic_mask(H, ops, children, w):          # a 0/1 mask instead of np.where
    s = w["O"][ops]
    for j in range(5):
        m = (children[:, j] >= 0).astype(float)[:, None]
        x = H[children[:, j].clip(min=0)]
        folded = np.tanh(np.maximum(0, np.c_[s, x] @ w["W1"] + w["b1"]) @ w["W2"] + w["b2"])
        s = m * folded + (1 - m) * s
    z = s @ w["Wv"] + w["bv"]
    e = np.exp(z)
    return z, (e / e.sum(axis=1)[:, None]) @ w["E"]


def _fold_with(name, start=None, gather=None, cell=None, keep=True, softmax=_row_softmax,
               out=None):
    """fold_height with one step done another way."""
    def fn(H, ops, children, w):
        s = start(ops, w) if start else w["O"][ops]
        for j in range(5):
            has = children[:, j] >= 0
            x = gather(H, children[:, j]) if gather else H[np.maximum(children[:, j], 0)]
            folded = (cell(s, x, w) if cell else np.tanh(np.maximum(
                0, np.concatenate([s, x], axis=1) @ w["W1"] + w["b1"]) @ w["W2"] + w["b2"]))
            s = np.where(has[:, None], folded, s) if keep is True else (
                folded if keep is False else keep(has, folded, s))
        z = s @ w["Wv"] + w["bv"]
        p = softmax(z)
        return out(z, s, p, w) if out else (z, p @ w["E"])
    fn.__name__ = name
    return fn


def _notebook_softmax_on_a_matrix(z):                            # e.sum() over every entry
    e = np.exp(z - z.max())
    return e / e.sum()


fh_reads_last_row = _fold_with("fh_reads_last_row", gather=lambda H, c: H[c], keep=False)
fh_reads_row_zero = _fold_with("fh_reads_row_zero", keep=False)
fh_zero_input = _fold_with("fh_zero_input", keep=False,
                           gather=lambda H, c: np.where((c >= 0)[:, None], H[c], 0.0))
fh_zero_state = _fold_with("fh_zero_state", keep=lambda has, folded, s: np.where(
    has[:, None], folded, 0.0))
fh_starts_from_zeros = _fold_with("fh_starts_from_zeros",
                                  start=lambda ops, w: np.zeros((len(ops), w["O"].shape[1])))
fh_starts_from_digits = _fold_with("fh_starts_from_digits", start=lambda ops, w: w["E"][ops])
fh_child_first = _fold_with("fh_child_first", cell=lambda s, x, w: np.tanh(np.maximum(
    0, np.concatenate([x, s], axis=1) @ w["W1"] + w["b1"]) @ w["W2"] + w["b2"]))
fh_tanh_then_relu = _fold_with("fh_tanh_then_relu", cell=lambda s, x, w: np.maximum(
    0, np.tanh(np.concatenate([s, x], axis=1) @ w["W1"] + w["b1"]) @ w["W2"] + w["b2"]))
fh_no_relu = _fold_with("fh_no_relu", cell=lambda s, x, w: np.tanh(
    (np.concatenate([s, x], axis=1) @ w["W1"] + w["b1"]) @ w["W2"] + w["b2"]))
fh_no_bias = _fold_with("fh_no_bias", cell=lambda s, x, w: np.tanh(np.maximum(
    0, np.concatenate([s, x], axis=1) @ w["W1"] + w["b1"]) @ w["W2"]))
fh_returns_states = _fold_with("fh_returns_states", out=lambda z, s, p, w: (z, s))
fh_returns_probabilities = _fold_with("fh_returns_probabilities",
                                      out=lambda z, s, p, w: (p, p @ w["E"]))
fh_returns_vectors_first = _fold_with("fh_returns_vectors_first",
                                      out=lambda z, s, p, w: (p @ w["E"], z))
fh_returns_one_array = _fold_with("fh_returns_one_array",
                                  out=lambda z, s, p, w: np.concatenate([z, p @ w["E"]], 1))
fh_softmax_over_nodes = _fold_with("fh_softmax_over_nodes", softmax=lambda z: np.exp(
    z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0))
fh_softmax_over_nodes_unshifted = _fold_with("fh_softmax_over_nodes_unshifted",
                                             softmax=lambda z: np.exp(z) / np.exp(z).sum(0))
fh_notebook_softmax = _fold_with("fh_notebook_softmax", softmax=_notebook_softmax_on_a_matrix)
fh_sum_without_keepdims = _fold_with("fh_sum_without_keepdims",
                                     softmax=lambda z: np.exp(z) / np.exp(z).sum(axis=1))
fh_mask_not_a_column = _fold_with("fh_mask_not_a_column",
                                  keep=lambda has, folded, s: np.where(has, folded, s))
fh_shift_by_the_global_max = _fold_with(                       # right, but no max of no rows
    "fh_shift_by_the_global_max", softmax=lambda z: np.exp(z - z.max()) / np.exp(
        z - z.max()).sum(axis=1, keepdims=True))


def fh_marks_missing_in_place(H, ops, children, w):
    has = children >= 0
    children[~has] = 0                                          # "row 0 for a missing child"
    s = w["O"][ops]
    for j in range(5):
        hidden = np.maximum(0, np.concatenate([s, H[children[:, j]]], 1) @ w["W1"] + w["b1"])
        s = np.where(has[:, j:j + 1], np.tanh(hidden @ w["W2"] + w["b2"]), s)
    z = s @ w["Wv"] + w["bv"]
    return z, _row_softmax(z) @ w["E"]


def fh_scales_embeddings_in_place(H, ops, children, w):
    logits, _ = fold_height(H, ops, children, w)
    E = w["E"]
    E *= 1.0                                                    # harmless ...
    E[0] = 0.0                                                  # ... and not
    return logits, _row_softmax(logits) @ E


def fh_returns_none(H, ops, children, w):
    logits, vectors = fold_height(H, ops, children, w)         # noqa: F841 (no return)


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_evaluate, evaluate),
    (ex.check_evaluate, evaluate_table),
    (ex.check_evaluate, evaluate_stack),
    (ex.check_evaluate, ev_np_median_int),                   # the published definition passes
    (ex.check_evaluate, ev_middles_floor),
    (ex.check_evaluate, ev_np_median_astype),
    (ex.check_node_heights, node_heights),
    (ex.check_node_heights, node_heights_recursive),
    (ex.check_node_heights, node_heights_by_levels),
    (ex.check_fold_height, fold_height),
    (ex.check_fold_height, fold_height_node_by_node),
    (ex.check_fold_height, fold_height_reads_minus_one),
    (ex.check_fold_height, fold_height_arithmetic_mask),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


WRONG = [
    (ex.check_evaluate, ev_lower_middle, "your MED takes the lower middle"),
    (ex.check_evaluate, ev_median_low, "your MED takes the lower middle"),
    (ex.check_evaluate, ev_upper_middle, "your MED takes the upper middle"),
    (ex.check_evaluate, ev_median_high, "your MED takes the upper middle"),
    (ex.check_evaluate, ev_unsorted, "unsorted"),
    (ex.check_evaluate, ev_unsorted_upper, "unsorted"),
    (ex.check_evaluate, ev_unsorted_average, "unsorted"),
    (ex.check_evaluate, ev_np_median, "truncate it, int(np.median(values))"),
    (ex.check_evaluate, ev_statistics_median, "truncate it, int(np.median(values))"),
    (ex.check_evaluate, ev_rounded, "you rounded the average of the two middle values"),
    (ex.check_evaluate, ev_np_round, "you rounded the average of the two middle values"),
    (ex.check_evaluate, ev_rounded_half_up, "you rounded the average of the two middle values"),
    (ex.check_evaluate, ev_ceil, "you rounded the average of the two middle values"),
    (ex.check_evaluate, ev_mean, "your MED is the mean of the values"),
    (ex.check_evaluate, ev_mean_floor, "your MED is the mean of the values"),
    (ex.check_evaluate, ev_mean_rounded, "your MED is the mean of the values"),
    (ex.check_evaluate, ev_no_modulo, "your SM is the plain sum"),
    (ex.check_evaluate, ev_no_recursion, "a child can itself be a tree"),
    (ex.check_evaluate, ev_skips_subtrees, "you left out the children that are trees"),
    (ex.check_evaluate, ev_no_base_case, "a whole tree can be one leaf"),
    (ex.check_evaluate, ev_recurses_into_leaves, "a leaf is a plain int"),
    (ex.check_evaluate, ev_writes_values_into_tree, "changed its input tree"),
    (ex.check_evaluate, ev_float, "return an int"),
    (ex.check_evaluate, ev_returns_none, "returned None"),
    (ex.check_node_heights, nh_depth, "that is each node's depth"),
    (ex.check_node_heights, nh_min, "1 + the SMALLEST height of the children"),
    (ex.check_node_heights, nh_leaves_at_one, "a leaf has height 0"),
    (ex.check_node_heights, nh_negative_index, "heights[-1] in NumPy is the LAST node"),
    (ex.check_node_heights, nh_forward, "you visited the nodes first to last"),
    (ex.check_node_heights, nh_first_tree_only, "every node with parent -1 is a root"),
    (ex.check_node_heights, nh_counts_children, "node 3 has the children [4, 5]"),
    (ex.check_node_heights, nh_floats, "not integers"),
    (ex.check_node_heights, nh_marks_parents_in_place, "changed its input parents"),
    (ex.check_node_heights, nh_returns_none, "returned None"),
    (ex.check_fold_height, fh_reads_last_row, "H[-1] is the LAST row of H"),
    (ex.check_fold_height, fh_reads_row_zero, "H[-1] is the LAST row of H"),
    (ex.check_fold_height, fh_zero_input, "H[-1] is the LAST row of H"),
    (ex.check_fold_height, fh_zero_state, "the nodes with 5 children are right"),
    (ex.check_fold_height, fh_starts_from_zeros, "starts from its operator's embedding"),
    (ex.check_fold_height, fh_starts_from_digits, "starts from its operator's embedding"),
    (ex.check_fold_height, fh_child_first, "the state first and the child's vector second"),
    (ex.check_fold_height, fh_tanh_then_relu, "the ReLU and the tanh are swapped"),
    (ex.check_fold_height, fh_no_relu, "the hidden layer has no ReLU"),
    (ex.check_fold_height, fh_no_bias, "differ from those of the per-node recursion"),
    (ex.check_fold_height, fh_returns_states, "your vectors are the nodes' states s"),
    (ex.check_fold_height, fh_returns_probabilities, "your logits are the probabilities"),
    (ex.check_fold_height, fh_returns_vectors_first, "the other way round"),
    (ex.check_fold_height, fh_returns_one_array, "return two arrays, (logits, vectors)"),
    (ex.check_fold_height, fh_softmax_over_nodes, "does not normalise each node's 10 logits"),
    (ex.check_fold_height, fh_softmax_over_nodes_unshifted,
     "does not normalise each node's 10 logits"),
    (ex.check_fold_height, fh_notebook_softmax, "does not normalise each node's 10 logits"),
    (ex.check_fold_height, fh_sum_without_keepdims, "NumPy lines up the LAST axes"),
    (ex.check_fold_height, fh_mask_not_a_column, "NumPy lines up the LAST axes"),
    (ex.check_fold_height, fh_shift_by_the_global_max, "a height can have no nodes at all"),
    (ex.check_fold_height, fh_marks_missing_in_place, "changed its input children"),
    (ex.check_fold_height, fh_scales_embeddings_in_place, "changed the weight w['E']"),
    (ex.check_fold_height, fh_returns_none, "returned None"),
]


@pytest.mark.parametrize("checker, wrong, reason", WRONG, ids=[w.__name__ for _, w, _ in WRONG])
def test_plausible_wrong_answers_fail_with_a_hint_that_names_the_problem(checker, wrong, reason,
                                                                          verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out
    assert reason in out and "your code raised" not in out, out


@pytest.mark.parametrize("checker", [ex.check_evaluate, ex.check_node_heights,
                                     ex.check_fold_height])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


def test_evaluate_reference_on_the_notebook_examples():
    assert trees.evaluate(("MAX", [2, 9, ("MIN", [4, 7]), 0])) == 9
    assert trees.evaluate(("MED", [3, 1, 4, 1])) == 2                 # sorted 1 1 3 4: 1 and 3 -> 2
    assert trees.evaluate(("MED", [4, 9, 3, 0])) == 3                 # 3 and 4 -> 3.5, truncated
    assert trees.evaluate(("MED", [5, 2, 8])) == 5
    assert trees.evaluate(("SM", [7, 5, ("MAX", [3, 8]), 1])) == 1    # 21 modulo 10
    assert trees.evaluate(7) == 7


def test_evaluate_cases_make_every_named_mistake_visible():
    seen = set()
    for tree in trees.evaluate_cases():
        assert 0 <= trees.evaluate(tree) <= 9
        want = trees.evaluate(tree)
        for mistake, values in mistakes.wrong_values(tree).items():
            if any(v is not None and v != want for v in values):
                seen.add(mistake)
    assert seen == set(mistakes.VALUE_MISTAKES)
    assert any(isinstance(tree, int) for tree in trees.evaluate_cases())    # a single leaf


def test_evaluate_reference_is_the_published_median_and_the_cases_need_it():
    """MED is Nangia & Bowman's int(np.median(values)); the cases hold even MEDs where it
    differs from the lower middle, from the upper middle and from rounding."""
    rng = np.random.default_rng(0)
    for _ in range(2000):
        v = rng.integers(0, 10, rng.integers(1, 7)).tolist()
        got = trees.evaluate(("MED", v))
        assert got == int(np.median(v)) and type(got) is int
    meds = [sub[1] for tree in trees.evaluate_cases() for sub in trees.subtrees(tree)
            if sub[0] == "MED" and len(sub[1]) % 2 == 0
            and all(isinstance(c, int) for c in sub[1])]
    assert any(int(np.median(v)) != sorted(v)[(len(v) - 1) // 2] for v in meds)   # lower
    assert any(int(np.median(v)) != sorted(v)[len(v) // 2] for v in meds)         # upper
    assert any(int(np.median(v)) != round(np.median(v)) for v in meds)  # round: 3.5 -> 4


@pytest.mark.parametrize("mistake, way", [(m, j) for m, ways in mistakes.wrong_values(0).items()
                                          for j in range(len(ways))])
def test_every_way_of_a_value_mistake_is_named_by_the_checker(mistake, way, verdict):
    def wrong(tree):                      # the learner's function: exactly this way, everywhere
        return mistakes.wrong_values(tree)[mistake][way]
    result, out = verdict(ex.check_evaluate, wrong)
    assert result is False and mistakes.VALUE_MISTAKES[mistake] in out, out


def test_random_trees_have_the_depth_asked_for():
    rng = np.random.default_rng(0)
    for depth in (1, 2, 3, 5):
        tree = trees.random_tree(rng, depth)
        assert trees.heights_of(trees.parents_of(tree))[0] == depth


def test_node_heights_reference_on_the_notebook_example():
    parents = trees.parents_of(("MAX", [2, 9, ("MIN", [4, 7]), 0]))
    assert parents.tolist() == [-1, 0, 0, 0, 3, 3, 0]
    assert trees.heights_of(parents).tolist() == [2, 0, 0, 1, 0, 0, 0]
    batch = trees.batch_parents([("MIN", [4, 7]), 3, ("SM", [1, 2])])
    assert batch.tolist() == [-1, 0, 0, -1, -1, 4, 4]
    assert trees.heights_of(batch).tolist() == [1, 0, 0, 0, 1, 0, 0]


def test_height_cases_make_every_named_mistake_visible():
    seen = set()
    for parents, _ in trees.height_cases():
        assert all(p < i for i, p in enumerate(parents))         # pre-order: parent first
        want = trees.heights_of(parents)
        np.testing.assert_array_equal(want, node_heights_recursive(parents))
        for mistake, ways in mistakes.wrong_heights(parents).items():
            if any(not np.array_equal(w, want) for w in ways):
                seen.add(mistake)
    assert seen == set(mistakes.HEIGHT_MISTAKES)
    assert any((parents < 0).sum() > 1 for parents, _ in trees.height_cases())   # a batch


def _tree_rows(trees):
    """The notebook's flatten, shortened: the digits (rows 0 ..), then per height (ops,
    children rows), and each tree's root row."""
    nodes = []                                                  # (height, digit or op, kids)

    def visit(tree):
        if isinstance(tree, int):
            nodes.append((0, tree, []))
        else:
            kids = [visit(child) for child in tree[1]]
            nodes.append((1 + max(nodes[k][0] for k in kids), LISTOPS_OPS.index(tree[0]), kids))
        return len(nodes) - 1

    roots = [visit(tree) for tree in trees]
    heights = np.array([node[0] for node in nodes])
    order = np.argsort(heights, kind="stable")
    row = np.empty(len(nodes), dtype=int)
    row[order] = np.arange(len(nodes))
    levels = []
    for h in range(1, heights.max() + 1):
        at_h = [i for i in order if heights[i] == h]
        children = np.full((len(at_h), 5), -1)
        for r, i in enumerate(at_h):
            children[r, :len(nodes[i][2])] = row[nodes[i][2]]
        levels.append((np.array([nodes[i][1] for i in at_h], dtype=int), children))
    digits = np.array([nodes[i][1] for i in order if heights[i] == 0])
    return digits, levels, row[roots]


def _numpy_node(tree, w):                                       # the notebook's recursion
    if isinstance(tree, int):
        return w["E"][tree], []
    op, children = tree
    s, logits = w["O"][LISTOPS_OPS.index(op)], []
    for child in children:
        x, child_logits = _numpy_node(child, w)
        logits += child_logits
        hidden = np.maximum(0, np.concatenate([s, x]) @ w["W1"] + w["b1"])
        s = np.tanh(hidden @ w["W2"] + w["b2"])
    z = s @ w["Wv"] + w["bv"]
    return _node_softmax(z) @ w["E"], logits + [z]


def test_fold_height_reference_is_the_per_node_recursion():
    for H, ops, children, w, _ in trees.fold_cases():
        for got, want in zip(trees.fold_height(H, ops, children, w),
                             fold_height_node_by_node(H, ops, children, w)):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    rng = np.random.default_rng(3)                              # whole trees, height by height
    w = trees.fold_weights(rng)
    forest = [trees.random_tree(rng, depth, max_args=5) for depth in (1, 3, 2, 4)]
    digits, levels, roots = _tree_rows(forest)
    H, logits = w["E"][digits], [np.zeros((len(digits), 10))]
    for ops, children in levels:
        z, vectors = trees.fold_height(H, ops, children, w)
        H, logits = np.concatenate([H, vectors]), logits + [z]
    every_node = np.concatenate(logits)
    for tree, root in zip(forest, roots):
        np.testing.assert_allclose(every_node[root], _numpy_node(tree, w)[1][-1], atol=1e-12)


def test_fold_cases_make_every_named_mistake_visible_and_tell_them_apart():
    cases = trees.fold_cases()
    ways = [(m, j) for m, k in mistakes.FOLD_WAYS.items() for j in range(k)]
    outputs = {way: [] for way in ways}                         # per way, per case
    seen = set()
    for H, ops, children, w, _ in cases:
        want = trees.fold_height(H, ops, children, w)
        wrong = mistakes.wrong_folds(H, ops, children, w)
        for m, j in ways:
            outputs[m, j].append(wrong[m][j])
            if wrong[m][j] is not None and not ex._same(wrong[m][j], want):
                seen.add(m)
    assert seen == set(mistakes.FOLD_MISTAKES) == set(mistakes.FOLD_WAYS)
    for a in ways:                          # two mistakes never give the same answers throughout
        for b in ways:
            if a[0] != b[0]:
                assert any((x is None) != (y is None)      # one raises, the other not
                           or (x is not None and y is not None and not ex._same(x, y))
                           for x, y in zip(outputs[a], outputs[b])), (a, b)


def test_fold_cases_cover_what_the_statement_promises():
    cases = trees.fold_cases()
    sizes = [len(ops) for _, ops, _, _, _ in cases]
    d = cases[0][3]["O"].shape[1]
    assert 0 in sizes and 1 in sizes and not {d, 10} & set(sizes)
    counts = np.concatenate([(children >= 0).sum(axis=1) for _, _, children, _, _ in cases])
    assert set(counts) == {2, 3, 4, 5}
    for H, ops, children, w, _ in cases:
        assert children.shape == (len(ops), 5) and ops.dtype.kind == "i"
        assert all((row[:k] >= 0).all() and (row[k:] == -1).all()     # filled left to right
                   for row, k in zip(children, (children >= 0).sum(axis=1)))
        assert children.max(initial=-1) < len(H) and set(w) == {"E", "O", "W1", "b1", "W2",
                                                                 "b2", "Wv", "bv"}
    assert any((children == len(H) - 1).any() and (children == 0).any()   # rows anywhere
               for H, _, children, _, _ in cases)
    z, vectors = trees.fold_height(*cases[-1][:4])              # the empty height
    assert z.shape == (0, 10) and vectors.shape == (0, d)


# --- 13.4 a child-sum Tree-LSTM node ---------------------------------------------------------

def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def child_sum_node(x, hs, cs, w):                       # the worked solution, written afresh
    h_sum = hs.sum(axis=0)
    i = _sigmoid(x @ w["Wi"] + h_sum @ w["Ui"] + w["bi"])
    o = _sigmoid(x @ w["Wo"] + h_sum @ w["Uo"] + w["bo"])
    u = np.tanh(x @ w["Wu"] + h_sum @ w["Uu"] + w["bu"])
    f = _sigmoid(x @ w["Wf"] + hs @ w["Uf"] + w["bf"])
    c = i * u + (f * cs).sum(axis=0)
    return o * np.tanh(c), c


def child_sum_loop(x, hs, cs, w):                       # a Python loop over children: also right
    h_sum, c = np.zeros(w["Ui"].shape[0]), 0
    for h_k in hs:
        h_sum = h_sum + h_k
    gates = {g: x @ w[f"W{g}"] + h_sum @ w[f"U{g}"] + w[f"b{g}"] for g in "iou"}
    c = _sigmoid(gates["i"]) * np.tanh(gates["u"])
    for h_k, c_k in zip(hs, cs):
        c = c + _sigmoid(x @ w["Wf"] + h_k @ w["Uf"] + w["bf"]) * c_k
    return _sigmoid(gates["o"]) * np.tanh(c), c


def test_child_sum_node_passes_solutions(verdict):
    for attempt in (child_sum_node, child_sum_loop):
        passed, out = verdict(ex.check_child_sum_node, attempt)
        assert passed and "✓ Exercise 13.4" in out


def test_child_sum_node_nudges_before_an_attempt(verdict):
    passed, out = verdict(ex.check_child_sum_node, not_attempted)
    assert not passed and "not attempted yet" in out


@pytest.mark.parametrize("name", sorted(tree_lstm.MISTAKES))
def test_child_sum_node_names_each_mistake(verdict, name):
    def attempt(x, hs, cs, w):
        return tree_lstm.child_sum_node(x, hs, cs, w, mistake=name)
    passed, out = verdict(ex.check_child_sum_node, attempt)
    assert not passed and tree_lstm.MISTAKES[name] in out


def test_child_sum_node_rejects_other_wrong_answers(verdict):
    def stacked(x, hs, cs, w):          # np.stack of no children raises on a leaf
        return child_sum_node(x, np.stack(list(hs)), np.stack(list(cs)), w)

    def in_place(x, hs, cs, w):
        h, c = child_sum_node(x, hs, cs, w)
        cs *= 0
        return h, c

    def swapped(x, hs, cs, w):
        h, c = child_sum_node(x, hs, cs, w)
        return c, h

    for attempt, says in ((stacked, "raised ValueError"), (in_place, "changed its inputs"),
                          (swapped, "differs"), (lambda *a: child_sum_node(*a)[0], "tuple")):
        passed, out = verdict(ex.check_child_sum_node, attempt)
        assert not passed and says in out, out


def test_child_sum_cases_include_a_leaf_and_differ_from_each_mistake():
    cases = tree_lstm.cases()
    assert sorted(len(hs) for _, hs, _, _ in cases) == [0, 1, 2, 3]
    for name in tree_lstm.MISTAKES:        # every mistake shows on some case
        assert any(not np.allclose(a, b) for x, hs, cs, w in cases
                   for a, b in zip(tree_lstm.child_sum_node(x, hs, cs, w),
                                   tree_lstm.child_sum_node(x, hs, cs, w, mistake=name)))
