#!/usr/bin/env python3
"""make_xlsx.py: writes jeugd-export.xlsx, a small registration export as a spreadsheet
program would save it: a title row above the header, shared strings, numbers for codes and
gemeente codes, real date cells (style with number format 14), a text cell that only looks
like a date, and a sheet row that is missing altogether. The XML parts are written by hand
so the test file does not depend on a spreadsheet library. Run: python3 make_xlsx.py"""
import datetime
import zipfile
from xml.sax.saxutils import escape

OUT = "jeugd-export.xlsx"
EPOCH = datetime.date(1899, 12, 30)


def D(y, m, d):
    """A date cell: the serial day number, shown with a date style."""
    return ("date", (datetime.date(y, m, d) - EPOCH).days)


# None = empty cell (left out of the XML); int/float = number; str = shared string.
ROWS = {
    1: ["Registratie jeugdhulp 2023 – Zorgboog"],
    2: ["Cliëntnummer", "Gemeentecode", "Hulpvorm", "Startdatum", "Einddatum", "Reden einde",
        "Tevredenheid", "Doelen behaald", "Geslacht", "Postcode", "Leeftijd", "Opmerking"],
    3: ["K-1001", 114, 2, D(2023, 1, 16), D(2023, 5, 31), 1, 7, "deels", "V", "7811 AB", 14,
        "eerste traject"],
    4: ["K-1002", "0106", "11", D(2023, 2, 1), None, None, None, None, "M", "9401", 9, None],
    5: ["K-1003", 9999, 2, D(2023, 3, 1), None, None, None, None, "V", "7811", 12, None],
    6: [None, 114, 3, D(2023, 4, 1), None, None, None, None, "M", "7812", 10, "geen nummer"],
    7: ["K-1005", 114, 2, "2023-02-30", None, None, None, 120, "V", "7813", 11, None],
    # row 8 is missing from the sheet
    9: ["K-1006", 114, 4, D(2023, 6, 1), D(2023, 7, 1), 2, 9, 80, "man", "7812", 15, None],
}

strings = []


def sst(s):
    if s not in strings:
        strings.append(s)
    return strings.index(s)


def col(i):
    return chr(ord("A") + i)


def cell(ref, v):
    if v is None:
        return ""
    if isinstance(v, tuple):
        return f'<c r="{ref}" s="1"><v>{v[1]}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>'


rows_xml = []
for r in sorted(ROWS):
    cells = "".join(cell(f"{col(i)}{r}", v) for i, v in enumerate(ROWS[r]))
    rows_xml.append(f'<row r="{r}">{cells}</row>')

sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         f'<sheetData>{"".join(rows_xml)}</sheetData></worksheet>')
shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          f'count="{len(strings)}" uniqueCount="{len(strings)}">'
          + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '</cellXfs></styleSheet>')
workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>')
workbook_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                 '</Relationships>')
root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>')
content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                 '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                 '</Types>')

# Fixed timestamps, so running the script again gives the same bytes.
STAMP = (2024, 1, 1, 0, 0, 0)
with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels),
                       ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels),
                       ("xl/styles.xml", styles), ("xl/sharedStrings.xml", shared),
                       ("xl/worksheets/sheet1.xml", sheet)]:
        z.writestr(zipfile.ZipInfo(name, STAMP), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
print(f"wrote {OUT}")
