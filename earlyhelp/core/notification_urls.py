from django.urls import path

from . import notification_views

app_name = "notifications"

urlpatterns = [
    path("notifications/", notification_views.notification_list, name="list"),
    path("notifications/<int:pk>/", notification_views.open_notification, name="open"),
    path("notifications/mark-all-read/", notification_views.mark_all_read, name="mark-all-read"),
]
