"""The error of the evaluation's services."""


class EvaluationError(Exception):
    """An act of the yearly evaluation or of revocation the rules refuse; the message is
    Chinese and shown to the user."""
