from django.urls import path

from . import closure_views

app_name = "closure"

urlpatterns = [
    path("closure-forms/", closure_views.closure_list, name="list"),
    path("closure-forms/<int:eha_pk>/", closure_views.closure_form, name="form"),
]
