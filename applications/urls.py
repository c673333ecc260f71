from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:call_pk>/apply/", views.application_start, name="start"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/step/<slug:step>/", views.application_step, name="step"),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download,
         name="attachment_download"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/delete/",
         views.attachment_delete, name="attachment_delete"),
]
