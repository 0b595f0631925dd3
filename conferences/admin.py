"""Conferences and plans are changed on the portal's pages, through their
services (statuses, frozen invitations, replies, duties): here they are
shown read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from . import models as m


class InviteeLineInline(ReadOnlyTabularInline):
    model = m.InviteeLine
    fields = ["order", "section", "text", "target", "role", "quota"]


class ProgrammeInline(ReadOnlyTabularInline):
    model = m.ProgrammeItem
    fields = ["order", "starts_at", "title", "speaker"]


@admin.register(m.Conference)
class ConferenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "province", "kind", "date", "status"]
    list_filter = ["province", "status", "kind"]
    search_fields = ["title", "venue"]
    inlines = [InviteeLineInline, ProgrammeInline]


@admin.register(m.ImprovementPlan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "province", "year", "status", "report_deadline"]
    list_filter = ["province", "status"]
    search_fields = ["title"]


@admin.register(m.Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["conference", "agency", "reply", "replied_on_behalf", "withdrawn"]
    list_filter = ["reply", "conference__province"]
    search_fields = ["agency__name", "conference__title"]


@admin.register(m.Delegate)
class DelegateAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "position", "invitation", "checked_in_at"]
    search_fields = ["full_name", "invitation__agency__name"]
    exclude = ["token"]


@admin.register(m.Duty)
class DutyAdmin(ReadOnlyAdmin):
    list_display = ["task", "lead", "due_date", "conference", "plan"]
    list_select_related = ["lead_agency", "conference", "plan"]
    search_fields = ["task"]

    @admin.display(description=_("đơn vị chủ trì"))
    def lead(self, duty):
        return duty.lead_display


@admin.register(m.DutyAssignment)
class DutyAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["duty", "agency", "status", "completed_at"]
    list_filter = ["status"]


@admin.register(m.Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "award_name", "conference"]
    list_select_related = ["agency", "conference"]

    @admin.display(description=_("người, đơn vị được khen"))
    def recipient(self, award):
        return award.recipient_display


@admin.register(m.InviteeChange)
class InviteeChangeAdmin(ReadOnlyAdmin):
    list_display = ["conference", "reason", "summary", "actor", "created_at"]


@admin.register(m.BasisDocument)
class BasisDocumentAdmin(ReadOnlyAdmin):
    list_display = ["cited_as", "conference", "plan"]

    @admin.display(description=_("trích dẫn"))
    def cited_as(self, basis):
        return basis.citation
