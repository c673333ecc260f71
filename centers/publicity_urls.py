"""第十五条、第十九条 宣传推介: news, announcements and 典型案例."""

urlpatterns = []
