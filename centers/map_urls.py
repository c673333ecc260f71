"""第十五条 一张图: the public map, the staff map and a center's location."""

urlpatterns = []
