from django.urls import path

from cases import file_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_intake, name="intake"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", views.case_action, name="action"),
    path("<int:pk>/files/", file_views.attachment_upload, name="upload"),
    path("<int:pk>/files/<int:attachment_pk>/", file_views.attachment_download, name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_pk>/thumbnail/",
        file_views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
]
