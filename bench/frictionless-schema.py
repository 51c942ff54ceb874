#!/usr/bin/env python3
"""Writes a Frictionless Table Schema for a transcription file, from a Separa template: what a data officer
would give `frictionless validate --schema` to check a transcription against the form's codebook.

usage: frictionless-schema.py TEMPLATE.yaml TRANSCRIPTION.csv OUT.json

Each column of the file's header gets its field's checks, as close to `separa ingest` as a Table Schema
can say them: the code's printed form (pattern), dates in the template's format, whole numbers and ages
in range, choices among their names and their labels in every language (exactly: Frictionless does not
ignore case or accents), yes/no words, select_multiple columns as 0/1, required fields. What it cannot
say: the check symbol, whether a code is registered or revoked, free text that looks like identity.
Needs PyYAML (installed with frictionless).
"""
import csv
import json
import sys

import yaml

template_path, csv_path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
template = yaml.safe_load(open(template_path, encoding="utf-8"))
with open(csv_path, encoding="utf-8-sig", newline="") as f:
    header = next(csv.reader(f))

alphabet = "[0-9ACDEFGHJKMNPQRTVWXY]"
yes_no = ["yes", "no", "Yes", "No", "oui", "non", "Oui", "Non", "sí", "si", "Sí", "Si", "نعم", "لا"]
fields = {}
for page in template.get("sensitive", []):
    for field in page.get("fields", []):
        fields[field["name"]] = field


def accepted(list_name):
    values = []
    for choice in template["choices"][list_name]:
        for value in [choice["name"], *choice.get("label", {}).values()]:
            if value not in values:
                values.append(value)
    return values


def column(name):
    if name == "code":
        return {"name": name, "type": "string",
                "constraints": {"required": True, "pattern": f"{alphabet}{{4}}(-{alphabet}{{4}})+"}}
    base, _, choice = name.partition("/")
    field = fields[base]
    kind = field["type"]
    required = bool(field.get("required"))
    if choice:  # one column per choice of a select_multiple field: ticked or not
        return {"name": name, "type": "integer", "constraints": {"minimum": 0, "maximum": 1}}
    if kind == "date":
        fmt = field.get("format", "YYYY-MM-DD").replace("DD", "%d").replace("MM", "%m").replace("YYYY", "%Y")
        result = {"name": name, "type": "date", "format": fmt, "constraints": {}}
    elif kind in ("integer", "age"):
        result = {"name": name, "type": "integer",
                  "constraints": {"minimum": field.get("min", 0), "maximum": field.get("max", 120)}}
    elif kind == "decimal":
        result = {"name": name, "type": "number", "constraints": {}}
    elif kind == "select_one":
        result = {"name": name, "type": "string", "constraints": {"enum": accepted(field["choices"])}}
    elif kind == "yes_no":
        result = {"name": name, "type": "string", "constraints": {"enum": yes_no}}
    else:
        result = {"name": name, "type": "string", "constraints": {}}
    if required:
        result["constraints"]["required"] = True
    return result


schema = {"fields": [column(name) for name in header], "missingValues": [""]}
json.dump(schema, open(out_path, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
