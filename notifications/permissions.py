import rules

from core.permissions import is_administrator

# Which systems hear the province's events is an administrator's setting, like the API's tokens.
rules.add_perm("notifications.manage_webhooks", is_administrator)
