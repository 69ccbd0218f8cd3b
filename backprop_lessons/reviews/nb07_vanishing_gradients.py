"""Review questions of notebook 07 (vanishing gradients), shown by ``review("07")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb07-q1',
  'question': 'Why do gradients tend to vanish in a deep network of sigmoid units?',
  'options': [('Backprop adds one small number per layer', 'Read the question again and try another answer.'),
              ("Backprop multiplies one factor per layer, and the sigmoid's slope is at most 0.25, so the "
               'product shrinks like 0.25^L',
               'The chain rule multiplies the local derivatives along the path from the output to the layer. '
               'With σ′ ≤ 0.25 (and modest weights) every layer shrinks the gradient at least fourfold: '
               '0.25^10 ≈ 1e-6.'),
              ('The loss is too small in deep networks', 'Read the question again and try another answer.'),
              ('Sigmoid units have no derivative', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb07-q2',
  'question': "A 10-layer network's first layer has gradient norm 1e-6 and its last layer 1. What happens in "
              'training?',
  'options': [('All layers learn at the same speed', 'Read the question again and try another answer.'),
              ('The first layers barely change: any learning rate small enough for the last layers leaves '
               'them nearly frozen',
               "Each update is −α·∂E/∂W. With gradients a million times smaller, the first layers' updates "
               'are a million times smaller too: vanishing gradients.'),
              ('The first layers change too fast', 'Read the question again and try another answer.'),
              ('Training diverges immediately', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb07-q3',
  'question': 'Which fix treats exploding gradients but does nothing against vanishing ones?',
  'options': [('Gradient clipping', 'Read the question again and try another answer.'),
              ('Residual connections', 'Read the question again and try another answer.'),
              ('ReLU', 'Read the question again and try another answer.'),
              ('Batch normalization', 'Read the question again and try another answer.')],
  'answer': 'Gradient clipping'},
 {'key': 'nb07-q4',
  'question': 'How does a residual connection out = X + F(X) help the gradient reach early layers?',
  'options': [('It doubles the learning rate', 'Read the question again and try another answer.'),
              ('The + X path passes the upstream gradient back unchanged, so it never gets multiplied down '
               'by the block',
               "∂out/∂X = 1 + ∂F/∂X, so ∂E/∂X = dout + (the block's contribution). The first term is an "
               'identity path through every block: a gradient highway.'),
              ('It removes the activation function', 'Read the question again and try another answer.'),
              ('It normalizes the gradient to norm 1', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb07-q5',
  'question': 'Why does He initialization use std = √(2/D) for ReLU layers, while Xavier uses √(2/(D + H))?',
  'options': [('ReLU sets about half of its outputs to zero, so the weights need twice the variance to keep '
               "the signal's size",
               "Both choose the spread of the weights so that each layer's factor is about 1. ReLU passes "
               'only the positive half of its inputs on, halving the variance, which He compensates with the '
               'factor 2.'),
              ('ReLU layers are always wider', 'Read the question again and try another answer.'),
              ('He initialization is only a different name for Xavier',
               'Read the question again and try another answer.'),
              ('ReLU has slope 0.25, like the sigmoid', 'Read the question again and try another answer.')],
  'answer': 0}]
