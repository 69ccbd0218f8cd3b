"""Scalar reverse-mode automatic differentiation: the chain rule on a computation graph.

Taught in notebook 03 (chain rule), used again in 04 (backpropagation).

``Value`` is notebook 03's ``TinyValue`` grown up. A node keeps the same four
things: ``data``, ``grad``, its ``parents`` (the nodes it was computed from)
and ``local_grads`` (d(this node)/d(parent), one per parent, computed during the
forward pass while the numbers are at hand). ``backward()`` is TinyValue's loop:
``parent.grad += local * node.grad``, output first. What it adds:

* more operations (``-``, ``/``, ``**``, ``exp``, ``log``, ``sigmoid``, ``relu``, and
  ``2 * v`` or ``1 - v`` with plain numbers);
* ``_op`` and ``label``, so that ``graph.draw_graph`` can draw the graph;
* a topological order without recursion: every node gets a number when it is
  created, and a node's parents always exist before it, so sorting the graph's
  nodes by that number puts every node after its parents. TinyValue's recursive
  ``visit`` stops at Python's recursion limit (~1,000 nested operations); this
  works for a chain of 100,000;
* ``__slots__``: a training step builds tens of thousands of nodes, and slots
  make each one smaller and faster to create.

Unlike micrograd, a node stores numbers, not a ``_backward`` closure: a closure
that refers to its own node is a reference cycle, and every node of such a graph
has to wait for Python's cyclic garbage collector.
"""

import itertools
import math

from backprop_lessons._checks import check_number

__all__ = ["Value"]

# A node's number, for the topological order (see the module docstring).
_numbers = itertools.count()


class Value:
    """One number in a computation graph, with the gradient d(output)/d(this).

    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b + a
    >>> c.backward()
    >>> a.grad, b.grad          # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)
    """

    __slots__ = ("data", "grad", "parents", "local_grads", "_op", "label", "_number")

    def __init__(self, data, parents=(), local_grads=(), _op="", label=""):
        if not parents:  # an input: the learner's number, checked once here
            data = check_number(data, "Value", finite=True)
        self.data = data
        self.grad = 0.0  # dL/d(this node), filled in by backward()
        self.parents = parents  # the nodes this one was computed from
        self.local_grads = local_grads  # d(this node)/d(parent), one per parent
        self._op = _op  # the operation's name, for the graph picture
        self.label = str(label)
        self._number = next(_numbers)

    # --------------------------------------------------------- binary operators
    def __add__(self, other):
        other = _as_value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __sub__(self, other):
        other = _as_value(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __mul__(self, other):
        other = _as_value(other)
        # d(ab)/da = b and d(ab)/db = a: each factor's slope is the *other* factor.
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __truediv__(self, other):
        other = _as_value(other)
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by a Value whose data is 0 ({self!r} / {other!r})")
        # d(a/b)/da = 1/b and d(a/b)/db = -a/b**2
        return Value(self.data / other.data, (self, other), (1.0 / other.data, -self.data / other.data**2), "/")

    def __pow__(self, n):
        if isinstance(n, Value):
            raise TypeError(
                "the exponent of ** must be a plain number, not a Value; "
                "for a learnable exponent write (b * a.log()).exp()"
            )
        n, x = check_number(n, "the exponent of **"), self.data
        if x == 0.0 and n < 1.0:
            raise ZeroDivisionError(f"0 ** {n:g} is undefined (or its slope is): the base is 0")
        if x < 0.0 and not n.is_integer():
            raise ValueError(f"({x:g}) ** {n:g} is not a real number: a negative base needs a whole exponent")
        try:
            # power rule: d(x**n)/dx = n * x**(n-1)
            return Value(x**n, (self,), (n * x ** (n - 1.0),), f"**{n:g}")
        except OverflowError:
            raise OverflowError(
                f"({x:g}) ** {n:g} is too large for a float; a number this large often "
                "means the learning rate is too high"
            ) from None

    # Reflected forms, so that 2 * v, 1 - v and 1 / v work too. + and * do not care about
    # the order (2 * v is drawn as v * 2); - and / keep the number first, as written.
    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return _as_value(other) - self

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return _as_value(other) / self

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,), "neg")

    # ----------------------------------------------------------- unary functions
    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp({self.data:g}) is too large for a float; an input this large often "
                "means the learning rate is too high"
            ) from None
        return Value(e, (self,), (e,), "exp")  # d(e^x)/dx = e^x

    def log(self):
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive number, got {self.data:g}")
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        x = self.data
        # Two algebraically equal forms, so that exp never overflows.
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0.0 else math.exp(x) / (1.0 + math.exp(x))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self):
        # The slope at exactly 0 is taken as 0, the usual convention.
        positive = self.data > 0.0
        return Value(self.data if positive else 0.0, (self,), (1.0 if positive else 0.0,), "relu")

    # ------------------------------------------------------------------ backward
    def topological_order(self):
        """Every node this Value depends on (itself included), each after its parents.

        Collects the graph with an explicit stack (no recursion), then sorts by
        creation number: the order in which the nodes were made, inputs first.
        """
        seen, stack = {self}, [self]
        while stack:
            for parent in stack.pop().parents:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return sorted(seen, key=_creation_number)

    def backward(self):
        """Fill ``.grad`` of every node in the graph with d(self)/d(node).

        Gradients start from zero, so calling backward() twice gives the same
        numbers. A node used twice receives the sum of both contributions (the
        multivariable chain rule), hence ``+=``.
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0  # dL/dL = 1
        for node in reversed(order):  # output first
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad  # local derivative x upstream gradient

    def __repr__(self):
        # 6 significant digits: readable, and stable across machines for nbval.
        label = f"{self.label}: " if self.label else ""
        return f"Value({label}data={self.data:.6g}, grad={self.grad:.6g})"


def _as_value(other):
    """A Value as it is, a plain number as a new input Value."""
    if isinstance(other, Value):
        return other
    try:
        return Value(other)
    except TypeError:
        raise TypeError(
            f"a Value can only be combined with numbers or other Values, not {type(other).__name__} {other!r:.40}"
        ) from None


def _creation_number(node):
    return node._number
