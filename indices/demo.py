"""Demo index data: the shipped frameworks, and Lai Châu's national results
for 2023 and 2024 as seed 002 states and implies them."""

from __future__ import annotations

from decimal import Decimal

from agencies.models import Province

from .loading import framework_load, shipped
from .models import Framework, IndexKind, NationalResult

# Seed 002: 2024 PAR INDEX 85,97 (+0,19, 56/63, down 7) and SIPAS 81,51% (+1,69, 55/63, down 5).
LAI_CHAU = [
    (IndexKind.PAR, 2024, "85.97", 56, 63, "Quyết định số 268/QĐ-BNV ngày 28/3/2025"),
    (IndexKind.PAR, 2023, "85.78", 49, 63, ""),
    (IndexKind.SIPAS, 2024, "81.51", 55, 63, "Quyết định số 268/QĐ-BNV ngày 28/3/2025"),
    (IndexKind.SIPAS, 2023, "79.82", 50, 63, ""),
]


def seed_indices(*, stdout=None) -> None:
    made = 0
    for data in shipped():
        if not Framework.objects.filter(code=data["code"], year=data["year"]).exists():
            framework_load(data)
            made += 1
    province = Province.objects.filter(code="lai-chau").first()
    if province:
        for index, year, score, rank, out_of, source in LAI_CHAU:
            NationalResult.objects.get_or_create(province=province, index=index, year=year, defaults={
                "score": Decimal(score), "rank": rank, "out_of": out_of, "source": source})
    if stdout is not None:
        stdout.write(f"Bộ chỉ số: {Framework.objects.count()} bộ" + (f" (mới: {made})" if made else "") + ".")
