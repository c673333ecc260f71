"""第十五条 产业数据分析: the commission's statistics pages."""

urlpatterns = []
