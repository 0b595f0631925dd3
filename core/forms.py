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
