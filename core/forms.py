"""Widgets every app's forms share."""

from django import forms
from django.db import models
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField


class DateInput(forms.DateInput):
    """dd/mm/yyyy text with the portal's date picker attached by static JS."""

    def __init__(self, attrs=None):
        base = {"class": "js-date", "placeholder": "dd/mm/yyyy", "autocomplete": "off", "inputmode": "numeric"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def _scoped_formfield(db_field, **kwargs):
    # A relation to a province-scoped model may not build its choices when
    # the form class is defined (no scope is active then): Safe… fields start
    # empty, and the form's __init__ sets the choices from a selector.
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", SafeModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class ScopedModelForm(forms.ModelForm):
    """Base of every model form: its Meta (`class Meta(ScopedModelForm.Meta)`)
    makes relations safe to define outside a province scope."""

    class Meta:
        formfield_callback = staticmethod(_scoped_formfield)


def formset_rows(formset) -> tuple[list[dict], list[int]]:
    """What a model formset carries, as plain data for a service: each
    changed row's cleaned values (with its "id", None for a new row) and the
    ids of the rows to delete. Untouched rows are left out."""
    fk = getattr(formset, "fk", None)
    rows, deleted = [], []
    for form in formset.forms:
        if form in formset.deleted_forms:
            if form.instance.pk:
                deleted.append(form.instance.pk)
            continue
        if not form.has_changed():
            continue
        values = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in ("id", "DELETE") and (fk is None or name != fk.name)
        }
        rows.append({"id": form.instance.pk, **values})
    return rows, deleted
