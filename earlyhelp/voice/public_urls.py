"""The family's pages, under /feedback/: the private links are /feedback/<token>/, and the
start page, where a code from a letter is typed, is /feedback/ itself (the short link the letters
print, from this page's name)."""

from django.urls import path

from . import public_views

app_name = "family_feedback"

urlpatterns = [
    path("feedback/", public_views.start, name="start"),
    # Before the token's address, which would otherwise answer for these two.
    path("feedback/thank-you/", public_views.thanks, name="thanks"),
    path("feedback/too-many-attempts/", public_views.too_many, name="too_many"),
    path("feedback/<str:token>/", public_views.feedback_form, name="form"),
]
