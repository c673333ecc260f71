from django.urls import path

from . import revocation_views

app_name = "evaluations"

urlpatterns = [
    # --- D: revocation (第十七条) ---
    path("center/<int:pk>/revocations/", revocation_views.center_list,
         name="revocation_center_list"),
    path("center/<int:pk>/revocations/request/", revocation_views.request_new,
         name="revocation_request"),
    path("center/<int:pk>/revocations/<int:revocation_pk>/", revocation_views.detail,
         name="revocation_detail"),
    path("revocations/<int:pk>/files/<int:file_pk>/", revocation_views.file_download,
         name="revocation_file"),
    path("district/revocations/", revocation_views.district_list,
         name="revocation_district_list"),
    path("commission/revocations/", revocation_views.commission_list, name="revocation_list"),
    path("commission/revocations/new/", revocation_views.propose, name="revocation_new"),
    path("commission/revocations/<int:pk>/", revocation_views.manage,
         name="revocation_manage"),
]
