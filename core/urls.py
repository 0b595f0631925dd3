from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("nhat-ky/", views.AuditListView.as_view(), name="audit"),
]
