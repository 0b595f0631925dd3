from django.urls import path

from . import views
from .models import Score

app_name = "indices"

urlpatterns = [
    path("chi-so/", views.home, name="home"),
    path("chi-so/toan-quoc/", views.national, name="national"),
    path("chi-so/toan-quoc/<int:pk>/", views.national, name="national-edit"),
    path("chi-so/toan-quoc/ket-qua.xlsx", views.national_table, name="national-table"),
    path("chi-so/toan-quoc/nhap/", views.national_import, name="national-import"),
    path("chi-so/bang-xep-hang/", views.league, name="league"),
    path("chi-so/bang-xep-hang/bang-xep-hang.xlsx", views.league_export, name="league-export"),
    path("chi-so/bang-xep-hang/nhap/", views.league_import, name="league-import"),
    path("chi-so/tinh/<slug:code>/", views.province_standing, name="province-standing"),
    path("chi-so/so-sanh/", views.compare, name="compare"),
    path("chi-so/bo/<int:pk>/", views.framework_detail, name="framework"),
    path("chi-so/bo/<int:pk>/xep-hang/", views.ranking, name="ranking"),
    path("chi-so/bo/<int:pk>/phan-tich/", views.analysis_page, name="analysis"),
    path("chi-so/bo/<int:pk>/ket-qua.xlsx", views.export, name="export"),
    path("chi-so/bo/<int:pk>/mau-nhap-diem.xlsx", views.template, name="template"),
    path("chi-so/bo/<int:pk>/bo-chi-so.xlsx", views.framework_xlsx, name="framework-xlsx"),
    path("chi-so/bo/<int:pk>/nhap/", views.import_results, name="import"),
    path("chi-so/bo/<int:pk>/mo-tu-danh-gia/", views.open_self_assessment, name="open"),
    path("chi-so/bo/<int:pk>/mo-giai-trinh/", views.open_explanation, name="open-explanation"),
    path("chi-so/bo/<int:pk>/trach-nhiem/", views.responsibilities, name="responsibilities"),
    path("chi-so/bo/<int:pk>/cong-bo/", views.publish, name="publish"),
    path("chi-so/cong-bo/<int:pk>/", views.publication, name="publication"),
    path("chi-so/cong-bo/<int:pk>/du-thao-quyet-dinh/", views.draft_decision, name="draft-decision"),
    path("chi-so/danh-gia/<int:pk>/", views.AssessmentView.as_view(), name="assessment"),
    path("chi-so/danh-gia/<int:pk>/tu-danh-gia/", views.ScoreFormView.as_view(round=Score.Round.SELF), name="self"),
    path(
        "chi-so/danh-gia/<int:pk>/tham-dinh/",
        views.ScoreFormView.as_view(round=Score.Round.APPRAISED),
        name="appraise",
    ),
    path("chi-so/danh-gia/<int:pk>/gui/", views.StepView.as_view(step="submit"), name="submit"),
    path("chi-so/danh-gia/<int:pk>/tra-lai/", views.StepView.as_view(step="reopen"), name="reopen"),
    path("chi-so/danh-gia/<int:pk>/gui-giai-trinh/", views.StepView.as_view(step="explain"), name="explain-submit"),
    path("chi-so/danh-gia/<int:pk>/minh-chung/<int:score_pk>/", views.EvidenceView.as_view(), name="evidence"),
    path("chi-so/danh-gia/<int:pk>/giai-trinh/", views.ExplanationsView.as_view(), name="explanations"),
    path(
        "chi-so/danh-gia/<int:pk>/giai-trinh/<int:explanation_pk>/",
        views.ExplanationFileView.as_view(),
        name="explanation-file",
    ),
    path("chi-so/danh-gia/<int:pk>/diem-thuong/", views.AdjustmentAddView.as_view(), name="adjustment-add"),
    path(
        "chi-so/danh-gia/<int:pk>/diem-thuong/<int:adjustment_pk>/xoa/",
        views.AdjustmentRemoveView.as_view(),
        name="adjustment-remove",
    ),
    path(
        "chi-so/danh-gia/<int:pk>/diem-thuong/<int:adjustment_pk>/",
        views.AdjustmentFileView.as_view(),
        name="adjustment-file",
    ),
]
