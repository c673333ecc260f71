from django.urls import path

from . import views

app_name = "centers"

urlpatterns = [
    # 第九条（四）: 公示, public.
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
]
