"""What a round scores when it is not a call's applications (enums.RoundPurpose).

A round of purpose 运行评价 (第十七条) scores designated centers; each enters the round by the
application it was designated from, so assignments, conflicts, sheets and aggregation stay keyed
on applications. What the expert and the commission read of such a subject (the center's
materials, its self-scores) belongs to a later app, which registers it here from its
AppConfig.ready(); experts never imports it.

A registered subject gives:
- `panel(round_, application_id, values) -> dict | None`: what the expert's pages show of the
  subject. `values` is {criterion id: Decimal | None} (the expert's stored scores, or {}).
  The dict holds `template` (included with `panel` = the dict), `beside_label` (the column
  heading beside the score, e.g. 自评分), `beside` ({criterion id: {"text", "flag"}}) and `note`
  (a sentence stating the rule of the flag).
- `results(round_, application_ids) -> {application id: {"note": str, "opinions": [(name,
  text)]}}` (optional): what the commission's results pages show of each entry, in a fixed
  number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .enums import RoundPurpose


@dataclass(frozen=True)
class RoundSubject:
    purpose: str
    panel: Callable
    results: Callable | None = None
    rule: str = ""


_SUBJECTS: dict[str, RoundSubject] = {}


def register_round_subject(purpose: str, *, panel: Callable,
                           results: Callable | None = None, rule: str = "") -> RoundSubject:
    """Registers (or replaces) what rounds of `purpose` show of their subject; `rule` is the
    sentence (Chinese) the results page shows about it. Raises ValueError for the
    applications' own purpose, which experts shows itself."""
    if purpose == RoundPurpose.APPLICATION:
        raise ValueError("申报评审的内容由专家评审模块自行展示。")
    subject = RoundSubject(purpose=str(purpose), panel=panel, results=results, rule=rule)
    _SUBJECTS[str(purpose)] = subject
    return subject


def round_subject(round_) -> RoundSubject | None:
    """The registered subject of `round_`'s purpose, or None (a call's applications)."""
    return _SUBJECTS.get(str(round_.purpose)) if round_ is not None else None


def subject_panel(round_, application_id: int, values=None) -> dict | None:
    """The expert's view of the subject of `round_` entered by `application_id` (see the
    module docstring), or None for a call's round or when nothing is registered."""
    subject = round_subject(round_)
    if subject is None:
        return None
    return subject.panel(round_, application_id, values or {})


def subject_results(round_, application_ids) -> dict:
    """{application id: {"note", "opinions"}} for the commission's results pages; {} for a
    call's round."""
    subject = round_subject(round_)
    if subject is None or subject.results is None:
        return {}
    return subject.results(round_, list(application_ids))


def subject_rule(round_) -> str:
    """The registered sentence about the subject's flags, or ""."""
    subject = round_subject(round_)
    return subject.rule if subject is not None else ""


def makes_proposed_list(round_) -> bool:
    """Only a call's round leads to a proposed list (拟评定名单); an evaluation round's results
    feed the grades instead."""
    return round_ is not None and round_.purpose == RoundPurpose.APPLICATION
