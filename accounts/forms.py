from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.label = _("Mã khôi phục")
            field.help_text = _(
                "Một trong 10 mã đã lưu khi bật xác thực hai bước, ví dụ: abcd-efgh. Mỗi mã dùng được một lần."
            )
            field.widget.attrs.update(inputmode="text", autocapitalize="none")
        else:
            field.help_text = _("6 chữ số đang hiện trong ứng dụng xác thực trên điện thoại.")


class SetupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số ứng dụng đang hiện"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )
