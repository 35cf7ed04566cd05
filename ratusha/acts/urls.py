"""Public URLs of the acts registry. ``/acts/<pk>/`` is an act's permanent address."""

from django.urls import path

from . import views

app_name = "acts"

urlpatterns = [
    path("", views.act_list, name="list"),
    path("export/", views.act_export, name="export"),
    path("feed/<slug:code>/", views.act_feed, name="feed"),
    path("<int:pk>/", views.act_detail, name="detail"),
    path("<int:pk>/files/<int:file_id>/", views.act_file, name="file"),
]
