"""The yearly evaluation's pages (第十六至十八条)."""

from django.urls import path

from . import (
    cycle_views,
    district_views,
    material_views,
    opinion_views,
    results_views,
    revocation_views,
    scoring_views,
)

app_name = "evaluations"

urlpatterns = [
    # --- cycles, grades and 通报 (第十七条) ---
    path("commission/evaluations/", cycle_views.cycle_list, name="cycle_list"),
    path("commission/evaluations/<int:pk>/", cycle_views.cycle_detail, name="cycle_detail"),
    path("commission/evaluations/grades/<int:pk>/", cycle_views.evaluation_grade,
         name="evaluation_grade"),
    path("evaluations/results/", results_views.results_list, name="results_list"),
    path("evaluations/results/<int:year>/", results_views.results_cycle, name="results_cycle"),
    path("evaluations/bulletins/<int:pk>/pdf/", results_views.bulletin_pdf, name="bulletin_pdf"),
    # --- B: the center's materials, the 主管部门's 初审 (第十八条) ---
    path("center/<int:pk>/evaluations/", material_views.center_evaluations,
         name="center_evaluations"),
    path("evaluations/<int:pk>/materials/", material_views.materials, name="materials"),
    path("evaluations/<int:pk>/materials/autosave/", material_views.materials_autosave,
         name="materials_autosave"),
    path("evaluations/<int:pk>/materials/files/", material_views.materials_file_add,
         name="materials_file_add"),
    path("evaluations/<int:pk>/materials/files/<int:file_pk>/", material_views.materials_file,
         name="materials_file"),
    path("evaluations/<int:pk>/materials/files/<int:file_pk>/remove/",
         material_views.materials_file_remove, name="materials_file_remove"),
    path("district/evaluations/", district_views.district_evaluations,
         name="district_evaluations"),
    path("district/evaluations/<int:pk>/", district_views.district_review,
         name="district_review"),
    path("district/evaluations/forward/", district_views.district_forward,
         name="district_forward"),
    path("evaluations/forwardings/<int:pk>/pdf/", district_views.forwarding_pdf,
         name="forwarding_pdf"),
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
    # --- D: revocation (第十七条) ---
    path("center/<int:pk>/revocations/", revocation_views.center_list,
         name="revocation_center_list"),
    path("center/<int:pk>/revocations/request/", revocation_views.request_new,
         name="revocation_request"),
    path("center/<int:pk>/revocations/<int:revocation_pk>/", revocation_views.detail,
         name="revocation_detail"),
    path("revocations/<int:pk>/files/<int:file_pk>/", revocation_views.file_download,
         name="revocation_file"),
    path("district/revocations/", revocation_views.district_list,
         name="revocation_district_list"),
    path("commission/revocations/", revocation_views.commission_list, name="revocation_list"),
    path("commission/revocations/new/", revocation_views.propose, name="revocation_new"),
    path("commission/revocations/<int:pk>/", revocation_views.manage,
         name="revocation_manage"),
]
