"""`make run` shows a notice open for objections today, drawn from the demo's frozen list, and a
past notice of an earlier call, its objection decided and its centers designated."""

import io

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from centers.enums import DEFAULT_NOTICE_WORKING_DAYS, CenterStatus, NoticeStatus
from centers.models import PublicNotice
from centers.notices import NoticeError, notice_end, notice_is_open
from reviews.demo import PAST_CALL_TITLE


def current_notices():
    return PublicNotice.objects.exclude(call__title=PAST_CALL_TITLE)


def test_the_demo_publishes_a_notice_open_today(db, client, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=out)
        call_command("seed_demo", stdout=out)  # idempotent
    try:
        notice_end(timezone.localdate(), DEFAULT_NOTICE_WORKING_DAYS)
    except NoticeError:
        # Late in December the period reaches a year whose schedule is not entered yet.
        assert not current_notices().exists() and "未生成演示公示" in out.getvalue()
        return
    [notice] = current_notices()
    assert notice.status == NoticeStatus.PUBLISHED and notice_is_open(notice)
    assert notice.entries.count() == notice.proposed_list.entries.count() > 0
    assert notice.title in client.get(reverse("home")).content.decode()


def test_the_demo_notice_has_one_objection_received(db, django_capture_on_commit_callbacks):
    from centers.enums import ObjectionStatus
    from centers.models import Objection

    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
    if not current_notices().exists():
        return  # late December: no demo notice (see above)
    [objection] = Objection.objects.filter(notice__in=current_notices())
    assert objection.status == ObjectionStatus.RECEIVED and objection.entries.count() == 1


def test_the_demo_holds_a_past_notice_designated_with_plaques(
        db, client, django_capture_on_commit_callbacks):
    """The earlier call's notice: its period over, closed by the sweep, one objection upheld
    with its reason (after the applicant explained), finalised into centers whose plaques
    have their certificates; seeding again adds nothing."""
    from centers.enums import NoticeStatus, ObjectionStatus
    from centers.models import Center, ExplanationRequest, NoticeEntry, Objection, Plaque
    def counts():
        return [m.objects.count() for m in (PublicNotice, Objection, ExplanationRequest,
                                             Center, Plaque, NoticeEntry)]

    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first

    past = PublicNotice.objects.get(call__title=PAST_CALL_TITLE)
    assert past.status == NoticeStatus.FINALISED
    assert past.ends_on < timezone.localdate() and past.closed_at is not None
    [objection] = past.objections.all()
    assert objection.status == ObjectionStatus.UPHELD and objection.decision_reason
    [removed] = objection.entries.all()
    assert removed.removed_at is not None and removed.removal_reason
    assert objection.explanation_requests.get().answered_at is not None
    centers = list(past.centers.order_by("pk"))
    assert len(centers) == past.entries.filter(removed_at__isnull=True).count() == 6
    assert removed.application_id not in {c.application_id for c in centers}
    for center in centers:
        plaque = center.plaques.get()
        assert plaque.certificate and plaque.certificate.read(5) == b"%PDF-"
    # The evaluation demo (evaluations.demo) revokes one of them on its own request: it leaves
    # the directory for the list of revoked centers.
    directory = client.get(reverse("centers:center_list")).content.decode()
    revoked = client.get(reverse("centers:revoked_list")).content.decode()
    assert all(c.name in (revoked if c.status == CenterStatus.REVOKED else directory)
               for c in centers)
    assert past.title in client.get(reverse("centers:notice_list")).content.decode()


def test_the_past_call_designates_six_centers_at_work_for_a_yearly_evaluation(
        db, django_capture_on_commit_callbacks):
    """Enough centers for an evaluation cycle to show every grade, a revocation and a pending
    proposal: six, under two 主管部门 and in several industry fields, each with a plausible
    name and a year of service records, all designated on one day in a year before this one
    (so the next year's cycle, whose data window is that year, takes them all)."""
    from centers.models import Center

    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
    centers = list(Center.objects.filter(notice__call__title=PAST_CALL_TITLE).order_by("pk"))
    assert len(centers) == 6
    assert {c.department.short_name for c in centers} == {"崂山区", "即墨区"}
    assert len({c.industry_field_id for c in centers}) >= 5
    assert len({c.name for c in centers}) == 6
    assert all(c.name.endswith("赋能中心") and "演示" not in c.name for c in centers)
    # All designated active; the evaluation demo then revokes one on its own request.
    assert [c.status for c in centers].count(CenterStatus.ACTIVE) == 5
    [year] = {c.designated_on.year for c in centers}
    assert year < timezone.localdate().year
    # Over a year and a half back: the cycle of the following year is over by today.
    assert (timezone.localdate() - centers[0].designated_on).days > 540
    for center in centers:
        dates = list(center.service_records.values_list("occurred_on", flat=True))
        assert len(dates) >= 10
        assert all(center.designated_on <= d <= timezone.localdate() for d in dates)
