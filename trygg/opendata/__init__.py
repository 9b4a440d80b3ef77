"""Open data: the public register as GeoJSON/CSV with DCAT-AP-SE, OSM tags, indicator exports (issue 13)."""
