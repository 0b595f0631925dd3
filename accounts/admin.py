"""django-otp registers its devices in the admin in English, with the
secret keys on the page. Second factors are reset with
`manage.py reset_two_factor USERNAME` instead."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
