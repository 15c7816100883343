from documents import views, views_letter

app_name = "documents"

# views: a case's scanned documents, their pages and files, batches and the center's tray;
# views_letter: a case made from a letter ("รับเรื่องจากหนังสือ").
urlpatterns = [
    *views.urlpatterns,
    *views_letter.urlpatterns,
]
