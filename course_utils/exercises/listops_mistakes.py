"""The named mistakes of notebook 13's exercises: for each exercise, what each way of making
a mistake computes (from the references in listops_trees.py, with their knobs set) and, as
data, what the checker then tells the learner. A checker names a mistake only when it alone
gives every answer the learner's function gave.
"""
import numpy as np

from course_utils.exercises import listops_trees as trees


# --- 13.1 evaluating a tree, children first --------------------------------------------------

def wrong_values(tree):
    """{mistake: [the value that each way of making it computes]}, None for a way that cannot
    evaluate this tree (e.g. max of no values)."""
    ways = {
        "lower": [dict(apply={"MED": lambda v: sorted(v)[(len(v) - 1) // 2]})],
        "upper": [dict(apply={"MED": lambda v: sorted(v)[len(v) // 2]})],
        "unsorted": [dict(apply={"MED": lambda v: v[(len(v) - 1) // 2]}),
                     dict(apply={"MED": lambda v: v[len(v) // 2]}),
                     dict(apply={"MED": lambda v: int((v[(len(v) - 1) // 2] + v[len(v) // 2])
                                                      / 2)})],
        "float": [dict(apply={"MED": lambda v: float(np.median(v))})],
        "rounded": [dict(apply={"MED": lambda v: round(float(np.median(v)))}),    # half to even
                    dict(apply={"MED": lambda v: int(float(np.median(v)) + 0.5)})],  # half up
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
                wrong[mistake].append(trees.evaluate(tree, **kw))
            except (ValueError, ZeroDivisionError):
                wrong[mistake].append(None)
    return wrong


_PUBLISHED = ("ListOps' MED is the median as Nangia & Bowman's generator computes it, "
              "int(np.median(values)): the middle of the sorted values, and for an even count "
              "the two middle values averaged, then truncated")
VALUE_MISTAKES = {
    "lower": "your MED takes the lower middle of an even count (as statistics.median_low "
             f"does). {_PUBLISHED}: [MED 3 1 4 1] sorts to 1 1 3 4, the middle values 1 and 3 "
             "average 2.0, and its value is 2, not 1.",
    "upper": "your MED takes the upper middle of an even count (as statistics.median_high "
             f"does). {_PUBLISHED}: [MED 3 1 4 1] sorts to 1 1 3 4, the middle values 1 and 3 "
             "average 2.0, and its value is 2, not 3.",
    "unsorted": "your MED takes the middle value(s) in the order the children come, unsorted. "
                "The median is the middle of the SORTED values: int(np.median(values)) sorts "
                "for you.",
    "float": "np.median (and statistics.median) averages the two middle values of an even "
             "count, and the average can end in .5: [MED 1 2] gives 1.5, a float. The value "
             "must be a digit: truncate it, int(np.median(values)), which gives 1.",
    "rounded": "you rounded the average of the two middle values, but ListOps truncates it, "
               "int(np.median(values)): [MED 4 9 3 0] has the middle values 3 and 4, average "
               "3.5, and its value is 3, not 4. (Python's round takes a half to the even "
               "neighbour, round(2.5) is 2 but round(3.5) is 4, so it agrees only sometimes.)",
    "mean": "your MED is the mean of the values (or the mean rounded), not the median. "
            f"{_PUBLISHED}: [MED 9 2 6 8] has the mean 6.25, but the middle values 6 and 8 "
            "average 7, its value.",
    "no_modulo": "your SM is the plain sum. SM is the sum modulo 10, sum(values) % 10, so that "
                 "every value stays a digit 0-9, one of the 10 classes.",
    "skip_subtrees": "you left out the children that are trees. A subtree such as ('MAX', [3, "
                     "8]) is an argument of its parent like any digit: evaluate it first, "
                     "evaluate(child), and use its value.",
}


# --- 13.2 node heights -----------------------------------------------------------------------

def wrong_heights(parents):
    """{mistake: [the heights that each way of making it computes]}."""
    parents = np.asarray(parents)
    right = trees.heights_of(parents)
    roots = np.flatnonzero(parents < 0)
    end = roots[1] if len(roots) > 1 else len(parents)     # where the second tree starts
    first = np.zeros(len(parents), dtype=int)
    first[:end] = trees.heights_of(parents[:end])
    return {
        "depth": [trees.depths_of(parents)],
        "min": [trees.heights_of(parents, combine=min)],
        "leaves_one": [right + 1],
        "negative_index": [trees.heights_of(parents, guard=False)],
        "forward": [trees.heights_of(parents, backward=False)],
        "first_tree": [first],
    }


HEIGHT_MISTAKES = {
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


# --- 13.3 one height at once, in NumPy -------------------------------------------------------

FOLD_WAYS = {"no_keep": 3, "wrong_start": 2, "concat_order": 1, "swapped": 1, "no_relu": 1,
             "returns_state": 1, "softmax_axis": 4, "probabilities": 1}


def wrong_folds(H, ops, children, w):
    """{mistake: [(logits, vectors) for each way of making it]}, None for a way that raises on
    this height (a softmax over an axis of length 0)."""
    wrong = {}
    for mistake, ways in FOLD_WAYS.items():
        wrong[mistake] = []
        for way in range(ways):
            try:
                with np.errstate(all="ignore"):
                    wrong[mistake].append(trees.fold_height(H, ops, children, w, mistake, way))
            except ValueError:
                wrong[mistake].append(None)
    return wrong


FOLD_MISTAKES = {
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
