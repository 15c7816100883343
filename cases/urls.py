from django.urls import path

from cases import file_views, share_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_intake, name="intake"),
    path("export.csv", views.case_list_csv, name="list_csv"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/actions/<slug:action>/", views.case_action, name="action"),
    path("<id:pk>/print/", views.case_print, name="print"),
    path("<id:pk>/receipt/", views.case_receipt, name="receipt"),
    path("<id:pk>/files/", file_views.attachment_upload, name="upload"),
    path("<id:pk>/files/<id:attachment_pk>/", file_views.attachment_download, name="attachment"),
    path(
        "<id:pk>/files/<id:attachment_pk>/thumbnail/",
        file_views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("<id:pk>/shares/", share_views.share_case, name="share"),
    path("<id:pk>/shares/<id:share_pk>/revoke/", share_views.revoke_share, name="revoke_share"),
]
