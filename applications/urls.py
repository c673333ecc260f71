from django.urls import path

from . import autosave_views, policy_views, staff_views, views

app_name = "applications"

urlpatterns = [
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("applications/", views.applicant_list, name="mine"),
    path("calls/<int:call_pk>/apply/", views.application_start, name="start"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/step/<slug:step>/", views.application_step, name="step"),
    path("applications/<int:pk>/step/<slug:step>/autosave/", autosave_views.step_autosave,
         name="step_autosave"),
    path("applications/<int:pk>/review/", views.application_review, name="review"),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/receipt/", views.application_receipt, name="receipt"),
    path("applications/<int:pk>/receipt/pdf/", views.application_receipt_pdf,
         name="receipt_pdf"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/reopen/", views.application_reopen, name="reopen"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download,
         name="attachment_download"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/delete/",
         views.attachment_delete, name="attachment_delete"),
    path("applications/<int:pk>/documents/<slug:variant>/", views.application_document,
         name="document"),
    path("applications/<int:pk>/documents/<slug:variant>/<int:document_pk>/download/",
         views.application_document_download, name="document_download"),
]

# The commission's list of all applications and its Excel export.
urlpatterns += [
    path("staff/applications/", staff_views.staff_list, name="staff_list"),
    path("staff/applications/export/", staff_views.staff_export, name="staff_export"),
    path("staff/exports/<int:pk>/", staff_views.export_detail, name="export_detail"),
    path("staff/exports/<int:pk>/download/", staff_views.export_download,
         name="export_download"),
    # 第二十条: the policy documents and their validity, public.
    path("policies/", policy_views.policy_list, name="policy_list"),
]
