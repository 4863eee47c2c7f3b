import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "regions.json"


def regions_load(region_model) -> int:
    """Load the GB/T 2260 codes the platform ships (idempotent). Takes the model class so that the data
    migration can pass its historical model."""
    rows = json.loads(DATA.read_text())
    for code, name, parent in rows:
        level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "district"
        region_model.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})
    return len(rows)
