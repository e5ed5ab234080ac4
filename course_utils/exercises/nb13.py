"""Checkers for the exercises of notebook 13 (recursive networks over ListOps trees).

Each prints a pass, a nudge (not attempted yet) or what is wrong plus a hint, and returns
True only on a pass; `checking.py` has the shared `check`.

A tree is what the notebook's parser gives for an expression such as "[MAX 2 9 [MIN 4 7 ] 0 ]":
nested tuples (op, [children...]) with the digits as Python ints, ("MAX", [2, 9, ("MIN", [4,
7]), 0]). The reference computations and the cases are in listops_trees.py, the named mistakes
and what to say about each in listops_mistakes.py.
"""
import copy

import numpy as np

from course_utils.exercises import listops_trees as trees, tree_lstm
from course_utils.exercises.checking import assert_close, check, made_mistake
from course_utils.exercises.listops_mistakes import (FOLD_MISTAKES, FOLD_WAYS, HEIGHT_MISTAKES,
                                                     VALUE_MISTAKES, wrong_folds, wrong_heights,
                                                     wrong_values)
from course_utils.synthetic import LISTOPS_APPLY, LISTOPS_OPS


# --- 13.1 evaluating a tree, children first --------------------------------------------------

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
    values = [trees.evaluate(child) for child in children]
    if op == "MED":
        ordered, half = sorted(values), len(values) // 2
        if len(values) % 2:
            return f"{op} of {values}: sorted {ordered}, the middle is {ordered[half]}"
        a, b = ordered[half - 1:half + 1]
        return (f"{op} of {values}: sorted {ordered}, the two middle values {a} and {b} "
                f"average {(a + b) / 2}, truncated to {LISTOPS_APPLY['MED'](values)}")
    if op == "SM":
        return f"{op} of {values}: the sum {sum(values)} modulo 10 is {sum(values) % 10}"
    return f"{op} of {values} is {LISTOPS_APPLY[op](values)}"


def check_evaluate(evaluate):
    """Exercise 13.1: evaluate(tree) -> the int value of a ListOps tree, nested tuples (op,
    [children...]) with digits as ints, MAX, MIN, MED (int(np.median(values)), as Nangia &
    Bowman's generator: for an even count the two middle values averaged, then truncated) and
    SM (the sum modulo 10); a single leaf is its own value; the tree unchanged."""
    def test(fn):
        # A value is a digit, so one wrong value can match a named mistake by chance: a mistake
        # is named only if it gives every value, the right ones too, and is the only one.
        alive = {(m, j) for m, ways in wrong_values(0).items() for j in range(len(ways))}
        pending = None              # the first wrong value: (tree, call, got, want)
        not_int = None              # the first right value that is not an int
        for tree in trees.evaluate_cases():
            call = f"evaluate({tree!r})"
            before = copy.deepcopy(tree)
            try:
                got = fn(tree)
            except Exception as err:
                if pending:             # a wrong value came first; does a mistake fail here too?
                    wrong = wrong_values(tree)
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
            want = trees.evaluate(tree)
            wrong = wrong_values(tree)
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
                                     f"{VALUE_MISTAKES[named.pop()]}")
            for sub in trees.subtrees(tree):  # children first: the first wrong node is the bug
                try:
                    value = fn(copy.deepcopy(sub))
                except Exception as err:
                    raise AssertionError(
                        f"{call} returned {_shown(got)}, expected {want}; and "
                        f"evaluate({sub!r}) raised {type(err).__name__} ({err}).") from None
                if not _equal(value, trees.evaluate(sub)) and sub is tree:
                    raise AssertionError(
                        f"{call} returned {_shown(got)}, expected {want}: the values of its "
                        f"children are right, but {_explain(sub)}.")
                if not _equal(value, trees.evaluate(sub)):
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
                 "max(values), MIN: min(values), MED: int(np.median(values)) (for an even "
                 "count the two middle values averaged, then truncated), SM: sum(values) % 10. "
                 "Do not sort the tree's own lists.")


# --- 13.2 node heights, the schedule of a batched tree network -------------------------------

def _show_parents(parents, what):
    if len(parents) <= 30:
        return f"node_heights({parents.tolist()}) ({what})"
    return f"node_heights(parents of {what}, {len(parents)} nodes)"


