"""The expert review's pages: the roster, rounds, assignments, experts' sheets, results."""

from django.urls import path

from . import results_views

app_name = "experts"

urlpatterns = [
    # The commission's results of a round, the proposed list and the exports (第九条（三）).
    path("rounds/<int:pk>/results/", results_views.round_results, name="round_results"),
    path("rounds/<int:pk>/results/entries/<int:entry_pk>/resolve/",
         results_views.entry_resolve, name="entry_resolve"),
    path("rounds/<int:pk>/results/proposed/", results_views.proposed_list,
         name="proposed_list"),
    path("rounds/<int:pk>/results/export/summary/", results_views.results_summary_xlsx,
         name="results_summary_xlsx"),
    path("rounds/<int:pk>/results/export/sheets/", results_views.results_sheets_xlsx,
         name="results_sheets_xlsx"),
    path("rounds/<int:pk>/results/pdf/", results_views.results_pdf_request,
         name="results_pdf_request"),
    path("rounds/<int:pk>/results/pdf/<int:doc_pk>/", results_views.results_pdf_download,
         name="results_pdf_download"),
]
