#!/usr/bin/env python3
"""Writes data/reference/state_aliases.csv and non_un_entities.csv.

Run once by hand when a source changes (it is not part of the build):

    python3 scripts/gen_state_aliases.py

Inputs: data/reference/un_member_states.csv (the 195 UN member and observer
States, with their UN and ISO names) and Debian's iso-codes package
(apt-get install iso-codes: /usr/share/iso-codes/json/iso_3166-1.json).  The
hand-kept forms below (short forms, former names, inversions, the spellings
of threat-intelligence feeds, non-UN entities) carry their own source.  An
alias whose normalised form is already listed for the same State is left
out, so each row adds a form the matcher would not find otherwise or names a
distinct source.
"""
import csv
import json
import os
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(ROOT, "data", "reference")
ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
ISO_URL = "https://salsa.debian.org/iso-codes-team/iso-codes"
ISO_VERSION = "4.15.0"
UN_URL = "https://www.un.org/en/about-us/member-states"
WFB_NAMES = "https://www.cia.gov/the-world-factbook/field/country-name/"
WFB_LIST = "https://www.cia.gov/the-world-factbook/countries/"
MISP_URL = ("https://github.com/MISP/misp-galaxy/blob/"
            "9434ace4eb925c9a1c9b3bccf014a25f9d14f0b0/clusters/threat-actor.json")
CISA_CN = ("https://www.cisa.gov/topics/cyber-threats-and-advisories/"
           "nation-state-cyber-actors/china")
CISA_KP = ("https://www.cisa.gov/topics/cyber-threats-and-advisories/"
           "nation-state-cyber-actors/north-korea")
ISG_URL = ("https://style-guide.europa.eu/en/content/-/isg/topic?"
           "identifier=7.1-countries")

