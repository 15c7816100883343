"""URLs of the citizens' site: complaining online (/complain/)."""

from django.urls import path

from citizens.online import views

urlpatterns = [
    path("", views.complain, name="complain"),
    path("done/<str:token>/", views.done, name="complain_done"),
    path("confirm/<str:token>/", views.confirm, name="complain_confirm"),
    path("challenge/", views.challenge, name="complain_challenge"),
    path("areas/districts/", views.districts, name="complain_districts"),
    path("areas/subdistricts/", views.subdistricts, name="complain_subdistricts"),
]
