from django.urls import path

from . import directory_views, views

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
]
