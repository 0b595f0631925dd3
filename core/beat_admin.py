"""django-celery-beat's admin pages in Vietnamese. Its labels and choices
are translated in locale/vi; what it writes itself in English (a cron
schedule "in words", the schedule column) is said here."""

import re

from cron_descriptor import FormatException, MissingFieldException, Options, WrongArgumentException, get_description
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# cron-descriptor words its Vietnamese around day and month names it takes
# from the process's (English) locale.
NAMES = {
    **dict(
        zip(
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
            ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"),
            strict=True,
        )
    ),
    **{
        month: f"tháng {n}"
        for n, month in enumerate(
            (
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ),
            start=1,
        )
    },
}
NAME = re.compile(r"\b(" + "|".join(NAMES) + r")\b")


def crontab_in_words(crontab: CrontabSchedule | None) -> str:
    """'Tại 08:00, chỉ trên thứ Hai (Asia/Ho_Chi_Minh)'; the expression itself
    when cron-descriptor cannot read it."""
    if crontab is None:
        return ""
    expression = " ".join(
        str(value).replace(" ", "") or "*"
        for value in (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week)
    )
    options = Options()
    options.locale_code = "vi_VN"
    options.use_24hour_time_format = True
    try:
        words = get_description(expression, options)
    except (MissingFieldException, FormatException, WrongArgumentException):
        words = expression
    return f"{NAME.sub(lambda m: NAMES[m.group(1)], words)} ({crontab.timezone})"


admin.site.unregister(PeriodicTask)
admin.site.unregister(CrontabSchedule)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "runs", "start_time", "last_run_at", "one_off")
    readonly_fields = ("last_run_at", "crontab_translation")

    @admin.display(description=_("Lịch chạy"))
    def runs(self, task):
        if task.crontab_id:
            return crontab_in_words(task.crontab)
        return str(task.interval or task.solar or task.clocked or "")

    @admin.display(description=_("Lịch cron bằng lời"))
    def crontab_translation(self, task):
        return crontab_in_words(task.crontab)

    def render_change_form(self, request, context, *args, **kwargs):
        # What the page shows beside the crontab picker, for each schedule.
        context["readable_crontabs"] = {c.pk: crontab_in_words(c) for c in CrontabSchedule.objects.all()}
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat.CrontabScheduleAdmin):
    list_display = ("__str__", "in_words")
    fields = ("in_words", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("in_words",)

    @admin.display(description=_("Bằng lời"))
    def in_words(self, crontab):
        return crontab_in_words(crontab)
