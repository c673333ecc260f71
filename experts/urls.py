"""The expert review's pages: the roster, rounds, assignments, experts' sheets, results."""

from django.urls import path

from . import sheet_views, site_visit_views

app_name = "experts"

urlpatterns = [
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
