from django.urls import path

from . import list_views

app_name = "audit_lists"

urlpatterns = [
    path("audits/mine/", list_views.my_audits, name="mine"),
    path("audits/", list_views.all_audits, name="all"),
]
