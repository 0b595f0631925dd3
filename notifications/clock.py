"""The time the reminders run on. One function, so tests (and the sweep's
`now` argument) move time instead of waiting for it."""

from django.utils import timezone


def now():
    return timezone.now()