# (alias, iso3, kind, source_url, source_note)
HAND = [
    ("Russia", "RUS", "short_form", WFB_NAMES,
     "World Factbook, Country name: conventional short form"),
    ("Brunei", "BRN", "short_form", WFB_NAMES,
     "World Factbook, Country name: conventional short form"),
    ("UK", "GBR", "short_form", WFB_NAMES,
     "World Factbook, Country name: abbreviation"),
    ("Great Britain", "GBR", "short_form", UN_URL,
     "part of the UN name (United Kingdom of Great Britain and Northern "
     "Ireland), used alone for the State in the press"),
    ("US", "USA", "short_form", WFB_NAMES,
     "World Factbook, Country name: abbreviation (US or USA)"),
    ("USA", "USA", "short_form", WFB_NAMES,
     "World Factbook, Country name: abbreviation (US or USA)"),
    ("U.S.", "USA", "short_form", WFB_NAMES,
     "the abbreviation US written with full stops, as in US government "
     "statements"),
    ("UAE", "ARE", "short_form", WFB_NAMES,
     "World Factbook, Country name: abbreviation"),
    ("DRC", "COD", "short_form", WFB_NAMES,
     "World Factbook, Country name: abbreviation"),
    ("DR Congo", "COD", "short_form", WFB_NAMES,
     "press short form of the Democratic Republic of the Congo"),
    ("PRC", "CHN", "short_form", CISA_CN,
     "abbreviation of People's Republic of China used by CISA and other US "
     "agencies in attributions"),
    ("DPRK", "PRK", "short_form", CISA_KP,
     "abbreviation of Democratic People's Republic of Korea used by CISA and "
     "in UN Security Council documents"),
    ("ROK", "KOR", "short_form", WFB_NAMES,
     "World Factbook, Country name: abbreviation"),
    ("Micronesia", "FSM", "short_form", UN_URL,
     "the UN name without its parenthesised qualifier"),
    ("Palestine", "PSE", "short_form",
     "https://research.un.org/en/unmembers/observers",
     "the UN observer State's name without 'State of'"),
    ("Vatican", "VAT", "short_form", ISO_URL,
     "from the ISO name Holy See (Vatican City State)"),
    ("Vatican City", "VAT", "short_form", ISO_URL,
     "from the ISO name Holy See (Vatican City State)"),
    ("Bosnia", "BIH", "short_form", WFB_NAMES,
     "press short form of Bosnia and Herzegovina"),
    ("Kyrgyz Republic", "KGZ", "short_form", ISO_URL,
     "ISO 3166-1 official name (Debian iso-codes)"),
    ("East Timor", "TLS", "short_form", WFB_NAMES,
     "English form of Timor-Leste found in the press"),
    ("Ivory Coast", "CIV", "short_form", WFB_NAMES,
     "English translation of Côte d'Ivoire found in the press (the State "
     "asks for the French name)"),
    ("Turkey", "TUR", "former_name", UN_URL,
     "the State's UN name until 2022, when the UN adopted Türkiye at its "
     "request"),
    ("Swaziland", "SWZ", "former_name", UN_URL,
     "the State's name until 2018 (now Eswatini)"),
    ("Burma", "MMR", "former_name", UN_URL,
     "the State's name until 1989 (now Myanmar)"),
    ("Cape Verde", "CPV", "former_name", UN_URL,
     "the English name used until 2013 (now Cabo Verde)"),
    ("Macedonia", "MKD", "former_name", UN_URL,
     "short form used before the 2019 change to North Macedonia"),
    ("the former Yugoslav Republic of Macedonia", "MKD", "former_name", UN_URL,
     "the State's UN name from 1993 to 2019"),
    ("Zaire", "COD", "former_name", UN_URL,
     "the State's name from 1971 to 1997"),
    ("Korea, South", "KOR", "inverted", WFB_LIST,
     "World Factbook country list (inverted short form)"),
    ("Korea, North", "PRK", "inverted", WFB_LIST,
     "World Factbook country list (inverted short form)"),
    ("Congo, Democratic Republic of the", "COD", "inverted", WFB_LIST,
     "World Factbook country list (inverted long form)"),
    ("Congo, Republic of the", "COG", "inverted", WFB_LIST,
     "World Factbook country list (inverted long form)"),
    ("Gambia, The", "GMB", "inverted", WFB_LIST,
     "World Factbook country list"),
    ("Bahamas, The", "BHS", "inverted", WFB_LIST,
     "World Factbook country list"),
    ("China, People's Republic of", "CHN", "inverted", ISO_URL,
     "the ISO official name People's Republic of China in the inverted "
     "order of ISO short names"),
    ("Korea (Democratic People's Republic of)", "PRK", "feed", MISP_URL,
     "MISP threat-actor galaxy, meta cfr-suspected-state-sponsor (from the "
     "CFR Cyber Operations Tracker)"),
    ("Korea (Republic of)", "KOR", "feed", MISP_URL,
     "MISP threat-actor galaxy, meta cfr-suspected-state-sponsor (from the "
     "CFR Cyber Operations Tracker)"),
    ("People's Republic of China", "CHN", "feed", MISP_URL,
     "MISP threat-actor galaxy, meta cfr-suspected-state-sponsor (APT41)"),
]

# Non-UN entities: ISO 3166-1 entries outside the UN list come from
# iso-codes; these rows add a kind, a description and extra names, and
# Kosovo, which has no ISO entry.
ENTITY = {
    "TWN": ("disputed_status",
            "island territory governed from Taipei; not a UN member or observer "
            "State since UNGA resolution 2758 (1971); ISO 3166-1 lists it as "
            "'Taiwan, Province of China'",
            ["Republic of China", "Chinese Taipei"], ISO_URL,
            "ISO 3166-1 entry via Debian iso-codes; 'Republic of China' is the "
            "name its authorities use, 'Chinese Taipei' the name used in APEC "
            "and the Olympic movement"),
    "HKG": ("special_administrative_region",
            "Special Administrative Region of the People's Republic of China; "
            "its own ISO 3166-1 entry",
            ["Hong Kong SAR", "Hong Kong, China"], ISO_URL,
            "ISO 3166-1 entry via Debian iso-codes"),
    "MAC": ("special_administrative_region",
            "Special Administrative Region of the People's Republic of China; "
            "its own ISO 3166-1 entry",
            ["Macau", "Macao SAR", "Macao, China"], ISO_URL,
            "ISO 3166-1 entry via Debian iso-codes; Macau is the common "
            "English spelling"),
    "ESH": ("disputed_status",
            "Non-Self-Governing Territory on the UN list; sovereignty disputed",
            [], ISO_URL, "ISO 3166-1 entry via Debian iso-codes"),
    "COK": ("free_association",
            "self-governing in free association with New Zealand; not a UN "
            "member", [], ISO_URL, "ISO 3166-1 entry via Debian iso-codes"),
    "NIU": ("free_association",
            "self-governing in free association with New Zealand; not a UN "
            "member", [], ISO_URL, "ISO 3166-1 entry via Debian iso-codes"),
    "ATA": ("other",
            "continent governed under the Antarctic Treaty System", [],
            ISO_URL, "ISO 3166-1 entry via Debian iso-codes"),
}
KOSOVO = ("XKX", "XK", "Kosovo", "disputed_status", "user_assigned",
          "declared independence from Serbia in 2008; not a UN member; no "
          "ISO 3166-1 entry: XK and XKX are user-assigned codes (the "
          "European Commission, the IMF and others use XK)",
          ["Republic of Kosovo"], ISG_URL,
          "EU Interinstitutional Style Guide, list of countries (XK); XKX is "
          "the user-assigned alpha-3 code found in country datasets")


