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


# --- 13.3 one height at once, in NumPy -------------------------------------------------------

_SLOTS = 5                          # children per node at most: the columns of `children`


def _softmax_rows(z):
    """Each row's softmax: every node's probabilities over the 10 digits, on their own."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _fold_height(H, ops, children, w, mistake=None, way=0):
    """(logits (n, 10), vectors (n, D)) of the n nodes of one height, all at once; or what the
    way number `way` of making a named mistake computes."""
    n, d = len(ops), w["O"].shape[1]
    if mistake == "wrong_start":                      # zeros, or the digit embeddings
        s = np.zeros((n, d)) if way == 0 else w["E"][ops]
    else:
        s = w["O"][ops]
    for j in range(children.shape[1]):
        has = children[:, j] >= 0
        if mistake == "no_keep" and way == 0:          # -1 reads the last row of H
            x = H[children[:, j]]
        elif mistake == "no_keep" and way == 2:        # a zero vector for a missing child
            x = np.where(has[:, None], H[np.maximum(children[:, j], 0)], 0.0)
        else:                                          # row 0 for a missing child
            x = H[np.maximum(children[:, j], 0)]
        pair = [x, s] if mistake == "concat_order" else [s, x]
        a = np.concatenate(pair, axis=1) @ w["W1"] + w["b1"]
        if mistake == "no_relu":
            folded = np.tanh(a @ w["W2"] + w["b2"])
        elif mistake == "swapped":
            folded = np.maximum(0, np.tanh(a) @ w["W2"] + w["b2"])
        else:
            folded = np.tanh(np.maximum(0, a) @ w["W2"] + w["b2"])
        s = folded if mistake == "no_keep" else np.where(has[:, None], folded, s)
    z = s @ w["Wv"] + w["bv"]
    if mistake == "softmax_axis":       # over the nodes (axis 0) or over every entry, each
        axis = 0 if way < 2 else None   # with and without subtracting the max first
        e = np.exp(z - z.max(axis=axis, keepdims=True) if way % 2 == 0 else z)
        p = e / e.sum(axis=axis, keepdims=True)
    else:
        p = _softmax_rows(z)
    if mistake == "returns_state":
        return z, s
    if mistake == "probabilities":
        return p, p @ w["E"]
    return z, p @ w["E"]


_FOLD_WAYS = {"no_keep": 3, "wrong_start": 2, "concat_order": 1, "swapped": 1, "no_relu": 1,
              "returns_state": 1, "softmax_axis": 4, "probabilities": 1}


def _wrong_folds(H, ops, children, w):
    """{mistake: [(logits, vectors) for each way of making it]}, None for a way that raises on
    this height (a softmax over an axis of length 0)."""
    wrong = {}
    for mistake, ways in _FOLD_WAYS.items():
        wrong[mistake] = []
        for way in range(ways):
            try:
                with np.errstate(all="ignore"):
                    wrong[mistake].append(_fold_height(H, ops, children, w, mistake, way))
            except ValueError:
                wrong[mistake].append(None)
    return wrong


def _fold_weights(rng, d=6, hidden=8):
    """The weights of the notebook's tree network, small and float64."""
    return {"E": rng.normal(0, 1, (10, d)), "O": rng.normal(0, 1, (len(_OPS), d)),
            "W1": rng.normal(0, 0.5, (2 * d, hidden)), "b1": rng.normal(0, 0.3, hidden),
            "W2": rng.normal(0, 0.5, (hidden, d)), "b2": rng.normal(0, 0.3, d),
            "Wv": rng.normal(0, 1, (d, 10)), "bv": rng.normal(0, 0.3, 10)}


