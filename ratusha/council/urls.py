"""Public URLs of the council, under ``/council/``; the deputy's cabinet and the open data of
votes add theirs from their own modules."""

from django.urls import path

from . import views, views_cabinet, views_opendata

app_name = "council"

urlpatterns = [
    path("", views.index, name="index"),
    path("convocations/<int:number>/", views.convocation, name="convocation"),
    path("deputies/<int:pk>/", views.deputy, name="deputy"),
    path("people/<int:pk>/", views.person, name="person"),
    path("bodies/<int:pk>/", views.organization, name="organization"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/screen/", views.screen, name="screen"),
    path("meetings/<int:pk>/screen/state/", views.screen_state, name="screen_state"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("votes/<int:pk>/", views.vote, name="vote"),
    *views_cabinet.urlpatterns,
    *views_opendata.urlpatterns,
]
