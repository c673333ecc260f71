"""Calls and applications of the application tests, built with `tests.factories`.

`open_call` is published and accepting; `draft_a` is org A's fresh draft; `complete_a` has every
step filled, the attachments and the sealed scan uploaded and the commitment accepted, so it
can be submitted; `submitted_a` is org A's complete application submitted through the service
(routed to 崂山区, with its notices, documents and status history).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services
from applications.demo import sample_pdf
from tests.factories import ApplicationFactory, CallFactory


def pdf_bytes(text: str = "test") -> bytes:
    """A minimal valid PDF."""
    return sample_pdf(text)


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def open_call(commission_staff):
    """Published by the commission through the service, so its status history starts there."""
    # The only measures on record expired in 2023 (第二十条): publishing under them is a
    # confirmed act, as it would be in admin.
    return services.call_publish(call=CallFactory(unpublished=True, title="2026年度赋能中心申报通知"),
                                 actor=commission_staff, policy_confirmed=True)


@pytest.fixture
def draft_a(open_call, applicant_a, org_a):
    return ApplicationFactory(call=open_call, organisation=org_a, created_by=applicant_a)


@pytest.fixture
def draft_b(open_call, applicant_b, org_b):
    return ApplicationFactory(call=open_call, organisation=org_b, created_by=applicant_b)


@pytest.fixture
def complete_a(open_call, applicant_a, org_a):
    return ApplicationFactory(complete=True, call=open_call, organisation=org_a,
                              created_by=applicant_a)


@pytest.fixture
def submitted_a(complete_a, applicant_a):
    return services.application_submit(application=complete_a, actor=applicant_a)


@pytest.fixture
def clock(monkeypatch):
    """`clock(instant)` sets the server's time (`django.utils.timezone.now`) for the test."""
    def at(instant):
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return at