def check_node_heights(node_heights):
    """Exercise 13.2: node_heights(parents (M,) ints, nodes in pre-order, -1 for a root; several
    trees one after the other allowed) -> heights (M,) ints, 0 for a leaf, 1 + the largest
    height of the children otherwise; parents unchanged."""
    def test(fn):
        alive = set(HEIGHT_MISTAKES)    # the named mistakes that give every answer so far
        pending = None                  # the first wrong answer
        floats = None                   # the first right answer that is not integers
        for parents, what in trees.height_cases():
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
            want = trees.heights_of(parents)
            assert got.shape == want.shape, (
                f"{call} returned shape {got.shape}, expected (M,) = {want.shape}: one height "
                f"per node, in the nodes' order.")
            values = got.astype(float)
            wrong = wrong_heights(parents)
            alive = {m for m in alive if any(np.array_equal(values, w) for w in wrong[m])}
            if np.array_equal(values, want):
                if not np.issubdtype(got.dtype, np.integer):
                    floats = floats or (call, got)
                continue
            pending = pending or (parents, call, got)
        if pending:
            parents, call, got = pending
            shown = f"{call} is {got.tolist()}, expected {trees.heights_of(parents).tolist()}"
            if len(alive) == 1:
                raise AssertionError(f"{shown}: {HEIGHT_MISTAKES[alive.pop()]}")
            kids = trees.children_of(parents)
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
        alive = {(m, j) for m, ways in FOLD_WAYS.items() for j in range(ways)}
        wrongs = []                     # the wrong answers, in order: (case, call, got)
        for H, ops, children, w, what in trees.fold_cases():
            call = _show_fold(H, ops, children, what)
            n, d = len(ops), H.shape[1]
            args = (H.copy(), ops.copy(), children.copy(), {k: v.copy() for k, v in w.items()})
            try:
                got = fn(*args)
            except Exception as err:
                if isinstance(err, NotImplementedError):
                    raise
                if wrongs:              # a wrong answer came first; does a mistake fail here too?
                    wrong = wrong_folds(H, ops, children, w)
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
            wrong = wrong_folds(H, ops, children, w)
            alive = {(m, j) for m, j in alive
                     if wrong[m][j] is not None and _same(got, wrong[m][j])}
            if _same(got, trees.fold_height(H, ops, children, w)):
                continue
            wrongs.append(((H, ops, children, w), call, got))
        if not wrongs:
            return
        named = {m for m, _ in alive}
        if len(named) == 1:
            raise AssertionError(f"{wrongs[0][1]}: {FOLD_MISTAKES[named.pop()]}")
        found = []                      # per wrong answer: its first wrong node, and a message
        for (H, ops, children, w), call, (logits, vectors) in wrongs:
            want_logits, want_vectors = trees.fold_height(H, ops, children, w)
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
            described = (f"node {i} ({LISTOPS_OPS[ops[i]]} with {counts[i]} children, the rows "
                         f"{children[i, :counts[i]].tolist()} of H)")
            if all(counts[k] < trees.SLOTS for k in bad) and any(
                    counts[k] == trees.SLOTS for k in range(len(ops)) if k not in bad):
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


# --- 13.4 a child-sum Tree-LSTM node ---------------------------------------------------------

def check_child_sum_node(child_sum_node):
    """Exercise 13.4: child_sum_node(x, hs, cs, w) -> (h, c) of a child-sum Tree-LSTM node
    (tree_lstm.py has the equations), for any number of children, a leaf (0 rows) included."""
    def test(fn):
        for x, hs, cs, w in tree_lstm.cases():
            call = f"child_sum_node(x, hs, cs, w) with {len(hs)} children"
            before = [a.copy() for a in (x, hs, cs)]
            got = fn(x, hs, cs, w)
            assert isinstance(got, tuple) and len(got) == 2, (
                f"{call} returned {type(got).__name__}; expected a tuple (h, c).")
            assert all(np.array_equal(a, b) for a, b in zip((x, hs, cs), before)), (
                f"{call} changed its inputs. Compute into new arrays.")
            want = tree_lstm.child_sum_node(x, hs, cs, w)
            if all(np.shape(g) == np.shape(v) and np.allclose(g, v, atol=1e-8)
                   for g, v in zip(got, want)):
                continue
            for name, message in tree_lstm.MISTAKES.items():
                wrong = tree_lstm.child_sum_node(x, hs, cs, w, mistake=name)
                differ = [(g, v, m) for g, v, m in zip(got, want, wrong) if not np.allclose(v, m)]
                if differ and all(made_mistake(g, v, m) for g, v, m in differ):
                    raise AssertionError(f"{call}: {message}")
            for what, g, v in zip(("h", "c"), got, want):
                assert_close(g, v, f"{call}: {what}", atol=1e-8)

    return check("Exercise 13.4", child_sum_node, test,
                 "sum the children's states first (a leaf's sum is zero); the input and output "
                 "gates and the candidate read that sum, the forget gates read each child.",
                 "h_sum = hs.sum(axis=0); i, o = sigmoid(x @ w['Wi'] + h_sum @ w['Ui'] + "
                 "w['bi']), sigmoid(... 'o' ...); u = np.tanh(... 'u' ...); f = sigmoid(x @ "
                 "w['Wf'] + hs @ w['Uf'] + w['bf']) (K rows); c = i * u + (f * cs).sum(axis=0); "
                 "h = o * np.tanh(c).")
