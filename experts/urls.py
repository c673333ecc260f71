"""The expert review's pages: the roster, rounds, assignments, experts' sheets, results."""

from django.urls import path

from . import views_assignment

app_name = "experts"

urlpatterns = [
    # 第九条（三）: rounds and their assignments, for the commission and the entrusted agency.
    path("rounds/", views_assignment.round_list, name="round_list"),
    path("rounds/<int:pk>/assignments/", views_assignment.assignments, name="assignments"),
    path("rounds/<int:pk>/assignments/add/", views_assignment.assignment_add_view,
         name="assignment_add"),
    path("rounds/<int:pk>/assignments/auto/", views_assignment.assignment_auto_view,
         name="assignment_auto"),
    path("rounds/<int:pk>/assignments/<int:assignment_pk>/withdraw/",
         views_assignment.assignment_withdraw_view, name="assignment_withdraw"),
]
