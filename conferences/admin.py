from django.contrib import admin

from . import models as m


class InviteeLineInline(admin.TabularInline):
    model = m.InviteeLine
    extra = 0
    autocomplete_fields = ["agency", "person"]


class ProgrammeInline(admin.TabularInline):
    model = m.ProgrammeItem
    extra = 0


@admin.register(m.Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "province", "kind", "date", "status"]
    list_filter = ["province", "status", "kind"]
    search_fields = ["title", "venue"]
    inlines = [InviteeLineInline, ProgrammeInline]
    raw_id_fields = ["issuing_authority", "focal_agency"]


@admin.register(m.ImprovementPlan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "province", "year", "status", "report_deadline"]
    list_filter = ["province", "status"]
    search_fields = ["title"]


@admin.register(m.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["conference", "agency", "reply", "replied_on_behalf", "withdrawn"]
    list_filter = ["reply", "conference__province"]
    search_fields = ["agency__name", "conference__title"]
    raw_id_fields = ["conference", "agency", "line", "person", "replied_by"]


@admin.register(m.Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "invitation", "checked_in_at"]
    search_fields = ["full_name", "invitation__agency__name"]
    raw_id_fields = ["invitation", "checked_in_by"]


@admin.register(m.Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["task", "lead_display", "due_date", "conference", "plan"]
    search_fields = ["task"]
    raw_id_fields = ["conference", "plan", "lead_agency"]
    filter_horizontal = ["coordinating"]


@admin.register(m.DutyAssignment)
class DutyAssignmentAdmin(admin.ModelAdmin):
    list_display = ["duty", "agency", "status", "completed_at"]
    list_filter = ["status"]
    raw_id_fields = ["duty", "agency"]


@admin.register(m.Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["recipient_display", "award_name", "conference"]
    raw_id_fields = ["conference", "agency"]


admin.site.register(m.InviteeChange)
admin.site.register(m.BasisDocument)
