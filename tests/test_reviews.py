"""The review banks (backprop_lessons/reviews/): well-formed, and honest as tests of understanding.

A multiple-choice question is too easy when the right option gives itself away: by
being the longest, or by always sitting in the same place. For each notebook's bank
the right option may be the longest in at most 40 % of the questions, and may be shown
at one position in at most half of them.
"""

import collections
import pkgutil

import pytest

from backprop_lessons import reviews
from backprop_lessons.widgets.quiz import Review, bank

BANKS = sorted(m.name for m in pkgutil.iter_modules(reviews.__path__) if m.name.startswith("nb"))


def balance(questions):
    """(share where the right option is the longest, largest share at one displayed position)."""
    quizzes = Review(questions).quizzes
    longest = sum(len(q.options[q.answer]) >= max(len(o) for o in q.options) for q in quizzes)
    positions = collections.Counter(q.displayed_answer_position for q in quizzes)
    return longest / len(quizzes), max(positions.values()) / len(quizzes)


def test_every_notebook_has_a_bank():
    assert [name[2:4] for name in BANKS] == [f"{n:02d}" for n in range(1, 11)]


@pytest.mark.parametrize("name", BANKS)
def test_bank_is_well_formed_and_loads(name):
    questions = bank(name[2:4])
    review = Review(questions)  # raises a clear ValueError on a malformed question
    assert len(review.quizzes) >= 5, f"{name}: a review needs at least 5 questions"
    assert all(q.key.startswith(name[:4] + "-") for q in review.quizzes), f"{name}: keys must start with {name[:4]}-"
    for q in review.quizzes:
        whys = [w for i, w in enumerate(q.whys) if i != q.answer]
        assert len(set(whys)) == len(whys), f"{q.key}: each wrong option needs its own explanation, not a shared hint"


@pytest.mark.parametrize("name", BANKS)
def test_the_right_option_does_not_give_itself_away(name):
    longest, same_place = balance(bank(name[2:4]))
    assert longest <= 0.40, f"{name}: the right option is the longest in {longest:.0%} of the questions"
    assert same_place <= 0.50, f"{name}: the right option sits at one position in {same_place:.0%}"


def test_balance_measures_what_it_says():
    def q(i, options, answer):
        return {"key": f"nb99-{i}", "question": f"q{i}?", "options": options, "answer": answer}

    giveaway = [q(i, [("a much longer right answer", "right"), ("no", "w1"), ("nah", "w2")], 0) for i in range(4)]
    longest, _ = balance(giveaway)
    assert longest == 1.0
    fair = [q(i, [("yes", "right"), ("a much longer wrong answer", "w1"), ("no", "w2")], 0) for i in range(4)]
    assert balance(fair)[0] == 0.0
