from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("vision/", views.low_vision_toggle, name="low_vision"),
    path("api/openapi.json", views.openapi, name="openapi"),
]
