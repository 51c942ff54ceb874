#!/usr/bin/env python3
"""Writes a synthetic intake transcription for the ingest benchmark.

usage: make-transcription.py CODES.csv ROWS OUT.csv [BAD_SHARE]
CODES.csv is a `separa codes issue` list (code,batch,issued); each row uses one code, cycling through
visit dates when there are more rows than codes. About BAD_SHARE (default 0.02) of the rows carry one
realistic mistake (impossible date, unknown choice, out-of-range age, mistyped code).
20 columns: code, visit date, sex, age, nationality, unaccompanied child, the six Washington Group
questions, and eight 0/1 need columns.
"""
import csv
import random
import sys

codes_path, rows, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bad_share = float(sys.argv[4]) if len(sys.argv) > 4 else 0.02
rng = random.Random(7)
codes = [line.split(",")[0] for line in open(codes_path, encoding="utf-8").read().splitlines()[1:]]
sexes = ["female", "male", "Femme", "Homme", "not_stated"]
nationalities = ["syr", "afg", "eri", "Côte d’Ivoire", "Soudan", "som", "nga", "Guinée"]
wg = ["no_difficulty", "some_difficulty", "a_lot_of_difficulty", "cannot_do_at_all", ""]
needs = ["food", "water", "shelter", "clothing", "hygiene", "health", "psychological_support", "family_contact"]
header = ["code", "visit_date", "sex", "age", "nationality", "unaccompanied_child",
          "wg_seeing", "wg_hearing", "wg_walking", "wg_remembering", "wg_self_care", "wg_communicating"]
header += [f"needs/{n}" for n in needs]
with open(out_path, "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for i in range(rows):
        code = codes[i % len(codes)]
        day = 1 + (i // len(codes)) % 28
        month = 1 + (i // (len(codes) * 28)) % 12
        row = [code, f"{day:02d}/{month:02d}/2026", rng.choice(sexes), str(rng.randint(0, 95)),
               rng.choice(nationalities), rng.choice(["no", "no", "no", "yes", "Non"])]
        row += [rng.choice(wg) for _ in range(6)]
        row += [rng.choice(["1", "0", ""]) for _ in needs]
        if rng.random() < bad_share:
            kind = rng.randrange(4)
            if kind == 0: row[1] = "31/02/2026"
            elif kind == 1: row[2] = "robot"
            elif kind == 2: row[3] = "130"
            else: row[0] = code[:-1] + ("0" if code[-1] != "0" else "1")
        writer.writerow(row)
