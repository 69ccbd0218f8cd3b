"""Review questions with instant feedback: ``quiz(...)`` for one, ``review([...])`` for several.

Used at the end of notebooks 01-07. A quiz is a question, its options as
radio buttons (keyboard operable), a "Check" button and a feedback line:
✓ and the explanation, or ✗ and a hint to try again (the answer is never
shown). Everything also works without a browser: ``q.check(1)`` or
``q.check("the option's text")`` returns True/False, which tests use.

In a static view (GitHub, a notebook opened before running) the quiz shows a
text version: the question and its options, never the answer.
"""

import html
import numbers

import ipywidgets as widgets

__all__ = ["quiz", "review", "Quiz", "Review"]

# Okabe-Ito colours (as plots.PALETTE), always next to a ✓/✗, never colour alone.
_GREEN, _RED = "#009E73", "#D55E00"
# ipywidgets gives radio labels a fixed one-line height and floats the button (which
# comes AFTER the text in the label) to the left: a long option would overlap the next
# one or wrap around its button. A flex row keeps the button first and lets text wrap.
_CSS = """<style>
.bl-quiz .widget-radio-box label, .bl-quiz .jupyter-widget-radio-box label {
  display: flex; align-items: flex-start; height: auto;
  min-height: var(--jp-widgets-radio-item-height, 24px);
  line-height: 1.4; white-space: normal; padding: 2px 0; }
.bl-quiz .widget-radio-box input, .bl-quiz .jupyter-widget-radio-box input {
  order: -1; float: none; flex-shrink: 0; height: auto; margin-top: 0.25em; }
</style>"""
_KEYS = ("question", "options", "answer", "explanation", "hint")


def _text(value, what):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r:.60}")
    return value.strip()


def _index(choice, options, what="answer"):
    """The index of ``choice``, given as an option's index or its text."""
    if isinstance(choice, numbers.Integral) and not isinstance(choice, bool):
        if not 0 <= choice < len(options):
            raise ValueError(f"{what} index {choice} is out of range for {len(options)} options "
                             f"(use 0 to {len(options) - 1})")
        return int(choice)
    if isinstance(choice, str):
        if choice.strip() not in options:
            listed = "; ".join(repr(o) for o in options)
            raise ValueError(f"{what} {choice!r:.60} is not one of the options: {listed}")
        return options.index(choice.strip())
    raise ValueError(f"{what} must be an option's index (int) or its text (str), got {choice!r:.40}")


class Quiz:
    """One multiple-choice question; see ``quiz``. Attributes: widget, radio, button,
    feedback, correct (None until checked, then True/False)."""

    def __init__(self, question, options, answer, explanation, hint=None, number=None):
        self.question = _text(question, "question")
        if isinstance(options, str) or not isinstance(options, (list, tuple)) or len(options) < 2:
            raise ValueError(f"options must be a list of at least 2 strings, got {options!r:.60}")
        self.options = tuple(_text(o, f"option {i}") for i, o in enumerate(options))
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must all differ; two of them have the same text")
        self.answer = _index(answer, self.options)
        self.explanation = _text(explanation, "explanation")
        self.hint = None if hint is None else _text(hint, "hint")
        self.number = number
        self.correct = None
        self._listeners = []

        title = f"{number}. {self.question}" if number is not None else self.question
        self.title = widgets.HTMLMath(f"<b>{html.escape(title)}</b>",
                                      layout=widgets.Layout(width="auto"))
        self.radio = widgets.RadioButtons(
            options=[(o, i) for i, o in enumerate(self.options)], value=None,
            layout=widgets.Layout(width="auto"), style={"description_width": "initial"})
        self.button = widgets.Button(description="Check", tooltip="Check your answer",
                                     layout=widgets.Layout(width="max-content"))
        self.feedback = widgets.HTMLMath("", layout=widgets.Layout(width="auto"))
        self.button.on_click(lambda _button: self.check())
        self.radio.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HTML(_CSS), self.title, self.radio, self.button,
                                    self.feedback], layout=widgets.Layout(width="auto"))
        self.widget.add_class("bl-quiz")

    def _on_change(self, change):
        # A new choice makes the old feedback stale: clear it until "Check" is pressed.
        self.feedback.value = ""
        self._set_correct(None)

    def _set_correct(self, value):
        self.correct = value
        for listener in self._listeners:
            listener()

    def check(self, choice=None):
        """Check ``choice`` (index or option text; None = the selected radio button).

        Shows the feedback and returns True if right, False otherwise.
        """
        if choice is None and self.radio.value is None:
            self.feedback.value = "Pick an answer first, then press Check."
            self._set_correct(None)
            return False
        index = self.radio.value if choice is None else _index(choice, self.options, "choice")
        self.radio.value = index
        right = index == self.answer
        if right:
            self.feedback.value = (f'<span style="color:{_GREEN}">✓ Correct.</span> '
                                   f"{html.escape(self.explanation)}")
        else:
            advice = self.hint or "Read the question again and try another answer."
            self.feedback.value = (f'<span style="color:{_RED}">✗ Not quite.</span> '
                                   f"{html.escape(advice)}")
        self._set_correct(right)
        return right

    def text(self):
        """The static text version: question and options, no answer."""
        title = f"{self.number}. {self.question}" if self.number is not None else self.question
        lines = [f"Question {title}" if self.number is not None else f"Question: {title}"]
        lines += [f"  {chr(ord('a') + i)}) {o}" for i, o in enumerate(self.options)]
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs):
        return _bundle(self.widget, self.text() + "\n(quiz: run the notebook to answer)", kwargs)


