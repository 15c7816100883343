"""The citizens' site. Each part brings its own URLs; none of them needs an account."""

from django.urls import include, path

from public import views

app_name = "public"

urlpatterns = [
    path("public/", views.home, name="home"),
    path("public/privacy/", views.privacy, name="privacy"),
    path("public/language/<str:code>/", views.language, name="language"),
    path("follow/", include("public.tracking.urls")),
    path("complain/", include("public.online.urls")),
    path("news/", include("public.news.urls")),
    path("figures/", include("public.figures.urls")),
]
