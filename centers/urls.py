from django.urls import path

from . import change_views, directory_views, objection_views, record_views, views

app_name = "centers"

urlpatterns = [
    # 第九条（四）: 公示, public.
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    # 第九条（四）: 认定公告, the centers and plaque verification, public.
    path("announcements/<int:pk>/", directory_views.announcement, name="announcement"),
    path("centers/", directory_views.center_list, name="center_list"),
    path("centers/revoked/", directory_views.revoked_list, name="revoked_list"),
    path("centers/<int:pk>/", directory_views.center_detail, name="center_detail"),
    path("plaques/<int:pk>/certificate/", directory_views.certificate_download,
         name="certificate_download"),
    path("verify/", directory_views.verify, name="verify"),
    path("verify/<str:token>/", directory_views.verify_token, name="verify_token"),
    # 异议: filed and looked up by anyone, handled by the commission.
    path("notices/<int:pk>/objections/new/", objection_views.objection_new,
         name="objection_new"),
    path("objections/filed/", objection_views.objection_filed, name="objection_filed"),
    path("objections/lookup/", objection_views.objection_lookup, name="objection_lookup"),
    path("commission/objections/", objection_views.objection_list, name="objection_list"),
    path("commission/objections/<int:pk>/", objection_views.objection_handle,
         name="objection_handle"),
    path("commission/objections/<int:pk>/files/<int:file_pk>/",
         objection_views.objection_file_download, name="objection_file"),
    path("applications/<int:pk>/explanations/", objection_views.explanations,
         name="explanations"),
    # --- Operation (C): the center's workspace, service records (第十二条) and progress ---
    path("center/<int:pk>/", record_views.workspace, name="workspace"),
    path("center/<int:pk>/records/", record_views.record_list, name="record_list"),
    path("center/<int:pk>/records/new/<str:kind>/", record_views.record_new, name="record_new"),
    path("center/<int:pk>/records/import/", record_views.record_import, name="record_import"),
    path("center/<int:pk>/records/import/template/", record_views.record_import_template,
         name="record_import_template"),
    path("center/<int:pk>/records/<int:record_pk>/", record_views.record_detail,
         name="record_detail"),
    path("center/<int:pk>/records/<int:record_pk>/edit/", record_views.record_edit,
         name="record_edit"),
    path("center/<int:pk>/records/<int:record_pk>/delete/", record_views.record_delete,
         name="record_delete"),
    path("center/<int:pk>/records/<int:record_pk>/files/<int:file_pk>/",
         record_views.record_file, name="record_file"),
    path("center/<int:pk>/progress/", record_views.progress, name="progress"),
    # --- 变更报告 (第十三条): the center reports, its 主管部门 forwards, the commission decides.
    path("center/<int:pk>/changes/", change_views.change_list, name="change_list"),
    path("center/<int:pk>/changes/new/", change_views.change_new, name="change_new"),
    path("center/<int:pk>/changes/<int:report_pk>/", change_views.change_detail,
         name="change_detail"),
    path("center/<int:pk>/changes/<int:report_pk>/files/<int:file_pk>/",
         change_views.change_file, name="change_file"),
    path("district/changes/", change_views.change_district_list, name="change_district_list"),
    path("commission/changes/", change_views.change_overview, name="change_overview"),
    path("commission/changes/<int:pk>/", change_views.change_decide, name="change_decide"),
]