def _bundle(widget, text, kwargs):
    data = widget._repr_mimebundle_(**kwargs) or {}
    if isinstance(data, tuple):  # (data, metadata) form
        data = data[0]
    data = dict(data)
    data["text/plain"] = text
    return data


class Review:
    """Several quizzes in one box with a score line; see ``review``."""

    def __init__(self, questions):
        if isinstance(questions, (str, dict)) or not isinstance(questions, (list, tuple)) or not questions:
            raise ValueError("questions must be a non-empty list of dicts with keys "
                             "question, options, answer, explanation (and optionally hint)")
        self.quizzes = []
        for i, q in enumerate(questions, start=1):
            if not isinstance(q, dict):
                raise ValueError(f"question {i} must be a dict, got {type(q).__name__}")
            unknown = [k for k in q if k not in _KEYS]
            missing = [k for k in _KEYS[:4] if k not in q]
            if unknown or missing:
                problem = (f"is missing {', '.join(missing)}" if missing
                           else f"has unknown key(s) {', '.join(map(str, unknown))}")
                raise ValueError(f"question {i} {problem}; use the keys {', '.join(_KEYS)}")
            try:
                self.quizzes.append(Quiz(number=i, **q))
            except ValueError as exc:
                raise ValueError(f"question {i}: {exc}") from None
        self.score_line = widgets.HTML()
        self._update()
        for quiz_ in self.quizzes:
            quiz_._listeners.append(self._update)
        self.widget = widgets.VBox([q.widget for q in self.quizzes] + [self.score_line],
                                   layout=widgets.Layout(width="auto"))

    @property
    def score(self):
        """(number correct, number of questions)."""
        return sum(q.correct is True for q in self.quizzes), len(self.quizzes)

    @property
    def score_text(self):
        right, n = self.score
        unchecked = sum(q.correct is None for q in self.quizzes)
        return f"{right} of {n} correct" + (f" ({unchecked} not checked yet)" if unchecked else "")

    def _update(self):
        self.score_line.value = f"<b>{self.score_text}</b>"

    def check(self, choices):
        """Check one choice per question (index or text); returns the number correct."""
        if not isinstance(choices, (list, tuple)) or len(choices) != len(self.quizzes):
            raise ValueError(f"give one choice per question: {len(self.quizzes)} choices")
        for quiz_, choice in zip(self.quizzes, choices):
            quiz_.check(choice)
        return self.score[0]

    def _repr_mimebundle_(self, **kwargs):
        text = "\n\n".join(q.text() for q in self.quizzes)
        return _bundle(self.widget, f"{text}\n\n(review: run the notebook to answer)", kwargs)


def quiz(question, options, answer, explanation, hint=None):
    """One multiple-choice question with a Check button and instant feedback.

    question: the question text (LaTeX in $...$ works). options: 2+ different strings.
    answer: the right option, as its index (0-based) or its exact text.
    explanation: shown with ✓ after a right answer. hint: shown with ✗ after a wrong
    one (default: "try another answer"); the answer itself is never revealed.
    Invalid arguments raise ValueError at once, naming the problem.
    """
    return Quiz(question, options, answer, explanation, hint)


def review(questions):
    """Several quizzes in one box with a score line ("3 of 4 correct").

    questions: a list of dicts with the keys of ``quiz``: question, options,
    answer, explanation and optionally hint.
    """
    return Review(questions)
