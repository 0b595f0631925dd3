"""Thin views: pick the province and the rows the user may see, call one
service, show its refusal or go on. The analysis itself is in selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Province
from agencies.permissions import can_organise, can_see_province_work
from core.exceptions import ImportFileError, Refused
from core.storage import private_attachment
from core.views import show_refusal

from . import analysis, drafting, excel, forms, loading, national_sheet, selectors, services
from .models import Assessment, Framework, NationalResult, Publication, Score

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RANKING_PAGE = 100


def _province(request) -> Province:
    """The user's province; an administrator picks one (?tinh=code)."""
    user = request.user
    if user.is_administrator:
        code = request.GET.get("tinh") or request.POST.get("tinh")
        province = (Province.objects.filter(code=code).first() if code else None) or Province.objects.order_by(
            "name"
        ).first()
        if province is None:
            raise Http404
        return province
    if user.province is None:
        raise PermissionDenied
    return user.province


def _organiser(request, province) -> None:
    if not can_organise(request.user, province.pk):
        raise PermissionDenied


def _round(request) -> str:
    return Score.Round.SELF if request.GET.get("vong") == "tu-danh-gia" else Score.Round.APPRAISED


def _stash(request, data: bytes, purpose: str, scope: list, *extra) -> str:
    """Keep an uploaded file between its preview and the confirmation: in
    storage (which every web machine shares), named by a signed token that
    also names who previewed it and for what (province, framework), so it
    can only be confirmed there, by them."""
    name = default_storage.save(f"indices/imports/{get_random_string(24)}.upload", ContentFile(data))
    return signing.dumps([name, request.user.pk, scope, *extra], salt=purpose)


def _unstash(request, token: str, purpose: str, scope: list) -> tuple[bytes, str, list] | None:
    """(data, storage name, extra) of a stashed upload; None once it expired,
    was used (a second click on the confirmation) or belongs elsewhere."""
    try:
        name, user_pk, stashed_scope, *extra = signing.loads(token, salt=purpose, max_age=3600)
        if user_pk != request.user.pk or stashed_scope != scope:
            return None
        with default_storage.open(name, "rb") as handle:
            return handle.read(), name, extra
    except (signing.BadSignature, FileNotFoundError, ValueError):
        return None


def _here(request, province, name: str, *args) -> str:
    """A page of this app for the province on view: an administrator's ?tinh= goes along."""
    url = reverse(name, args=args)
    return f"{url}?tinh={province.code}" if request.user.is_administrator else url


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def home(request):
    province = _province(request)
    user = request.user
    year_groups: dict[int, list] = {}
    for framework in selectors.frameworks_for(user).order_by("-year", "index", "subject"):
        year_groups.setdefault(framework.year, []).append(framework)
    counts = selectors.assessment_counts(province, visible=selectors.visible_assessments(user))
    return render(
        request,
        "indices/home.html",
        {
            "province": province,
            "provinces": Province.objects.order_by("name") if user.is_administrator else None,
            "year_groups": sorted(year_groups.items(), reverse=True),
            "counts": counts,
            "national": analysis.national_table(province),
            "summary_year": analysis.latest_national_year(province),
            "summary": analysis.national_sentence(province),
            "national_chart": analysis.national_chart(province),
            "can_organise": can_organise(user, province.pk),
            "own": selectors.own_assessments(user),
        },
    )


