"""Tests for widgets/quiz.py and widgets/predict.py: reviews and predictions, headless."""

import ipywidgets as widgets
import pytest

from backprop_lessons.widgets import predict_first, review
from backprop_lessons.widgets.quiz import Quiz, bank

LONG = (
    "the gradient of the loss with respect to every parameter, computed by applying the chain "
    "rule from the output back to the inputs (a long option that must wrap, not be cut)"
)
OPTIONS = [
    ("the loss", "The loss is computed by the forward pass; backprop starts from it."),
    (LONG, "It applies the chain rule backwards."),
    ("the learning rate", "The learning rate is chosen by you (or a schedule), not computed."),
]


def make(key="nb99-what", **overrides):
    kwargs = dict(key=key, question="What does backpropagation compute?", options=OPTIONS, answer=1)
    kwargs.update(overrides)
    return Quiz(**kwargs)


def question(i, answer=1):
    return {"key": f"nb99-q{i}", "question": f"Question {i}?", "options": OPTIONS, "answer": answer}


def test_right_and_wrong_answers_explain_the_option_chosen_without_revealing_the_answer():
    q = make()
    assert q.first_correct is None and q.feedback.value == ""
    assert q.check(0) is False and q.first_correct is False
    assert "✗ Not quite." in q.feedback.value and "forward pass" in q.feedback.value
    assert "chain rule" not in q.feedback.value  # neither the right option's text nor its why
    assert q.check(LONG) is True
    assert "✓ Correct." in q.feedback.value and "It applies the chain rule backwards." in q.feedback.value
    assert q.first_correct is False and q.attempts == [0, 1]  # the first attempt counts
    assert q.radio.value == 1  # the widget shows the checked choice


def test_the_check_button_uses_the_selected_option_and_a_new_choice_clears_feedback():
    q = make()
    q.button.click()
    assert q.attempts == [] and "Pick an answer first" in q.feedback.value
    q.radio.value = 2
    q.button.click()
    assert q.first_correct is False and "Try another answer" in q.feedback.value
    q.radio.value = 1
    assert q.feedback.value == ""  # stale feedback is gone
    q.button.click()
    assert q.attempts == [2, 1]


def test_options_are_shuffled_once_per_key_the_same_for_everybody():
    orders = {make(key=f"nb99-{i}").order == [0, 1, 2] for i in range(20)}
    assert orders == {True, False}  # some keys shuffle, not all stay as written
    assert make(key="nb99-x").order == make(key="nb99-x").order
    q = make(key="nb99-x")
    assert [label for label, _ in q.radio.options] == [OPTIONS[i][0] for i in q.order]
    assert q.displayed_answer_position == q.order.index(1)


def test_widget_layout_keeps_labels_whole_and_options_wrapping():
    q = make()
    assert isinstance(q.radio, widgets.RadioButtons) and isinstance(q.button, widgets.Button)
    assert q.radio.layout.width == "auto" and q.radio.style.description_width == "initial"
    assert sorted(label for label, _ in q.radio.options) == sorted(o for o, _ in OPTIONS)
    assert "bl-quiz" in q.widget._dom_classes
    assert "white-space: normal" in q.widget.children[0].value  # CSS that lets long options wrap


def test_text_fallback_lists_question_and_options_but_not_the_answer():
    q = make(number=3)
    bundle, metadata = q._repr_mimebundle_()
    assert metadata == {"backprop_lessons": {"fallback": "text/plain"}}  # a saved notebook keeps the text
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text = bundle["text/plain"]
    shown = [OPTIONS[i][0] for i in q.order]
    assert text == "\n".join(
        [
            "Question 3. What does backpropagation compute?",
            *[f"  {c}) {o}" for c, o in zip("abc", shown)],
            "(quiz: run the notebook to answer)",
        ]
    )
    for _, why in OPTIONS:
        assert why not in text


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(options=["a", "b"]), r"must be a \(text, why\) pair"),
        (dict(options=[("a", "x")]), "at least 2"),
        (dict(options=[("a", "x"), ("a", "y")]), "must all differ"),
        (dict(answer=5), "out of range"),
        (dict(answer="nope"), "not one of the options"),
        (dict(question="  "), "question must be a non-empty string"),
        (dict(options=[("a", ""), ("b", "y")]), "why of option 0"),
    ],
)
def test_invalid_questions_raise_a_clear_value_error(overrides, message):
    with pytest.raises(ValueError, match=message):
        make(**overrides)


