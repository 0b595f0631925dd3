"""The national league table (every province in a year, for an index), a
province's standing over the years and among its peers, and provinces
compared. Published results: every signed-in user reads every province.

The small GET forms of these pages live here, beside the only views that
use them."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Region
from core.spreadsheets import table_xlsx
from core.tables import Column, Sorting
from core.text import fold
from core.views import xlsx_response

from .. import league as selectors

SEARCH = forms.TextInput(
    attrs={"type": "search", "placeholder": gettext_lazy("Ví dụ: lai chau"), "class": "form-control"}
)


def national_view(view):
    """A page of the published national results: any signed-in user."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("indices.view_national"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _select(choices, label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )


class LeagueFilterForm(forms.Form):
    """Index and year (what table), region and a name (which lines of it)."""

    def __init__(self, data, *, indices, years):
        super().__init__(data)
        # The parameters' names are the page's URL words, not identifiers.
        self.fields["chi-so"] = _select([(i.code, i.name) for i in indices], _("Chỉ số"))
        self.fields["nam"] = _select([(str(y), str(y)) for y in years], _("Năm"))
        self.fields["vung"] = _select([("", _("Mọi vùng")), *Region.choices], _("Vùng"))
        self.fields["q"] = forms.CharField(label=_("Tìm tỉnh, thành phố"), required=False, widget=SEARCH)


def _choice(request, name: str, allowed: list, default):
    value = request.GET.get(name, "")
    return value if value in allowed else default


def league_columns(index, year: int) -> list[Column]:
    unit = "%" if index.is_percent else ""
    return [
        Column("hang", _("Hạng"), ("rank",), css="text-center"),
        Column("tinh", _("Tỉnh, thành phố"), ("province",)),
        Column("vung", _("Vùng"), ("region",), css="d-none d-md-table-cell"),
        Column(
            "diem", _("Kết quả") + (f" ({unit})" if unit else ""), ("score",), css="text-end", descending_first=True
        ),
        Column(
            "doi-diem",
            _("Điểm so với %(year)s") % {"year": year - 1},
            ("score_change",),
            css="text-end",
            descending_first=True,
        ),
        Column(
            "doi-hang",
            _("Hạng so với %(year)s") % {"year": year - 1},
            ("rank_change",),
            css="text-end",
            descending_first=True,
        ),
    ]


# How each column sorts the (at most 63) lines, in Python: the changes are
# not columns of the database, and one order for all keeps them consistent.
SORT_VALUES = {
    "hang": lambda row: row.rank,
    "tinh": lambda row: fold(row.province.name),
    "vung": lambda row: fold(row.region_label) or None,
    "diem": lambda row: row.score,
    "doi-diem": lambda row: row.score_change,
    "doi-hang": lambda row: row.rank_change,
}


def league_table(request):
    """The table the request asks for, as shown and as exported."""
    indices = selectors.national_indices()
    index = selectors.index_from(indices, request.GET.get("chi-so", ""))
    years = selectors.years_of(index) if index else []
    year = int(_choice(request, "nam", [str(y) for y in years], str(years[0]) if years else "0"))
    data = request.GET.copy()
    if index:
        data["chi-so"] = index.code
    if years:
        data["nam"] = str(year)
    form = LeagueFilterForm(data, indices=indices, years=years)
    form.is_valid()
    region = form.cleaned_data.get("vung", "")
    search = form.cleaned_data.get("q", "")
    sorting = Sorting(request.GET, league_columns(index, year) if index else [])
    rows = selectors.league(index, year, region=region, search=search) if years else []
    if sorting.key:
        rows = sorting.sort_rows(rows, SORT_VALUES[sorting.key])
    return {
        "indices": indices,
        "index": index,
        "years": years,
        "year": year,
        "filter_form": form,
        "filtered": bool(region or search),
        "region_label": dict(Region.choices).get(region, ""),
        "sorting": sorting,
        "rows": rows,
    }


@national_view
def league(request):
    table = league_table(request)
    return render(
        request,
        "indices/league.html",
        {
            **table,
            "querystring": table["sorting"].querystring(),
            "unit_words": selectors.unit_words(table["index"]) if table["index"] else "",
            "previous_year": table["year"] - 1,
            "out_of": table["rows"][0].result.out_of if table["rows"] else None,
            "can_import": request.user.has_perm("indices.import_national"),
        },
    )


