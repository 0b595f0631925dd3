"""The outline editor: reorder, merge, rename, renumber and drop a draft's
sections, keep the outline as the office's template or start from one, and
draft the sections again from the data."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.views import ServiceActionView, call_service

from . import outlines, services, sources
from .forms import NodeFormSet, TemplateChoiceForm
from .models import OutlineTemplate
from .views import DocumentMixin


def _kept_message(request, kept: list[str]) -> None:
    if kept:
        messages.info(
            request,
            _(
                "Giữ nguyên các mục đã sửa tay (không soạn lại): %(names)s. Muốn soạn lại mục nào từ dữ liệu, "
                "hãy xóa mục đó ở trang soạn rồi bấm “Soạn lại từ dữ liệu”."
            )
            % {"names": "; ".join(f"“{name}”" for name in kept)},
        )


class OutlineView(DocumentMixin, View):
    template_name = "documents/outline.html"

    def pieces(self) -> dict:
        hooks = sources.hooks_for_source(self.object.source)
        return hooks.pieces if hooks else {}

    def formset(self, data=None):
        initial = [
            {**node.as_dict(), "order": index} for index, node in enumerate(outlines.nodes_of(self.object.outline), 1)
        ]
        return NodeFormSet(data, initial=initial, prefix="nodes", form_kwargs={"pieces": self.pieces()})

    def page(self, formset, template_form=None):
        document = self.object
        return render(
            self.request,
            self.template_name,
            {
                "document": document,
                "formset": formset,
                "templates": TemplateChoiceForm(document=document) if template_form is None else template_form,
                "has_templates": OutlineTemplate.objects.filter(
                    issuer=document.issuer, purpose=document.purpose
                ).exists(),
            },
        )

    def get(self, request, pk):
        if not self.object.is_draft or not self.object.outline:
            messages.info(request, _("Chỉ dự thảo soạn từ dữ liệu mới có dàn ý để sửa."))
            return redirect("documents:detail", pk=pk)
        return self.page(self.formset())

    def post(self, request, pk):
        formset = self.formset(request.POST)
        if not formset.is_valid():
            messages.error(request, _("Chưa lưu: hãy sửa các ô được đánh dấu."))
            return self.page(formset)
        outcome = call_service(
            request, services.outline_save, actor=request.user, document=self.object, nodes=formset.nodes()
        )
        if not outcome.ok:
            return self.page(formset)
        _kept_message(request, outcome.value)
        name = request.POST.get("template_name", "").strip()
        if "save_template" in request.POST:
            saved = call_service(
                request,
                services.outline_template_save,
                actor=request.user,
                document=self.object,
                name=name,
                done=_("Đã lưu dàn ý làm mẫu “%(name)s”: văn bản cùng loại sau của cơ quan sẽ bắt đầu từ mẫu này.")
                % {"name": name},
            )
            if not saved.ok:
                return redirect("documents:outline", pk=pk)
        else:
            messages.success(request, _("Đã lưu dàn ý và soạn lại các mục theo dàn ý."))
        return redirect("documents:outline" if "continue" in request.POST else "documents:edit", pk=pk)


class TemplateApplyView(DocumentMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = TemplateChoiceForm(request.POST, document=self.object)
        if not form.is_valid():
            messages.error(request, _("Hãy chọn một mẫu dàn ý."))
            return redirect("documents:outline", pk=pk)
        template = form.cleaned_data["template"]
        if "delete" in request.POST:
            call_service(
                request,
                services.outline_template_delete,
                actor=request.user,
                document=self.object,
                template=template,
                done=_("Đã xóa mẫu dàn ý “%(name)s”. Dàn ý của văn bản này giữ nguyên.") % {"name": template.name},
            )
            return redirect("documents:outline", pk=pk)
        outcome = call_service(
            request,
            services.outline_template_apply,
            actor=request.user,
            document=self.object,
            template=template,
            done=_("Đã áp dụng mẫu dàn ý “%(name)s”.") % {"name": template.name},
        )
        if outcome.ok:
            _kept_message(request, outcome.value)
        return redirect("documents:outline", pk=pk)


class RedraftView(DocumentMixin, ServiceActionView):
    done = _("Đã soạn lại văn bản từ dữ liệu mới nhất; dàn ý giữ nguyên.")

    def act(self):
        kept = services.document_redraft(actor=self.request.user, document=self.object)
        _kept_message(self.request, kept)
        return kept

    def success_url(self, result):
        from django.urls import reverse

        return reverse("documents:edit", args=[self.object.pk])
