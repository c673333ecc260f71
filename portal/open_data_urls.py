"""第七条（八）: the open-data API, its OpenAPI document, downloads and the data dictionary.

- /api/open/v1/centers/, /api/open/v1/notices/, /api/open/v1/calls/: read-only JSON lists
  (Django REST framework; no sign-in, no session, no CSRF: REST_FRAMEWORK in settings has no
  authentication class);
- /api/open/v1/schema/: their OpenAPI 3 document (drf-spectacular), generated from these
  patterns only;
- /open-data/<dataset>.csv and .xlsx: the same datasets as files;
- /open-data/: the data dictionary page.
"""

from django.urls import include, path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import open_data_views

API_PREFIX = "api/open/v1/"

router = SimpleRouter()
for dataset in open_data_views.DATASETS.values():
    router.register(dataset.slug, dataset.viewset, basename=dataset.basename)

api_patterns = [path(API_PREFIX, include(router.urls))]

urlpatterns = [
    *api_patterns,
    path(f"{API_PREFIX}schema/",
         SpectacularAPIView.as_view(urlconf=api_patterns,
                                    renderer_classes=[OpenApiJsonRenderer, OpenApiYamlRenderer]),
         name="open_data_schema"),
    path("open-data/", open_data_views.dictionary, name="open_data_dictionary"),
    path("open-data/<slug:dataset>.csv", open_data_views.download_csv, name="open_data_csv"),
    path("open-data/<slug:dataset>.xlsx", open_data_views.download_xlsx, name="open_data_xlsx"),
]
