"""How every app hands out a stored private file (a presentation, an evidence
file): always as an attachment, never rendered inline, under its original
Vietnamese name (RFC 5987 `filename*`, which Django writes), with nosniff and
a sandboxing CSP in case a browser renders it anyway."""

from django.http import FileResponse


def private_attachment(field, name: str, content_type: str | None = None) -> FileResponse:
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
