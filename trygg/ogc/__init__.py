"""OGC API – Features (Part 1 Core, GeoJSON) under /ogc/, so GIS tools such as QGIS open Trygg's layers."""