@national_view
def league_export(request):
    """The table exactly as its page shows it: the same lines in the same order."""
    table = league_table(request)
    index, year = table["index"], table["year"]
    if not table["years"]:
        raise PermissionDenied  # nothing published: the page says so, there is no file
    words = selectors.unit_words(index)
    header = [
        _("Hạng"),
        _("Tỉnh, thành phố"),
        _("Vùng"),
        _("Kết quả") + (" (%)" if index.is_percent else ""),
        _("Điểm so với %(year)s (%(unit)s)") % {"year": year - 1, "unit": words},
        _("Hạng so với %(year)s (bậc)") % {"year": year - 1},
        _("Trên tổng số"),
        _("Ghi chú"),
    ]
    rows = [
        [
            row.rank,
            row.province.name,
            row.region_label,
            row.score,
            row.score_change,
            row.rank_change,
            row.result.out_of,
            row.note,
        ]
        for row in table["rows"]
    ]
    data = table_xlsx(title=f"{index.name} {year}", header=header, rows=rows)
    return xlsx_response(data, f"bang-xep-hang-{index.code}-{year}.xlsx")


@national_view
def province_standing(request, code):
    province = selectors.province_get(code)
    indices = selectors.national_indices()
    item = selectors.standing(province, indices, request.GET.get("chi-so", ""))
    years = [line.year for line in reversed(item.lines)]
    year = int(_choice(request, "nam", [str(y) for y in years], str(years[0]) if years else "0"))
    return render(
        request,
        "indices/province_standing.html",
        {
            "province": province,
            "standing": item,
            "merged_on": selectors.merger_day(item.predecessors[0]) if item.predecessors else None,
            "index": item.index,
            "lines": list(reversed(item.lines)),
            "years": years,
            "year": year,
            "chart": selectors.standing_chart(item),
            "peers": selectors.peers(province, item.index, year) if years else None,
            "unit_words": selectors.unit_words(item.index) if item.index else "",
        },
    )


class CompareForm(forms.Form):
    """The provinces compared; the index is a plain select beside it."""

    def __init__(self, data, *, groups):
        super().__init__(data)
        self.fields["tinh"] = forms.MultipleChoiceField(
            label=_("Tỉnh, thành phố (chọn hai trở lên)"),
            help_text=_(
                "Trên máy tính: giữ phím Ctrl (Cmd trên máy Mac) để chọn thêm. Trên điện thoại: chạm từng tỉnh."
            ),
            choices=[(label, [(p.code, _label(p)) for p in provinces]) for label, provinces in groups],
            required=False,
            widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 10}),
        )


def _label(province) -> str:
    if province.successor_id:
        return _("%(name)s (đã hợp nhất vào %(successor)s)") % {
            "name": province.name,
            "successor": province.successor.name,
        }
    return province.name


@national_view
def compare(request):
    indices = selectors.national_indices()
    index = selectors.index_from(indices, request.GET.get("chi-so", ""))
    provinces = selectors.provinces_named(request.GET.getlist("tinh"))
    data = request.GET.copy()
    if index:
        data["chi-so"] = index.code
    form = CompareForm(data, groups=selectors.provinces_by_region())
    found = selectors.comparison(provinces, index) if index and len(provinces) >= 2 else None
    years = list(reversed(found.years)) if found else []
    year = int(_choice(request, "nam", [str(y) for y in years], str(years[0]) if years else "0"))
    return render(
        request,
        "indices/compare.html",
        {
            "form": form,
            "indices": indices,
            "index": index,
            "provinces": provinces,
            "found": found,
            "rows": _comparison_rows(found) if found else [],
            "years": years,
            "year": year,
            "chart": selectors.comparison_chart(found, index) if found else "",
            "scatter": selectors.scatter_chart(found, index, year) if found and years else "",
            "colours": selectors.legend(provinces),
        },
    )


def _comparison_rows(found) -> list[dict]:
    """Latest year first, a cell per province (None where it has no result)."""
    return [
        {"year": year, "cells": [(p, found.cells.get((p.pk, year))) for p in found.provinces]}
        for year in reversed(found.years)
    ]
