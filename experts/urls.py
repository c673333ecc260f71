"""The expert review's pages: the roster, rounds, assignments, experts' sheets, results."""

from django.urls import path

from . import (
    authority_views,
    avoidance_urls,
    results_views,
    roster_views,
    sheet_views,
    site_visit_views,
    views_assignment,
)

app_name = "experts"

urlpatterns = [
    # The commission's results of a round, the proposed list and the exports (第九条（三）).
    path("rounds/<int:pk>/results/", results_views.round_results, name="round_results"),
    path("rounds/<int:pk>/results/entries/<int:entry_pk>/", results_views.round_entry,
         name="round_entry"),
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
    path("rounds/<int:pk>/assignments/withdraw/",
         views_assignment.assignment_withdraw_view, name="assignment_withdraw"),
    # The expert's own work (第九条（三）): assignments, commitment, the application, the sheet.
    path("expert/assignments/", sheet_views.my_assignments, name="my_assignments"),
    path("expert/assignments/<int:pk>/", sheet_views.assignment, name="assignment"),
    path("expert/assignments/<int:pk>/commit/", sheet_views.commit, name="commit"),
    path("expert/assignments/<int:pk>/recuse/", sheet_views.recuse, name="recuse"),
    path("expert/assignments/<int:pk>/application/", sheet_views.application,
         name="application"),
    path("expert/assignments/<int:pk>/attachments/<int:attachment_pk>/",
         sheet_views.attachment, name="attachment"),
    path("expert/assignments/<int:pk>/sheet/", sheet_views.sheet, name="sheet"),
    path("expert/assignments/<int:pk>/sheet/autosave/", sheet_views.sheet_autosave,
         name="sheet_autosave"),
    path("commission/score-sheets/<int:pk>/reopen/", sheet_views.sheet_reopen,
         name="sheet_reopen"),
    # 现场考察
    path("review-rounds/<int:round_pk>/site-visits/<int:application_pk>/",
         site_visit_views.site_visit, name="site_visit"),
    path("review-rounds/<int:round_pk>/site-visits/<int:application_pk>/files/",
         site_visit_views.site_visit_upload, name="site_visit_upload"),
    path("site-visit-files/<int:pk>/", site_visit_views.site_visit_file,
         name="site_visit_file"),
]

urlpatterns += avoidance_urls.urlpatterns
