"""Convert Natural Earth country shapes from the npm package `world-atlas` (TopoJSON) into the GeoJSON the
offline base map draws (app/static/vendor/naturalearth/countries-110m.geojson).

Run once when updating (no network at runtime; the app only serves the result):

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python scripts/naturalearth_geojson.py /tmp/package/countries-110m.json \
        app/static/vendor/naturalearth/countries-110m.geojson

TopoJSON stores shared borders once as quantised, delta-encoded arcs; a ring lists the arcs it follows (a
negative index ~i means arc i reversed). Decoding is a few lines, so no topojson library is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DECIMALS = 2  # about 1 km: finer than a 1:110m map shows, and the file stays small


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as absolute (longitude, latitude) points."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for position in arc:
            if transform:
                x, y = x + position[0], y + position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((position[0], position[1]))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[list[float]]:
    """A closed ring from the arcs it follows; each arc after the first starts where the last one ended."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    coords = [[round(lon, DECIMALS), round(lat, DECIMALS)] for lon, lat in points]
    deduplicated = [point for i, point in enumerate(coords) if i == 0 or point != coords[i - 1]]
    if deduplicated[0] != deduplicated[-1]:
        deduplicated.append(deduplicated[0])
    return deduplicated


def geometry(shape: dict, arcs: list) -> dict | None:
    if shape["type"] == "Polygon":
        rings = [r for r in (ring(indexes, arcs) for indexes in shape["arcs"]) if len(r) >= 4]
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if shape["type"] == "MultiPolygon":
        polygons = []
        for polygon in shape["arcs"]:
            rings = [r for r in (ring(indexes, arcs) for indexes in polygon) if len(r) >= 4]
            if rings:
                polygons.append(rings)
        return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None
    return None  # countries-110m has only polygons; anything else has no area to draw


def convert(topology: dict, object_name: str = "countries") -> dict:
    """A GeoJSON FeatureCollection of the topology's object (countries with their name and ISO numeric id)."""
    arcs = decode_arcs(topology)
    features = []
    for shape in topology["objects"][object_name]["geometries"]:
        geom = geometry(shape, arcs)
        if geom is None:
            continue
        features.append({
            "type": "Feature",
            "id": shape.get("id"),
            "properties": {"name": (shape.get("properties") or {}).get("name", "")},
            "geometry": geom,
        })
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    source, target = Path(argv[1]), Path(argv[2])
    collection = convert(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(collection['features'])} countries, {target.stat().st_size} bytes -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
