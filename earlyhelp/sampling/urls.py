from django.urls import path

from . import views

app_name = "sampling"

urlpatterns = [
    path("samples/", views.sample_list, name="list"),
    path("samples/new/", views.new, name="new"),
    path("samples/<int:pk>/", views.detail, name="detail"),
    path("samples/<int:pk>/items/<int:item_pk>/replace/", views.replace, name="replace"),
    path("samples/<int:pk>/items/<int:item_pk>/remove/", views.remove, name="remove"),
    path("samples/<int:pk>/request/", views.request_eha, name="request"),
    path("samples/<int:pk>/assign/", views.assign, name="assign"),
    path("samples/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("samples/<int:pk>/cancel/", views.cancel, name="cancel"),
]
