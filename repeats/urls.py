from django.urls import path

from repeats import views_access, views_case, views_intake

app_name = "repeats"

urlpatterns = [
    # The intake's live check, and asking for access from a candidate's card (views_intake).
    path("check/", views_intake.check, name="check"),
    path("access/ask/", views_intake.ask_access, name="ask_access"),
    # The requests for access and their answer (views_access).
    path("access/", views_access.access_requests, name="access_requests"),
    path("access/<id:pk>/", views_access.access_request, name="access_request"),
    path("access/<id:pk>/grant/", views_access.grant_access, name="grant_access"),
    path("access/<id:pk>/refuse/", views_access.refuse_access, name="refuse_access"),
    path("access/<id:pk>/withdraw/", views_access.withdraw_access, name="withdraw_access"),
    # Links and merges from a case's page, the review of suggested pairs, people over time (views_case).
    path("cases/<id:pk>/panel/", views_case.case_panel, name="case_panel"),
    path("cases/<id:pk>/link/", views_case.link_case, name="link"),
    path("cases/<id:pk>/links/<id:link_pk>/<slug:step>/", views_case.link_step, name="link_step"),
    path("cases/<id:pk>/merge/", views_case.merge, name="merge"),
    path("review/", views_case.review, name="review"),
    path("people/", views_case.people, name="people"),
]
