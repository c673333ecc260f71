from django.urls import path

from . import session, views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("session/keepalive/", session.session_keepalive, name="session_keepalive"),
]
