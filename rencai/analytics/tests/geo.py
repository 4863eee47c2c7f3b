"""Small district boundaries for the tests (no network, no real map data): one square per Shenyang district."""

import json

SHENYANG = ["210102", "210103", "210104", "210105", "210106", "210111", "210112", "210113", "210114", "210115",
            "210123", "210124", "210181"]


def square(i: int, size: float = 0.05) -> list:
    x, y = 123.0 + (i % 4) * 0.1, 41.5 + (i // 4) * 0.1
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def shenyang_geojson(*, by: str = "adcode", names: dict | None = None, drop: int | None = None,
                     extra: list | None = None) -> dict:
    features = []
    for i, code in enumerate(SHENYANG):
        if i == drop:
            continue
        properties = {"adcode": code} if by == "adcode" else {"name": (names or {})[code]}
        features.append({"type": "Feature", "properties": properties,
                         "geometry": {"type": "Polygon", "coordinates": square(i)}})
    return {"type": "FeatureCollection", "features": features + (extra or [])}


def shenyang_bytes(**kwargs) -> bytes:
    return json.dumps(shenyang_geojson(**kwargs), ensure_ascii=False).encode()
