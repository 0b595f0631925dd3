from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("van-ban/", views.DocumentListView.as_view(), name="list"),
    path("van-ban/<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("van-ban/<int:pk>/soan/", views.DocumentEditView.as_view(), name="edit"),
    path("van-ban/<int:pk>/xem-truoc/", views.preview, name="preview"),
    path("van-ban/<int:pk>/ban-hanh/", views.issue, name="issue"),
    path("van-ban/<int:pk>/thu-hoi/", views.RevokeView.as_view(), name="revoke"),
    path("van-ban/<int:pk>/thay-the/", views.replace, name="replace"),
    path("van-ban/<int:pk>/tep/", views.files_panel, name="files"),
    path("van-ban/<int:pk>/tep/tao/<slug:kind>/", views.file_request, name="file-request"),
    path("van-ban/<int:pk>/tep/<int:file_pk>/tai-ve/", views.file_download, name="file-download"),
    path("van-ban/<int:pk>/giay-moi-rieng/", views.batch_request, name="batch-request"),
    path("van-ban/<int:pk>/giay-moi-rieng/<int:batch_pk>/", views.batch_panel, name="batch"),
    path("van-ban/<int:pk>/giay-moi-rieng/<int:batch_pk>/gui-thu/", views.batch_email, name="batch-email"),
    path("van-ban/<int:pk>/giay-moi-rieng/<int:batch_pk>/<slug:fmt>/", views.batch_download, name="batch-download"),
]
