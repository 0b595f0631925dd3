from django.contrib import admin

from .models import Criterion, Framework, NationalResult, Responsibility


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["code", "name", "maximum", "method", "level"]
    readonly_fields = ["level"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "index", "subject", "maximum", "is_example"]
    list_filter = ["index", "subject", "year", "is_example"]
    inlines = [CriterionInline]


@admin.register(NationalResult)
class NationalResultAdmin(admin.ModelAdmin):
    list_display = ["province", "index", "year", "score", "rank", "out_of", "source"]
    list_filter = ["index", "year", "province"]


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["province", "framework_code", "code", "agency"]
    list_filter = ["province", "framework_code"]
