"""UN M49 regions: every country's sub-region (the level the network's facets and maps use) and its region.

Source: the UN Statistics Division's "Standard country or area codes for statistical use (M49)". Taiwan and
Kosovo, which M49 does not list separately, are placed with their neighbours; Antarctica has no region.
Names are catalogue messages (translated at the edge with gettext).
"""

from __future__ import annotations

from app.errors import msg

# region code -> name
REGIONS: dict[str, str] = {
    "002": msg("Africa"), "019": msg("Americas"), "142": msg("Asia"), "150": msg("Europe"), "009": msg("Oceania"),
}
# sub-region code -> (name, region code, countries as ISO 3166-1 alpha-2)
SUB_REGIONS: dict[str, tuple[str, str, str]] = {
    "015": (msg("Northern Africa"), "002", "DZ EG LY MA SD TN EH"),
    "202": (msg("Sub-Saharan Africa"), "002",
            "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW AO CM CF TD CG CD GQ GA ST BW "
            "SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"),
    "419": (msg("Latin America and the Caribbean"), "019",
            "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI BZ CR SV GT "
            "HN MX NI PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"),
    "021": (msg("Northern America"), "019", "BM CA GL PM US"),
    "143": (msg("Central Asia"), "142", "KZ KG TJ TM UZ"),
    "030": (msg("Eastern Asia"), "142", "CN HK MO KP JP MN KR TW"),
    "035": (msg("South-eastern Asia"), "142", "BN KH ID LA MY MM PH SG TH TL VN"),
    "034": (msg("Southern Asia"), "142", "AF BD BT IN IR MV NP PK LK"),
    "145": (msg("Western Asia"), "142", "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"),
    "151": (msg("Eastern Europe"), "150", "BY BG CZ HU PL MD RO RU SK UA"),
    "154": (msg("Northern Europe"), "150", "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"),
    "039": (msg("Southern Europe"), "150", "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK"),
    "155": (msg("Western Europe"), "150", "AT BE FR DE LI LU MC NL CH"),
    "053": (msg("Australia and New Zealand"), "009", "AU CX CC HM NZ NF"),
    "054": (msg("Melanesia"), "009", "FJ NC PG SB VU"),
    "057": (msg("Micronesia"), "009", "GU KI MH FM NR MP PW UM"),
    "061": (msg("Polynesia"), "009", "AS CK PF NU PN WS TK TO TV WF"),
}
_BY_COUNTRY: dict[str, str] = {
    country: code for code, (_, _, countries) in SUB_REGIONS.items() for country in countries.split()
}


def region_of(country: str | None) -> str:
    """The M49 sub-region code of a country ("DE" -> "155", Western Europe); "" when it has none."""
    return _BY_COUNTRY.get((country or "").upper(), "")


def continent_of(sub_region: str) -> str:
    """The M49 region ("002" Africa ...) a sub-region belongs to; "" for none."""
    entry = SUB_REGIONS.get(sub_region)
    return entry[1] if entry else ""


def region_name(code: str, translate=None) -> str:
    """A region's or sub-region's name, through translate (gettext) when given."""
    name = SUB_REGIONS[code][0] if code in SUB_REGIONS else REGIONS.get(code, code)
    return translate(name) if translate is not None else name
