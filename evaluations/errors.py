"""The one error of the evaluation's services."""


class EvaluationError(Exception):
    """An act on an evaluation cycle, an evaluation or a revocation that the rules refuse; the
    message is Chinese and shown to the user as it is."""
