"""URLs of the citizens' site: figures."""

urlpatterns: list = []
