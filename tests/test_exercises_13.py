"""Notebook 13's exercise checkers: the reference solutions pass, plausible wrong answers fail."""
import statistics

import numpy as np
import pytest

from course_utils import exercises_13 as ex
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
        return sorted(values)[(len(values) - 1) // 2]
    return sum(values) % 10


OPS = {"MAX": max, "MIN": min, "MED": statistics.median_low, "SM": lambda v: sum(v) % 10}


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
            values[id(node)] = int(np.sort(got)[(len(got) - 1) // 2]) if op == "MED" else (
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
        return ex._APPLY[op](values)
    fn.__name__ = name
    return fn


ev_upper_middle = _evaluate_with("ev_upper_middle", med=lambda v: sorted(v)[len(v) // 2])
ev_unsorted = _evaluate_with("ev_unsorted", med=lambda v: v[(len(v) - 1) // 2])
ev_unsorted_upper = _evaluate_with("ev_unsorted_upper", med=lambda v: v[len(v) // 2])
ev_np_median = _evaluate_with("ev_np_median", med=lambda v: np.median(v))
ev_np_median_int = _evaluate_with("ev_np_median_int", med=lambda v: int(np.median(v)))
ev_mean = _evaluate_with("ev_mean", med=lambda v: sum(v) / len(v))
ev_mean_floor = _evaluate_with("ev_mean_floor", med=lambda v: sum(v) // len(v))
ev_mean_rounded = _evaluate_with("ev_mean_rounded", med=lambda v: round(sum(v) / len(v)))
ev_no_modulo = _evaluate_with("ev_no_modulo", sm=sum)
ev_float = _evaluate_with("ev_float", sm=lambda v: float(sum(v) % 10))


def ev_no_recursion(tree):
    if isinstance(tree, int):
        return tree
    op, values = tree                                           # the children taken as values
    return ex._APPLY[op](values)


def ev_skips_subtrees(tree):
    if isinstance(tree, int):
        return tree
    op, children = tree
    return ex._APPLY[op]([c for c in children if isinstance(c, int)])


def ev_no_base_case(tree):
    op, children = tree
    values = [child if isinstance(child, int) else ev_no_base_case(child) for child in children]
    return ex._APPLY[op](values)


def ev_recurses_into_leaves(tree):
    op, children = tree
    return ex._APPLY[op]([ev_recurses_into_leaves(child) for child in children])


def ev_writes_values_into_tree(tree):
    if isinstance(tree, int):
        return tree
    op, children = tree
    for i, child in enumerate(children):
        children[i] = ev_writes_values_into_tree(child)         # replaces subtrees by values
    return ex._APPLY[op](children)


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


# --- tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, solution", [
    (ex.check_evaluate, evaluate),
    (ex.check_evaluate, evaluate_table),
    (ex.check_evaluate, evaluate_stack),
    (ex.check_node_heights, node_heights),
    (ex.check_node_heights, node_heights_recursive),
    (ex.check_node_heights, node_heights_by_levels),
])
def test_reference_solutions_pass(checker, solution, verdict):
    result, out = verdict(checker, solution)
    assert result is True and out.startswith("✓"), out


WRONG = [
    (ex.check_evaluate, ev_upper_middle, "your MED takes the upper middle"),
    (ex.check_evaluate, ev_unsorted, "unsorted"),
    (ex.check_evaluate, ev_unsorted_upper, "unsorted"),
    (ex.check_evaluate, ev_np_median, "np.median averages the two middle values"),
    (ex.check_evaluate, ev_np_median_int, "np.median averages the two middle values"),
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
]


@pytest.mark.parametrize("checker, wrong, reason", WRONG, ids=[w.__name__ for _, w, _ in WRONG])
def test_plausible_wrong_answers_fail_with_a_hint_that_names_the_problem(checker, wrong, reason,
                                                                          verdict):
    result, out = verdict(checker, wrong)
    assert result is False
    assert out.startswith("✗") and "Hint:" in out, out
    assert reason in out and "your code raised" not in out, out


@pytest.mark.parametrize("checker", [ex.check_evaluate, ex.check_node_heights])
def test_stub_is_not_attempted(checker, verdict):
    result, out = verdict(checker, not_attempted)
    assert result is False and out.startswith("○") and "Hint:" not in out


def test_evaluate_reference_on_the_notebook_examples():
    assert ex._evaluate(("MAX", [2, 9, ("MIN", [4, 7]), 0])) == 9
    assert ex._evaluate(("MED", [3, 1, 4, 1])) == 1                 # sorted 1 1 3 4: lower middle
    assert ex._evaluate(("MED", [5, 2, 8])) == 5
    assert ex._evaluate(("SM", [7, 5, ("MAX", [3, 8]), 1])) == 1    # 21 modulo 10
    assert ex._evaluate(7) == 7


def test_evaluate_cases_make_every_named_mistake_visible():
    seen = set()
    for tree in ex._evaluate_cases():
        assert 0 <= ex._evaluate(tree) <= 9
        want = ex._evaluate(tree)
        for mistake, values in ex._wrong_values(tree).items():
            if any(v is not None and v != want for v in values):
                seen.add(mistake)
    assert seen == set(ex._VALUE_MISTAKES)
    assert any(isinstance(tree, int) for tree in ex._evaluate_cases())    # a single leaf


def test_random_trees_have_the_depth_asked_for():
    rng = np.random.default_rng(0)
    for depth in (1, 2, 3, 5):
        tree = ex._random_tree(rng, depth)
        assert ex._heights(ex._parents(tree))[0] == depth


def test_node_heights_reference_on_the_notebook_example():
    parents = ex._parents(("MAX", [2, 9, ("MIN", [4, 7]), 0]))
    assert parents.tolist() == [-1, 0, 0, 0, 3, 3, 0]
    assert ex._heights(parents).tolist() == [2, 0, 0, 1, 0, 0, 0]
    batch = ex._batch([("MIN", [4, 7]), 3, ("SM", [1, 2])])
    assert batch.tolist() == [-1, 0, 0, -1, -1, 4, 4]
    assert ex._heights(batch).tolist() == [1, 0, 0, 0, 1, 0, 0]


def test_height_cases_make_every_named_mistake_visible():
    seen = set()
    for parents, _ in ex._height_cases():
        assert all(p < i for i, p in enumerate(parents))         # pre-order: parent first
        want = ex._heights(parents)
        np.testing.assert_array_equal(want, node_heights_recursive(parents))
        for mistake, ways in ex._wrong_heights(parents).items():
            if any(not np.array_equal(w, want) for w in ways):
                seen.add(mistake)
    assert seen == set(ex._HEIGHT_MISTAKES)
    assert any((parents < 0).sum() > 1 for parents, _ in ex._height_cases())   # a batch
