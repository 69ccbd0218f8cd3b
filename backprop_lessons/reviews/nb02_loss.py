"""Review questions of notebook 02 (loss), shown by ``review("02")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb02-q1',
  'question': 'Why do we square the errors instead of just adding them up?',
  'options': [('Because squaring makes the computation faster',
               'Read the question again and try another answer.'),
              ('So that misses on both sides count against us instead of cancelling, and big misses count '
               'most',
               'Read the question again and try another answer.'),
              ('So that the loss can become negative', 'Read the question again and try another answer.'),
              ('Because the errors are always positive anyway',
               'Read the question again and try another answer.')],
  'answer': 'So that misses on both sides count against us instead of cancelling, and big misses count most'},
 {'key': 'nb02-q2',
  'question': 'Predictions ŷ = [2, 4] and targets y = [1, 4]. What is the mean squared error?',
  'options': [('1', 'Read the question again and try another answer.'),
              ('0.25', 'Read the question again and try another answer.'),
              ('0.5', 'Read the question again and try another answer.'),
              ('2', 'Read the question again and try another answer.')],
  'answer': '0.5'},
 {'key': 'nb02-q3',
  'question': 'At the current value of a weight, dE/dw = +3. Which way should the weight move to lower the '
              'loss?',
  'options': [('Increase w', 'Read the question again and try another answer.'),
              ('Leave it: the slope is positive, so all is well',
               'Read the question again and try another answer.'),
              ('It cannot be told from the slope', 'Read the question again and try another answer.'),
              ('Decrease w', 'Read the question again and try another answer.')],
  'answer': 'Decrease w'},
 {'key': 'nb02-q4',
  'question': 'Why is binary cross-entropy preferred over MSE for a yes/no output p = σ(z)?',
  'options': [('With MSE the slope nearly vanishes when the network is confidently wrong; BCE keeps a strong '
               'slope',
               'Read the question again and try another answer.'),
              ('BCE is always smaller than MSE', 'Read the question again and try another answer.'),
              ('BCE does not need the true answers', 'Read the question again and try another answer.'),
              ('MSE cannot be computed for targets 0 and 1',
               'Read the question again and try another answer.')],
  'answer': 'With MSE the slope nearly vanishes when the network is confidently wrong; BCE keeps a strong '
            'slope'},
 {'key': 'nb02-q5',
  'question': 'While moving one weight, you find a point where dE/dw = 0. What does that tell you?',
  'options': [('The loss is 0 there', 'Read the question again and try another answer.'),
              ('The weight has no effect on the network', 'Read the question again and try another answer.'),
              ('You are at the bottom of the valley for this weight (or on a flat spot)',
               'Read the question again and try another answer.'),
              ('You should take a very large step', 'Read the question again and try another answer.')],
  'answer': 'You are at the bottom of the valley for this weight (or on a flat spot)'}]
