"""The datasets Trygg publishes as open data and their DCAT-AP-SE 2 description (RDF with rdflib).

One list (`DATASETS`) feeds the landing page /oppna-data/ and the catalog, so a distribution cannot be
linked on the page and missing in the metadata. Titles and descriptions are Swedish source strings,
written in the catalog in Swedish and English (the English from Trygg's translations).

DCAT-AP-SE 2.x (https://docs.dataportal.se/dcat/en/) asks for: on the catalog dct:title,
dct:description, dct:publisher and dcat:dataset; on a dataset dct:title, dct:description,
dct:publisher and dcat:contactPoint, recommended dcat:distribution, dcat:theme, dct:spatial,
dct:temporal, dct:modified; on a distribution dcat:accessURL, recommended dct:license, dct:format,
dcat:mediaType, dcat:downloadURL. Controlled vocabularies: the EU data themes, file types,
frequencies and languages (publications.europa.eu/resource/authority), IANA media types and ADMS
publisher types.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU = "http://publications.europa.eu/resource/authority/"
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    url_name: str  # in the "opendata" namespace
    media_type: str
    file_type: str  # EU file-type code
    title: Any


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Any
    description: Any
    themes: tuple[str, ...]  # EU data-theme codes
    keywords: tuple[Any, ...]
    distributions: tuple[Distribution, ...]


DATASETS = (
    Dataset(
        "kamerabevakning",
        _("Kamerabevakning – platser"),
        _(
            "Kommunens förteckning över pågående kamerabevakning per plats: typ av plats, antal kameror i drift, "
            "ändamål, om ljud spelas in och längsta lagringstid. Platsens läge är avrundat till omkring en "
            "kilometer; var kamerorna sitter visas aldrig (offentlighets- och sekretesslagen 18 kap. 8 §)."
        ),
        ("JUST", "GOVE"),
        (_("kamerabevakning"), _("trygghetskameror"), _("trygghet")),
        (
            Distribution("register_geojson", "application/geo+json", "GEOJSON", _("Platser som GeoJSON")),
            Distribution("register_csv", "text/csv", "CSV", _("Platser som CSV (Excel)")),
        ),
    ),
    Dataset(
        "openstreetmap",
        _("Trygghetskameror med OpenStreetMaps taggar"),
        _(
            "De kameror som kommunen har valt att publicera, med exakt läge och OpenStreetMaps taggar "
            "(man_made=surveillance, surveillance:type=camera, riktning, kameratyp, montering, höjd, operatör). "
            "Kameror vars placering kan omfattas av sekretess publiceras aldrig."
        ),
        ("JUST",),
        (_("kamerabevakning"), "OpenStreetMap"),
        (
            Distribution("osm_geojson", "application/geo+json", "GEOJSON", _("Kameror som GeoJSON med OSM-taggar")),
            Distribution("osm_xml", "application/vnd.openstreetmap.data+xml", "XML", _("Kameror som OSM XML")),
        ),
    ),
    Dataset(
        "indikator",
        _("Indikator: antal bevakningskameror i drift"),
        _(
            "Antalet kameror i drift vid varje årsskifte och i dag, beräknat ur kamerornas livscykel, med "
            "kommunkod. I Koladas form (kpi, kommun, period, värde) och som CSV för uppföljningssystem."
        ),
        ("GOVE",),
        (_("indikator"), _("uppföljning"), "Kolada"),
        (
            Distribution("indicator_kolada_json", "application/json", "JSON", _("Indikatorn i Koladas form (JSON)")),
            Distribution("indicator_kolada_csv", "text/csv", "CSV", _("Indikatorn i Koladas form (CSV)")),
            Distribution("indicator_follow_up_csv", "text/csv", "CSV", _("Indikatorn för uppföljningssystem (CSV)")),
        ),
    ),
)


@dataclass(frozen=True)
class CatalogFacts:
    """What the catalog says about the publisher and the data, read by the view."""

    base_url: str  # absolute URL of /oppna-data/
    urls: dict[str, str]  # url_name → absolute URL
    municipality: str
    contact_email: str
    modified: dt.datetime | None
    first_year: int | None
    extent: tuple[float, float, float, float] | None  # west, south, east, north (rounded)


def _both(graph: Graph, subject: Any, predicate: URIRef, text: Any) -> None:
    """The Swedish text and its English translation, each with its language tag."""
    for language in ("sv", "en"):
        with translation.override(language):
            graph.add((subject, predicate, Literal(str(text), lang=language)))


def catalog_graph(facts: CatalogFacts) -> Graph:
    """The DCAT-AP-SE catalog of DATASETS as an RDF graph."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    catalog = URIRef(facts.base_url + "#katalog")
    publisher = URIRef(facts.base_url + "#utgivare")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _both(graph, catalog, DCTERMS.title, _("Öppna data om kommunens kamerabevakning"))
    _both(
        graph,
        catalog,
        DCTERMS.description,
        _("Datamängder från Trygg, kommunens system för trygghetskameror: platser, kameror och indikator."),
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, URIRef(facts.base_url)))
    graph.add((catalog, DCTERMS.license, CC0))
    graph.add((catalog, DCTERMS.language, URIRef(EU + "language/SWE")))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(facts.municipality, lang="sv")))
    graph.add((publisher, DCTERMS.type, LOCAL_AUTHORITY))
    contact = URIRef(facts.base_url + "#kontakt")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(facts.municipality)))
    if facts.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + facts.contact_email)))
    for dataset in DATASETS:
        node = URIRef(facts.base_url + "#" + dataset.slug)
        graph.add((catalog, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        _both(graph, node, DCTERMS.title, dataset.title)
        _both(graph, node, DCTERMS.description, dataset.description)
        graph.add((node, DCTERMS.publisher, publisher))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((node, DCAT.landingPage, URIRef(facts.base_url)))
        graph.add((node, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/CONT")))
        graph.add((node, DCTERMS.language, URIRef(EU + "language/SWE")))
        for theme in dataset.themes:
            graph.add((node, DCAT.theme, URIRef(EU + "data-theme/" + theme)))
        for keyword in dataset.keywords:
            _both(graph, node, DCAT.keyword, keyword)
        if facts.modified is not None:
            graph.add((node, DCTERMS.modified, Literal(facts.modified.isoformat(), datatype=XSD.dateTime)))
        if facts.first_year is not None:
            period = BNode()
            graph.add((node, DCTERMS.temporal, period))
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            graph.add((period, DCAT.startDate, Literal(f"{facts.first_year}-01-01", datatype=XSD.date)))
        if facts.extent is not None:
            west, south, east, north = facts.extent
            place = BNode()
            graph.add((node, DCTERMS.spatial, place))
            graph.add((place, RDF.type, DCTERMS.Location))
            wkt = f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
            graph.add((place, DCAT.bbox, Literal(wkt, datatype=GSP.wktLiteral)))
        for distribution in dataset.distributions:
            url = URIRef(facts.urls[distribution.url_name])
            part = URIRef(facts.urls[distribution.url_name] + "#distribution")
            graph.add((node, DCAT.distribution, part))
            graph.add((part, RDF.type, DCAT.Distribution))
            _both(graph, part, DCTERMS.title, distribution.title)
            graph.add((part, DCAT.accessURL, url))
            graph.add((part, DCAT.downloadURL, url))
            graph.add((part, DCAT.mediaType, URIRef(IANA + distribution.media_type)))
            graph.add((part, DCTERMS.format, URIRef(EU + "file-type/" + distribution.file_type)))
            graph.add((part, DCTERMS.license, CC0))
    return graph


JSON_LD_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}
