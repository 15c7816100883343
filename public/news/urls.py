"""URLs of the citizens' site: news."""

urlpatterns: list = []
