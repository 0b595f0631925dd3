from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("thong-bao/", views.InboxView.as_view(), name="inbox"),
    path("thong-bao/<int:pk>/", views.OpenNoticeView.as_view(), name="open"),
    path("thong-bao/da-doc/", views.ReadAllView.as_view(), name="read-all"),
]
