"""A month missing is a contradiction too (issue 16): when a 社保 load completes a month, the city's talents who
declare social insurance paid in the city and have no row of that month raise a discrepancy whose evidence is the
load and the month (no fact); once — a reload, a reordered file or a later correction of the month raise nothing
new —; shown, exported and resolved as any other. Both databases."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from rencai.core import crypto
from rencai.datahub import services
from rencai.datahub.enums import Resolution
from rencai.datahub.models import Discrepancy, Load
from rencai.talents.models import Talent

from .factories import SI_HEADER, csv_bytes, feed

pytestmark = pytest.mark.django_db


def _load(run_on_commit, actor, f, rows, name="社保.csv") -> Load:
    with run_on_commit():
        load = services.load_submit(actor=actor, feed_id=f.pk, upload=SimpleUploadedFile(name, csv_bytes(SI_HEADER,
                                                                                                         rows)))
    return Load.objects.get(pk=load.pk)


def _row(t, month="2026-10", base="6000"):
    return [t.name, crypto.decrypt(t.id_number_cipher), month, "正常缴费", "和平区", base]


def test_a_declared_payer_missing_from_a_delivered_month_raises_once(city_staff, make_talent, run_on_commit):
    f = feed()
    present = make_talent(name="在册", social_insurance="在本市缴纳")
    absent = make_talent(name="缺月", social_insurance="在本市缴纳")
    undeclared = make_talent(name="未申报")  # declares nothing: no contradiction
    moved = make_talent(name="外市", social_insurance="在本市缴纳")
    Talent.objects.filter(pk=moved.pk).update(district_id="320602")  # 南通: not this city's feed to speak for
    other = make_talent(name="他人")
    october = _load(run_on_commit, city_staff, f, [_row(present), _row(other)])
    found = list(Discrepancy.objects.all())
    assert [(d.talent_id, d.field, d.fact_id, d.feed_id, d.load_id, f"{d.period:%Y-%m}") for d in found] == [
        (absent.pk, "social_insurance", None, f.pk, october.pk, "2026-10")]
    assert found[0].declared == "在本市缴纳" and found[0].verified == f"{f.name}：2026年10月无本市缴费记录"
    assert undeclared.pk not in {d.talent_id for d in found}

    _load(run_on_commit, city_staff, f, [_row(present), _row(other)])  # the same file again
    _load(run_on_commit, city_staff, f, [_row(other), _row(present)], name="重报.csv")  # reordered: nothing written
    _load(run_on_commit, city_staff, f, [_row(present, base="7000"), _row(other)], name="更正.csv")  # a correction
    assert Discrepancy.objects.count() == 1
    # November, still without them: the next month's discrepancy, with its own words.
    november = _load(run_on_commit, city_staff, f, [_row(present, "2026-11"), _row(other, "2026-11")],
                     name="11月.csv")
    assert sorted(Discrepancy.objects.values_list("talent_id", "period__month", "load_id")) == [
        (absent.pk, 10, october.pk), (absent.pk, 11, november.pk)]


def test_a_month_present_in_the_file_is_no_contradiction_even_when_loaded_later(city_staff, make_talent,
                                                                                run_on_commit):
    f = feed()
    late = make_talent(name="补报", social_insurance="在本市缴纳")
    first = make_talent(name="先报", social_insurance="在本市缴纳")
    _load(run_on_commit, city_staff, f, [_row(first), _row(late), _row(first, "2026-09"), _row(late, "2026-09")])
    assert not Discrepancy.objects.exists()
    # September delivered again for one of them only (a correction): September was complete before.
    _load(run_on_commit, city_staff, f, [_row(first, "2026-09", base="9000")], name="9月更正.csv")
    assert not Discrepancy.objects.exists()


def test_the_missing_month_is_shown_exported_and_resolved(client, city_staff, make_talent, run_on_commit):
    f = feed()
    absent = make_talent(name="缺月者", social_insurance="在本市缴纳")
    load = _load(run_on_commit, city_staff, f, [_row(make_talent(name="他人"))])
    item = Discrepancy.objects.get(talent=absent)
    client.force_login(city_staff)
    page = client.get(f"/datahub/discrepancies/{item.pk}/").content.decode()
    assert "2026年10月无本市缴费记录" in page and f"第{load.pk}批装载" in page and f.name in page
    listing = client.get("/datahub/discrepancies/").content.decode()
    assert "缺月者" in listing and f.name in listing
    book = load_workbook(io.BytesIO(b"".join(client.get("/datahub/discrepancies.xlsx").streaming_content)))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert f.name in cells and "缺月者" in cells
    dashboard = client.get("/datahub/").content.decode()
    assert dashboard.count(f.name) >= 1
    services.discrepancy_transition(actor=city_staff, discrepancy_id=item.pk, resolution=Resolution.REGISTRY_CORRECTED)
    assert Talent.objects.get(pk=absent.pk).social_insurance == "not_paying"
    assert Discrepancy.objects.get(pk=item.pk).status == "resolved"


def test_a_missing_month_kept_as_declared_sets_no_fact_aside(city_staff, make_talent, run_on_commit):
    """A discrepancy without a fact, closed as 申报信息属实, must not make the verified facts of others unusable
    (verification sets aside only the facts staff found wrong)."""
    from rencai.datahub import verification
    from rencai.datahub.models import Verification

    f = feed()
    present = make_talent(name="在册", social_insurance="在本市缴纳")
    absent = make_talent(name="缺月", social_insurance="在本市缴纳")
    _load(run_on_commit, city_staff, f, [_row(present)])
    item = Discrepancy.objects.get(talent=absent)
    services.discrepancy_transition(actor=city_staff, discrepancy_id=item.pk,
                                    resolution=Resolution.DECLARATION_UPHELD, note="本人提供了缴费凭证")
    verification.rebuild()
    row = Verification.objects.get(talent=present)
    assert (f"{row.insured_month:%Y-%m}", row.insured_in_city) == ("2026-10", True)
