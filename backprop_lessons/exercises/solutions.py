"""``show_solution``: print our reference solution to an exercise, for self-study after trying.

Each notebook's checkers and reference solutions live together in
``backprop_lessons/exercises/nbNN_topic.py`` (its ``SOLUTIONS`` dict maps a
checker's name to the reference function, which passes that checker).
"""

import inspect

from . import (
    nb01_forward_pass,
    nb02_loss,
    nb03_chain_rule,
    nb04_backpropagation,
    nb05_learning_rate,
    nb06_activations,
    nb07_vanishing_gradients,
    nb08_optimizers,
    nb09_generalization,
    nb10_capstone,
)

__all__ = ["show_solution", "SOLUTIONS"]

_MODULES = (
    nb01_forward_pass,
    nb02_loss,
    nb03_chain_rule,
    nb04_backpropagation,
    nb05_learning_rate,
    nb06_activations,
    nb07_vanishing_gradients,
    nb08_optimizers,
    nb09_generalization,
    nb10_capstone,
)
# checker name -> (reference function, module it lives in)
SOLUTIONS = {name: (fn, module) for module in _MODULES for name, fn in module.SOLUTIONS.items()}


def show_solution(name):
    """Print the reference solution for a checker: show_solution("check_mse").

    name: the checker's name (with or without "check_"), or the checker itself.
    Prints nothing else and returns None, so a notebook cell shows only the code.
    """
    key = getattr(name, "__name__", name)
    if isinstance(key, str) and not key.startswith("check_"):
        key = "check_" + key
    if key not in SOLUTIONS:
        shown = repr(getattr(name, "__name__", name)) if isinstance(key, str) else f"a {type(name).__name__}"
        print(f"There is no solution for {shown}; choose one of: {', '.join(SOLUTIONS)}")
        return None
    fns, module = SOLUTIONS[key]
    path = "backprop_lessons/exercises/" + module.__name__.rsplit(".", 1)[-1] + ".py"
    print(f"Reference solution for {key} ({path}):\n")
    # one function, or a tuple of them (a forward/backward pair)
    print("\n\n".join(inspect.getsource(fn).rstrip() for fn in (fns if isinstance(fns, tuple) else (fns,))))
    return None
