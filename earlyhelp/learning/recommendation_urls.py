from django.urls import path

from . import recommendation_views as views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/", views.recommendation_list, name="list"),
    path("recommendations/new/", views.recommendation_new, name="new"),
    path("recommendations/training-needs/", views.training_register, name="training"),
    path("recommendations/standards-reviews/", views.standards_reviews, name="standards"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="detail"),
    path("recommendations/<int:pk>/responses/", views.recommendation_respond, name="respond"),
    path("recommendations/<int:pk>/accept/", views.recommendation_accept, name="accept"),
    path("recommendations/<int:pk>/close/", views.recommendation_close, name="close"),
]
