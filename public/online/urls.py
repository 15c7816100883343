"""URLs of the citizens' site: online."""

urlpatterns: list = []
