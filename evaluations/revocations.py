"""撤销资格 (第十七条). Placeholder for the revocation path."""


def after_grade_confirmed(evaluation) -> None:
    """Called once a grade is confirmed: a second consecutive 不合格 proposes a revocation."""
    return None
