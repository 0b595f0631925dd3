"""The two errors every app shares. A service refuses a change with
`Refused`, whose reasons are Vietnamese sentences shown to the user as they
are; a reader of an uploaded file that cannot be read at all raises
`ImportFileError` (a file with bad rows is not an error: its problems are
listed row by row)."""


class Refused(Exception):
    """A change not allowed now; `reasons` say why, in Vietnamese."""

    def __init__(self, *reasons: str):
        self.reasons = [str(r) for r in reasons]
        super().__init__("; ".join(self.reasons))


class ImportFileError(Exception):
    """The uploaded file as a whole cannot be read; the message says why, in Vietnamese."""
