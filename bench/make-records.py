#!/usr/bin/env python3
"""Fill a Separa store with synthetic records for the report benchmark (not real people; seeded).

usage: make-records.py STORE RECORDS [YEAR]
Registers one code per person (batch BENCH) and stores RECORDS records: intakes (70%) and follow-up
visits (30%) dated across YEAR (default 2026), with fields as ingest writes them: canonical JSON,
keys sorted, ages as whole years or a band, Washington Group answers for adults only.
"""
import json
import random
import sqlite3
import sys

ALPHABET = "0123456789ACDEFGHJKMNPQRTVWXY"
NATIONALITIES = (["syr"] * 20 + ["afg"] * 16 + ["eri"] * 10 + ["sdn"] * 9 + ["som"] * 7 + ["irq"] * 6
                 + ["nga"] * 5 + ["gin"] * 4 + ["civ"] * 4 + ["ukr"] * 4 + ["pak"] * 3 + ["bgd"] * 3
                 + ["mli", "cmr", "eth", "egy", "mar", "tun", "yem", "ven", "col", "hti", "irn", "sen",
                    "gmb", "bfa", "cod", "dza", "pse", "stateless", "other", "not_stated"])
WG = ["wg_communicating", "wg_hearing", "wg_remembering", "wg_seeing", "wg_self_care", "wg_walking"]
NEEDS = ["food", "water", "shelter", "clothing", "hygiene", "health", "psychological_support",
         "family_contact", "phone_internet", "information", "legal_advice", "cash"]
SERVICES = ["first_aid", "health_referral", "food_water", "clothing_hygiene", "shelter_referral", "family_links",
            "phone_internet", "information", "legal_referral", "psychological_first_aid",
            "child_protection_referral", "other"]


def main():
    store, total = sys.argv[1], int(sys.argv[2])
    year = int(sys.argv[3]) if len(sys.argv) > 3 else 2026
    rng = random.Random(20261)
    db = sqlite3.connect(store)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("INSERT OR IGNORE INTO batch (id, kind, created_at, code_count, random_length) "
               "VALUES ('BENCH', 'codes', ?, 0, 11)", (f"{year}-01-01T00:00:00Z",))
    persons = int(total * 0.7)
    codes = []
    seen = set()
    while len(codes) < persons:
        code = "".join(rng.choice(ALPHABET) for _ in range(12))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    codes.sort()
    db.executemany("INSERT INTO code (code, batch, issued_at, status) VALUES (?, 'BENCH', ?, 'used')",
                   ((c, f"{year}-01-01") for c in codes))

    def day():
        month = rng.randint(1, 12)
        return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"

    rows = []
    intake_day = {}
    for code in codes:
        d = day()
        intake_day[code] = d
        child = rng.random() < 0.22
        years = rng.randint(0, 17) if child else min(90, int(rng.gauss(32, 12)) if rng.random() < 0.93 else rng.randint(60, 85))
        years = max(18, years) if not child else years
        fields = {
            "sex": rng.choices(["female", "male", "not_stated"], [40, 55, 5])[0],
            "age": str(years) if rng.random() < 0.9 else rng.choice(["0-4", "5-11", "12-17"] if child else ["18-59", "60+"]),
            "nationality": rng.choice(NATIONALITIES),
            "unaccompanied_child": "yes" if child and rng.random() < 0.08 else "no",
            "needs": sorted(rng.sample(NEEDS, rng.randint(1, 3)), key=NEEDS.index),
        }
        if not child:
            severe = rng.random() < 0.06
            for wg in WG:
                fields[wg] = rng.choices(["no_difficulty", "some_difficulty", "a_lot_of_difficulty", "cannot_do_at_all"],
                                         [85, 12, 2.5, 0.5] if not severe else [40, 20, 30, 10])[0]
        rows.append((code, "intake", d, "1", json.dumps(fields, sort_keys=True, separators=(",", ":"))))
    keys = set()
    while len(rows) < total:
        code = rng.choice(codes)
        d = day()
        if d <= intake_day[code] or (code, d) in keys:
            continue
        keys.add((code, d))
        fields = {"services_provided": sorted(rng.sample(SERVICES, rng.randint(1, 3)), key=SERVICES.index)}
        rows.append((code, "visit", d, "1", json.dumps(fields, sort_keys=True, separators=(",", ":"))))
    rows.sort()
    db.executemany("INSERT OR IGNORE INTO record (code, template, visit_date, template_version, fields, import_id, "
                   "source_line, imported_at) VALUES (?, ?, ?, ?, ?, 'BENCH-I1', 0, '2026-12-31T00:00:00Z')", rows)
    db.commit()
    count = db.execute("SELECT count(*) FROM record").fetchone()[0]
    print(f"records={count} persons={persons}")


main()
