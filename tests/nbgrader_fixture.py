"""A small source notebook with two graded exercises, in the course's convention (SPEC, issue 12).

The editions and nbgrader round-trip tests run on it, so they test the machinery even before (and
whatever) the course notebooks carry. It uses the package's REAL checkers, imported the way a
notebook does, so the round trip also shows what a learner reads in nbgrader's feedback.

    fixture_source()                  the source (solutions edition), no outputs
    with_function(nb, name, source)   replace the cell that defines a function (a learner's answer)
    MISTAKE                           the typical mistake of exercise 1 and the function it defines
"""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NAME = "00_fixture.ipynb"

IMPORTS = """\
import numpy as np

try:  # the per-notebook layout (issue 12 §7)
    from backprop_lessons.exercises.nb04_backpropagation import check_linear_backward
    from backprop_lessons.exercises.nb06_activations import check_relu_backward
except ImportError:  # before it
    from backprop_lessons.exercises import check_linear_backward, check_relu_backward"""

LINEAR = '''\
def linear_backward(dout, X, W):
    """dout (N, H), X (N, D), W (D, H) -> dX (N, D), dW (D, H), db (H,)"""
    ### BEGIN SOLUTION
    dX = dout @ W.T  # (N, D)
    dW = X.T @ dout  # (D, H)
    db = dout.sum(axis=0)  # (H,)
    return dX, dW, db
    ### END SOLUTION'''

RELU = '''\
def relu_backward(x, dout):
    """x, dout: same shape -> dx = dout where x > 0, else 0"""
    ### BEGIN SOLUTION
    return dout * (x > 0)
    ### END SOLUTION'''

# The typical slip of exercise 1: averaging db over the batch instead of summing it.
MISTAKE = (
    "linear_backward",
    '''\
def linear_backward(dout, X, W):
    """dout (N, H), X (N, D), W (D, H) -> dX (N, D), dW (D, H), db (H,)"""
    return dout @ W.T, X.T @ dout, dout.mean(axis=0)''',
)


def check(fn_name, checker):
    return (
        f"result = {checker}({fn_name})\n"
        "### BEGIN HIDDEN TESTS\n"
        "assert result.passed, result.summary\n"
        "### END HIDDEN TESTS"
    )


def meta(grade_id, *, solution, points=None):
    """nbgrader cell metadata as SPEC.md gives it (schema version 3)."""
    m = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
    }
    if points is not None:
        m["points"] = points
    return {"nbgrader": m}


def fixture_source():
    cells = [
        new_markdown_cell("# Fixture: two graded exercises\n\nBuilt by tests/nbgrader_fixture.py."),
        new_code_cell(IMPORTS),
        new_markdown_cell("### Exercise 1 · The backward pass of a linear layer (★★☆)"),
        new_code_cell(LINEAR, metadata=meta("nb00-linear-backward", solution=True)),
        new_code_cell(
            check("linear_backward", "check_linear_backward"),
            metadata=meta("nb00-linear-backward-check", solution=False, points=2),
        ),
        new_markdown_cell("### Exercise 2 · ReLU's backward pass (★☆☆)"),
        new_code_cell(RELU, metadata=meta("nb00-relu-backward", solution=True)),
        new_code_cell(
            check("relu_backward", "check_relu_backward"),
            metadata=meta("nb00-relu-backward-check", solution=False, points=1),
        ),
        new_markdown_cell("## Summary\n\nKey terms: *stub*, *hidden test*."),
    ]
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(nb)
    return nb


def defines(cell, name):
    return cell.cell_type == "code" and f"def {name}(" in cell.source


def with_function(nb, name, source):
    """Replace the (solution) cell that defines `name` with `source`; keep its metadata."""
    cells = [c for c in nb.cells if defines(c, name)]
    assert len(cells) == 1, f"expected one cell defining {name}, found {len(cells)}"
    cells[0].source = source
    return nb
