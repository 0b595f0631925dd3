"""One agency's result: its page, the score forms (self-assessment and
appraisal), its steps and its evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from core.permissions import PermissionMixin
from core.storage import private_attachment
from core.views import ServiceActionView, call_service

from .. import analysis, selectors, services
from ..models import Assessment, Score
from ..workflows import ASSESSMENT


class AssessmentMixin(PermissionMixin):
    def permission_object(self) -> Assessment:
        return selectors.assessment_get(user=self.request.user, pk=self.kwargs["pk"])


class AssessmentView(AssessmentMixin, View):
    def get(self, request, pk):
        item, user = self.object, request.user
        return render(
            request,
            "indices/assessment.html",
            {
                **analysis.agency_page(item, visible=selectors.visible_assessments(user)),
                "assessment": item,
                "framework": item.framework,
                "can_organise": user.has_perm("indices.organise", item),
                "can_self": selectors.can_self_assess(user, item),
                "actions": ASSESSMENT.allowed(item, user, names=["submit", "reopen"]),
            },
        )


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
        return render(
            self.request,
            "indices/score_form.html",
            {
                "assessment": item,
                "framework": item.framework,
                "rows": rows,
                "round": self.round,
                "appraising": self.round == Score.Round.APPRAISED,
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
