"""The expert review's pages: the roster, rounds, assignments, experts' sheets, results."""

from django.urls import path

from . import authority_views, roster_views

app_name = "experts"

urlpatterns = [
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
]
