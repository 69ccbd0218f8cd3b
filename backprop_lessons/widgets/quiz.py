"""Review questions with instant feedback: ``review("04")`` at the end of every notebook.

The questions live out of the learner's sight, in ``backprop_lessons/reviews/nbNN_topic.py``
(a list ``QUESTIONS``, see that package's docstring for the format). Each question
shows its options as radio buttons (keyboard operable) in an order shuffled once
per question (seeded by its key, so every learner sees the same order), a
"Check" button and a feedback line: ✓ or ✗ with the explanation written for the
option chosen; a wrong answer never reveals the right one. The score counts the
FIRST attempt at each question, and says how many were retried.

Everything also works without a browser: ``q.check(1)`` (an option's index as
written in the bank) or ``q.check("the option's text")`` returns True/False.
In a static view (GitHub, a notebook opened before running) the review shows a
text version: the questions and their options, never the answers.
"""

import html
import importlib
import numbers
import pkgutil
import random
import zlib

import ipywidgets as widgets

__all__ = ["review", "bank", "Quiz", "Review"]

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
_KEYS = ("key", "question", "options", "answer")


def _text(value, what):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r:.60}")
    return value.strip()


def _index(choice, options, what="answer"):
    """The index of ``choice``, given as an option's index or its text."""
    if isinstance(choice, numbers.Integral) and not isinstance(choice, bool):
        if not 0 <= choice < len(options):
            raise ValueError(
                f"{what} index {choice} is out of range for {len(options)} options (use 0 to {len(options) - 1})"
            )
        return int(choice)
    if isinstance(choice, str):
        if choice.strip() not in options:
            listed = "; ".join(repr(o) for o in options)
            raise ValueError(f"{what} {choice!r:.60} is not one of the options: {listed}")
        return options.index(choice.strip())
    raise ValueError(f"{what} must be an option's index (int) or its text (str), got {choice!r:.40}")


class Quiz:
    """One multiple-choice question; see ``review``. Attributes: widget, radio, button,
    feedback, attempts (indices checked, in order), first_correct (None until checked)."""

    def __init__(self, key, question, options, answer, number=None):
        self.key = _text(key, "key")
        self.question = _text(question, "question")
        if isinstance(options, str) or not isinstance(options, (list, tuple)) or len(options) < 2:
            raise ValueError(f"options must be a list of at least 2 (text, why) pairs, got {options!r:.60}")
        pairs = []
        for i, option in enumerate(options):
            if not (isinstance(option, (list, tuple)) and len(option) == 2):
                raise ValueError(
                    f"option {i} must be a (text, why) pair: the option and why it is "
                    f"right or wrong, got {option!r:.60}"
                )
            pairs.append((_text(option[0], f"option {i}"), _text(option[1], f"why of option {i}")))
        self.options = tuple(text for text, _ in pairs)
        self.whys = tuple(why for _, why in pairs)
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must all differ; two of them have the same text")
        self.answer = _index(answer, self.options)
        self.number = number
        # One shuffle per question, the same for everybody: seeded by the question's key.
        self.order = list(range(len(self.options)))
        random.Random(zlib.crc32(self.key.encode())).shuffle(self.order)
        self.attempts = []
        self._on_result = []

        title = f"{number}. {self.question}" if number is not None else self.question
        self.title = widgets.HTMLMath(f"<b>{html.escape(title)}</b>", layout=widgets.Layout(width="auto"))
        self.radio = widgets.RadioButtons(
            options=[(self.options[i], i) for i in self.order],
            value=None,
            layout=widgets.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.button = widgets.Button(
            description="Check", tooltip="Check your answer", layout=widgets.Layout(width="max-content")
        )
        self.feedback = widgets.HTMLMath("", layout=widgets.Layout(width="auto"))
        self.button.on_click(lambda _button: self.check())
        self.radio.observe(lambda _change: setattr(self.feedback, "value", ""), names="value")
        self.widget = widgets.VBox(
            [widgets.HTML(_CSS), self.title, self.radio, self.button, self.feedback],
            layout=widgets.Layout(width="auto"),
        )
        self.widget.add_class("bl-quiz")

    @property
    def first_correct(self):
        """True/False for the first attempt; None before any."""
        return None if not self.attempts else self.attempts[0] == self.answer

    @property
    def displayed_answer_position(self):
        """Where the right option is shown (0 = first): for the balance test of the banks."""
        return self.order.index(self.answer)

    def on_result(self, callback):
        """Call ``callback()`` after every checked attempt (the review's score line uses it)."""
        self._on_result.append(callback)

    def check(self, choice=None):
        """Check ``choice`` (index as written in the bank, or option text; None = the selected
        radio button). Shows the feedback and returns True if right, False otherwise."""
        if choice is None and self.radio.value is None:
            self.feedback.value = "Pick an answer first, then press Check."
            return False
        index = self.radio.value if choice is None else _index(choice, self.options, "choice")
        self.radio.value = index
        self.attempts.append(index)
        right = index == self.answer
        mark = (
            f'<span style="color:{_GREEN}">✓ Correct.</span> '
            if right
            else f'<span style="color:{_RED}">✗ Not quite.</span> '
        )
        retry = "" if right else " Try another answer."
        self.feedback.value = mark + html.escape(self.whys[index]) + retry
        for callback in self._on_result:
            callback()
        return right

    def text(self):
        """The static text version: question and options (in display order), no answer."""
        title = f"{self.number}. {self.question}" if self.number is not None else self.question
        lines = [f"Question {title}" if self.number is not None else f"Question: {title}"]
        lines += [f"  {chr(ord('a') + k)}) {self.options[i]}" for k, i in enumerate(self.order)]
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs):
        return _bundle(self.widget, self.text() + "\n(quiz: run the notebook to answer)", kwargs)


