"""core.bulk: foreign keys checked once per key, rows created for each value,
COPY fed as it reads; and core.lookups' `any`."""

from __future__ import annotations

import copy
import threading
from decimal import Decimal

import psycopg2
import pytest
from django.db import IntegrityError, connection, transaction

from core import bulk
from indices import services
from indices.models import Assessment, Criterion, Score

from .factories import AgencyFactory
from .test_indices_results import FRAMEWORK, departments, filled

pytestmark = pytest.mark.django_db

COLUMNS = ["assessment_id", "criterion_id", "round", "value", "note", "evidence", "evidence_name"]
KEYLESS = {"assessment_id": [], "criterion_id": []}


@pytest.fixture
def framework(db):
    return services.framework_load(copy.deepcopy(FRAMEWORK))


@pytest.fixture
def assessment(framework, lang_son):
    return Assessment.objects.create(framework=framework, agency=AgencyFactory(province=lang_son))


def lines(assessment_id: int, criterion_ids) -> list[str]:
    return [f"{assessment_id}\t{c}\tappraised\t1\t\t\t\n" for c in criterion_ids]


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@pytest.fixture
def unprivileged():
    """The rest of the test runs as a role that may read and write every
    table but not switch the key triggers off, as a production role without
    the grant of README's deployment step 4."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE cchc_test_plain")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO cchc_test_plain")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO cchc_test_plain")
        cursor.execute("SET ROLE cchc_test_plain")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_the_test_role_may_switch_the_key_triggers_off():
    # Every other test of this file would pass without ever taking the fast path.
    assert bulk.may_defer_key_checks()


def test_rows_with_good_keys_are_written_and_the_triggers_come_back_on(framework, assessment):
    criteria = list(Criterion.objects.filter(framework=framework, children__isnull=True).values_list("pk", flat=True))
    keys = {"assessment_id": [assessment.pk], "criterion_id": criteria}
    with bulk.foreign_keys_checked_once(Score, keys), connection.cursor() as cursor:
        assert setting("session_replication_role") == "replica"
        bulk.copy_from(cursor, Score._meta.db_table, COLUMNS, lines(assessment.pk, criteria))
    assert setting("session_replication_role") == "origin"
    assert sorted(Score.objects.filter(assessment=assessment).values_list("criterion_id", flat=True)) == sorted(
        criteria
    )


@pytest.mark.parametrize("bad", ["criterion", "assessment"])
def test_a_key_that_names_no_row_refuses_the_block_before_it_writes(framework, assessment, bad):
    criterion = Criterion.objects.filter(framework=framework, children__isnull=True).first()
    keys = {"assessment_id": [assessment.pk], "criterion_id": [criterion.pk]}
    keys[f"{bad}_id"].append(987654)
    written = []
    with pytest.raises(IntegrityError, match=f"{bad}_id.*1 key"):
        with bulk.foreign_keys_checked_once(Score, keys):
            written.append(True)
    assert written == []
    assert setting("session_replication_role") == "origin"


def test_every_foreign_key_column_must_be_given(assessment):
    with pytest.raises(ValueError, match="criterion_id"):
        with bulk.foreign_keys_checked_once(Score, {"assessment_id": [assessment.pk]}):
            pass


def test_the_keys_are_checked_whatever_the_order_and_repeats(framework, assessment):
    criteria = list(Criterion.objects.filter(framework=framework, children__isnull=True).values_list("pk", flat=True))
    keys = {"assessment_id": [assessment.pk] * 3 + [None], "criterion_id": reversed(criteria * 2)}
    with bulk.foreign_keys_checked_once(Score, keys), connection.cursor() as cursor:
        bulk.copy_from(cursor, Score._meta.db_table, COLUMNS, lines(assessment.pk, criteria))
    assert Score.objects.count() == len(criteria)


def test_an_error_inside_the_block_turns_the_triggers_back_on(assessment):
    with pytest.raises(ZeroDivisionError), bulk.foreign_keys_checked_once(Score, KEYLESS):
        1 / 0  # noqa: B018
    assert setting("session_replication_role") == "origin"
    with pytest.raises(IntegrityError):  # PostgreSQL's own per-row check is back
        with transaction.atomic(), connection.cursor() as cursor:
            bulk.copy_from(cursor, Score._meta.db_table, COLUMNS, lines(assessment.pk, [987654]))
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_score_table_has_no_trigger_but_its_foreign_keys():
    """foreign_keys_checked_once switches every ordinary trigger of the table
    off, not only the foreign keys': a trigger added to the score table later
    would be skipped by imports, and must be looked at here first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger t LEFT JOIN pg_constraint c ON c.oid = t.tgconstraint "
            "WHERE t.tgrelid = %s::regclass AND (c.contype IS DISTINCT FROM 'f')",
            [Score._meta.db_table],
        )
        assert cursor.fetchall() == []
        cursor.execute("SELECT rulename FROM pg_rules WHERE tablename = %s", [Score._meta.db_table])
        assert cursor.fetchall() == []


