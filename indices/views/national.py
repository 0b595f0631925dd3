"""The province's national results (entered one by one or imported as a
table), and the score import of a framework: upload → preview with every
problem by cell → confirm. The file is read once, at upload; its rows wait
in storage under a signed token (core.storage) and nothing is written
before the confirmation, which checks the rows again against the data as
it is then."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exceptions import ImportFileError, Refused
from core.spreadsheets import decode_rows, encode_rows, first_sheet_rows, table_rows
from core.storage import discard, stash_upload, unstash_upload
from core.views import call_service, show_refusal, xlsx_response

from .. import analysis, excel, forms, national_sheet, selectors, services
from .. import national_table as published
from ..models import Score
from ._base import here, province_view

EXPIRED = _("Phiên nhập đã hết hạn hoặc tệp đã được nhập: hãy chọn lại tệp.")


@province_view("indices.view_province")
def national(request, province, pk=None):
    instance = selectors.national_result_get(province=province, pk=pk) if pk else None
    form = forms.NationalResultForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if not request.user.has_perm("indices.organise", province):
            raise PermissionDenied
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in ("year", "index", "score", "rank", "out_of", "source")}
            outcome = call_service(
                request,
                services.national_result_save,
                actor=request.user,
                province=province,
                values=values,
                instance=instance,
                form=form,
                done=_("Đã lưu kết quả công bố."),
            )
            if outcome.ok:
                return redirect(here(request, province, "indices:national"))
    return render(
        request,
        "indices/national.html",
        {
            "province": province,
            "form": form,
            "editing": instance,
            "results": selectors.national_results(province),
            "summary": analysis.national_sentence(province),
            "region_summary": analysis.region_sentence(province),
            "can_organise": request.user.has_perm("indices.organise", province),
        },
    )


@province_view("indices.view_province")
def national_table(request, province):
    return xlsx_response(national_sheet.workbook(province), national_sheet.filename(province))


def _stash_rows(rows: list[list], **signed) -> str:
    return stash_upload(json.dumps(encode_rows(rows), ensure_ascii=False).encode(), **signed)


def _confirm(request, *, purpose: str, scope: list, back: str, service, extra_names=("round",), **arguments):
    """The second step of an import: the rows stashed at upload, written by
    `service` or refused (they are not kept either way). What was chosen
    with the file (`extra`, signed with it) goes to the service by name."""
    stashed = unstash_upload(request.POST["token"], purpose=purpose, owner=request.user.pk, scope=scope)
    if stashed is None:
        messages.error(request, EXPIRED)
        return None, redirect(back)
    data, name, extra = stashed
    try:
        rows = decode_rows(json.loads(data))
    except ValueError:
        discard(name)  # not rows (a file stashed by an older version): upload again
        messages.error(request, EXPIRED)
        return None, redirect(back)
    try:
        result = service(
            actor=request.user, rows=rows, **arguments, **dict(zip(extra_names, extra or (), strict=False))
        )
    except (Refused, ImportFileError, PermissionDenied) as error:
        if isinstance(error, PermissionDenied):
            raise
        show_refusal(request, error if isinstance(error, Refused) else Refused(str(error)))
        return None, redirect(back)
    finally:
        discard(name)  # imported, or refused once and so refused again: nothing to keep it for
    return (result, extra), None


def _table_import(request, *, only, back: str, done: str, template: str, context: dict):
    """Upload → preview → confirm of a national table, for one province
    (`only`, its own page) or for all."""
    form, preview, token = forms.NationalImportForm(), None, ""
    scope = [only.pk if only else 0]
    if request.method == "POST" and "token" in request.POST:
        result, refused = _confirm(
            request,
            purpose="indices-national",
            scope=scope,
            back=back,
            service=services.national_table_import,
            extra_names=("year", "index"),
            only=only,
        )
        if refused:
            return refused
        preview = result[0]
        counts = preview.counts
        messages.success(
            request,
            _("Đã nhập bảng kết quả: %(created)s kết quả mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
            % {"created": counts["create"], "updated": counts["update"], "unchanged": counts["unchanged"]},
        )
        return redirect(done(preview) if callable(done) else done)
    if request.method == "POST":
        form = forms.NationalImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            year, index = form.cleaned_data["year"], form.cleaned_data["index"] or None
            try:
                upload.seek(0)
                rows = table_rows(upload.name, upload.read())
                preview = published.read(rows, year=year, index=index, only=only)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if preview.ok:
                    token = _stash_rows(
                        rows, purpose="indices-national", owner=request.user.pk, scope=scope, extra=[year, index]
                    )
    return render(request, template, {**context, "form": form, "preview": preview, "token": token})


def _league_of(preview) -> str:
    """The league table just imported: its index and its latest year."""
    latest = max(preview.rows, key=lambda row: row.year)
    return reverse("indices:league") + "?" + urlencode({"chi-so": latest.index, "nam": latest.year})


@province_view("indices.organise")
def national_import(request, province):
    """The province's own results as a table: a line of another province is refused."""
    return _table_import(
        request,
        only=province,
        back=here(request, province, "indices:national-import"),
        done=here(request, province, "indices:national"),
        template="indices/national_import.html",
        context={"province": province, "template_url": here(request, province, "indices:national-table")},
    )


@login_required
def league_import(request):
    """Every province's results as the Ministry publishes them."""
    if not request.user.has_perm("indices.import_national"):
        raise PermissionDenied
    return _table_import(
        request,
        only=None,
        back=reverse("indices:league-import"),
        done=_league_of,
        template="indices/league_import.html",
        context={},
    )


@province_view("indices.organise")
def import_results(request, province, pk):
    framework = selectors.framework_get(user=request.user, pk=pk)
    form, preview, token = forms.ImportForm(), None, ""
    scope = [province.pk, framework.pk]
    if request.method == "POST" and "token" in request.POST:
        done, refused = _confirm(
            request,
            purpose="indices-import",
            scope=scope,
            back=here(request, province, "indices:import", framework.pk),
            service=services.scores_import,
            framework=framework,
            province=province,
        )
        if refused:
            return refused
        result, (round,) = done
        messages.success(
            request,
            _("Đã nhập %(cells)s điểm của %(agencies)s đơn vị.")
            % {"cells": result.cells, "agencies": len(result.rows)},
        )
        suffix = "?vong=tu-danh-gia" if round == Score.Round.SELF else ""
        return redirect(reverse("indices:ranking", args=[framework.pk]) + suffix)
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            round = form.cleaned_data["round"]
            try:
                rows = first_sheet_rows(form.cleaned_data["file"].read())
                preview = excel.read_rows(framework, province, rows, round=round)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if preview.ok:
                    token = _stash_rows(
                        rows, purpose="indices-import", owner=request.user.pk, scope=scope, extra=[round]
                    )
    return render(
        request,
        "indices/import.html",
        {
            "framework": framework,
            "province": province,
            "form": form,
            "preview": preview,
            "token": token,
            "template_url": here(request, province, "indices:template", framework.pk),
        },
    )
