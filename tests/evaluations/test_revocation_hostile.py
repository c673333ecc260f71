"""Revocation (第十七条) as a hostile user tries it: what the center never was told stays the
commission's working file, a decision clicked twice is taken once, and a 陈述申辩 typed when
the session ended comes back after signing in again."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from core.models import Notification
from evaluations import revocations
from evaluations.enums import RevocationGround, RevocationStatus
from evaluations.models import Revocation
from tests.evaluations.revocation_helpers import member, pdf
from tests.factories import staff

pytestmark = pytest.mark.django_db

G = RevocationGround
R = RevocationStatus


@pytest.fixture
def center(designated_centers):
    return designated_centers[0]


def _proposal(center, actor):
    return revocations.revocation_propose(center=center, ground=G.SERIOUS_VIOLATION,
                                          facts="经市场监管部门认定，存在严重违法失信行为。",
                                          actor=actor, files=[pdf("认定书.pdf")])


def test_a_proposal_dropped_before_it_was_told_stays_the_commissions(center, commission_staff,
                                                                    client):
    proposal = _proposal(center, commission_staff)
    revocations.revocation_decide(revocation=proposal, actor=commission_staff, revoke=False,
                                  reason="认定文书已被撤销。")
    unit = member(center)
    assert not Notification.objects.filter(recipient=unit,
                                           purpose="revocation_decided").exists()
    official = staff(Role.DISTRICT_OFFICIAL, center.department, username="official_dropped")
    detail = reverse("evaluations:revocation_detail", args=[center.pk, proposal.pk])
    evidence = reverse("evaluations:revocation_file", args=[proposal.pk, proposal.files.get().pk])
    for user, listing in ((unit, reverse("evaluations:revocation_center_list", args=[center.pk])),
                          (official, reverse("evaluations:revocation_district_list"))):
        client.force_login(user)
        assert "严重违法失信" not in client.get(listing).content.decode()
        assert client.get(detail).status_code == 404
        assert client.get(evidence).status_code == 404


def test_a_told_proposal_dropped_is_shown_and_told(center, commission_staff, client):
    told = revocations.revocation_notify(revocation=_proposal(center, commission_staff),
                                         actor=commission_staff)
    revocations.revocation_decide(revocation=told, actor=commission_staff, revoke=False,
                                  reason="已整改到位。")
    unit = member(center)
    assert Notification.objects.filter(recipient=unit, purpose="revocation_decided").exists()
    client.force_login(unit)
    page = client.get(reverse("evaluations:revocation_detail", args=[center.pk, told.pk]))
    assert "已整改到位。" in page.content.decode()
