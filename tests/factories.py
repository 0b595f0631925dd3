import factory

from agencies.models import Agency, AgencyKind, Person, Province, Role, User

PASSWORD = "mat-khau-thu-2026"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tinh-{n}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"DV{n:03d}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    short_name = "STN"
    kind = AgencyKind.DEPARTMENT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    agency = factory.SubFactory(AgencyFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    position = "Chuyên viên"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.OFFICIAL
    agency = factory.SubFactory(AgencyFactory)
    email = factory.LazyAttribute(lambda u: f"{u.username}@cchc.example")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


# --- Conferences -----------------------------------------------------------------


def future(days=30):
    import datetime as dt

    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=days)


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.Conference"

    province = factory.SubFactory(ProvinceFactory)
    title = factory.Sequence(lambda n: f"Hội nghị phân tích chỉ số CCHC số {n}")
    issuing_authority = factory.LazyAttribute(
        lambda c: AgencyFactory(province=c.province, kind=AgencyKind.PROVINCIAL_COMMITTEE, name="UBND tỉnh")
    )
    focal_agency = factory.LazyAttribute(lambda c: AgencyFactory(province=c.province, name="Sở Nội vụ"))
    date = factory.LazyFunction(future)
    start_time = factory.LazyFunction(lambda: __import__("datetime").time(14, 0))
    venue = "Hội trường UBND tỉnh"
    index_years = [2025]


class InviteeLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.InviteeLine"

    conference = factory.SubFactory(ConferenceFactory)
    text = "Chủ tịch UBND các xã, phường"
    target = "group"
    group_kinds = ["xa", "phuong"]


# --- Presentations ------------------------------------------------------------------


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Assignment"

    conference = factory.SubFactory(ConferenceFactory)
    order = factory.Sequence(lambda n: n + 1)
    topic = factory.Sequence(lambda n: f"Giải pháp nâng cao Chỉ số CCHC, chủ đề {n}")
    agency = factory.LazyAttribute(lambda a: AgencyFactory(province=a.conference.province))
    due_date = factory.LazyFunction(lambda: future(10))
