"""Benchmarks: `make bench`. Each figure prints as `name: value unit` with the
reference it is held against. Runs on a throw-away PostgreSQL database."""

import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

# A province's directory today: ~100 communes and 30 provincial bodies; the
# bench uses twenty times that so a regression shows.
ROWS = 2000
REFERENCES = {
    "directory_import_2000_rows": (3.0, "s"),
    "directory_import_2000_rows_peak_memory": (150.0, "MiB"),
    "agency_list_page_2000_agencies": (0.5, "s"),
    "agency_list_page_queries": (12, "queries"),
    "agency_export_2000_agencies": (5.0, "s"),
    "conference_invite_2000_agencies": (3.0, "s"),
    "conference_board_2000_agencies": (3.0, "s"),
    "conference_board_queries": (14, "queries"),
    "conference_delegates_xlsx_600": (3.0, "s"),
    "conference_attendance_pdf_600": (20.0, "s"),
}
ATTENDING = 300  # agencies that answer, two delegates each


def report(name, value, unit):
    reference, ref_unit = REFERENCES[name]
    verdict = "ok" if value <= reference else "SLOWER THAN REFERENCE"
    print(f"{name}: {value:.3f} {unit}  (reference ≤ {reference} {ref_unit}: {verdict})")


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # Its own database, so a bench can run beside the test suite.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_cchc"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run():
    from agencies import services
    from agencies.models import Province, Role, User

    province = Province.objects.create(code="bench", name="Bench")
    lines = ["Mã đơn vị,Tên đơn vị,Tên viết tắt,Loại đơn vị,Mã đơn vị cấp trên"]
    lines.append("UBND,UBND tỉnh Bench,UBND,UBND tỉnh,")
    lines += [f"X{i:05d},UBND xã Thử {i},UBND,Xã,UBND" for i in range(ROWS - 1)]
    data = ("\n".join(lines) + "\n").encode()

    tracemalloc.start()
    started = time.perf_counter()
    services.directory_apply(kind="agencies", province=province, name="bench.csv", data=data)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report("directory_import_2000_rows", elapsed, "s")
    report("directory_import_2000_rows_peak_memory", peak / 2**20, "MiB")

    agency = province.agencies.get(code="UBND")
    user = User.objects.create(username="bench", role=Role.ORGANISER, agency=agency)
    client = Client()
    client.force_login(user)
    client.get("/danh-ba/")  # warm-up
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        client.get("/danh-ba/")
    report("agency_list_page_2000_agencies", time.perf_counter() - started, "s")
    report("agency_list_page_queries", len(queries.captured_queries), "queries")

    started = time.perf_counter()
    response = client.get("/danh-ba/don-vi.xlsx")
    assert response.status_code == 200
    report("agency_export_2000_agencies", time.perf_counter() - started, "s")

    bench_conference(province, user, client)


def bench_conference(province, user, client):
    import datetime as dt

    from django.utils import timezone

    from conferences import services as conferences
    from conferences.models import Conference, Delegate, InviteeLine

    agency = province.agencies.get(code="UBND")
    conference = Conference.objects.create(
        province=province, title="Hội nghị đo hiệu năng", issuing_authority=agency, focal_agency=agency,
        date=timezone.localdate() + dt.timedelta(days=30), start_time=dt.time(8, 0), venue="Hội trường")
    InviteeLine.objects.create(conference=conference, text="Chủ tịch UBND các xã", target="group", group_kinds=["xa"], quota=2)
    started = time.perf_counter()
    conferences.conference_invite(actor=user, conference=conference)
    report("conference_invite_2000_agencies", time.perf_counter() - started, "s")
    invitations = list(conference.invitations.order_by("agency__name")[:ATTENDING])
    conference.invitations.filter(pk__in=[i.pk for i in invitations]).update(reply="attending")
    Delegate.objects.bulk_create([
        Delegate(invitation=i, order=n, full_name=f"Nguyễn Văn {i.pk}-{n}", position="Chủ tịch UBND xã", phone="0912000000")
        for i in invitations for n in range(2)])

    url = f"/hoi-nghi/{conference.pk}/theo-doi/"
    client.get(url)  # warm-up
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    report("conference_board_2000_agencies", time.perf_counter() - started, "s")
    report("conference_board_queries", len(queries.captured_queries), "queries")
    started = time.perf_counter()
    assert client.get(url + "dai-bieu.xlsx").status_code == 200
    report("conference_delegates_xlsx_600", time.perf_counter() - started, "s")
    started = time.perf_counter()
    assert client.get(url + "danh-sach-dai-bieu.pdf").status_code == 200
    report("conference_attendance_pdf_600", time.perf_counter() - started, "s")


if __name__ == "__main__":
    main()
