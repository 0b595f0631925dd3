"""The four rounds of a department or commune index: self-assessment,
appraisal 1, the explanation (an agency answers where points were cut, with
files, by a deadline), the final appraisal; each round kept; bonus and
penalty points within their caps; the ranking and publication from the last
round; what each side may do in each round."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.exceptions import Refused
from core.models import AuditEntry
from indices import selectors, services
from indices.models import Adjustment, Assessment, Explanation, Score
from notifications.models import DeadlineItem

from . import presentation_files as files
from .conftest import client_for
from .test_indices_results import FRAMEWORK, leaf

pytestmark = pytest.mark.django_db
S = Assessment.Status


@pytest.fixture
def framework(db):
    framework = services.framework_load(copy.deepcopy(FRAMEWORK))
    framework.bonus_cap, framework.penalty_cap = Decimal("1"), Decimal("2")
    framework.save()
    return framework


def inputs(framework, values: dict):
    return [services.ScoreInput(leaf(framework, code).pk, value) for code, value in values.items()]


@pytest.fixture
def appraised(framework, lang_son, official, organiser):
    """Self-assessed 4 + 4 + 5, appraised 4 + 2 + 3,5 in round 1."""
    assessment = Assessment.objects.create(framework=framework, agency=official.agency)
    services.scores_save(
        actor=official, assessment=assessment, round="self", inputs=inputs(framework, {"1.1": 4, "1.2": 4, "2.1": 5})
    )
    services.assessment_submit(actor=official, assessment=assessment)
    services.scores_save(
        actor=organiser,
        assessment=assessment,
        round="appraised",
        inputs=inputs(framework, {"1.1": "4", "1.2": "2", "2.1": "3,5"}),
    )
    assessment.refresh_from_db()
    assert (assessment.status, assessment.total) == (S.APPRAISED, Decimal("9.50"))
    return assessment


def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def test_the_four_rounds_each_kept(framework, lang_son, official, organiser, appraised):
    assert services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow()) == 1
    appraised.refresh_from_db()
    assert appraised.status == S.EXPLAINING and appraised.explain_deadline == tomorrow()
    first = dict(appraised.scores.filter(round=Score.Round.FIRST).values_list("criterion__code", "value"))
    assert first == {"1.1": Decimal("4.00"), "1.2": Decimal("2.00"), "2.1": Decimal("3.50")}
    # Only the criteria round 1 cut may be explained.
    assert [c.code for c in services.cut_criteria(appraised)] == ["1.2", "2.1"]
    # The appraisers wait for the answer while the deadline runs.
    with pytest.raises(Refused, match="đang giải trình"):
        services.scores_save(
            actor=organiser, assessment=appraised, round="appraised", inputs=inputs(framework, {"1.2": 3})
        )

    evidence = SimpleUploadedFile("bao-cao.pdf", files.pdf_bytes(), content_type="application/pdf")
    errors = services.explanations_save(
        actor=official,
        assessment=appraised,
        inputs=[
            services.ExplanationInput(leaf(framework, "1.1").pk, "Đã đủ điểm"),
            services.ExplanationInput(leaf(framework, "1.2").pk, "Báo cáo gửi đúng hạn ngày 15/12", evidence),
        ],
    )
    assert errors == {leaf(framework, "1.1").pk: "Tiêu chí này không bị trừ điểm ở vòng thẩm định lần 1."}
    assert not Explanation.objects.exists()  # one wrong line: nothing saved
    evidence.seek(0)
    services.explanations_save(
        actor=official,
        assessment=appraised,
        inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "Báo cáo gửi đúng hạn ngày 15/12", evidence)],
    )
    explanation = Explanation.objects.get()
    assert explanation.evidence_name == "bao-cao.pdf" and explanation.evidence.read()[:5] == b"%PDF-"
    services.explanation_submit(actor=official, assessment=appraised)
    appraised.refresh_from_db()
    assert appraised.status == S.EXPLAINED and appraised.explained_at is not None
    with pytest.raises(Refused):  # sent: the agency no longer changes it
        services.explanations_save(
            actor=official, assessment=appraised, inputs=[services.ExplanationInput(leaf(framework, "2.1").pk, "x")]
        )

    services.scores_save(actor=organiser, assessment=appraised, round="appraised", inputs=inputs(framework, {"1.2": 3}))
    appraised.refresh_from_db()
    assert appraised.status == S.FINAL and appraised.total == Decimal("10.50")
    assert appraised.scores.get(round=Score.Round.FIRST, criterion__code="1.2").value == Decimal("2.00")
    row = next(r for r in selectors.score_rows(appraised) if r.criterion.code == "1.2")
    assert row.movement == "tự đánh giá 4,00 → thẩm định lần 1 2,00 → đã giải trình → lần 2 3,00"
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="assessment.").order_by("pk")][-4:] == [
        "assessment.explanations",
        "assessment.explain",
        "assessment.scores.appraised",
        "assessment.final_appraise",
    ]


def test_after_the_deadline_the_agency_is_refused_and_the_final_round_may_begin(
    framework, lang_son, official, organiser, appraised
):
    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow())
    Assessment.objects.filter(pk=appraised.pk).update(explain_deadline=timezone.localdate() - dt.timedelta(days=1))
    appraised.refresh_from_db()
    with pytest.raises(Refused, match="hết hạn giải trình"):
        services.explanations_save(
            actor=official,
            assessment=appraised,
            inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "Muộn")],
        )
    with pytest.raises(Refused, match="hết hạn giải trình"):
        services.explanation_submit(actor=official, assessment=appraised)
    services.scores_save(actor=organiser, assessment=appraised, round="appraised", inputs=inputs(framework, {"1.2": 2}))
    appraised.refresh_from_db()
    assert appraised.status == S.FINAL


def test_who_may_do_what_in_each_round(framework, lang_son, official, organiser, other_organiser, appraised):
    with pytest.raises(PermissionDenied):
        services.explanations_open(actor=official, framework=framework, province=lang_son, deadline=tomorrow())
    with pytest.raises(Refused, match="đã qua"):
        services.explanations_open(
            actor=organiser, framework=framework, province=lang_son, deadline=timezone.localdate() - dt.timedelta(1)
        )
    with pytest.raises(Refused, match="chưa mở"):  # not yet open
        services.explanations_save(
            actor=official, assessment=appraised, inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "x")]
        )
    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow())
    with pytest.raises(PermissionDenied):  # the appraisers do not explain for the agency
        services.explanations_save(
            actor=other_organiser,
            assessment=appraised,
            inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "x")],
        )
    with pytest.raises(PermissionDenied):
        services.adjustment_add(actor=official, assessment=appraised, kind="bonus", points=Decimal(1), reason="x")
    with pytest.raises(Refused, match="trong hạn giải trình"):
        services.results_publish(actor=organiser, framework=framework, province=lang_son)


def test_bonus_and_penalty_count_within_their_caps(framework, lang_son, organiser, appraised):
    add = services.adjustment_add
    add(actor=organiser, assessment=appraised, kind="bonus", points=Decimal("0.75"), reason="Sáng kiến CCHC cấp tỉnh")
    second = add(actor=organiser, assessment=appraised, kind="bonus", points=Decimal("0.5"), reason="Giải thưởng")
    add(actor=organiser, assessment=appraised, kind="penalty", points=Decimal("0.5"), reason="Báo cáo chậm")
    appraised.refresh_from_db()
    assert (appraised.adjustment, appraised.total) == (Decimal("0.50"), Decimal("10.00"))  # 9,5 + min(1,25; 1) − 0,5
    services.adjustment_remove(actor=organiser, adjustment=second)
    appraised.refresh_from_db()
    assert (appraised.adjustment, appraised.total) == (Decimal("0.25"), Decimal("9.75"))
    with pytest.raises(Refused, match="lý do"):
        add(actor=organiser, assessment=appraised, kind="bonus", points=Decimal(1), reason=" ")
    framework.bonus_cap = None
    framework.save()
    with pytest.raises(Refused, match="không có điểm thưởng"):
        add(actor=organiser, assessment=appraised, kind="bonus", points=Decimal(1), reason="Sáng kiến")
    assert Adjustment.objects.count() == 2
    # A later score change keeps the bonus and penalty in the total.
    services.scores_save(actor=organiser, assessment=appraised, round="appraised", inputs=inputs(framework, {"2.1": 5}))
    appraised.refresh_from_db()
    assert appraised.total == Decimal("11.25")


def test_the_explanation_deadline_is_reminded_until_sent(framework, lang_son, official, organiser, appraised):
    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow())
    item = DeadlineItem.objects.get(key=f"indices.explanation:{appraised.pk}")
    assert item.what == "Hạn gửi giải trình" and not item.done_at
    services.explanations_save(
        actor=official, assessment=appraised, inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "Đã nộp")]
    )
    services.explanation_submit(actor=official, assessment=appraised)
    item.refresh_from_db()
    assert item.done_at is not None


def test_the_ranking_and_publication_read_the_final_round(framework, lang_son, official, organiser, appraised):
    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow())
    services.explanations_save(
        actor=official, assessment=appraised, inputs=[services.ExplanationInput(leaf(framework, "2.1").pk, "Có")]
    )
    services.explanation_submit(actor=official, assessment=appraised)
    services.scores_save(actor=organiser, assessment=appraised, round="appraised", inputs=inputs(framework, {"2.1": 5}))
    services.results_publish(actor=organiser, framework=framework, province=lang_son)
    appraised.refresh_from_db()
    assert (appraised.status, appraised.total) == (S.PUBLISHED, Decimal("11.00"))
    losses = selectors.losses([appraised.pk])[appraised.pk]
    assert "2.1" not in {loss.code for loss in losses} and "1.2" in {
        loss.code for loss in losses
    }  # 2.1 regained its points


def test_the_assessment_page_shows_the_movement_to_the_organiser(framework, lang_son, official, organiser, appraised):
    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow())
    services.explanations_save(
        actor=official, assessment=appraised, inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "Đã nộp")]
    )
    page = client_for(organiser).get(f"/chi-so/danh-gia/{appraised.pk}/").content.decode()
    assert "Đang giải trình" in page


def test_the_appraisers_never_explain_for_the_agency(framework, lang_son, official, organiser, appraised):
    Score.objects.filter(assessment=appraised, round="appraised", criterion__code="1.2").update(note="Báo cáo chậm")
    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow())
    # Round 1 is kept with the appraisers' comments.
    assert appraised.scores.get(round=Score.Round.FIRST, criterion__code="1.2").note == "Báo cáo chậm"
    with pytest.raises(PermissionDenied):
        services.explanations_save(
            actor=organiser, assessment=appraised, inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "x")]
        )
    with pytest.raises(PermissionDenied):
        services.explanation_submit(actor=organiser, assessment=appraised)
    services.explanations_save(
        actor=official, assessment=appraised, inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "Đã nộp")]
    )
    row = next(r for r in selectors.score_rows(appraised) if r.criterion.code == "1.2")
    # Before the final round the appraisal in force is round 1's: no "lần 2" yet.
    assert row.movement == "tự đánh giá 4,00 → thẩm định lần 1 2,00 → đã giải trình"


def test_the_agency_is_told_it_may_explain_and_the_appraisers_that_it_did(
    framework, lang_son, official, organiser, appraised
):
    from notifications.models import Channel, Message

    def portal(user):
        return list(Message.objects.filter(user=user, channel=Channel.PORTAL).values_list("subject", flat=True))

    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow())
    assert portal(official) == [f"Giải trình kết quả thẩm định: {framework}"]
    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=tomorrow())
    assert len(portal(official)) == 1  # opened again with the same deadline: told once
    services.explanations_save(
        actor=official, assessment=appraised, inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "Đã nộp")]
    )
    services.explanation_submit(actor=official, assessment=appraised)
    assert portal(organiser) == [f"{official.agency.name} gửi giải trình: {framework}"]
