import statistics

import numpy as np
import pytest

from course_utils import (ADDING_LENGTH, LISTOPS_OPS, adding_problem, addition_strings, copy_task,
                          evaluate_listops, listops_depth, listops_expressions, parse_listops)


def test_adding_problem_is_seeded_and_well_formed():
    x, y = adding_problem(2000, 20, seed=3)
    x2, y2 = adding_problem(2000, 20, seed=3)
    np.testing.assert_array_equal(x, x2)
    assert x.shape == (2000, 20, 2) and y.shape == (2000, 1) and x.dtype == np.float32
    assert np.all(x[:, :, 1].sum(axis=1) == 2)                 # exactly two markers
    assert np.all(x[:, :10, 1].sum(axis=1) == 1)               # one in each half
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * x[:, :, 1]).sum(axis=1), rtol=1e-6)
    assert not np.array_equal(x, adding_problem(2000, 20, seed=4)[0])


def test_adding_problem_baseline_is_one_sixth():
    _, y = adding_problem(50_000, ADDING_LENGTH, seed=0)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.005)


def test_copy_task_layout():
    x, y = copy_task(5, 4, n_symbols=3, delay=2, seed=0)
    assert x.shape == (5, 10, 5) and y.shape == (5, 10)
    ids = x.argmax(-1)
    np.testing.assert_array_equal(y[:, 6:], ids[:, :4])         # symbols come back after the go marker
    assert np.all(ids[:, 6] == 4) and np.all(y[:, :6] == 0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=0, length=10), "n must be a positive int"),
    (dict(n=5, length=1), "length must be at least 2"),
    (dict(n=5, length=2.5), "length must be a positive int"),
])
def test_adding_problem_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        adding_problem(**kwargs)


def test_addition_strings_are_seeded_correct_sums():
    questions, answers = addition_strings(2000, max_digits=3, seed=5)
    assert (questions, answers) == addition_strings(2000, max_digits=3, seed=5)
    assert questions != addition_strings(2000, max_digits=3, seed=6)[0]
    assert len(questions) == len(answers) == 2000
    for question, answer in zip(questions, answers):
        a, b = question.split("+")
        assert answer == str(int(a) + int(b))
        assert a == str(int(a)) and b == str(int(b))         # no leading zeros, no spaces


def test_addition_strings_digit_counts_are_uniform_in_range():
    questions, _ = addition_strings(6000, max_digits=3, seed=0)
    lengths = np.array([len(operand) for q in questions for operand in q.split("+")])
    assert lengths.min() == 1 and lengths.max() == 3
    assert np.allclose(np.bincount(lengths)[1:] / lengths.size, 1 / 3, atol=0.02)
    assert {len(q) for q in addition_strings(50, max_digits=1)[0]} == {3}   # "d+d"


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=0), "n must be a positive int, got 0"),
    (dict(n=5, max_digits=0), "max_digits must be a positive int, got 0"),
    (dict(n=5, max_digits=2.0), "max_digits must be a positive int, got 2.0"),
    (dict(n=5, max_digits=19), "max_digits must be at most 18"),
])
def test_addition_strings_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        addition_strings(**kwargs)


@pytest.mark.parametrize("expression, value", [
    ("[MAX 2 9 [MIN 4 7 ] 0 ]", 9),
    ("[MED 3 1 4 1 ]", 2),                   # sorted 1 1 3 4: 1 and 3 averaged, int(np.median) = 2
    ("[MED 4 9 3 0 ]", 3),                   # 3 and 4 average 3.5, truncated (rounding gives 4)
    ("[MED 9 8 ]", 8),                       # 8.5 truncated
    ("[MED 5 2 8 ]", 5),
    ("[SM 9 8 7 ]", 4),                                        # 24 mod 10
    ("[MIN 6 [SM 5 5 ] 3 ]", 0),
    ("7", 7),
])
def test_evaluate_listops_known_values(expression, value):
    assert evaluate_listops(expression) == value
    assert type(evaluate_listops(expression)) is int                 # a Python int, not NumPy's


def test_parse_listops_tree_and_depth():
    assert parse_listops("[MAX 2 9 [MIN 4 7 ] 0 ]") == ("MAX", [2, 9, ("MIN", [4, 7]), 0])
    assert parse_listops("7") == 7
    assert [listops_depth(e) for e in ["7", "[MAX 2 9 ]", "[MAX 2 [MIN 4 7 ] ]",
                                       "[SM [MED 1 [MAX 2 3 ] ] [MIN 4 5 ] ]"]] == [0, 1, 2, 3]


