"""Review questions of notebook 06 (activations), shown by ``review("06")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb06-q1',
  'question': "Why can't a network of step functions (output 1 if z > 0, else 0) be trained with "
              'backpropagation?',
  'options': [('Its derivative is 0 everywhere (and undefined at the jump), so the chain rule passes back no '
               'gradient',
               'Backprop multiplies the upstream gradient by f′(z). For a step, f′ is 0 on both flat sides, '
               'so every weight gets gradient 0 and gradient descent never moves. The sigmoid is a smoothed '
               'step with a slope everywhere.'),
              ('A step function is too slow to compute', 'Read the question again and try another answer.'),
              ('Step functions cannot output 0', 'Read the question again and try another answer.'),
              ('It can: backprop works with any function',
               'Read the question again and try another answer.')],
  'answer': 0},
 {'key': 'nb06-q2',
  'question': 'A network has 5 linear layers and no activation functions. What can it compute?',
  'options': [('More than a single linear layer, because it is deeper',
               'Read the question again and try another answer.'),
              ('Exactly what one linear layer can: the layers multiply out to one weight matrix and one bias',
               '(XW₁ + b₁)W₂ + b₂ = X(W₁W₂) + (b₁W₂ + b₂), and so on for every layer. Non-linear activations '
               'break this collapse.'),
              ('Nothing: it cannot be trained', 'Read the question again and try another answer.'),
              ('Only outputs between 0 and 1', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb06-q3',
  'question': "What is the largest value of the sigmoid's derivative σ′(z) = σ(z)(1 − σ(z)), and where?",
  'options': [('1, at z = 0', 'Read the question again and try another answer.'),
              ('0.5, at z = 0', 'Read the question again and try another answer.'),
              ('0.25, at z = 0', 'Read the question again and try another answer.'),
              ('0.25, for large z', 'Read the question again and try another answer.')],
  'answer': '0.25, at z = 0'},
 {'key': 'nb06-q4',
  'question': 'Why does tanh often train faster than sigmoid?',
  'options': [('tanh is cheaper to compute', 'Read the question again and try another answer.'),
              ("tanh's outputs are centred on 0 and its slope reaches 1, while sigmoid's outputs are all "
               'positive and its slope is at most 0.25',
               "All-positive activations make the gradients of the next layer's weights share one sign per "
               'example, which forces zig-zag updates; and a larger slope passes back more of the gradient. '
               'tanh still saturates for large |z|.'),
              ('tanh never saturates', 'Read the question again and try another answer.'),
              ('tanh has no derivative, which makes it faster',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb06-q5',
  'question': 'What is a dead ReLU unit, and what helps against it?',
  'options': [('A unit whose output is always large; use a larger learning rate',
               'Read the question again and try another answer.'),
              ('A unit whose z is ≤ 0 for every training example, so it gets zero gradient and never '
               'changes; leaky ReLU, a smaller learning rate or better initialization help',
               'ReLU′ is 0 for z ≤ 0, so a unit that is inactive on all data receives no gradient for its '
               "weights and bias. Leaky ReLU's slope of 0.01 keeps a trickle of gradient flowing."),
              ('A unit with a negative weight; remove negative weights',
               'Read the question again and try another answer.'),
              ('A unit in the output layer; add more layers',
               'Read the question again and try another answer.')],
  'answer': 1}]
