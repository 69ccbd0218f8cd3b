"""Review questions of notebook 08 (optimizers), shown by ``review("08")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb08-q1',
  'question': 'What does an optimizer add to backpropagation?',
  'options': [('It computes the gradient of the loss with respect to every weight',
               'Which half of a training step is backprop, and which half is left?'),
              ('It decides how to turn the gradients into weight changes (the step), possibly using past '
               'gradients',
               'Backprop computes ∂E/∂w for every weight; the optimizer (SGD, momentum, Adam) uses those '
               'gradients, and its memory of earlier ones, to update the weights.'),
              ("It chooses the network's architecture",
               'Which half of a training step is backprop, and which half is left?'),
              ('It makes the loss function differentiable',
               'Which half of a training step is backprop, and which half is left?')],
  'answer': 1},
 {'key': 'nb08-q2',
  'question': 'Momentum with β = 0.9 runs down a long slope where the gradient stays the same. Roughly how '
              "long are its steps compared with SGD's (same α)?",
  'options': [('The same', 'Add up g·(1 + β + β² + …) for β = 0.9.'),
              ('Twice as long', 'Add up g·(1 + β + β² + …) for β = 0.9.'),
              ('About 10 times as long',
               "The velocity sums g + βg + β²g + … = g/(1 − β) = 10 g, so the step α·v is ten times SGD's "
               'α·g.'),
              ('About 100 times as long', 'Add up g·(1 + β + β² + …) for β = 0.9.')],
  'answer': 2},
 {'key': 'nb08-q3',
  'question': 'Why does Adam divide its running averages by (1 − β^t)?',
  'options': [('To make the learning rate decay over time',
               'Read the question again and try another answer.'),
              ('Because the averages start at 0, so early on they are too small; the division removes that '
               'bias',
               'After t steps of a constant gradient g, m = (1 − β₁ᵗ)·g. Dividing by 1 − β₁ᵗ gives exactly '
               'g, even at t = 1. (Dividing by zero is what ε prevents.)'),
              ('To keep the weights from growing', 'Read the question again and try another answer.'),
              ('To avoid dividing by zero', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb08-q4',
  'question': 'At a saddle point the gradient is zero, yet it is not a minimum. Why does plain SGD often '
              'stall near one for a long time?',
  'options': [('Because backprop cannot compute gradients there',
               'Read the question again and try another answer.'),
              ('Because near the saddle the slope is tiny, so the steps α·∂E/∂w are tiny until the point '
               'drifts away',
               "SGD's step is proportional to the slope. Near the saddle the slope along the escape "
               'direction is almost 0, so it grows only slowly (×1.1 per step in our example). Adam rescales '
               'the tiny slope and momentum keeps its speed, so both leave sooner.'),
              ('Because the learning rate drops automatically',
               'Read the question again and try another answer.'),
              ('Because the loss is at its lowest there', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb08-q5',
  'question': 'On the plateau surface, Adam crossed the plateau fast but ended in the local minimum, while '
              'momentum reached the global minimum. What does that show?',
  'options': [('Momentum is always better than Adam', 'Read the question again and try another answer.'),
              ('Adam is broken on plateaus', 'Read the question again and try another answer.'),
              ("Each optimizer's behaviour depends on the surface and the settings; none wins everywhere",
               "Adam's steps are about α long, so it crosses flat regions but cannot climb out of a dip; "
               'momentum gathers speed and can roll through a shallow dip, but it also overshoots (see the '
               'ravine). Change α or β and the outcome changes.'),
              ('Local minima do not exist in real networks',
               'Read the question again and try another answer.')],
  'answer': 2},
 {'key': 'nb08-q6',
  'question': 'You switch a network from SGD (α = 1) to momentum with β = 0.9. Which learning rate is a '
              'sensible first try?',
  'options': [('α = 10', 'Read the question again and try another answer.'),
              ('α = 1', 'Read the question again and try another answer.'),
              ('α = 0.1',
               "Momentum's steps are up to 1/(1 − β) = 10 times longer, so about α·(1 − β) = 0.1 gives steps "
               'of similar size; the sweep in section 6 showed the same factor.'),
              ('α = 0.0001', 'Read the question again and try another answer.')],
  'answer': 2}]
