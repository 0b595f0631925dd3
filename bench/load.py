"""`make load`: the portal under many logged-in users, as a benchmark, not a
test. It boots the production stack on this machine (tests/stack.py: nginx,
gunicorn with deploy/gunicorn.conf.py, a Celery worker and beat, its own
PostgreSQL and Redis on free ports, loopback only), loads the demo data,
makes a session for each simulated user, and runs locust headless against
nginx (bench/locustfile.py):

1. a short warm-up (not reported);
2. 50 users for LOAD_SECONDS (default 60);
3. the same 50 users while 20 scripts post wrong passwords (up to 100 a
   second), in slices alternating with step 2;
4. 200 users for LOAD_SECONDS.

Each figure prints as `name: value unit`, with its reference where it has
one. Targets on the project's 2-core machines, with locust on the same
cores: 50 users p95 ≤ 300 ms and no error; 200 users no error; the login
flood moves the others' p95 by at most 20 %. The machine's load average is
printed with them: figures taken while other work runs are not comparable."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.smtp_server import SMTPServer  # noqa: E402
from tests.stack import BIN, Stack, missing  # noqa: E402

# The demo accounts (demo/directory.py) by role, and how the simulated users
# are shared between roles: mostly agency officials, as in a province.
ACCOUNTS = {
    "organiser": ["langson.noivu", "laichau.noivu", "laocai.noivu"],
    "leader": ["langson.lanhdao", "laichau.lanhdao", "laocai.lanhdao"],
    "official": [
        "langson.taichinh",
        "laichau.taichinh",
        "laocai.taichinh",
        "langson.tamthanh",
        "laichau.tanphong",
        "laocai.laocai",
    ],
}
SHARE = {"organiser": 0.3, "leader": 0.1, "official": 0.6}
# The flood: scripts posting wrong passwords (bench/locustfile.py LoginFlood).
FLOOD = 20
SLICES = 3
REFERENCES = {
    "load_50_p95": (300, "ms"),
    "load_50_errors": (0, "errors"),
    "load_200_errors": (0, "errors"),
    "login_flood_p95_change": (20, "%"),
}

# One session per simulated user, made as a login makes it (without the
# password hash: the flood is where logins are measured).
SESSIONS = """
from django.conf import settings
from django.test import Client
from agencies.models import User
out = {}
for username, count in values["wanted"].items():
    user = User.objects.get(username=username)
    out[username] = []
    for _ in range(count):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        out[username].append(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": out}))
"""


def _first(html: str, pattern: str) -> str | None:
    found = re.search(pattern, html)
    return found.group(0) if found else None


def discover_pages(stack: Stack, cookie: str, key: str, role: str) -> list[tuple[str, str]]:
    """The main pages of a role, found from its own pages as a person would
    (its province's conference, ranking, invitation), each checked to answer 200."""
    import requests

    session = requests.Session()
    session.verify, session.trust_env = str(stack.certificate), False
    session.cookies.set(cookie, key, domain="127.0.0.1", path="/")

    def get(path):
        return session.get(stack.base_url + path, allow_redirects=False, timeout=60)

    pages = ["/", "/thong-bao/", "/danh-ba/"]
    if role == "official":
        invitations = get("/giay-moi/").text
        pages += ["/giay-moi/", _first(invitations, r"/giay-moi/\d+/(?=\")"), "/nhiem-vu/", "/tham-luan/"]
    else:
        conference = _first(get("/hoi-nghi/").text, r"/hoi-nghi/\d+/(?=\")")
        pages += ["/hoi-nghi/", conference, conference and conference + "theo-doi/", "/van-ban/"]
    pages.append(_first(get("/chi-so/").text, r"/chi-so/bo/\d+/xep-hang/"))
    found = []
    for path in filter(None, pages):
        status = get(path).status_code
        if status == 200:
            found.append((path, re.sub(r"\d+", "[id]", path)))
        else:
            print(f"load: {role} is answered {status} at {path}; not among its pages", flush=True)
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))] if ordered else 0.0


