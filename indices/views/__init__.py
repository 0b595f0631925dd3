"""Index result pages, split by concern; urls.py names them here."""

from .assessments import AssessmentView, EvidenceView, ScoreFormView, StepView
from .national import import_results, national, national_import, national_table
from .results import (
    analysis_page,
    draft_decision,
    export,
    framework_detail,
    framework_xlsx,
    home,
    open_self_assessment,
    publication,
    publish,
    ranking,
    responsibilities,
    template,
)

__all__ = [
    "AssessmentView",
    "EvidenceView",
    "ScoreFormView",
    "StepView",
    "analysis_page",
    "draft_decision",
    "export",
    "framework_detail",
    "framework_xlsx",
    "home",
    "import_results",
    "national",
    "national_import",
    "national_table",
    "open_self_assessment",
    "publication",
    "publish",
    "ranking",
    "responsibilities",
    "template",
]
