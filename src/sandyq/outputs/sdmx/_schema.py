"""The XML schema of sandyq's structure-specific data messages (SDMX REST ``/schema/datastructure/...``).

A structure-specific data set is typed by the data structure: its series and
observations carry the dimensions and attributes as XML attributes, which the
official schemas leave open (``anyAttribute``).  This schema restricts them for
``SANDYQ:DSD_SANDYQ(1.0)`` and one observation dimension (or ``AllDimensions``):
each key dimension is required and takes only the codes of its codelist, the
time period is an SDMX observational time period, attributes are optional.  It
imports the official ``SDMXDataStructureSpecific.xsd`` from beside itself, as
SDMX tools expect.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ._catalog import ATTRIBUTES, Catalog

__all__ = ["structure_schema"]

_SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
_COMMON = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"


def _attribute(cat: Catalog, cid: str, use: str) -> str:
    if cid == "TIME_PERIOD":
        kind = "common:ObservationalTimePeriodType"
    elif cid in cat.codelists:
        kind = f"CL_{cid}"
    else:
        kind = "xs:string"
    return f'<xs:attribute name="{cid}" type="{kind}" use="{use}"/>'


def _codes(cat: Catalog) -> list[str]:
    out = []
    for cid, cl in cat.codelists.items():
        values = "".join(f"<xs:enumeration value={quoteattr(code)}/>" for code in cl.items)
        restriction = f'<xs:restriction base="common:IDType">{values}</xs:restriction>'
        out.append(f'<xs:simpleType name="CL_{cid}">{restriction}</xs:simpleType>')
    return out


def structure_schema(cat: Catalog, namespace: str, dimension_at_observation: str = "TIME_PERIOD") -> bytes:
    """The XSD of structure-specific data for ``cat``'s DSD with ``dimension_at_observation``, in ``namespace``."""
    every = [*cat.dimension_ids, "TIME_PERIOD"]
    flat = dimension_at_observation == "AllDimensions"
    obs_dims = every if flat else [dimension_at_observation]
    series_dims = [] if flat else [d for d in every if d != dimension_at_observation]
    ann = '<xs:element ref="common:Annotations" minOccurs="0"/>'
    provider = (
        '<xs:element name="DataProvider" type="common:DataProviderReferenceType" form="unqualified" minOccurs="0"/>'
    )
    content = (
        '<xs:element name="Obs" type="ObsType" form="unqualified" maxOccurs="unbounded"/>'
        if flat
        else '<xs:element name="Series" type="SeriesType" form="unqualified" maxOccurs="unbounded"/>'
    )
    parts = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns={quoteattr(namespace)} '
        f'targetNamespace={quoteattr(namespace)} xmlns:ss="{_SS}" xmlns:common="{_COMMON}" '
        'elementFormDefault="unqualified" attributeFormDefault="unqualified">',
        f'<xs:import namespace="{_SS}" schemaLocation="SDMXDataStructureSpecific.xsd"/>',
        f'<xs:import namespace="{_COMMON}" schemaLocation="SDMXCommon.xsd"/>',
        *_codes(cat),
        '<xs:complexType name="DataSetType"><xs:complexContent><xs:restriction base="ss:DataSetType">'
        f'<xs:sequence>{ann}{provider}<xs:choice minOccurs="0">{content}</xs:choice></xs:sequence>'
        "</xs:restriction></xs:complexContent></xs:complexType>",
    ]
    if not flat:
        attrs = "".join(_attribute(cat, d, "required") for d in series_dims)
        if "TIME_PERIOD" not in series_dims:
            attrs += '<xs:attribute name="TIME_PERIOD" use="prohibited"/>'
        parts.append(
            '<xs:complexType name="SeriesType"><xs:complexContent><xs:restriction base="ss:SeriesType">'
            f'<xs:sequence>{ann}<xs:element name="Obs" type="ObsType" form="unqualified" minOccurs="0" '
            f'maxOccurs="unbounded"/></xs:sequence>{attrs}</xs:restriction></xs:complexContent></xs:complexType>'
        )
    attrs = "".join(_attribute(cat, d, "required") for d in obs_dims)
    if "TIME_PERIOD" not in obs_dims:
        attrs += '<xs:attribute name="TIME_PERIOD" use="prohibited"/>'
    attrs += "".join(_attribute(cat, a, "optional") for a in ATTRIBUTES)
    parts.append(
        '<xs:complexType name="ObsType"><xs:complexContent><xs:restriction base="ss:ObsType">'
        f'<xs:sequence>{ann}</xs:sequence>{attrs}<xs:attribute name="type" use="prohibited"/>'
        "</xs:restriction></xs:complexContent></xs:complexType>"
    )
    parts.append("</xs:schema>")
    return "".join(parts).encode()
