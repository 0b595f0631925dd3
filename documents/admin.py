from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from . import services
from .models import Document, NumberCounter, RenderBatch, RenderedFile, Section


class SectionInline(ReadOnlyTabularInline):
    model = Section
    fields = ["order", "part", "label", "heading", "text"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Drafted, issued and revoked on the portal's document pages only."""

    list_display = ["__str__", "doc_type", "issuer", "status", "issued_on"]
    list_filter = ["doc_type", "status", "province"]
    search_fields = ["title"]
    # The drafter's code and the outline's nodes are the machinery of the
    # document page, not something to read here.
    exclude = ["purpose", "outline"]
    inlines = [SectionInline]


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ["issuer", "year", "last"]


@admin.register(RenderedFile)
class RenderedFileAdmin(ReadOnlyAdmin):
    list_display = ["document", "kind", "addressee", "status", "size", "created_at"]
    list_filter = ["kind", "status"]
    actions = ["render_again"]

    @admin.action(description=_("Tạo lại các tệp lỗi (theo nội dung hiện tại của văn bản)"))
    def render_again(self, request, queryset):
        count = 0
        for row in queryset.filter(status=RenderedFile.Status.FAILED, addressee="").select_related("document"):
            services.request_file(document=row.document, kind=row.kind)
            count += 1
        messages.success(request, _("Đã đưa %(n)d tệp vào hàng tạo lại.") % {"n": count})


@admin.register(RenderBatch)
class RenderBatchAdmin(ReadOnlyAdmin):
    list_display = ["document", "total", "status", "created_at", "finished_at"]
    list_filter = ["status"]
