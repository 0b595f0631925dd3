"""Invited agencies' replies with their delegates, and the check-in on the day."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.exceptions import Refused
from core.formatting import vn_date
from core.permissions import require
from notifications.services import webhooks

from .. import notices, reminders, selectors
from ..models import ConferenceStatus, Delegate, Invitation

S = ConferenceStatus
DELEGATE_FIELDS = ("full_name", "position", "phone", "email")


def _delegates_text(invitation: Invitation) -> list[str]:
    return [f"{d.full_name} — {d.position}" for d in invitation.delegates.all()]


def invitation_reply(*, actor, invitation: Invitation, reply: str, note: str = "", delegates: list[dict]) -> Invitation:
    """Answer an invitation and name delegates within the quota. `delegates`
    are dicts of full_name, position, phone, email and, for one kept, id."""
    require(actor, "conferences.reply", invitation, _("Bạn không thể trả lời giấy mời của đơn vị khác."))
    on_behalf = actor.agency_id != invitation.agency_id
    conference = invitation.conference
    if invitation.withdrawn:
        raise Refused(_("Đơn vị không còn trong thành phần mời."))
    if not selectors.replies_open_for(actor, invitation):
        if on_behalf or conference.status != S.INVITED:
            raise Refused(_("Hội nghị không còn nhận trả lời."))
        raise Refused(_("Đã hết hạn xác nhận tham dự. Hãy liên hệ Sở Nội vụ nếu cần thay đổi."))
    R = Invitation.Reply
    if reply not in (R.ATTENDING, R.DECLINED):
        raise Refused(_("Hãy chọn tham dự hoặc không tham dự."))
    if reply == R.ATTENDING:
        if not delegates:
            raise Refused(_("Hãy đăng ký ít nhất 01 đại biểu."))
        if len(delegates) > invitation.quota:
            raise Refused(_("Đơn vị được cử tối đa %(n)02d đại biểu.") % {"n": invitation.quota})
    else:
        delegates = []
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        before = audit.snapshot(invitation, ["reply", "reply_note"]) | {"delegates": _delegates_text(invitation)}
        kept = {d.pk: d for d in invitation.delegates.all()}
        keep_ids = set()
        for order, data in enumerate(delegates):
            delegate = kept.get(data.get("id")) or Delegate(invitation=invitation)
            for field in DELEGATE_FIELDS:
                setattr(delegate, field, (data.get(field) or "").strip())
            delegate.order = order
            delegate.full_clean()
            delegate.save()
            keep_ids.add(delegate.pk)
        invitation.delegates.exclude(pk__in=keep_ids).delete()
        invitation.reply = reply
        invitation.reply_note = note.strip()
        invitation.replied_at = timezone.now()
        invitation.replied_by = actor
        invitation.replied_on_behalf = on_behalf
        invitation.save(update_fields=["reply", "reply_note", "replied_at", "replied_by", "replied_on_behalf"])
        reminders.reply_done(invitation)
        notices.reply_made(invitation)
        audit.record(
            actor=actor,
            action="invitation.reply",
            target=invitation,
            before=before,
            after=audit.snapshot(invitation, ["reply", "reply_note"]) | {"delegates": _delegates_text(invitation)},
            note=_("Sở Nội vụ trả lời thay đơn vị") if on_behalf else "",
        )
        webhooks.emit(
            "invitation.replied",
            province_id=conference.province_id,
            about=f"invitation:{invitation.pk}:{invitation.replied_at.isoformat()}",
            data={
                "invitation_id": invitation.pk,
                "conference_id": conference.pk,
                "agency_id": invitation.agency_id,
                "reply": invitation.reply,
                "replied_at": invitation.replied_at,
                "replied_on_behalf": on_behalf,
                "delegate_count": len(keep_ids),
                "url": webhooks.api_url("invitation-detail", invitation.pk),
            },
        )
    return invitation


def delegate_check_in(*, actor, delegate: Delegate, present: bool = True) -> Delegate:
    """Mark a delegate present (or undo a mistaken tap). Tapping twice keeps
    the first time."""
    with transaction.atomic():
        # Checked on the row as it is now: the reply may have changed since
        # the page was loaded.
        delegate = (
            Delegate.objects.select_for_update(of=("self",))
            .select_related("invitation__conference")
            .get(pk=delegate.pk)
        )
        invitation, conference = delegate.invitation, delegate.invitation.conference
        require(actor, "conferences.organise", conference)
        if conference.status not in (S.INVITED, S.HELD):
            raise Refused(_("Chỉ điểm danh khi hội nghị đã gửi giấy mời và chưa kết thúc."))
        if present and conference.checkin_opens and timezone.localdate() < conference.checkin_opens:
            raise Refused(
                _("Điểm danh mở từ ngày %(day)s (có thể mở sớm hơn ở mục “mở điểm danh trước” của hội nghị).")
                % {"day": vn_date(conference.checkin_opens)}
            )
        if invitation.reply != Invitation.Reply.ATTENDING or invitation.withdrawn:
            raise Refused(_("Đại biểu không thuộc đơn vị đã xác nhận tham dự."))
        before = audit.snapshot(delegate, ["checked_in_at"])
        if present and delegate.checked_in_at is None:
            delegate.checked_in_at = timezone.now()
            delegate.checked_in_by = actor
        elif not present:
            delegate.checked_in_at = None
            delegate.checked_in_by = None
        delegate.save(update_fields=["checked_in_at", "checked_in_by"])
        after = audit.snapshot(delegate, ["checked_in_at"])
        if after != before:
            audit.record(
                actor=actor,
                action="delegate.check_in" if present else "delegate.check_in_undo",
                target=delegate,
                province_id=conference.province_id,
                before=before,
                after=after,
            )
    return delegate
