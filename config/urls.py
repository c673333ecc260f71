from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "青岛市赋能中心管理平台 · 管理后台"
admin.site.site_title = "赋能中心管理后台"
admin.site.index_title = "市发展改革委（市新旧动能办）"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("applications.urls")),
    path("", include("reviews.urls")),
    path("", include("experts.urls")),
    path("", include("centers.urls")),
    path("", include("evaluations.urls")),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
