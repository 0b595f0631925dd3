from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, ScopedModelForm
from core.spreadsheets import is_spreadsheet

from .models import Agency, AgencyKind, BodyMember, DirectoryImport, Person, Province


def agencies_by_kind(queryset) -> list:
    """Agencies under one heading per kind, by name within it: a flat list
    sorted by a hidden kind code reads as random. One query; the result can
    serve every select of a page."""
    groups: dict[str, list] = {kind: [] for kind in AgencyKind.values}
    for pk, name, kind in queryset.order_by("name").values_list("pk", "name", "kind"):
        groups.setdefault(kind, []).append((pk, name))
    return [
        (AgencyKind(kind).label if kind in AgencyKind.values else kind, rows) for kind, rows in groups.items() if rows
    ]


def group_agencies_by_kind(field: forms.ModelChoiceField, grouped: list | None = None) -> None:
    """Show the field's agencies grouped by kind (`grouped` when the page
    already read them). The field's queryset still decides what is valid."""
    grouped = agencies_by_kind(field.queryset) if grouped is None else grouped
    field.widget.choices = [("", field.empty_label or ""), *grouped]


class AgencyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Tên, tên viết tắt hoặc mã…"), "type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"), required=False, choices=[("", _("Tất cả các loại"))] + list(AgencyKind.choices)
    )
    active = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Tất cả")), ("yes", _("Đang hoạt động")), ("no", _("Đã giải thể, sáp nhập"))],
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh"), required=False, queryset=Province.objects.none(), empty_label=_("Tất cả các tỉnh")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_administrator:
            self.fields["province"].queryset = Province.objects.all()
        else:
            del self.fields["province"]
        # Rendered bare in the filter bar, so the Bootstrap classes go here.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


class PersonFilterForm(AgencyFilterForm):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Họ tên, chức vụ, thư điện tử, đơn vị…"), "type": "search"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["active"]
        self.fields["kind"].label = _("Loại đơn vị")


class AgencyForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Agency
        fields = [
            "province",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "parent",
            "locality",
            "email",
            "phone",
            "address",
            "active_from",
            "active_to",
            "successors",
        ]
        widgets = {"active_from": DateInput(), "active_to": DateInput()}
        help_texts = {
            "successors": _("Các đơn vị tiếp nhận chức năng từ ngày kết thúc hoạt động (sáp nhập, chia tách)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import agency_list, province_list

        self.fields["province"].queryset = province_list(user=user)
        province_id = self.instance.province_id or user.province_id
        if not user.is_administrator or self.instance.pk:
            # An organiser's agencies belong to their province; an agency
            # never moves province (a merger is a successor, not a move).
            self.fields["province"].disabled = True
            self.fields["province"].initial = province_id
        parents = agency_list(user=user).filter(province_id=province_id) if province_id else agency_list(user=user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["successors"].queryset = parents
        self.fields["successors"].widget.attrs["size"] = 6

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        province = self.cleaned_data.get("province") or self.instance.province_id and self.instance.province
        if (
            province
            and Agency.objects.filter(province=province, code__iexact=code).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(_("Mã đơn vị này đã có trong danh bạ của tỉnh."))
        return code


class PersonForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Person
        fields = ["agency", "full_name", "position", "email", "phone", "is_focal_point"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import agency_list

        self.fields["agency"].queryset = agency_list(user=user).active()


class DirectoryImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Dữ liệu trong tệp"),
        choices=DirectoryImport.Kind.choices,
        widget=forms.RadioSelect,
        initial=DirectoryImport.Kind.AGENCIES,
    )
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=Province.objects.none())
    file = forms.FileField(
        label=_("Tệp CSV hoặc Excel (.xlsx, .xls, .ods)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls,.ods"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_administrator:
            self.fields["province"].queryset = Province.objects.all()
        else:
            del self.fields["province"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.DIRECTORY_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if not (upload.name.lower().endswith(".csv") or is_spreadsheet(upload.name)):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv, .xlsx, .xls hoặc .ods."))
        return upload


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống của Sở Nội vụ."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


class PortalPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Thư điện tử đã đăng ký")


class BodyMemberForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = BodyMember
        fields = ["order", "person", "agency", "role"]

    def __init__(self, *args, province_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].label = _("STT")
        self.fields["agency"].queryset = Agency.objects.filter(province_id=province_id).active().order_by("name")
        self.fields["person"].queryset = (
            Person.objects.filter(agency__province_id=province_id).select_related("agency").order_by("full_name")
        )


def body_member_formset(extra: int = 1):
    return forms.inlineformset_factory(
        Agency, BodyMember, form=BodyMemberForm, fk_name="body", extra=extra, can_delete=True
    )
