from django.urls import path

from . import invitation_views

app_name = "invitations"

urlpatterns = [
    path("family-feedback/", invitation_views.invitation_list, name="list"),
    path("family-feedback/random/", invitation_views.random_selection, name="random"),
    path("family-feedback/letters.pdf", invitation_views.letters, name="letters"),
    path("family-feedback/<int:pk>/letter.pdf", invitation_views.letter, name="letter"),
]
