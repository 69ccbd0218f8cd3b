"""Review question banks, one module per notebook, shown by ``review("NN")`` at its end.

They live here, out of the notebook, so the learner reads the questions without
their answers. A bank module ``nbNN_topic.py`` defines ``QUESTIONS``, a list of::

    {"key": "nb04-division-of-labour",      # stable and unique: seeds the shuffle, names the score
     "question": "...",                       # LaTeX in $...$ works
     "options": [("option text", "why this option is right, or why it is wrong"), ...],
     "answer": 0}                             # index into options as written here

Options are shown in an order shuffled once per key (the same for every learner);
a learner who picks an option reads that option's "why". Keep banks honest
(``tests/test_reviews.py`` checks): the right option is the longest in at most
40 % of a notebook's questions and is shown at one position in at most half of them;
wrong options are real misconceptions; at least a third of the questions transfer
the idea to new numbers or a new situation.
"""
