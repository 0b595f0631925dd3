"""How the OpenAPI schema describes the API's two ways in."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    # Listed first on the reference page ("Authorize" shows schemes by name).
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cchc_…",
            "description": (
                "Mã truy cập do quản trị cấp cho từng hệ thống (theo tỉnh, phạm vi đọc, hạn dùng). "
                "A token issued by an administrator per system (province, read scopes, expiry)."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PortalSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class PortalAutoSchema(AutoSchema):
    """Each operation says which token scope reads it."""

    def get_description(self):
        description = super().get_description()
        scope = getattr(self.view, "api_scope", "")
        if not scope:
            return description
        return f"{description}\n\nPhạm vi của mã / token scope: `{scope}`".strip()
