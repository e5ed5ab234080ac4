"""Checkers for the exercises of notebook 13 (recursive networks over ListOps trees).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `course_utils/exercises.py` has the shared `check`.

A tree is what the notebook's parser gives for an expression such as "[MAX 2 9 [MIN 4 7 ] 0 ]":
nested tuples (op, [children...]) with the digits as Python ints, ("MAX", [2, 9, ("MIN", [4,
7]), 0]). The reference evaluator is written out here, so that the checkers stand on their own.
"""
import copy

import numpy as np

from course_utils.exercises import check
from course_utils.synthetic import LISTOPS_APPLY, LISTOPS_OPS

# the course's ListOps operators (MED the lower middle: [3, 1, 4, 1] -> sorted 1 1 3 4 -> 1)
_OPS, _APPLY = LISTOPS_OPS, LISTOPS_APPLY


def _evaluate(tree, apply=None, skip_subtrees=False):
    """The value of a tree, children first; `apply` replaces some operators and skip_subtrees
    leaves out the children that are trees (what a named mistake computes)."""
    ops = dict(_APPLY, **(apply or {}))

    def value(node):
        if not isinstance(node, tuple):
            return node
        op, children = node
        if skip_subtrees:
            children = [child for child in children if not isinstance(child, tuple)]
        return ops[op]([value(child) for child in children])

    return value(tree)


def _random_tree(rng, depth, max_args=4, p_branch=0.3):
    """A ListOps-like tree of exactly `depth` levels of operators: 2..max_args arguments, one of
    them a tree one level shallower, each other one a shallower tree with probability p_branch,
    else a digit."""
    op = _OPS[int(rng.integers(len(_OPS)))]
    n_args = int(rng.integers(2, max_args + 1))
    deepest = int(rng.integers(n_args))
    children = []
    for i in range(n_args):
        if depth > 1 and i == deepest:
            children.append(_random_tree(rng, depth - 1, max_args, p_branch))
        elif depth > 1 and rng.random() < p_branch:
            children.append(_random_tree(rng, int(rng.integers(1, depth)), max_args, p_branch))
        else:
            children.append(int(rng.integers(10)))
    return (op, children)


def _subtrees(tree):
    """Every subtree that is an operator node, children before their parent (post-order)."""
    if not isinstance(tree, tuple):
        return []
    return [sub for child in tree[1] for sub in _subtrees(child)] + [tree]


# --- 13.1 evaluating a tree, children first --------------------------------------------------

