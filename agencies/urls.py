from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.AgencyListView.as_view(), name="agency-list"),
    path("don-vi.xlsx", views.AgencyExportView.as_view(), name="agency-export"),
    path("danh-sach-don-vi.xlsx", views.AgencyTableExportView.as_view(), name="agency-table-export"),
    path("don-vi/them/", views.AgencyFormView.as_view(), name="agency-create"),
    path("don-vi/<int:pk>/", views.AgencyDetailView.as_view(), name="agency-detail"),
    path("don-vi/<int:pk>/sua/", views.AgencyFormView.as_view(), name="agency-update"),
    path("don-vi/<int:pk>/thanh-vien/", views.BodyMembersView.as_view(), name="body-members"),
    path("can-bo/", views.PersonListView.as_view(), name="person-list"),
    path("can-bo.xlsx", views.PersonExportView.as_view(), name="person-export"),
    path("can-bo/them/", views.PersonFormView.as_view(), name="person-create"),
    path("can-bo/<int:pk>/sua/", views.PersonFormView.as_view(), name="person-update"),
    path("chon/don-vi/", views.AgencyPickerView.as_view(), name="agency-picker"),
    path("chon/can-bo/", views.PersonPickerView.as_view(), name="person-picker"),
    path("chon/loai-don-vi/", views.KindPickerView.as_view(), name="kind-picker"),
    path("nhap/", views.DirectoryImportView.as_view(), name="import"),
    path("nhap/<int:pk>/", views.DirectoryImportPreviewView.as_view(), name="import-preview"),
    path("nhap/mau/<str:kind>.xlsx", views.ImportTemplateView.as_view(), name="import-template"),
]
