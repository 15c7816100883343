from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import errors, pages, views

app_name = "api"

urlpatterns = [
    # REST API v1 (api/views.py).
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/cases/", views.CaseListView.as_view(), name="cases"),
    path("v1/cases/<id:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("v1/cases/<id:pk>/timeline/", views.CaseTimelineView.as_view(), name="case_timeline"),
    path("v1/cases/<id:pk>/actions/<slug:name>/", views.CaseActionView.as_view(), name="case_action"),
    path("v1/cases/<id:pk>/progress/", views.CaseProgressView.as_view(), name="case_progress"),
    path("v1/cases/<id:pk>/attachments/", views.CaseAttachmentsView.as_view(), name="case_attachments"),
    path(
        "v1/cases/<id:pk>/attachments/<id:attachment_pk>/", views.CaseAttachmentView.as_view(), name="case_attachment"
    ),
    path("v1/tasks/", views.TaskListView.as_view(), name="tasks"),
    path("v1/tasks/<id:pk>/claim/", views.TaskClaimView.as_view(), name="task_claim"),
    path("v1/tasks/<id:pk>/release/", views.TaskReleaseView.as_view(), name="task_release"),
    path("v1/notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("v1/notifications/read/", views.NotificationsReadView.as_view(), name="notifications_read"),
    path("v1/categories/", views.CategoryListView.as_view(), name="categories"),
    path("v1/geography/provinces/", views.ProvinceListView.as_view(), name="provinces"),
    path("v1/geography/districts/", views.DistrictListView.as_view(), name="districts"),
    path("v1/geography/subdistricts/", views.SubdistrictListView.as_view(), name="subdistricts"),
    # The OpenAPI document and its interactive docs (Swagger UI from drf-spectacular-sidecar).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.ApiDocsView.as_view(), name="docs"),
    # The profile page's list of device tokens: revoke one of one's own.
    path("devices/<id:pk>/revoke/", pages.revoke_token, name="revoke_token"),
    # Anything else under /api/ is the API's JSON 404 (an id too long, a name of no action).
    re_path(r"", errors.not_found),
]
