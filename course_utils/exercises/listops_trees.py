"""The ListOps trees behind notebook 13's checkers: the reference computations, written out
here so that the checkers stand on their own, and the cases each checker runs.

A tree is what the notebook's parser gives for an expression such as "[MAX 2 9 [MIN 4 7 ] 0 ]":
nested tuples (op, [children...]) with the digits as Python ints, ("MAX", [2, 9, ("MIN", [4,
7]), 0]). The same trees as arrays: the nodes numbered in pre-order, parents[i] the parent of
node i (-1 for a root), several trees one after the other. MED is Nangia & Bowman's
int(np.median(values)): for an even count the two middle values averaged, then truncated ([3, 1,
4, 1] -> sorted 1 1 3 4 -> 2.0 -> 2; [4, 9, 3, 0] -> 3 and 4 -> 3.5 -> 3), SM the sum modulo 10.

Some references take the knobs of a named mistake (`apply`, `skip_subtrees`; `combine`,
`guard`, `backward`; `mistake`, `way`): listops_mistakes.py names them.
"""
import numpy as np

from course_utils.synthetic import LISTOPS_APPLY, LISTOPS_OPS


# --- 13.1 evaluating a tree, children first --------------------------------------------------

def evaluate(tree, apply=None, skip_subtrees=False):
    """The value of a tree, children first; `apply` replaces some operators and skip_subtrees
    leaves out the children that are trees (what a named mistake computes)."""
    ops = dict(LISTOPS_APPLY, **(apply or {}))

    def value(node):
        if not isinstance(node, tuple):
            return node
        op, children = node
        if skip_subtrees:
            children = [child for child in children if not isinstance(child, tuple)]
        return ops[op]([value(child) for child in children])

    return value(tree)


def random_tree(rng, depth, max_args=4, p_branch=0.3):
    """A ListOps-like tree of exactly `depth` levels of operators: 2..max_args arguments, one of
    them a tree one level shallower, each other one a shallower tree with probability p_branch,
    else a digit."""
    op = LISTOPS_OPS[int(rng.integers(len(LISTOPS_OPS)))]
    n_args = int(rng.integers(2, max_args + 1))
    deepest = int(rng.integers(n_args))
    children = []
    for i in range(n_args):
        if depth > 1 and i == deepest:
            children.append(random_tree(rng, depth - 1, max_args, p_branch))
        elif depth > 1 and rng.random() < p_branch:
            children.append(random_tree(rng, int(rng.integers(1, depth)), max_args, p_branch))
        else:
            children.append(int(rng.integers(10)))
    return (op, children)


def subtrees(tree):
    """Every subtree that is an operator node, children before their parent (post-order)."""
    if not isinstance(tree, tuple):
        return []
    return [sub for child in tree[1] for sub in subtrees(child)] + [tree]


def evaluate_cases():
    """Trees: the notebook's example; even MEDs where the published value (the two middle values
    averaged, then truncated) differs from the lower middle ([3, 1, 4, 1]: 2, not 1), from the
    upper middle, and from rounding ([4, 9, 3, 0]: 3.5 -> 3, rounded 4; [1, 6, 7, 1]: 3.5 -> 3,
    lower 1, upper 6), one whose average is not a whole number in a sum (1.5, float or rounded
    gives another SM); an SM whose sum is 10 or more, with a subtree among its arguments; a MED
    that only sorting gets right; a deep tree with every operator; an even MED that tells the
    median from the mean; random trees; and a tree that is a single leaf."""
    rng = np.random.default_rng(13)
    return ([("MAX", [2, 9, ("MIN", [4, 7]), 0]),
             ("MED", [3, 1, 4, 1]),
             ("MED", [4, 9, 3, 0]),
             ("MED", [1, 6, 7, 1]),
             ("SM", [7, 5, ("MAX", [3, 8]), 1]),
             ("MIN", [("MED", [5, 2, 8]), ("SM", [9, 9]), 6]),
             ("MED", [("MAX", [1, ("MIN", [6, ("SM", [4, 4, 5])])]), 9, 2, ("MIN", [8, 9]), 7,
                      0]),
             ("MAX", [("MED", [9, 2, 6, 8]), 1]),
             ("SM", [("MED", [0, 1, 2, 9]), 4])]
            + [random_tree(rng, depth) for depth in (2, 3, 3, 4, 4, 5)]
            + [7])


# --- 13.2 node heights: trees as arrays of parents -------------------------------------------

def parents_of(tree):
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


def batch_parents(trees):
    """Several trees, one after the other: each keeps parent -1 at its root, and the others are
    shifted by the nodes before it."""
    out, offset = [], 0
    for tree in trees:
        parents = parents_of(tree)
        out.append(np.where(parents >= 0, parents + offset, -1))
        offset += len(parents)
    return np.concatenate(out)


def children_of(parents):
    kids = [[] for _ in parents]
    for i, p in enumerate(parents):
        if p >= 0:
            kids[p].append(i)
    return kids


