"""Checkers for notebook 07 (vanishing and exploding gradients): the bound, clipping by norm.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numpy as np

from ._runner import Case, run_cases

__all__ = ['check_vanishing_bound', 'check_clip_by_norm']


def _bound_case(L):
    alternatives = [
        (0.25 * L, "you multiplied 0.25 by L; the chain rule MULTIPLIES one factor per layer: 0.25**L"),
        (0.5**L, "the sigmoid's largest slope is 0.25 (at x = 0), not 0.5"),
        (0.25 ** (L - 1), "off by one layer: one factor 0.25 per layer, L factors"),
        (0.25 ** (L + 1), "off by one layer: one factor 0.25 per layer, L factors"),
        (float(L) ** 0.25, "exponent and base swapped: 0.25**L"),
    ]
    return Case(f"L = {L}", (L,), 0.25**L, names=("bound",),
                diag={"bound": {"alternatives": alternatives}},
                hint="each sigmoid layer multiplies the gradient by at most 0.25")


def check_vanishing_bound(fn):
    """Check ``fn(L) -> 0.25**L``: the largest factor L sigmoid layers can pass back.

    L: a positive int (the number of layers). Returns a single number.
    """
    cases = [_bound_case(L) for L in (1, 3, 10, 30)]
    return run_cases("check_vanishing_bound", fn, cases, ("L",))


def _norm(grads):
    arrays = grads.values() if isinstance(grads, dict) else [grads]
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in arrays)))


def _clip_case(label, grads, max_norm):
    norm = _norm(grads)
    scale = min(1.0, max_norm / norm)
    mistakes = [
        (lambda g: np.clip(g, -max_norm, max_norm),
         "you clipped each entry; clip the NORM instead: scale the whole gradient by max_norm / norm"),
        (lambda g: g * max_norm / norm, "you scaled a small gradient UP; clip only when norm > max_norm"),
        (lambda g: g / norm, "you normalised to length 1; scale to length max_norm: g * max_norm / norm"),
        (lambda g: g * norm / max_norm, "your ratio is upside down: g * max_norm / norm"),
        (lambda g: g * min(1.0, max_norm / np.sqrt(np.sum(g**2))),
         "you clipped each array by its own norm; use ONE global norm over all arrays together"),
    ]
    if isinstance(grads, dict):
        expected = {k: g * scale for k, g in grads.items()}
        diag = {k: {"alternatives": [(m(g), h) for m, h in mistakes if not np.allclose(m(g), g * scale)]}
                for k, g in grads.items()}
        names = ()
    else:
        expected = grads * scale
        diag = {"clipped": {"alternatives": [(m(grads), h) for m, h in mistakes
                                             if not np.allclose(m(grads), expected)]}}
        names = ("clipped",)
    return Case(label, (grads, max_norm), expected, names=names, diag=diag,
                hint="norm = sqrt(sum of all squares); if norm > max_norm, multiply by max_norm / norm")


def check_clip_by_norm(fn):
    """Check ``fn(grads, max_norm) -> clipped``: gradient clipping by the global norm.

    grads: an array, or a dict name -> array. max_norm: a positive number.
    Returns the same kind of thing: unchanged if the total L2 norm (over every
    entry of every array) is at most max_norm, otherwise scaled by max_norm / norm.
    """
    rng = np.random.default_rng(112)
    cases = [
        _clip_case("[3, 4] with max_norm = 1", np.array([3.0, 4.0]), 1.0),
        _clip_case("[0.3, -0.4] with max_norm = 1 (small: unchanged)", np.array([0.3, -0.4]), 1.0),
        _clip_case("a (3, 4) array with max_norm = 2", rng.normal(0, 3, size=(3, 4)), 2.0),
        _clip_case("a dict {W (2, 2), b (2,)} with max_norm = 5",
                   {"W": rng.normal(0, 6, size=(2, 2)), "b": rng.normal(0, 6, size=2)}, 5.0),
    ]
    return run_cases("check_clip_by_norm", fn, cases, ("grads", "max_norm"), mutable=("grads",))


# ----------------------------------------------------- reference solutions
def vanishing_bound(L):
    """The most a gradient can keep through L sigmoid layers: one factor 0.25 per layer."""
    return 0.25**L


def clip_by_norm(grads, max_norm):
    """Scale an array (or a dict of arrays) down to total L2 norm max_norm, if above it."""
    arrays = grads.values() if isinstance(grads, dict) else [grads]
    norm = np.sqrt(sum(np.sum(g**2) for g in arrays))  # ONE norm over every entry
    scale = min(1.0, max_norm / norm)
    if isinstance(grads, dict):
        return {name: g * scale for name, g in grads.items()}
    return grads * scale


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_vanishing_bound": vanishing_bound, "check_clip_by_norm": clip_by_norm}
