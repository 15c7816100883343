from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/new/", views.new_registration, name="new_registration"),
    path("registrations/<id:pk>/", views.registration_detail, name="registration_detail"),
    path("registrations/<id:pk>/edit/", views.edit_registration, name="edit_registration"),
    path("registrations/<id:pk>/certify/", views.certify, name="certify"),
    path("registrations/<id:pk>/return/", views.return_registration, name="return_registration"),
    path("registrations/<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("registrations/<id:pk>/form.pdf", views.form_pdf, name="form_pdf"),
    path("registrations/<id:pk>/slip/", views.slip, name="slip"),
    path("activate/", views.activate, name="activate"),
    path("activate/<str:code>/", views.activate_link, name="activate_link"),
    path("oversight/", views.oversight, name="oversight"),
]
