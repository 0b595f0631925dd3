"""Widgets every app's forms share."""

from dal.widgets import WidgetMixin
from dal_select2.widgets import Select2WidgetMixin
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField


class DateInput(forms.DateInput):
    """dd/mm/yyyy text with the portal's date picker attached by static JS."""

    def __init__(self, attrs=None):
        base = {"class": "js-date", "placeholder": "dd/mm/yyyy", "autocomplete": "off", "inputmode": "numeric"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class ChoiceLabels:
    """The labels of the values the pickers of a page show, read in one
    query: each form says which values it holds when it is built, and the
    first picker rendered reads them all (a formset's rows share one). A value
    outside `queryset` has no label and is not shown, so a page never names
    a row the user may not choose."""

    def __init__(self, queryset, label=str):
        self.queryset = queryset
        self.label = label
        self.wanted: set[str] = set()
        self.known: dict[str, str] = {}
        self.absent: set[str] = set()

    def want(self, values) -> None:
        for value in values:
            value = str(getattr(value, "pk", value))
            if value.isdigit():
                self.wanted.add(value)

    def pairs(self, values) -> list[tuple[str, str]]:
        self.want(values)
        missing = self.wanted - self.known.keys() - self.absent
        if missing:
            for row in self.queryset.filter(pk__in=missing):
                self.known[str(row.pk)] = self.label(row)
            self.absent |= missing - self.known.keys()
        return [(value, self.known[value]) for value in map(str, values) if value in self.known]


class FixedLabels:
    """The labels of a fixed list of choices (a TextChoices): nothing to read."""

    def __init__(self, choices):
        self.known = {str(value): str(label) for value, label in choices}

    def want(self, values) -> None:
        pass

    def pairs(self, values) -> list[tuple[str, str]]:
        return [(value, self.known[value]) for value in map(str, values) if value in self.known]


class Picker(WidgetMixin, Select2WidgetMixin, forms.Select):
    """A searchable choice whose options load from `url` as the user types
    (django-autocomplete-light with select2, both served from our static
    files): the page holds only the chosen values, so a list of rows weighs
    what its rows say, not what the directory holds. What may be chosen is
    still decided by the field when the form is posted."""

    labels: ChoiceLabels | FixedLabels | None = None

    def __init__(self, url, attrs=None):
        # Only what differs per picker is in the page: the width and the
        # search box's text come from css/pickers.css and js/pickers.js.
        super().__init__(url=url, attrs={"data-placeholder": _("Gõ tên để tìm…"), **(attrs or {})})

    @property
    def media(self):
        return forms.Media(
            js=[
                "admin/js/vendor/jquery/jquery.min.js",
                "admin/js/vendor/select2/select2.full.min.js",
                *(path for path in super().media._js if "vendor/select2" not in path),
                "js/pickers.js",
                "js/select2-names.js",
            ],
            css={"screen": ["admin/css/vendor/select2/select2.min.css", "css/pickers.css"]},
        )

    def build_attrs(self, base_attrs, extra_attrs=None):
        # The language is the page's (js/pickers.js), not repeated per picker.
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("data-autocomplete-light-language", None)
        return attrs

    def use_required_attribute(self, initial):
        # Only the chosen option is in the page, so Select's test of a blank
        # first option does not apply; "required" tells select2 to offer no
        # button that clears the choice.
        return not self.is_hidden

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        pairs = self.labels.pairs(chosen) if self.labels else []
        self.choices = pairs if self.allow_multiple_selected else [("", ""), *pairs]
        return forms.Select.optgroups(self, name, value, attrs)


class PickerMultiple(Picker, forms.SelectMultiple):
    allow_multiple_selected = True


def use_picker(form, name: str, *, url: str, labels=None, placeholder: str = "") -> None:
    """Give `form`'s choice field `name` a Picker reading `url` (its query
    string carries what the options are filtered by), with `labels` shared
    by the fields or forms of a page (else read from the field's queryset or
    choices). Call it after the field's queryset is set: the field alone
    decides what a posted value may be, exactly as a plain select did."""
    field = form.fields[name]
    multiple = isinstance(field, (forms.ModelMultipleChoiceField, forms.MultipleChoiceField))
    attrs = {"data-placeholder": placeholder, "data-search-placeholder": _("Gõ tên để tìm…")} if placeholder else None
    widget = (PickerMultiple if multiple else Picker)(url=url, attrs=attrs)
    widget.is_required = field.required
    if labels is None:
        is_model = isinstance(field, forms.ModelChoiceField)
        labels = ChoiceLabels(field.queryset, field.label_from_instance) if is_model else FixedLabels(field.choices)
    widget.labels = labels
    field.widget = widget
    if form.is_bound:
        value = widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    else:
        value = form.get_initial_for_field(field, name)
    labels.want(value if isinstance(value, (list, tuple)) else [value])


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
