"""The explanation and the final appraisal in a real browser, on a 1,366 px
screen and a 390 px phone: the organiser of Lạng Sơn opens the explanation
from the framework's page; the official of Sở Tài chính sees it on the home
page, explains a cut point with a file and sends; the organiser reads it,
appraises a second time and sees the final score. Officials' pages never
scroll sideways on the phone."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from indices import services
from indices.models import Assessment, Explanation, Framework, Score

from . import presentation_files as files
from .browser import screenshot
from .test_browser_tables import DESKTOP, PHONE, SIDEWAYS, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Elements reaching past the right edge of the screen, to say what widens a page.
BEYOND = """(width) => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
    .slice(0, 8)"""


def _fits(page, width: int, what: str):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{what}: the page is {scroll} px wide: {page.evaluate(BEYOND, width)}"
    assert page.evaluate(SIDEWAYS) == [], f"{what} scrolls sideways inside"


def _cut_one(assessment: Assessment) -> Score:
    """Make sure round 1 cut the first criterion the agency claimed in full:
    the demo's appraisal is random, the test's story is not."""
    appraised = (
        assessment.scores.filter(round=Score.Round.APPRAISED)
        .select_related("criterion")
        .order_by("criterion__order")
        .first()
    )
    criterion = appraised.criterion
    assessment.scores.filter(round=Score.Round.SELF, criterion=criterion).update(value=criterion.maximum)
    appraised.value = criterion.maximum - Decimal("0.5")
    appraised.save(update_fields=["value"])
    services.totals_refresh(Assessment.objects.filter(pk=assessment.pk))
    return appraised


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_official_explains_a_cut_point_and_the_organiser_appraises_again(device, browser, live_server, tmp_path):
    context, width = (DESKTOP, 1366) if device == "desktop" else (PHONE, 390)
    call_command("seed_demo", stdout=io.StringIO())
    framework = Framework.objects.get(code="PAR-SO", year=2025)
    framework.bonus_cap, framework.penalty_cap = Decimal("1"), Decimal("2")
    framework.save()
    assessment = Assessment.objects.get(framework=framework, agency__province__code="lang-son", agency__code="STC")
    cut = _cut_one(assessment)
    criterion = cut.criterion
    deadline = timezone.localdate() + dt.timedelta(days=7)

    # The organiser opens the explanation from the framework's page.
    page = _login(browser, live_server, "langson.noivu", **context)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/chi-so/bo/{framework.pk}/")
    card = page.locator("#mo-giai-trinh")
    assert "Mở giải trình cho" in card.inner_text()
    card.locator("input[name=deadline]").fill(deadline.strftime("%d/%m/%Y"))
    card.locator("input[name=deadline]").press("Escape")
    screenshot(page, f"rounds-{device}-framework-open")
    card.get_by_role("button", name="Mở giải trình").click()
    page.wait_for_selector("text=Đã mở giải trình cho")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.EXPLAINING and assessment.explain_deadline == deadline
    page.context.close()

    # The official sees it on the home page and explains with a file.
    page = _login(browser, live_server, "langson.taichinh", **context)
    page.on("dialog", lambda dialog: dialog.accept())
    assert "Đang giải trình — hạn" in page.locator(".home-explanation").inner_text()
    _fits(page, width, "home")
    screenshot(page, f"rounds-{device}-official-home")
    page.locator(".home-explanation").get_by_role("link", name="Giải trình").click()
    page.wait_for_selector("#giai-trinh")
    assert "Hạn gửi giải trình" in page.locator("#giai-trinh").inner_text()
    _fits(page, width, "the assessment with its explanation form")
    note = "Kế hoạch CCHC ban hành ngày 15/01, đúng hạn; gửi kèm quyết định ban hành."
    page.fill(f"#explanation-{criterion.pk}", note)
    (tmp_path / "Quyết định ban hành kế hoạch.pdf").write_bytes(files.pdf_bytes("Quyết định"))
    page.set_input_files(f"#explanation-file-{criterion.pk}", str(tmp_path / "Quyết định ban hành kế hoạch.pdf"))
    page.get_by_role("button", name="Lưu giải trình").click()
    page.wait_for_selector("text=Đã lưu giải trình")
    explanation = Explanation.objects.get(assessment=assessment)
    assert (explanation.note, explanation.evidence_name) == (note, "Quyết định ban hành kế hoạch.pdf")
    page.locator(f"#explanation-{criterion.pk}").scroll_into_view_if_needed()
    screenshot(page, f"rounds-{device}-official-explains")
    page.get_by_role("button", name="Lưu và gửi giải trình").click()
    page.wait_for_selector("text=Đã gửi giải trình tới Sở Nội vụ")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.EXPLAINED
    _fits(page, width, "the assessment after sending")
    screenshot(page, f"rounds-{device}-official-sent")
    page.context.close()

    # The organiser reads it, appraises a second time and sees the final score.
    page = _login(browser, live_server, "langson.noivu", **context)
    page.goto(f"{live_server.url}/chi-so/danh-gia/{assessment.pk}/")
    explained = page.locator("#giai-trinh").inner_text()
    assert note in explained and "Quyết định ban hành kế hoạch.pdf" in explained
    with page.expect_download() as download:
        page.locator("#giai-trinh").get_by_role("link", name="Quyết định ban hành kế hoạch.pdf").click()
    assert download.value.suggested_filename == "Quyết định ban hành kế hoạch.pdf"
    page.get_by_role("link", name="Thẩm định lần 2").first.click()
    page.wait_for_selector("h1:has-text('Thẩm định lần 2')")
    assert note[:40] in page.inner_text("main")
    screenshot(page, f"rounds-{device}-final-appraisal")
    page.fill(f"#score-{criterion.pk}", str(criterion.maximum).replace(".", ","))
    page.locator("button[name=save]").click()
    page.wait_for_selector("text=Đã lưu điểm")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.FINAL
    final = Score.objects.get(assessment=assessment, criterion=criterion, round=Score.Round.APPRAISED)
    assert final.value == criterion.maximum
    total = f"{assessment.total:.2f}".replace(".", ",")
    assert total in page.locator(".stat-row").inner_text()
    first = f"{cut.value:.2f}".replace(".", ",")
    maximum = f"{criterion.maximum:.2f}".replace(".", ",")
    movement = f"tự đánh giá {maximum} → thẩm định lần 1 {first} → đã giải trình → lần 2 {maximum}"
    assert movement in page.inner_text("main")
    _fits(page, width, "the organiser's assessment page")
    screenshot(page, f"rounds-{device}-final-score")
    page.context.close()
