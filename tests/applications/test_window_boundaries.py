"""The call window to the second (第五条): open at `opens_at`, closed at `closes_at`.

The clock is frozen at each instant (django.utils.timezone.now, which the services and the
models' timestamps read), and starting and submitting are tried there.
"""

import datetime

import pytest

from applications import services
from applications.enums import ApplicationStatus

from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
OPENS = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2026, 3, 31, 9, 0, 0, tzinfo=datetime.UTC)



@pytest.fixture
def call(commission_staff):
    return CallFactory(opens_at=OPENS, closes_at=CLOSES,
                       district_review_deadline=datetime.date(2026, 4, 30))


@pytest.mark.parametrize(("instant", "accepted"), [
    (OPENS - SECOND, False),
    (OPENS, True),
    (CLOSES - SECOND, True),
    (CLOSES, False),
])
def test_starting_at_the_boundary_seconds(call, org_a, applicant_a, clock, instant, accepted):
    clock(instant)
    if accepted:
        assert services.application_start(call=call, organisation=org_a, actor=applicant_a)
    else:
        with pytest.raises(services.ApplicationError, match="尚未开始|截止"):
            services.application_start(call=call, organisation=org_a, actor=applicant_a)


@pytest.mark.parametrize(("instant", "accepted"), [
    (OPENS - SECOND, False),
    (OPENS, True),
    (CLOSES - SECOND, True),
    (CLOSES, False),
])
def test_submitting_at_the_boundary_seconds(call, org_a, applicant_a, clock, instant, accepted):
    clock(OPENS + datetime.timedelta(days=1))
    application = ApplicationFactory(complete=True, call=call, organisation=org_a,
                                     created_by=applicant_a)
    clock(instant)
    if accepted:
        submitted = services.application_submit(application=application, actor=applicant_a)
        assert submitted.status == ApplicationStatus.SUBMITTED
        assert submitted.submitted_at == instant
    else:
        with pytest.raises(services.ApplicationError, match="尚未开始|截止"):
            services.application_submit(application=application, actor=applicant_a)
