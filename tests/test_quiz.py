"""Tests for widgets/quiz.py: review questions that answer back, headless."""

import ipywidgets as widgets
import pytest

from backprop_lessons.widgets.quiz import quiz, review

OPTIONS = [
    "the loss",
    "the gradient of the loss with respect to every parameter, computed by applying the chain "
    "rule from the output back to the inputs (a long option that must wrap, not be cut)",
    "the learning rate",
]


def make(**overrides):
    kwargs = dict(question="What does backpropagation compute?", options=OPTIONS, answer=1,
                  explanation="It applies the chain rule backwards.", hint="What does a step of gradient descent need?")
    kwargs.update(overrides)
    return quiz(**kwargs)


def test_right_and_wrong_answers_give_feedback_without_revealing_the_answer():
    q = make()
    assert q.correct is None and q.feedback.value == ""
    assert q.check(0) is False and q.correct is False
    assert "✗ Not quite." in q.feedback.value and "What does a step of gradient descent need?" in q.feedback.value
    assert "chain rule" not in q.feedback.value  # neither the explanation nor the answer
    assert q.check(OPTIONS[1]) is True and q.correct is True
    assert "✓ Correct." in q.feedback.value and "It applies the chain rule backwards." in q.feedback.value
    assert q.radio.value == 1  # the widget shows the checked choice


def test_the_check_button_uses_the_selected_option_and_a_new_choice_clears_feedback():
    q = make(hint=None)
    q.button.click()
    assert q.correct is None and "Pick an answer first" in q.feedback.value
    q.radio.value = 2
    q.button.click()
    assert q.correct is False and "try another answer" in q.feedback.value
    q.radio.value = 1
    assert q.feedback.value == "" and q.correct is None  # stale feedback is gone
    q.button.click()
    assert q.correct is True


def test_widget_layout_keeps_labels_whole_and_options_wrapping():
    q = make()
    assert isinstance(q.radio, widgets.RadioButtons) and isinstance(q.button, widgets.Button)
    assert q.radio.layout.width == "auto" and q.radio.style.description_width == "initial"
    assert [label for label, _ in q.radio.options] == OPTIONS  # full text, never truncated
    assert "bl-quiz" in q.widget._dom_classes
    assert "white-space: normal" in q.widget.children[0].value  # CSS that lets long options wrap


def test_text_fallback_lists_question_and_options_but_not_the_answer():
    bundle = make()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text = bundle["text/plain"]
    assert text == "\n".join([
        "Question: What does backpropagation compute?",
        "  a) the loss",
        f"  b) {OPTIONS[1]}",
        "  c) the learning rate",
        "(quiz: run the notebook to answer)",
    ])
    assert "chain rule backwards" not in text and "0x" not in text
    assert make()._repr_mimebundle_()["text/plain"] == text  # deterministic


@pytest.mark.parametrize("overrides, message", [
    ({"answer": 3}, "answer index 3 is out of range for 3 options (use 0 to 2)"),
    ({"answer": -1}, "answer index -1 is out of range"),
    ({"answer": "the gradient"}, "answer 'the gradient' is not one of the options"),
    ({"answer": True}, "answer must be an option's index (int) or its text (str)"),
    ({"answer": 1.0}, "answer must be an option's index (int) or its text (str)"),
    ({"options": ["yes"]}, "options must be a list of at least 2 strings"),
    ({"options": "ab"}, "options must be a list of at least 2 strings"),
    ({"options": ["a", "a", "b"]}, "options must all differ"),
    ({"options": ["a", ""]}, "option 1 must be a non-empty string"),
    ({"question": ""}, "question must be a non-empty string"),
    ({"explanation": None}, "explanation must be a non-empty string"),
])
def test_invalid_specs_raise_a_clear_value_error(overrides, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make(**overrides)


def test_check_rejects_an_invalid_choice():
    with pytest.raises(ValueError, match="choice 'maybe' is not one of the options"):
        make().check("maybe")


QUESTIONS = [
    dict(question="d/dx of x**2?", options=["x", "2x", "x**2"], answer="2x", explanation="Power rule."),
    dict(question="ReLU's slope for x < 0?", options=["0", "1"], answer=0, explanation="Flat."),
    dict(question="Largest slope of the sigmoid?", options=["1", "0.5", "0.25"], answer=2,
         explanation="At x = 0.", hint="s(1 - s) at s = 1/2."),
    dict(question="Gradient of a shared node?", options=["the last one", "the sum"], answer=1,
         explanation="Contributions add up."),
]


def test_review_scores_several_quizzes():
    r = review(QUESTIONS)
    assert r.score == (0, 4) and r.score_text == "0 of 4 correct (4 not checked yet)"
    assert r.check(["2x", 0, 1, 1]) == 3
    assert r.score_text == "3 of 4 correct" and r.score_line.value == "<b>3 of 4 correct</b>"
    r.quizzes[2].check("0.25")
    assert r.score_line.value == "<b>4 of 4 correct</b>"
    r.quizzes[0].radio.value = 0  # changing an answer un-checks it
    assert r.score_text == "3 of 4 correct (1 not checked yet)"
    assert [q.number for q in r.quizzes] == [1, 2, 3, 4]
    assert r.widget.children[-1] is r.score_line


def test_review_text_fallback_numbers_the_questions():
    text = review(QUESTIONS[:2])._repr_mimebundle_()["text/plain"]
    assert text.startswith("Question 1. d/dx of x**2?\n  a) x\n  b) 2x\n  c) x**2\n\nQuestion 2.")
    assert text.endswith("(review: run the notebook to answer)")
    assert "Power rule" not in text


@pytest.mark.parametrize("questions, message", [
    ([], "questions must be a non-empty list of dicts"),
    (QUESTIONS[0], "questions must be a non-empty list of dicts"),
    ([QUESTIONS[0], "q2"], "question 2 must be a dict"),
    ([{k: v for k, v in QUESTIONS[0].items() if k != "answer"}], "question 1 is missing answer"),
    ([{**QUESTIONS[0], "answers": 1}], "question 1 has unknown key"),
    ([QUESTIONS[0], {**QUESTIONS[1], "answer": 5}], "question 2: answer index 5 is out of range"),
])
def test_review_invalid_specs(questions, message):
    with pytest.raises(ValueError, match=message):
        review(questions)


def test_review_check_needs_one_choice_per_question():
    with pytest.raises(ValueError, match="one choice per question: 4 choices"):
        review(QUESTIONS).check([1, 0])
