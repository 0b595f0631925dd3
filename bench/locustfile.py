"""The users of `make load` (bench/load.py starts locust on this file).

`Reader`: a logged-in organiser, leader or official (a session made for them
beforehand, bench/load.py) who opens one of the main pages of their role,
reads it for 1 to 3 seconds and opens the next. `LoginFlood`: a script
posting wrong passwords to the login page as fast as it is answered.

Locust's own statistics mix both kinds, so what is measured is recorded here:
every Reader request after all users are spawned, written as JSON to
LOAD_RESULT when locust quits. Loopback only: the plan's base URL is the
stack's nginx on 127.0.0.1."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, constant_throughput, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
FLOOD = "login-flood"
_sessions = itertools.cycle(PLAN["sessions"])
_measured: dict = {"since": None, "times": [], "names": [], "errors": [], "flood": {}}


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    _measured["since"] = time.monotonic()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, response=None, **kwargs):
    if _measured["since"] is None:
        return  # the ramp is not measured
    if name == FLOOD:
        key = str(response.status_code) if response is not None and response.status_code else "refused"
        _measured["flood"][key] = _measured["flood"].get(key, 0) + 1
        return
    _measured["times"].append(response_time)
    _measured["names"].append(name)
    if exception is not None:
        _measured["errors"].append(f"{name}: {exception}"[:200])


@events.quitting.add_listener
def _write(environment, **kwargs):
    since = _measured["since"] or time.monotonic()
    result = {
        "seconds": time.monotonic() - since,
        "times": _measured["times"],
        "names": _measured["names"],
        "errors": _measured["errors"],
        "flood": _measured["flood"],
    }
    with open(os.environ["LOAD_RESULT"], "w") as out:
        json.dump(result, out)


def _loopback(client):
    client.verify = PLAN["certificate"]
    client.trust_env = False  # no proxy from the environment: the stack is on 127.0.0.1


class Reader(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        _loopback(self.client)
        session = next(_sessions)
        self.pages = session["pages"]
        self.client.cookies.set(PLAN["cookie"], session["key"], domain="127.0.0.1", path="/")

    @task
    def open_page(self):
        path, name = random.choice(self.pages)
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            # A redirect here means the session was lost (to the login page).
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class LoginFlood(HttpUser):
    """Wrong passwords for the demo accounts and for names that do not exist:
    each script 5 tries a second, as fast as it is answered. Bounded, so the load
    generator (on the same two cores) measures the portal, not its own loop."""

    wait_time = constant_throughput(5)
    fixed_count = int(os.environ.get("LOAD_FLOOD_USERS", "20"))

    def on_start(self):
        _loopback(self.client)
        page = self.client.get("/tai-khoan/dang-nhap/", name="login-page")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.token = found.group(1) if found else ""
        self.names = [*PLAN["usernames"], *(f"khongco{i}" for i in range(20))]

    @task
    def wrong_password(self):
        data = {
            "username": random.choice(self.names),
            "password": f"sai-{random.randrange(10**6)}",
            "csrfmiddlewaretoken": self.token,
        }
        referer = {"Referer": self.host + "/tai-khoan/dang-nhap/"}
        with self.client.post(
            "/tai-khoan/dang-nhap/", data=data, headers=referer, name=FLOOD, catch_response=True
        ) as response:
            response.success()  # refused either way; counted by status in _record
