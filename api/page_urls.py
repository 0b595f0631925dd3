from django.urls import path

from . import page_views

urlpatterns = [
    path("lich/<str:key>.ics", page_views.calendar_feed, name="calendar-feed"),
    path("tai-khoan/lich-rieng/", page_views.calendar_page, name="calendar-page"),
]
