from django.urls import path

from cases import file_views, share_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_intake, name="intake"),
    path("export.csv", views.case_list_csv, name="list_csv"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", views.case_action, name="action"),
    path("<int:pk>/print/", views.case_print, name="print"),
    path("<int:pk>/receipt/", views.case_receipt, name="receipt"),
    path("<int:pk>/files/", file_views.attachment_upload, name="upload"),
    path("<int:pk>/files/<int:attachment_pk>/", file_views.attachment_download, name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_pk>/thumbnail/",
        file_views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("<int:pk>/shares/", share_views.share_case, name="share"),
    path("<int:pk>/shares/<int:share_pk>/revoke/", share_views.revoke_share, name="revoke_share"),
]