def _lists(tree):
    """Every (op, children) node of a parsed tree."""
    if isinstance(tree, int):
        return []
    return [tree] + [node for child in tree[1] for node in _lists(child)]


def test_listops_depths_are_uniform_in_range_and_exact():
    expressions = listops_expressions(4000, max_depth=5, min_depth=2, seed=1)
    depths = np.array([listops_depth(e) for e in expressions])
    assert set(depths) == {2, 3, 4, 5}
    assert np.allclose(np.bincount(depths)[2:] / depths.size, 1 / 4, atol=0.03)
    for expression in listops_expressions(200, max_depth=6, p_branch=0.0, seed=2):
        assert expression.count("[") == listops_depth(expression)   # one chain, no side branches


def test_listops_argument_counts_and_operators():
    nodes = [node for e in listops_expressions(1000, max_depth=4, max_args=3, seed=3)
             for node in _lists(parse_listops(e))]
    assert {len(children) for _, children in nodes} == {2, 3}
    assert {op for op, _ in nodes} == set(LISTOPS_OPS)


def test_listops_format():
    for expression in listops_expressions(1000, max_depth=5, seed=4):
        tokens = expression.split(" ")                         # single spaces: no empty tokens
        allowed = set("0123456789]") | {"[" + op for op in LISTOPS_OPS}
        assert set(tokens) <= allowed, expression         # every "[" carries an operator
        assert tokens[0][0] == "[" and tokens[-1] == "]"
        assert expression.count("]") == expression.count(" ]") == expression.count("[")


def test_listops_expressions_are_seeded():
    expressions = listops_expressions(300, max_depth=4, seed=5)
    assert len(expressions) == 300 and expressions == listops_expressions(300, max_depth=4, seed=5)
    assert expressions != listops_expressions(300, max_depth=4, seed=6)
    assert listops_expressions(0, max_depth=3) == []


def _reference_value(tokens):
    """A second ListOps evaluator, written separately: consumes `tokens` from the front."""
    token = tokens.pop(0)
    if token.isdigit():
        return int(token)
    args = []
    while tokens[0] != "]":
        args.append(_reference_value(tokens))
    tokens.pop(0)
    return {"MAX": max, "MIN": min, "MED": lambda a: int(statistics.median(a)),   # N & B's
            "SM": lambda a: sum(a) % 10}[token[1:]](args)


def test_evaluate_listops_agrees_with_a_reference_evaluator():
    expressions = listops_expressions(500, max_depth=6, seed=7)
    values = [evaluate_listops(e) for e in expressions]
    assert values == [_reference_value(e.split()) for e in expressions]
    assert set(values) == set(range(10))


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=-1, max_depth=3), "n must be a non-negative int, got -1"),
    (dict(n=2.0, max_depth=3), "n must be a non-negative int, got 2.0"),
    (dict(n=5, max_depth=0), "max_depth must be a positive int, got 0"),
    (dict(n=5, max_depth=3, min_depth=0), "min_depth must be a positive int, got 0"),
    (dict(n=5, max_depth=3, min_depth=4), "min_depth must be at most max_depth = 3, got 4"),
    (dict(n=5, max_depth=3, max_args=1), "max_args must be an int of at least 2, got 1"),
    (dict(n=5, max_depth=3, p_branch=1.0), r"p_branch must be a probability in \[0, 1\), got 1.0"),
    (dict(n=5, max_depth=3, p_branch=-0.1), r"p_branch must be a probability in \[0, 1\)"),
])
def test_listops_expressions_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        listops_expressions(**kwargs)


@pytest.mark.parametrize("expression, message", [
    ("[FOO 1 2 ]", "unknown operator at token 0"),
    ("[ MAX 1 2 ]", "unknown operator at token 0"),
    ("[MAX 1 2", "unbalanced brackets: 1 list"),
    ("[MAX 1 2 ] ]", "unbalanced brackets at token 4"),
    ("[MAX [MIN ] 3 ]", "empty list at token 2"),
    ("[MAX 1 10 ]", "bad token at token 2 \\('10'\\)"),
    ("[MAX 1 2 ] 3", "trailing tokens at token 4"),
    ("", "expression is empty"),
    (7, "expression must be a str, got int"),
])
def test_listops_malformed_expressions(expression, message):
    for function in (parse_listops, evaluate_listops, listops_depth):
        with pytest.raises(ValueError, match=message):
            function(expression)
