"""One agency's result: its page, the score forms (self-assessment and
appraisal), its steps, the explanation and the bonus and penalty rounds,
and its files."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from core.formatting import vn_number
from core.permissions import PermissionMixin
from core.storage import private_attachment
from core.uploads import EVIDENCE
from core.views import ServiceActionView, call_service

from .. import analysis, forms, selectors, services
from ..models import Adjustment, Assessment, Score
from ..services.scores import explanation_closed
from ..workflows import ASSESSMENT

S = Assessment.Status
# The appraisal saved in these statuses is the final round (thẩm định lần 2).
FINAL_ROUND = ASSESSMENT["final_appraise"].source


class AssessmentMixin(PermissionMixin):
    def permission_object(self) -> Assessment:
        return selectors.assessment_get(user=self.request.user, pk=self.kwargs["pk"])


def _page_url(assessment: Assessment, anchor: str = "") -> str:
    url = reverse("indices:assessment", args=[assessment.pk])
    return f"{url}#{anchor}" if anchor else url


class AssessmentView(AssessmentMixin, View):
    def get(self, request, pk):
        return self.page()

    def page(self, *, explained=None, explain_errors=None, adjustment_form=None, status=200):
        """The page, with what the explanation form was sent with and its
        errors (`explained`: criterion id → note), or the bonus and penalty
        form as sent, when a POST is shown again."""
        item, user = self.object, self.request.user
        context = analysis.agency_page(item, visible=selectors.visible_assessments(user))
        rows = context["rows"]
        can_organise = user.has_perm("indices.organise", item)
        own = user.has_perm("indices.explain", item)
        closed = item.is_explaining and explanation_closed(item)
        explain_rows = None
        if item.is_explaining and own:
            by_id = {row.criterion.pk: row for row in rows}
            explain_rows = [by_id[c.pk] for c in services.cut_criteria(item)]
            for row in explain_rows:
                pk = row.criterion.pk
                saved = row.explanation.note if row.explanation else ""
                row.explain_note = explained[pk] if explained is not None and pk in explained else saved
                row.explain_error = (explain_errors or {}).get(pk, "")
        adjustments = list(selectors.adjustments_of(item))
        framework = item.framework
        can_adjust = can_organise and item.status not in (S.SELF, S.SUBMITTED, S.PUBLISHED)
        if adjustment_form is None and can_adjust:
            adjustment_form = forms.AdjustmentForm(framework=framework)
        return render(
            self.request,
            "indices/assessment.html",
            {
                **context,
                "assessment": item,
                "framework": framework,
                "can_organise": can_organise,
                "can_self": selectors.can_self_assess(user, item),
                "can_view_files": user.has_perm("indices.view_evidence", item),
                "actions": ASSESSMENT.allowed(item, user, names=["submit", "reopen"]),
                "rounds": any(row.first is not None for row in rows),
                # Round 1's total as frozen, beside the total in force.
                "first_total": (
                    sum((row.first.value for row in rows if row.is_leaf and row.first), Decimal(0))
                    if any(row.first is not None for row in rows)
                    else None
                ),
                "final": item.final_at is not None,
                "final_round": item.status in FINAL_ROUND,
                "explain_rows": explain_rows,
                "explain_closed": closed,
                "explanations": [row for row in rows if row.explanation is not None],
                "evidence_accept": EVIDENCE.accept,
                "adjustments": adjustments,
                "adjustment_sums": _sums(adjustments),
                "adjustment_form": adjustment_form if can_adjust else None,
                "has_caps": framework.bonus_cap is not None or framework.penalty_cap is not None,
            },
            status=status,
        )


def _sums(adjustments: list[Adjustment]) -> dict[str, Decimal]:
    """Points given of each kind, before the caps; each row marked with its
    points as they count (+ a bonus, − a penalty)."""
    sums = {kind.value: Decimal(0) for kind in Adjustment.Kind}
    for adjustment in adjustments:
        sums[adjustment.kind] += adjustment.points
        adjustment.is_bonus = adjustment.kind == Adjustment.Kind.BONUS
        adjustment.signed_points = adjustment.points if adjustment.is_bonus else -adjustment.points
    return sums


class ScoreFormView(AssessmentMixin, View):
    """The self-assessment (the agency) or the appraisal (the Sở Nội vụ), with
    the tree, the maxima and running totals; every error stays beside its
    criterion and nothing is saved until all are right."""

    round = Score.Round.APPRAISED

    def allowed(self) -> bool:
        if self.round == Score.Round.SELF:
            return selectors.can_self_assess(self.request.user, self.object)
        return self.request.user.has_perm("indices.organise", self.object)

    def page(self, rows, posted=None, errors=None):
        item = self.object
        selectors.fill_rows(rows, round=self.round, posted=posted or {}, errors=errors or {})
        appraising = self.round == Score.Round.APPRAISED
        return render(
            self.request,
            "indices/score_form.html",
            {
                "assessment": item,
                "framework": item.framework,
                "rows": rows,
                "round": self.round,
                "appraising": appraising,
                "final_round": appraising and item.status in FINAL_ROUND,
                # Said before the appraisers type: the service refuses the round until the agency is done.
                "explanation_running": appraising and item.is_explaining and not explanation_closed(item),
                "can_view_files": self.request.user.has_perm("indices.view_evidence", item),
            },
            status=400 if errors else 200,
        )

    def get(self, request, pk):
        if not self.allowed():
            raise PermissionDenied
        return self.page(selectors.score_rows(self.object))

    def post(self, request, pk):
        if not self.allowed():
            raise PermissionDenied
        item = self.object
        rows = selectors.score_rows(item)
        posted: dict[int, tuple[str, str]] = {}
        inputs = []
        for row in rows:
            if not row.is_leaf:
                continue
            raw = request.POST.get(f"score-{row.criterion.pk}", "")
            note = request.POST.get(f"note-{row.criterion.pk}", "")
            posted[row.criterion.pk] = (raw, note)
            upload = request.FILES.get(f"evidence-{row.criterion.pk}")
            inputs.append(services.ScoreInput(row.criterion.pk, raw, note, upload))
        outcome = call_service(
            request, services.scores_save, actor=request.user, assessment=item, round=self.round, inputs=inputs
        )
        if not outcome.ok:
            return redirect("indices:assessment", pk=pk)
        errors = outcome.value
        if errors:
            messages.error(
                request, _("Chưa lưu: %(count)s ô điểm chưa đúng, xem ghi chú đỏ bên cạnh.") % {"count": len(errors)}
            )
            return self.page(rows, posted, errors)
        if self.round == Score.Round.SELF and "submit" in request.POST:
            submitted = call_service(
                request,
                services.assessment_submit,
                actor=request.user,
                assessment=item,
                done=ASSESSMENT["submit"].done,
            )
            if not submitted.ok:
                return redirect(request.path)
        else:
            messages.success(request, _("Đã lưu điểm."))
        return redirect("indices:assessment", pk=pk)


class StepView(AssessmentMixin, ServiceActionView):
    """Submit the self-assessment, or send it back; send the explanation."""

    services = {
        "submit": services.assessment_submit,
        "reopen": services.assessment_reopen,
        "explain": services.explanation_submit,
    }
    step = ""

    def act(self):
        return self.services[self.step](actor=self.request.user, assessment=self.object)

    def done_message(self, result):
        return str(ASSESSMENT[self.step].done)

    def success_url(self, result):
        return reverse("indices:assessment", args=[self.object.pk])


class EvidenceView(AssessmentMixin, View):
    permission = "indices.view_evidence"

    def get(self, request, pk, score_pk):
        score = selectors.evidence_get(assessment=self.object, pk=score_pk)
        return private_attachment(score.evidence, score.evidence_name or score.evidence.name.rsplit("/", 1)[-1])


# --- The explanation ----------------------------------------------------------------------------


class ExplanationsView(AssessmentView):
    """The agency saves its explanations of the criteria round 1 cut: every
    error beside its criterion, nothing saved until all are right."""

    permission = "indices.explain"
    http_method_names = ["post"]

    def post(self, request, pk):
        item = self.object
        posted: dict[int, str] = {}
        inputs = []
        for criterion in services.cut_criteria(item):
            note = request.POST.get(f"explanation-{criterion.pk}", "")
            posted[criterion.pk] = note
            upload = request.FILES.get(f"explanation-file-{criterion.pk}")
            inputs.append(services.ExplanationInput(criterion.pk, note, upload))
        outcome = call_service(request, services.explanations_save, actor=request.user, assessment=item, inputs=inputs)
        if not outcome.ok:
            return redirect(_page_url(item))
        if outcome.value:
            messages.error(
                request,
                _("Chưa lưu: %(count)s tiêu chí chưa đúng, xem ghi chú đỏ bên dưới; chọn lại tệp đính kèm.")
                % {"count": len(outcome.value)},
            )
            return self.page(explained=posted, explain_errors=outcome.value, status=400)
        if "send" in request.POST:
            # Saved and sent in one press: what was typed is never lost to a send without a save.
            sent = call_service(
                request,
                services.explanation_submit,
                actor=request.user,
                assessment=item,
                done=str(ASSESSMENT["explain"].done),
            )
            return redirect(_page_url(item, "giai-trinh" if not sent.ok else ""))
        messages.success(request, _("Đã lưu giải trình. Khi đã xong, bấm “Lưu và gửi giải trình” để gửi Sở Nội vụ."))
        return redirect(_page_url(item, "giai-trinh"))


class ExplanationFileView(AssessmentMixin, View):
    permission = "indices.view_evidence"

    def get(self, request, pk, explanation_pk):
        explanation = selectors.explanation_get(assessment=self.object, pk=explanation_pk)
        name = explanation.evidence_name or explanation.evidence.name.rsplit("/", 1)[-1]
        return private_attachment(explanation.evidence, name)


# --- Bonus and penalty --------------------------------------------------------------------------


class AdjustmentAddView(AssessmentView):
    permission = "indices.organise"
    http_method_names = ["post"]

    def post(self, request, pk):
        item = self.object
        form = forms.AdjustmentForm(request.POST, request.FILES, framework=item.framework)
        if form.is_valid():
            data = form.cleaned_data
            outcome = call_service(
                request,
                services.adjustment_add,
                form=form,
                actor=request.user,
                assessment=item,
                kind=data["kind"],
                points=data["points"],
                reason=data["reason"],
                evidence=data["evidence"],
            )
            if outcome.ok:
                messages.success(
                    request,
                    _("Đã ghi %(kind)s %(points)s điểm.")
                    % {"kind": outcome.value.get_kind_display().lower(), "points": vn_number(outcome.value.points, 2)},
                )
                return redirect(_page_url(item, "diem-thuong"))
        return self.page(adjustment_form=form, status=400)


class AdjustmentRemoveView(AssessmentMixin, ServiceActionView):
    permission = "indices.organise"
    done = gettext_lazy("Đã xoá điểm thưởng, điểm trừ; tổng điểm đã tính lại.")

    def act(self):
        adjustment = selectors.adjustment_get(assessment=self.object, pk=self.kwargs["adjustment_pk"])
        return services.adjustment_remove(actor=self.request.user, adjustment=adjustment)

    def success_url(self, result):
        return _page_url(self.object, "diem-thuong")


class AdjustmentFileView(AssessmentMixin, View):
    permission = "indices.view_evidence"

    def get(self, request, pk, adjustment_pk):
        adjustment = selectors.adjustment_get(assessment=self.object, pk=adjustment_pk, with_file=True)
        name = adjustment.evidence_name or adjustment.evidence.name.rsplit("/", 1)[-1]
        return private_attachment(adjustment.evidence, name)
