from django.urls import path

from auditing import views

# The namespace stays "audit" (the URL paths too): templates, the menu and tests reverse "audit:…".
app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("export.csv", views.log_csv, name="log_csv"),
    path("cases/<id:pk>/", views.case_history, name="case"),
    path("cases/<id:pk>/export.csv", views.case_csv, name="case_csv"),
    path("cases/<id:pk>/export.pdf", views.case_pdf, name="case_pdf"),
]
