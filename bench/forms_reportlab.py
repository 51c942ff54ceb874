#!/usr/bin/env python3
"""The yardstick for bench/printing-forms.sh: intake forms drawn with reportlab + segno, the way a data
officer would script them without Separa.

    python3 bench/forms_reportlab.py COUNT OUT.pdf [templates/intake.yaml]

Draws the same layout as `separa print intake --languages en` (A4): per form an identity slip (header with
QR, code and template line; the consent statement in a box; the consent question with tick boxes; writing
lines for name and phone; the volunteer's initials and date boxes) and one page per sensitive page of the
template (title; per field its label and hint, tick boxes in columns, one box per digit for dates and ages).
The code is a random 12-symbol code; the QR (segno, error correction M, 4-module quiet zone) is one filled
path per page. Fonts are the same Noto TTFs, embedded as subsets by reportlab. English only: reportlab
does not shape Arabic by itself.

It draws every page from scratch, as such a script does: reportlab can reuse content as form XObjects,
but a script written for one job rarely does.
"""
import random
import sys

import segno
import yaml
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = "/usr/share/fonts/truetype/noto/"
for name, file in [("Sans", "NotoSans-Regular.ttf"), ("SansBold", "NotoSans-Bold.ttf"),
                   ("SansItalic", "NotoSans-Italic.ttf"), ("MonoBold", "NotoSansMono-Bold.ttf")]:
    pdfmetrics.registerFont(TTFont(name, FONTS + file))

ALPHABET = "0123456789ACDEFGHJKMNPQRTVWXY"
W, H = A4
MARGIN = 12 * mm
CONTENT = W - 2 * MARGIN
QR_SIDE = 21 * mm
TICK = 4 * mm
DIGIT_W, DIGIT_H = 5 * mm, 6.5 * mm


