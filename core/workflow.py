"""Status changes, one way for every model: a table of transitions per
model, one locking helper that checks the row as it is now (never a stale
copy) and writes the audit row, and the list of actions a user may take on
a row, which pages show as buttons. Templates ask for actions; they never
compare status strings.

    CONFERENCE = Workflow("conference", [
        Transition("invite", _("Gửi giấy mời"), source=[S.DRAFT, S.PLANNED], target=S.INVITED,
                   permission="conferences.organise", refusal=_("Giấy mời đã được gửi…")),
    ])

    with CONFERENCE.step(conference, "invite", actor=actor) as locked:
        …checks on `locked`; raise Refused to change nothing…
    # status saved, audit row written, on leaving the block."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import transaction

from . import audit
from .exceptions import Refused


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button
    source: tuple[str, ...]
    target: str
    permission: str  # a `rules` permission, asked with the row
    refusal: str = ""  # said when the row is not in a source status
    done: str = ""  # said when it went through
    confirm: str = ""  # the question asked before (empty: none)
    style: str = "primary"  # the button's Bootstrap colour
    text_field: str = ""  # the text the step asks for (a reason, the conclusions), when any
    opens_page: bool = False  # the button opens the step's own page (a check, a list) instead of posting
    url_name: str = ""  # the page or POST target of the button: args (pk, slug), or (pk) without a slug
    slug: str = ""  # the step's name in its URL ("gui-giay-moi")
    icon: str = ""  # a Bootstrap icon name
    stamp: str = ""  # a datetime field set to now when the step is taken

    def __post_init__(self):
        object.__setattr__(self, "source", tuple(self.source))


@dataclass
class Workflow:
    name: str  # the audit action prefix: "conference" → "conference.invite"
    transitions: list[Transition]
    field: str = "status"
    by_name: dict[str, Transition] = dataclass_field(init=False)

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.by_name[name]

    def allowed(self, instance, user, *, names: Iterable[str] | None = None) -> list[Transition]:
        """The steps `user` may take on `instance` now: its status is a source
        and the permission holds. The page's buttons."""
        status = getattr(instance, self.field)
        return [
            t
            for t in self.transitions
            if (names is None or t.name in names) and status in t.source and user.has_perm(t.permission, instance)
        ]

    @contextmanager
    def step(self, instance, name: str, *, actor, fields: Iterable[str] = (), note: str = ""):
        """Lock the row, refuse unless it is in a source status, yield it for
        the caller's checks and changes, then set the target status (and
        `fields` the caller changed), save and audit, in one transaction."""
        transition = self.by_name[name]
        model = type(instance)
        with transaction.atomic():
            locked = model._base_manager.select_for_update().get(pk=instance.pk)
            current = getattr(locked, self.field)
            if current not in transition.source:
                raise Refused(transition.refusal or _default_refusal(locked, self.field))
            watched = [self.field, *fields, *([transition.stamp] if transition.stamp else [])]
            before = audit.snapshot(locked, watched)
            yield locked
            setattr(locked, self.field, transition.target)
            if transition.stamp:
                from django.utils import timezone

                setattr(locked, transition.stamp, timezone.now())
            update = list(dict.fromkeys(watched))
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                update.append("updated_at")
            locked.save(update_fields=update)
            audit.record(
                actor=actor,
                action=f"{self.name}.{name}",
                target=locked,
                before=before,
                after=audit.snapshot(locked, watched),
                note=note,
            )
        # The caller's object reads as the row now is.
        for f in watched:
            setattr(instance, f, getattr(locked, f))


def _default_refusal(instance, field: str) -> str:
    from django.utils.translation import gettext as _

    display = getattr(instance, f"get_{field}_display")()
    return _("Không thực hiện được khi đang ở trạng thái “%(status)s”.") % {"status": display}


def status_flags(field: str = "status"):
    """Give a model one `is_<value>` property per choice of its status field
    (`conference.is_invited`, `invitation.is_pending`): pages ask these, or
    the workflow's actions, and never compare status strings. A property the
    model defines itself is kept."""

    def decorate(model):
        for value, _label in model._meta.get_field(field).choices:
            name = f"is_{value}"
            if not hasattr(model, name):
                setattr(model, name, property(lambda self, v=value: getattr(self, field) == v))
        return model

    return decorate
