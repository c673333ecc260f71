"""Rows of the permission table for the committee's roster and the industry authorities'
pages (see tests/permission_table.py).

The roster is the commission's (`commission_staff`); every other role gets the 403 page. The
authority pages are for `industry_staff`, whose authority is invited to the round built here;
a round it was not invited to is not found (404).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from experts.models import ReviewRound, RoundEntry

from ..factories import CallFactory, DepartmentFactory
from ..permission_table import LOGIN, Row, answers, only, redirect
from .conftest import expert_review_application, make_expert


def roster_expert(world) -> dict:
    return {"pk": make_expert("钱磊", employer_name="青岛大学").pk}


def _round(world, *, invited=True) -> ReviewRound:
    key = f"round_{invited}"
    if key not in world.objects:
        call = CallFactory(closed=True)
        application = expert_review_application(call)
        round_ = ReviewRound.objects.create(
            call=call, title="材料评审", deadline=timezone.now() + datetime.timedelta(days=7),
            created_by=world.user("commission_staff"))
        RoundEntry.objects.create(round=round_, application=application)
        industry = world.user("industry_staff")
        department = (industry.role_assignments.get().department if invited
                      else DepartmentFactory())
        round_.invited_authorities.add(department)
        world.objects[key] = round_
        world.objects[f"application_{invited}"] = application
    return world.objects[key]


def invited_round(world) -> dict:
    return {"pk": _round(world).pk}


def other_round(world) -> dict:
    return {"pk": _round(world, invited=False).pk}


def invited_application(world) -> dict:
    round_ = _round(world)
    return {"pk": round_.pk, "application_pk": world.objects["application_True"].pk}


def other_application(world) -> dict:
    round_ = _round(world, invited=False)
    return {"pk": round_.pk, "application_pk": world.objects["application_False"].pk}


def invited_attachment(world) -> dict:
    kwargs = invited_application(world)
    attachment = world.objects["application_True"].attachments.first()
    return {**kwargs, "attachment_pk": attachment.pk}


def _application_page(world):
    return reverse("experts:authority_application",
                   kwargs={"pk": world.objects["round_True"].pk,
                           "application_pk": world.objects["application_True"].pk})


COMMISSION_ONLY = only("commission_staff")
INDUSTRY_ONLY = only("industry_staff")
NOT_INVITED = answers(403, **{"anonymous": LOGIN, "industry_staff": 404})

ROWS = [
    Row("experts:roster_list", COMMISSION_ONLY),
    Row("experts:roster_list", COMMISSION_ONLY, data={"status": "active", "q": "钱"},
        state="filtered"),
    Row("experts:roster_detail", COMMISSION_ONLY, kwargs=roster_expert),
    Row("experts:roster_import", COMMISSION_ONLY),
    Row("experts:roster_import", COMMISSION_ONLY, method="post", data={},
        state="no file: the form asks for one"),
    Row("experts:roster_import_template", COMMISSION_ONLY),
    Row("experts:authority_rounds", INDUSTRY_ONLY),
    Row("experts:authority_round", INDUSTRY_ONLY, kwargs=invited_round, state="invited"),
    Row("experts:authority_round", NOT_INVITED, kwargs=other_round,
        state="another authority's round"),
    Row("experts:authority_application", INDUSTRY_ONLY, kwargs=invited_application,
        state="invited"),
    Row("experts:authority_application", NOT_INVITED, kwargs=other_application,
        state="another authority's round"),
    Row("experts:authority_application", only("industry_staff", ok=redirect(_application_page)),
        method="post", kwargs=invited_application, data={"opinion": "同意推荐。"},
        state="giving an opinion"),
    Row("experts:authority_attachment", INDUSTRY_ONLY, kwargs=invited_attachment),
]