@pytest.mark.django_db(transaction=True)
def test_the_keys_stay_locked_until_the_commit(framework, lang_son):
    """What PostgreSQL's per-row trigger guarantees: a referenced row cannot
    be deleted by another transaction before the rows naming it are
    committed."""
    assessment = Assessment.objects.create(framework=framework, agency=AgencyFactory(province=lang_son))
    criterion = Criterion.objects.filter(framework=framework, children__isnull=True).first()
    settings = connection.settings_dict
    outcome = {}

    def delete_elsewhere():
        other = psycopg2.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"]
        )
        try:
            with other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
                cursor.execute(f"DELETE FROM {Assessment._meta.db_table} WHERE id = %s", [assessment.pk])
            outcome["deleted"] = True
        except psycopg2.errors.LockNotAvailable:
            outcome["deleted"] = False
        finally:
            other.rollback()
            other.close()

    keys = {"assessment_id": [assessment.pk], "criterion_id": [criterion.pk]}
    with transaction.atomic():
        with bulk.foreign_keys_checked_once(Score, keys), connection.cursor() as cursor:
            bulk.copy_from(cursor, Score._meta.db_table, COLUMNS, lines(assessment.pk, [criterion.pk]))
        thread = threading.Thread(target=delete_elsewhere)
        thread.start()
        thread.join()
    assert outcome == {"deleted": False}


def test_without_the_grant_the_database_checks_each_row(framework, assessment, unprivileged):
    assert not bulk.may_defer_key_checks()
    criterion = Criterion.objects.filter(framework=framework, children__isnull=True).first()
    keys = {"assessment_id": [assessment.pk], "criterion_id": [criterion.pk]}
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            # Keys the caller forgot are still caught, by PostgreSQL's own triggers.
            with bulk.foreign_keys_checked_once(Score, keys), connection.cursor() as cursor:
                assert setting("session_replication_role") == "origin"
                bulk.copy_from(cursor, Score._meta.db_table, COLUMNS, lines(assessment.pk, [987654]))
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not Score.objects.exists()


def test_an_import_without_the_grant_writes_the_same(framework, lang_son, organiser, unprivileged):
    a, b = departments(lang_son, 2)
    services.scores_import(
        actor=organiser,
        framework=framework,
        province=lang_son,
        data=filled(framework, lang_son, {a.code: {"1.1": 3, "2.1": "4,5"}, b.code: {"2.2": 6}}),
    )
    assert dict(Assessment.objects.values_list("agency__code", "total")) == {
        a.code: Decimal("7.50"),
        b.code: Decimal("6.00"),
    }
    assert Score.objects.count() == 3


# --- create_for_each ----------------------------------------------------------------------------


def test_create_for_each_writes_one_row_per_value_and_skips_those_there(framework, lang_son):
    agencies = [AgencyFactory(province=lang_son) for _ in range(3)]
    there = Assessment.objects.create(framework=framework, agency=agencies[0], status=Assessment.Status.APPRAISED)
    bulk.create_for_each(Assessment(framework=framework), "agency", [a.pk for a in agencies])
    rows = {a.agency_id: a for a in Assessment.objects.filter(framework=framework)}
    assert set(rows) == {a.pk for a in agencies}
    assert rows[there.agency_id].status == Assessment.Status.APPRAISED  # left as it was
    new = rows[agencies[1].pk]
    # The model's defaults, and its blanks as NULLs of their own types.
    assert (new.status, new.self_deadline, new.total, new.published_at) == (Assessment.Status.SELF, None, None, None)
    assert new.updated_at is not None  # auto_now, as bulk_create sets it


