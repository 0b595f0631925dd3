from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("tham-luan/", views.PresentationListView.as_view(), name="list"),
    path("tham-luan/<int:pk>/", views.PresentationView.as_view(), name="detail"),
    path("tham-luan/<int:pk>/xem-xet/", views.ReviewView.as_view(), name="review"),
    path("tham-luan/<int:pk>/tep/<int:version_pk>/", views.VersionDownloadView.as_view(), name="download"),
    path("hoi-nghi/<int:conference_pk>/tham-luan/", views.ConferencePresentationsView.as_view(), name="conference"),
    path("hoi-nghi/<int:conference_pk>/tham-luan/giao/", views.AssignmentFormView.as_view(), name="assignment-create"),
    path(
        "hoi-nghi/<int:conference_pk>/tham-luan/giao/<int:pk>/",
        views.AssignmentFormView.as_view(),
        name="assignment-update",
    ),
    path(
        "hoi-nghi/<int:conference_pk>/tham-luan/giao/<int:pk>/xoa/",
        views.AssignmentDeleteView.as_view(),
        name="assignment-delete",
    ),
    path(
        "hoi-nghi/<int:conference_pk>/tham-luan/giao/<int:pk>/cap-nhat-don-vi/",
        views.AssignmentSyncView.as_view(),
        name="assignment-sync",
    ),
    path("hoi-nghi/<int:conference_pk>/tai-lieu/", views.BookletRequestView.as_view(), name="booklet-request"),
    path("hoi-nghi/<int:conference_pk>/tai-lieu/<int:pk>/", views.BookletPanelView.as_view(), name="booklet"),
    path(
        "hoi-nghi/<int:conference_pk>/tai-lieu/<int:pk>/tai-ve.<str:fmt>",
        views.BookletDownloadView.as_view(),
        name="booklet-download",
    ),
]
