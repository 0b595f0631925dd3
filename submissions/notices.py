"""What presentations tell people as it happens, on the portal and by e-mail
as each person chose: the agency hears the organiser's review (accepted,
to revise with the comment, rejected); the organisers hear of each file
sent. Written in the review's or upload's transaction, keyed by its row."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.recipients import staff_recipients
from agencies.selectors import agency_recipients
from notifications.services import notify

from .models import Review, Version

VERDICT = {
    Review.Decision.ACCEPT: gettext_lazy("đã được chấp nhận"),
    Review.Decision.REVISE: gettext_lazy("cần chỉnh sửa"),
    Review.Decision.REJECT: gettext_lazy("không được chấp nhận"),
}


def _ref(presentation) -> str:
    return f"submissions.presentation:{presentation.pk}"


def reviewed(review: Review) -> None:
    presentation = review.presentation
    topic = presentation.assignment.topic
    notify(
        recipients=agency_recipients([presentation.agency_id])[presentation.agency_id],
        subject=_("Tham luận %(verdict)s: %(topic)s") % {"verdict": VERDICT[review.decision], "topic": topic[:120]},
        body_text=(
            _("Tham luận “%(topic)s” của %(agency)s %(verdict)s.")
            % {"topic": topic, "agency": presentation.agency.name, "verdict": VERDICT[review.decision]}
            + (_("\nNhận xét của Sở Nội vụ: %(comment)s") % {"comment": review.comment} if review.comment else "")
        ),
        link=reverse("submissions:detail", args=[presentation.pk]),
        scope=f"conferences.conference:{presentation.assignment.conference_id}",
        ref=_ref(presentation),
        dedupe_key=f"submissions.review:{review.pk}",
        portal=True,
        as_chosen=True,
    )


def uploaded(version: Version) -> None:
    presentation = version.presentation
    conference = presentation.assignment.conference
    notify(
        recipients=staff_recipients(conference.province_id),
        subject=_("%(agency)s gửi tham luận (bản %(n)d): %(topic)s")
        % {"agency": presentation.agency.name, "n": version.number, "topic": presentation.assignment.topic[:100]},
        body_text=_("Tệp “%(name)s”%(late)s. Mở để xem và xem xét.")
        % {"name": version.original_name, "late": _(" (gửi muộn)") if version.is_late else ""},
        link=reverse("submissions:detail", args=[presentation.pk]),
        scope=f"conferences.conference:{conference.pk}",
        ref=_ref(presentation),
        dedupe_key=f"submissions.version:{version.pk}",
        portal=True,
        as_chosen=True,
    )
