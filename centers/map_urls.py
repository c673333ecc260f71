"""第十五条 一张图: the public map, the staff map and a center's location."""

from django.urls import path

from . import map_views

urlpatterns = [
    path("map/", map_views.public_map, name="map"),
    path("map/data/", map_views.public_map_data, name="map_data"),
    path("map/centers/", map_views.public_map_centers, name="map_centers"),
    path("commission/map/", map_views.commission_map, name="commission_map"),
    path("commission/map/data/", map_views.commission_map_data, name="commission_map_data"),
    path("commission/map/centers/", map_views.commission_map_centers,
         name="commission_map_centers"),
    path("center/<int:pk>/location/", map_views.center_location, name="center_location"),
]
