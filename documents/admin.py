from django.contrib import admin

from .models import Document, NumberCounter, RenderBatch, RenderedFile, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "doc_type", "issuer", "status", "issued_on"]
    list_filter = ["doc_type", "status", "province"]
    search_fields = ["title"]
    inlines = [SectionInline]
    readonly_fields = ["number", "year", "issued_on", "issued_at", "issued_by", "issued_file", "issued_sha256"]


@admin.register(NumberCounter)
class NumberCounterAdmin(admin.ModelAdmin):
    list_display = ["issuer", "year", "last"]
    readonly_fields = ["issuer", "year", "last"]


@admin.register(RenderedFile)
class RenderedFileAdmin(admin.ModelAdmin):
    list_display = ["document", "kind", "addressee", "status", "size", "created_at"]
    list_filter = ["kind", "status"]


admin.site.register(RenderBatch)
