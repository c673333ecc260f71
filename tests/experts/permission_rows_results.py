"""Rows of the permission table for a round's results, the proposed list and the exports
(see tests/permission_table.py). Only the commission's staff read results here; an
invited authority reads results on its own pages, an expert never; every other role gets
the 403 page."""

import datetime

from django.urls import reverse
from django.utils import timezone

from experts.enums import RoundStatus
from experts.models import ReviewRound, RoundEntry
from experts.rubrics import rubric_install_default
from experts.scoring import round_results_compute

from ..permission_table import Row, everyone, only, redirect


def _round(world):
    """A closed round of a call with two applications in 专家评审, scored, one flagged."""
    if "results_round" not in world.objects:
        from tests.factories import CallFactory

        from .conftest import expert_review_application
        from .results_helpers import sheet_for

        call = CallFactory(closed=True)
        round_ = ReviewRound.objects.create(
            call=call, title="权限表评审", deadline=timezone.now() + datetime.timedelta(days=1),
            experts_per_application=2, created_by=world.user("commission_staff"))
        rubric_install_default(round_)
        apps = [expert_review_application(call) for _ in range(2)]
        RoundEntry.objects.bulk_create(RoundEntry(round=round_, application=a) for a in apps)
        sheet_for(round_, apps[0], total=80)
        sheet_for(round_, apps[0], total=84)
        sheet_for(round_, apps[1], total=60)
        sheet_for(round_, apps[1], total=95)
        ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED,
                                                        closed_at=timezone.now())
        round_.refresh_from_db()
        round_results_compute(round=round_)
        world.objects["results_round"] = round_
    return world.objects["results_round"]


def results_round(world) -> dict:
    return {"pk": _round(world).pk}


def flagged_entry(world) -> dict:
    round_ = _round(world)
    return {"pk": round_.pk, "entry_pk": round_.entries.get(flagged=True).pk}


def rendered_document(world) -> dict:
    from experts import results

    round_ = _round(world)
    document = results.results_pdf_request(round=round_, actor=world.user("commission_staff"))
    results.results_pdf_render(document_id=document.pk)
    return {"pk": round_.pk, "doc_pk": document.pk}


def _results_page(world):
    return reverse("experts:round_results", args=[_round(world).pk])


def _proposed_page(world):
    return reverse("experts:proposed_list", args=[_round(world).pk])


COMMISSION = only("commission_staff")

ROWS = [
    Row("experts:round_results", COMMISSION, kwargs=results_round),
    Row("experts:round_results", COMMISSION, kwargs=results_round,
        data=lambda world: {"field": _round(world).entries.first().application
                            .industry_field_id or ""}, state="by field"),
    Row("experts:round_results", only("commission_staff", ok=404),
        kwargs=lambda world: {"pk": 999_999}, state="no such round"),
    Row("experts:round_entry", COMMISSION, kwargs=flagged_entry),
    Row("experts:round_entry", only("commission_staff", ok=404),
        kwargs=lambda world: {"pk": _round(world).pk, "entry_pk": 999_999},
        state="no such entry"),
    Row("experts:entry_resolve", only("commission_staff", ok=redirect(_results_page)),
        method="post", kwargs=flagged_entry, data={"note": "已复核，维持原评分。"}),
    Row("experts:entry_resolve", everyone(405), kwargs=flagged_entry, state="GET"),
    Row("experts:proposed_list", COMMISSION, kwargs=results_round),
    Row("experts:proposed_list", only("commission_staff", ok=redirect(_proposed_page)),
        method="post", kwargs=results_round, data={"intent": "save", "note": "草稿"},
        state="saving an empty draft"),
    Row("experts:results_summary_xlsx", COMMISSION, kwargs=results_round),
    Row("experts:results_sheets_xlsx", COMMISSION, kwargs=results_round),
    Row("experts:results_pdf_request", only("commission_staff", ok=redirect(_results_page)),
        method="post", kwargs=results_round),
    Row("experts:results_pdf_request", everyone(405), kwargs=results_round, state="GET"),
    Row("experts:results_pdf_download", COMMISSION, kwargs=rendered_document),
]
