"""The district office of the demo shapes its plan's outline in a real
browser (renames a section, drops one, adds a paragraph of its own), keeps
it as the office's template, and its next plan starts from that outline."""

import pytest
from django.core.management import call_command

from conferences.models import Conference
from documents.models import Document

from .browser import screenshot
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN_TEXT = "Hội nghị tổ chức gọn, tiết kiệm, không tặng hoa, quà."


def row_with_title(page, title: str):
    """The outline row whose title field reads `title`."""
    rows = page.locator(".outline-row")
    for i in range(rows.count()):
        row = rows.nth(i)
        field = row.locator("input[name$='-title']")
        if field.count() and field.input_value() == title:
            return row
    raise AssertionError(f"no outline row titled {title!r}")


def test_an_office_outline_becomes_the_start_of_its_next_plan(page, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    plan = Document.objects.get(purpose="plan", issuer__code="H-BATXAT")
    conference = plan.source
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "laocai.noivu")
    page.goto(f"{live_server.url}/van-ban/{plan.pk}/soan/")
    page.click("text=Dàn ý: sắp xếp, gộp, đổi tên mục")
    page.wait_for_selector("h1:has-text('Dàn ý văn bản')")

    row_with_title(page, "TỔ CHỨC THỰC HIỆN").locator("input[name$='-title']").fill("TRÁCH NHIỆM THỰC HIỆN")
    row_with_title(page, "Nội dung").locator("input[name$='-DELETE']").check()
    page.click("button.js-add-form[data-prefix='nodes']")
    new = page.locator(".outline-row").last
    new.locator("input[name$='-order']").fill("5")
    new.locator("select[name$='-depth']").select_option("1")
    new.locator("input[name$='-title']").fill("Yêu cầu tiết kiệm")
    # The text field shows only for a section of the writer's own words.
    new.locator("select[name$='-piece']").select_option("")
    new.locator("textarea[name$='-text']").fill(OWN_TEXT)
    page.fill("#template-name", "Kế hoạch hội nghị của UBND huyện (2024)")
    screenshot(page, "outline-editor")
    page.click("button[name='save_template']")
    page.wait_for_selector(".alert-success")

    text = "\n".join(s.text for s in plan.sections.all())
    assert "TRÁCH NHIỆM THỰC HIỆN" in text and OWN_TEXT in text
    assert "2. Nội dung" not in text  # dropped, and the numbers after it close up

    # A second conference of the same district: its plan starts from the office's outline.
    later = Conference.objects.get(pk=conference.pk)
    later.pk = None
    later.title = "Hội nghị sơ kết công tác cải cách hành chính 6 tháng đầu năm 2024"
    later.save()
    # Its data: what it is about and who does what (a section with nothing to print is left out).
    for row in [*conference.content_items.all(), *conference.duties.all()]:
        row.pk, row.conference = None, later
        row.save()
    page.goto(f"{live_server.url}/hoi-nghi/{later.pk}/")
    page.click("#documents >> text=Soạn kế hoạch")
    page.wait_for_selector("text=Đã soạn dự thảo từ dữ liệu.")
    second = Document.objects.get(purpose="plan", object_id=later.pk)
    text = "\n".join(s.text for s in second.sections.all())
    assert "TRÁCH NHIỆM THỰC HIỆN" in text and OWN_TEXT in text
    assert [n.get("title") for n in second.outline] == [
        n.get("title") for n in Document.objects.get(pk=plan.pk).outline
    ]
    screenshot(page, "outline-next-plan")
