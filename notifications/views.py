"""Officials' own notifications and how they want e-mail. The organisers'
pages (policy, log, resend) live with the conference or plan they belong to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import forms, selectors, services
from .models import Preference


@login_required
def inbox(request):
    preference = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    if request.method == "POST":
        form = forms.PreferenceForm(request.POST, instance=preference)
        if form.is_valid():
            services.preference_set(user=request.user, mode=form.cleaned_data["email_mode"])
            messages.success(request, _("Đã lưu cách nhận thư nhắc."))
            return redirect("notifications:inbox")
    else:
        form = forms.PreferenceForm(instance=preference)
    return render(request, "notifications/inbox.html", {"notices": selectors.inbox(request.user)[:100], "form": form})


@login_required
def open_notice(request, pk):
    """Mark one notification read and go where it points."""
    notice = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(user=request.user, message_ids=[notice.pk])
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
        return redirect(notice.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    services.mark_read(user=request.user)
    return redirect("notifications:inbox")
