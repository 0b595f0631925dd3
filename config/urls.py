from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views

from . import metrics, views

admin.site.site_header = settings.PORTAL_NAME + " — Quản trị"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Quản trị hệ thống"
# The lists fit a 1,366 px screen beside their filters only without the
# navigation column; the index and the breadcrumbs lead where it did.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("tai-khoan/", include("accounts.urls")),
    path("", include("core.urls")),
    path("danh-ba/", include("agencies.urls")),
    path("", include("conferences.urls")),
    path("", include("documents.urls")),
    path("", include("submissions.urls")),
    path("", include("indices.urls")),
    path("", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.page_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in and out through the portal's pages (throttled, second factor).
    path("quan-tri/login/", accounts_views.admin_login),
    path("quan-tri/logout/", accounts_views.LogoutView.as_view()),
    path("quan-tri/", admin.site.urls),
]