def _wrong_values(tree):
    """{mistake: [the value that each way of making it computes]}, None for a way that cannot
    evaluate this tree (e.g. max of no values)."""
    ways = {
        "upper": [dict(apply={"MED": lambda v: sorted(v)[len(v) // 2]})],
        "unsorted": [dict(apply={"MED": lambda v: v[(len(v) - 1) // 2]}),
                     dict(apply={"MED": lambda v: v[len(v) // 2]})],
        "np_median": [dict(apply={"MED": lambda v: float(np.median(v))}),
                      dict(apply={"MED": lambda v: int(np.median(v))}),
                      dict(apply={"MED": lambda v: int(round(float(np.median(v))))})],
        "mean": [dict(apply={"MED": lambda v: sum(v) / len(v)}),
                 dict(apply={"MED": lambda v: sum(v) // len(v)}),
                 dict(apply={"MED": lambda v: round(sum(v) / len(v))})],
        "no_modulo": [dict(apply={"SM": sum})],
        "skip_subtrees": [dict(skip_subtrees=True)],
    }
    wrong = {}
    for mistake, kwargs in ways.items():
        wrong[mistake] = []
        for kw in kwargs:
            try:
                wrong[mistake].append(_evaluate(tree, **kw))
            except (ValueError, ZeroDivisionError):
                wrong[mistake].append(None)
    return wrong


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _shown(value):
    """repr of a value, NumPy scalars as the Python number they hold: 7.0, not np.float64(7.0)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _equal(got, value):
    return _is_number(got) and abs(float(got) - float(value)) < 1e-9


def _explain(node):
    """One node's computation from its children's values: "MED of [3, 1, 4, 1]: ..."."""
    op, children = node
    values = [_evaluate(child) for child in children]
    if op == "MED":
        lower = " lower" if len(values) % 2 == 0 else ""
        return (f"{op} of {values}: sorted {sorted(values)}, the{lower} middle is "
                f"{_APPLY['MED'](values)}")
    if op == "SM":
        return f"{op} of {values}: the sum {sum(values)} modulo 10 is {sum(values) % 10}"
    return f"{op} of {values} is {_APPLY[op](values)}"


def _evaluate_cases():
    """Trees: the notebook's example; an even MED whose lower and upper middles differ and
    whose mean is not a whole number; an SM whose sum is 10 or more, with a subtree among its
    arguments; a MED that only sorting gets right; a deep tree with every operator; two even
    MEDs that tell np.median (rounded or not) from the mean (rounded or not); random trees; and
    a tree that is a single leaf."""
    rng = np.random.default_rng(13)
    return ([("MAX", [2, 9, ("MIN", [4, 7]), 0]),
             ("MED", [3, 1, 4, 1]),
             ("SM", [7, 5, ("MAX", [3, 8]), 1]),
             ("MIN", [("MED", [5, 2, 8]), ("SM", [9, 9]), 6]),
             ("MED", [("MAX", [1, ("MIN", [6, ("SM", [4, 4, 5])])]), 9, 2, ("MIN", [8, 9]), 7,
                      0]),
             ("MAX", [("MED", [9, 2, 6, 8]), 1]),
             ("SM", [("MED", [0, 1, 2, 9]), 4])]
            + [_random_tree(rng, depth) for depth in (2, 3, 3, 4, 4, 5)]
            + [7])


_VALUE_MISTAKES = {
    "upper": "your MED takes the upper middle of an even count. ListOps' MED is the lower "
             "middle: [MED 3 1 4 1] sorts to 1 1 3 4, and its value is 1, not 3; "
             "sorted(values)[(len(values) - 1) // 2].",
    "unsorted": "your MED takes the middle value in the order the children come, unsorted. "
                "The median is the middle of the SORTED values: sorted(values)[(len(values) - "
                "1) // 2].",
    "np_median": "np.median averages the two middle values of an even count (and returns a "
                 "float): [MED 3 1 4 1] would be 2.0. ListOps' MED is the lower middle of the "
                 "sorted values, one of the values: sorted(values)[(len(values) - 1) // 2].",
    "mean": "your MED is the mean of the values (or the mean rounded), not the median. The "
            "median is the middle of the sorted values, the lower middle for an even count: "
            "sorted(values)[(len(values) - 1) // 2].",
    "no_modulo": "your SM is the plain sum. SM is the sum modulo 10, sum(values) % 10, so that "
                 "every value stays a digit 0-9, one of the 10 classes.",
    "skip_subtrees": "you left out the children that are trees. A subtree such as ('MAX', [3, "
                     "8]) is an argument of its parent like any digit: evaluate it first, "
                     "evaluate(child), and use its value.",
}


def check_evaluate(evaluate):
    """Exercise 13.1: evaluate(tree) -> the int value of a ListOps tree, nested tuples (op,
    [children...]) with digits as ints, MAX, MIN, MED (the lower middle of an even count) and
    SM (the sum modulo 10); a single leaf is its own value; the tree unchanged."""
    def test(fn):
        # A value is a digit, so one wrong value can match a named mistake by chance: a mistake
        # is named only if it gives every value, the right ones too, and is the only one.
        alive = {(m, j) for m, ways in _wrong_values(0).items() for j in range(len(ways))}
        pending = None              # the first wrong value: (tree, call, got, want)
        not_int = None              # the first right value that is not an int
        for tree in _evaluate_cases():
            call = f"evaluate({tree!r})"
            before = copy.deepcopy(tree)
            try:
                got = fn(tree)
            except Exception as err:
                if pending:             # a wrong value came first; does a mistake fail here too?
                    wrong = _wrong_values(tree)
                    alive = {(m, j) for m, j in alive if wrong[m][j] is None}
                    continue
                if not isinstance(err, (TypeError, RecursionError)):
                    raise
                if isinstance(err, RecursionError):
                    raise AssertionError(
                        f"{call} raised RecursionError: the recursion never stops. A leaf, a "
                        f"plain int, is the base case: return it as it is, without a recursive "
                        f"call.") from None
                if "tuple" in str(err):
                    raise AssertionError(
                        f"{call} raised TypeError ({err}): a child can itself be a tree, a "
                        f"tuple (op, children) such as ('MIN', [4, 7]), not a number. Evaluate "
                        f"each child first with a recursive call, evaluate(child), then combine "
                        f"the children's values.") from None
                if "'int' object" in str(err) or "non-iterable int" in str(err):
                    raise AssertionError(
                        f"{call} raised TypeError ({err}): a leaf is a plain int, not a tuple "
                        f"(op, children), and a whole tree can be one leaf. That is where the "
                        f"recursion stops: if isinstance(tree, int): return tree.") from None
                raise
            assert tree == before, (
                f"{call} changed its input tree (now {tree!r}): writing into the tree's lists, "
                f"children[i] = ... or children.sort(), changes the caller's tree, and the "
                f"network reads the same tree again. Collect the values in a new list, values "
                f"= [evaluate(child) for child in children], and sort with sorted(values).")
            assert got is not None, (
                f"{call} returned None: return the value; in a recursive function, every "
                f"branch, the leaf too, must return.")
            want = _evaluate(tree)
            wrong = _wrong_values(tree)
            alive = {(m, j) for m, j in alive if wrong[m][j] is not None
                     and _equal(got, wrong[m][j])}
            if _equal(got, want):
                if not isinstance(got, (int, np.integer)) or isinstance(got, bool):
                    not_int = not_int or (call, got)     # a named mistake may explain it
                continue
            if not isinstance(tree, tuple):
                raise AssertionError(
                    f"{call} returned {_shown(got)}: a tree can be a single leaf, a plain int, "
                    f"and its value is the leaf itself. That is the base case: "
                    f"if isinstance(tree, int): return tree.")
            pending = pending or (tree, call, got, want)
        if pending:
            tree, call, got, want = pending
            named = {m for m, _ in alive}
            if len(named) == 1:
                raise AssertionError(f"{call} returned {_shown(got)}, expected {want}: "
                                     f"{_VALUE_MISTAKES[named.pop()]}")
            for sub in _subtrees(tree):       # children first: the first wrong node is the bug
                try:
                    value = fn(copy.deepcopy(sub))
                except Exception as err:
                    raise AssertionError(
                        f"{call} returned {_shown(got)}, expected {want}; and "
                        f"evaluate({sub!r}) raised {type(err).__name__} ({err}).") from None
                if not _equal(value, _evaluate(sub)) and sub is tree:
                    raise AssertionError(
                        f"{call} returned {_shown(got)}, expected {want}: the values of its "
                        f"children are right, but {_explain(sub)}.")
                if not _equal(value, _evaluate(sub)):
                    raise AssertionError(
                        f"{call} returned {_shown(got)}, expected {want}. The first node that "
                        f"goes wrong, children first: evaluate({sub!r}) returned "
                        f"{_shown(value)}, but {_explain(sub)}.")
            raise AssertionError(f"{call} returned {_shown(got)}, expected {want}.")
        if not_int:
            call, got = not_int
            raise AssertionError(
                f"{call} returned {_shown(got)}, a {type(got).__name__}: return an int, the "
                f"value is a digit 0-9, one of the 10 classes the network predicts.")

    return check("Exercise 13.1", evaluate, test,
                 "a leaf, an int, is its own value. For a node (op, children), what must you know about every child before you can apply op? Which function gives you a child's value?",
                 "if isinstance(tree, int): return tree. Else op, children = tree; values = "
                 "[evaluate(child) for child in children] (children first); then MAX: "
                 "max(values), MIN: min(values), MED: sorted(values)[(len(values) - 1) // 2], "
                 "SM: sum(values) % 10. Do not sort the tree's own lists.")


# --- 13.2 node heights, the schedule of a batched tree network -------------------------------

def _parents(tree):
    """The tree as an array: nodes numbered in pre-order, parents[i] the parent of node i, -1
    for the root."""
    parents = []

    def visit(node, parent):
        index = len(parents)
        parents.append(parent)
        if isinstance(node, tuple):
            for child in node[1]:
                visit(child, index)

    visit(tree, -1)
    return np.array(parents)


def _batch(trees):
    """Several trees, one after the other: each keeps parent -1 at its root, and the others are
    shifted by the nodes before it."""
    out, offset = [], 0
    for tree in trees:
        parents = _parents(tree)
        out.append(np.where(parents >= 0, parents + offset, -1))
        offset += len(parents)
    return np.concatenate(out)


def _children(parents):
    kids = [[] for _ in parents]
    for i, p in enumerate(parents):
        if p >= 0:
            kids[p].append(i)
    return kids


def _heights(parents, combine=max, guard=True, backward=True):
    """0 for a leaf, 1 + max of the children's heights otherwise: from the last node to the
    first, since in pre-order a node's descendants all come after it. combine=min,
    guard=False (parents[i] = -1 updating heights[-1]) and backward=False (the first node
    first) are named mistakes."""
    parents = np.asarray(parents)
    if combine is not max:
        kids = _children(parents)
        heights = np.zeros(len(parents), dtype=int)
        for i in range(len(parents) - 1, -1, -1):
            if kids[i]:
                heights[i] = 1 + combine(heights[kids[i]])
        return heights
    heights = np.zeros(len(parents), dtype=int)
    order = range(len(parents) - 1, -1, -1) if backward else range(len(parents))
    for i in order:
        p = parents[i]
        if p >= 0 or not guard:
            heights[p] = max(heights[p], heights[i] + 1)
    return heights


def _depths(parents):
    depths = np.zeros(len(parents), dtype=int)
    for i, p in enumerate(parents):
        depths[i] = 0 if p < 0 else depths[p] + 1
    return depths


def _wrong_heights(parents):
    """{mistake: [the heights that each way of making it computes]}."""
    parents = np.asarray(parents)
    right = _heights(parents)
    roots = np.flatnonzero(parents < 0)
    end = roots[1] if len(roots) > 1 else len(parents)     # where the second tree starts
    first = np.zeros(len(parents), dtype=int)
    first[:end] = _heights(parents[:end])
    return {
        "depth": [_depths(parents)],
        "min": [_heights(parents, combine=min)],
        "leaves_one": [right + 1],
        "negative_index": [_heights(parents, guard=False)],
        "forward": [_heights(parents, backward=False)],
        "first_tree": [first],
    }


_EXAMPLE = ("MAX", [2, 9, ("MIN", [4, 7]), 0])
_TALL = ("MED", [("SM", [1, ("MAX", [2, 3])]), 4, ("MIN", [5, 6]), 7])
_UNEVEN = ("MAX", [("MIN", [1, ("SM", [2, 3])]), ("MED", [4, 5])])


def _height_cases():
    """(parents, what): the notebook's example; children of different heights under one node;
    subtrees that are not leaves and not of one height (1 + min differs from 1 + max, and
    visiting the nodes first to last gets them wrong); a single leaf; a batch of trees, the
    first not the tallest; a random batch."""
    rng = np.random.default_rng(13)
    return [(_parents(_EXAMPLE), "the tree [MAX 2 9 [MIN 4 7 ] 0 ]"),
            (_parents(_TALL), "the tree [MED [SM 1 [MAX 2 3 ] ] 4 [MIN 5 6 ] 7 ]"),
            (_parents(_UNEVEN), "the tree [MAX [MIN 1 [SM 2 3 ] ] [MED 4 5 ] ]"),
            (_parents(7), "the tree 7, a single leaf"),
            (_batch([_EXAMPLE, _TALL, ("SM", [("MAX", [1, 2]), 3])]), "a batch of 3 trees"),
            (_batch([_random_tree(rng, depth) for depth in (3, 1, 5, 4)]),
             "a batch of 4 random trees")]


_HEIGHT_MISTAKES = {
    "depth": "that is each node's depth, its distance from the root (0 at the root). The height "
             "counts the other way, from the bottom: 0 for a leaf, 1 + the largest height of "
             "the children otherwise, so the root is the tallest node.",
    "min": "your height is 1 + the SMALLEST height of the children. A node can only be "
           "computed after all its children, so it must wait for the slowest: 1 + max.",
    "leaves_one": "your heights are all one too large: a leaf has height 0 (it is ready from "
                  "the start, its embedding needs no children), and a node is 1 + the largest "
                  "height of its children.",
    "negative_index": "parents[i] = -1 for a root, and heights[-1] in NumPy is the LAST node: "
                      "your root updated the last node's height. Skip the roots: "
                      "if parents[i] >= 0.",
    "forward": "you visited the nodes first to last, but in pre-order a node comes before its "
               "children, so when node i passes its height to its parent, its own height is "
               "not known yet. Go from the last node to the first: range(M - 1, -1, -1).",
    "first_tree": "only the first tree is right: in a batch, every node with parent -1 is a "
                  "root, not only node 0, and each tree's heights are computed alike.",
}


def _show_parents(parents, what):
    if len(parents) <= 30:
        return f"node_heights({parents.tolist()}) ({what})"
    return f"node_heights(parents of {what}, {len(parents)} nodes)"


def check_node_heights(node_heights):
    """Exercise 13.2: node_heights(parents (M,) ints, nodes in pre-order, -1 for a root; several
    trees one after the other allowed) -> heights (M,) ints, 0 for a leaf, 1 + the largest
    height of the children otherwise; parents unchanged."""
    def test(fn):
        alive = set(_HEIGHT_MISTAKES)   # the named mistakes that give every answer so far
        pending = None                  # the first wrong answer
        floats = None                   # the first right answer that is not integers
        for parents, what in _height_cases():
            call = _show_parents(parents, what)
            parents = parents.copy()
            before = parents.copy()
            got = fn(parents)
            assert np.array_equal(parents, before), (
                f"{call} changed its input parents: the notebook still needs them to gather "
                f"each node's children. Read parents, write only into your own heights array.")
            assert got is not None, f"{call} returned None: return the heights."
            got = np.asarray(got)
            assert got.dtype == bool or np.issubdtype(got.dtype, np.number), (
                f"{call} returned an array of {got.dtype}, expected integers.")
            want = _heights(parents)
            assert got.shape == want.shape, (
                f"{call} returned shape {got.shape}, expected (M,) = {want.shape}: one height "
                f"per node, in the nodes' order.")
            values = got.astype(float)
            wrong = _wrong_heights(parents)
            alive = {m for m in alive if any(np.array_equal(values, w) for w in wrong[m])}
            if np.array_equal(values, want):
                if not np.issubdtype(got.dtype, np.integer):
                    floats = floats or (call, got)
                continue
            pending = pending or (parents, call, got)
        if pending:
            parents, call, got = pending
            shown = f"{call} is {got.tolist()}, expected {_heights(parents).tolist()}"
            if len(alive) == 1:
                raise AssertionError(f"{shown}: {_HEIGHT_MISTAKES[alive.pop()]}")
            kids = _children(parents)
            for i in range(len(parents) - 1, -1, -1):     # children first: the first wrong node
                expected = 1 + max(got[kids[i]]) if kids[i] else 0
                if got[i] != expected:
                    if not kids[i]:
                        raise AssertionError(
                            f"{shown}: node {i} is a leaf (no node has parent {i}), so its "
                            f"height is 0, not {got[i]}.")
                    raise AssertionError(
                        f"{shown}: node {i} has the children {kids[i]}, of heights "
                        f"{got[kids[i]].tolist()} in your answer, so its height is 1 + "
                        f"{expected - 1} = {expected}, not {got[i]}.")
        if floats:
            call, got = floats
            raise AssertionError(
                f"{call}: the heights are right, but {got.dtype}, not integers (np.zeros(M) "
                f"makes floats): the notebook counts the steps with them, "
                f"range(heights.max() + 1). Use np.zeros(M, dtype=int).")

    return check("Exercise 13.2", node_heights, test,
                 "a leaf is a node that no other node names as its parent, and a node's height needs all its children's heights first. In pre-order, do a node's children come before or after it?",
                 "heights = np.zeros(len(parents), dtype=int); for i in range(len(parents) - 1, "
                 "-1, -1) (children come after their parent, so go backwards): p = parents[i]; "
                 "if p >= 0 (a root has no parent; heights[-1] is the last node): heights[p] = "
                 "max(heights[p], heights[i] + 1). Return heights.")
