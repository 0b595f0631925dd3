"""Logs that name their request or task, and the Prometheus metrics page."""

import io
import json
import logging
import re
import uuid

import pytest
import redis
from django.conf import settings as django_settings

from config.celery import app
from config.logs import ContextFilter, JsonFormatter, request_id_var

from .factories import MessageFactory, RenderedFileFactory

pytestmark = pytest.mark.django_db

HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """What the production handler would write (the filter and the JSON
    formatter), as parsed objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


# --- Request ids ---------------------------------------------------------------------------


def test_request_id_generated_for_each_request(client):
    first = client.get("/tai-khoan/dang-nhap/")["X-Request-ID"]
    second = client.get("/tai-khoan/dang-nhap/")["X-Request-ID"]
    assert HEX32.fullmatch(first)
    assert HEX32.fullmatch(second)
    assert first != second


def test_request_id_taken_from_the_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/tai-khoan/dang-nhap/", HTTP_X_REQUEST_ID="7f3c9a1e2b4d4c6e8f0a1b2c3d4e5f60")
    assert response["X-Request-ID"] == "7f3c9a1e2b4d4c6e8f0a1b2c3d4e5f60"


def test_request_id_from_a_client_without_proxy_is_replaced(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    response = client.get("/tai-khoan/dang-nhap/", HTTP_X_REQUEST_ID="chosen-by-the-client")
    assert HEX32.fullmatch(response["X-Request-ID"])


def test_malformed_request_id_is_replaced(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/tai-khoan/dang-nhap/", HTTP_X_REQUEST_ID='x" level=ERROR forged')
    assert HEX32.fullmatch(response["X-Request-ID"])


def test_access_line_of_a_request_is_json_with_its_id(client, log_lines):
    response = client.get("/tai-khoan/dang-nhap/")
    access = [line for line in log_lines() if line["logger"] == "portal.request"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["level"], line["method"], line["path"], line["status"]) == (
        "INFO",
        "GET",
        "/tai-khoan/dang-nhap/",
        200,
    )
    assert line["message"].startswith("GET /tai-khoan/dang-nhap/ 200 ")
    assert line["duration_ms"] >= 0
    assert "task_id" not in line


def test_access_line_hides_a_token_in_the_address(client, log_lines):
    client.get("/tai-khoan/dat-lai-mat-khau/MQ/cxyz-0123456789abcdef/")
    (line,) = [line for line in log_lines() if line["logger"] == "portal.request"]
    assert line["path"] == "/tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/"
    assert "0123456789abcdef" not in json.dumps(line)


def test_log_line_written_during_a_request_carries_its_id(log_lines):
    token = request_id_var.set("abc123def4567890")
    try:
        logging.getLogger("documents.services.files").warning("Không tạo được tệp %s", "giấy mời.pdf")
    finally:
        request_id_var.reset(token)
    logging.getLogger("documents.services.files").warning("ngoài yêu cầu")
    inside, outside = log_lines()
    assert inside["request_id"] == "abc123def4567890"
    assert inside["message"] == "Không tạo được tệp giấy mời.pdf"
    assert "request_id" not in outside


@app.task(name="tests.observability.log_line")
def _log_line():
    logging.getLogger("notifications.tasks").info("gửi thư")


def test_task_log_lines_carry_the_task_id(log_lines):
    result = _log_line.apply(task_id="4d0b2f0e-7f5c-4c49-9a5e-0c1d2e3f4a5b")
    assert result.successful()
    line = next(line for line in log_lines() if line["message"] == "gửi thư")
    assert (line["task_id"], line["task_name"]) == (
        "4d0b2f0e-7f5c-4c49-9a5e-0c1d2e3f4a5b",
        "tests.observability.log_line",
    )


def test_task_queued_by_a_request_logs_the_request_id(log_lines):
    from config.celery import _pass_request_id

    headers = {}
    token = request_id_var.set("abc123def4567890")
    try:
        _pass_request_id(headers=headers)  # as Celery calls it when the task is published
    finally:
        request_id_var.reset(token)
    assert headers == {"request_id": "abc123def4567890"}

    _log_line.apply(headers=headers)  # the worker, later, in another process

    line = next(line for line in log_lines() if line["message"] == "gửi thư")
    assert line["request_id"] == "abc123def4567890"
    assert line["task_name"] == "tests.observability.log_line"


def test_json_formatter_writes_extras_and_the_traceback(log_lines):
    try:
        raise ValueError("hỏng")
    except ValueError:
        logging.getLogger("core").exception("Lỗi khi xử lý", extra={"document_id": 12})
    (line,) = log_lines()
    assert line["document_id"] == 12
    assert line["level"] == "ERROR"
    assert "ValueError: hỏng" in line["exception"]


def test_plain_format_names_the_request():
    record = logging.LogRecord("core", logging.INFO, __file__, 1, "xin chào", None, None)
    token = request_id_var.set("abc123def4567890")
    try:
        ContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    formatter = logging.Formatter(django_settings.LOGGING["formatters"]["plain"]["format"])
    assert formatter.format(record).endswith(" INFO core [request=abc123def4567890] xin chào")


# --- Metrics -------------------------------------------------------------------------------

TOKEN = "metrics-token-0123456789abcdef"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def test_metrics_is_a_404_without_configuration(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_is_a_404_with_a_wrong_token(client, metrics_token):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token").status_code == 404
    assert client.get("/metrics").status_code == 404


def test_metrics_counts_requests_by_view(client, metrics_token):
    client.get("/healthz")
    text = scrape(client, **metrics_token)
    counted = re.search(r'^cchc_http_requests_total\{method="GET",status="200",view="healthz"\} (\d+)\.0$', text, re.M)
    assert counted and int(counted.group(1)) >= 1
    assert 'cchc_http_request_duration_seconds_bucket{le="0.025",method="GET",view="healthz"}' in text


def test_metrics_counts_the_outbox_and_the_rendered_files(client, metrics_token):
    MessageFactory.create_batch(2, channel="email", state="queued", sent_at=None)
    MessageFactory(channel="email", state="failed", sent_at=None)
    MessageFactory(channel="portal", state="sent")
    RenderedFileFactory(status="queued")
    RenderedFileFactory(status="done")

    text = scrape(client, **metrics_token)

    assert 'cchc_outbox_messages{channel="email",state="queued"} 2.0' in text
    assert 'cchc_outbox_messages{channel="email",state="failed"} 1.0' in text
    assert 'cchc_outbox_messages{channel="portal",state="sent"} 1.0' in text
    assert 'cchc_outbox_messages{channel="email",state="sent"} 0.0' in text
    assert 'cchc_rendered_files{status="queued"} 1.0' in text
    assert 'cchc_rendered_files{status="done"} 1.0' in text
    assert 'cchc_rendered_files{status="failed"} 0.0' in text
    oldest = re.search(r"^cchc_outbox_oldest_queued_age_seconds (\S+)$", text, re.M)
    assert 0 <= float(oldest.group(1)) < 60


def test_metrics_for_an_allowed_network_behind_the_proxy(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.20.3.4").status_code == 200
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.20.3.4, 203.0.113.9").status_code == 404
    assert client.get("/metrics").status_code == 404  # REMOTE_ADDR (the proxy itself) is not the client


@pytest.fixture
def own_queue(settings):
    """Workers expected, and a queue of this test's own in the test Redis."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    name = f"metrics-test-{uuid.uuid4().hex[:8]}"
    previous, app.conf.task_default_queue = app.conf.task_default_queue, name
    client = redis.Redis.from_url(app.conf.broker_url)
    yield name, client
    client.delete(name, f"{name}\x06\x163")
    client.close()
    app.conf.task_default_queue = previous


def test_metrics_reads_the_queue_length_from_redis(client, metrics_token, own_queue):
    name, redis_client = own_queue
    redis_client.lpush(name, "a", "b")
    redis_client.lpush(f"{name}\x06\x163", "c")  # a prioritised message waits in a sibling list
    text = scrape(client, **metrics_token)
    assert f'cchc_celery_queue_length{{queue="{name}"}} 3.0' in text
    assert "cchc_broker_up 1.0" in text


def test_metrics_says_the_broker_is_down(client, metrics_token, own_queue):
    previous, app.conf.broker_url = app.conf.broker_url, "redis://127.0.0.1:1/0"
    try:
        text = scrape(client, **metrics_token)
    finally:
        app.conf.broker_url = previous
    assert "cchc_broker_up 0.0" in text
    assert "cchc_celery_queue_length{" not in text
