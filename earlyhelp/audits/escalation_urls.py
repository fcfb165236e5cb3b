from django.urls import path

from . import escalation_views

app_name = "escalations"

urlpatterns = [
    path("escalations/", escalation_views.escalation_list, name="list"),
    path("escalations/<int:pk>/", escalation_views.detail, name="detail"),
    path("escalations/<int:pk>/acknowledge/", escalation_views.acknowledge, name="acknowledge"),
]