def _locust(stack: Stack, plan: Path, folder: Path, name: str, *, users: int, seconds: int, classes: list[str]):
    result = folder / f"{name}.json"
    result.unlink(missing_ok=True)
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary"]
    command += ["--host", stack.base_url, "-u", str(users), "-r", str(max(10, users // 4)), "-t", f"{seconds}s"]
    command += ["--stop-timeout", "10", "--loglevel", "WARNING", *classes]
    env = dict(os.environ, LOAD_PLAN=str(plan), LOAD_RESULT=str(result), LOAD_FLOOD_USERS=str(users))
    with open(folder / "locust.log", "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, result


def run_locust(stack: Stack, plan: Path, folder: Path, *, users: int, seconds: int, flood: int = 0) -> dict:
    """One locust run; what the Readers measured after the ramp (bench/locustfile.py).
    The flood, when there is one, is a locust process of its own, as an
    attacker is another client: it does not slow the Readers' own loop."""
    if flood:
        attack, attack_result = _locust(
            stack, plan, folder, "flood", users=flood, seconds=seconds + 4, classes=["LoginFlood"]
        )
        time.sleep(2)
    readers, result = _locust(stack, plan, folder, "readers", users=users, seconds=seconds, classes=["Reader"])
    readers.wait(timeout=seconds + 120)
    data = json.loads(result.read_text())
    if flood:
        attack.wait(timeout=seconds + 120)
        data["flood"] = json.loads(attack_result.read_text())["flood"]
    return data


def figures(*runs: dict) -> dict:
    """Throughput, percentiles and errors over one run or several pooled."""
    times = [t for run in runs for t in run["times"]]
    names = [n for run in runs for n in run["names"]]
    seconds = sum(run["seconds"] for run in runs)
    pages: dict[str, list[float]] = {}
    for name, value in zip(names, times, strict=True):
        pages.setdefault(name, []).append(value)
    flood: dict[str, int] = {}
    for run in runs:
        for status, count in run["flood"].items():
            flood[status] = flood.get(status, 0) + count
    errors = [e for run in runs for e in run["errors"]]
    return {
        "throughput": len(times) / seconds if seconds else 0.0,
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "errors": len(errors),
        "samples": errors[:3],
        "pages": {name: (percentile(v, 0.5), percentile(v, 0.95), len(v)) for name, v in sorted(pages.items())},
        "flood": flood,
        "seconds": seconds,
    }


def report(name: str, value: float, unit: str):
    if name in REFERENCES:
        reference, _ = REFERENCES[name]
        verdict = "ok" if value <= reference else "MISSES THE TARGET"
        print(f"{name}: {value:.0f} {unit}  (reference ≤ {reference} {unit}: {verdict})", flush=True)
    else:
        print(f"{name}: {value:.1f} {unit}", flush=True)


def report_run(prefix: str, figures: dict):
    report(f"{prefix}_throughput", figures["throughput"], "req/s")
    for share in ("p50", "p95", "p99"):
        report(f"{prefix}_{share}", figures[share], "ms")
    report(f"{prefix}_errors", figures["errors"], "errors")
    for sample in figures["samples"]:
        print(f"  e.g. {sample}")


def report_pages(figures: dict):
    for name, (p50, p95, count) in figures["pages"].items():
        print(f"  {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms ({count} requests)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", "60")))
    parser.add_argument(
        "--only", type=int, metavar="USERS", help="one run of USERS users, e.g. to compare GUNICORN_WORKER_CLASS=sync"
    )
    args = parser.parse_args()
    if missing():
        raise SystemExit(f"Missing: {', '.join(missing())} (make system-packages)")

    folder = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    with SMTPServer() as smtp:
        # Durable: the database writes as a server's does (fsync on).
        stack = Stack(folder, smtp_port=smtp.port, durable=True)
        try:
            started = time.monotonic()
            stack.prepare()
            stack.manage("seed_demo", settings="config.settings.local")
            stack.start()
            roles = {u: role for role, names in ACCOUNTS.items() for u in names}
            wanted = {}
            for role, names in ACCOUNTS.items():
                count = -(-int(200 * SHARE[role]) // len(names))
                wanted |= {name: count for name in names}
            made = stack.shell(SESSIONS, wanted=wanted)
            pages = {
                u: discover_pages(stack, made["cookie"], keys[0], roles[u]) for u, keys in made["sessions"].items()
            }
            # Interleaved, so any first 50 users have every role in its share.
            sessions, by_role = [], {role: [] for role in ACCOUNTS}
            for username, keys in made["sessions"].items():
                by_role[roles[username]] += [{"key": k, "pages": pages[username]} for k in keys]
            while any(by_role.values()):
                for role, share in SHARE.items():
                    for _ in range(round(share * 10)):
                        if by_role[role]:
                            sessions.append(by_role[role].pop())
            plan = folder / "plan.json"
            plan.write_text(
                json.dumps(
                    {
                        "certificate": str(stack.certificate),
                        "cookie": made["cookie"],
                        "sessions": sessions,
                        "usernames": list(roles),
                    }
                )
            )
            print(f"load: stack ready in {time.monotonic() - started:.0f} s; {folder}", flush=True)
            print(f"load: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before the runs", flush=True)
            kind = stack.env.get("GUNICORN_WORKER_CLASS", "gthread")
            workers, threads = stack.env.get("GUNICORN_WORKERS", "3"), stack.env.get("GUNICORN_THREADS", "4")
            print(f"load: gunicorn {kind} {workers} workers × {threads} threads behind nginx", flush=True)

            run_locust(stack, plan, folder, users=20, seconds=15)  # warm-up: templates, connections
            if args.only:
                only = figures(run_locust(stack, plan, folder, users=args.only, seconds=args.seconds))
                report_run(f"load_{args.only}", only)
                return
            # 50 users alone and 50 users beside the flood, in alternating
            # slices, so the machine's other work weighs on both alike.
            alone, flooded = [], []
            for _ in range(SLICES):
                alone.append(run_locust(stack, plan, folder, users=50, seconds=args.seconds // SLICES))
                flooded.append(run_locust(stack, plan, folder, users=50, seconds=args.seconds // SLICES, flood=FLOOD))
            base, during = figures(*alone), figures(*flooded)
            report_run("load_50", base)
            report_pages(base)
            report("login_flood_others_p95", during["p95"], "ms")
            change = (during["p95"] - base["p95"]) / base["p95"] * 100 if base["p95"] else 0.0
            report("login_flood_p95_change", max(change, 0.0), "%")
            report("login_flood_others_errors", during["errors"], "errors")
            report("login_flood_attempts", sum(during["flood"].values()) / during["seconds"], "req/s")
            print(f"  flood answers by status: {dict(sorted(during['flood'].items()))}")
            slices = " / ".join(
                f"{figures(a)['p95']:.0f}, {figures(f)['p95']:.0f}" for a, f in zip(alone, flooded, strict=True)
            )
            print(f"  p95 per slice, alone and beside the flood: {slices} ms")
            heavy = figures(run_locust(stack, plan, folder, users=200, seconds=args.seconds))
            report_run("load_200", heavy)
            print(f"load: load average {os.getloadavg()[0]:.2f} after the runs", flush=True)
        finally:
            stack.stop()
            if not os.environ.get("LOAD_KEEP"):
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