def heights_of(parents, combine=max, guard=True, backward=True):
    """0 for a leaf, 1 + max of the children's heights otherwise: from the last node to the
    first, since in pre-order a node's descendants all come after it. combine=min,
    guard=False (parents[i] = -1 updating heights[-1]) and backward=False (the first node
    first) are named mistakes."""
    parents = np.asarray(parents)
    if combine is not max:
        kids = children_of(parents)
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


def depths_of(parents):
    depths = np.zeros(len(parents), dtype=int)
    for i, p in enumerate(parents):
        depths[i] = 0 if p < 0 else depths[p] + 1
    return depths


_EXAMPLE = ("MAX", [2, 9, ("MIN", [4, 7]), 0])
_TALL = ("MED", [("SM", [1, ("MAX", [2, 3])]), 4, ("MIN", [5, 6]), 7])
_UNEVEN = ("MAX", [("MIN", [1, ("SM", [2, 3])]), ("MED", [4, 5])])


def height_cases():
    """(parents, what): the notebook's example; children of different heights under one node;
    subtrees that are not leaves and not of one height (1 + min differs from 1 + max, and
    visiting the nodes first to last gets them wrong); a single leaf; a batch of trees, the
    first not the tallest; a random batch."""
    rng = np.random.default_rng(13)
    return [(parents_of(_EXAMPLE), "the tree [MAX 2 9 [MIN 4 7 ] 0 ]"),
            (parents_of(_TALL), "the tree [MED [SM 1 [MAX 2 3 ] ] 4 [MIN 5 6 ] 7 ]"),
            (parents_of(_UNEVEN), "the tree [MAX [MIN 1 [SM 2 3 ] ] [MED 4 5 ] ]"),
            (parents_of(7), "the tree 7, a single leaf"),
            (batch_parents([_EXAMPLE, _TALL, ("SM", [("MAX", [1, 2]), 3])]), "a batch of 3 trees"),
            (batch_parents([random_tree(rng, depth) for depth in (3, 1, 5, 4)]),
             "a batch of 4 random trees")]


# --- 13.3 one height at once, in NumPy -------------------------------------------------------

SLOTS = 5                          # children per node at most: the columns of `children`


def softmax_rows(z):
    """Each row's softmax: every node's probabilities over the 10 digits, on their own."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fold_height(H, ops, children, w, mistake=None, way=0):
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
        p = softmax_rows(z)
    if mistake == "returns_state":
        return z, s
    if mistake == "probabilities":
        return p, p @ w["E"]
    return z, p @ w["E"]


def fold_weights(rng, d=6, hidden=8):
    """The weights of the notebook's tree network, small and float64."""
    return {"E": rng.normal(0, 1, (10, d)), "O": rng.normal(0, 1, (len(LISTOPS_OPS), d)),
            "W1": rng.normal(0, 0.5, (2 * d, hidden)), "b1": rng.normal(0, 0.3, hidden),
            "W2": rng.normal(0, 0.5, (hidden, d)), "b2": rng.normal(0, 0.3, d),
            "Wv": rng.normal(0, 1, (d, 10)), "bv": rng.normal(0, 0.3, 10)}


def random_height(rng, n, rows, d):
    """n nodes, 2 to 5 children each (every count once at least when n >= 4, in a mixed
    order), their rows anywhere in an H of `rows` rows."""
    counts = rng.permutation(np.resize([2, 5, 3, 4], n)) if n else np.zeros(0, dtype=int)
    children = np.full((n, SLOTS), -1, dtype=np.int32)
    for i, count in enumerate(counts):
        children[i, :count] = rng.integers(0, rows, count)
    return (rng.normal(0, 1, (rows, d)), rng.integers(0, len(LISTOPS_OPS), n).astype(np.int32),
            children)


def fold_cases():
    """(H, ops, children, w, what): the notebook's example tree, height 1 then height 2 (one
    node each, H the digits' embeddings and then the MIN node's vector); 4 nodes with 2, 5, 3
    and 4 children, rows anywhere in H, the first and the last among them, one row twice;
    random heights of 9 and 13 nodes; an empty height. No n equals D or 10, where a
    broadcasting mistake could pass unnoticed."""
    rng = np.random.default_rng(133)
    w = fold_weights(rng)
    d = w["O"].shape[1]
    digits = w["E"][[2, 9, 4, 7, 0]]                  # [MAX 2 9 [MIN 4 7 ] 0 ], digits first
    ops1, children1 = np.array([1], np.int32), np.array([[2, 3, -1, -1, -1]], np.int32)
    _, vectors1 = fold_height(digits, ops1, children1, w)
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
        cases.append((*random_height(rng, n, rows, d), w, f"a random height of {n} nodes"))
    cases.append((*random_height(rng, 0, 7, d), w, "an empty height, n = 0"))
    return cases
