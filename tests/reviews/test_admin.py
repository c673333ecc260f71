"""Django admin: the review rounds are listed and filtered; nobody changes or deletes them."""

import pytest
from django.urls import reverse

from reviews.enums import ReviewOutcome
from reviews.models import DistrictReview

from .conftest import decide

pytestmark = pytest.mark.usefixtures("celery_eager")


@pytest.fixture
def decided(submitted_a, official_laoshan):
    return decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)


def test_listed_and_filtered(decided, commission_admin, client):
    client.force_login(commission_admin)
    url = reverse("admin:reviews_districtreview_changelist")
    page = client.get(url).content.decode()
    assert str(decided.application) in page
    assert str(decided.application) in client.get(url, {"outcome": "recommended"}).content.decode()
    assert str(decided.application) not in client.get(url, {"outcome": "returned"}).content.decode()


def test_read_only_even_for_a_superuser(decided, superuser_no_role, client):
    client.force_login(superuser_no_role)
    change = reverse("admin:reviews_districtreview_change", args=[decided.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(change, {"opinion": "改写的意见", "rank": 5})
    assert DistrictReview.objects.get(pk=decided.pk).opinion != "改写的意见"
    assert client.get(reverse("admin:reviews_districtreview_delete",
                              args=[decided.pk])).status_code == 403
    assert client.get(reverse("admin:reviews_districtreview_add")).status_code == 403
