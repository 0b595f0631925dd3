from .audit import RequestContext, client_ip
from .scoping import user_scope


class ScopeMiddleware:
    """Every request runs in its user's province scope (see core.scoping),
    and the audit rows it writes carry its client's address. Placed after
    the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with RequestContext(client_ip(request)), user_scope(request.user):
            return self.get_response(request)
