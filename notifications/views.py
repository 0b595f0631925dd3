"""Officials' own notifications and how they want e-mail; and the
organisers' reminder pages of a conference or plan (policy, log, resend,
remind now). Those pages are mounted by the app that owns the deadlines,
with `owner`: a function (request, pk) → ReminderOwner that reads the row
and checks the user may manage it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from core.permissions import PermissionMixin
from core.views import call_service, safe_next

from . import clock, forms, selectors, services
from .models import MessageState


class InboxView(PermissionMixin, View):
    def page(self, form):
        notices = selectors.inbox(self.request.user)[:100]
        return render(self.request, "notifications/inbox.html", {"notices": notices, "form": form})

    def get(self, request):
        preference = selectors.preference_of(request.user)
        return self.page(forms.PreferenceForm(instance=preference))

    def post(self, request):
        form = forms.PreferenceForm(request.POST, instance=selectors.preference_of(request.user))
        if not form.is_valid():
            return self.page(form)
        services.preference_set(user=request.user, mode=form.cleaned_data["email_mode"])
        messages.success(request, _("Đã lưu cách nhận thư nhắc."))
        return redirect("notifications:inbox")


class OpenNoticeView(PermissionMixin, View):
    """Mark one notification read and go where it points."""

    def get(self, request, pk):
        notice = get_object_or_404(selectors.inbox(request.user), pk=pk)
        services.mark_read(user=request.user, message_ids=[notice.pk])
        if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
            return redirect(notice.link)
        return redirect("notifications:inbox")


class ReadAllView(PermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        services.mark_read(user=request.user)
        return redirect("notifications:inbox")


class OwnerMixin(PermissionMixin):
    owner = None  # (request, pk) -> ReminderOwner; set by the URL

    def permission_object(self):
        return self.owner(self.request, self.kwargs["pk"])


class RemindersView(OwnerMixin, View):
    """The reminder policy of a conference or plan, and the log of every
    e-mail sent for it, with the failed ones and their errors."""

    template_name = "notifications/reminders.html"

    def page(self, form, status=200):
        owner = self.object
        state = self.request.GET.get("state", "")
        state = state if state in MessageState.values else ""
        return render(
            self.request,
            self.template_name,
            {
                "owner": owner,
                "form": form,
                "state": state,
                "log": selectors.scope_log(owner.scope, state=state)[:300],
                "counts": selectors.scope_counts(owner.scope),
                "upcoming": selectors.upcoming_steps(owner.scope)[:15],
                "filters": [("", _("Tất cả")), (MessageState.FAILED, _("Lỗi")), (MessageState.QUEUED, _("Chờ gửi"))],
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(forms.PolicyForm(instance=services.policy_for(self.object.scope)))

    def post(self, request, pk):
        form = forms.PolicyForm(request.POST, instance=services.policy_for(self.object.scope))
        if not form.is_valid():
            return self.page(form, status=400)
        values = {field: form.cleaned_data[field] for field in form.Meta.fields}
        services.policy_save(
            actor=request.user, scope=self.object.scope, values=values, province_id=self.object.province_id
        )
        messages.success(request, _("Đã lưu lịch nhắc hạn; các lần nhắc chưa gửi đã được tính lại."))
        return redirect(request.path)


class ResendView(OwnerMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, message_pk):
        owner = self.object
        message = selectors.message_in_scope(owner.scope, message_pk)
        if message is None:
            raise Http404
        services.message_resend(message=message, actor=request.user, province_id=owner.province_id)
        messages.success(
            request, _("Đã gửi lại thư tới %(email)s; lần gửi mới được ghi riêng.") % {"email": message.email}
        )
        return redirect(safe_next(request, owner.reminders_url))


class RemindNowView(OwnerMixin, View):
    """ "Nhắc ngay" for the chosen items (invitations not answered, duties not
    done, presentations not sent) of this conference or plan: first a page
    with the count and the list, then one confirmed send. A double click, a
    reload or two organisers at once remind each item once a day."""

    http_method_names = ["post"]
    template_name = "notifications/remind_confirm.html"

    def post(self, request, pk):
        owner = self.object
        keys = request.POST.getlist("key")
        back = safe_next(request, owner.reminders_url)
        items = selectors.remind_candidates(keys, owner.scope, clock.now()) if keys else []
        if not items:
            messages.warning(request, _("Chưa chọn đơn vị nào còn việc phải làm."))
            return redirect(back)
        form = forms.RemindNowForm(request.POST if "confirm" in request.POST else None)
        if "confirm" not in request.POST or not form.is_valid():
            return render(
                request,
                self.template_name,
                {
                    "owner": owner,
                    "items": items,
                    "fresh": [item for item in items if not item.reminded_today],
                    "form": form,
                    "token": request.POST.get("token") or uuid.uuid4().hex,
                    "back": back,
                },
            )
        outcome = call_service(
            request,
            services.remind_now,
            keys=[item.key for item in items],
            scope=owner.scope,
            actor=request.user,
            province_id=owner.province_id,
            force=form.cleaned_data["force"],
            reason=form.cleaned_data["reason"],
            token=request.POST.get("token", ""),
        )
        if outcome.ok:
            made = outcome.value
            if made:
                messages.success(
                    request, _("Đã nhắc %(n)d đơn vị qua thư điện tử và thông báo trên cổng.") % {"n": made}
                )
            skipped = len(items) - made
            if skipped:
                messages.info(
                    request,
                    _(
                        "%(n)d đơn vị đã được nhắc hôm nay nên không nhắc lại. Muốn nhắc thêm, chọn “Nhắc thêm lần "
                        "nữa” và ghi lý do."
                    )
                    % {"n": skipped},
                )
        return redirect(back)