def key(s):
    """Roughly the C matcher's key: folded, lower case, letters and digits,
    without 'the'."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("'", "").replace("\u2019", "").replace("&", " and ")
    words = "".join(c if c.isalnum() else " " for c in s).split()
    return "".join("saint" if w == "st" else w for w in words if w != "the")


def main():
    with open(ISO_JSON, encoding="utf-8") as f:
        iso = {c["alpha_3"]: c for c in json.load(f)["3166-1"]}
    with open(os.path.join(REF, "un_member_states.csv"), encoding="utf-8") as f:
        un = list(csv.DictReader(f))
    un_codes = {r["iso3"] for r in un}
    rows, seen = [], set()

    def add(alias, iso3, kind, url, note):
        k = (key(alias), iso3)
        if k in seen:
            return
        seen.add(k)
        rows.append([alias, iso3, kind, url, note])

    iso_note = "Debian iso-codes %s, iso_3166-1.json: %s"
    for r in un:
        add(r["name"], r["iso3"], "un_name", r["source_url"],
            "UN name as listed in un_member_states.csv")
    for r in un:
        c = iso[r["iso3"]]
        add(c["name"], r["iso3"], "iso_name", ISO_URL,
            iso_note % (ISO_VERSION, "name"))
    for field, kind in (("official_name", "iso_official"),
                        ("common_name", "iso_common")):
        for r in un:
            c = iso[r["iso3"]]
            if field in c:
                add(c[field], r["iso3"], kind, ISO_URL,
                    iso_note % (ISO_VERSION, field))
    for alias, iso3, kind, url, note in HAND:
        assert iso3 in un_codes, iso3
        add(alias, iso3, kind, url, note)

    # Every key names one State only.
    owner = {}
    for alias, iso3, *_ in rows:
        if owner.setdefault(key(alias), iso3) != iso3:
            sys.exit("%s names both %s and %s" % (alias, owner[key(alias)], iso3))

    with open(os.path.join(REF, "state_aliases.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["alias", "iso3", "kind", "source_url", "source_note"])
        w.writerows(rows)

    ents = []
    for code in sorted(iso):
        if code in un_codes:
            continue
        c = iso[code]
        name = c.get("common_name", c["name"])
        kind, what, extra, url, note = ENTITY.get(code, (
            "territory", "ISO 3166-1 entry that is not a UN member or observer "
            "State (a dependent or other territory)", [], ISO_URL,
            "ISO 3166-1 entry via Debian iso-codes"))
        aliases = []
        for a in [c["name"], c.get("official_name", "")] + extra:
            if a and key(a) != key(name) and key(a) not in map(key, aliases):
                aliases.append(a)
        ents.append([code, c["alpha_2"], name, kind, "iso", ";".join(aliases),
                     what, url, note.replace("iso-codes", "iso-codes " + ISO_VERSION, 1)])
    k = KOSOVO
    ents.append([k[0], k[1], k[2], k[3], k[4], ";".join(k[6]), k[5], k[7], k[8]])
    ents.sort(key=lambda r: r[0])
    for e in ents:
        for a in [e[2]] + (e[5].split(";") if e[5] else []):
            if key(a) in owner:
                sys.exit("%s is both a State alias and a non-UN entity" % a)
    with open(os.path.join(REF, "non_un_entities.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "iso2", "name", "kind", "code_status", "aliases",
                    "what", "source_url", "source_note"])
        w.writerows(ents)
    print("%d aliases, %d non-UN entities" % (len(rows), len(ents)))


if __name__ == "__main__":
    main()
