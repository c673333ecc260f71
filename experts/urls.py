"""The expert review's pages: the roster, rounds, assignments, experts' sheets, results."""

from django.urls import path  # noqa: F401

from . import avoidance_urls

app_name = "experts"

urlpatterns = [
]

urlpatterns += avoidance_urls.urlpatterns
