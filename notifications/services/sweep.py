"""The sweep and the dispatcher.

The sweep claims due steps with SELECT … FOR UPDATE SKIP LOCKED, so two
sweeps at once share the work rather than doubling it, and turns each into
one message per person and channel (a unique constraint refuses a second).
The dispatcher takes a queued message by its id, marks it "sending" under a
row lock and sends it: transient SMTP failures (4xx, a refused connection)
go back to the queue with a backoff, permanent ones (5xx) are marked failed
for the organisers to see, and a message left "sending" by a dead worker is
queued again by the next sweep. State lives in the database, so a broker
that was down loses nothing: the next sweep dispatches what is still queued."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from core.text import one_line

from .. import clock, content
from ..models import Channel, ItemRecipient, Message, MessageState, Preference, ReminderStep, StepState

logger = logging.getLogger(__name__)
BATCH = 2000
REDISPATCH_AFTER = dt.timedelta(minutes=5)


# --- Steps into messages -----------------------------------------------------------------------


def _messages_for(steps: list[ReminderStep], now, *, held: bool, actor=None) -> list[Message]:
    item_ids = {s.item_id for s in steps}
    recipients: dict[int, list] = {}
    for r in ItemRecipient.objects.filter(item_id__in=item_ids):
        recipients.setdefault(r.item_id, []).append(r)
    users = {r.user_id for rows in recipients.values() for r in rows if r.user_id}
    modes = dict(Preference.objects.filter(user_id__in=users).values_list("user_id", "email_mode")) if users else {}
    digest_users = {u for u, mode in modes.items() if mode == Preference.Mode.DIGEST} if held else set()
    # Those who asked for no e-mail read their reminders on the portal only.
    portal_only = {u for u, mode in modes.items() if mode == Preference.Mode.PORTAL}
    made = []
    for step in steps:
        item = step.item
        # The subject now; the body is written by the worker that sends it
        # ("còn 3 ngày" must be true when read, and the sweep stays quick).
        subject = content.subject(item, now)
        for r in recipients.get(item.pk, []):
            common = dict(
                user_id=r.user_id,
                name=one_line(r.name),
                link=item.link,
                scope=item.scope,
                item=item,
                step=step,
                created_by=actor,
                recipient_key=r.recipient_key,
                subject=subject,
                body_text="",
            )
            if r.user_id:
                made.append(Message(channel=Channel.PORTAL, email="", state=MessageState.SENT, sent_at=now, **common))
            if r.email and r.user_id not in portal_only:
                state = MessageState.HELD if r.user_id in digest_users else MessageState.QUEUED
                made.append(Message(channel=Channel.EMAIL, email=r.email, state=state, **common))
    return made


def send_steps(step_ids: list[int], *, now, held: bool = True, actor=None) -> int:
    """Turn the given pending steps into messages, once. Returns how many were made."""
    with transaction.atomic():
        steps = list(
            ReminderStep.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=step_ids, state=StepState.PENDING)
            .select_related("item")
        )
        return _send_locked(steps, now, held=held, actor=actor)


def _send_locked(steps: list[ReminderStep], now, *, held: bool, actor=None) -> int:
    # Several steps of one item due at once (the sweep did not run for days):
    # only the latest is worth sending; the older ones would repeat it.
    latest: dict[int, ReminderStep] = {}
    for step in steps:
        if step.item.done_at is None and (step.item_id not in latest or step.send_at > latest[step.item_id].send_at):
            latest[step.item_id] = step
    live = list(latest.values())
    finished = [s.pk for s in steps if s not in live]
    made = Message.objects.bulk_create(_messages_for(live, now, held=held, actor=actor), ignore_conflicts=True)
    ReminderStep.objects.filter(pk__in=[s.pk for s in live]).update(state=StepState.SENT, done_at=now)
    ReminderStep.objects.filter(pk__in=finished).update(state=StepState.DROPPED, done_at=now)
    dispatch_after_commit(
        list(
            Message.objects.filter(step__in=live, channel=Channel.EMAIL, state=MessageState.QUEUED).values_list(
                "pk", flat=True
            )
        )
    )
    return len(made)


def run_sweep(now=None) -> dict:
    """One pass: due steps → messages; daily digests; stuck messages back to
    the queue; queued messages to the workers. A constant number of queries,
    whatever the number of items."""
    now = now or clock.now()
    with transaction.atomic():
        steps = list(
            ReminderStep.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=StepState.PENDING, send_at__lte=now)
            .select_related("item")
            .order_by("send_at")[:BATCH]
        )
        made = _send_locked(steps, now, held=True)
    digests = _merge_digests(now)
    recovered = _recover_sending(now)
    dispatched = _dispatch_queued(now)
    return {"steps": len(steps), "messages": made, "digests": digests, "recovered": recovered, "dispatched": dispatched}


def _recover_sending(now) -> int:
    """Messages left "sending" by a worker that died go back to the queue,
    unless they have had every attempt: those are failed, so a message that
    kills its worker each time is not sent for ever."""
    stale = Message.objects.filter(
        state=MessageState.SENDING,
        sending_since__lt=now - dt.timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT),
    )
    stale.filter(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS).update(
        state=MessageState.FAILED,
        last_error=f"Gửi dở dang {settings.NOTIFICATION_MAX_ATTEMPTS} lần (tiến trình gửi dừng); không gửi lại nữa.",
    )
    return stale.update(
        state=MessageState.QUEUED, next_attempt_at=now, last_error="Gửi dở dang (tiến trình gửi dừng); gửi lại."
    )


def _merge_digests(now) -> int:
    """Held e-mails become one digest per person and day."""
    with transaction.atomic():
        held = list(
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=MessageState.HELD)
            .select_related("item")
            .order_by("user_id", "item__due_at")
        )
        if not held:
            return 0
        groups: dict[tuple, list[Message]] = {}
        for message in held:
            groups.setdefault((message.user_id, message.email), []).append(message)
        day = timezone.localtime(now).date().isoformat()
        digests = []
        for (user_id, email), messages in groups.items():
            entries = [
                {
                    "what": m.item.what if m.item else m.subject,
                    "context": m.item.context if m.item else "",
                    "detail": m.item.detail if m.item else "",
                    "due": content.vn_day(m.item.due_at) if m.item else "",
                    "phrase": content.phrase(m.item, now) if m.item else "",
                    "url": content.absolute(m.link),
                }
                for m in messages
            ]
            digests.append(
                Message(
                    channel=Channel.EMAIL,
                    user_id=user_id,
                    email=email,
                    name=messages[0].name,
                    scope=messages[0].scope,
                    dedupe_key=f"digest:{email}:{day}:{messages[0].pk}",
                    **content.digest(messages[0].name, entries),
                )
            )
        Message.objects.bulk_create(digests)
        by_key = {(d.user_id, d.email): d for d in digests}
        for message in held:
            message.digest, message.state = by_key[(message.user_id, message.email)], MessageState.MERGED
        Message.objects.bulk_update(held, ["digest", "state"])
        dispatch_after_commit([d.pk for d in digests])
    return len(digests)


def _dispatch_queued(now) -> int:
    """Queued e-mails due for (another) attempt and not handed to a worker
    lately: after a broker outage, this is what sends them."""
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(state=MessageState.QUEUED, channel=Channel.EMAIL)
            .exclude(next_attempt_at__gt=now)
            .exclude(dispatched_at__gt=now - REDISPATCH_AFTER)
            .values_list("pk", flat=True)[:BATCH]
        )
        dispatch_after_commit(ids)
    return len(ids)


def dispatch_after_commit(message_ids: list[int]) -> None:
    if message_ids:
        transaction.on_commit(lambda: _publish(message_ids))


PUBLISH_CHUNK = 25


def _publish(message_ids: list[int]) -> None:
    """Hand the messages to the workers in chunks (one task a chunk, so a
    thousand reminders are forty publishes, spread over the workers)."""
    from ..tasks import send_messages

    published = []
    for start in range(0, len(message_ids), PUBLISH_CHUNK):
        chunk = message_ids[start : start + PUBLISH_CHUNK]
        try:
            send_messages.delay(message_ids=chunk)
        except Exception:  # noqa: BLE001 — the broker is down: the rows stay queued for the next sweep
            logger.warning("broker unavailable; %d messages stay queued", len(message_ids) - len(published))
            break
        published += chunk
    if published:
        Message.objects.filter(pk__in=published).update(dispatched_at=timezone.now())


# --- Sending ------------------------------------------------------------------------------------


def _claim(message_id: int, now) -> Message | None:
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("item")
            .filter(pk=message_id, state=MessageState.QUEUED)
            .first()
        )
        if message is None:
            return None
        if message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            # Its attempts are spent (queued again by hand or by an older sweep): the limit holds.
            message.state = MessageState.FAILED
            message.last_error = (message.last_error or "Đã thử gửi quá số lần cho phép.")[:1000]
            message.save(update_fields=["state", "last_error"])
            return None
        message.state, message.sending_since = MessageState.SENDING, now
        message.attempts += 1
        message.save(update_fields=["state", "sending_since", "attempts"])
    return message


def _write_body(message: Message, now) -> None:
    if message.body_text or message.item is None:
        return
    words = content.reminder(message.item, message.name, now)
    message.body_text, message.body_html = words["body_text"], words["body_html"]
    message.save(update_fields=["body_text", "body_html"])


def _email(message: Message) -> EmailMultiAlternatives:
    """The e-mail of a message, its headers built now: a header that cannot
    be written (a line break typed into a title, say) raises here, and the
    message is failed with the reason rather than retried. Subjects and
    names are made one line where messages are made; again here for rows
    made before that."""
    mail = EmailMultiAlternatives(
        subject=one_line(message.subject),
        body=message.body_text,
        to=[message.email],
        headers={"Message-ID": f"<cchc-{message.pk}@{settings.PORTAL_BASE_URL.split('//')[-1].split('/')[0]}>"},
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        with default_storage.open(attachment["path"], "rb") as handle:
            mail.attach(one_line(attachment["name"]), handle.read(), attachment.get("type", "application/pdf"))
    mail.message()
    return mail


def _smtp_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return max(code for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


# A message that cannot be built is failed at once: retrying cannot mend it.
# BadHeaderError and UnicodeError are ValueErrors; an address Django cannot
# write raises ValueError too.
UNSENDABLE = (ValueError, LookupError, TypeError)


def _failed(message: Message, reason: str) -> str:
    message.state, message.last_error = MessageState.FAILED, reason[:1000]
    message.save(update_fields=["state", "last_error"])
    return message.state


def _retry_or_fail(message: Message, now, error: Exception, code: int | None = None) -> str:
    """A transient failure: back to the queue with a doubling delay, or
    failed once its attempts are spent."""
    message.last_error = f"{code or type(error).__name__}: {error}"[:1000]
    if message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        return _failed(message, message.last_error)
    delay = 60 * 2 ** (message.attempts - 1)
    message.state, message.next_attempt_at = MessageState.QUEUED, now + dt.timedelta(seconds=delay)
    # The sweep hands it to a worker again once next_attempt_at has passed.
    message.save(update_fields=["state", "last_error", "next_attempt_at"])
    return message.state


def deliver(message_id: int, now=None) -> str | None:
    """Send one queued message. Returns its new state, or None if it was not ours to send."""
    now = now or clock.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    try:
        _write_body(message, now)
        mail = _email(message)
    except UNSENDABLE as error:
        logger.warning("message %s cannot be built: %s", message_id, error)
        return _failed(message, f"Không tạo được thư (lỗi nội dung, không gửi lại): {type(error).__name__}: {error}")
    except Exception as error:  # noqa: BLE001 — a file or the database not answering: tried again, within the limit
        logger.warning("message %s could not be prepared", message_id, exc_info=True)
        return _retry_or_fail(message, now, error)
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([mail])
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        code = _smtp_code(error)
        if code is not None and code >= 500:
            return _failed(message, f"{code}: {error}")
        return _retry_or_fail(message, now, error, code)
    except UNSENDABLE as error:
        return _failed(message, f"Không gửi được thư (lỗi nội dung, không gửi lại): {type(error).__name__}: {error}")
    message.state, message.sent_at, message.last_error = MessageState.SENT, timezone.now(), ""
    message.save(update_fields=["state", "sent_at", "last_error"])
    return message.state
