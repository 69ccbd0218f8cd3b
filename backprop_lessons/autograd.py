"""Scalar reverse-mode automatic differentiation: the chain rule on a computation graph.

Taught in notebook 03 (chain rule) and used again in 04 (backpropagation).

Every operation on a `Value` builds a new node that remembers

* ``_op``    -- the operation's name, so the graph can be drawn,
* ``_prev``  -- the one or two nodes it was computed from (its parents),
* ``_local`` -- the *local derivatives* d(out)/d(parent), one per parent,
  computed during the forward pass while the numbers are at hand.

``backward()`` then applies the chain rule node by node in reverse topological
order: ``parent.grad += local_derivative * node.grad``.

Three choices differ from micrograd, on purpose:

* Local derivatives are stored as numbers instead of ``_backward`` closures.
  A closure that refers to its own node makes a reference cycle, so every node
  of a micrograd graph waits for the cyclic garbage collector; plain numbers
  keep the graph cycle-free and backprop several times faster.
* Every operation here has one or two inputs, so a node keeps them in two
  slots (``_a``, ``_b``) with their local derivatives (``_da``, ``_db``) rather
  than in tuples: fewer objects per node, which is most of the cost.
* ``backward()`` first sets every gradient in the graph to zero, so calling it
  twice gives the same numbers instead of silently doubling them.
"""

import itertools
import math
import numbers

__all__ = ["Value"]

# Every node gets a number when it is created. A node's inputs exist before the
# node does, so sorting nodes by this number is a topological order for free.
_creation_counter = itertools.count()


