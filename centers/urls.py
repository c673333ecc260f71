from django.urls import path

from . import directory_views, objection_views, supervision_views, views

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
    # --- Operation (E): the 主管部门's supervision (第十一条) and the data duties (第十四条) ---
    path("district/centers/", supervision_views.district_center_list,
         name="district_center_list"),
    path("district/supervision/", supervision_views.district_supervision,
         name="district_supervision"),
    path("district/supervision/<int:pk>/", supervision_views.district_report,
         name="district_report"),
    path("district/supervision/<int:pk>/print/", supervision_views.district_report_print,
         name="district_report_print"),
    path("commission/supervision/", supervision_views.commission_supervision,
         name="commission_supervision"),
    path("commission/supervision/periods/", supervision_views.commission_periods,
         name="commission_periods"),
    path("commission/supervision/periods/new/", supervision_views.commission_period_new,
         name="commission_period_new"),
    path("commission/supervision/periods/<int:pk>/", supervision_views.commission_period_edit,
         name="commission_period_edit"),
    path("commission/supervision/reports/<int:pk>/", supervision_views.commission_report,
         name="commission_report"),
    path("commission/supervision/reports/<int:pk>/print/",
         supervision_views.commission_report_print, name="commission_report_print"),
    path("center/<int:pk>/data/", supervision_views.center_data, name="center_data"),
    path("center/<int:pk>/data/record/", supervision_views.center_data_record,
         name="center_data_record"),
    path("center/<int:pk>/data/agreements/new/", supervision_views.center_data_agreement_new,
         name="center_data_agreement_new"),
    path("center/<int:pk>/data/agreements/<int:agreement_pk>/file/",
         supervision_views.center_data_agreement_file, name="center_data_agreement_file"),
    path("center/<int:pk>/data/self-checks/new/", supervision_views.center_data_self_check_new,
         name="center_data_self_check_new"),
    # --- end of part E ---
]
