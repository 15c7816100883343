"""The user manual (included at /manual/ by core/urls.py)."""

from django.urls import path

from accounts import manual_views as views

app_name = "manual"

urlpatterns = [
    path("", views.index, name="index"),
    path("all.pdf", views.pdf, name="all_pdf"),
    path("<slug:role>/", views.role_page, name="role"),
    path("<slug:role>.pdf", views.pdf, name="pdf"),
]
