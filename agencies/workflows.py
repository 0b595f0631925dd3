"""Status changes of the directory's rows (see core.workflow)."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

from .models import DirectoryImport

DIRECTORY_IMPORT = Workflow(
    "directory_import",
    [
        Transition(
            "apply",
            _("Nhập vào danh bạ"),
            source=[DirectoryImport.Status.PREVIEWED],
            target=DirectoryImport.Status.APPLIED,
            permission="agencies.manage_directory",
            refusal=_("Tệp này đã được nhập lúc trước; không nhập lại lần hai."),
            stamp="applied_at",
        ),
    ],
)
