"""URLs of the citizens' site: news of the centers' activities (at /news/), and the officers' pages that write it (/news/manage/)."""

from django.urls import path

from citizens.news import feeds, views

urlpatterns = [
    path("", views.news_list, name="news"),
    path("feed/", feeds.news_feed, name="news_feed"),
    path("province/<str:code>/", views.news_province, name="news_province"),
    path("province/<str:code>/feed/", feeds.province_feed, name="news_province_feed"),
    path("district/<str:code>/", views.news_district, name="news_district"),
    path("district/<str:code>/feed/", feeds.district_feed, name="news_district_feed"),
    path("<id:pk>/", views.news_detail, name="news_detail"),
    path("<id:pk>/photos/<id:photo_pk>.jpg", views.news_photo, name="news_photo"),
    path("<id:pk>/photos/<id:photo_pk>-thumbnail.jpg", views.news_photo_thumbnail, name="news_photo_thumbnail"),
    # The officers' pages.
    path("manage/", views.manage_list, name="news_manage"),
    path("manage/new/", views.manage_create, name="news_manage_create"),
    path("manage/<id:pk>/", views.manage_detail, name="news_manage_detail"),
    path("manage/<id:pk>/edit/", views.manage_edit, name="news_manage_edit"),
    path("manage/<id:pk>/delete/", views.manage_delete, name="news_manage_delete"),
    path("manage/<id:pk>/<str:step>/", views.manage_step, name="news_manage_step"),
    path("manage/<id:pk>/photos/<id:photo_pk>.jpg", views.manage_photo, name="news_manage_photo"),
    path(
        "manage/<id:pk>/photos/<id:photo_pk>-thumbnail.jpg",
        views.manage_photo_thumbnail,
        name="news_manage_photo_thumbnail",
    ),
]
