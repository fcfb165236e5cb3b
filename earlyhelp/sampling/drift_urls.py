from django.urls import path

from . import drift_views

app_name = "drift"

urlpatterns = [
    path("drift/", drift_views.worklist, name="worklist"),
    path("drift/<int:pk>/", drift_views.item, name="item"),
    path("drift/<int:pk>/audit/", drift_views.create_audit, name="audit"),
    path("drift/<int:pk>/contact/", drift_views.record_contact, name="contact"),
    path("drift/<int:pk>/dismiss/", drift_views.dismiss, name="dismiss"),
    path("drift/<int:pk>/taf-request/", drift_views.record_taf_request, name="taf_request"),
]