def _random_height(rng, n, rows, d):
    """n nodes, 2 to 5 children each (every count once at least when n >= 4, in a mixed
    order), their rows anywhere in an H of `rows` rows."""
    counts = rng.permutation(np.resize([2, 5, 3, 4], n)) if n else np.zeros(0, dtype=int)
    children = np.full((n, _SLOTS), -1, dtype=np.int32)
    for i, count in enumerate(counts):
        children[i, :count] = rng.integers(0, rows, count)
    return (rng.normal(0, 1, (rows, d)), rng.integers(0, len(_OPS), n).astype(np.int32),
            children)


def _fold_cases():
    """(H, ops, children, w, what): the notebook's example tree, height 1 then height 2 (one
    node each, H the digits' embeddings and then the MIN node's vector); 4 nodes with 2, 5, 3
    and 4 children, rows anywhere in H, the first and the last among them, one row twice;
    random heights of 9 and 13 nodes; an empty height. No n equals D or 10, where a
    broadcasting mistake could pass unnoticed."""
    rng = np.random.default_rng(133)
    w = _fold_weights(rng)
    d = w["O"].shape[1]
    digits = w["E"][[2, 9, 4, 7, 0]]                  # [MAX 2 9 [MIN 4 7 ] 0 ], digits first
    ops1, children1 = np.array([1], np.int32), np.array([[2, 3, -1, -1, -1]], np.int32)
    _, vectors1 = _fold_height(digits, ops1, children1, w)
    H2 = np.concatenate([digits, vectors1])
    cases = [(digits, ops1, children1, w, "the example's height 1, [MIN 4 7 ], a single node"),
             (H2, np.array([0], np.int32), np.array([[0, 1, 5, 4, -1]], np.int32), w,
              "the example's height 2, [MAX 2 9 [MIN 4 7 ] 0 ], a single node")]
    H = rng.normal(0, 1, (11, d))
    children = np.array([[3, 10, -1, -1, -1], [0, 7, 7, 2, 9], [10, 0, 5, -1, -1],
                         [4, 1, 8, 6, -1]], np.int32)
    cases.append((H, np.array([2, 3, 0, 1], np.int32), children, w,
                  "4 nodes with 2, 5, 3 and 4 children"))
    for n, rows in ((9, 20), (13, 31)):
        cases.append((*_random_height(rng, n, rows, d), w, f"a random height of {n} nodes"))
    cases.append((*_random_height(rng, 0, 7, d), w, "an empty height, n = 0"))
    return cases


_FOLD_MISTAKES = {
    "no_keep": "the nodes with fewer than 5 children also went through their empty slots. "
               "There children[:, j] is -1, and H[-1] is the LAST row of H (NumPy counts from "
               "the end), not \"no child\"; a row 0 or a zero vector in its place changes the "
               "state as well. A missing child must leave the state as it is: compute folded "
               "for every node, then s = np.where((children[:, j] >= 0)[:, None], folded, s).",
    "wrong_start": "each node's state starts from its operator's embedding, s = w[\"O\"][ops] "
                   "(one row per node), not from zeros or the digit embeddings E: it is how a "
                   "node knows whether it is a MAX or an SM.",
    "concat_order": "the cell reads [s; x], the state first and the child's vector second, "
                    "np.concatenate([s, x], axis=1): the first D rows of W1 read the state, "
                    "the next D the child.",
    "swapped": "the ReLU and the tanh are swapped: the hidden layer is the ReLU, hidden = "
               "np.maximum(0, [s; x] W1 + b1), and the new state is np.tanh(hidden W2 + b2), "
               "bounded like an RNN's state.",
    "no_relu": "the hidden layer has no ReLU: hidden = np.maximum(0, [s; x] W1 + b1). Without "
               "it the two layers are one linear map inside the tanh, and the cell loses the "
               "room it needs for a table like a sum modulo 10.",
    "returns_state": "your vectors are the nodes' states s. What a node hands to its parent "
                     "is its guess at its value, written as a digit: softmax(z) @ E, its "
                     "probabilities over the 10 digits times the digit embeddings.",
    "softmax_axis": "your softmax does not normalise each node's 10 logits on their own: "
                    "axis=0 mixes different nodes, and the notebook's softmax(z), written for "
                    "ONE vector, takes z.max() and e.sum() over every entry of a matrix. Each "
                    "row is one node: e = np.exp(z - z.max(axis=1, keepdims=True)); p = e / "
                    "e.sum(axis=1, keepdims=True).",
    "probabilities": "your logits are the probabilities softmax(z). Return the logits z = s "
                     "@ Wv + bv themselves (the loss takes logits, from_logits=True), and "
                     "softmax(z) @ E as the vectors.",
}


