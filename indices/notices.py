"""What the explanation round tells people as it happens, on the portal
and by e-mail as each person chose: an agency hears that it may explain
(and by when) once round 1 is frozen; the Sở Nội vụ hears of each agency's
explanation sent. Written in the step's transaction, keyed by its row."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.recipients import staff_recipients
from agencies.selectors import agency_recipients
from core.formatting import vn_date
from notifications.services import notify

from .models import Assessment


def _scope(assessment: Assessment) -> str:
    return f"indices.framework:{assessment.framework_id}:province:{assessment.agency.province_id}"


def explanation_opened(assessments: list[Assessment]) -> None:
    people = agency_recipients([a.agency_id for a in assessments])
    for assessment in assessments:
        notify(
            recipients=people[assessment.agency_id],
            subject=_("Giải trình kết quả thẩm định: %(framework)s") % {"framework": assessment.framework},
            body_text=_(
                "Sở Nội vụ đã thẩm định lần 1 kết quả của %(agency)s. Đơn vị giải trình các tiêu chí bị trừ "
                "điểm (kèm minh chứng bổ sung nếu có) và gửi trước hết ngày %(day)s."
            )
            % {"agency": assessment.agency.name, "day": vn_date(assessment.explain_deadline)},
            link=reverse("indices:assessment", args=[assessment.pk]) + "#giai-trinh",
            scope=_scope(assessment),
            ref=f"indices.assessment:{assessment.pk}",
            dedupe_key=f"indices.explanation_opened:{assessment.pk}:{assessment.explain_deadline:%Y%m%d}",
            portal=True,
            as_chosen=True,
        )


def explanation_sent(assessment: Assessment) -> None:
    notify(
        recipients=staff_recipients(assessment.agency.province_id),
        subject=_("%(agency)s gửi giải trình: %(framework)s")
        % {"agency": assessment.agency.name, "framework": assessment.framework},
        body_text=_("Đơn vị đã gửi giải trình. Mở để xem và thẩm định lần 2."),
        link=reverse("indices:assessment", args=[assessment.pk]) + "#giai-trinh",
        scope=_scope(assessment),
        ref=f"indices.assessment:{assessment.pk}",
        dedupe_key=f"indices.explanation_sent:{assessment.pk}",
        portal=True,
        as_chosen=True,
    )
