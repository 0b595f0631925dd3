"""The signed way in a real browser, as an office uses it with the demo's
test certificates: the organiser prepares the Lào Cai plan, the signer signs
the downloaded file on their own machine with pyHanko's command line and
their .p12 (the "small local step"), the organiser uploads it, numbers and
seals it; then anyone checks the issued PDF on the public page from its
code, before and after the document is revoked."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from demo.directory import DEMO_PASSWORD
from demo.signing import FOLDER
from documents.models import Document

from .browser import screenshot
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PYHANKO = Path(sys.executable).with_name("pyhanko")


def sign_locally(prepared: Path, signed: Path, slug: str, tmp_path: Path) -> None:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    passfile = tmp_path / "pass"
    passfile.write_text(DEMO_PASSWORD)
    subprocess.run(
        [str(PYHANKO), "--config", str(folder / "pyhanko.yml"), "sign", "addsig", "--field", "ChuKyNguoiKy",
         "--style-name", slug, "pkcs12", "--passfile", str(passfile), str(prepared), str(signed),
         str(folder / f"{slug}.p12")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


@pytest.mark.skipif(not PYHANKO.exists(), reason="pyhanko-cli is in requirements-dev.txt")
def test_prepare_sign_upload_seal_verify_revoke(page, live_server, browser, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    document = Document.objects.get(issuer__name="Ủy ban nhân dân tỉnh Lào Cai", status="draft")
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "laocai.noivu")
    page.goto(f"{live_server.url}/van-ban/{document.pk}/")
    page.click("#signing >> text=Chuẩn bị tệp để ký số")
    page.wait_for_selector("text=Đã chuẩn bị tệp để ký số")
    # The draft is locked while it waits for the signer.
    assert page.locator("text=Soạn, sửa").count() == 0 or "Hủy chuẩn bị ký" in page.inner_text("#signing")
    with page.expect_download() as download:
        page.click("#signing >> text=Tải tệp cần ký (PDF)")
    prepared = tmp_path / "can-ky.pdf"
    download.value.save_as(prepared)

    # The signer's own machine: the wrong key first, then theirs.
    wrong = tmp_path / "sai-nguoi.pdf"
    sign_locally(prepared, wrong, "vang-a-din", tmp_path)
    page.set_input_files("#id_signed_file", str(wrong))
    page.click("#signing >> text=Tải lên tệp đã ký")
    page.wait_for_selector("text=Văn bản phải do Ngô Hạnh Phúc ký")
    signed = tmp_path / "da-ky.pdf"
    sign_locally(prepared, signed, "ngo-hanh-phuc", tmp_path)
    page.set_input_files("#id_signed_file", str(signed))
    page.click("#signing >> text=Tải lên tệp đã ký")
    page.wait_for_selector("text=chữ ký số hợp lệ, đúng người ký")
    screenshot(page, "signing-signed")
    page.click("#signing >> text=Cấp số và ký số cơ quan")
    page.wait_for_selector("text=Đã cấp số, ngày và ký số cơ quan")
    document.refresh_from_db()
    assert document.is_issued and document.number == 1
    screenshot(page, "signing-sealed")
    with page.expect_download() as download:
        page.click(".file-row[data-kind=pdf] >> text=Tải về")
    issued = tmp_path / "ban-hanh.pdf"
    download.value.save_as(issued)
    if shutil.which("pdfsig"):
        report = subprocess.run(["pdfsig", str(issued)], capture_output=True, text=True).stdout
        assert report.count("Signature is Valid.") == 2
        assert "Ngô Hạnh Phúc" in report and "Ủy ban nhân dân tỉnh Lào Cai" in report

    # Anyone, signed out, from the code printed on the PDF.
    public = browser.new_page()
    public.goto(f"{live_server.url}/xac-minh/{document.verification_code}/")
    assert "đang có hiệu lực" in public.inner_text("main")
    assert "Người ký: Ngô Hạnh Phúc" in public.inner_text(".verify-signers")
    public.set_input_files("#id_file", str(issued))
    public.get_by_role("button", name="Kiểm tra tệp").click()
    public.wait_for_selector(".verify-copy")
    result = public.inner_text(".verify-copy")
    assert "đúng là bản đã ban hành" in result and result.count("hợp lệ") == 2
    public.set_input_files("#id_file", str(signed))
    public.get_by_role("button", name="Kiểm tra tệp").click()
    public.wait_for_selector("text=là một bản trước khi ban hành")
    screenshot(public, "signing-verify-other-file")

    page.click("button:has-text('Thu hồi')")
    page.fill("#id_reason", "Ban hành nhầm kế hoạch")
    page.click("text=Thu hồi văn bản")
    page.wait_for_selector("text=Đã thu hồi văn bản.")
    public.goto(f"{live_server.url}/xac-minh/{document.verification_code}/")
    assert "đã bị thu hồi" in public.inner_text("main")
    screenshot(public, "signing-verify-revoked")
    public.close()
