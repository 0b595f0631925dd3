"""Deadlines other apps hand over, their reminder steps planned from the
scope's policy, and "remind now". Every write is atomic; sending happens
after commit, in the worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.exceptions import Refused

from .. import clock, schedule
from ..models import (
    DeadlineItem,
    ItemRecipient,
    ReminderPolicy,
    ReminderStep,
    StepState,
    recipient_key,
)

DEFAULT_POLICY = {
    "days_before": [7, 3, 1, 0],
    "send_time": dt.time(8, 0),
    "overdue_every": 2,
    "overdue_max": 3,
    "skip_weekends": True,
    "holidays": [],
}


@dataclass(frozen=True)
class Recipient:
    email: str = ""
    name: str = ""
    user_id: int | None = None


# --- Policies ---------------------------------------------------------------------------------


def policy_for(scope: str) -> ReminderPolicy:
    """The scope's own policy, else the portal's default, else the built-in one."""
    policies = {p.scope: p for p in ReminderPolicy.objects.filter(scope__in=[scope, ""])}
    return policies.get(scope) or policies.get("") or ReminderPolicy(scope="", **DEFAULT_POLICY)


def _effective(policy: ReminderPolicy, override: dict | None) -> ReminderPolicy:
    if not override:
        return policy
    values = {field: getattr(policy, field) for field in DEFAULT_POLICY}
    values.update({k: v for k, v in override.items() if k in DEFAULT_POLICY})
    if isinstance(values["send_time"], str):
        values["send_time"] = dt.time.fromisoformat(values["send_time"])
    return ReminderPolicy(scope=policy.scope, **values)


POLICY_FIELDS = list(DEFAULT_POLICY)


@transaction.atomic
def policy_save(*, actor=None, scope: str, values: dict, province_id: int | None = None) -> ReminderPolicy:
    """Save a scope's policy and move the pending steps of its open items."""
    policy, _created = ReminderPolicy.objects.get_or_create(scope=scope, defaults=DEFAULT_POLICY)
    before = audit.snapshot(policy, POLICY_FIELDS)
    for field, value in values.items():
        setattr(policy, field, value)
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        action="reminder.policy",
        target=policy,
        province_id=province_id,
        before=before,
        after=audit.snapshot(policy, POLICY_FIELDS),
    )
    _plan_steps(list(DeadlineItem.objects.filter(scope=scope, done_at__isnull=True).select_for_update()), clock.now())
    return policy


# --- Deadlines --------------------------------------------------------------------------------


def _plan_steps(items: list[DeadlineItem], now) -> None:
    """(Re)plan the steps of many items in a handful of queries."""
    policies = {scope: policy_for(scope) for scope in {item.scope for item in items}}
    existing: dict[int, dict[str, ReminderStep]] = {}
    for step in ReminderStep.objects.filter(item__in=items):
        existing.setdefault(step.item_id, {})[step.code] = step
    create, update, drop = [], [], []
    for item in items:
        wanted = dict(schedule.steps_for(item.due_at, _effective(policies[item.scope], item.policy)))
        steps = existing.get(item.pk, {})
        for code, send_at in wanted.items():
            step = steps.get(code)
            if step is None:
                # A step already in the past when planned is not sent late: the
                # next one says the same, with the right number of days.
                create.append(
                    ReminderStep(
                        item=item,
                        code=code,
                        send_at=send_at,
                        state=StepState.PENDING if send_at > now else StepState.DROPPED,
                    )
                )
            elif step.state == StepState.PENDING and step.send_at != send_at:
                step.send_at = send_at
                (update if send_at > now else drop).append(step)
        for code, step in steps.items():
            if code not in wanted and step.state == StepState.PENDING and not code.startswith("nhac-ngay"):
                drop.append(step)
    ReminderStep.objects.bulk_create(create, batch_size=2000)
    ReminderStep.objects.bulk_update(update, ["send_at"], batch_size=1000)
    ReminderStep.objects.filter(pk__in=[s.pk for s in drop]).update(state=StepState.DROPPED, done_at=now)


@dataclass(frozen=True)
class Deadline:
    key: str
    scope: str
    due_at: dt.datetime
    what: str
    recipients: tuple = ()
    context: str = ""
    detail: str = ""
    link: str = ""
    agency_name: str = ""
    policy: dict | None = None


ITEM_FIELDS = ["scope", "due_at", "what", "context", "detail", "link", "agency_name", "policy", "done_at"]


