"""The outbox: messages sent now (an invitation with its PDF), the
organiser's resend, a person's preference and what they have read."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from core import audit
from core.text import one_line

from .. import clock
from ..models import Channel, Message, MessageState, Preference
from .deadlines import Recipient

KEY_LENGTH = Message._meta.get_field("dedupe_key").max_length


def _email_modes(recipients: list[Recipient]) -> dict[int, str]:
    users = {r.user_id for r in recipients if r.user_id}
    return dict(Preference.objects.filter(user_id__in=users).values_list("user_id", "email_mode")) if users else {}


def _key(dedupe_key: str, who: str) -> str:
    """The row's unique key: the caller's and the recipient, hashed when a
    long address would not fit the column."""
    key = f"{dedupe_key}:{who}"
    if len(key) <= KEY_LENGTH:
        return key
    return f"{dedupe_key[:60]}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


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
    ref: str = "",
    portal: bool = False,
    as_chosen: bool = False,
    actor=None,
) -> list[Message]:
    """Tell people something now: an e-mail to each address (an invitation
    with its PDF, say) and, with `portal`, a notice on the portal to each
    recipient with a login. With `as_chosen`, a person who asked for no
    e-mail gets the notice only, and one who asked for a daily digest gets
    the e-mail in it. With a `dedupe_key`, asking twice sends once (the key
    is unique in the database, so two requests at once cannot both pass)."""
    from .sweep import dispatch_after_commit

    now = clock.now()
    modes = _email_modes(recipients) if as_chosen else {}
    rows: list[Message] = []
    for recipient in recipients:
        common = dict(
            user_id=recipient.user_id,
            name=one_line(recipient.name)[:150],
            subject=one_line(subject)[:300],
            body_text=body_text,
            body_html=body_html,
            link=link,
            scope=scope,
            ref=ref,
            created_by=actor,
        )
        if portal and recipient.user_id:
            key = _key(dedupe_key, f"u{recipient.user_id}") if dedupe_key else None
            rows.append(Message(channel=Channel.PORTAL, state=MessageState.SENT, sent_at=now, dedupe_key=key, **common))
        mode = modes.get(recipient.user_id)
        if recipient.email and mode != Preference.Mode.PORTAL:
            key = _key(dedupe_key, recipient.email.lower()) if dedupe_key else None
            state = MessageState.HELD if mode == Preference.Mode.DIGEST else MessageState.QUEUED
            rows.append(
                Message(
                    channel=Channel.EMAIL,
                    email=recipient.email,
                    attachments=attachments or [],
                    dedupe_key=key,
                    state=state,
                    **common,
                )
            )
    with transaction.atomic():
        keyed = [m for m in rows if m.dedupe_key]
        taken = set(
            Message.objects.filter(dedupe_key__in=[m.dedupe_key for m in keyed]).values_list("dedupe_key", flat=True)
        )
        keyed = [m for m in keyed if m.dedupe_key not in taken]
        # ignore_conflicts: a request racing this one inserted the same key
        # first; its row stands and this one is dropped by the database.
        Message.objects.bulk_create(keyed, ignore_conflicts=True)
        made = Message.objects.bulk_create([m for m in rows if not m.dedupe_key])
        if keyed:
            made += Message.objects.filter(dedupe_key__in=[m.dedupe_key for m in keyed])
        dispatch_after_commit([m.pk for m in made if m.channel == Channel.EMAIL and m.state == MessageState.QUEUED])
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
            subject=content.subject(message.item, clock.now()) if fresh else one_line(message.subject),
            body_text="" if fresh else message.body_text,
            body_html="" if fresh else message.body_html,
            link=message.link,
            attachments=message.attachments,
            scope=message.scope,
            ref=message.ref,
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


def mark_read(*, user, message_ids: list[int] | None = None, ref: str = "") -> int:
    """Mark a person's notices read: the given ones, those about `ref` (the
    page they point to was opened), or all."""
    qs = Message.objects.filter(user=user, channel=Channel.PORTAL, read_at__isnull=True)
    if message_ids is not None:
        qs = qs.filter(pk__in=message_ids)
    if ref:
        qs = qs.filter(ref=ref)
    return qs.update(read_at=timezone.now())
