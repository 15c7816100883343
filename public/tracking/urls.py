"""URLs of the citizens' site: tracking."""

urlpatterns: list = []
