"""Officers' pages of the notices to complainants (under /public/cases/)."""

from django.urls import path

from citizens.notices import views

urlpatterns = [
    path("<id:pk>/progress-letter/", views.progress_letter, name="progress_letter"),
]
