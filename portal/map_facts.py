"""The staff 一张图 (第十五条) with the latest published evaluation grade of each center
(第十七条): centers may not read evaluations (a later stage), so the composing app hands the
evaluations' reader to the map (see PortalConfig.ready)."""

from evaluations.selectors import latest_published_grades


def center_grades(pks: list[int]) -> dict[int, dict]:
    """{center pk: {grade, grade_label, grade_year}}: the grade of the newest published cycle
    (one query); centers without one get `center_grades.empty` (empty grade, year None)."""
    return latest_published_grades(pks)


center_grades.empty = {"grade": "", "grade_label": "", "grade_year": None}
