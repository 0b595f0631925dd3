"""Writing what the spreadsheet readers (indices.excel, indices.national_sheet)
checked: a year's scores in bulk, and the national results table. Each is
all or nothing, checked again at the moment of writing, and audited as one
change with the number of rows it wrote."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Province
from core import audit, bulk
from core.exceptions import Refused
from core.permissions import require
from core.spreadsheets import first_sheet_rows

from .. import excel, national_table, reminders
from ..models import Assessment, Framework, NationalResult, Score
from ..workflows import ASSESSMENT
from .scores import totals_refresh

ANALYZE_AFTER_CELLS = 20_000  # a large import changes the table's shape


def scores_import(
    *,
    actor,
    framework: Framework,
    province,
    data: bytes | None = None,
    rows: list[list] | None = None,
    round: str = Score.Round.APPRAISED,
) -> excel.Preview:
    """Read (or take the `rows` read at upload), check and write the whole
    sheet in one transaction, or refuse with the problems and write nothing."""
    if not actor.has_perm("indices.organise", province):
        raise Refused(_("Chỉ Sở Nội vụ của tỉnh mới nhập kết quả."))
    if rows is None:
        rows = first_sheet_rows(data)
    preview = excel.read_rows(framework, province, rows, round=round)
    if not preview.ok:
        raise Refused(*[str(p) for p in preview.problems[:20]])
    _scores_write(actor=actor, province=province, preview=preview)
    if connection.vendor == "postgresql" and preview.cells >= ANALYZE_AFTER_CELLS:
        # The organiser opens the ranking next. The ranking joins scores to
        # their assessments and agencies (the province's scope), and the
        # planner sizes each from the rows it last counted: after a first
        # import it would still think them small and walk every criterion's
        # scores instead of the page's agencies (0.2 s a query). A table the
        # import has more than doubled is counted again now (the score table
        # takes 0.1 to 0.2 s); one that grew less keeps estimates good
        # enough until autovacuum recounts it, after a tenth has changed.
        _count_again({Score: preview.cells, Assessment: len(preview.rows), Agency: len(preview.rows)})
    return preview


def _count_again(written: dict) -> None:
    """ANALYZE each model's table whose statistics count fewer rows than
    `written` (the rows an import has just written into it, or named)."""
    tables = {model._meta.db_table: count for model, count in written.items()}
    with connection.cursor() as cursor:
        # reltuples: -1 for a table never counted.
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE oid = ANY(%s::regclass[])", [list(tables)])
        for table, counted in cursor.fetchall():
            if counted < tables[table]:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _scores_write(*, actor, province, preview: excel.Preview) -> None:
    """scores_import's transaction, for a sheet it has just read and checked:
    all or nothing, checked again at the moment of writing."""
    framework, round = preview.framework, preview.round
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The statements below touch 340,000 rows, so their estimated cost
            # crosses the JIT's threshold; compiling them took longer (0.4 to
            # 0.5 s each) than running them.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        if (
            round == Score.Round.APPRAISED
            and Assessment.objects.filter(
                framework=framework, agency__province=province, status=Assessment.Status.PUBLISHED
            ).exists()
        ):
            raise Refused(_("Kết quả năm %(year)s đã công bố: không nhập đè được.") % {"year": framework.year})
        agency_ids = [row.agency.pk for row in preview.rows]
        bulk.create_for_each(Assessment(framework=framework), "agency", agency_ids)  # those not yet there
        # Locked until the commit, as scores_save locks its assessment before
        # writing a score: those without any score of the round keep none
        # meanwhile, and take plain inserts (_store_scores).
        ids, scored = {}, set()
        for agency_id, pk, has_scores in (
            Assessment.objects.filter(framework=framework, agency_id__any=agency_ids)
            .select_for_update(no_key=True)
            .annotate(has_scores=Exists(Score.objects.filter(assessment=OuterRef("pk"), round=round)))
            .values_list("agency_id", "pk", "has_scores")
        ):
            ids[agency_id] = pk
            if has_scores:
                scored.add(pk)
        _store_scores(preview.rows, ids, scored, round)
        touched = Assessment.objects.filter(pk__any=list(ids.values()))
        if round == Score.Round.APPRAISED:
            # The final round waits for the agencies' answers (or their deadline).
            explaining = touched.filter(
                status=Assessment.Status.EXPLAINING, explain_deadline__gte=timezone.localdate()
            ).count()
            if explaining:
                raise Refused(
                    _(
                        "Còn %(count)s đơn vị của bảng đang trong hạn giải trình: thẩm định lần 2 sau khi đơn vị "
                        "gửi giải trình hoặc hết hạn."
                    )
                    % {"count": explaining}
                )
        totals_refresh(touched, rounds=[round])
        if round == Score.Round.APPRAISED:
            # The appraisal step for every agency of the sheet at once: round 1,
            # or the final round for those that were explaining.
            now = timezone.now()
            touched.filter(status__in=ASSESSMENT["appraise"].source).update(
                status=Assessment.Status.APPRAISED, appraised_at=now
            )
            finals = list(
                touched.filter(status__in=[Assessment.Status.EXPLAINING, Assessment.Status.EXPLAINED]).values_list(
                    "pk", flat=True
                )
            )
            touched.filter(pk__in=finals).update(status=Assessment.Status.FINAL, final_at=now)
            reminders.explanation_done(finals)
        audit.record(
            actor=actor,
            action=f"assessment.import.{round}",
            target=framework,
            province_id=province.pk,
            model=Score,
            count=preview.cells,
            after={"agencies": len(preview.rows), "cells": preview.cells},
        )


def _store_scores(rows: list[excel.AgencyRow], ids: dict[int, int], scored: set[int], round: str) -> None:
    """The sheet's scores into Score. `ids`: agency id → assessment id;
    `scored`: the assessments that already have scores of the round, whose
    notes and evidence stay and whose unchanged scores are left unwritten."""
    if connection.vendor != "postgresql":
        Score.objects.bulk_create(
            [
                Score(assessment_id=ids[row.agency.pk], criterion_id=c, round=round, value=v)
                for row in rows
                for c, v in row.values.items()
            ],
            update_conflicts=True,
            unique_fields=["assessment", "criterion", "round"],
            update_fields=["value"],
            batch_size=500,
        )
        return
    # In the order of the unique index (assessment, criterion): each
    # assessment's entries go to neighbouring index pages.
    rows = sorted(((ids[row.agency.pk], row.values) for row in rows), key=lambda pair: pair[0])
    new = [(pk, values) for pk, values in rows if pk not in scored]
    again = [(pk, values) for pk, values in rows if pk in scored]
    table = Score._meta.db_table
    # Each key checked once, not once per score (core.bulk): the rows below
    # are made of these assessments and criteria only.
    keys = {"assessment_id": [pk for pk, _values in rows], "criterion_id": set().union(*(v for _pk, v in rows))}
    with bulk.foreign_keys_checked_once(Score, keys), connection.cursor() as cursor:
        if new:
            # No score of these assessments' round exists (nor can appear,
            # they are locked): straight into the table, the cheapest way
            # PostgreSQL stores rows, with every index maintained.
            # (`{v!s}`: str() writes a Decimal in half the time format() takes.)
            bulk.copy_from(
                cursor,
                table,
                ["assessment_id", "criterion_id", "round", "value", "note", "evidence", "evidence_name"],
                ("".join([f"{pk}\t{c}\t{round}\t{v!s}\t\t\t\n" for c, v in values.items()]) for pk, values in new),
            )
        if again:
            cursor.execute("DROP TABLE IF EXISTS score_import")
            cursor.execute(
                "CREATE TEMPORARY TABLE score_import (assessment_id bigint, criterion_id bigint, "
                "value numeric(7, 2)) ON COMMIT DROP"
            )
            bulk.copy_from(
                cursor,
                "score_import",
                ["assessment_id", "criterion_id", "value"],
                ("".join([f"{pk}\t{c}\t{v!s}\n" for c, v in values.items()]) for pk, values in again),
            )
            cursor.execute(
                f"INSERT INTO {table} (assessment_id, criterion_id, round, value, note, evidence, evidence_name) "
                f"SELECT assessment_id, criterion_id, %s, value, '', '', '' FROM score_import i "
                # A re-import mostly repeats the scores already there: those
                # rows are looked up and passed over before the insert, which
                # would otherwise lock (write) each conflicting row even when
                # it then leaves it unchanged.
                f"WHERE i.value IS DISTINCT FROM (SELECT s.value FROM {table} s "
                f"WHERE s.assessment_id = i.assessment_id AND s.criterion_id = i.criterion_id AND s.round = %s) "
                f"ON CONFLICT (assessment_id, criterion_id, round) DO UPDATE SET value = EXCLUDED.value "
                f"WHERE {table}.value IS DISTINCT FROM EXCLUDED.value",
                [round, round],
            )


@transaction.atomic
def national_table_import(
    *, actor, rows: list[list], year: int | None = None, index: str | None = None, only: Province | None = None
) -> national_table.TablePreview:
    """Add and update every result of a published national table (the rows
    read at upload, checked again against what is on record now), or refuse
    with the problems and write nothing. `only`: a province's own page, which
    takes no other province's line."""
    if only is not None:
        require(actor, "indices.organise", only, _("Chỉ Sở Nội vụ của tỉnh mới nhập kết quả công bố."))
    else:
        require(actor, "indices.import_national", None, _("Chỉ Sở Nội vụ mới nhập bảng kết quả toàn quốc."))
    preview = national_table.read(rows, year=year, index=index, only=only)
    if not preview.ok:
        raise Refused(*[str(p) for p in preview.problems[:20]])
    created = [row for row in preview.rows if row.action == "create"]
    updated = [row for row in preview.rows if row.action == "update"]
    before = {id(row): {key: getattr(row.current, key) for key in row.values} for row in updated}
    NationalResult.public.bulk_create(
        [
            NationalResult(
                province=row.province,
                index=row.index,
                year=row.year,
                entered_by=actor,
                **{"source": "", **row.values},
            )
            for row in created
        ]
    )
    for row in updated:
        for key, value in row.values.items():
            setattr(row.current, key, value)
        row.current.entered_by = actor
    NationalResult.public.bulk_update(
        [row.current for row in updated], ["score", "rank", "out_of", "source", "entered_by"], batch_size=500
    )
    for row in (*created, *updated):
        audit.record(
            actor=actor,
            action="national_result.import",
            target=row.province,
            model=NationalResult,
            before=before.get(id(row), {}),
            after={"index": row.index, "year": row.year, **row.values},
        )
    return preview
