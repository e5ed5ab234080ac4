"""Seeded generators for the course's synthetic tasks. Same seed, same data, every time.

    adding_problem(n, length, seed)   -> x (n, length, 2), y (n, 1)  (Hochreiter & Schmidhuber 1997)
    copy_task(n, length, ...)         -> x, y one-hot sequences
    addition_strings(n, max_digits)   -> questions ["123+456", ...], answers ["579", ...]
    listops_expressions(n, max_depth) -> ["[MAX 2 9 [MIN 4 7 ] 0 ]", ...]  (Nangia & Bowman 2018)
    evaluate_listops(expression)      -> 9;  parse_listops, listops_depth: its tree and depth
"""
import numpy as np

from course_utils.shapes import check_positive_ints


def adding_problem(n, length, seed=0):
    """The adding problem: sum the two numbers that are marked.

    Each sequence has `length` steps of two features: a value drawn uniformly from [0, 1]
    and a marker that is 1 at exactly two positions (one in the first half, one in the
    second half) and 0 elsewhere. The target is the sum of the two marked values.
    Always predicting the mean target 1.0 gives an MSE of 1/6 ~ 0.167 (the variance of a
    sum of two uniforms), the baseline a model must beat.
    Returns x of shape (n, length, 2) and y of shape (n, 1), both float32.
    """
    check_positive_ints(n=n, length=length)
    if length < 2:
        raise ValueError(f"length must be at least 2 (one marker per half), got {length}")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, length))
    markers = np.zeros((n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    markers[np.arange(n), first] = 1.0
    markers[np.arange(n), second] = 1.0
    x = np.stack([values, markers], axis=-1).astype(np.float32)
    y = (values[np.arange(n), first] + values[np.arange(n), second])[:, None].astype(np.float32)
    return x, y


def copy_task(n, length, n_symbols=8, delay=None, seed=0):
    """Remember a sequence of symbols, then reproduce it after a delay.

    Input: `length` random symbols from 1..n_symbols, then `delay` blanks (0), then a go
    marker (n_symbols + 1), then `length` - 1 blanks; target: blanks until the go marker, then
    the symbols. Returns one-hot x (n, T, n_symbols + 2) and integer y (n, T), T = 2*length + delay.
    """
    delay = length if delay is None else delay
    check_positive_ints(n=n, length=length, n_symbols=n_symbols)
    if not isinstance(delay, (int, np.integer)) or delay < 0:
        raise ValueError(f"delay must be a non-negative int, got {delay!r}")
    rng = np.random.default_rng(seed)
    total = 2 * length + delay
    symbols = rng.integers(1, n_symbols + 1, size=(n, length))
    x_ids = np.zeros((n, total), dtype=np.int64)
    x_ids[:, :length] = symbols
    x_ids[:, length + delay] = n_symbols + 1
    y = np.zeros((n, total), dtype=np.int64)
    y[:, length + delay:] = symbols
    x = np.eye(n_symbols + 2, dtype=np.float32)[x_ids]
    return x, y


def addition_strings(n, max_digits=3, seed=0):
    """Number addition as text, for sequence-to-sequence models: "123+45" -> "168".

    Each operand is drawn in two steps: its digit count uniformly from 1..max_digits, then the
    number uniformly among the numbers with that many digits (0-9 for one digit, 10-99 for
    two, ...). So one-digit operands are as common as three-digit ones, and short sums are not
    rare, as they would be if the numbers were drawn uniformly from 0..10**max_digits - 1.
    Returns (questions, answers): two lists of n strings, without spaces or padding.
    """
    check_positive_ints(n=n, max_digits=max_digits)
    if max_digits > 18:
        raise ValueError(f"max_digits must be at most 18 (int64 operands), got {max_digits}")
    rng = np.random.default_rng(seed)
    digits = rng.integers(1, max_digits + 1, size=(n, 2))
    low = np.where(digits == 1, 0, 10 ** (digits - 1))
    a, b = rng.integers(low, 10 ** digits).T.tolist()
    return [f"{x}+{y}" for x, y in zip(a, b)], [str(x + y) for x, y in zip(a, b)]


LISTOPS_OPS = ("MAX", "MIN", "MED", "SM")
# each operator as a function of its arguments' values (shared by the diagram and the checkers)
LISTOPS_APPLY = {"MAX": max, "MIN": min,
                 "MED": lambda values: int(np.median(values)),   # as Nangia & Bowman's generator
                 "SM": lambda values: sum(values) % 10}
_DIGITS = tuple("0123456789")


def listops_expressions(n, max_depth, seed=0, min_depth=1, max_args=5, p_branch=0.25):
    """ListOps (Nangia & Bowman 2018): nested lists of digits under MAX, MIN, MED and SM.

    Tokens are separated by single spaces; a list opens with its operator attached to the
    bracket and closes with a lone "]": "[MAX 2 9 [MIN 4 7 ] 0 ]" has the value 9. MED is the
    median as Nangia & Bowman's own generator computes it, int(np.median(values)): for an even
    count the two middle values averaged, then truncated ("[MED 3 1 4 1 ]": 1 and 3 give 2;
    "[MED 4 9 3 0 ]": 3 and 4 give 3.5, so 3). SM is the sum modulo 10. evaluate_listops
    computes the value.
    Each expression's depth, the number of brackets on its deepest path ("[MAX 2 9 ]" has 1,
    "[MAX 2 [MIN 4 7 ] ]" 2), is drawn uniformly from min_depth..max_depth and met exactly.
    Every list has an operator drawn uniformly and 2..max_args arguments (uniform); one argument
    (its position uniform) is a list one level shallower, and every other argument is, with
    probability p_branch, a list whose depth is uniform over 1..depth - 1, else a digit 0-9.
    Lengths grow about geometrically with depth. Returns a list of n strings.
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    check_positive_ints(max_depth=max_depth, min_depth=min_depth)
    if min_depth > max_depth:
        raise ValueError(f"min_depth must be at most max_depth = {max_depth}, got {min_depth}")
    if not isinstance(max_args, (int, np.integer)) or isinstance(max_args, bool) or max_args < 2:
        raise ValueError(f"max_args must be an int of at least 2, got {max_args!r}")
    if (not isinstance(p_branch, (int, float, np.integer, np.floating))
            or isinstance(p_branch, bool) or not 0 <= p_branch < 1):
        raise ValueError(f"p_branch must be a probability in [0, 1), got {p_branch!r}")
    rng = np.random.default_rng(seed)

    def tokens(depth):
        op = LISTOPS_OPS[rng.integers(len(LISTOPS_OPS))]
        n_args = rng.integers(2, max_args + 1)
        deepest = rng.integers(n_args)
        out = ["[" + op]
        for i in range(n_args):
            if depth > 1 and i == deepest:
                out += tokens(depth - 1)
            elif depth > 1 and rng.random() < p_branch:
                out += tokens(int(rng.integers(1, depth)))
            else:
                out.append(str(rng.integers(10)))
        return out + ["]"]

    depths = rng.integers(min_depth, max_depth + 1, size=n)
    return [" ".join(tokens(int(depth))) for depth in depths]


def parse_listops(expression):
    """The tree of a ListOps expression: ("MAX", [2, 9, ("MIN", [4, 7]), 0]); "7" parses to 7.

    Tokens are split on whitespace. Raises a ValueError naming the problem: an unknown operator,
    unbalanced brackets, an empty list, a token that is not a digit, "[OP" or "]", or tokens
    left over after a complete expression.
    """
    if not isinstance(expression, str):
        raise ValueError(f"expression must be a str, got {type(expression).__name__}")

    def error(problem, detail):          # reads the loop's i and token when called
        return ValueError(f"{problem} at token {i} ({token!r}) of {expression!r}: {detail}")

    stack, tree = [], None              # stack: the lists still open, innermost last
    for i, token in enumerate(expression.split()):
        if token.startswith("[") and token[1:] in LISTOPS_OPS:
            stack.append((token[1:], []))
            continue
        if token == "]":
            if not stack:
                raise error("unbalanced brackets", "this ']' closes no open list")
            node = stack.pop()
            if not node[1]:
                raise error("empty list", f"'[{node[0]}' has no arguments")
        elif token in _DIGITS:
            node = int(token)
        elif token.startswith("["):
            raise error("unknown operator", f"expected '[' then one of {', '.join(LISTOPS_OPS)}")
        else:
            raise error("bad token", "expected a digit 0-9, '[' followed by an operator, or ']'")
        if stack:
            stack[-1][1].append(node)
        elif tree is None:
            tree = node
        else:
            raise error("trailing tokens", "the expression was already complete")
    if stack:
        raise ValueError(f"unbalanced brackets: {len(stack)} list(s) left open in {expression!r}")
    if tree is None:
        raise ValueError(f"expression is empty, got {expression!r}")
    return tree


def evaluate_listops(expression):
    """The value 0-9 of a ListOps expression, a Python int: "[MAX 2 9 [MIN 4 7 ] 0 ]" -> 9."""
    def value(node):
        if isinstance(node, int):
            return node
        op, children = node
        return LISTOPS_APPLY[op]([value(child) for child in children])
    return value(parse_listops(expression))


def listops_depth(expression):
    """The number of brackets on the deepest path: 0 for "7", 1 for "[MAX 2 9 ]"."""
    def depth(node):
        return 0 if isinstance(node, int) else 1 + max(depth(child) for child in node[1])
    return depth(parse_listops(expression))


# The adding-problem length used by notebooks 04 (SimpleRNN fails), 05 (LSTM succeeds) and
# 06 (the three cells compared): one constant, so the three notebooks tell one story.
ADDING_LENGTH = 50