def _as_number(x, what="Value"):
    """Return ``x`` as a float, or raise one clear TypeError."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"{what} needs a real number (int or float), got {type(x).__name__} {x!r:.40}"
        )
    return float(x)


class Value:
    """One scalar in a computation graph, with the gradient d(output)/d(this).

    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b + a
    >>> c.backward()
    >>> a.grad, b.grad          # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)
    """

    # __slots__ makes nodes small and attribute access fast; a training step
    # builds tens of thousands of them.
    __slots__ = ("data", "grad", "label", "_op", "_a", "_b", "_da", "_db", "_n")

    def __init__(self, data, label=""):
        self.data = _as_number(data)
        self.grad = 0.0
        self.label = str(label)
        self._op = ""
        self._a = self._b = None
        self._da = self._db = 0.0
        self._n = next(_creation_counter)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _node(data, op, a, da, b=None, db=0.0):
        """A result node: inputs a (and b) with local derivatives da (and db)."""
        out = object.__new__(Value)  # skips __init__'s checks: data is already a float
        out.data = data
        out.grad = 0.0
        out.label = ""
        out._op = op
        out._a, out._da = a, da
        out._b, out._db = b, db
        out._n = next(_creation_counter)
        return out

    @staticmethod
    def _wrap(other):
        if isinstance(other, Value):
            return other
        try:
            return Value(other)
        except TypeError:
            raise TypeError(
                f"a Value can only be combined with numbers or other Values, "
                f"not {type(other).__name__} {other!r:.40}"
            ) from None

    @property
    def _prev(self):
        """The nodes this one was computed from (empty for an input)."""
        return tuple(p for p in (self._a, self._b) if p is not None)

    @property
    def _local(self):
        """d(self)/d(parent) for each parent in ``_prev``, in the same order."""
        return tuple(d for p, d in ((self._a, self._da), (self._b, self._db)) if p is not None)

    # --------------------------------------------------------- binary operators
    def __add__(self, other):
        other = Value._wrap(other)
        return Value._node(self.data + other.data, "+", self, 1.0, other, 1.0)

    def __sub__(self, other):
        other = Value._wrap(other)
        return Value._node(self.data - other.data, "-", self, 1.0, other, -1.0)

    def __mul__(self, other):
        other = Value._wrap(other)
        # d(ab)/da = b and d(ab)/db = a: each factor's slope is the *other* factor.
        return Value._node(self.data * other.data, "*", self, other.data, other, self.data)

    def __truediv__(self, other):
        other = Value._wrap(other)
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by a Value whose data is 0 ({self!r} / {other!r})")
        inv = 1.0 / other.data
        # d(a/b)/da = 1/b and d(a/b)/db = -a/b**2
        return Value._node(self.data / other.data, "/", self, inv, other, -self.data * inv * inv)

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent of ** must be a plain number, not a Value; "
                "for a learnable exponent write (b * a.log()).exp()"
            )
        n = _as_number(exponent, "the exponent of **")
        x = self.data
        if x == 0.0 and n < 1.0:
            raise ZeroDivisionError(f"0 ** {n:g} is undefined (or its slope is): the base is 0")
        if x < 0.0 and not n.is_integer():
            raise ValueError(f"({x:g}) ** {n:g} is not a real number: a negative base needs a whole exponent")
        try:
            # power rule: d(x**n)/dx = n * x**(n-1)
            return Value._node(x**n, f"**{n:g}", self, n * x ** (n - 1.0))
        except OverflowError:
            raise OverflowError(
                f"({x:g}) ** {n:g} is too large for a float; a number this large often "
                "means the learning rate is too high"
            ) from None

    # Reflected forms, so that 2 * v, 1 - v and 1 / v work too.
    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return Value._wrap(other) - self

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return Value._wrap(other) / self

    def __neg__(self):
        return Value._node(-self.data, "neg", self, -1.0)

    # ------------------------------------------------------------ unary functions
    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp({self.data:g}) is too large for a float; an input this large often "
                "means the learning rate is too high"
            ) from None
        return Value._node(e, "exp", self, e)  # d(e^x)/dx = e^x

    def log(self):
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive number, got {self.data:g}")
        return Value._node(math.log(self.data), "log", self, 1.0 / self.data)

    def tanh(self):
        t = math.tanh(self.data)
        return Value._node(t, "tanh", self, 1.0 - t * t)

    def sigmoid(self):
        x = self.data
        # Two algebraically equal forms so that exp never overflows.
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return Value._node(s, "sigmoid", self, s * (1.0 - s))

    def relu(self):
        x = self.data
        # The slope at exactly 0 is taken as 0, the usual convention.
        return Value._node(x if x > 0.0 else 0.0, "relu", self, 1.0 if x > 0.0 else 0.0)

    # ------------------------------------------------------------------ backward
    def topological_order(self):
        """All nodes this Value depends on, each after all of its parents.

        Walks the graph with an explicit stack (no recursion, so a chain of
        100,000 nodes works), then sorts by creation number: a node's inputs
        were always created before it.
        """
        seen = {self}
        stack = [self]
        while stack:
            node = stack.pop()
            a, b = node._a, node._b
            if a is not None and a not in seen:
                seen.add(a)
                stack.append(a)
            if b is not None and b not in seen:
                seen.add(b)
                stack.append(b)
        return sorted(seen, key=_creation_number)

    def backward(self):
        """Fill ``.grad`` of every node in the graph with d(self)/d(node).

        Gradients are recomputed from zero, so calling backward() twice gives
        the same numbers. Within one pass a node used twice receives the sum
        of both contributions (the multivariable chain rule), hence ``+=``.
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            a = node._a
            if a is None:  # an input: nothing further back
                continue
            g = node.grad
            a.grad += node._da * g  # chain rule: local derivative x upstream gradient
            b = node._b
            if b is not None:
                b.grad += node._db * g

    # --------------------------------------------------------------------- show
    def __repr__(self):
        # 6 significant digits: readable, and stable across machines for nbval.
        label = f"{self.label}: " if self.label else ""
        return f"Value({label}data={self.data:.6g}, grad={self.grad:.6g})"


def _creation_number(node):
    return node._n
