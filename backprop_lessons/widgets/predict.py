"""Predict, then see: ask for a prediction before the cells that compute the answer.

Used in every notebook, before the result that carries the lesson::

    guess = predict_first("Which learning rate diverges?", ["α = 0.05", "α = 0.5", "α = 1.1"])
    ...                                  # cells that compute the result
    guess.reveal(label, why="...")       # label computed by those cells, never typed in

``predict_first`` shows the choices (or a number box) and records the learner's first
choice in the kernel. ``reveal`` prints one line: on a fresh kernel (Run All,
the tests) nothing was predicted yet, so it states the result neutrally; after
a prediction it compares the two. A prediction made after ``reveal`` ran is
compared at once, in the widget itself. Nothing blocks: Run All never waits.
"""

import html
import math
import numbers

import ipywidgets as widgets

from backprop_lessons.widgets.quiz import _GREEN, _RED, _bundle, _text

__all__ = ["predict_first", "Prediction"]


def _is_number(x):
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _fmt(x):
    return f"{x:.3g}" if _is_number(x) else str(x)


class Prediction:
    """One prediction; see ``predict_first``. Attributes: question, options (None for a number),
    choice (the learner's first prediction, None until made), actual (None until revealed)."""

    def __init__(self, question, options=None, number=False, tolerance=0.1):
        self.question = _text(question, "question")
        if number == (options is not None):
            raise ValueError("give either options=[...] (a choice) or number=True (a number), not both")
        if options is not None:
            if isinstance(options, str) or not isinstance(options, (list, tuple)) or len(options) < 2:
                raise ValueError(f"options must be a list of at least 2 strings, got {options!r:.60}")
            options = tuple(_text(o, f"option {i}") for i, o in enumerate(options))
        if not _is_number(tolerance) or not tolerance > 0:
            raise ValueError(f"tolerance must be a positive number (relative), got {tolerance!r}")
        self.options, self.tolerance = options, float(tolerance)
        self.choice = self.actual = self.why = None

        self.title = widgets.HTMLMath(
            f"<b>Predict first:</b> {html.escape(self.question)}", layout=widgets.Layout(width="auto")
        )
        if options is not None:
            self.input = widgets.RadioButtons(options=list(options), value=None, layout=widgets.Layout(width="auto"))
        else:
            self.input = widgets.FloatText(value=None, description="your guess", style={"description_width": "initial"})
        self.button = widgets.Button(
            description="Lock in", tooltip="Record your prediction", layout=widgets.Layout(width="max-content")
        )
        self.feedback = widgets.HTMLMath("", layout=widgets.Layout(width="auto"))
        self.button.on_click(lambda _button: self.lock_in())
        self.widget = widgets.VBox(
            [self.title, self.input, self.button, self.feedback], layout=widgets.Layout(width="auto")
        )
        self.widget.add_class("bl-quiz")

    def lock_in(self, value=None):
        """Record a prediction (the widget's value if None); only the first one counts."""
        value = self.input.value if value is None else value
        if value is None or (isinstance(value, float) and math.isnan(value)):
            self.feedback.value = "Choose a prediction first, then press Lock in."
            return None
        if self.options is not None and value not in self.options:
            raise ValueError(f"{value!r:.60} is not one of the options: {', '.join(self.options)}")
        if self.options is None and not _is_number(value):
            raise ValueError(f"a prediction of a number must be a number, got {value!r:.40}")
        if self.choice is None:
            self.choice = value
        self.feedback.value = html.escape(
            self.compare() if self.actual is not None else f"Recorded: {_fmt(self.choice)}. Now run the cells below."
        )
        return self.choice

    def _matches(self):
        if self.options is not None:
            return self.choice == self.actual
        scale = max(abs(self.actual), 1e-300)
        return abs(self.choice - self.actual) <= self.tolerance * scale

    def compare(self):
        """The one-line verdict: the prediction against the result, with the reason."""
        why = f" — {self.why}" if self.why else ""
        if self.choice is None:
            return f"Result: {_fmt(self.actual)}{why}"
        mark = "✓ as you predicted" if self._matches() else f"✗ you predicted {_fmt(self.choice)}"
        return f"Result: {_fmt(self.actual)} ({mark}){why}"

    def reveal(self, actual, why=None):
        """Show the computed result and compare it with the prediction; print one line.

        actual: the result computed by the notebook — an option's text, or a number.
        why: one sentence explaining it.
        """
        if self.options is not None and actual not in self.options:
            raise ValueError(f"reveal: {actual!r:.60} is not one of the options: {', '.join(self.options)}")
        if self.options is None and not _is_number(actual):
            raise ValueError(f"reveal: the result of a number prediction must be a number, got {actual!r:.40}")
        self.actual, self.why = actual, None if why is None else _text(why, "why")
        line = self.compare()
        if self.choice is not None:
            color = _GREEN if self._matches() else _RED
            self.feedback.value = f'<span style="color:{color}">{html.escape(line)}</span>'
        print(line)
        return None

    def text(self):
        """The static text version: the question and its options, no answer."""
        lines = [f"Predict first: {self.question}"]
        if self.options is not None:
            lines += [f"  {chr(ord('a') + i)}) {o}" for i, o in enumerate(self.options)]
        else:
            lines.append("  (a number)")
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs):
        return _bundle(self.widget, self.text() + "\n(prediction: run the notebook to answer)", kwargs)


def predict_first(question, options=None, *, number=False, tolerance=0.1):
    """Ask for a prediction before a result: a choice among ``options``, or ``number=True``.

    tolerance: for a number, how close counts as right (relative, default 10 %).
    Returns a Prediction; call its ``reveal(actual, why=...)`` after the result is computed.
    """
    return Prediction(question, options, number, tolerance)
