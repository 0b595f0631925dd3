"""The outbox: messages sent now (an invitation with its PDF), the
organiser's resend, a person's preference and what they have read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core import audit

from .. import clock
from ..models import Channel, Message, Preference
from .deadlines import Recipient


def notify(
    *,
    recipients: list[Recipient],
    subject: str,
    body_text: str,
    body_html: str = "",
    link: str = "",
    attachments: list[dict] | None = None,
    scope: str = "",
    dedupe_key: str | None = None,
    actor=None,
) -> list[Message]:
    """Send a message now (an invitation with its PDF, say). With a
    `dedupe_key` per recipient, asking twice sends once."""
    from .sweep import dispatch_after_commit

    made = []
    with transaction.atomic():
        for recipient in recipients:
            if not recipient.email:
                continue
            key = f"{dedupe_key}:{recipient.email.lower()}" if dedupe_key else None
            if key and Message.objects.filter(dedupe_key=key).exists():
                continue
            made.append(
                Message.objects.create(
                    channel=Channel.EMAIL,
                    user_id=recipient.user_id,
                    email=recipient.email,
                    name=recipient.name,
                    subject=subject[:300],
                    body_text=body_text,
                    body_html=body_html,
                    link=link,
                    attachments=attachments or [],
                    scope=scope,
                    dedupe_key=key,
                    created_by=actor,
                )
            )
        dispatch_after_commit([m.pk for m in made])
    return made


def message_resend(*, message: Message, actor, province_id: int | None = None) -> Message:
    """A new, recorded message with the same content; the old row stays as it was."""
    from .. import content
    from .sweep import dispatch_after_commit

    # A reminder is written again for today ("còn 2 ngày", not the old count);
    # any other message (an invitation) goes out as it was.
    fresh = message.item is not None and message.step_id is not None
    with transaction.atomic():
        copy = Message.objects.create(
            channel=Channel.EMAIL,
            user_id=message.user_id,
            email=message.email,
            name=message.name,
            recipient_key=message.recipient_key,
            subject=content.subject(message.item, clock.now()) if fresh else message.subject,
            body_text="" if fresh else message.body_text,
            body_html="" if fresh else message.body_html,
            link=message.link,
            attachments=message.attachments,
            scope=message.scope,
            item=message.item,
            resend_of=message,
            created_by=actor,
        )
        audit.record(
            actor=actor, action="message.resend", target=copy, province_id=province_id,
            after={"email": message.email, "subject": copy.subject},
        )  # fmt: skip
        dispatch_after_commit([copy.pk])
    return copy


def preference_set(*, user, mode: str) -> Preference:
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"email_mode": mode})
    return preference


def mark_read(*, user, message_ids: list[int] | None = None) -> int:
    qs = Message.objects.filter(user=user, channel=Channel.PORTAL, read_at__isnull=True)
    if message_ids is not None:
        qs = qs.filter(pk__in=message_ids)
    return qs.update(read_at=timezone.now())
