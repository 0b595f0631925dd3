"""Which settings a process uses. A deployment names them in its environment
file (README "Deployment": /etc/cchc/cchc.env, linked as the project's .env),
which the settings read too late to choose themselves: read it first, so that
`manage.py migrate` on the server gets the production settings the units get.
The process's own environment still wins over the file; CCHC_ENV_FILE names
another file."""

import os
from pathlib import Path

import environ


def env_file() -> Path:
    return Path(os.environ.get("CCHC_ENV_FILE") or Path(__file__).resolve().parent.parent / ".env")


def choose_settings(default: str) -> None:
    if env_file().exists():
        environ.Env.read_env(str(env_file()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
