"""The citizens' site. Each part brings its own URLs; none of them needs an account."""

from django.urls import include, path

from citizens import views

app_name = "public"

urlpatterns = [
    path("public/", views.home, name="home"),
    path("public/privacy/", views.privacy, name="privacy"),
    path("follow/", include("citizens.tracking.urls")),
    path("complain/", include("citizens.online.urls")),
    path("news/", include("citizens.news.urls")),
    path("figures/", include("citizens.figures.urls")),
    # Officers' pages that write to citizens (the progress letter): signed in, per case.
    path("public/cases/", include("citizens.notices.urls")),
]
