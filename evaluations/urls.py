from django.urls import path

from . import cycle_views, results_views

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
]