@login_required
def framework_detail(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    user = request.user
    if not can_see_province_work(user) and not selectors.frameworks_for(user).filter(pk=pk).exists():
        raise Http404
    return render(
        request,
        "indices/framework_detail.html",
        {
            "framework": framework,
            "province": province,
            "tree": selectors.tree(framework),
            "can_organise": can_organise(user, province.pk),
            "open_form": forms.OpenForm(),
            "status_counts": selectors.status_counts(framework, province),
            "assessments": selectors.visible_assessments(user)
            .filter(framework=framework, agency__province=province)
            .select_related("agency")
            .order_by("agency__kind", "agency__name"),
            "tab": "framework",
        },
    )


@login_required
def ranking(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    round = _round(request)
    visible = selectors.visible_assessments(request.user)
    if not can_see_province_work(request.user):
        visible = visible.filter(status=Assessment.Status.PUBLISHED)
        round = Score.Round.APPRAISED
    page = Paginator(selectors.ranking(framework, province, round=round, assessments=visible), RANKING_PAGE).get_page(
        request.GET.get("page")
    )
    context = analysis.ranking_page(framework, province, list(page.object_list), round=round, visible=visible)
    return render(
        request,
        "indices/ranking.html",
        {
            **context,
            "framework": framework,
            "province": province,
            "page_obj": page,
            "round": round,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "self_round": round == Score.Round.SELF,
            "can_organise": can_organise(request.user, province.pk),
            "querystring": "vong=tu-danh-gia" if round == Score.Round.SELF else "",
            "tab": "ranking",
            "status_counts": selectors.status_counts(framework, province),
            "publication": Publication.objects.filter(
                province=province, year=framework.year, frameworks=framework
            ).first(),
        },
    )


@login_required
def analysis_page(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    if not can_see_province_work(request.user):
        raise PermissionDenied
    return render(
        request,
        "indices/analysis.html",
        {
            **analysis.framework_analysis(framework, province),
            "framework": framework,
            "province": province,
            "can_organise": can_organise(request.user, province.pk),
            "tab": "analysis",
        },
    )


@login_required
def export(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    if not can_see_province_work(request.user):
        raise PermissionDenied
    data = excel.workbook(framework, province, with_results=True, round=_round(request))
    return _xlsx(data, excel.filename(framework, province, with_results=True))


@login_required
def framework_xlsx(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    return _xlsx(loading.framework_xlsx(framework), f"bo-chi-so-{framework.code.lower()}-{framework.year}.xlsx")


@login_required
def template(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    _organiser(request, province)
    return _xlsx(
        excel.workbook(framework, province, with_results=False), excel.filename(framework, province, with_results=False)
    )


@login_required
def import_results(request, pk):
    """Upload → preview with every problem by cell → confirm. The file waits in
    storage under a signed token between the two steps; nothing is written
    before the confirmation, and the confirmation checks the file again."""
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    _organiser(request, province)
    form, preview, token = forms.ImportForm(), None, ""
    if request.method == "POST" and "token" in request.POST:
        stashed = _unstash(request, request.POST["token"], "indices-import", [province.pk, framework.pk])
        if stashed is None:
            messages.error(request, _("Phiên nhập đã hết hạn hoặc tệp đã được nhập: hãy chọn lại tệp."))
            return redirect(_here(request, province, "indices:import", framework.pk))
        data, name, (round,) = stashed
        try:
            result = excel.apply(actor=request.user, framework=framework, province=province, data=data, round=round)
        except (Refused, ImportFileError) as error:
            default_storage.delete(name)  # refused once, refused again: nothing to keep it for
            show_refusal(request, error if isinstance(error, Refused) else Refused(str(error)))
            return redirect(_here(request, province, "indices:import", framework.pk))
        default_storage.delete(name)
        messages.success(
            request,
            _("Đã nhập %(cells)s điểm của %(agencies)s đơn vị.")
            % {"cells": result.cells, "agencies": len(result.rows)},
        )
        return redirect(
            reverse("indices:ranking", args=[framework.pk]) + ("?vong=tu-danh-gia" if round == Score.Round.SELF else "")
        )
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            round = form.cleaned_data["round"]
            try:
                preview = excel.read(framework, province, data, round=round)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if preview.ok:
                    token = _stash(request, data, "indices-import", [province.pk, framework.pk], round)
    return render(
        request,
        "indices/import.html",
        {
            "framework": framework,
            "province": province,
            "form": form,
            "preview": preview,
            "token": token,
            "template_url": _here(request, province, "indices:template", framework.pk),
        },
    )


@login_required
@require_POST
def open_self_assessment(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    form = forms.OpenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("indices:framework", pk=pk)
    try:
        made = services.assessments_open(
            actor=request.user, framework=framework, province=province, deadline=form.cleaned_data["deadline"]
        )
    except Refused as refused:
        show_refusal(request, refused)
    else:
        messages.success(
            request, _("Đã mở tự đánh giá cho %(count)s đơn vị mới; hạn và lịch nhắc đã cập nhật.") % {"count": made}
        )
    return redirect("indices:framework", pk=pk)


@login_required
def responsibilities(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    _organiser(request, province)
    criteria = [c for c in selectors.tree(framework) if c.level <= 2]
    current = selectors.responsibilities(province, framework)
    form = forms.ResponsibilityForm(request.POST or None, criteria=criteria, province=province, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.responsibilities_save(
                actor=request.user, province=province, framework=framework, mapping=form.mapping()
            )
        except Refused as refused:
            show_refusal(request, refused)
        else:
            messages.success(request, _("Đã lưu %(count)s phân công.") % {"count": count})
            return redirect("indices:analysis", pk=pk)
    return render(
        request, "indices/responsibilities.html", {"framework": framework, "province": province, "form": form}
    )


@login_required
@require_POST
def publish(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    province = _province(request)
    try:
        publication = services.results_publish(actor=request.user, framework=framework, province=province)
    except Refused as refused:
        show_refusal(request, refused)
        return redirect("indices:ranking", pk=pk)
    messages.success(request, _("Đã công bố kết quả. Cán bộ các đơn vị xem được bảng xếp hạng."))
    return redirect("indices:publication", pk=publication.pk)


@login_required
def publication(request, pk):
    item = get_object_or_404(Publication.objects.select_related("province"), pk=pk)
    if not can_see_province_work(request.user) or not (
        request.user.is_administrator or request.user.province_id == item.province_id
    ):
        raise Http404
    return render(
        request,
        "indices/publication.html",
        {
            "publication": item,
            "frameworks": item.frameworks.all(),
            "documents": drafting.documents_of(item),
            "can_organise": can_organise(request.user, item.province_id),
        },
    )


@login_required
@require_POST
def draft_decision(request, pk):
    item = get_object_or_404(Publication, pk=pk)
    try:
        document = drafting.draft_decision(actor=request.user, publication=item)
    except Refused as refused:
        show_refusal(request, refused)
        return redirect("indices:publication", pk=pk)
    messages.success(request, _("Đã soạn dự thảo quyết định công bố kết quả."))
    return redirect("documents:detail", pk=document.pk)


# --- One agency's result ------------------------------------------------------------------------


def _assessment(request, pk) -> Assessment:
    return get_object_or_404(
        selectors.visible_assessments(request.user).select_related("agency", "agency__province", "framework"), pk=pk
    )


@login_required
def assessment(request, pk):
    item = _assessment(request, pk)
    return render(
        request,
        "indices/assessment.html",
        {
            **analysis.agency_page(item),
            "assessment": item,
            "framework": item.framework,
            "can_organise": can_organise(request.user, item.agency.province_id),
            "can_self": services.can_self_assess(request.user, item),
        },
    )


@login_required
def score_form(request, pk, round):
    """The self-assessment (the agency) or the appraisal (the Sở Nội vụ), with
    the tree, the maxima and running totals; every error stays beside its
    criterion and nothing is saved until all are right."""
    item = _assessment(request, pk)
    if round == Score.Round.SELF and not services.can_self_assess(request.user, item):
        raise PermissionDenied
    if round == Score.Round.APPRAISED and not can_organise(request.user, item.agency.province_id):
        raise PermissionDenied
    rows = selectors.score_rows(item)
    errors: dict[int, str] = {}
    posted: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        inputs = []
        for row in rows:
            if not row.is_leaf:
                continue
            raw = request.POST.get(f"score-{row.criterion.pk}", "")
            note = request.POST.get(f"note-{row.criterion.pk}", "")
            posted[row.criterion.pk] = (raw, note)
            inputs.append(
                services.ScoreInput(row.criterion.pk, raw, note, request.FILES.get(f"evidence-{row.criterion.pk}"))
            )
        try:
            errors = services.scores_save(actor=request.user, assessment=item, round=round, inputs=inputs)
        except Refused as refused:
            show_refusal(request, refused)
            return redirect("indices:assessment", pk=pk)
        if not errors:
            if round == Score.Round.SELF and "submit" in request.POST:
                try:
                    services.assessment_submit(actor=request.user, assessment=item)
                except Refused as refused:
                    show_refusal(request, refused)
                    return redirect(request.path)
                messages.success(request, _("Đã gửi bản tự đánh giá tới Sở Nội vụ."))
            else:
                messages.success(request, _("Đã lưu điểm."))
            return redirect("indices:assessment", pk=pk)
        messages.error(
            request, _("Chưa lưu: %(count)s ô điểm chưa đúng, xem ghi chú đỏ bên cạnh.") % {"count": len(errors)}
        )
    selectors.fill_rows(rows, round=round, posted=posted, errors=errors)
    return render(
        request,
        "indices/score_form.html",
        {
            "assessment": item,
            "framework": item.framework,
            "rows": rows,
            "round": round,
            "appraising": round == Score.Round.APPRAISED,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def submit(request, pk):
    item = _assessment(request, pk)
    try:
        services.assessment_submit(actor=request.user, assessment=item)
    except Refused as refused:
        show_refusal(request, refused)
    else:
        messages.success(request, _("Đã gửi bản tự đánh giá tới Sở Nội vụ."))
    return redirect("indices:assessment", pk=pk)


@login_required
@require_POST
def reopen(request, pk):
    item = _assessment(request, pk)
    try:
        services.assessment_reopen(actor=request.user, assessment=item)
    except Refused as refused:
        show_refusal(request, refused)
    else:
        messages.success(request, _("Đã trả lại bản tự đánh giá để đơn vị sửa."))
    return redirect("indices:assessment", pk=pk)


@login_required
def evidence(request, pk, score_pk):
    item = _assessment(request, pk)
    score = get_object_or_404(Score, pk=score_pk, assessment=item)
    if not score.evidence:
        raise Http404
    if not (request.user.agency_id == item.agency_id or can_organise(request.user, item.agency.province_id)):
        raise PermissionDenied
    return private_attachment(score.evidence, score.evidence_name or score.evidence.name.rsplit("/", 1)[-1])


# --- National results ---------------------------------------------------------------------------


@login_required
def national(request, pk=None):
    province = _province(request)
    if not can_see_province_work(request.user):
        raise PermissionDenied
    instance = get_object_or_404(NationalResult, pk=pk, province=province) if pk else None
    form = forms.NationalResultForm(request.POST or None, instance=instance)
    if request.method == "POST":
        _organiser(request, province)
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in ("year", "index", "score", "rank", "out_of", "source")}
            try:
                services.national_result_save(actor=request.user, province=province, values=values, instance=instance)
            except Refused as refused:
                for reason in refused.reasons:
                    form.add_error(None, reason)
            else:
                messages.success(request, _("Đã lưu kết quả công bố."))
                return redirect(_here(request, province, "indices:national"))
    return render(
        request,
        "indices/national.html",
        {
            "province": province,
            "form": form,
            "editing": instance,
            "results": selectors.national_results(province),
            "summary": analysis.national_sentence(province),
            "can_organise": can_organise(request.user, province.pk),
        },
    )


@login_required
def national_table(request):
    province = _province(request)
    if not can_see_province_work(request.user):
        raise PermissionDenied
    return _xlsx(national_sheet.workbook(province), national_sheet.filename(province))


@login_required
def national_import(request):
    """The national results as a table: upload → preview → confirm, as for scores."""
    province = _province(request)
    _organiser(request, province)
    form, preview, token = forms.NationalImportForm(), None, ""
    if request.method == "POST" and "token" in request.POST:
        stashed = _unstash(request, request.POST["token"], "indices-national", [province.pk])
        if stashed is None:
            messages.error(request, _("Phiên nhập đã hết hạn hoặc bảng đã được nhập: hãy chọn lại tệp."))
            return redirect(_here(request, province, "indices:national-import"))
        data, name, _extra = stashed
        try:
            result = national_sheet.apply(actor=request.user, province=province, data=data)
        except (Refused, ImportFileError) as error:
            default_storage.delete(name)
            show_refusal(request, error if isinstance(error, Refused) else Refused(str(error)))
            return redirect(_here(request, province, "indices:national-import"))
        default_storage.delete(name)
        counts = result.counts
        messages.success(
            request,
            _("Đã nhập bảng kết quả: %(created)s dòng mới, %(updated)s dòng cập nhật, %(unchanged)s dòng không đổi.")
            % {"created": counts["create"], "updated": counts["update"], "unchanged": counts["unchanged"]},
        )
        return redirect(_here(request, province, "indices:national"))
    if request.method == "POST":
        form = forms.NationalImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                preview = national_sheet.read(province, data)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if preview.ok:
                    token = _stash(request, data, "indices-national", [province.pk])
    return render(
        request,
        "indices/national_import.html",
        {
            "province": province,
            "form": form,
            "preview": preview,
            "token": token,
            "template_url": _here(request, province, "indices:national-table"),
        },
    )
