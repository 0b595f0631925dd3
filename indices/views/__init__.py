"""Index result pages, split by concern; urls.py names them here."""

from .assessments import AssessmentView, EvidenceView, ScoreFormView, StepView
from .league import compare, league, league_export, province_standing
from .national import import_results, league_import, national, national_import, national_table
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
    "compare",
    "league",
    "league_export",
    "league_import",
    "province_standing",
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
