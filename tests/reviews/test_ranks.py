"""择优推荐 (第八条): ranks among a department's recommendations for a call stay 1…n."""

import random
import threading

import pytest
from django.db import connection, connections

from reviews import services
from reviews.enums import ReviewOutcome
from reviews.models import DistrictReview
from tests.factories import ApplicationFactory

from .conftest import decide

pytestmark = pytest.mark.usefixtures("celery_eager")


def _ranking(call):
    return list(DistrictReview.objects.filter(call=call, outcome=ReviewOutcome.RECOMMENDED)
                .order_by("rank").values_list("application_id", "rank"))


def _recommend(call, official, n):
    return [decide(ApplicationFactory(submitted=True, call=call), official,
                   ReviewOutcome.RECOMMENDED) for _ in range(n)]


def test_each_recommendation_comes_last_and_moves_up_and_down(open_call, official_laoshan):
    first, second, third = _recommend(open_call, official_laoshan, 3)
    assert [rank for _, rank in _ranking(open_call)] == [1, 2, 3]

    services.recommendation_move(review=third, actor=official_laoshan, direction="up")
    assert _ranking(open_call) == [(first.application_id, 1), (third.application_id, 2),
                                   (second.application_id, 3)]
    services.recommendation_move(review=first, actor=official_laoshan, direction="up")  # top
    services.recommendation_move(review=first, actor=official_laoshan, direction="down")
    assert [a for a, _ in _ranking(open_call)] == [third.application_id, first.application_id,
                                                  second.application_id]


def test_another_districts_official_cannot_reorder(open_call, official_laoshan, official_jimo):
    from django.core.exceptions import PermissionDenied

    review, _ = _recommend(open_call, official_laoshan, 2)
    with pytest.raises(PermissionDenied):
        services.recommendation_move(review=review, actor=official_jimo, direction="down")


def test_the_ranking_page_moves_a_row(open_call, official_laoshan, role_client):
    from django.urls import reverse

    first, second = _recommend(open_call, official_laoshan, 2)
    client = role_client("district_official")
    page = client.get(reverse("reviews:ranking", args=[open_call.pk])).content.decode()
    assert page.index(first.application.center_name) < page.index("下移")
    client.post(reverse("reviews:ranking_move", args=[second.pk]), {"direction": "up"})
    assert [a for a, _ in _ranking(open_call)] == [second.application_id, first.application_id]


@pytest.mark.django_db(transaction=True)
def test_two_officials_reordering_at_once_keep_ranks_unique_and_gapless(official_laoshan):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; CI runs this on PostgreSQL")
    from accounts.enums import Role
    from tests.factories import CallFactory, department, staff

    colleague = staff(Role.DISTRICT_OFFICIAL, department("崂山区"), username="official_laoshan2")
    call = CallFactory()
    reviews = _recommend(call, official_laoshan, 6)
    # Two more recommended at the same time as the moves: each must get its own place.
    pending = [ApplicationFactory(submitted=True, call=call) for _ in range(2)]
    for application in pending:
        services.review_save_draft(application=application, actor=colleague,
                                   data={"authenticity": "passed", "accuracy": "passed",
                                         "conformity": "passed", "opinion": "同意推荐。"})
    barrier = threading.Barrier(3)
    errors = []

    def reorder(actor, seed):
        rng = random.Random(seed)
        try:
            barrier.wait()
            for _ in range(15):
                review = DistrictReview.objects.get(pk=rng.choice(reviews).pk)
                services.recommendation_move(review=review, actor=actor,
                                             direction=rng.choice(["up", "down"]))
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(repr(error))
        finally:
            connections.close_all()

    def recommend_pending():
        try:
            barrier.wait()
            for application in pending:
                services.review_decide(application=application, actor=colleague,
                                       outcome=ReviewOutcome.RECOMMENDED)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reorder, args=(official_laoshan, 1)),
               threading.Thread(target=reorder, args=(colleague, 2)),
               threading.Thread(target=recommend_pending)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [], "\n".join(errors)
    ranking = _ranking(call)
    assert [rank for _, rank in ranking] == list(range(1, 9))
    assert {a for a, _ in ranking} == ({r.application_id for r in reviews}
                                       | {a.pk for a in pending})


def test_a_double_click_on_a_move_moves_one_place(open_call, official_laoshan, role_client):
    from django.urls import reverse

    first, second, third = _recommend(open_call, official_laoshan, 3)
    client = role_client("district_official")
    data = {"direction": "up", "form_token": "t" * 32}
    for _ in range(2):
        response = client.post(reverse("reviews:ranking_move", args=[third.pk]), data)
        assert response.status_code == 302
    assert [a for a, _ in _ranking(open_call)] == [first.application_id, third.application_id,
                                                  second.application_id]
