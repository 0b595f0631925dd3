"""The rounds after the first appraisal, as people use them: the organiser
opens the explanation from the framework's page; the agency's official
explains the cut criteria with files and sends; the organiser reads it,
downloads the files, appraises a second time and gives bonus and penalty
points; the agency reads it all; nobody else reaches the files."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from indices import services
from indices.models import Adjustment, Assessment, Explanation

from . import presentation_files as files
from .conftest import _staff_of, client_for
from .test_indices_results import FRAMEWORK, leaf

pytestmark = pytest.mark.django_db
S = Assessment.Status


@pytest.fixture
def framework(db):
    framework = services.framework_load(copy.deepcopy(FRAMEWORK))
    framework.bonus_cap, framework.penalty_cap = Decimal("1"), Decimal("2")
    framework.save()
    return framework


def _inputs(framework, values: dict):
    return [services.ScoreInput(leaf(framework, code).pk, value) for code, value in values.items()]


@pytest.fixture
def appraised(framework, lang_son, official, organiser):
    """Self-assessed 4 + 4 + 5 (2.2 is measured by survey, not self-assessed),
    appraised 3 + 2 + 3,5 + 7 in round 1: 1.1, 1.2 and 2.1 were cut."""
    assessment = Assessment.objects.create(framework=framework, agency=official.agency)
    services.scores_save(
        actor=official,
        assessment=assessment,
        round="self",
        inputs=_inputs(framework, {"1.1": 4, "1.2": 4, "2.1": 5}),
    )
    services.assessment_submit(actor=official, assessment=assessment)
    services.scores_save(
        actor=organiser,
        assessment=assessment,
        round="appraised",
        inputs=_inputs(framework, {"1.1": "3", "1.2": "2", "2.1": "3,5", "2.2": "7"}),
    )
    assessment.refresh_from_db()
    return assessment


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def explaining(framework, lang_son, organiser, appraised):
    services.explanations_open(actor=organiser, framework=framework, province=lang_son, deadline=_day(3))
    appraised.refresh_from_db()
    return appraised


def _pdf(name="bao-cao.pdf", marker=""):
    return SimpleUploadedFile(name, files.pdf_bytes(marker), content_type="application/pdf")


def _page(client, assessment) -> str:
    response = client.get(reverse("indices:assessment", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _vn(day: dt.date) -> str:
    from core.formatting import vn_date

    return vn_date(day)


# --- Opening the explanation --------------------------------------------------------------------


def test_organiser_opens_the_explanation_from_the_framework_page(framework, lang_son, organiser, appraised):
    client = client_for(organiser)
    url = reverse("indices:framework", args=[framework.pk])
    page = client.get(url).content.decode()
    assert "Mở giải trình cho 1 đơn vị đã thẩm định lần 1" in page
    assert "Điểm thưởng tối đa: <strong>1,00</strong>" in page and "Điểm trừ tối đa: <strong>2,00</strong>" in page
    assert f'action="{reverse("indices:open-explanation", args=[framework.pk])}"' in page

    # A day already past is refused, nothing opens.
    response = client.post(
        reverse("indices:open-explanation", args=[framework.pk]), {"deadline": _day(-1).strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    appraised.refresh_from_db()
    assert appraised.status == S.APPRAISED
    assert "đã qua" in client.get(url).content.decode()

    response = client.post(
        reverse("indices:open-explanation", args=[framework.pk]), {"deadline": _day(5).strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    appraised.refresh_from_db()
    assert (appraised.status, appraised.explain_deadline) == (S.EXPLAINING, _day(5))
    page = client.get(url).content.decode()
    assert "Đã mở giải trình cho 1 đơn vị" in page
    assert f"Đang giải trình: 1 đơn vị, hạn hết ngày <strong>{_vn(_day(5))}</strong>" in page
    assert "Đổi hạn giải trình" in page  # nothing left to open: the form moves the deadline


def test_only_the_organiser_opens_the_explanation(framework, lang_son, official, appraised):
    response = client_for(official).post(
        reverse("indices:open-explanation", args=[framework.pk]), {"deadline": _day(5).strftime("%d/%m/%Y")}
    )
    assert response.status_code == 403
    appraised.refresh_from_db()
    assert appraised.status == S.APPRAISED


# --- The agency's explanation -------------------------------------------------------------------


def test_official_explains_the_cut_criteria_with_a_file_and_sends(framework, official, explaining):
    client = client_for(official)
    page = _page(client, explaining)
    assert f"Hạn gửi giải trình: hết ngày {_vn(_day(3))}" in page
    cut = [leaf(framework, code).pk for code in ("1.1", "1.2", "2.1")]
    for pk in cut:
        assert f'name="explanation-{pk}"' in page and f'name="explanation-file-{pk}"' in page
    assert f'name="explanation-{leaf(framework, "2.2").pk}"' not in page  # not cut: nothing to explain
    assert "Lưu và gửi giải trình" in page  # saving and sending are one press: nothing typed is lost

    url = reverse("indices:explanations", args=[explaining.pk])
    one, two = cut[1], cut[2]
    # A web page named .pdf is refused beside its criterion; nothing at all is saved.
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html><body>Bao cao</body></html>", content_type="application/pdf")
    response = client.post(
        url,
        {
            f"explanation-{one}": "Báo cáo gửi đúng hạn ngày 15/12",
            f"explanation-file-{one}": fake,
            f"explanation-{two}": "Đã công khai đủ 120 thủ tục",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu: 1 tiêu chí chưa đúng" in page
    assert f'id="explanation-error-{one}">' in page
    error = page.split(f'id="explanation-error-{one}">', 1)[1].split("</div>", 1)[0]
    assert error.strip(), "the refusal is said beside the file's criterion"
    assert "Đã công khai đủ 120 thủ tục" in page  # what was typed stays
    assert not Explanation.objects.exists()

    response = client.post(
        url,
        {
            f"explanation-{one}": "Báo cáo gửi đúng hạn ngày 15/12",
            f"explanation-file-{one}": _pdf(),
            f"explanation-{two}": "Đã công khai đủ 120 thủ tục",
        },
    )
    assert response.status_code == 302
    assert dict(Explanation.objects.values_list("criterion__code", "note")) == {
        "1.2": "Báo cáo gửi đúng hạn ngày 15/12",
        "2.1": "Đã công khai đủ 120 thủ tục",
    }
    page = _page(client, explaining)
    assert ">Báo cáo gửi đúng hạn ngày 15/12</textarea>" in page  # pre-filled with what was saved
    saved = Explanation.objects.get(criterion__code="1.2")
    assert reverse("indices:explanation-file", args=[explaining.pk, saved.pk]) in page

    # "Lưu và gửi": the text typed last is saved, then sent.
    response = client.post(
        url,
        {f"explanation-{one}": "Báo cáo gửi đúng hạn ngày 15/12 (số 88/BC-STC)", f"explanation-{two}": "", "send": "1"},
    )
    assert response.status_code == 302
    explaining.refresh_from_db()
    assert explaining.status == S.EXPLAINED
    assert dict(Explanation.objects.values_list("criterion__code", "note")) == {
        "1.2": "Báo cáo gửi đúng hạn ngày 15/12 (số 88/BC-STC)"
    }
    # The workflow's own step still answers (a client of the URL).
    assert client.post(reverse("indices:explain-submit", args=[explaining.pk])).status_code == 302
    page = _page(client, explaining)
    assert 'name="explanation-' not in page and "Đơn vị đã gửi giải trình lúc" in page


def test_after_the_deadline_the_official_is_told_it_passed(framework, official, explaining):
    Assessment.objects.filter(pk=explaining.pk).update(explain_deadline=_day(-1))
    page = _page(client_for(official), explaining)
    assert f"Đã hết hạn giải trình ngày {_vn(_day(-1))}" in page
    assert 'name="explanation-' not in page and "Lưu và gửi giải trình" not in page


def test_the_official_is_told_on_the_home_page(official, explaining):
    page = client_for(official).get(reverse("home")).content.decode()
    assert f"Đang giải trình — hạn {_vn(_day(3))}" in page
    assert f"{reverse('indices:assessment', args=[explaining.pk])}#giai-trinh" in page


# --- The organiser reads it, downloads the files, appraises again -------------------------------


def test_organiser_reads_the_explanation_and_downloads_its_file(framework, lang_son, official, organiser, explaining):
    criterion = leaf(framework, "1.2")
    services.explanations_save(
        actor=official,
        assessment=explaining,
        inputs=[services.ExplanationInput(criterion.pk, "Báo cáo gửi đúng hạn", _pdf("Báo cáo quý 4.pdf", "GT"))],
    )
    explanation = Explanation.objects.get()
    file_url = reverse("indices:explanation-file", args=[explaining.pk, explanation.pk])
    client = client_for(organiser)
    page = _page(client, explaining)
    assert "Giải trình của đơn vị" in page and "Báo cáo gửi đúng hạn" in page and file_url in page
    assert 'name="explanation-' not in page  # the appraisers read, they do not explain
    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    # The agency reads its own file too.
    assert client_for(official).get(file_url).status_code == 200

    # Another agency's official of the province does not reach it; nor does a leader.
    neighbour = _staff_of(lang_son, Role.OFFICIAL, code="STP", name="Sở Tư pháp")
    assert client_for(neighbour).get(file_url).status_code in (403, 404)
    leader = _staff_of(lang_son, Role.LEADER, code="UBND", name="UBND")
    assert client_for(leader).get(file_url).status_code in (403, 404)


def test_the_second_appraisal_page_is_titled_and_waits_for_the_deadline(framework, organiser, explaining):
    client = client_for(organiser)
    url = reverse("indices:appraise", args=[explaining.pk])
    page = " ".join(client.get(url).content.decode().split())
    assert "<title> Thẩm định lần 2 · Sở Tài chính" in page and "<h1> Thẩm định lần 2 </h1>" in page
    assert "Thẩm định lần 2" in _page(client, explaining)
    data = {f"score-{leaf(framework, code).pk}": value for code, value in {"1.1": "3", "1.2": "3"}.items()}
    response = client.post(url, data, follow=True)
    assert "Đơn vị đang giải trình đến hết ngày" in response.content.decode()
    explaining.refresh_from_db()
    assert explaining.status == S.EXPLAINING


def test_the_page_shows_each_score_moving_through_the_rounds(framework, official, organiser, explaining):
    services.explanations_save(
        actor=official,
        assessment=explaining,
        inputs=[services.ExplanationInput(leaf(framework, "1.2").pk, "Báo cáo gửi đúng hạn")],
    )
    client = client_for(organiser)
    page = _page(client, explaining)
    assert "tự đánh giá 4,00 → thẩm định lần 1 2,00 → đã giải trình" in page
    assert "đã giải trình → lần 2" not in page  # no second round yet
    services.explanation_submit(actor=official, assessment=explaining)
    values = {"1.1": "3", "1.2": "3", "2.1": "3,5", "2.2": "7"}
    response = client.post(
        reverse("indices:appraise", args=[explaining.pk]),
        {f"score-{leaf(framework, code).pk}": value for code, value in values.items()},
    )
    assert response.status_code == 302
    explaining.refresh_from_db()
    assert (explaining.status, explaining.total) == (S.FINAL, Decimal("16.50"))
    page = _page(client_for(official), explaining)
    assert "tự đánh giá 4,00 → thẩm định lần 1 2,00 → đã giải trình → lần 2 3,00" in page
    assert "tự đánh giá 4,00 → thẩm định lần 1 3,00 → lần 2 3,00" in page
    assert "Thẩm định lần 1</th>" in page and "Lần 2</th>" in page


# --- Bonus and penalty ----------------------------------------------------------------------------


def test_organiser_adds_a_bonus_and_a_penalty_and_removes_one(framework, official, organiser, appraised):
    client = client_for(organiser)
    url = reverse("indices:adjustment-add", args=[appraised.pk])
    page = _page(client, appraised)
    assert 'action="' + url + '"' in page
    response = client.post(
        url,
        {"kind": "bonus", "points": "0,75", "reason": "Sáng kiến CCHC cấp tỉnh", "evidence": _pdf("quyet-dinh.pdf")},
    )
    assert response.status_code == 302
    assert client.post(url, {"kind": "penalty", "points": "0,5", "reason": "Báo cáo chậm"}).status_code == 302
    appraised.refresh_from_db()
    assert (appraised.adjustment, appraised.total) == (Decimal("0.25"), Decimal("15.75"))
    page = _page(client, appraised)
    assert "được tính: +0,25 điểm" in page and "gồm điểm thưởng, điểm trừ (+0,25 điểm)" in page
    assert "Sáng kiến CCHC cấp tỉnh" in page and "Báo cáo chậm" in page

    # A bad line is said on the form and adds nothing.
    response = client.post(url, {"kind": "bonus", "points": "0", "reason": "x"})
    assert response.status_code == 400 and "Số điểm phải lớn hơn 0." in response.content.decode()
    assert Adjustment.objects.count() == 2

    bonus = Adjustment.objects.get(kind="bonus")
    file_url = reverse("indices:adjustment-file", args=[appraised.pk, bonus.pk])
    assert client.get(file_url).status_code == 200
    # The agency reads them, with the file, but neither adds nor removes.
    agency_page = _page(client_for(official), appraised)
    assert "Sáng kiến CCHC cấp tỉnh" in agency_page and file_url in agency_page
    assert f'action="{url}"' not in agency_page and "/xoa/" not in agency_page
    assert client_for(official).post(url, {"kind": "bonus", "points": "1", "reason": "x"}).status_code == 403

    penalty = Adjustment.objects.get(kind="penalty")
    response = client.post(reverse("indices:adjustment-remove", args=[appraised.pk, penalty.pk]))
    assert response.status_code == 302
    appraised.refresh_from_db()
    assert (appraised.adjustment, appraised.total) == (Decimal("0.75"), Decimal("16.25"))
    assert list(Adjustment.objects.values_list("kind", flat=True)) == ["bonus"]


def test_the_form_offers_only_the_kinds_the_framework_caps(framework, organiser, appraised):
    framework.bonus_cap = None
    framework.save()
    client = client_for(organiser)
    page = _page(client, appraised)
    assert '<option value="penalty"' in page and '<option value="bonus"' not in page
    response = client.post(
        reverse("indices:adjustment-add", args=[appraised.pk]), {"kind": "bonus", "points": "1", "reason": "x"}
    )
    assert response.status_code == 400
    assert not Adjustment.objects.exists()


# --- Queries ------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["organiser", "official"])
def test_the_assessment_page_asks_as_many_queries_with_more_explanations(
    who, framework, official, organiser, explaining
):
    client = client_for({"organiser": organiser, "official": official}[who])
    url = reverse("indices:assessment", args=[explaining.pk])

    def explain(codes):
        services.explanations_save(
            actor=official,
            assessment=explaining,
            inputs=[services.ExplanationInput(leaf(framework, c).pk, f"Giải trình {c}", _pdf()) for c in codes],
        )
        services.adjustment_add(
            actor=organiser, assessment=explaining, kind="bonus", points=Decimal("0.1"), reason=f"Thưởng {codes[-1]}"
        )

    explain(["1.2"])
    one = _queries(client, url)
    explain(["1.1", "1.2", "2.1"])
    explain(["2.1"])
    assert Explanation.objects.count() == 3 and Adjustment.objects.count() == 3
    assert _queries(client, url) == one
