"""Exercises that check themselves: call a checker with your function, read one line per case.

Each notebook's checkers live in the module named after it, next to their
reference solutions::

    backprop_lessons/exercises/nb04_backpropagation.py   <- notebook 04's exercises

    from backprop_lessons.exercises.nb04_backpropagation import check_linear_backward
    result = check_linear_backward(linear_backward)   # ✓/✗ per case, a hint naming the mistake

Shared machinery: ``_runner.py`` (run a learner's function safely on cases, report),
``diagnose.py`` (name a mistake from its signature), ``_format.py`` (numbers in messages).
Stuck after trying? ``show_solution("check_linear_backward")`` prints our version.
"""

from ._runner import CheckResult
from .solutions import show_solution

__all__ = ["CheckResult", "show_solution"]
