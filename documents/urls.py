from django.urls import path

from . import outline_views, signing_views, views

app_name = "documents"

urlpatterns = [
    path("van-ban/", views.DocumentListView.as_view(), name="list"),
    # Public: what a printed copy's code opens (no login).
    path("xac-minh/", views.VerifyView.as_view(), name="verify-form"),
    path("xac-minh/<str:code>/", views.VerifyView.as_view(), name="verify"),
    path("van-ban/vao-so/", views.RegisterView.as_view(), name="register"),
    path("van-ban/<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("van-ban/<int:pk>/soan/", views.DocumentEditView.as_view(), name="edit"),
    path("van-ban/<int:pk>/xem-truoc/", views.PreviewView.as_view(), name="preview"),
    path("van-ban/<int:pk>/dan-y/", outline_views.OutlineView.as_view(), name="outline"),
    path("van-ban/<int:pk>/dan-y/dung-mau/", outline_views.TemplateApplyView.as_view(), name="outline-template"),
    path("van-ban/<int:pk>/soan-lai/", outline_views.RedraftView.as_view(), name="redraft"),
    path("van-ban/<int:pk>/ban-hanh/", views.IssueView.as_view(), name="issue"),
    path("van-ban/<int:pk>/ky-so/chuan-bi/", signing_views.SigningPrepareView.as_view(), name="sign-prepare"),
    path("van-ban/<int:pk>/ky-so/<int:signing_pk>/huy/", signing_views.SigningCancelView.as_view(), name="sign-cancel"),
    path(
        "van-ban/<int:pk>/ky-so/<int:signing_pk>/tai-len/",
        signing_views.SigningUploadView.as_view(),
        name="sign-upload",
    ),
    path("van-ban/<int:pk>/ky-so/<int:signing_pk>/cap-so/", signing_views.SigningSealView.as_view(), name="sign-seal"),
    path(
        "van-ban/<int:pk>/ky-so/<int:signing_pk>/tep/<slug:which>/",
        signing_views.SigningFileView.as_view(),
        name="sign-file",
    ),
    path("van-ban/<int:pk>/thu-hoi/", views.RevokeView.as_view(), name="revoke"),
    path("van-ban/<int:pk>/thay-the/", views.ReplaceView.as_view(), name="replace"),
    path("van-ban/<int:pk>/tep/", views.FilesPanelView.as_view(), name="files"),
    path("van-ban/<int:pk>/tep/tao/<slug:kind>/", views.FileRequestView.as_view(), name="file-request"),
    path("van-ban/<int:pk>/tep/<int:file_pk>/tai-ve/", views.FileDownloadView.as_view(), name="file-download"),
    path("van-ban/<int:pk>/giay-moi-rieng/", views.BatchRequestView.as_view(), name="batch-request"),
    path("van-ban/<int:pk>/giay-moi-rieng/<int:batch_pk>/", views.BatchPanelView.as_view(), name="batch"),
    path("van-ban/<int:pk>/giay-moi-rieng/<int:batch_pk>/gui-thu/", views.BatchEmailView.as_view(), name="batch-email"),
    path(
        "van-ban/<int:pk>/giay-moi-rieng/<int:batch_pk>/<slug:fmt>/",
        views.BatchDownloadView.as_view(),
        name="batch-download",
    ),
]
