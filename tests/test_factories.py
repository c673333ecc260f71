"""The application factory builds each state the way the services leave it."""

import pytest

from applications import services
from applications.completeness import step_problems
from applications.enums import ApplicationStatus, AttachmentKind, UnitRole

from .factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_a_draft_is_what_starting_an_application_leaves():
    draft = ApplicationFactory()

    assert draft.status == ApplicationStatus.DRAFT and draft.current_step == "lead"
    assert draft.center_name == "" and not draft.attachments.exists()
    lead = draft.units.get()
    assert (lead.role, lead.name, lead.uscc) == (UnitRole.LEAD, draft.organisation.name,
                                                 draft.organisation.uscc)


def test_a_complete_draft_can_be_submitted_through_the_service():
    application = ApplicationFactory(complete=True, joint=True)

    assert application.status == ApplicationStatus.DRAFT
    assert not any(step_problems(application).values())
    assert set(application.attachments.values_list("kind", flat=True)) == {
        AttachmentKind.QUALIFICATION, AttachmentKind.SEALED_FORM}
    assert application.units.count() == 2
    services.application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.routed_department == application.organisation.competent_department


@pytest.mark.parametrize(("trait", "status"), [
    ("submitted", ApplicationStatus.SUBMITTED), ("returned", ApplicationStatus.RETURNED),
    ("withdrawn", ApplicationStatus.WITHDRAWN)])
def test_states_after_submission_are_routed(trait, status):
    application = ApplicationFactory(**{trait: True})

    assert application.status == status and application.submitted_at is not None
    assert application.routed_department.short_name == "崂山区"
    assert not application.routed_to_commission


def test_a_direct_units_application_goes_to_the_commission():
    application = ApplicationFactory(submitted=True, direct=True)

    assert application.organisation.is_city_level
    assert application.routed_to_commission and application.routed_department is None


def test_calls_open_closed_and_unpublished():
    from django.utils import timezone

    now = timezone.now()
    open_call, closed, unpublished = (CallFactory(), CallFactory(closed=True),
                                      CallFactory(unpublished=True))
    assert open_call.status == "published" and open_call.opens_at < now < open_call.closes_at
    assert closed.status == "closed" and closed.closes_at < now
    assert unpublished.status == "draft" and unpublished.published_at is None
    assert open_call.materials.filter(is_mandatory=True).count() == 2
