"""The one error of the evaluation services: a refusal whose message is Chinese and shown."""


class EvaluationError(Exception):
    """An act the rules of the yearly evaluation or of revocation refuse (Chinese message)."""
