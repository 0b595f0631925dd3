import hashlib
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ChoiceLabels, DateInput, FixedLabels, ScopedModelForm, use_picker
from core.spreadsheets import is_spreadsheet

from .models import Agency, AgencyKind, BodyMember, DirectoryImport, Person, Province

# --- Pickers: every choice of an agency or a person is searched, not scrolled --------------


def agency_label(agency) -> str:
    """A unit no longer active says until when, so an archive's unit is found."""
    if agency.active_to:
        return _("%(name)s (đến %(day)s)") % {"name": agency.name, "day": agency.active_to.strftime("%d/%m/%Y")}
    return agency.name


def person_label(person) -> str:
    return f"{person} — {person.agency.name}"


def _picker_url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def pick_agency(
    form, name: str, *, day=None, province_id=None, labels: ChoiceLabels | None = None, placeholder: str = ""
) -> None:
    """Make `form.fields[name]` (its queryset already set: it alone decides
    what is valid) a picker searching the province's units, those active on
    `day` when given; `labels` is shared by the fields or forms of a page."""
    field = form.fields[name]
    field.label_from_instance = agency_label
    use_picker(
        form,
        name,
        url=_picker_url("agencies:agency-picker", day=day.isoformat() if day else None, province=province_id),
        labels=labels or ChoiceLabels(field.queryset, agency_label),
        placeholder=placeholder,
    )


def pick_person(form, name: str, *, province_id=None, labels: ChoiceLabels | None = None) -> None:
    field = form.fields[name]
    field.label_from_instance = person_label
    use_picker(
        form,
        name,
        url=_picker_url("agencies:person-picker", province=province_id),
        labels=labels or ChoiceLabels(field.queryset.select_related("agency"), person_label),
    )


def pick_kinds(form, name: str, *, labels: FixedLabels | None = None) -> None:
    """Kinds of unit (a group "the communes and wards"), searched like units."""
    use_picker(form, name, url=_picker_url("agencies:kind-picker"), labels=labels)


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
            "electronic_id",
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
        labels = ChoiceLabels(parents, agency_label)
        for name in ("parent", "successors"):
            pick_agency(self, name, province_id=province_id, labels=labels)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        province = self.cleaned_data.get("province") or self.instance.province_id and self.instance.province
        if (
            province
            and Agency.objects.filter(province=province, code__iexact=code).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(_("Mã đơn vị này đã có trong danh bạ của tỉnh."))
        return code

    def clean_parent(self):
        from .selectors import parent_makes_loop
        from .services import PARENT_LOOP

        parent = self.cleaned_data.get("parent")
        if parent_makes_loop(self.instance, parent):
            raise forms.ValidationError(PARENT_LOOP)
        return parent


class PersonForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Person
        fields = ["agency", "full_name", "position", "email", "phone", "is_focal_point"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import agency_list

        self.fields["agency"].queryset = agency_list(user=user).active()
        pick_agency(self, "agency", day=timezone.localdate(), province_id=self.instance.province_id)


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

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Through the outbox, as every mail of the portal: a mail server or
        broker that is down delays the link rather than losing it, and the
        same link asked for twice (a double click) is sent once."""
        from notifications.services import Recipient, notify

        user = context["user"]
        link = hashlib.sha256(f"{context['uid']}:{context['token']}".encode()).hexdigest()[:32]
        notify(
            recipients=[Recipient(email=to_email, name=user.get_full_name(), user_id=user.pk)],
            subject=render_to_string(subject_template_name, context),
            body_text=render_to_string(email_template_name, context),
            body_html=render_to_string(html_email_template_name, context) if html_email_template_name else "",
            dedupe_key=f"auth.password_reset:{link}",
            ref="auth.password_reset",
        )


class BodyMemberForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = BodyMember
        fields = ["order", "person", "agency", "role"]

    def __init__(self, *args, province_id=None, choice_cache: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].label = _("STT")
        self.fields["agency"].queryset = Agency.objects.filter(province_id=province_id).active().order_by("name")
        self.fields["person"].queryset = (
            Person.objects.filter(agency__province_id=province_id).select_related("agency").order_by("full_name")
        )
        # The rows of the formset share one read of the chosen values' labels.
        cache = {} if choice_cache is None else choice_cache
        agencies = cache.setdefault(Agency, ChoiceLabels(self.fields["agency"].queryset, agency_label))
        people = cache.setdefault(Person, ChoiceLabels(self.fields["person"].queryset, person_label))
        pick_agency(self, "agency", day=timezone.localdate(), province_id=province_id, labels=agencies)
        pick_person(self, "person", province_id=province_id, labels=people)


def body_member_formset(extra: int = 1):
    return forms.inlineformset_factory(
        Agency, BodyMember, form=BodyMemberForm, fk_name="body", extra=extra, can_delete=True
    )
