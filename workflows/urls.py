from django.urls import path

from workflows import views

app_name = "workflows"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("queue/", views.inbox, {"tab": "queue"}, name="queue"),
    path("done/", views.inbox, {"tab": "done"}, name="done"),
    path("tasks/<id:pk>/claim/", views.claim, name="claim"),
    path("tasks/<id:pk>/release/", views.release, name="release"),
    path("tasks/<id:pk>/reassign/", views.reassign, name="reassign"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
