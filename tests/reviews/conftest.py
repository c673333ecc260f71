"""The district review's fixtures: org A's application submitted to 崂山区 (`submitted_a`, from
the application tests), reviewed by 崂山区's official; 即墨区's official is the other district.

`decide(application, official, outcome, **fields)` saves a complete checklist draft and decides
it through the services, as the review page does.
"""

import datetime

import pytest
from django.utils import timezone

from reviews import services
from reviews.enums import CheckResult, ReviewOutcome
from tests.applications.conftest import (  # noqa: F401  (fixtures shared with these tests)
    clock,
    complete_a,
    open_call,
    submitted_a,
)

CHECKLIST = {
    "authenticity": CheckResult.PASSED, "authenticity_note": "营业执照与申报一致。",
    "accuracy": CheckResult.PASSED, "accuracy_note": "数据核对无误。",
    "conformity": CheckResult.PASSED, "conformity_note": "材料齐全、格式规范。",
    "opinion": "该单位技术实力较强，同意推荐。",
    "applicant_reasons": "", "internal_note": "",
}


def draft(application, official, **fields):
    data = dict(CHECKLIST)
    if "resubmit_by" not in fields:
        data["resubmit_by"] = timezone.localdate() + datetime.timedelta(days=3)
    data.update(fields)
    return services.review_save_draft(application=application, actor=official, data=data)


def decide(application, official, outcome, **fields):
    if outcome in (ReviewOutcome.RETURNED, ReviewOutcome.NOT_RECOMMENDED):
        fields.setdefault("applicant_reasons", "请补充近三年的服务案例。")
    draft(application, official, **fields)
    return services.review_decide(application=application, actor=official, outcome=outcome)


@pytest.fixture
def submitted_b(open_call, applicant_b, org_b):
    from applications import services as application_services
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(complete=True, call=open_call, organisation=org_b,
                                     created_by=applicant_b)
    return application_services.application_submit(application=application, actor=applicant_b)
