"""The expert review's pages: the roster, rounds, assignments, experts' sheets, results."""

from django.urls import path

from . import authority_views, results_views, roster_views, views_assignment

from . import avoidance_urls

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
    # 第四条: the roster (专家库) of the commission's secretariat.
    path("commission/experts/", roster_views.roster_list, name="roster_list"),
    path("commission/experts/import/", roster_views.roster_import, name="roster_import"),
    path("commission/experts/import/template/", roster_views.roster_import_template,
         name="roster_import_template"),
    path("commission/experts/<int:pk>/", roster_views.roster_detail, name="roster_detail"),
    # 第三条、第九条（三）: invited industry authorities.
    path("authority/rounds/", authority_views.round_list, name="authority_rounds"),
    path("authority/rounds/<int:pk>/", authority_views.round_detail, name="authority_round"),
    path("authority/rounds/<int:pk>/applications/<int:application_pk>/",
         authority_views.application_read, name="authority_application"),
    path("authority/rounds/<int:pk>/applications/<int:application_pk>/attachments/"
         "<int:attachment_pk>/", authority_views.attachment_download,
         name="authority_attachment"),
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

urlpatterns += avoidance_urls.urlpatterns
