"""The exercise checkers, one module per notebook: nbNN.py holds notebook NN's checkers, and
checking.py what they all share (`check`, the `Verdict` it returns, the assertions that name
what differs). A notebook imports only its own module, `from course_utils.exercises import
nb05 as ex`; nothing here imports them all, so that stays cheap.
"""
