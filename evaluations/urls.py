"""The yearly evaluation's pages (第十六至十八条)."""

from django.urls import path

from . import opinion_views, scoring_views

app_name = "evaluations"

urlpatterns = [
    # --- C: expert scoring (委托第三方机构) and the invited authorities' opinions (会同) ---
    path("agency/evaluations/", scoring_views.agency_cycles, name="scoring_agency"),
    path("agency/evaluations/<int:pk>/round/", scoring_views.cycle_round, name="scoring_round"),
    path("expert/assignments/<int:pk>/evaluation-files/<int:file_pk>/",
         scoring_views.expert_file, name="scoring_expert_file"),
    path("authority/evaluations/", opinion_views.authority_cycles, name="opinion_cycles"),
    path("authority/evaluations/<int:pk>/", opinion_views.authority_cycle, name="opinion_cycle"),
    path("authority/evaluations/<int:pk>/centers/<int:evaluation_pk>/",
         opinion_views.authority_evaluation, name="opinion_evaluation"),
    path("authority/evaluations/<int:pk>/centers/<int:evaluation_pk>/files/<int:file_pk>/",
         opinion_views.authority_file, name="opinion_file"),
]
