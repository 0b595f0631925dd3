"""A province's results under a framework: the index home, the framework's
page, the ranking, the analysis, the exports, responsibilities and
publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.selectors import province_list
from core.formatting import vn_date
from core.tables import Column, Sorting
from core.views import call_service, xlsx_response

from .. import analysis, drafting, excel, forms, loading, selectors, services
from ..models import Assessment, Score
from ._base import province_view, score_round

RANKING_PAGE = 100
CHANGE = "so-voi"  # the ranking's column of the change since the year before


@province_view()
def home(request, province):
    user = request.user
    year_groups: dict[int, list] = {}
    for framework in selectors.frameworks_for(user).order_by("-year", "index", "subject"):
        year_groups.setdefault(framework.year, []).append(framework)
    return render(
        request,
        "indices/home.html",
        {
            "province": province,
            "provinces": province_list(user=user) if user.is_administrator else None,
            "year_groups": sorted(year_groups.items(), reverse=True),
            "counts": selectors.assessment_counts(province, visible=selectors.visible_assessments(user)),
            "national": analysis.national_table(province),
            "summary_year": analysis.latest_national_year(province),
            "summary": analysis.national_sentence(province),
            "national_chart": analysis.national_chart(province),
            "can_organise": user.has_perm("indices.organise", province),
            "own": selectors.own_assessments(user),
        },
    )


@province_view()
def framework_detail(request, province, pk):
    user = request.user
    framework = selectors.framework_get(user=user, pk=pk)
    return render(
        request,
        "indices/framework_detail.html",
        {
            "framework": framework,
            "province": province,
            "tree": selectors.tree(framework),
            "can_organise": user.has_perm("indices.organise", province),
            "open_form": forms.OpenForm(),
            "explain_form": forms.ExplanationOpenForm(),
            "explain_deadline": selectors.explanation_deadline(framework, province),
            "status_counts": selectors.status_counts(framework, province),
            "assessments": selectors.visible_assessments(user)
            .filter(framework=framework, agency__province=province)
            .select_related("agency")
            .order_by("agency__kind", "agency__name"),
            "tab": "framework",
        },
    )


def ranking_columns(fields, previous, *, round: str) -> list[Column]:
    columns = [
        Column("hang", _("Hạng"), ("rank",), css="text-center"),
        Column("don-vi", _("Đơn vị"), ("agency__name",)),
        *(
            Column(
                f"lv-{f.code}",
                _("LV %(code)s") % {"code": f.code},
                (selectors.field_total(f.code, round=round),),
                css="text-end d-none d-md-table-cell",
                title=f.name,
                descending_first=True,
            )
            for f in fields
        ),
        Column("tong", _("Tổng"), ("score",), css="text-end", descending_first=True),
    ]
    if previous:
        # Sorted in Python (see ranking_table): the change is not a column of the database.
        label = _("So với %(year)s") % {"year": previous.year}
        columns.append(Column(CHANGE, label, ("score_change",), css="text-end", descending_first=True))
    columns.append(
        Column(
            "mat-diem",
            _("Mất điểm nhiều nhất"),
            (selectors.largest_loss(round=round),),
            css="d-none d-sm-table-cell",
            descending_first=True,
        )
    )
    return columns


def ranking_table(request, framework, province, *, round: str, visible):
    """The ranking's rows as searched and sorted on the page (and in its
    export): a queryset, or a list when sorted by the change since the year
    before, which is worked out in Python."""
    form = forms.RankingFilterForm(request.GET or None)
    search = form.cleaned_data.get("q", "") if form.is_valid() else ""
    fields = selectors.fields(framework)
    previous = selectors.previous(framework)
    sorting = Sorting(request.GET, ranking_columns(fields, previous, round=round))
    by_change = sorting.key == CHANGE
    order = [] if by_change else sorting.order_by("rank", "agency__name", "pk")
    rows = selectors.ranking(framework, province, round=round, assessments=visible, search=search, order=order)
    if by_change:
        rows = analysis.sorted_by_change(
            list(rows), province, round=round, previous=previous, descending=sorting.descending
        )
    return form, sorting, rows, fields, previous


@province_view()
def ranking(request, province, pk):
    user = request.user
    framework = selectors.framework_get(user=user, pk=pk)
    round = score_round(request)
    visible = selectors.visible_assessments(user)
    if not user.has_perm("indices.view_province"):
        visible = visible.filter(status=Assessment.Status.PUBLISHED)
        round = Score.Round.APPRAISED
    form, sorting, rows, fields, previous = ranking_table(request, framework, province, round=round, visible=visible)
    page = Paginator(rows, RANKING_PAGE).get_page(request.GET.get("page"))
    context = analysis.ranking_page(
        framework, province, list(page.object_list), round=round, visible=visible, fields=fields, previous=previous
    )
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
            "can_organise": user.has_perm("indices.organise", province),
            "filter_form": form,
            "sorting": sorting,
            "querystring": sorting.querystring(),
            "tab": "ranking",
            "status_counts": selectors.status_counts(framework, province),
            "publication": selectors.publication_of(framework, province),
        },
    )


@province_view("indices.view_province")
def analysis_page(request, province, pk):
    framework = selectors.framework_get(user=request.user, pk=pk)
    return render(
        request,
        "indices/analysis.html",
        {
            **analysis.framework_analysis(framework, province),
            "framework": framework,
            "province": province,
            "can_organise": request.user.has_perm("indices.organise", province),
            "tab": "analysis",
        },
    )


@province_view("indices.view_province")
def export(request, province, pk):
    """The ranking as searched and sorted on its page, every page of it,
    with the change since the year before."""
    framework = selectors.framework_get(user=request.user, pk=pk)
    round = score_round(request)
    visible = selectors.visible_assessments(request.user)
    _form, _sorting, rows, fields, previous = ranking_table(request, framework, province, round=round, visible=visible)
    rows = analysis.ranking_rows(
        framework, province, list(rows), round=round, visible=visible, fields=fields, previous=previous
    )
    data = excel.ranking_xlsx(framework, province, rows, fields=fields, previous=previous, round=round)
    return xlsx_response(data, excel.filename(framework, province, with_results=True))


@province_view()
def framework_xlsx(request, province, pk):
    framework = selectors.framework_get(user=request.user, pk=pk)
    return xlsx_response(loading.framework_xlsx(framework), f"bo-chi-so-{framework.code.lower()}-{framework.year}.xlsx")


@province_view("indices.organise")
def template(request, province, pk):
    framework = selectors.framework_get(user=request.user, pk=pk)
    return xlsx_response(
        excel.workbook(framework, province, with_results=False), excel.filename(framework, province, with_results=False)
    )


@require_POST
@province_view("indices.organise")
def open_self_assessment(request, province, pk):
    framework = selectors.framework_get(user=request.user, pk=pk)
    form = forms.OpenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("indices:framework", pk=pk)
    outcome = call_service(
        request,
        services.assessments_open,
        actor=request.user,
        framework=framework,
        province=province,
        deadline=form.cleaned_data["deadline"],
    )
    if outcome.ok:
        messages.success(
            request,
            _("Đã mở tự đánh giá cho %(count)s đơn vị mới; hạn và lịch nhắc đã cập nhật.") % {"count": outcome.value},
        )
    return redirect("indices:framework", pk=pk)


@require_POST
@province_view("indices.organise")
def open_explanation(request, province, pk):
    """Open the explanation for the province's agencies appraised in round 1
    (round 1 is frozen), or move its deadline."""
    framework = selectors.framework_get(user=request.user, pk=pk)
    form = forms.ExplanationOpenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("indices:framework", pk=pk)
    deadline = form.cleaned_data["deadline"]
    outcome = call_service(
        request,
        services.explanations_open,
        actor=request.user,
        framework=framework,
        province=province,
        deadline=deadline,
    )
    if outcome.ok:
        messages.success(
            request,
            _("Đã mở giải trình cho %(count)s đơn vị, hạn %(day)s; điểm thẩm định lần 1 đã chốt.")
            % {"count": outcome.value, "day": vn_date(deadline)},
        )
    return redirect("indices:framework", pk=pk)


@province_view("indices.organise")
def responsibilities(request, province, pk):
    framework = selectors.framework_get(user=request.user, pk=pk)
    criteria = [c for c in selectors.tree(framework) if c.level <= 2]
    current = selectors.responsibilities(province, framework)
    form = forms.ResponsibilityForm(request.POST or None, criteria=criteria, province=province, current=current)
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            request,
            services.responsibilities_save,
            actor=request.user,
            province=province,
            framework=framework,
            mapping=form.mapping(),
        )
        if outcome.ok:
            messages.success(request, _("Đã lưu %(count)s phân công.") % {"count": outcome.value})
            return redirect("indices:analysis", pk=pk)
    return render(
        request, "indices/responsibilities.html", {"framework": framework, "province": province, "form": form}
    )


@require_POST
@province_view("indices.organise")
def publish(request, province, pk):
    framework = selectors.framework_get(user=request.user, pk=pk)
    outcome = call_service(
        request,
        services.results_publish,
        actor=request.user,
        framework=framework,
        province=province,
        done=_("Đã công bố kết quả. Cán bộ các đơn vị xem được bảng xếp hạng."),
    )
    if not outcome.ok:
        return redirect("indices:ranking", pk=pk)
    return redirect("indices:publication", pk=outcome.value.pk)


@province_view("indices.view_province")
def publication(request, province, pk):
    item = selectors.publication_get(user=request.user, pk=pk)
    return render(
        request,
        "indices/publication.html",
        {
            "publication": item,
            "frameworks": item.frameworks.all(),
            "documents": drafting.documents_of(item),
            "can_organise": request.user.has_perm("indices.organise", item),
        },
    )


@require_POST
@province_view("indices.organise")
def draft_decision(request, province, pk):
    item = selectors.publication_get(user=request.user, pk=pk)
    outcome = call_service(
        request,
        drafting.draft_decision,
        actor=request.user,
        publication=item,
        done=_("Đã soạn dự thảo quyết định công bố kết quả."),
    )
    if not outcome.ok:
        return redirect("indices:publication", pk=pk)
    return redirect(reverse("documents:detail", args=[outcome.value.pk]))
