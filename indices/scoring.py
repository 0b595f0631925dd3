"""Reading scores as people type them and checking them against a
criterion's maximum: pure functions, shared by the forms, the imports and
the services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.formatting import vn_number
from core.spreadsheets import CellError

from .models import Criterion


def parse_score(raw, places: int = 2) -> Decimal | None:
    """A score as people type it: "85,97", "85.97", 85.97; blank is None.
    Raises ValueError with the Vietnamese reason. `places`: the decimals
    the figure may have (a national index such as DTI publishes four)."""
    if isinstance(raw, CellError):
        raise ValueError(_("ô có lỗi công thức %(value)s: sửa công thức hoặc ghi điểm vào ô.") % {"value": raw})
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(_("“%(value)s” không phải là số.") % {"value": raw})
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if isinstance(raw, str) and "," in text:
        if "." in text:  # "1.234,5": dots group thousands
            text = text.replace(".", "")
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” không phải là số.") % {"value": raw}) from None
    if not value.is_finite():
        raise ValueError(_("“%(value)s” không phải là số.") % {"value": raw})
    rounded = value.quantize(Decimal(1).scaleb(-places))
    # Excel stores 85.97 as 85.969999999999999: a float is rounded, typed text is not.
    if not isinstance(raw, float) and rounded != value:
        if places == 2:
            raise ValueError(_("“%(value)s” có quá hai chữ số thập phân.") % {"value": raw})
        raise ValueError(_("“%(value)s” có quá %(places)s chữ số thập phân.") % {"value": raw, "places": places})
    return rounded


def check_score(value: Decimal, criterion: Criterion) -> str:
    """'' when 0 ≤ value ≤ maximum, else the reason."""
    if value < 0:
        return _("Điểm không được âm.")
    if value > criterion.maximum:
        return _("Điểm %(value)s vượt điểm tối đa %(maximum)s của tiêu chí %(code)s.") % {
            "value": vn_number(value, 2),
            "maximum": vn_number(criterion.maximum, 2),
            "code": criterion.code,
        }
    return ""
