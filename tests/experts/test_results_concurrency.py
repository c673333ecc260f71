"""Two commission users freeze the same 拟评定名单 at the same moment: it is frozen once, each
application moved once."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationStatus
from core.models import AuditEvent, StatusChange
from experts import results
from experts.enums import ProposedListStatus, RoundStatus
from experts.models import ProposedList, ReviewRound, RoundEntry
from experts.rubrics import rubric_install_default
from experts.scoring import round_results_compute
from tests.factories import CallFactory, staff

from .conftest import expert_review_application
from .results_helpers import sheet_for


@pytest.mark.django_db(transaction=True)
def test_two_freezes_at_once_freeze_once(commission_staff, commission):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; CI runs this on PostgreSQL")
    colleague = staff(Role.COMMISSION_STAFF, commission, username="commission_2")
    call = CallFactory(closed=True)
    round_ = ReviewRound.objects.create(call=call, title="并发", created_by=commission_staff,
                                        deadline=timezone.now() + datetime.timedelta(days=1))
    rubric_install_default(round_)
    apps = [expert_review_application(call) for _ in range(2)]
    RoundEntry.objects.bulk_create(RoundEntry(round=round_, application=a) for a in apps)
    sheet_for(round_, apps[0], total=80)
    sheet_for(round_, apps[1], total=70)
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    round_.refresh_from_db()
    round_results_compute(round=round_)
    proposed = results.proposed_list_save(
        round=round_, actor=commission_staff,
        chosen=[{"application_id": apps[0].pk, "note": ""}])
    barrier = threading.Barrier(2)
    outcomes = []

    def freeze(actor):
        try:
            barrier.wait()
            results.proposed_list_freeze(proposed_list=proposed, actor=actor)
            outcomes.append("frozen")
        except results.ResultsError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=freeze, args=(u,)) for u in (commission_staff, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("frozen") == 1, outcomes
    assert ProposedList.objects.get().status == ProposedListStatus.FROZEN
    assert AuditEvent.objects.filter(action="proposedlist.freeze").count() == 1
    assert StatusChange.objects.filter(transition__in=["propose", "not_propose"]).count() == 2
    apps[0].refresh_from_db()
    assert apps[0].status == ApplicationStatus.PROPOSED
