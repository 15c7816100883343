from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/profile/", views.profile, name="profile"),
    path("geo/districts/", views.districts, name="districts"),
    path("geo/subdistricts/", views.subdistricts, name="subdistricts"),
    path("cases/", include("cases.urls")),
    path("inbox/", include("workflows.urls")),
    path("audit/", include("auditing.urls")),
    path("exports/", include("exports.urls")),
    # Repeat complaints: the intake's live check, requests for access (repeats/).
    path("repeats/", include("repeats.urls")),
    path("documents/", include("documents.urls")),
    # Registration of officers, activation, oversight (accounts/).
    path("accounts/", include("accounts.urls")),
    # REST API v1 and its OpenAPI document (api/), Open311 GeoReport v2 (open311/), the field app (field/).
    path("api/", include("api.urls")),
    path("open311/", include("open311.urls")),
    path("field/", include("field.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", views.language, name="language"),
    path("manual/", include("accounts.manual_urls")),
    path("admin/", admin.site.urls),
    # The citizens' site (public/): /public/, /follow/, /complain/, /news/, /figures/.
    path("", include("citizens.urls")),
]
