"""The backprop stepper walks the backward pass node by node with the same numbers as backward()."""

import base64
import random

import pytest

from backprop_lessons.autograd import Value
from backprop_lessons.widgets.stepper import MAX_NODES, backprop_stepper

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def notebook_graph():
    """L = (a*b + c) * f with a=2, b=-3, c=10, f=-2: the graph of notebook 03."""
    a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "L": L}


def shared_graph():
    """L = (a*b) * (a+b) with a=2, b=-3: a and b each feed two nodes."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    d = a * b
    d.label = "d"
    e = a + b
    e.label = "e"
    L = d * e
    L.label = "L"
    return L, {"a": a, "b": b, "d": d, "e": e, "L": L}


def grad_line(stepper, node):
    return stepper.drawing.texts[node][-1].get_text()


def test_order_is_reverse_topological():
    L, _ = notebook_graph()
    s = backprop_stepper(L)
    assert s.order == list(reversed(L.topological_order()))
    assert s.order[0] is L
    position = {node: i for i, node in enumerate(s.order)}
    for node in s.order:  # every node comes after all the nodes that use it
        for parent in node.parents:
            assert position[parent] > position[node]


def test_visits_every_node_with_the_numbers_of_backward():
    L, n = notebook_graph()
    s = backprop_stepper(L)
    # Hand-derived: dL/dL=1, dL/dd=f=-2, dL/df=d=4, dL/de=dL/dc=-2, dL/da=b*(-2)=6, dL/db=a*(-2)=-4.
    by_hand = {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0, "c": -2.0, "a": 6.0, "b": -4.0}
    L.backward()
    assert {name: node.grad for name, node in n.items()} == by_hand
    assert s.step == 0 and s.current is None
    assert all(grad_line(s, node) == "grad ?" for node in s.order)
    for k in range(1, len(s.order) + 1):
        s.next()
        node = s.order[k - 1]
        assert s.step == k and s.current is node
        assert s.grads[node] == node.grad  # exactly: the same sums in the same order
        assert s.equation.endswith(f"= {node.grad:.4g}") or node is L
        assert grad_line(s, node) == f"grad {node.grad:.4g}"
        for later in s.order[k:]:
            assert grad_line(s, later) == "grad ?"
        assert s.drawing.highlighted == (node,)
    assert set(s.grads) == set(n.values())


def test_equations_of_the_notebook_graph():
    L, n = notebook_graph()
    s = backprop_stepper(L)
    assert "Press Next" in s.equation
    s.next()
    assert s.equation.startswith("start: L.grad = dL/dL = 1")
    s.go_to(len(s.order))
    assert s.current is n["a"]
    assert s.equation == "∂e/∂a × e.grad = (-3) × (-2) = 6, so a.grad = 6"
    assert s.equation_for(n["c"]) == "∂d/∂c × d.grad = 1 × (-2) = -2, so c.grad = -2"
    assert "a.grad" in s.equation_line.value


def test_shared_node_equation_adds_both_terms():
    L, n = shared_graph()
    L.backward()
    s = backprop_stepper(L)
    a = n["a"]
    s.go_to(s.order.index(a) + 1)
    # dL/da = (dd/da)(dL/dd) + (de/da)(dL/de) = b*e + 1*d = (-3)(-1) + (1)(-6) = -3
    assert s.equation == (
        "∂d/∂a × d.grad + ∂e/∂a × e.grad = (-3) × (-1) + 1 × (-6) = -3, so a.grad = -3"
        "  (a is used 2 times: the terms add up, +=)"
    )
    assert s.grads[a] == a.grad == -3.0
    # Both nodes that pass gradient to a are marked (dashed), the others are not.
    assert set(s.upstream()) == {n["d"], n["e"]}
    assert s.drawing.boxes[n["d"]].get_linestyle() == "--"
    assert s.drawing.boxes[n["L"]].get_linestyle() in ("-", "solid")


def test_node_used_twice_by_one_operation():
    x = Value(3.0, label="x")
    y = x * x + x
    y.label = "y"
    y.backward()
    s = backprop_stepper(y)
    s.go_to(len(s.order))
    assert s.current is x and s.grads[x] == x.grad == 7.0  # d(x² + x)/dx = 2x + 1
    assert "x is used 3 times" in s.equation
    assert "3 × 1 + 3 × 1 + 1 × 1 = 7" in s.equation
    assert "∂(x*x)/∂x × (x*x).grad" in s.equation  # an unlabelled node is named by its formula


def test_unlabelled_constants_and_long_formulas_get_names():
    x = Value(0.5, label="x")
    y = ((2 * x) + x).tanh() * x
    y.label = "y"
    s = backprop_stepper(y)
    names = {s._names[node] for node in s.order}
    assert {"2", "(x*2)", "((x*2)+x)"} <= names  # 2 * x is computed as x * 2
    assert any(name[0] == "n" and name[1:].isdigit() for name in names)  # tanh(((x*2)+x)) is too long
    two = next(node for node in s.order if s._names[node] == "2")
    assert s.equation_for(two).endswith(f"so (2).grad = {s.grads[two]:.4g}")


def test_random_graphs_match_backward():
    rng = random.Random(0)
    for trial in range(8):
        nodes = [Value(rng.uniform(-2, 2), label=f"x{i}") for i in range(3)]
        for _ in range(rng.randint(4, 16)):
            a, b = rng.choice(nodes), rng.choice(nodes)
            op = rng.choice(["+", "*", "-", "tanh", "sigmoid", "**2"])
            if op == "+":
                nodes.append(a + b)
            elif op == "*":
                nodes.append(a * b)
            elif op == "-":
                nodes.append(a - b)
            elif op == "**2":
                nodes.append(a**2)
            else:
                nodes.append(getattr(a, op)())
        out = nodes[-1]
        out.backward()
        s = backprop_stepper(out)
        for node in s.order:
            assert s.grads[node] == node.grad, (trial, node)


def test_stepper_leaves_the_graph_grads_alone():
    L, n = notebook_graph()
    s = backprop_stepper(L)
    s.go_to(len(s.order))
    assert all(node.grad == 0.0 for node in n.values())


def test_back_and_reset():
    L, _ = notebook_graph()
    s = backprop_stepper(L)
    frames = {}
    for k in range(1, 4):
        s.next()
        frames[k] = (s.equation, s.png)
    s.back()
    assert s.step == 2 and s.current is s.order[1]
    assert (s.equation, s.png) == frames[2]
    assert grad_line(s, s.order[2]) == "grad ?"  # the node of step 3 is unknown again
    s.reset()
    assert s.step == 0 and s.current is None
    assert all(grad_line(s, node) == "grad ?" for node in s.order)
    assert s.drawing.highlighted == ()


def test_bounds_do_nothing_and_say_so():
    L, _ = notebook_graph()
    s = backprop_stepper(L)
    first = s.png
    s.back()
    assert s.step == 0 and s.png == first
    assert "Already at the start" in s.status_text
    assert s.back_button.disabled and not s.next_button.disabled
    n = len(s.order)
    for _ in range(n):
        s.next()
    last = s.png
    s.next()
    assert s.step == n and s.png == last
    assert "Already at the last node" in s.status_text
    assert s.next_button.disabled and not s.back_button.disabled
    s.back()  # the message does not stick
    assert "Already" not in s.status_text
    s.go_to(99)
    assert s.step == n and "steps 0 to 7" in s.status_text
    with pytest.raises(TypeError, match="whole number"):
        s.go_to(1.5)


def test_buttons_step():
    L, _ = notebook_graph()
    s = backprop_stepper(L)
    s.next_button.click()
    s.next_button.click()
    assert s.step == 2
    s.back_button.click()
    assert s.step == 1
    s.reset_button.click()
    assert s.step == 0


def test_image_changes_every_step():
    L, _ = notebook_graph()
    s = backprop_stepper(L)
    images = [bytes(s.png)]
    for _ in s.order:
        s.next()
        images.append(bytes(s.png))
    assert all(img.startswith(PNG_SIGNATURE) for img in images)
    assert len(set(images)) == len(images) == len(s.order) + 1


def test_mimebundle_has_widget_png_and_stable_text():
    L, _ = notebook_graph()
    s = backprop_stepper(L)
    bundle, _ = s._repr_mimebundle_()
    assert {"text/plain", "image/png", WIDGET_VIEW} <= set(bundle)
    assert base64.b64decode(bundle["image/png"]) == s.static_png()  # the picture + "run the notebook" caption
    text = bundle["text/plain"]
    assert text == "<backprop stepper: 7 nodes, output L; run the notebook to step through the backward pass>"
    s.next()
    assert s._repr_mimebundle_()[0]["text/plain"] == text == repr(s)
    assert s.images[0] in s.picture.children and s.picture in s.widget.children
    # the equation is shown once: in the picture, not again as a text line or in the status line
    assert s.equation_line not in s.widget.children and s.equation not in s.status_text


def test_bad_inputs_have_clear_messages():
    with pytest.raises(TypeError, match="needs a Value"):
        backprop_stepper(3.0)
    x = Value(1.0, label="x")
    y = x
    for _ in range(MAX_NODES):
        y = y * 1.0
    with pytest.raises(ValueError, match="smaller piece"):
        backprop_stepper(y)


def pixels(png):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("make", [notebook_graph, shared_graph])
def test_incremental_frames_equal_full_redraws(make):
    """A first visit repaints only the boxes that changed; the frames must equal full redraws exactly."""
    L, _ = make()
    s = backprop_stepper(L)
    n = len(s.order)
    reference = backprop_stepper(L)
    reference.incremental = False  # every frame a full FastFigure.draw()
    full = {}
    for k in range(n + 1):
        reference._frames.clear()  # no cached PNGs: draw step k now
        reference.go_to(k)
        full[k] = pixels(reference.png)

    def check(stepper):
        assert (pixels(stepper.png) == full[stepper.step]).all(), f"step {stepper.step} differs"

    check(s)
    for _ in range(n):
        s.next()
        check(s)
        assert s.redrawn < n  # really incremental: not every box was drawn again
    for _ in range(n):  # cached frames
        s.back()
        check(s)
    s.reset()
    check(s)

    # Jumps: each new frame starts from whatever frame was drawn last, not the step before.
    jumper = backprop_stepper(L)
    for k in [n, 2, n - 1, 1, 3, 0]:
        jumper.go_to(k)
        check(jumper)
    jumper.refresh(full=True)  # a full redraw, then incremental again
    check(jumper)
    jumper._frames.clear()
    jumper.go_to(n)
    check(jumper)
