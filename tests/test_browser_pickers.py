"""Pickers in a real browser, on the longest list of the demo (the Lai Châu
plan's duties): a saved row opens on "Sửa", units are found by typing
without diacritics, a row added by "Thêm dòng" gets working pickers, and
what was chosen is saved. Also on a phone's width."""

import pytest
from django.core.management import call_command

from conferences.models import Duty, ImprovementPlan

from .browser import screenshot
from .test_browser import login
from .test_browser_conference import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_plan_duties_are_chosen_by_typing(page, live_server, width):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    page.set_viewport_size({"width": width, "height": 900})
    outside = []
    page.on(
        "request", lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None
    )
    plan = ImprovementPlan.objects.get(province__name="Lai Châu")
    login(page, live_server, "laichau.noivu")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/muc/nhiem-vu/")
    # "Sửa" asks htmx for the row: wait until the scripts are in (a loaded machine is slow).
    page.wait_for_load_state("networkidle")
    second = plan.duties.order_by("order", "pk")[1]

    page.click(".part-summary >> nth=1 >> text=Sửa")
    page.wait_for_selector("#id_rows-1-task")
    pick(page, "id_rows-1-lead_agency", "so tai chinh", "Sở Tài chính tỉnh Lai Châu")
    pick(page, "id_rows-1-coordinating", "noi vu", "Sở Nội vụ tỉnh Lai Châu")
    screenshot(page, f"plan-duties-picker-{width}")

    page.click("button.js-add-form")
    index = int(page.input_value("#id_rows-TOTAL_FORMS")) - 1
    page.fill(f"#id_rows-{index}-task", "Tổng hợp kết quả khắc phục các tiêu chí bị mất điểm")
    pick(page, f"id_rows-{index}-lead_agency", "ubnd tinh lai chau", "Ủy ban nhân dân tỉnh Lai Châu")
    screenshot(page, f"plan-duties-new-row-{width}")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Đã lưu: Nhiệm vụ của các cơ quan, đơn vị.")

    second.refresh_from_db()
    assert second.lead_agency.name == "Sở Tài chính tỉnh Lai Châu"
    assert "Sở Nội vụ tỉnh Lai Châu" in [a.name for a in second.coordinating.all()]
    added = Duty.objects.get(plan=plan, task="Tổng hợp kết quả khắc phục các tiêu chí bị mất điểm")
    assert added.lead_agency.name == "Ủy ban nhân dân tỉnh Lai Châu"
    assert outside == []