@transaction.atomic
def deadlines_set(deadlines: list[Deadline], *, now=None) -> list[DeadlineItem]:
    """Create or move many deadlines at once (a conference's hundreds of
    invitations): pending steps follow the new dates, steps already sent stay
    sent, recipients are replaced. A constant number of queries."""
    now = now or clock.now()
    existing = {
        item.key: item for item in DeadlineItem.objects.select_for_update().filter(key__in=[d.key for d in deadlines])
    }
    new, changed = [], []
    for d in deadlines:
        item = existing.get(d.key) or DeadlineItem(key=d.key)
        item.scope, item.due_at, item.what, item.context = d.scope, d.due_at, d.what[:200], d.context[:400]
        item.detail, item.link, item.agency_name, item.policy, item.done_at = (
            d.detail,
            d.link,
            d.agency_name[:255],
            d.policy,
            None,
        )
        (changed if item.pk else new).append(item)
    DeadlineItem.objects.bulk_create(new, batch_size=1000)
    DeadlineItem.objects.bulk_update(changed, ITEM_FIELDS, batch_size=500)
    items = new + changed
    by_key = {item.key: item for item in items}
    ItemRecipient.objects.filter(item__in=items).delete()
    ItemRecipient.objects.bulk_create(
        [
            ItemRecipient(
                item=by_key[d.key],
                user_id=r.user_id,
                email=r.email,
                name=r.name,
                recipient_key=recipient_key(r.user_id, r.email),
            )
            for d in deadlines
            for r in dict.fromkeys(d.recipients)
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    _plan_steps(items, now)
    return items


def deadline_set(
    *,
    key: str,
    scope: str,
    due_at: dt.datetime,
    what: str,
    recipients: list[Recipient],
    context: str = "",
    detail: str = "",
    link: str = "",
    agency_name: str = "",
    policy: dict | None = None,
    now=None,
) -> DeadlineItem:
    """Create or move one deadline (see deadlines_set)."""
    return deadlines_set(
        [
            Deadline(
                key=key,
                scope=scope,
                due_at=due_at,
                what=what,
                recipients=tuple(recipients),
                context=context,
                detail=detail,
                link=link,
                agency_name=agency_name,
                policy=policy,
            )
        ],
        now=now,
    )[0]


@transaction.atomic
def deadline_done(*, keys: list[str], now=None) -> int:
    """The items are done (replied, uploaded, completed) or gone: no more reminders."""
    now = now or clock.now()
    DeadlineItem.objects.filter(key__in=keys, done_at__isnull=True).update(done_at=now)
    return ReminderStep.objects.filter(item__key__in=keys, state=StepState.PENDING).update(
        state=StepState.DROPPED, done_at=now
    )


@transaction.atomic
def deadline_done_scope(*, scope: str, now=None) -> int:
    """Everything of a scope is over (a conference held or cancelled, a plan closed)."""
    now = now or clock.now()
    DeadlineItem.objects.filter(scope=scope, done_at__isnull=True).update(done_at=now)
    return ReminderStep.objects.filter(item__scope=scope, state=StepState.PENDING).update(
        state=StepState.DROPPED, done_at=now
    )


def remind_now(
    *,
    keys: list[str],
    scope: str,
    actor=None,
    now=None,
    province_id: int | None = None,
    force: bool = False,
    reason: str = "",
    token: str = "",
) -> int:
    """ "Nhắc ngay": one step per open item of the scope, sent at once through
    the same path as the sweep. A double click, a reload or two organisers at
    once remind an item once a day; a second reminder the same day is forced
    with a reason. Returns the number of items reminded by this call."""
    from .sweep import send_steps

    now = now or clock.now()
    if force and not reason.strip():
        raise Refused(_("Nhắc thêm lần nữa trong ngày cần ghi lý do."))
    code = schedule.remind_now_code(now, force=force, token=token)
    with transaction.atomic():
        items = list(DeadlineItem.objects.filter(key__in=keys, scope=scope, done_at__isnull=True))
        new = []
        for item in items:
            # get_or_create: the unique (item, code) decides between two requests at once.
            step, created = ReminderStep.objects.get_or_create(item=item, code=code, defaults={"send_at": now})
            if created:
                new.append(step)
        if new:
            audit.record(
                actor=actor,
                action="reminder.remind_now",
                model=DeadlineItem,
                province_id=province_id,
                count=len(new),
                note=(f"Lý do nhắc thêm: {reason.strip()}. " if force else "")
                + ", ".join(step.item.agency_name for step in new if step.item.agency_name)[:1000],
            )
    send_steps([s.pk for s in new], now=now, held=False, actor=actor)
    return len(new)
