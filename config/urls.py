from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from agencies.forms import PortalAuthenticationForm, PortalPasswordResetForm

from . import views

admin.site.site_header = settings.PORTAL_NAME + " — Quản trị"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Quản trị hệ thống"
# The lists fit a 1,366 px screen beside their filters only without the
# navigation column; the index and the breadcrumbs lead where it did.
admin.site.enable_nav_sidebar = False

auth_patterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(form_class=PortalPasswordResetForm),
        name="password_reset",
    ),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tai-khoan/", include(auth_patterns)),
    path("", include("core.urls")),
    path("danh-ba/", include("agencies.urls")),
    path("", include("conferences.urls")),
    path("", include("documents.urls")),
    path("", include("submissions.urls")),
    path("", include("indices.urls")),
    path("", include("notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
