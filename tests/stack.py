"""The production stack on this machine, as deploy/ describes it: its own
PostgreSQL cluster and Redis on free ports, gunicorn (deploy/gunicorn.conf.py)
behind nginx (deploy/nginx.conf, TLS with a throw-away certificate), a Celery
worker and beat, all under config.settings.production. Used by
tests/test_stack.py and `make load` (bench/load.py). Nothing of it touches the
machine's shared PostgreSQL and Redis, so it runs beside the test suite.

Everything lives in one temporary folder; `Stack.stop` ends every process it
started, by its own id."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = 30.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(step)
    return False


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server installed (Debian keeps each under /usr/lib/postgresql/N)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


def missing() -> list[str]:
    """What this machine lacks to run the stack (`make system-packages` installs it)."""
    needs = {"PostgreSQL server": postgres_bin(), "redis-server": shutil.which("redis-server")}
    needs |= {"nginx": Path(NGINX).exists() or None, "openssl": shutil.which("openssl")}
    return [name for name, found in needs.items() if not found]


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the Debian package's user owns the cluster then.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Service:
    """A process of ours in its own session, so stopping it ends its children
    too. Supervised as systemd does with Restart=always (deploy/systemd/):
    a process that exits by itself is started again after `restart_delay`."""

    def __init__(self, name: str, command: list[str], *, env: dict, logs: Path, restart_delay: float | None = None):
        self.name, self.command, self.env, self.logs = name, command, env, logs
        self.restart_delay = restart_delay
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def _spawn(self):
        with open(self.logs / f"{self.name}.log", "ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start(self):
        self._stopping.clear()
        self._spawn()
        if self.restart_delay is not None:
            threading.Thread(target=self._supervise, daemon=True, name=f"supervise-{self.name}").start()
        return self

    def _supervise(self):
        while not self._stopping.is_set():
            process = self.process
            if process.poll() is None:
                self._stopping.wait(0.5)
                continue
            if self._stopping.wait(self.restart_delay):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                self.restarts += 1
                self._spawn()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout: float = 30.0):
        self._stopping.set()
        with self._lock:
            if not self.running:
                return
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def tail(self, lines: int = 40) -> str:
        path = self.logs / f"{self.name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


class Postgres:
    """A cluster of its own: initdb in the stack's folder, trust on 127.0.0.1."""

    def __init__(self, folder: Path, *, durable: bool):
        self.bin = postgres_bin()
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.durable = durable

    def url(self, name: str = "cchc") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _ctl(self, *args: str):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.durable:
            # A test cluster: nothing here has to outlive a power cut.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log")]
        subprocess.run(
            _as_postgres([*command, "-o", options, "-w", "-t", "60", *args]), check=True, capture_output=True
        )

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        if not self.data.exists():
            subprocess.run(
                _as_postgres(
                    [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"]
                    + ["-E", "UTF8", "--locale=C.UTF-8"]
                ),
                check=True,
                capture_output=True,
            )
        self._ctl("start")
        subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q"]
            + ["-c", "CREATE DATABASE cchc"],
            check=False,
            capture_output=True,
        )

    def restart(self):
        # Fast: open connections are cut, as when the service is restarted for an update.
        self._ctl("-m", "fast", "restart")

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", "fast", "stop")


