from django.contrib import admin

from public.models import CenterContact


@admin.register(CenterContact)
class CenterContactAdmin(admin.ModelAdmin):
    list_display = ("__str__", "phone", "email", "office_hours")
    list_select_related = ("district", "province")
    autocomplete_fields = ()
    raw_id_fields = ("district",)
    list_filter = ("province",)
    search_fields = ("district__name_th", "province__name_th", "phone")
