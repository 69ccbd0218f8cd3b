"""The exercise modules of all notebooks as two namespaces, for the checker tests.

``run(capsys, checker, ...)`` calls a checker and returns (result, stdout), failing on any stderr or
traceback. ``ex.check_x`` is any notebook's checker (and its public helpers); ``solutions.x``
is the reference solution of ``check_x``; ``solutions.__all__`` lists them all.
"""

from types import SimpleNamespace

from backprop_lessons.exercises import CheckResult, _runner, nb04_bugs, show_solution
from backprop_lessons.exercises.solutions import _MODULES, SOLUTIONS

ex = SimpleNamespace(
    CheckResult=CheckResult,
    _runner=_runner,
    show_solution=show_solution,
    **{name: getattr(m, name) for m in (*_MODULES, nb04_bugs) for name in m.__all__},
)
solutions = SimpleNamespace(**{k[len("check_") :]: fn for k, (fn, _) in SOLUTIONS.items()})
solutions.__all__ = [k[len("check_") :] for k in SOLUTIONS]
# checker name -> the file that holds it, as show_solution prints it
SOLUTION_FILES = {
    k: "backprop_lessons/exercises/" + m.__name__.rsplit(".", 1)[-1] + ".py" for k, (_, m) in SOLUTIONS.items()
}
ex.__all__ = [name for name in vars(ex) if not name.startswith("_")]


def run(capsys, checker, *args, **kwargs):
    """Call a checker; return (result, stdout). Fails if anything reached stderr or a traceback printed."""
    result = checker(*args, **kwargs)
    out, err = capsys.readouterr()
    assert err == "" and "Traceback" not in out
    return result, out