class Redis:
    """Redis as production keeps it: an append-only file, so a restart loses no queued task."""

    def __init__(self, folder: Path, logs: Path):
        self.folder = folder
        self.port = free_port()
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(folder)]
        command += ["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""]
        self.service = Service("redis", command, env=dict(os.environ), logs=logs)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.service.start()
        assert wait_for(self._ping, 15), "redis did not start:\n" + self.service.tail()

    def restart(self):
        # SIGTERM: Redis writes its append-only file and exits, as `systemctl restart` does.
        self.service.stop()
        self.start()

    def stop(self):
        self.service.stop()


class Stack:
    """The whole deployment. `smtp_port` is the mail server the outbox delivers to."""

    def __init__(self, folder: Path, *, smtp_port: int, durable: bool = False, web_env: dict | None = None):
        self.folder = folder
        self.logs = folder / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        # nginx's workers (user nobody when started by root) read the static files and the certificate.
        folder.chmod(0o755)
        self.postgres = Postgres(folder / "postgres", durable=durable)
        self.redis = Redis(folder / "redis", self.logs)
        self.web_port, self.http_port, self.https_port = free_port(), free_port(), free_port()
        self.base_url = f"https://127.0.0.1:{self.https_port}"
        self.static_root = folder / "static"
        self.media_root = folder / "media"
        # Clients trust this one certificate (requests' `verify=`).
        self.certificate = folder / "tls.crt"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "CELERY_", "PYTEST_"))
        } | {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SIGNING_KEY_SECRET": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": self.base_url,
            "PORTAL_BASE_URL": self.base_url,
            "DATABASE_URL": self.postgres.url(),
            "REDIS_URL": self.redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "DEFAULT_FROM_EMAIL": "Cổng CCHC <cchc@example.gov.vn>",
            "MEDIA_ROOT": str(self.media_root),
            "STATIC_ROOT": str(self.static_root),
            "TRUSTED_PROXY_COUNT": "1",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_FORMAT": "plain",
            # The second factor has its own tests (tests/test_auth_security.py);
            # here the organiser logs in with a password, as the demo accounts do.
            "TWO_FACTOR_REQUIRED": "0",
            "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
            "PYTHONUNBUFFERED": "1",
        }
        self.env |= web_env or {}
        self.services: list[Service] = []

    # --- set-up ---------------------------------------------------------------
    def manage(self, *args: str, settings: str | None = None, timeout: float = 600) -> str:
        env = self.env | ({"DJANGO_SETTINGS_MODULE": settings} if settings else {})
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def shell(self, code: str, *, settings: str | None = None, **values):
        """Runs `code` in `manage.py shell`, unscoped as the system, with
        `values` (JSON) in a dict named `values`; what it prints last, as
        JSON, is returned."""
        prelude = (
            "import json\nfrom core.scoping import scopes_disabled\n"
            f"values = json.loads({json.dumps(values)!r})\nwith scopes_disabled():\n"
        )
        body = "".join(f"    {line}\n" for line in code.strip().splitlines())
        out = self.manage("shell", "--no-imports", "-c", prelude + body, settings=settings)
        return json.loads(out.strip().splitlines()[-1]) if out.strip() else None

    def prepare(self):
        """The database and the static files, as the README's deployment does."""
        self.postgres.start()
        self.redis.start()
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self._certificate()
        self._nginx_config()

    def _certificate(self):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
            + ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
            + ["-keyout", str(self.folder / "tls.key"), "-out", str(self.certificate)],
            check=True,
            capture_output=True,
        )

    def _nginx_config(self):
        nginx = self.folder / "nginx"
        nginx.mkdir(exist_ok=True)
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        for name, value in {
            "SERVER_NAME": "127.0.0.1 localhost",
            "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
            "HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
            "SSL_CERTIFICATE": str(self.certificate),
            "SSL_CERTIFICATE_KEY": str(self.folder / "tls.key"),
            "UPSTREAM": f"127.0.0.1:{self.web_port}",
            "STATIC_ROOT": str(self.static_root),
        }.items():
            site = site.replace(f"@{name}@", value)
        left = re.findall(r"@[A-Z_]+@", "".join(line.split("#")[0] for line in site.splitlines()))
        assert not left, f"{left} left in deploy/nginx.conf"
        (nginx / "cchc.conf").write_text(site)
        temp = "\n".join(
            f"    {kind}_temp_path {nginx / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # What /etc/nginx/nginx.conf gives a site on a server, around ours.
        (nginx / "nginx.conf").write_text(
            f"""daemon off;
worker_processes 1;
pid {nginx / "nginx.pid"};
error_log {self.logs / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    access_log {self.logs / "nginx-access.log"};
{temp}
    include {nginx / "cchc.conf"};
}}
"""
        )

    # --- processes --------------------------------------------------------------
    def _service(self, name: str, command: list[str]) -> Service:
        # systemd's RestartSec is 2-5 s (deploy/systemd/); 1 s here keeps the test short.
        service = Service(name, command, env=self.env, logs=self.logs, restart_delay=1.0).start()
        self.services.append(service)
        return service

    def start(self, *, worker_concurrency: int = 2):
        self.web = self._service(
            "gunicorn", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"]
        )
        self.worker = self._service(
            "worker",
            [str(BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO", f"--concurrency={worker_concurrency}"]
            + ["-n", f"stack{os.getpid()}@%h"],
        )
        self.beat = self._service(
            "beat",
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO"]
            + ["--schedule", str(self.folder / "celerybeat-schedule")],
        )
        self.nginx = self._service(
            "nginx", [NGINX, "-p", str(self.folder / "nginx"), "-c", str(self.folder / "nginx" / "nginx.conf")]
        )
        assert wait_for(self.answers, 60), self.report()

    def answers(self) -> bool:
        import requests

        response = requests.get(f"{self.base_url}/healthz", verify=self.certificate, timeout=5)
        return response.status_code == 200

    def report(self) -> str:
        return "\n".join(f"--- {s.name}\n{s.tail()}" for s in self.services + [self.redis.service])

    def stop(self):
        for service in reversed(self.services):
            service.stop()
        self.redis.stop()
        try:
            self.postgres.stop()
        except subprocess.CalledProcessError:
            pass


class _Forms(HTMLParser):
    """The forms of a page, each as the fields a browser would submit untouched."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None
        self._template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._template += 1  # a formset's empty row: a browser does not submit it
        elif tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": []})
        elif tag == "option" and self._select is not None:
            # The selected option, else the first (what a browser sends).
            if "selected" in a or self._select[1] is None:
                self._select[1] = a.get("value", "")
        elif not self.forms or self._template or not a.get("name") or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset") or (
                kind in ("checkbox", "radio") and "checked" not in a
            ):
                return
            self.forms[-1]["fields"].append((a["name"], a.get("value", "on")))
        elif tag == "select":
            self._select = [a["name"], None]
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "select" and self._select:
            self.forms[-1]["fields"].append((self._select[0], self._select[1] or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that follows <textarea>.
            self.forms[-1]["fields"].append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def page_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms
