"""A synthetic breach case: customers, monthly access logs and a case file, made up in DuckDB.

The case imitates the incident the tool is built around: an account of a partner agency of
the fictional operator "Telco Nova" (`PRT-0042`, and `PRT-0043`... with `partners` > 1)
consults a large part of the customer base, evenings and weekends included, while about
forty ordinary agents work office hours. Everything is invented; the example contact points
must never be used (emails use the reserved `example` domains, but phone numbers follow the
Belgian numbering plan and could exist).

Why it is built this way:
- Every value is a pure function of (seed, row number, salt) through `hash()`, never
  `random()`, and every file is written by `COPY ... ORDER BY`: the same arguments give
  byte-identical files whatever the thread count (for a given DuckDB version).
- All rows are made by vectorised SQL over `range()`; Python only computes a few scalars
  (counts, coprime multipliers) and binds them as parameters. 1M customers and 10M events
  take about 20 s on two cores; 10M and 100M about 4 minutes (with a 6 GB memory limit).
- The data carries the traps a scoping run must handle: accounts of one person (same names
  modulo case/accents, birth date, email or mobile), households sharing an address and a
  fixed line or an email, twins, minors, missing emails and phones, phone numbers in mixed
  formats, Brussels bilingual addresses, exports with many customers in one event, events
  just outside the window, events near midnight local time, and customer ids that are not
  in the customer table.

Regenerate the shipped example (from the repository root):

    python -c "from pathlib import Path; from scoping.demo import generate; \
generate(Path('examples/telecom'), customers=3000, events=30000, overwrite=True)"
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from string import Template
from typing import Any, NamedTuple

import duckdb

from scoping import db, private, targets
from scoping.errors import ExitCode, OutputError, ScopingError

TIMEZONE = "Europe/Brussels"
MARGIN_DAYS = 7  # the log extract covers the window plus this many days on each side
OUTSIDE_SHARE = 0.01  # events (visits, exports) that fall in the margins
SUSPECT_SHARE = 0.24  # single-customer rows of the suspect account(s)
EXPORT_SHARE = 0.06  # rows written by report exports (80% of exports by the suspect)
TARGET_SHARE = 0.7  # part of the customer base the suspect walks through
FIRST_SUSPECT = 42  # PRT-0042, then PRT-0043, ...
MAX_PARTNERS = 50
AGENT_IDS = tuple(f"AGT-{n:04d}" for n in range(1, 33)) + tuple(
    f"PRT-{n:04d}"
    for n in range(1, 9)  # partner staff doing ordinary work
)
OFFICE_HOURS = (8, 9, 10, 11, 13, 14, 15, 16, 17)  # local hours an agent starts an action
# The suspect's local hours, repeated by weight: office hours, evenings and some nights.
SUSPECT_HOURS = tuple(range(8, 18)) * 2 + tuple(range(18, 24)) * 2 + (0, 1, 6, 7)
HOLIDAYS = ("01-01", "05-01", "07-21", "08-15", "11-01", "11-11", "12-25")  # fixed-date ones
EMAIL_DOMAINS = (  # reserved for documentation (RFC 2606): no real mailbox can match
    "example.com",
    "example.net",
    "example.org",
    "mail.example",
    "telconova.example",
    "post.example",
)
# 25 mobile prefixes (without the trunk 0): 25 million numbers, unique per person up to that.
MOBILE_PREFIXES = (
    "460", "465", "466", "467", "468", "470", "471", "472", "473", "474", "475", "476", "477",
    "478", "479", "483", "484", "485", "486", "487", "488", "489", "491", "492", "493",
)  # fmt: skip
FIXED_MULTIPLIER = 7_654_321  # coprime with 10: scrambles fixed-line numbers bijectively


class Place(NamedTuple):
    """A postal code of the embedded table; `weight` sets how often it is drawn."""

    postal_code: str
    city: str  # the Dutch name in Brussels
    region: str  # VL, WAL, BRU (bilingual) or DG (German-speaking)
    zone: str  # telephone zone with its trunk 0
    weight: int
    city_fr: str | None = None  # the French name, in Brussels only


PLACES = (
    # Flanders
    Place("2000", "Antwerpen", "VL", "03", 8),
    Place("2018", "Antwerpen", "VL", "03", 4),
    Place("2100", "Deurne", "VL", "03", 3),
    Place("2140", "Borgerhout", "VL", "03", 2),
    Place("2500", "Lier", "VL", "03", 2),
    Place("2900", "Schoten", "VL", "03", 2),
    Place("2300", "Turnhout", "VL", "014", 3),
    Place("2800", "Mechelen", "VL", "015", 4),
    Place("9000", "Gent", "VL", "09", 8),
    Place("9040", "Sint-Amandsberg", "VL", "09", 2),
    Place("9800", "Deinze", "VL", "09", 1),
    Place("9100", "Sint-Niklaas", "VL", "03", 3),
    Place("9200", "Dendermonde", "VL", "052", 2),
    Place("9300", "Aalst", "VL", "053", 4),
    Place("9700", "Oudenaarde", "VL", "055", 1),
    Place("8000", "Brugge", "VL", "050", 5),
    Place("8300", "Knokke-Heist", "VL", "050", 1),
    Place("8400", "Oostende", "VL", "059", 3),
    Place("8500", "Kortrijk", "VL", "056", 4),
    Place("8800", "Roeselare", "VL", "051", 3),
    Place("8900", "Ieper", "VL", "057", 2),
    Place("3000", "Leuven", "VL", "016", 5),
    Place("3010", "Kessel-Lo", "VL", "016", 2),
    Place("3300", "Tienen", "VL", "016", 1),
    Place("1500", "Halle", "VL", "02", 2),
    Place("1700", "Dilbeek", "VL", "02", 2),
    Place("1800", "Vilvoorde", "VL", "02", 3),
    Place("1930", "Zaventem", "VL", "02", 2),
    Place("3500", "Hasselt", "VL", "011", 4),
    Place("3600", "Genk", "VL", "089", 4),
    Place("3700", "Tongeren", "VL", "012", 1),
    Place("3800", "Sint-Truiden", "VL", "011", 2),
    Place("3900", "Pelt", "VL", "011", 1),
    # Brussels-Capital (bilingual: Dutch name, French name)
    Place("1000", "Brussel", "BRU", "02", 6, "Bruxelles"),
    Place("1020", "Laken", "BRU", "02", 2, "Laeken"),
    Place("1030", "Schaarbeek", "BRU", "02", 5, "Schaerbeek"),
    Place("1040", "Etterbeek", "BRU", "02", 2, "Etterbeek"),
    Place("1050", "Elsene", "BRU", "02", 4, "Ixelles"),
    Place("1060", "Sint-Gillis", "BRU", "02", 2, "Saint-Gilles"),
    Place("1070", "Anderlecht", "BRU", "02", 5, "Anderlecht"),
    Place("1080", "Sint-Jans-Molenbeek", "BRU", "02", 4, "Molenbeek-Saint-Jean"),
    Place("1081", "Koekelberg", "BRU", "02", 1, "Koekelberg"),
    Place("1090", "Jette", "BRU", "02", 2, "Jette"),
    Place("1140", "Evere", "BRU", "02", 2, "Evere"),
    Place("1150", "Sint-Pieters-Woluwe", "BRU", "02", 2, "Woluwe-Saint-Pierre"),
    Place("1160", "Oudergem", "BRU", "02", 1, "Auderghem"),
    Place("1180", "Ukkel", "BRU", "02", 4, "Uccle"),
    Place("1190", "Vorst", "BRU", "02", 2, "Forest"),
    Place("1200", "Sint-Lambrechts-Woluwe", "BRU", "02", 3, "Woluwe-Saint-Lambert"),
    Place("1210", "Sint-Joost-ten-Node", "BRU", "02", 1, "Saint-Josse-ten-Noode"),
    # Wallonia
    Place("1300", "Wavre", "WAL", "010", 2),
    Place("1348", "Louvain-la-Neuve", "WAL", "010", 2),
    Place("1400", "Nivelles", "WAL", "067", 2),
    Place("1410", "Waterloo", "WAL", "02", 2),
    Place("4000", "Liège", "WAL", "04", 7),
    Place("4020", "Liège", "WAL", "04", 2),
    Place("4100", "Seraing", "WAL", "04", 3),
    Place("4500", "Huy", "WAL", "085", 1),
    Place("4800", "Verviers", "WAL", "087", 3),  # 48xx is French-speaking
    Place("4820", "Dison", "WAL", "087", 1),
    Place("4840", "Welkenraedt", "WAL", "087", 1),
    Place("4960", "Malmedy", "WAL", "080", 1),
    Place("5000", "Namur", "WAL", "081", 5),
    Place("5100", "Jambes", "WAL", "081", 1),
    Place("5500", "Dinant", "WAL", "082", 1),
    Place("6000", "Charleroi", "WAL", "071", 6),
    Place("6040", "Jumet", "WAL", "071", 2),
    Place("6200", "Châtelet", "WAL", "071", 1),
    Place("6700", "Arlon", "WAL", "063", 2),
    Place("6800", "Libramont-Chevigny", "WAL", "061", 1),
    Place("6900", "Marche-en-Famenne", "WAL", "084", 1),
    Place("7000", "Mons", "WAL", "065", 4),
    Place("7100", "La Louvière", "WAL", "064", 3),
    Place("7500", "Tournai", "WAL", "069", 3),
    Place("7700", "Mouscron", "WAL", "056", 2),
    # German-speaking Community (all in 47xx)
    Place("4700", "Eupen", "DG", "087", 3),
    Place("4710", "Lontzen", "DG", "087", 1),
    Place("4720", "Kelmis", "DG", "087", 1),
    Place("4730", "Raeren", "DG", "087", 1),
    Place("4750", "Bütgenbach", "DG", "080", 1),
    Place("4760", "Büllingen", "DG", "080", 1),
    Place("4770", "Amel", "DG", "080", 1),
    Place("4780", "Sankt Vith", "DG", "080", 2),
    Place("4790", "Burg-Reuland", "DG", "080", 1),
)


class NamePool(NamedTuple):
    """First names, last names and street names of one origin (a language or `xx`, mixed)."""

    first: tuple[str, ...]
    last: tuple[str, ...]
    streets: tuple[str, ...]


NAME_POOLS = {
    "nl": NamePool(
        first=(
            "Jan", "Pieter", "Koen", "Wim", "Bart", "Stijn", "Tom", "Jeroen", "Lieven",
            "Joris", "Daan", "Lars", "Seppe", "Wout", "Maarten", "Jozef", "Noël", "Dries",
            "Annelies", "Els", "Griet", "Lotte", "Marieke", "Sofie", "An", "Katrien", "Inge",
            "Liesbeth", "Fien", "Hanne", "Nele", "Chloë", "Zoë", "Mieke",
        ),
        last=(
            "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes",
            "Goossens", "Wouters", "De Smet", "Van den Broeck", "Vermeulen", "Van Damme",
            "De Clercq", "Verstraete", "Claeys", "Pauwels", "Van de Velde", "De Backer",
            "Hermans", "Van Acker", "Lambrechts", "D'Hondt", "Vandenberghe",
            "Van der Linden", "Dewulf", "Coppens", "De Meyer", "Smets", "Declercq",
        ),
        streets=(
            "Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpstraat", "Schoolstraat",
            "Nieuwstraat", "Kapelstraat", "Beukenlaan", "Lindelaan", "Veldstraat",
            "Sint-Jorisstraat", "Kasteeldreef", "Brugsesteenweg", "Markt", "Groenstraat",
            "Populierenlaan", "Zonnebloemstraat", "Leopoldlaan",
        ),
    ),
    "fr": NamePool(
        first=(
            "Jean", "Pierre", "Luc", "Philippe", "François", "Benoît", "Jérôme",
            "Sébastien", "Olivier", "Nicolas", "Mathieu", "Cédric", "Loïc", "Jean-Pierre",
            "Hélène", "Françoise", "Céline", "Amélie", "Élise", "Véronique", "Isabelle",
            "Nathalie", "Camille", "Léa", "Chloé", "Manon", "Geneviève", "Anne-Sophie",
            "Marie-Claire", "Noémie",
        ),
        last=(
            "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Leclercq",
            "Lejeune", "Renard", "Lemaire", "François", "Dumont", "Gérard", "Delvaux",
            "Hubert", "Collignon", "Lefèvre", "Noël", "Mathieu", "Bodart", "Dupuis",
            "Marchal", "Piérard", "Thiry", "Léonard", "Rémy", "Fontaine", "Michel",
            "Delhaye", "Lecomte",
        ),
        streets=(
            "Rue de la Gare", "Rue de l'Église", "Avenue des Tilleuls", "Rue du Moulin",
            "Place du Marché", "Chaussée de Bruxelles", "Rue Haute", "Rue des Écoles",
            "Avenue Reine Astrid", "Rue de la Station", "Rue du Château", "Boulevard Léopold",
            "Rue Saint-Lambert", "Allée des Hêtres", "Rue Émile Vandervelde",
        ),
    ),
    "de": NamePool(
        first=(
            "Jürgen", "Günter", "Lukas", "Matthias", "Stefan", "Andreas", "Jörg", "Klaus",
            "Bernd", "Tobias", "Jonas", "Björn", "Rüdiger", "Sabine", "Ursula", "Jutta",
            "Käthe", "Brigitte", "Anja", "Monika", "Bärbel", "Sophie", "Lena", "Hannah",
            "Annegret", "Margit",
        ),
        last=(
            "Schmitz", "Müller", "Meyer", "Schröder", "Krings", "Heinen", "Kessler",
            "Pankert", "Jost", "Förster", "Mertes", "Lentz", "Hilgers", "Küpper", "Kohnen",
            "Lambertz", "Cremer", "Kreutz", "Jüttner", "Weynand", "Backes", "Thönnissen",
        ),
        streets=(
            "Kirchstraße", "Bahnhofstraße", "Hauptstraße", "Schulstraße", "Aachener Straße",
            "Herbesthaler Straße", "Klosterstraße", "Neustraße", "Mühlenweg",
            "Gospertstraße", "Malmedyer Straße", "Rathausplatz", "Lindenweg", "Am Kreuz",
        ),
    ),
    "xx": NamePool(
        first=(
            "Mohamed", "Fatima", "Yusuf", "Ayşe", "Mehmet", "Elif", "Zeynep", "Karim",
            "Youssef", "Samira", "Nadia", "Aleksandra", "Piotr", "Agnieszka", "Giuseppe",
            "Giulia", "Ana", "João", "Mamadou", "Aminata", "Ioana", "Andrei", "Emre",
        ),
        last=(
            "Özdemir", "Çelik", "Yilmaz", "Demir", "Kaya", "El Amrani", "Benali", "Bouzid",
            "Nowak", "Kowalski", "Wiśniewska", "Rossi", "Esposito", "Ferreira", "Diallo",
            "Popescu", "N'Diaye", "Şahin", "El Idrissi", "Moreira", "Bah",
        ),
        streets=(),
    ),
}  # fmt: skip

SCREENS = ("customer.search", "customer.detail", "customer.contact", "report.export",
           "billing.view")  # fmt: skip

# --- SQL -----------------------------------------------------------------------------------
# Each constant is one statement. Tuning numbers live in the SQL next to what they shape;
# everything that comes from the caller is a bound parameter. COPY targets are bound too
# (`TO $path` accepts a parameter in DuckDB 2.0).

MACROS = (
    # draw: 64 random bits that depend only on the arguments. hash(a, b, c) combines the
    # hashes of its arguments with XOR, so draws with two salts for one key would be
    # correlated; hashing the combination again mixes them (measured: corr 0.52 -> 0.00).
    """CREATE OR REPLACE TEMP MACRO draw(seed, key, salt) AS
        hash(hash(CAST(seed AS BIGINT), CAST(key AS BIGINT), salt))""",
    # rnd: a uniform number in [0, 1) (53 bits, so it never rounds up to 1).
    """CREATE OR REPLACE TEMP MACRO rnd(seed, key, salt) AS
        (draw(seed, key, salt) >> 11) / 9007199254740992.0""",
    # pick: a uniform integer in [0, n).
    """CREATE OR REPLACE TEMP MACRO pick(seed, key, salt, n) AS
        CAST(draw(seed, key, salt) % CAST(n AS UBIGINT) AS BIGINT)""",
    # scramble: a permutation of [0, n) when mult and n are coprime (a Weyl sequence, so
    # consecutive x land far apart).
    "CREATE OR REPLACE TEMP MACRO scramble(x, mult, shift, n) AS (x * mult + shift) % n",
    # account_role: 3% second accounts of an earlier person, 7% members of an earlier
    # account's household, 0.2% twins of an earlier account holder; the rest single.
    """CREATE OR REPLACE TEMP MACRO account_role(u) AS
        CASE WHEN u < 0.03 THEN 'second_account' WHEN u < 0.10 THEN 'household'
             WHEN u < 0.102 THEN 'twin' ELSE 'single' END""",
    # region_language: the language of the region; Brussels households speak French or Dutch.
    """CREATE OR REPLACE TEMP MACRO region_language(region, u) AS
        CASE region WHEN 'VL' THEN 'nl' WHEN 'WAL' THEN 'fr' WHEN 'DG' THEN 'de'
             ELSE CASE WHEN u < 0.65 THEN 'fr' ELSE 'nl' END END""",
    # birth_date: 3% minors (13-17 on 2026-11-29), adults between 1935 and 2008, mostly
    # middle-aged (the mean of two uniform draws).
    """CREATE OR REPLACE TEMP MACRO birth_date(seed, key) AS
        CASE WHEN rnd(seed, key, 'minor') < 0.03
             THEN DATE '2008-12-01' + CAST(pick(seed, key, 'minor_day', 1825) AS INTEGER)
             ELSE DATE '1935-01-01' + CAST(floor(
                 (rnd(seed, key, 'age_a') + rnd(seed, key, 'age_b')) / 2 * 26990) AS INTEGER)
        END""",
    # ascii_word: a name as it appears in an email address.
    """CREATE OR REPLACE TEMP MACRO ascii_word(s) AS
        regexp_replace(strip_accents(lower(s)), '[^a-z]', '', 'g')""",
    # email_address: unique per key (the key's number ends the local part).
    """CREATE OR REPLACE TEMP MACRO email_address(first, last, key, style, domain) AS
        CASE style
            WHEN 0 THEN ascii_word(first) || '.' || ascii_word(last)
            WHEN 1 THEN ascii_word(first) || ascii_word(last)
            WHEN 2 THEN left(ascii_word(first), 1) || '.' || ascii_word(last)
            ELSE ascii_word(last) || '.' || ascii_word(first)
        END || CAST(key + 1 AS VARCHAR) || '@' || domain""",
    # group_digits: 1234567 -> 123 45 67, 123456 -> 12 34 56 (with the separator given).
    """CREATE OR REPLACE TEMP MACRO group_digits(s, sep) AS
        CASE length(s) WHEN 7 THEN s[1:3] || sep || s[4:5] || sep || s[6:7]
             ELSE s[1:2] || sep || s[3:4] || sep || s[5:6] END""",
    # fixed_format: the ways people write a fixed line (zone with trunk 0, subscriber digits).
    """CREATE OR REPLACE TEMP MACRO fixed_format(zone, s, style) AS
        CASE style
            WHEN 0 THEN zone || ' ' || group_digits(s, ' ')             -- 02 123 45 67
            WHEN 1 THEN '+32 ' || zone[2:] || ' ' || group_digits(s, ' ') -- +32 2 123 45 67
            WHEN 2 THEN '0032 ' || zone[2:] || ' ' || s                 -- 0032 2 1234567
            ELSE zone || '/' || group_digits(s, '.')                    -- 02/123.45.67
        END""",
    # mobile_format: the ways people write a mobile number (prefix without trunk 0).
    """CREATE OR REPLACE TEMP MACRO mobile_format(prefix, s, style) AS
        CASE style
            WHEN 0 THEN '0' || prefix || ' ' || group_digits(s, ' ')     -- 0470 12 34 56
            WHEN 1 THEN '+32' || prefix || s                             -- +32470123456
            WHEN 2 THEN '0' || prefix || '/' || group_digits(s, '.')     -- 0470/12.34.56
            WHEN 3 THEN '+32 ' || prefix || ' ' || group_digits(s, ' ')  -- +32 470 12 34 56
            ELSE '0' || prefix || s                                      -- 0470123456
        END""",
)

# place_slots: the postal table with each place repeated `weight` times, so that a uniform
# slot draws places in proportion to their weight. zone_rank numbers the slots of a telephone
# zone, which is what keeps fixed-line numbers unique within the zone.
PLACE_SLOTS_SQL = """
CREATE OR REPLACE TEMP TABLE place_slots AS
WITH place AS (
    SELECT unnest(range(len($postal_codes))) AS place_no,
           unnest($postal_codes) AS postal_code, unnest($cities_nl) AS city_nl,
           unnest($cities_fr) AS city_fr, unnest($regions) AS region,
           unnest($zones) AS zone, unnest($weights) AS weight
),
copies AS (SELECT *, unnest(range(weight)) AS copy_no FROM place)
SELECT row_number() OVER (ORDER BY place_no, copy_no) - 1 AS slot,
       row_number() OVER (PARTITION BY zone ORDER BY place_no, copy_no) - 1 AS zone_rank,
       count(*) OVER (PARTITION BY zone) AS zone_slots,
       postal_code, city_nl, city_fr, region, zone
FROM copies
"""

NAME_POOLS_SQL = """
CREATE OR REPLACE TEMP TABLE name_pools AS
SELECT unnest($origins) AS origin, unnest($first_names) AS first_names,
       unnest($last_names) AS last_names, unnest($streets) AS streets
"""

# The customer table. Each account i has a role; derived accounts (second account of a
# person, household member, twin) copy parts of an earlier account `src`, and only of a
# single one, so that copies never chain. Three keys then say where each value comes from:
#   family: the names and birth date the account derives from (src, or i for a single),
#   person: the mobile and own email (src for a second account, else i),
#   home:   the address and fixed line (src for households, twins and most second accounts).
# A key's place: x = scramble(key) picks a block (x // slots) and a slot within it, rotated
# per block, so every (slot, block) pair belongs to one key: fixed lines built from it are
# unique within a zone (for up to ~10M customers) while places look random along the file.
CUSTOMERS_SQL = """
COPY (
WITH
roles AS (
    SELECT i, src,
           CASE WHEN i > 0 AND account_role(rnd($seed, src, 'role')) = 'single'
                THEN account_role(rnd($seed, i, 'role')) ELSE 'single' END AS role
    FROM (SELECT i, pick($seed, i, 'source', greatest(i, 1)) AS src
          FROM range($customers) AS t(i))
),
keys AS (
    SELECT i, src, role,
           CASE WHEN role = 'single' THEN i ELSE src END AS family,
           CASE WHEN role = 'second_account' THEN src ELSE i END AS person,
           CASE WHEN role IN ('household', 'twin')
                  OR (role = 'second_account' AND rnd($seed, i, 'same_home') < 0.8)
                THEN src ELSE i END AS home
    FROM roles
),
scrambled AS (
    SELECT *, scramble(home, $place_mult, $place_shift, $customers) AS home_x,
              scramble(family, $place_mult, $place_shift, $customers) AS family_x
    FROM keys
),
located AS (
    SELECT s.*, h.postal_code, h.city_nl, h.city_fr, h.zone, h.zone_rank, h.zone_slots,
           h.region AS home_region, f.region AS family_region, s.home_x // $slots AS block
    FROM scrambled AS s
    JOIN place_slots AS h
      ON h.slot = (s.home_x + pick($seed, s.home_x // $slots, 'rotation', $slots)) % $slots
    JOIN place_slots AS f
      ON f.slot = (s.family_x + pick($seed, s.family_x // $slots, 'rotation', $slots)) % $slots
),
-- Language follows the home; names follow the family's origin: its region's language, or
-- (15%, 30% in Brussels) the pool of names from elsewhere.
languages AS (
    SELECT *,
           region_language(home_region, rnd($seed, home, 'brussels_language')) AS language,
           CASE WHEN rnd($seed, family, 'elsewhere')
                     < CASE family_region WHEN 'BRU' THEN 0.3 ELSE 0.15 END THEN 'xx'
                ELSE region_language(family_region, rnd($seed, family, 'brussels_language'))
           END AS origin
    FROM located
),
-- Household members and twins get a first name other than the family key's own.
named AS (
    SELECT l.*, s.streets,
           pick($seed, family, 'first', len(n.first_names)) AS family_first_no,
           n.first_names[1 + family_first_no] AS family_first,
           n.first_names[1 + (family_first_no + 1
               + pick($seed, i, 'other_first', len(n.first_names) - 1))
               % len(n.first_names)] AS other_first,
           n.last_names[1 + pick($seed, family, 'last', len(n.last_names))] AS family_last,
           n.last_names[1 + pick($seed, i, 'last', len(n.last_names))] AS own_last
    FROM languages AS l
    JOIN name_pools AS n ON n.origin = l.origin
    JOIN name_pools AS s ON s.origin = l.language
),
people AS (
    SELECT *,
           CASE WHEN role IN ('household', 'twin') THEN other_first
                ELSE family_first END AS first_name,
           CASE WHEN role = 'household' AND rnd($seed, i, 'own_surname') < 0.4 THEN own_last
                ELSE family_last END AS last_name,
           birth_date($seed, family) AS family_birth,
           -- a household member is a partner (born up to 6 years apart) or a child (22-38
           -- years later); when that birth date would be after 2013-11-29 (too young to
           -- hold an account), the member is born that much earlier instead
           CAST(CASE WHEN rnd($seed, i, 'child') < 0.4
                     THEN 8036 + pick($seed, i, 'generation', 5844)
                     ELSE (1 + pick($seed, i, 'age_gap', 2190))
                          * (CASE WHEN rnd($seed, i, 'older') < 0.5 THEN -1 ELSE 1 END)
                END AS INTEGER) AS gap_days,
           rnd($seed, family, 'has_email') < 0.7 AS family_has_email,
           rnd($seed, i, 'has_email') < 0.7 AS own_has_email,
           rnd($seed, person, 'has_mobile') < 0.8 AS has_mobile,
           -- a second account keeps the email, the mobile or both of the person
           CASE WHEN role <> 'second_account' OR NOT family_has_email OR NOT has_mobile
                THEN 'both'
                WHEN rnd($seed, i, 'link') < 0.25 THEN 'mobile'
                WHEN rnd($seed, i, 'link') < 0.50 THEN 'email'
                ELSE 'both' END AS link
    FROM named
),
contacts AS (
    SELECT *,
           CASE WHEN family_has_email
                THEN email_address(family_first, family_last, family,
                                   pick($seed, family, 'email_style', 4),
                                   $domains[1 + pick($seed, family, 'domain', len($domains))])
           END AS family_email,
           CASE WHEN own_has_email
                THEN email_address(first_name, last_name, i, pick($seed, i, 'email_style', 4),
                                   $domains[1 + pick($seed, i, 'domain', len($domains))])
           END AS own_email,
           scramble(person, $mobile_mult, $mobile_shift, 25000000) AS mobile_no,
           -- subscriber digits start at 2: 7 of them after a one-digit zone (02), else 6
           CASE length(zone) WHEN 2 THEN 1000000 ELSE 100000 END AS fixed_unit,
           block * zone_slots + zone_rank AS line_no
    FROM people
),
-- The columns as written. A second account shows the person's names as typed again
-- (accents dropped, lower or upper case) and, more often, an email in capitals.
accounts AS (
    SELECT i,
           CASE WHEN role <> 'second_account' THEN first_name
                WHEN rnd($seed, i, 'spelling') < 0.25 THEN strip_accents(first_name)
                WHEN rnd($seed, i, 'spelling') < 0.35 THEN lower(first_name)
                ELSE first_name END AS first_name,
           CASE WHEN role = 'second_account' AND rnd($seed, i, 'spelling') >= 0.75
                THEN upper(last_name) ELSE last_name END AS last_name,
           street,
           CAST(1 + pick($seed, home, 'house', 160) AS VARCHAR) || CASE
               WHEN rnd($seed, home, 'box') < 0.06
               THEN CASE WHEN rnd($seed, home, 'letter') < 0.7 THEN 'A' ELSE 'B' END
               WHEN rnd($seed, home, 'box') < 0.20
               THEN CASE language WHEN 'nl' THEN ' bus ' WHEN 'fr' THEN ' bte ' ELSE '/' END
                    || CAST(1 + pick($seed, home, 'box_no', 12) AS VARCHAR)
               ELSE '' END AS house_number,
           postal_code,
           CASE language WHEN 'nl' THEN city_nl ELSE city_fr END AS city,
           CASE WHEN rnd($seed, i, 'upper_email')
                     < CASE role WHEN 'second_account' THEN 0.3 ELSE 0.04 END
                THEN upper(email) ELSE email END AS email,
           CASE role
               WHEN 'single' THEN family_birth
               WHEN 'second_account' THEN family_birth
               WHEN 'twin' THEN family_birth
               WHEN 'household' THEN CASE
                   WHEN family_birth + gap_days > DATE '2013-11-29'
                   THEN family_birth - abs(gap_days)
                   ELSE family_birth + gap_days END
           END AS date_of_birth,
           CASE WHEN rnd($seed, home, 'has_fixed') < 0.5
                THEN fixed_format(zone, CAST(2 * fixed_unit
                         + (line_no * $fixed_mult + pick($seed, 0, 'fixed_shift', fixed_unit))
                           % (8 * fixed_unit) AS VARCHAR),
                     pick($seed, i, 'fixed_style', 4))
           END AS fixed_phone,
           CASE WHEN has_mobile AND link <> 'email'
                THEN mobile_format($mobile_prefixes[1 + mobile_no // 1000000],
                                   lpad(CAST(mobile_no % 1000000 AS VARCHAR), 6, '0'),
                                   pick($seed, i, 'mobile_style', 5))
           END AS mobile_phone,
           language,
           CASE WHEN rnd($seed, i, 'brand') < 0.35 THEN 'nova-mobile' ELSE 'nova' END AS brand
    FROM (
        -- the street of the home, and which email the account shows: the person's, the
        -- household's shared one (40% of members), or the member's own
        SELECT *,
               streets[1 + pick($seed, home, 'street', len(streets))] AS street,
               CASE WHEN role = 'second_account' AND link = 'mobile' THEN NULL
                    WHEN role = 'second_account' THEN family_email
                    WHEN role = 'household' AND rnd($seed, i, 'shares_email') < 0.4
                    THEN family_email
                    WHEN role IN ('household', 'twin') THEN own_email
                    ELSE family_email END AS email
        FROM contacts
    )
)
SELECT printf('C%07d', i + 1) AS customer_id, first_name, last_name, street, house_number,
       postal_code, city, email, CAST(date_of_birth AS VARCHAR) AS date_of_birth,
       fixed_phone, mobile_phone, language, brand
FROM accounts
ORDER BY i
) TO $path (FORMAT csv, HEADER true, DELIMITER ',')
"""

# exports: the report exports, each listing 100-500 customers (by the suspect, 80% of them)
# or 50-150 (by an agent); as many as fit in $export_rows rows, so that the total row count
# comes out exact.
EXPORTS_SQL = """
CREATE OR REPLACE TEMP TABLE exports AS
WITH candidates AS (
    SELECT j, rnd($seed, j, 'exporter') < 0.8 AS by_suspect
    FROM range($export_rows // 50 + 1) AS t(j)
),
sized AS (
    SELECT j, by_suspect,
           least(CASE WHEN by_suspect THEN 100 + pick($seed, j, 'export_size', 401)
                      ELSE 50 + pick($seed, j, 'export_size', 101) END, $target) AS size
    FROM candidates
)
SELECT j, by_suspect, size
FROM sized
QUALIFY sum(size) OVER (ORDER BY j) <= $export_rows
"""

# day_slots: every local hour of every day the extract covers (the window and a margin on
# each side), as a UTC instant. Agents draw from workdays (weekdays that are not fixed-date
# holidays), the suspect from any day; day_rank numbers the days of a kind, inside or
# outside the window. Local times read in the case timezone, DST included.
DAY_SLOTS_SQL = """
CREATE OR REPLACE TEMP TABLE day_slots AS
WITH days AS (
    SELECT $start + CAST(d AS INTEGER) AS day, d >= 0 AND d < $days AS inside
    FROM range(-$margin, $days + $margin) AS t(d)
),
kinds AS (
    SELECT day, inside, 'any' AS kind FROM days
    UNION ALL
    SELECT day, inside, 'work' FROM days
    WHERE isodow(day) <= 5 AND NOT list_contains($holidays, strftime(day, '%m-%d'))
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY inside, kind ORDER BY day) - 1 AS day_rank
    FROM kinds
)
SELECT inside, kind, day_rank, hour, day,
       timezone('UTC', timezone($timezone, day + make_time(hour, 0, 0))) AS hour_utc
FROM ranked, range(24) AS h(hour)
"""

# How many days of each kind lie inside and outside the window (the ranges of day_rank).
DAY_COUNTS_SQL = """
SELECT count(DISTINCT day) FILTER (kind = 'any' AND inside),
       count(DISTINCT day) FILTER (kind = 'any' AND NOT inside),
       count(DISTINCT day) FILTER (kind = 'work' AND inside),
       count(DISTINCT day) FILTER (kind = 'work' AND NOT inside)
FROM day_slots
"""

# events: one row per log line. Three kinds of rows, each keyed by a logical event `key`
# (an export's rows share one) and placed on a (day kind, day, local hour) slot:
#   suspect: visits of two rows (search or detail, then detail, contact or billing), a few
#            seconds apart, walking a scrambled order of a target part of the customer base;
#   agents:  single rows on random customers in office hours, a few agents much busier;
#   exports: one row per exported customer, consecutive in the walk order.
# A handful of visits/rows point at customer numbers beyond the table (unknown ids).
EVENTS_SQL = """
CREATE OR REPLACE TEMP TABLE events AS
WITH
suspect_visits AS (
    SELECT t AS key, t // 2 AS visit, t % 2 AS step,
           rnd($seed, t // 2, 'suspect_outside') < $outside AS outside
    FROM range($suspect_rows) AS r(t)
),
suspect AS (
    SELECT key, 0 AS seq,
           $suspect_ids[1 + pick($seed, visit, 'suspect_who', len($suspect_ids))] AS user_id,
           CASE WHEN step = 0 THEN
                    CASE WHEN rnd($seed, visit, 'suspect_open') < 0.3 THEN 'customer.search'
                         ELSE 'customer.detail' END
                WHEN rnd($seed, visit, 'suspect_next') < 0.5 THEN 'customer.detail'
                WHEN rnd($seed, visit, 'suspect_next') < 0.85 THEN 'customer.contact'
                ELSE 'billing.view' END AS screen,
           CASE WHEN visit % $suspect_stride = $suspect_stride - 1
                 AND visit // $suspect_stride < $suspect_unknown
                THEN $unknown_base + visit // $suspect_stride
                ELSE scramble(visit % $target, $walk_mult, $walk_shift, $customers)
           END AS customer_no,
           NOT outside AS inside, 'any' AS kind,
           pick($seed, visit, 'suspect_day',
                CASE WHEN outside THEN $any_days_out ELSE $any_days_in END) AS day_rank,
           $suspect_hours[1 + pick($seed, visit, 'suspect_hour', len($suspect_hours))] AS hour,
           pick($seed, visit, 'suspect_second', 3600)
               + step * (4 + pick($seed, visit, 'suspect_pause', 90)) AS second
    FROM suspect_visits
),
agent_rows AS (
    SELECT $suspect_rows + t AS key, t,
           rnd($seed, t, 'agent_outside') < $outside AS outside,
           rnd($seed, t, 'agent_screen') AS u
    FROM range($agent_rows) AS r(t)
),
agents AS (
    SELECT key, 0 AS seq,
           -- u ** 1.25 makes low-numbered agents busier (the first about 5% of agent rows)
           $agent_ids[1 + CAST(floor(len($agent_ids)
                                     * rnd($seed, t, 'agent_who') ** 1.25) AS BIGINT)]
               AS user_id,
           CASE WHEN u < 0.35 THEN 'customer.search' WHEN u < 0.65 THEN 'customer.detail'
                WHEN u < 0.75 THEN 'customer.contact' ELSE 'billing.view' END AS screen,
           CASE WHEN t % $agent_stride = $agent_stride - 1 AND t // $agent_stride < $agent_unknown
                THEN $unknown_base + $suspect_unknown + t // $agent_stride
                ELSE pick($seed, t, 'agent_customer', $customers)
           END AS customer_no,
           NOT outside AS inside, 'work' AS kind,
           pick($seed, t, 'agent_day',
                CASE WHEN outside THEN $work_days_out ELSE $work_days_in END) AS day_rank,
           $office_hours[1 + pick($seed, t, 'agent_hour', len($office_hours))] AS hour,
           pick($seed, t, 'agent_second', 3600) AS second
    FROM agent_rows
),
export_lines AS (
    SELECT $suspect_rows + $agent_rows + j AS key, j, by_suspect,
           rnd($seed, j, 'export_outside') < $outside AS outside,
           pick($seed, j, 'export_start', $customers) AS first_pos,
           unnest(range(size)) AS seq
    FROM exports
),
export_rows AS (
    SELECT key, seq,
           CASE WHEN by_suspect
                THEN $suspect_ids[1 + pick($seed, j, 'export_who', len($suspect_ids))]
                ELSE $agent_ids[1 + pick($seed, j, 'export_agent', len($agent_ids))]
           END AS user_id,
           'report.export' AS screen,
           scramble((first_pos + seq) % CASE WHEN by_suspect THEN $target ELSE $customers END,
                    $walk_mult, $walk_shift, $customers) AS customer_no,
           NOT outside AS inside,
           CASE WHEN by_suspect THEN 'any' ELSE 'work' END AS kind,
           pick($seed, j, 'export_day', CASE
               WHEN by_suspect AND outside THEN $any_days_out
               WHEN by_suspect THEN $any_days_in
               WHEN outside THEN $work_days_out
               ELSE $work_days_in END) AS day_rank,
           CASE WHEN by_suspect
                THEN $suspect_hours[1 + pick($seed, j, 'export_hour', len($suspect_hours))]
                ELSE $office_hours[1 + pick($seed, j, 'export_hour', len($office_hours))]
           END AS hour,
           pick($seed, j, 'export_second', 3600) AS second
    FROM export_lines
),
all_rows AS (
    SELECT * FROM suspect
    UNION ALL SELECT * FROM agents
    UNION ALL SELECT * FROM export_rows
)
SELECT r.key, CAST(r.seq AS INTEGER) AS seq, CAST(r.user_id AS actor_id) AS user_id,
       CAST(r.screen AS screen) AS screen, r.customer_no,
       s.hour_utc + to_seconds(r.second) AS instant
FROM all_rows AS r
JOIN day_slots AS s USING (inside, kind, day_rank, hour)
"""

# One month of the log, in time order; event ids are scrambled logical event keys.
LOG_FILE_SQL = """
COPY (
    SELECT printf('EV%010d', scramble(key, $id_mult, $id_shift, $logical_events)) AS event_id,
           strftime(instant, '%Y-%m-%dT%H:%M:%SZ') AS event_time,
           user_id, screen, printf('C%07d', customer_no + 1) AS customer_id
    FROM events
    WHERE instant >= $month_start AND instant < $month_end
    ORDER BY instant, key, seq
) TO $path (FORMAT csv, HEADER true, DELIMITER ',')
"""

# The header lines of the files written by CUSTOMERS_SQL and LOG_FILE_SQL: with the case
# file, how a folder is recognised as a generated case (see _generated).
CUSTOMERS_HEADER = (
    "customer_id,first_name,last_name,street,house_number,postal_code,city,email,"
    "date_of_birth,fixed_phone,mobile_phone,language,brand"
)
LOG_HEADER = "event_id,event_time,user_id,screen,customer_id"

CASE_TOML = Template("""\
[case]
id = "INC-2026-0042"
title = "Bulk consultation by a partner account (synthetic example)"
timezone = "Europe/Brussels"

[customers]
path = "customers.csv"
key = "customer_id"

[customers.fields]
first_name   = { column = "first_name",   category = "name" }
last_name    = { column = "last_name",    category = "name" }
street       = { column = "street",       category = "address" }
house_number = { column = "house_number", category = "address" }
postal_code  = { column = "postal_code",  category = "address" }
city         = { column = "city",         category = "address" }
email        = "email"
birth_date   = "date_of_birth"
phone_fixed  = { column = "fixed_phone",  category = "phone" }
phone_mobile = { column = "mobile_phone", category = "phone" }

[access_log]
path = ["logs/*.csv"]
timestamp = "event_time"
actor = "user_id"
record = "customer_id"
action = "screen"

[actions]
"customer.search"  = ["first_name", "last_name", "postal_code", "city"]
"customer.detail"  = "*"
"customer.contact" = ["first_name", "last_name", "email", "phone_fixed", "phone_mobile"]
"report.export"    = ["first_name", "last_name", "street", "house_number", "postal_code", "city", "email"]
"billing.view"     = []

[scope]
actors = $actors
start = "$start"
end = "$end"

[recipients]
first_name = "first_name"
last_name = "last_name"
birth_date = "birth_date"
email = "email"
phones = ["phone_mobile", "phone_fixed"]
address = ["street", "house_number", "postal_code", "city"]
postal_code = "postal_code"
language_column = "language"
default_region = "BE"
default_language = "nl"
channels = ["email", "sms", "letter"]
minor_age = 18
notification_date = "$end"
csv_dialect = "excel-be"

[recipients.postal_languages]  # when the language column is blank
"1000-1299" = "nl+fr"  # Brussels-Capital: bilingual
"1300-1499" = "fr"
"1500-3999" = "nl"
"4000-4699" = "fr"
"4700-4799" = "de"  # the German-speaking community
"4800-7999" = "fr"
"8000-9999" = "nl"
""")  # noqa: E501  (the case-file format keeps one action per line)


# --- Python: arguments, scalars, and the order of the statements -----------------------------


class DemoError(ScopingError):
    """The demo generator was asked for something it cannot make."""

    exit_code = ExitCode.USAGE
    title = "Demo generator error"


@dataclass(frozen=True)
class GeneratedCase:
    """What `generate` wrote: paths and the row counts of each file."""

    case_path: Path
    customers_path: Path
    log_paths: tuple[Path, ...]
    customers: int
    events: int
    log_rows: tuple[int, ...]  # per log file, in the order of log_paths
    suspects: tuple[str, ...]


def generate(
    out_dir: Path,
    customers: int,
    events: int,
    seed: int = 7,
    partners: int = 1,
    start: date = date(2026, 9, 1),
    days: int = 75,
    *,
    overwrite: bool = False,
    settings: db.Settings = db.DEFAULTS,
) -> GeneratedCase:
    """Write a synthetic case to out_dir: customers.csv, logs/access_YYYY-MM.csv, case.toml.

    Same arguments, same bytes (thread count and memory settings do not matter). out_dir must
    be empty or absent unless overwrite is set, which replaces only the files written here,
    and only in a folder that holds a generated case (see `_generated`).
    """
    _check_arguments(customers, events, seed, partners, days)
    suspects = _suspects(partners)
    _prepare_folder(out_dir, overwrite)
    # Spilled into a private folder inside --temp-dir, as a run does (private.work_folder).
    with private.work_folder(settings.temp_directory) as work:
        con = db.connect(settings, spill=work / "spill")
        try:
            con.execute("SET enable_progress_bar = false")  # the library never draws
            _define(con, suspects)
            customers_path = out_dir / "customers.csv"
            written = _write_customers(con, customers_path, customers, seed)
            ids = _build_events(con, customers, events, seed, suspects, start, days)
            log_paths, log_rows = _write_logs(con, out_dir / "logs", ids)
        finally:
            con.close()
    case_path = out_dir / "case.toml"
    with targets.writing(case_path):
        _write_case(case_path, suspects, start, days)
    return GeneratedCase(
        case_path, customers_path, log_paths, written, sum(log_rows), log_rows, suspects
    )


def _check_arguments(customers: int, events: int, seed: int, partners: int, days: int) -> None:
    """Reject sizes the generator does not make sense for, before touching any file."""
    if not -(2**63) <= seed < 2**63:
        raise DemoError("the seed must fit in 64 bits")
    if customers < 1:
        raise DemoError("customers must be at least 1", "ask for --customers 1 or more")
    if events < 0:
        raise DemoError("events cannot be negative", "ask for --events 0 or more")
    if not 1 <= partners <= MAX_PARTNERS:
        raise DemoError(f"partners must be between 1 and {MAX_PARTNERS}")
    if days < 7:
        # a week always holds workdays, inside the window and in each margin
        raise DemoError("the window must last at least 7 days", "ask for days >= 7")


def _prepare_folder(out_dir: Path, overwrite: bool) -> None:
    """Create out_dir/logs; refuse a folder with other content, to never mix two cases.

    With overwrite, the files written here are replaced only when they are a generated case
    (`_generated`): an investigator's case folder uses the same names (case.toml,
    customers.csv, logs/) and must never lose its evidence to --force."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder", "choose a new folder")
    targets.check_writable(out_dir, out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        if not overwrite:
            raise OutputError(
                f"the output folder is not empty: {out_dir}",
                "choose a new folder, or pass --force (overwrite=True) to replace a generated case",
            )
        if not _generated(out_dir):
            raise OutputError(
                f"{out_dir}: is not a case generated by scoping demo generate (case.toml,"
                " customers.csv and logs/access_*.csv not exactly as generated); --force"
                " only replaces a generated case",
                "choose a new or empty folder",
            )
        ours = [out_dir / "case.toml", out_dir / "customers.csv"]
        ours += sorted((out_dir / "logs").glob("access_*.csv"))
        with targets.writing(out_dir):
            for path in ours:
                path.unlink(missing_ok=True)
    with targets.writing(out_dir):
        (out_dir / "logs").mkdir(parents=True, exist_ok=True)


def _generated(out_dir: Path) -> bool:
    """Whether out_dir holds a case this generator wrote: its case.toml exactly as written
    for the window it names and the generator's suspect accounts, and customers.csv and
    logs/access_*.csv (those present) starting with the generator's header line. An edited
    case file is no longer the generator's."""
    try:
        text = (out_dir / "case.toml").read_text(encoding="utf-8")
        scope = tomllib.loads(text)["scope"]
        suspects = _suspects(len(scope["actors"]))
        expected = _case_text(suspects, scope["start"], scope["end"])
    except (OSError, UnicodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
        return False
    logs = out_dir / "logs"
    if text != expected or (logs.exists() and not logs.is_dir()):
        return False
    files = [(out_dir / "customers.csv", CUSTOMERS_HEADER)]
    files += [(p, LOG_HEADER) for p in sorted(logs.glob("access_*.csv"))]
    return all(_header(path) == header for path, header in files if path.exists())


def _header(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return f.readline().rstrip(b"\r\n").decode("utf-8")
    except (OSError, UnicodeError):
        return None


def _define(con: duckdb.DuckDBPyConnection, suspects: tuple[str, ...]) -> None:
    """Macros, reference tables (places, names) and the enum types of the events table."""
    for number, sql in enumerate(MACROS):
        db.run_sql(con, f"demo_macro_{number}", sql)
    db.run_sql(con, "demo_place_slots", PLACE_SLOTS_SQL, _place_params())
    db.run_sql(con, "demo_name_pools", NAME_POOLS_SQL, _name_params())
    db.run_sql(
        con,
        "demo_actor_type",
        "CREATE TYPE actor_id AS ENUM (SELECT unnest($ids))",
        {"ids": [*AGENT_IDS, *suspects]},
    )
    db.run_sql(
        con,
        "demo_screen_type",
        "CREATE TYPE screen AS ENUM (SELECT unnest($screens))",
        {"screens": list(SCREENS)},
    )


def _place_params() -> dict[str, Any]:
    return {
        "postal_codes": [p.postal_code for p in PLACES],
        "cities_nl": [p.city for p in PLACES],
        "cities_fr": [p.city_fr or p.city for p in PLACES],
        "regions": [p.region for p in PLACES],
        "zones": [p.zone for p in PLACES],
        "weights": [p.weight for p in PLACES],
    }


def _name_params() -> dict[str, Any]:
    return {
        "origins": list(NAME_POOLS),
        "first_names": [list(pool.first) for pool in NAME_POOLS.values()],
        "last_names": [list(pool.last) for pool in NAME_POOLS.values()],
        "streets": [list(pool.streets) for pool in NAME_POOLS.values()],
    }


def _write_customers(con: duckdb.DuckDBPyConnection, path: Path, customers: int, seed: int) -> int:
    """customers.csv, in customer number order; returns the rows written."""
    params = {
        "path": str(path),
        "seed": seed,
        "customers": customers,
        "slots": sum(p.weight for p in PLACES),
        "place_mult": coprime_near(customers, 0.618034),
        "place_shift": _shift(seed, customers, 1),
        "mobile_mult": coprime_near(25_000_000, 0.381966),
        "mobile_shift": _shift(seed, 25_000_000, 2),
        "fixed_mult": FIXED_MULTIPLIER,
        "domains": list(EMAIL_DOMAINS),
        "mobile_prefixes": list(MOBILE_PREFIXES),
    }
    return _copied(db.run_sql(con, "demo_customers", CUSTOMERS_SQL, params))


def _build_events(
    con: duckdb.DuckDBPyConnection,
    customers: int,
    events: int,
    seed: int,
    suspects: tuple[str, ...],
    start: date,
    days: int,
) -> dict[str, Any]:
    """Make the events table (exactly `events` rows); return the event-id parameters."""
    target = max(1, math.ceil(customers * TARGET_SHARE))
    exports, export_rows = _plan_exports(con, seed, events, target)
    day_counts = _plan_calendar(con, start, days)
    singles = events - export_rows
    suspect_rows = round(singles * SUSPECT_SHARE)
    params = {
        "seed": seed,
        "customers": customers,
        "target": target,
        "outside": OUTSIDE_SHARE,
        "suspect_ids": list(suspects),
        "agent_ids": list(AGENT_IDS),
        "office_hours": list(OFFICE_HOURS),
        "suspect_hours": list(SUSPECT_HOURS),
        "walk_mult": coprime_near(customers, 0.414214),
        "walk_shift": _shift(seed, customers, 3),
        **day_counts,
        **_unknown_params(customers, events, suspect_rows, singles - suspect_rows),
    }
    db.run_sql(con, "demo_events", EVENTS_SQL, params)
    (made,) = _fetch_ints(con, "demo_event_count", "SELECT count(*) FROM events")
    if made != events:
        raise DemoError(f"internal error: {made} event rows made, {events} asked for")
    logical = max(1, singles + exports)
    return {
        "logical_events": logical,
        "id_mult": coprime_near(logical, 0.618034),
        "id_shift": _shift(seed, logical, 4),
    }


def _plan_exports(
    con: duckdb.DuckDBPyConnection, seed: int, events: int, target: int
) -> tuple[int, int]:
    """The exports table; returns how many exports and how many rows they write."""
    params = {"seed": seed, "export_rows": round(events * EXPORT_SHARE), "target": target}
    db.run_sql(con, "demo_exports", EXPORTS_SQL, params)
    exports, rows = _fetch_ints(
        con, "demo_export_totals", "SELECT count(*), coalesce(sum(size), 0) FROM exports"
    )
    return exports, rows


def _plan_calendar(con: duckdb.DuckDBPyConnection, start: date, days: int) -> dict[str, int]:
    """The day_slots table; returns the number of days of each kind inside and outside."""
    params = {
        "start": start,
        "days": days,
        "margin": MARGIN_DAYS,
        "timezone": TIMEZONE,
        "holidays": list(HOLIDAYS),
    }
    db.run_sql(con, "demo_day_slots", DAY_SLOTS_SQL, params)
    counts = _fetch_ints(con, "demo_day_counts", DAY_COUNTS_SQL)
    names = ("any_days_in", "any_days_out", "work_days_in", "work_days_out")
    return dict(zip(names, counts, strict=True))


def _unknown_params(
    customers: int, events: int, suspect_rows: int, agent_rows: int
) -> dict[str, int]:
    """A handful of visits and agent rows on ids beyond the customer table (C9000001...).

    They are spread evenly: every stride-th suspect visit or agent row, up to the count.
    """
    handful = 4 + events // 2_000_000
    visits = (suspect_rows + 1) // 2
    suspect_unknown = min(visits, (handful + 1) // 2)
    agent_unknown = min(agent_rows, handful // 2)
    return {
        "suspect_rows": suspect_rows,
        "agent_rows": agent_rows,
        "unknown_base": max(customers, 9_000_000),
        "suspect_unknown": suspect_unknown,
        "suspect_stride": max(1, visits // max(1, suspect_unknown)),
        "agent_unknown": agent_unknown,
        "agent_stride": max(1, agent_rows // max(1, agent_unknown)),
    }


def _write_logs(
    con: duckdb.DuckDBPyConnection, logs_dir: Path, ids: dict[str, Any]
) -> tuple[tuple[Path, ...], tuple[int, ...]]:
    """One file per UTC month the extract covers (header only when a month has no event)."""
    paths: list[Path] = []
    rows: list[int] = []
    for month_start, month_end in _months(con):
        path = logs_dir / f"access_{month_start:%Y-%m}.csv"
        params = {**ids, "month_start": month_start, "month_end": month_end, "path": str(path)}
        rows.append(_copied(db.run_sql(con, "demo_log_file", LOG_FILE_SQL, params)))
        paths.append(path)
    return tuple(paths), tuple(rows)


def _months(con: duckdb.DuckDBPyConnection) -> list[tuple[datetime, datetime]]:
    """[start, end) of every UTC month that holds an hour of the extract."""
    cur = db.run_sql(
        con,
        "demo_months",
        "SELECT DISTINCT date_trunc('month', hour_utc) AS m FROM day_slots ORDER BY m",
    )
    firsts: list[datetime] = [row[0] for row in cur.fetchall()]
    return [(m, _next_month(m)) for m in firsts]


def _next_month(first: datetime) -> datetime:
    return (first + timedelta(days=32)).replace(day=1)


def _write_case(path: Path, suspects: tuple[str, ...], start: date, days: int) -> None:
    """case.toml last, so that a case file only exists next to complete data."""
    end = start + timedelta(days=days)
    text = _case_text(suspects, start.isoformat(), end.isoformat())
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _suspects(partners: int) -> tuple[str, ...]:
    """The generator's partner accounts: PRT-0042, PRT-0043, ..."""
    return tuple(f"PRT-{FIRST_SUSPECT + p:04d}" for p in range(partners))


def _case_text(suspects: tuple[str, ...], start: str, end: str) -> str:
    actors = "[" + ", ".join(f'"{s}"' for s in suspects) + "]"
    return CASE_TOML.substitute(actors=actors, start=start, end=end)


def coprime_near(n: int, fraction: float) -> int:
    """The first integer from round(n * fraction) up that is coprime with n.

    Multiplying by it permutes [0, n) (see the scramble macro); a multiplier near n times an
    irrational fraction spreads consecutive numbers over the whole range.
    """
    candidate = max(1, round(n * fraction))
    while math.gcd(candidate, n) != 1:
        candidate += 1
    return candidate


def _shift(seed: int, n: int, salt: int) -> int:
    """A seed-dependent offset in [0, n) for a scramble (plain integer arithmetic)."""
    return (seed * 2_654_435_761 + salt * 40_503) % max(1, n)


def _copied(cur: duckdb.DuckDBPyConnection) -> int:
    """The row count a COPY statement reports."""
    row = cur.fetchone()
    return int(row[0]) if row else 0


def _fetch_ints(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> tuple[int, ...]:
    row = db.run_sql(con, name, sql).fetchone()
    if row is None:
        raise DemoError(f"internal error: {name} returned no row")
    return tuple(int(v) for v in row)
