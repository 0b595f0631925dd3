"""How the OpenAPI schema describes the API's two ways in."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
