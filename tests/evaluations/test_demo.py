"""The evaluation demo (evaluations.demo): over the six centers of the demo's past call, a
finished cycle with all four grades, a 通报 for the 不合格 one, a proposal awaiting the center's
statement and a center revoked on its own request; seeding again adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from centers.enums import CenterStatus
from evaluations.demo import EXPECTED_GRADES, demo_centers, seed_evaluations
from evaluations.enums import (
    CycleStatus,
    Grade,
    RevocationGround,
    RevocationStatus,
)
from evaluations.models import (
    Bulletin,
    DistrictForwarding,
    Evaluation,
    EvaluationCycle,
    EvaluationFile,
    EvaluationOpinion,
    Revocation,
    RevocationFile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
        first = seed_evaluations()
        again = seed_evaluations()
    assert first is not None and again.pk == first.pk
    return first


def _counts():
    return [model.objects.count() for model in (
        EvaluationCycle, Evaluation, EvaluationFile, EvaluationOpinion, DistrictForwarding,
        Bulletin, Revocation, RevocationFile)]


def test_seeding_again_adds_nothing(demo):
    before = _counts()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before


def test_a_finished_cycle_shows_every_grade(demo):
    assert EvaluationCycle.objects.count() == 1
    assert demo.status == CycleStatus.PUBLISHED
    centers = demo_centers()
    assert demo.year == max(c.designated_on for c in centers).year + 1
    grades = [Evaluation.objects.get(cycle=demo, center=c).grade for c in centers]
    assert grades == EXPECTED_GRADES
    assert set(grades) == set(Grade.values)


def test_the_failed_center_has_a_bulletin_and_a_proposal_awaiting_its_statement(demo):
    failed = Evaluation.objects.get(cycle=demo, grade=Grade.FAIL)
    bulletin = Bulletin.objects.get()
    assert bulletin.evaluation == failed
    assert bulletin.pdf and bulletin.pdf.read().startswith(b"%PDF")
    [proposal] = Revocation.objects.filter(center=failed.center)
    assert proposal.ground == RevocationGround.MATERIALS_OVERDUE and proposal.cycle == demo
    assert proposal.status == RevocationStatus.NOTIFIED
    assert proposal.statement_due >= timezone.localdate()
    assert demo.materials_closed_at is not None


def test_one_center_revoked_on_its_own_request_shows_it(demo, client):
    [revoked] = Revocation.objects.filter(status=RevocationStatus.REVOKED)
    assert revoked.ground == RevocationGround.SELF_REQUEST and revoked.published_at
    center = revoked.center
    center.refresh_from_db()
    assert center.status == CenterStatus.REVOKED
    plaque = center.plaques.get(replaced_at__isnull=True)
    page = client.get(reverse("centers:verify_token", args=[plaque.token])).content.decode()
    assert "已撤销" in page
    listed = client.get(reverse("centers:revoked_list")).content.decode()
    assert center.name in listed and revoked.get_ground_display() in listed