def _show_fold(H, ops, children, what):
    if len(ops) <= 4:
        return (f"fold_height(H, ops={ops.tolist()}, children={children.tolist()}, w) ({what}, "
                f"H of shape {H.shape})")
    return f"fold_height(H, ops, children, w) ({what}, H of shape {H.shape})"


def _pair(got, call, n, d):
    """The learner's (logits, vectors) as float arrays, or an AssertionError that says why
    not."""
    assert got is not None, f"{call} returned None: return the pair (logits, vectors)."
    assert isinstance(got, (tuple, list)) and len(got) == 2, (
        f"{call} returned {type(got).__name__}"
        f"{' of shape ' + str(np.shape(got)) if isinstance(got, np.ndarray) else ''}: return "
        f"two arrays, (logits, vectors).")
    logits, vectors = (np.asarray(a, dtype=float) for a in got)
    if logits.shape == (n, d) and vectors.shape == (n, 10) and d != 10:
        raise AssertionError(
            f"{call} returned arrays of shapes {logits.shape} and {vectors.shape}: the other "
            f"way round. Return (logits, vectors), the logits (n, 10) first.")
    for name, a, want, axes in (("logits", logits, (n, 10), "(n, 10)"),
                                ("vectors", vectors, (n, d), "(n, D)")):
        assert a.shape == want, (
            f"{call} returned {name} of shape {a.shape}, expected {axes} = {want}: one row per "
            f"node of the height{', none for an empty height' if n == 0 else ''}.")
    return logits, vectors


def _same(got, want):
    return all(np.allclose(g, w, atol=1e-10) for g, w in zip(got, want))