def _bundle(widget, text, kwargs):
    """The live widget view plus a text version; the metadata mark lets the server's pre-save hook
    (backprop_lessons/_jupyter.py) keep only the text in a saved notebook, so a reopened notebook
    shows the questions instead of "Error displaying widget: model not found"."""
    data = widget._repr_mimebundle_(**kwargs) or {}
    if isinstance(data, tuple):  # (data, metadata) form
        data = data[0]
    data = dict(data)
    data["text/plain"] = text
    return data, {"backprop_lessons": {"fallback": "text/plain"}}


class Review:
    """Several quizzes in one box with a score line; see ``review``."""

    def __init__(self, questions):
        if isinstance(questions, (str, dict)) or not isinstance(questions, (list, tuple)) or not questions:
            raise ValueError("questions must be a non-empty list of dicts with the keys " + ", ".join(_KEYS))
        self.quizzes = []
        for i, q in enumerate(questions, start=1):
            if not isinstance(q, dict):
                raise ValueError(f"question {i} must be a dict, got {type(q).__name__}")
            unknown = [k for k in q if k not in _KEYS]
            missing = [k for k in _KEYS if k not in q]
            if unknown or missing:
                problem = (
                    f"is missing {', '.join(missing)}"
                    if missing
                    else f"has unknown key(s) {', '.join(map(str, unknown))}"
                )
                raise ValueError(f"question {i} {problem}; use the keys {', '.join(_KEYS)}")
            try:
                self.quizzes.append(Quiz(number=i, **q))
            except ValueError as exc:
                raise ValueError(f"question {i}: {exc}") from None
        keys = [q.key for q in self.quizzes]
        if len(set(keys)) != len(keys):
            raise ValueError("every question needs its own key; two share one")
        self.score_line = widgets.HTML()
        self._update()
        for quiz_ in self.quizzes:
            quiz_.on_result(self._update)
        self.widget = widgets.VBox(
            [q.widget for q in self.quizzes] + [self.score_line], layout=widgets.Layout(width="auto")
        )

    @property
    def score(self):
        """(number right at the first attempt, number of questions)."""
        return sum(q.first_correct is True for q in self.quizzes), len(self.quizzes)

    @property
    def score_text(self):
        right, n = self.score
        retried = sum(len(q.attempts) > 1 for q in self.quizzes)
        unanswered = sum(not q.attempts for q in self.quizzes)
        text = f"{right} of {n} right at the first try"
        extras = ([f"{retried} retried"] if retried else []) + (
            [f"{unanswered} not answered yet"] if unanswered else []
        )
        return text + (f" ({', '.join(extras)})" if extras else "")

    def _update(self):
        self.score_line.value = f"<b>{html.escape(self.score_text)}</b>"

    def check(self, choices):
        """Check one choice per question (index as in the bank, or text); returns the score."""
        if not isinstance(choices, (list, tuple)) or len(choices) != len(self.quizzes):
            raise ValueError(f"give one choice per question: {len(self.quizzes)} choices")
        for quiz_, choice in zip(self.quizzes, choices):
            quiz_.check(choice)
        return self.score[0]

    def _repr_mimebundle_(self, **kwargs):
        text = "\n\n".join(q.text() for q in self.quizzes)
        return _bundle(self.widget, f"{text}\n\n(review: run the notebook to answer)", kwargs)


def bank(notebook):
    """The question bank of a notebook: ``bank("04")`` -> backprop_lessons/reviews/nb04_*.py QUESTIONS."""
    from backprop_lessons import reviews

    number = f"{int(notebook):02d}" if isinstance(notebook, numbers.Integral) else str(notebook).strip()[:2]
    names = [m.name for m in pkgutil.iter_modules(reviews.__path__) if m.name.startswith(f"nb{number}_")]
    if not names:
        known = sorted(m.name[2:4] for m in pkgutil.iter_modules(reviews.__path__) if m.name.startswith("nb"))
        raise ValueError(f"there is no review bank for notebook {notebook!r}; banks exist for: " + ", ".join(known))
    return importlib.import_module(f"backprop_lessons.reviews.{names[0]}").QUESTIONS


def review(questions):
    """The review questions of a notebook, with a score line: ``review("04")``.

    questions: a notebook number ("04" or 4), whose bank is loaded from
    ``backprop_lessons/reviews/``, or a list of question dicts in the bank format.
    """
    return Review(bank(questions) if isinstance(questions, (str, numbers.Integral)) else questions)
