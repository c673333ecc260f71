"""第七条（八）: the open-data API, its OpenAPI document, downloads and the data dictionary."""

urlpatterns = []