def check_fold_height(fold_height):
    """Exercise 13.3: fold_height(H (rows, D), ops (n,) ints, children (n, 5) ints, rows of H
    and -1 for no child, w the dict of float64 weights) -> (logits (n, 10), vectors (n, D)) of
    the n nodes of one height, equal to the per-node recursion; the inputs unchanged."""
    def test(fn):
        # A named mistake is one that gives every answer, the right ones too, and the only one.
        alive = {(m, j) for m, ways in _FOLD_WAYS.items() for j in range(ways)}
        wrongs = []                     # the wrong answers, in order: (case, call, got)
        for H, ops, children, w, what in _fold_cases():
            call = _show_fold(H, ops, children, what)
            n, d = len(ops), H.shape[1]
            args = (H.copy(), ops.copy(), children.copy(), {k: v.copy() for k, v in w.items()})
            try:
                got = fn(*args)
            except Exception as err:
                if isinstance(err, NotImplementedError):
                    raise
                if wrongs:              # a wrong answer came first; does a mistake fail here too?
                    wrong = _wrong_folds(H, ops, children, w)
                    alive = {(m, j) for m, j in alive if wrong[m][j] is None}
                    continue
                if n == 0:
                    raise AssertionError(
                        f"{call} raised {type(err).__name__} ({err}): a height can have no "
                        f"nodes at all (every batch carries TRAIN_DEPTH heights, and a batch of "
                        f"shallow trees has empty ones); return logits of shape (0, 10) and "
                        f"vectors of shape (0, D). A max or a sum over every entry of an empty "
                        f"z fails; row by row, z.max(axis=1, keepdims=True), it works for 0 "
                        f"rows too.") from None
                if isinstance(err, ValueError) and "broadcast" in str(err):
                    raise AssertionError(
                        f"{call} raised ValueError ({err}): NumPy lines up the LAST axes, so an "
                        f"(n,) array, one number per node, does not combine with an (n, k) "
                        f"matrix, one row per node. Make it a column (n, 1): "
                        f"mask[:, None], e.sum(axis=1, keepdims=True).") from None
                raise
            for name, before, after in (("H", H, args[0]), ("ops", ops, args[1]),
                                        ("children", children, args[2])):
                assert np.array_equal(before, after), (
                    f"{call} changed its input {name}: the notebook flattens every batch once, "
                    f"before training, and reads its arrays again in every epoch. Write only "
                    f"into new arrays (np.where and np.maximum make new ones).")
            for name in w:
                assert np.array_equal(w[name], args[3][name]), (
                    f"{call} changed the weight w[{name!r}]: the same weights serve every node "
                    f"of every height. Write only into new arrays.")
            got = _pair(got, call, n, d)
            wrong = _wrong_folds(H, ops, children, w)
            alive = {(m, j) for m, j in alive
                     if wrong[m][j] is not None and _same(got, wrong[m][j])}
            if _same(got, _fold_height(H, ops, children, w)):
                continue
            wrongs.append(((H, ops, children, w), call, got))
        if not wrongs:
            return
        named = {m for m, _ in alive}
        if len(named) == 1:
            raise AssertionError(f"{wrongs[0][1]}: {_FOLD_MISTAKES[named.pop()]}")
        found = []                      # per wrong answer: its first wrong node, and a message
        for (H, ops, children, w), call, (logits, vectors) in wrongs:
            want_logits, want_vectors = _fold_height(H, ops, children, w)
            if np.allclose(logits, want_logits, atol=1e-10):
                found.append(AssertionError(
                    f"{call}: the logits are right, but the vectors differ from softmax(z) @ E "
                    f"by up to {np.max(np.abs(vectors - want_vectors)):.3g}. Each node hands "
                    f"its parent its probabilities, a softmax over its own row of 10 logits, "
                    f"times the digit embeddings E."))
                continue
            counts = (children >= 0).sum(axis=1)
            bad = [i for i in range(len(ops))
                   if not np.allclose(logits[i], want_logits[i], atol=1e-10)]
            i = bad[0]
            described = (f"node {i} ({_OPS[ops[i]]} with {counts[i]} children, the rows "
                         f"{children[i, :counts[i]].tolist()} of H)")
            if all(counts[k] < _SLOTS for k in bad) and any(
                    counts[k] == _SLOTS for k in range(len(ops)) if k not in bad):
                raise AssertionError(      # the clearest sign there is: say it first
                    f"{call}: the nodes with 5 children are right, but not {described}. After a "
                    f"node's last child its slots hold -1, and there the node must keep its "
                    f"state as it is: s = np.where((children[:, j] >= 0)[:, None], folded, s).")
            found.append(AssertionError(
                f"{call}: the logits of {described} differ from those of the per-node "
                f"recursion by up to {np.max(np.abs(logits[i] - want_logits[i])):.3g}."))
        raise found[0]

    return check("Exercise 13.3", fold_height, test,
                 "every node of the height starts from its operator's embedding, and column j of children holds every node's j-th child at once. What does one step of the cell look like on (n, D) matrices, and which nodes must not change at slot j?",
                 "s = w[\"O\"][ops]; for j in range(5): has = children[:, j] >= 0; x = "
                 "H[np.maximum(children[:, j], 0)] (row 0 for a missing child, thrown away "
                 "below); hidden = np.maximum(0, np.concatenate([s, x], axis=1) @ w[\"W1\"] "
                 "+ w[\"b1\"]); s = np.where(has[:, None], np.tanh(hidden @ w[\"W2\"] + "
                 "w[\"b2\"]), s). Then z = s @ w[\"Wv\"] + w[\"bv\"], p its softmax over each row "
                 "(axis=1, keepdims=True), and return z, p @ w[\"E\"].")
