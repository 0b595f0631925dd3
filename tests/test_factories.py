"""Every model of the portal has a factory, and every factory builds a valid
row whose related rows all belong to one province."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import factories as f

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["agencies", "api", "conferences", "core", "documents", "indices", "notifications", "submissions"]

# Rows of no province: frameworks are national, and the outbox's own rows
# know no province (the notifications app imports no other app).
NATIONAL = {
    f.NationalIndexFactory,
    f.TrustAnchorFactory,
    f.FrameworkFactory,
    f.CriterionFactory,
    f.ReminderPolicyFactory,
    f.DeadlineItemFactory,
    f.ReminderStepFactory,
}

FACTORIES = [
    f.ExplanationFactory,
    f.AdjustmentFactory,
    f.NationalIndexFactory,
    f.ProvinceFactory,
    f.AgencyFactory,
    f.PersonFactory,
    f.SuccessionFactory,
    f.BodyMemberFactory,
    f.UserFactory,
    f.DirectoryImportFactory,
    f.ConferenceFactory,
    f.ImprovementPlanFactory,
    f.BasisDocumentFactory,
    f.ContentItemFactory,
    f.ProgrammeItemFactory,
    f.InviteeLineFactory,
    f.InvitationFactory,
    f.DelegateFactory,
    f.InviteeChangeFactory,
    f.DutyFactory,
    f.DutyAssignmentFactory,
    f.DutyUpdateFactory,
    f.AwardFactory,
    f.DocumentFactory,
    f.NumberCounterFactory,
    f.SectionFactory,
    f.OutlineTemplateFactory,
    f.RenderBatchFactory,
    f.RenderedFileFactory,
    f.TrustAnchorFactory,
    f.SignerCertificateFactory,
    f.BodyKeyFactory,
    f.DocumentSigningFactory,
    f.FrameworkFactory,
    f.CriterionFactory,
    f.NationalResultFactory,
    f.AssessmentFactory,
    f.ScoreFactory,
    f.ResponsibilityFactory,
    f.PublicationFactory,
    f.ReminderPolicyFactory,
    f.DeadlineItemFactory,
    f.ItemRecipientFactory,
    f.ReminderStepFactory,
    f.MessageFactory,
    f.PreferenceFactory,
    f.AssignmentFactory,
    f.PresentationFactory,
    f.VersionFactory,
    f.ReviewFactory,
    f.BookletFactory,
    f.AuditEntryFactory,
    f.ApiTokenFactory,
    f.ApiTokenUseFactory,
    f.CalendarFeedFactory,
    f.WebhookSubscriptionFactory,
    f.WebhookDeliveryFactory,
]


def _model(factory):
    return factory._meta.get_model_class()


def related_rows(row) -> list[models.Model]:
    """The row and every row it reaches through its foreign keys, many-to-many
    fields and generic links (content type and object id), each once."""
    seen: dict[tuple, models.Model] = {}
    todo = [row]
    while todo:
        current = todo.pop()
        key = (current._meta.label, current.pk)
        if key in seen or isinstance(current, ContentType):
            continue
        seen[key] = current
        for field in current._meta.get_fields():
            if field.is_relation and field.concrete and (field.many_to_one or field.one_to_one):
                target = getattr(current, field.name)
                if target is not None:
                    todo.append(target)
            elif field.many_to_many and field.concrete:
                todo.extend(getattr(current, field.name).all())
        content_type = getattr(current, "content_type", None)
        object_id = getattr(current, "object_id", None)
        if isinstance(content_type, ContentType) and object_id:
            todo.append(content_type.get_object_for_this_type(pk=object_id))
    return list(seen.values())


def provinces_of(row) -> dict[str, int]:
    """Each reached row that belongs to a province, with its province's id."""
    found = {}
    for related in related_rows(row):
        province_id = getattr(related, "province_id", None)
        if province_id is not None:
            found[f"{related._meta.label}:{related.pk}"] = province_id
    return found


def test_factories_cover_every_model_of_the_portal():
    models_of_apps = {model._meta.label for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()}
    assert models_of_apps == {_model(factory)._meta.label for factory in FACTORIES}


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda factory: factory.__name__)
def test_factory_builds_a_valid_row_of_one_province(factory):
    row = factory()
    row.refresh_from_db()  # what was stored, not what the factory held
    row.full_clean()
    provinces = provinces_of(row)
    if factory in NATIONAL:
        assert provinces == {}
    else:
        assert provinces, "a province's row reaches no province"
        assert len(set(provinces.values())) == 1, provinces


@pytest.mark.parametrize(
    "factory",
    [f.BasisDocumentFactory, f.ContentItemFactory, f.DutyFactory],
    ids=lambda factory: factory.__name__,
)
def test_plan_rows_take_the_plan_province(factory):
    row = factory(for_plan=True)
    row.refresh_from_db()
    row.full_clean()
    assert row.conference is None and row.plan is not None
    assert row.province_id == row.plan.province_id
    assert len(set(provinces_of(row).values())) == 1


def test_rows_under_a_given_owner_stay_in_its_province(lang_son):
    conference = f.ConferenceFactory(province=lang_son)
    rows = [
        f.InvitationFactory(conference=conference),
        f.DutyAssignmentFactory(duty=f.DutyFactory(conference=conference)),
        f.ReviewFactory(version__presentation__assignment__conference=conference),
        f.AuditEntryFactory(target=conference),
        f.SectionFactory(document__source=conference),
    ]
    for row in rows:
        assert set(provinces_of(row).values()) == {lang_son.pk}, row


def test_agency_names_read_as_the_province_prints_them(lang_son):
    invitation = f.InvitationFactory(conference__province=lang_son)
    duty = f.DutyFactory(conference=invitation.conference)
    assert invitation.agency.name.startswith("UBND xã ")
    assert duty.lead_agency.name.endswith(" tỉnh Lạng Sơn")
    assert invitation.conference.status == "invited"
