"""`make run` shows the open data populated: the demo's six designated centers (one of them
revoked, with its ground), its public notices and calls, in the API and in the files."""

import io
import json

from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from applications.models import Call
from centers.enums import CenterStatus
from centers.models import Center, PublicNotice


def test_the_demo_centers_notices_and_calls_are_open_data(db, django_capture_on_commit_callbacks):
    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    centers = json.loads(client.get(reverse("open_data_centers-list")).content)
    assert centers["count"] == Center.objects.count() >= 6
    assert {row["name"] for row in centers["results"]} == set(
        Center.objects.values_list("name", flat=True))
    revoked = [row for row in centers["results"] if row["status"] == CenterStatus.REVOKED]
    assert revoked and all(row["revoked_on"] and row["revocation_ground"] for row in revoked)

    notices = json.loads(client.get(reverse("open_data_notices-list")).content)
    assert notices["count"] == PublicNotice.objects.exclude(status="draft").count() >= 1
    assert all(notice["entries"] for notice in notices["results"])
    calls = json.loads(client.get(reverse("open_data_calls-list")).content)
    assert calls["count"] == Call.objects.exclude(status="draft").count() >= 2

    csv_text = b"".join(client.get(reverse("open_data_csv", args=["centers"]))
                        .streaming_content).decode()
    assert all(row["name"] in csv_text for row in centers["results"])
