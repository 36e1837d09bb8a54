"""The demo data: valid fictitious ID numbers, code lengths, every case state, deterministic by seed."""
from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from server.content import demo_catalog, generator
from server.content.people import check_char, mask_id_number, person_key, valid_id_number
from server.context import AppContext
from server.models import CatalogItem, ContentCase, ContentCertificate
from tests.server.content.builders import TODAY, seed


def test_id_numbers_have_valid_check_characters() -> None:
    rng = random.Random(7)
    people = [generator.random_person(rng, TODAY) for _ in range(500)]
    for person in people:
        assert valid_id_number(person.id_number), person.id_number
        assert person.id_number[:6] in generator.REGIONS
        assert (int(person.id_number[16]) % 2 == 1) == person.male
        assert 18 <= (TODAY - person.born).days // 365 <= 85
    assert valid_id_number(generator.DEMO_PERSON.id_number)
    assert len({p.name[0] for p in people}) > 40  # many different surnames
    assert check_char("11010519491231002") == "X"
    assert not valid_id_number("110105194913310020")  # month 13
    assert not valid_id_number("370102198005120036")  # wrong check character


def test_catalog_codes_and_coverage() -> None:
    bodies = [demo_catalog.item_body(row) for row in demo_catalog.ITEMS]
    assert len(bodies) >= 30
    assert len({b["department"] for b in bodies}) >= 8
    assert all(len(row[0]) <= 10 for row in demo_catalog.ITEMS)
    assert all(len(b["impl_code"]) <= 24 for b in bodies)
    declarable = [b for b in bodies if "declare" in b["functions"]]
    assert len(declarable) >= 8 and all(b["form"] and any(m["scan"] for m in b["materials"]) for b in declarable)
    assert {t for b in bodies for t in b["themes"]} == {t[0] for t in demo_catalog.THEMES}


def test_seed_is_deterministic_and_covers_every_state(ctx: AppContext, tmp_path) -> None:  # type: ignore[no-untyped-def]
    summary = seed(ctx, cases=200)
    assert (summary.cases, summary.items) == (200, len(demo_catalog.ITEMS))
    with ctx.reading() as session:
        cases = session.scalars(select(ContentCase)).all()
        numbers = sorted(c.case_no for c in cases)
        assert {c.status for c in cases} == {"received", "accepted", "reviewed", "issued", "posted"}
        assert all(c.sample_data for c in cases) and all(c.steps[0].note == "示例数据" for c in cases)
        for case in cases:
            reached = [s.at for s in case.steps if s.at is not None]
            assert reached == sorted(reached) and case.steps[len(reached) - 1].code == case.status
            assert len(case.case_no) == 16 and case.applicant_id_masked.count("*") == 10
        certificates = session.scalars(select(ContentCertificate)).all()
        assert {c.kind for c in certificates} == {"social_insurance_proof", "housing_fund_proof",
                                                  "real_estate_query", "household_proof"}
        assert all("示例" in c.issuer and c.notes for c in certificates)
        demo_key = person_key(ctx.settings.secret_key, generator.DEMO_PERSON.id_number)
        assert sum(c.holder_key == demo_key for c in certificates) == 4
        assert all(row.sample_data for row in session.scalars(select(CatalogItem)))
    assert str(seed(ctx)).startswith("content sample data already present")  # a second run adds nothing
    # the same seed and day on another database gives the same data
    from server.db import make_engine
    from server.migrate import upgrade
    from tests.server.conftest import make_settings

    url = f"sqlite:///{tmp_path / 'again.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    other = AppContext.build(make_settings(url))
    seed(other, cases=200)
    with other.reading() as session:
        assert sorted(session.scalars(select(ContentCase.case_no))) == numbers
    other.engine.dispose()


def test_masks_and_keys() -> None:
    assert mask_id_number(generator.DEMO_PERSON.id_number) == "3701**********0035"
    assert person_key("a-secret", "11010519491231002x") == person_key("a-secret", "11010519491231002X")
    assert person_key("a-secret", generator.DEMO_PERSON.id_number) != person_key("b-secret",
                                                                                   generator.DEMO_PERSON.id_number)
    assert date(1980, 5, 12) == generator.DEMO_PERSON.born
