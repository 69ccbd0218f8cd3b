"""Review questions of notebook 05 (learning rate), shown by ``review("05")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb05-q1',
  'question': 'How do changes in the learning rate affect training with backprop?',
  'options': [('They change the gradients that backprop computes',
               'Does α enter the backward pass, or only the update w ← w − α ∂E/∂w?'),
              ('Too small: tiny steps, slow progress (and stuck in the nearest dip or plateau); too large: '
               'steps overshoot, the loss oscillates or diverges',
               "Backprop's gradients do not depend on α; α only scales the step the optimizer takes with "
               "them. Each step multiplies the distance to a bowl's minimum by 1 − αk: near 1 it crawls, "
               'below −1 it diverges.'),
              ('A larger learning rate always trains faster',
               'Does α enter the backward pass, or only the update w ← w − α ∂E/∂w?'),
              ('They only matter for the first epoch',
               'Does α enter the backward pass, or only the update w ← w − α ∂E/∂w?')],
  'answer': 1},
 {'key': 'nb05-q2',
  'question': 'On the bowl E(w) = ½·k·w² with k = 8, which learning rates make gradient descent converge?',
  'options': [('Any α > 0', 'Work out for which α the factor 1 − αk lies strictly between −1 and 1.'),
              ('0 < α < 0.25', 'Work out for which α the factor 1 − αk lies strictly between −1 and 1.'),
              ('0 < α < 0.125', 'Work out for which α the factor 1 − αk lies strictly between −1 and 1.'),
              ('0 < α < 2', 'Work out for which α the factor 1 − αk lies strictly between −1 and 1.')],
  'answer': '0 < α < 0.25'},
 {'key': 'nb05-q3',
  'question': 'A training set has 1,000 examples and the batch size is 50. How many update steps happen in 3 '
              'epochs?',
  'options': [('3', 'Read the question again and try another answer.'),
              ('50', 'Read the question again and try another answer.'),
              ('60', 'Read the question again and try another answer.'),
              ('150', 'Read the question again and try another answer.')],
  'answer': '60'},
 {'key': 'nb05-q4',
  'question': 'Why do mini-batch gradients make a constant learning rate jitter near the minimum, and what '
              'helps?',
  'options': [('Each mini-batch gives a noisy estimate of the gradient; a decaying schedule shrinks the '
               'steps so the kicks die down',
               'The mini-batch slope is right on average but scatters around the full-batch slope (roughly '
               'like 1/√B). A step of α × noisy slope keeps kicking the weights around; lowering α over time '
               '(step or exponential decay) lets them settle.'),
              ('Mini-batches compute the wrong gradient on average; only full batches work',
               'Read the question again and try another answer.'),
              ('The jitter comes from the shuffling; turning the shuffle off fixes it',
               'Read the question again and try another answer.'),
              ('Larger learning rates average the noise out',
               'Read the question again and try another answer.')],
  'answer': 0},
 {'key': 'nb05-q5',
  'question': 'In a long, narrow valley, why does plain gradient descent crawl along the valley floor?',
  'options': [('Because the gradient is zero along the valley',
               'Read the question again and try another answer.'),
              ('Because α must be small enough for the steep direction across the valley, which is far too '
               'small for the gentle direction along it',
               'One α serves all directions, and the steepest one sets the limit (α < 2/curvature). Momentum '
               'builds up speed along consistent directions; Adam gives each weight its own step size.'),
              ('Because backpropagation is inaccurate there',
               'Read the question again and try another answer.'),
              ('Because the valley floor is a local minimum',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb05-q6',
  'question': 'Which of these is NOT a hyperparameter?',
  'options': [('The learning rate α', 'Read the question again and try another answer.'),
              ('The batch size', 'Read the question again and try another answer.'),
              ('A weight of the first layer', 'Read the question again and try another answer.'),
              ('The number of epochs', 'Read the question again and try another answer.')],
  'answer': 'A weight of the first layer'}]
