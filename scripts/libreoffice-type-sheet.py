#!/usr/bin/python3
"""Types rows into a transcription workbook in LibreOffice Calc, as a clerk would, and saves it as CSV.

    /usr/bin/python3 scripts/libreoffice-type-sheet.py WORKBOOK.xlsx ROWS.json OUT.csv

ROWS.json is a list of rows (lists of cell texts) typed from row 2 on, column A first; empty texts are
skipped. Each cell is typed through Calc's own input line (the `.uno:EnterString` command that the macro
recorder records for typing), so the cell's format decides what the text becomes: in a Text (@) column
`05/03/2024` stays text, in a General column it would become a date number.

Then Calc's "Mark invalid data" circles every cell that breaks the sheet's data validation, and the sheet
is saved as UTF-8 comma-separated CSV. Prints JSON to stdout: {"invalid": ["B3", ...], "kinds": {"B2": "TEXT",
...}}. Needs LibreOffice Calc and python3-uno (Debian: libreoffice-calc python3-uno). Used by the Swift tests
of TranscriptionWorkbook, which skip when they are missing; runs on its own for a manual check.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def column_letter(index):
    letters = ""
    number = index + 1
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def main():
    workbook, rows_path, out_csv = sys.argv[1:4]
    with open(rows_path, encoding="utf-8") as f:
        rows = json.load(f)
    profile = tempfile.mkdtemp(prefix="separa-lo-profile-")
    pipe = "separa_type_%d" % os.getpid()
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        context = None
        for _ in range(300):
            try:
                context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.1)
        if context is None:
            raise SystemExit("LibreOffice did not start")
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(workbook)), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise SystemExit("LibreOffice could not open the workbook")
        sheet = doc.Sheets.getByIndex(0)
        controller = doc.getCurrentController()
        frame = controller.getFrame()
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        kinds = {}
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text == "":
                    continue
                ref = "%s%d" % (column_letter(c), r + 2)
                controller.select(sheet.getCellRangeByName(ref))
                dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
                kinds[ref] = sheet.getCellRangeByName(ref).getType().value
        sheet.showInvalid()
        invalid = []
        page = sheet.DrawPage
        for i in range(page.Count):
            shape = page.getByIndex(i)
            if shape.ShapeType != "com.sun.star.drawing.EllipseShape":
                continue
            address = shape.Anchor.CellAddress
            invalid.append("%s%d" % (column_letter(address.Column), address.Row + 1))
        # Remove the circles before saving: they are drawings, not data.
        sheet.clearArrows()
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(out_csv)),
            (prop("FilterName", "Text - txt - csv (StarCalc)"), prop("FilterOptions", "44,34,76,1")))
        doc.close(True)
        print(json.dumps({"invalid": sorted(invalid), "kinds": kinds}))
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
