"""The expert review's pages: the roster, rounds, assignments, experts' sheets, results."""

from django.urls import path  # noqa: F401

app_name = "experts"

urlpatterns = [
]
