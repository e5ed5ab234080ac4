"""The child-sum Tree-LSTM node behind notebook 13's exercise 13.4 (Tai, Socher & Manning
2015): the reference computation, the named mistakes, and the cases its checker runs.

Row vectors, as everywhere in the course: a node with input x (D,) and K children whose hidden
states and cells are the rows of hs (K, H) and cs (K, H) computes

    h~ = sum_k hs[k]
    i  = sigmoid(x Wi + h~ Ui + bi)         o = sigmoid(x Wo + h~ Uo + bo)
    u  = tanh(x Wu + h~ Uu + bu)            f_k = sigmoid(x Wf + hs[k] Uf + bf)   (per child)
    c  = i * u + sum_k f_k * cs[k]          h = o * tanh(c)

A leaf has K = 0: hs and cs have shape (0, H), h~ is zero and c = i * u.
"""
import numpy as np

GATES = ("i", "f", "o", "u")

# mistake name -> what to tell the learner
MISTAKES = {
    "shared_forget": "every child gets the same forget gate, computed from the sum of the "
                     "children's states. The Tree-LSTM gives each child k its own gate, "
                     "f_k = sigmoid(x @ w['Wf'] + hs[k] @ w['Uf'] + w['bf']), from that child's h.",
    "mean": "the gates read the mean of the children's states. Child-sum means the sum: "
            "h~ = hs.sum(axis=0).",
    "no_tanh": "h is o * c. The output is o * tanh(c), as in an LSTM.",
    "no_children_cells": "c leaves out the children's cells. Each child's cell comes in through "
                         "its own forget gate: c = i * u + sum over k of f_k * cs[k].",
}


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def child_sum_node(x, hs, cs, w, mistake=None):
    """(h, c) of one node, or what the named `mistake` computes."""
    hs, cs = np.asarray(hs, dtype=float), np.asarray(cs, dtype=float)
    h_sum = hs.mean(axis=0) if mistake == "mean" and len(hs) else hs.sum(axis=0)
    gate = {g: x @ w[f"W{g}"] + h_sum @ w[f"U{g}"] + w[f"b{g}"] for g in ("i", "o", "u")}
    i, o, u = _sigmoid(gate["i"]), _sigmoid(gate["o"]), np.tanh(gate["u"])
    if mistake == "shared_forget":
        f = np.tile(_sigmoid(x @ w["Wf"] + h_sum @ w["Uf"] + w["bf"]), (len(hs), 1))
    else:
        f = _sigmoid(x @ w["Wf"] + hs @ w["Uf"] + w["bf"])          # (K, H): one row per child
    c = i * u if mistake == "no_children_cells" else i * u + (f * cs).sum(axis=0)
    return (o * c if mistake == "no_tanh" else o * np.tanh(c)), c


def weights(rng, d=4, hidden=5):
    """Random weights for inputs of size d and states of size hidden."""
    w = {f"W{g}": rng.normal(0, 0.5, (d, hidden)) for g in GATES}
    w.update({f"U{g}": rng.normal(0, 0.5, (hidden, hidden)) for g in GATES})
    w.update({f"b{g}": rng.normal(0, 0.5, hidden) for g in GATES})
    return w


def cases(seed=13):
    """(x, hs, cs, w) for nodes with 2, 3, 1 and 0 children (a leaf), 4 inputs, 5 units."""
    rng = np.random.default_rng(seed)
    w = weights(rng)
    return [(rng.normal(size=4), rng.normal(size=(k, 5)), rng.normal(size=(k, 5)), w)
            for k in (2, 3, 1, 0)]
