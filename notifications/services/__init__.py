"""What other apps call (deadlines, messages) and what the worker runs (the
sweep and the sender). Callers use this package's names."""

from .deadlines import (
    DEFAULT_POLICY,
    Deadline,
    Recipient,
    deadline_done,
    deadline_done_scope,
    deadline_set,
    deadlines_set,
    policy_for,
    policy_save,
    remind_now,
)
from .outbox import mark_read, message_resend, notify, preference_set
from .sweep import deliver, dispatch_after_commit, run_sweep, send_steps

__all__ = [
    "DEFAULT_POLICY",
    "Deadline",
    "Recipient",
    "deadline_done",
    "deadline_done_scope",
    "deadline_set",
    "deadlines_set",
    "deliver",
    "dispatch_after_commit",
    "mark_read",
    "message_resend",
    "notify",
    "policy_for",
    "policy_save",
    "preference_set",
    "remind_now",
    "run_sweep",
    "send_steps",
]
