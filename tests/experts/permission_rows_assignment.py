"""Rows of the permission table for the rounds list and the assignment pages (see
tests/permission_table.py).

The commission's staff manage every round; the third-party agency's staff (`third_party_staff`)
manage only a round entrusted to their agency and get 404 for any other (never a hint it
exists); every other role, superusers and is_staff accounts included, gets the 403 page.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import user_department_ids
from experts.models import Assignment, ReviewRound, RoundEntry
from tests.factories import CallFactory

from ..permission_table import LOGIN, Row, answers, only, redirect
from .conftest import expert_review_application, make_expert


def _round(world, *, entrusted: bool) -> ReviewRound:
    key = f"assignment_round_{entrusted}"
    if key not in world.objects:
        call = CallFactory(closed=True)
        round_ = ReviewRound.objects.create(
            call=call, title="权限测试材料评审", deadline=timezone.now() + datetime.timedelta(days=7),
            experts_per_application=2, created_by=world.user("commission_staff"))
        if entrusted:
            agency_ids = user_department_ids(world.user("third_party_staff"),
                                             Role.THIRD_PARTY_STAFF)
            round_.agency_id = min(agency_ids)
            round_.save(update_fields=["agency"])
        for _ in range(2):
            RoundEntry.objects.create(round=round_, application=expert_review_application(call))
        world.objects["experts"] = [make_expert() for _ in range(3)]
        world.objects[key] = round_
    return world.objects[key]


def other_round(world) -> dict:
    return {"pk": _round(world, entrusted=False).pk}


def entrusted_round(world) -> dict:
    return {"pk": _round(world, entrusted=True).pk}


def _page(entrusted: bool):
    def target(world):
        return reverse("experts:assignments", args=[_round(world, entrusted=entrusted).pk])
    return target


def _add_data(entrusted: bool):
    def data(world):
        round_ = _round(world, entrusted=entrusted)
        return {"application": round_.entries.first().application_id,
                "expert": world.objects["experts"][0].pk}
    return data


def _withdraw_data(entrusted: bool):
    def data(world):
        round_ = _round(world, entrusted=entrusted)
        assignment = Assignment.objects.create(
            round=round_, application_id=round_.entries.first().application_id,
            expert=world.objects["experts"][1], assigned_by=world.user("commission_staff"))
        return {"assignment": assignment.pk, f"reason_{assignment.pk}": "专家出差"}
    return data


MANAGERS = ("commission_staff", "third_party_staff")

ROWS = [
    Row("experts:round_list", only(*MANAGERS)),
    Row("experts:assignments",
        answers(403, anonymous=LOGIN, commission_staff=200, third_party_staff=404),
        kwargs=other_round, state="a round not entrusted to the agency"),
    Row("experts:assignments", only(*MANAGERS), kwargs=entrusted_round,
        state="a round entrusted to the agency"),
    Row("experts:assignment_add",
        answers(403, anonymous=LOGIN, commission_staff=redirect(_page(False)),
                third_party_staff=404),
        method="post", kwargs=other_round, data=_add_data(False),
        state="a round not entrusted to the agency"),
    Row("experts:assignment_add",
        answers(403, anonymous=LOGIN, commission_staff=redirect(_page(True)),
                third_party_staff=redirect(_page(True))),
        method="post", kwargs=entrusted_round, data=_add_data(True),
        state="a round entrusted to the agency"),
    Row("experts:assignment_auto",
        answers(403, anonymous=LOGIN, commission_staff=redirect(_page(False)),
                third_party_staff=404),
        method="post", kwargs=other_round, state="a round not entrusted to the agency"),
    Row("experts:assignment_auto",
        answers(403, anonymous=LOGIN, commission_staff=redirect(_page(True)),
                third_party_staff=redirect(_page(True))),
        method="post", kwargs=entrusted_round, state="a round entrusted to the agency"),
    Row("experts:assignment_withdraw",
        answers(403, anonymous=LOGIN, commission_staff=redirect(_page(False)),
                third_party_staff=404),
        method="post", kwargs=other_round, data=_withdraw_data(False),
        state="a round not entrusted to the agency"),
    Row("experts:assignment_withdraw",
        answers(403, anonymous=LOGIN, commission_staff=redirect(_page(True)),
                third_party_staff=redirect(_page(True))),
        method="post", kwargs=entrusted_round, data=_withdraw_data(True),
        state="a round entrusted to the agency"),
]
