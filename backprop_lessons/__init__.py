"""Backprop Lessons: the helper package of the course.

Each module holds one idea of the course and names the notebook that teaches it.
Importing the package changes no global state: no rcParams, no random seeds.
"""

__version__ = "0.1.0"
