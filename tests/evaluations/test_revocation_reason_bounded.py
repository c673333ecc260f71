"""A revocation decision's reason is bounded like the proposal's facts (第十七条): the service
refuses a longer one in Chinese, so the admin action stores nothing unbounded either."""

import datetime

import pytest

from evaluations import revocations
from evaluations.enums import RevocationGround
from evaluations.errors import EvaluationError

from .revocation_helpers import pdf


def test_a_decision_reason_over_the_limit_is_refused(designated_centers, commission_staff):
    proposal = revocations.revocation_propose(
        center=designated_centers[0], ground=RevocationGround.FALSE_MATERIALS,
        facts="经核查，该中心报送的服务企业数据与实际不符。", actor=commission_staff,
        files=[pdf()])
    now = datetime.datetime(2026, 9, 28, 10,
                            tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    told = revocations.revocation_notify(revocation=proposal, actor=commission_staff, now=now)
    after = now + datetime.timedelta(days=60)
    with pytest.raises(EvaluationError, match="决定理由不超过"):
        revocations.revocation_decide(revocation=told, actor=commission_staff, revoke=False,
                                      reason="理" * (revocations.FACTS_MAX_CHARS + 1), now=after)
    dropped = revocations.revocation_decide(revocation=told, actor=commission_staff,
                                            revoke=False,
                                            reason="理" * revocations.FACTS_MAX_CHARS, now=after)
    assert len(dropped.decision_reason) == revocations.FACTS_MAX_CHARS