def test_create_for_each_takes_the_prototypes_values(framework, lang_son):
    import datetime as dt

    agency = AgencyFactory(province=lang_son)
    prototype = Assessment(
        framework=framework, status=Assessment.Status.SUBMITTED, self_deadline=dt.date(2026, 3, 31), self_total=12
    )
    bulk.create_for_each(prototype, "agency", [agency.pk])
    made = Assessment.objects.get(agency=agency)
    assert (made.status, made.self_deadline, made.self_total) == (
        Assessment.Status.SUBMITTED,
        dt.date(2026, 3, 31),
        Decimal("12.00"),
    )


def test_create_for_each_refuses_to_repeat_a_unique_value(lang_son):
    from agencies.models import Agency

    with pytest.raises(ValueError, match="unique"):
        bulk.create_for_each(Agency(province=lang_son, name="Sở Thử"), "name", ["a", "b"])


def test_create_for_each_refuses_a_value_too_long_rather_than_cutting_it(lang_son):
    from django.db import DataError

    from agencies.models import Agency, AgencyKind

    prototype = Agency(province=lang_son, name="Xã Thử", kind=AgencyKind.COMMUNE)
    with pytest.raises(DataError), transaction.atomic():
        # Cut to 50 characters, both codes would be one and the second skipped.
        bulk.create_for_each(prototype, "code", ["X" * 50 + "1", "X" * 50 + "2"])
    bulk.create_for_each(prototype, "code", ["X1", "X2"])
    assert sorted(Agency.objects.filter(name="Xã Thử").values_list("code", flat=True)) == ["X1", "X2"]


def test_create_for_each_refuses_a_model_whose_key_it_would_repeat():
    from django.contrib.sessions.models import Session

    with pytest.raises(ValueError, match="primary key"):
        bulk.create_for_each(Session(session_data=""), "expire_date", [])


# --- copy_from ------------------------------------------------------------------------------------


def test_copy_from_writes_long_lines_as_they_are(framework, assessment):
    criterion = Criterion.objects.filter(framework=framework, children__isnull=True).first()
    note = "Giải trình " * 20_000  # one line of 220,000 characters
    with connection.cursor() as cursor:
        bulk.copy_from(
            cursor,
            Score._meta.db_table,
            COLUMNS,
            [f"{assessment.pk}\t{criterion.pk}\tappraised\t2.5\t{note}\t\t\n"],
        )
    assert Score.objects.get().note == note


# --- the `any` lookup -----------------------------------------------------------------------------


def test_any_matches_as_in_does_with_one_parameter(framework, lang_son):
    agencies = [AgencyFactory(province=lang_son) for _ in range(4)]
    made = [Assessment.objects.create(framework=framework, agency=a) for a in agencies]
    wanted = [made[0].pk, made[2].pk, 987654]
    query = Assessment.objects.filter(pk__any=wanted)
    assert sorted(query.values_list("pk", flat=True)) == sorted(wanted[:2])
    sql, params = query.query.sql_with_params()
    assert params == (wanted,)
    by_agency = Assessment.objects.filter(agency_id__any=[agencies[1].pk, agencies[3].pk])
    assert sorted(by_agency.values_list("agency_id", flat=True)) == sorted([agencies[1].pk, agencies[3].pk])
    assert not Assessment.objects.filter(pk__any=[]).exists()
    assert not Assessment.objects.filter(pk__any=[None]).exists()  # NULL is never equal, as with __in
    assert list(Assessment.objects.filter(status__any=["self"]).order_by("pk")) == made
    assert list(Assessment.objects.filter(agency__any=agencies[:2]).order_by("pk")) == made[:2]  # instances
    with pytest.raises(TypeError, match="list"):
        Assessment.objects.filter(status__any="self")  # would be "s", "e", "l", "f"
