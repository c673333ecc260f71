"""Rows of the permission table for the public notice (see tests/permission_table.py): anyone
reads a published notice; a draft is not found for anyone, its drafters included (they read it
in Django admin)."""

import datetime


from ..permission_table import Row, everyone


def _notice(world, status):
    from centers.models import PublicNotice
    from experts.models import ProposedList, ReviewRound
    from tests.factories import CallFactory

    commission = world.user("commission_staff")
    call = CallFactory(closed=True, materials=False)
    round_ = ReviewRound.objects.create(call=call, title="材料评审", created_by=commission,
                                        deadline=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC))
    proposed = ProposedList.objects.create(call=call, round=round_, status="frozen")
    notice = PublicNotice.objects.create(
        call=call, proposed_list=proposed, title="拟评定名单公示", basis="依据", steps_completed="程序",
        starts_on=datetime.date(2026, 6, 1), ends_on=datetime.date(2026, 6, 5),
        objection_channel="渠道", contact="联系人", issuer="发布单位",
        issued_on=datetime.date(2026, 6, 1), status=status, created_by=commission)
    return {"pk": notice.pk}


ROWS = [
    Row("centers:notice_list", everyone(200)),
    Row("centers:notice_detail", everyone(200), kwargs=lambda w: _notice(w, "published"),
        state="a published notice"),
    Row("centers:notice_detail", everyone(404), kwargs=lambda w: _notice(w, "draft"),
        state="a draft"),
]
