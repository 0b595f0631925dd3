"""Writes for index results (scores.py), the explanation and bonus/penalty
rounds (rounds.py), their spreadsheet imports (imports.py) and frameworks
(frameworks.py). Callers use this package's names."""

from .frameworks import framework_copy, framework_load
from .imports import national_table_import, scores_import
from .rounds import (
    ExplanationInput,
    adjustment_add,
    adjustment_remove,
    cut_criteria,
    explanation_submit,
    explanations_open,
    explanations_save,
)
from .scores import (
    ScoreInput,
    assessment_reopen,
    assessment_submit,
    assessments_open,
    national_index_save,
    national_result_save,
    responsibilities_save,
    results_publish,
    scores_save,
    totals_refresh,
)

__all__ = [
    "ExplanationInput",
    "ScoreInput",
    "adjustment_add",
    "adjustment_remove",
    "cut_criteria",
    "explanation_submit",
    "explanations_open",
    "explanations_save",
    "assessment_reopen",
    "assessment_submit",
    "assessments_open",
    "framework_copy",
    "framework_load",
    "national_index_save",
    "national_result_save",
    "national_table_import",
    "responsibilities_save",
    "results_publish",
    "scores_import",
    "scores_save",
    "totals_refresh",
]
