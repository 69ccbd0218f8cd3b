"""Review questions of notebook 09 (generalization), shown by ``review("09")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb09-q1',
  'question': 'What is overfitting?',
  'options': [('The loss is too high on the training data',
               'Read the question again and try another answer.'),
              ('The network learns the training data too well, noise included, and does worse on data it has '
               'not seen',
               'An overfit network fits its training examples (even their noise) but generalizes poorly: low '
               'training loss, higher and often rising validation loss. Too few weights gives the opposite '
               'problem, underfitting.'),
              ('The learning rate is too large', 'Read the question again and try another answer.'),
              ('The network has too few weights to fit the data',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb09-q2',
  'question': 'During training, the training loss keeps falling while the validation loss has been rising '
              'for 100 epochs. What should you do?',
  'options': [('Train longer: the validation loss will follow',
               'Read the question again and try another answer.'),
              ('Raise the learning rate', 'Read the question again and try another answer.'),
              ('Stop, keep the weights from the epoch with the lowest validation loss, and consider L2, '
               'dropout or more data',
               'That is the signature of overfitting. Early stopping keeps the best validation epoch; '
               'regularization or more data reduce the overfitting itself.'),
              ('Add the validation set to the training set and continue',
               'Read the question again and try another answer.')],
  'answer': 2},
 {'key': 'nb09-q3',
  'question': 'What is the gradient of the L2 penalty (λ/2)·ΣW² with respect to a weight W, and what does it '
              'do in the update?',
  'options': [('λ·W²: it makes large weights grow', 'Read the question again and try another answer.'),
              ('λ·W: every step shrinks each weight by the factor (1 − αλ) before the usual step (weight '
               'decay)',
               'd/dW of (λ/2)W² is λW, so W ← W − α(∂E/∂W + λW) = (1 − αλ)W − α∂E/∂W: the weights decay '
               'towards 0 unless the data keeps them large. (λ·sign(W) belongs to the L1 penalty.)'),
              ('λ·sign(W): it sets small weights to exactly 0',
               'Read the question again and try another answer.'),
              ('0: the penalty only changes the reported loss',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb09-q4',
  'question': 'Inverted dropout with p = 0.2 keeps a unit. By what is its output multiplied in training '
              'mode, and what happens in evaluation mode?',
  'options': [('By 0.8; in evaluation mode outputs are multiplied by 0.2',
               'Read the question again and try another answer.'),
              ('By 1.25 (= 1/(1 − p)); in evaluation mode the layer passes its input unchanged',
               'Kept units are scaled by 1/(1 − p) = 1.25 so that the average output stays equal to the '
               'input; that is why evaluation mode can use every unit as it is.'),
              ('By 5 (= 1/p); in evaluation mode 20% of the units are dropped',
               'Read the question again and try another answer.'),
              ('By 1; in evaluation mode all outputs are divided by 0.8',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb09-q5',
  'question': "In dropout's backward pass, what gradient does a dropped unit pass back?",
  'options': [('dout', 'Read the question again and try another answer.'),
              ('dout / (1 − p)', 'Read the question again and try another answer.'),
              ('0',
               'A dropped unit was multiplied by 0 in the forward pass: its input had no effect on the loss, '
               'so its gradient is 0. Kept units pass dout · 1/(1 − p).'),
              ('dout · p', 'Read the question again and try another answer.')],
  'answer': 2},
 {'key': 'nb09-q6',
  'question': 'Why must the validation set never be used for training?',
  'options': [('It would make training slower', 'Read the question again and try another answer.'),
              ('Because then it would no longer measure performance on unseen data',
               'The validation set stands in for new data. Once the network has learned from it, a good '
               'validation score no longer tells you whether it generalizes.'),
              ('Because validation data has no labels', 'Read the question again and try another answer.'),
              ('Because backprop cannot compute gradients on it',
               'Read the question again and try another answer.')],
  'answer': 1}]
