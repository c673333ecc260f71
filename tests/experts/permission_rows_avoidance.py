"""Rows of the permission table for 回避申请 and conflict rulings (see tests/permission_table.py).

The commission's 回避 pages are commission staff's only: everyone else signed in gets the 403
page, an anonymous visitor the login page. The 回避申请 step of the application form is the
unit's own, like every other step.
"""

from applications.enums import ApplicationStatus
from applications.models import AvoidanceRequest
from tests.factories import ApplicationFactory

from ..applications.permission_rows import OWNER_AND_COMMISSION, _draft
from ..permission_table import LOGIN, Row, answers, only, redirect
from .conftest import make_expert


def _rulable(world):
    """An application in 专家评审 with one 回避申请 and a roster expert of that name."""
    if "avoidance" not in world.objects:
        application = ApplicationFactory(submitted=True, status=ApplicationStatus.EXPERT_REVIEW)
        world.objects["avoidance"] = AvoidanceRequest.objects.create(
            application=application, expert_name="周正", expert_employer="青岛某研究院",
            reason="曾与本单位存在竞争关系。")
        world.objects["avoidance_expert"] = make_expert("周正", employer_name="青岛某研究院")
    return world.objects["avoidance"]


def avoidance_request(world) -> dict:
    return {"pk": _rulable(world).pk}


def with_avoidance_request(world) -> dict:
    _rulable(world)
    return {}


def conflict_pair(world) -> dict:
    request = _rulable(world)
    return {"expert": world.objects["avoidance_expert"].pk,
            "application": request.application_id, "kind": "pinned", "reason": "认定回避。"}


def draft_avoidance_step(world) -> dict:
    return {"pk": _draft(world).pk, "step": "avoidance"}


COMMISSION_ONLY = only("commission_staff")

ROWS = [
    Row("experts:avoidance_list", COMMISSION_ONLY, state="nothing to rule"),
    Row("experts:avoidance_list", COMMISSION_ONLY, kwargs=with_avoidance_request,
        data={"status": "all"}, state="one request"),
    Row("experts:avoidance_rule", COMMISSION_ONLY, kwargs=avoidance_request),
    Row("experts:avoidance_rule",
        answers(403, anonymous=LOGIN, commission_staff=redirect("experts:avoidance_list")),
        method="post", kwargs=avoidance_request,
        data={"status": "rejected", "reason": "所述理由不构成回避情形。"}, state="rejecting"),
    Row("experts:conflict_list", COMMISSION_ONLY, kwargs=with_avoidance_request),
    Row("experts:conflict_rule",
        answers(403, anonymous=LOGIN, commission_staff=redirect("experts:conflict_list")),
        method="post", kwargs=with_avoidance_request, data=conflict_pair),
    Row("experts:conflict_rule", answers(405), state="GET"),
    Row("applications:step", OWNER_AND_COMMISSION | {"commission_staff": 403},
        kwargs=draft_avoidance_step, state="the 回避申请 step: only its organisation edits"),
]
