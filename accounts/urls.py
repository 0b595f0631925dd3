"""The account pages, under /tai-khoan/. Names are global ("login",
"password_reset"…), as Django's auth views and templates expect."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("bao-mat/", views.security, name="account_security"),
    path("xac-thuc-hai-buoc/", views.verify, name="two_factor_verify"),
    path("xac-thuc-hai-buoc/thiet-lap/", views.setup, name="two_factor_setup"),
    path("xac-thuc-hai-buoc/ma-khoi-phuc/", views.codes, name="two_factor_codes"),
    path("xac-thuc-hai-buoc/tao-lai-ma/", views.regenerate, name="two_factor_regenerate"),
    path("xac-thuc-hai-buoc/tat/", views.disable, name="two_factor_disable"),
]
