from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback_form, name="form"),
    path("sent/<str:token>/", views.feedback_sent, name="sent"),
]