def test_review_scores_the_first_attempt_and_counts_retries():
    r = review([question(1), question(2), question(3)])
    assert r.score == (0, 3) and "3 not answered yet" in r.score_text
    r.quizzes[0].check(0)  # wrong, then right: still wrong at the first try
    r.quizzes[0].check(1)
    r.quizzes[1].check(1)
    assert r.score == (1, 3)
    assert r.score_text == "1 of 3 right at the first try (1 retried, 1 not answered yet)"
    assert "1 of 3 right at the first try" in r.score_line.value
    assert r.check([1, 1, 1]) == 2  # every question answered again: first attempts decide


def test_answering_all_wrong_then_all_right_does_not_score_full_marks():
    r = review([question(i) for i in range(6)])
    r.check([0] * 6)
    r.check([1] * 6)
    assert r.score == (0, 6)


@pytest.mark.parametrize(
    "questions, message",
    [
        ([], "non-empty list"),
        ("99", "no review bank"),
        ([{"question": "q?", "options": OPTIONS, "answer": 1}], "is missing key"),
        ([{**question(1), "hint": "h"}], "unknown key"),
        ([question(1), question(1)], "its own key"),
    ],
)
def test_review_invalid_specs(questions, message):
    with pytest.raises(ValueError, match=message):
        review(questions)


def test_review_by_notebook_number_loads_the_bank():
    assert review("04").quizzes[0].key.startswith("nb04-")
    assert len(review(4).quizzes) == len(bank("04"))


# ---------------------------------------------------------------- predict, then see
def test_reveal_on_a_fresh_kernel_prints_a_neutral_line(capsys):
    guess = predict_first("Which learning rate diverges?", ["0.05", "0.5", "1.1"])
    guess.reveal("1.1", why="|1 - 4α| > 1 only for α = 1.1")
    assert capsys.readouterr().out == "Result: 1.1 — |1 - 4α| > 1 only for α = 1.1\n"


def test_a_prediction_is_compared_with_the_result(capsys):
    guess = predict_first("Which learning rate diverges?", ["0.05", "0.5", "1.1"])
    guess.input.value = "0.5"
    guess.button.click()
    assert guess.choice == "0.5" and "Recorded" in guess.feedback.value
    guess.lock_in("1.1")  # a second choice does not replace the first
    assert guess.choice == "0.5"
    guess.reveal("1.1")
    assert capsys.readouterr().out == "Result: 1.1 (✗ you predicted 0.5)\n"
    assert "you predicted 0.5" in guess.feedback.value


def test_a_prediction_made_after_the_reveal_is_compared_in_the_widget(capsys):
    guess = predict_first("What is the ratio?", number=True)
    guess.reveal(0.0021, why="measured")
    assert capsys.readouterr().out == "Result: 0.0021 — measured\n"
    guess.input.value = 0.002
    guess.button.click()
    assert "✓ as you predicted" in guess.feedback.value  # within the default 10 %


def test_predict_rejects_bad_specs_and_results():
    with pytest.raises(ValueError, match="either options"):
        predict_first("q?")
    with pytest.raises(ValueError, match="at least 2"):
        predict_first("q?", ["only one"])
    guess = predict_first("q?", ["a", "b"])
    with pytest.raises(ValueError, match="not one of the options"):
        guess.reveal("c")
    with pytest.raises(ValueError, match="must be a number"):
        predict_first("q?", number=True).reveal("big")


def test_predict_text_fallback_has_no_answer():
    text = predict_first("Which one?", ["a", "b"])._repr_mimebundle_()[0]["text/plain"]
    assert text == "Predict first: Which one?\n  a) a\n  b) b\n(prediction: run the notebook to answer)"
