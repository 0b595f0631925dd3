import pytest
from django.core.cache import cache

from agencies.models import AgencyKind, Role
from core.scoping import scopes_disabled

from .factories import AgencyFactory, ProvinceFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _no_scope():
    # Tests arrange rows of several provinces and assert across them; the
    # pages they ask run in their user's scope (the middleware), as in use.
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _clean_cache():
    # The cache is the real Redis; each test starts from an empty one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lang_son(db):
    return ProvinceFactory(code="lang-son", name="Lạng Sơn")


@pytest.fixture
def lao_cai(db):
    return ProvinceFactory(code="lao-cai", name="Lào Cai")


def client_for(user):
    """A test client logged in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _staff_of(province, role, kind=AgencyKind.DEPARTMENT, code="SNV", name="Sở Nội vụ"):
    agency = AgencyFactory(province=province, code=code, name=f"{name} tỉnh {province.name}", kind=kind)
    return UserFactory(role=role, agency=agency, username=f"{province.code}.{role}.{code.lower()}")


@pytest.fixture
def organiser(lang_son):
    return _staff_of(lang_son, Role.ORGANISER)


@pytest.fixture
def other_organiser(lao_cai):
    return _staff_of(lao_cai, Role.ORGANISER)


@pytest.fixture
def official(lang_son):
    return _staff_of(lang_son, Role.OFFICIAL, code="STC", name="Sở Tài chính")


@pytest.fixture
def leader(lang_son):
    return _staff_of(lang_son, Role.LEADER, kind=AgencyKind.PROVINCIAL_COMMITTEE, code="UBND", name="UBND")


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, agency=None, username="admin", is_staff=True, is_superuser=True)


from .browser import browser, page  # noqa: E402,F401  (fixtures for browser tests)
