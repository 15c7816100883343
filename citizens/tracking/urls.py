"""URLs of the citizens' site: tracking (/follow/, the old system's address), and the
officers' pages of the complainants' requests to reopen (/follow/requests/)."""

from django.urls import path

from citizens.tracking import views

urlpatterns = [
    path("", views.track, name="track"),
    path("requests/", views.reopen_requests, name="reopen_requests"),
    path("requests/<id:pk>/", views.reopen_request, name="reopen_request"),
    path("<str:code>/", views.track_case, name="track_case"),
    path("<str:code>/rate/", views.track_rate, name="track_rate"),
    path("<str:code>/not-solved/", views.track_not_solved, name="track_not_solved"),
]