def code():
    raw = "".join(random.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Page:
    """Top-down drawing on a reportlab canvas (reportlab's origin is the bottom left)."""

    def __init__(self, c):
        self.c = c
        self.y = MARGIN

    def text(self, x, y, s, font="Sans", size=9):
        self.c.setFont(font, size)
        self.c.drawString(x, H - y - size, s)

    def wrapped(self, x, y, s, width, font="Sans", size=9, leading=None):
        leading = leading or size * 1.3
        lines = simpleSplit(s, font, size, width)
        for i, line in enumerate(lines):
            self.text(x, y + i * leading, line, font, size)
        return len(lines) * leading

    def box(self, x, y, w, h, width=0.75):
        self.c.setLineWidth(width)
        self.c.rect(x, H - y - h, w, h, stroke=1, fill=0)

    def line(self, x1, y1, x2, y2, width=0.5):
        self.c.setLineWidth(width)
        self.c.line(x1, H - y1, x2, H - y2)

    def digits(self, x, y, n):
        for i in range(n):
            self.box(x + i * DIGIT_W, y, DIGIT_W, DIGIT_H)
        return n * DIGIT_W

    def qr(self, x, y, text):
        matrix = segno.make(text, error="m", micro=False).matrix
        n = len(matrix)
        module = max(0.5 * mm, QR_SIDE / (n + 8))
        path = self.c.beginPath()
        for r, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark:
                    path.rect(x + (col + 4) * module, H - (y + (r + 5) * module), module, module)
        self.c.drawPath(path, stroke=0, fill=1)

    def header(self, code_text, title, part):
        self.qr(MARGIN, MARGIN, code_text)
        x = MARGIN + QR_SIDE + 2 * mm
        self.text(x, MARGIN + 1 * mm, code_text, "MonoBold", 18)
        self.text(x, MARGIN + 9 * mm, "intake v1 · printed 2026-11-27", "Sans", 7.5)
        self.c.setFont("SansBold", 11)
        self.c.drawRightString(W - MARGIN, H - MARGIN - 11, title)
        self.c.setFont("Sans", 9)
        self.c.drawRightString(W - MARGIN, H - MARGIN - 24, part)
        self.y = MARGIN + QR_SIDE + 2 * mm
        self.y += self.wrapped(MARGIN, self.y, "Never write a name on this sheet." if "Sensitive" in part
                               else "Keep this slip apart from the sensitive sheet, in the locked box.",
                               CONTENT, "SansBold", 8) + 2 * mm
        self.line(MARGIN, self.y, W - MARGIN, self.y, 0.8)
        self.y += 3 * mm


def choices_of(template, field):
    if field["type"] == "yes_no":
        return ["Yes", "No"]
    if field["type"] in ("select_one", "select_multiple"):
        return [c["label"]["en"] for c in template["choices"][field["choices"]]]
    return None


def draw_field(p, template, field):
    label = field["label"]["en"]
    if field["type"] == "note":
        h = p.wrapped(MARGIN + 2 * mm, p.y + 2 * mm, label, CONTENT - 4 * mm, "Sans", 8.5)
        p.y += h + 6 * mm
        return
    p.y += p.wrapped(MARGIN, p.y, label, CONTENT, "SansBold", 9) + 1 * mm
    hint = field.get("hint", {}).get("en")
    if hint:
        p.y += p.wrapped(MARGIN, p.y, hint, CONTENT, "SansItalic", 7.5) + 1 * mm
    options = choices_of(template, field)
    if options:
        columns = 4 if max(len(o) for o in options) < 24 else 2
        rows = (len(options) + columns - 1) // columns
        cell = CONTENT / columns
        for i, option in enumerate(options):
            x = MARGIN + (i // rows) * cell
            y = p.y + (i % rows) * 5.5 * mm
            p.box(x, y, TICK, TICK)
            p.text(x + TICK + 1.5 * mm, y, option, "Sans", 8.5)
        p.y += rows * 5.5 * mm + 3 * mm
    elif field["type"] == "date":
        x = MARGIN
        for n in (2, 2, 4):
            x += p.digits(x, p.y, n) + 4 * mm
        p.y += DIGIT_H + 6 * mm
    elif field["type"] == "age":
        x = MARGIN + p.digits(MARGIN, p.y, 3) + 3 * mm
        p.text(x, p.y + 1 * mm, "years   or, if not known:", "Sans", 8)
        x += 40 * mm
        for band in ["0–4", "5–11", "12–17", "18–59", "60+"]:
            p.box(x, p.y + 1 * mm, TICK, TICK)
            p.text(x + TICK + 1 * mm, p.y + 1 * mm, band, "Sans", 8.5)
            x += 18 * mm
        p.y += DIGIT_H + 4 * mm
    else:
        p.y += 8 * mm
        p.line(MARGIN, p.y, W - MARGIN, p.y)
        p.y += 4 * mm


CONSENT = [
    "We write down some information to help you.",
    "The organisation responsible for it: Bench Red Cross.",
    "Your name is kept apart from your answers: on this slip, locked away, and in a locked computer file. "
    "Your answers are kept under a code, not under your name.",
    "What we write down, and why:",
]


def consent_lines(template):
    lines = list(CONSENT)
    for key, text in template["purposes"].items():
        fields = [f for page in template["sensitive"] for f in page["fields"] if f.get("purpose") == key]
        fields += [f for f in template["identity"] if f.get("purpose") == key]
        names = sorted({f.get("summary", f["label"])["en"] for f in fields})
        lines.append(f"• {text['en']}: {', '.join(names)}.")
    lines += ["Who can see it: " + template["settings"]["access"]["en"],
              "How it is kept: " + template["settings"]["storage"]["en"],
              "How long: we delete it 24 months after your last visit.",
              "Questions or complaints: data@example.org, +39 06 5510 0000",
              "You can refuse any question, or stop at any time. If you say no, you will still get help."]
    return lines


def main():
    count = int(sys.argv[1])
    out = sys.argv[2]
    template = yaml.safe_load(open(sys.argv[3] if len(sys.argv) > 3 else "templates/intake.yaml"))
    title = template["title"]["en"]
    consent = consent_lines(template)
    pages = template["sensitive"]
    c = canvas.Canvas(out, pagesize=A4)
    for _ in range(count):
        code_text = code()
        p = Page(c)
        p.header(code_text, title, "Identity slip")
        top = p.y
        p.y += 2.5 * mm
        p.text(MARGIN + 2.5 * mm, p.y, "About your information", "SansBold", 8.5)
        p.y += 5 * mm
        for line in consent:
            p.y += p.wrapped(MARGIN + 2.5 * mm, p.y, line, CONTENT - 5 * mm, "Sans", 7.5) + 0.9 * mm
        p.box(MARGIN, top, CONTENT, p.y - top, 0.5)
        p.y += 4 * mm
        for field in template["identity"]:
            draw_field(p, template, field)
        x = MARGIN
        p.text(x, p.y + 1 * mm, "Volunteer’s initials", "Sans", 8)
        x += p.digits(x + 30 * mm, p.y, 3) + 36 * mm
        p.text(x, p.y + 1 * mm, "Date", "Sans", 8)
        x += 8 * mm
        for n in (2, 2, 4):
            x += p.digits(x, p.y, n) + 4 * mm
        c.showPage()
        for number, page in enumerate(pages, 1):
            p = Page(c)
            p.header(code_text, title, f"Sensitive sheet · page {number} of {len(pages)}")
            p.y += p.wrapped(MARGIN, p.y, page["title"]["en"], CONTENT, "SansBold", 10.5) + 3 * mm
            for field in page["fields"]:
                draw_field(p, template, field)
            c.showPage()
    c.save()


if __name__ == "__main__":
    main()
