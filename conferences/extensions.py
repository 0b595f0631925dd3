"""Where apps built on conferences add to its pages and documents.

Conferences must not import the apps above it (submissions, later others),
yet its pages show their panels and its plan prints their appendix. Those
apps register here in their AppConfig.ready(); conferences only calls what
was registered."""

from __future__ import annotations

from collections.abc import Callable

# place -> callables (conference, user) -> {"template": ..., **context} or None
_panels: dict[str, list[Callable]] = {"detail": [], "board": []}
_presentation_rows: list[Callable] = []
# Called with the conference once it is held (or cancelled): what was owed
# for the day itself is over.
_day_over: list[Callable] = []


def register_panel(place: str, panel: Callable) -> None:
    if panel not in _panels[place]:
        _panels[place].append(panel)


def panels(place: str, *, conference, user) -> list[dict]:
    return [p for p in (panel(conference, user) for panel in _panels[place]) if p]


def register_presentation_rows(provider: Callable) -> None:
    _presentation_rows[:] = [provider]


def presentation_rows(conference) -> list[tuple[str, str]]:
    return _presentation_rows[0](conference) if _presentation_rows else []


def register_day_over(callback: Callable) -> None:
    if callback not in _day_over:
        _day_over.append(callback)


def day_over(conference) -> None:
    for callback in _day_over:
        callback(conference)
