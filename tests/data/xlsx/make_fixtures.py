#!/usr/bin/env python3
"""Writes the .xlsx fixtures for tests/unit/test_xlsx.c and the fuzz corpus fuzz/corpus/xlsx/.

Every part is written by hand with the standard library only (zipfile), so the fixtures are
reproducible and each one shows exactly the construct it tests. Run from anywhere:

    python3 tests/data/xlsx/make_fixtures.py

Normal workbooks: basic.xlsx (shared/inline strings, rich text, numbers, 1900 dates, gaps, two
sheets), date1904.xlsx, excel_style.xlsx (what Excel itself writes: docProps, theme, spans,
x14ac, mc:Ignorable, a title row above the header) and prefixed.xlsx (namespace prefixes, no
r= attributes, absolute relationship targets, a workbook part in an unusual place).
Hostile ones: zip bombs (by ratio, and with sizes that lie), a DTD with entities, the
billion-laughs file, an external entity, a depth bomb, a missing workbook, garbage bytes, a
truncated archive and malformed XML. The too-many-entries archive is built by the test itself
(10,001 entries would make a large fixture).
"""
import os
import random
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "..", "fuzz", "corpus", "xlsx")

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = XML_DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>")


def package_rels(target="xl/workbook.xml"):
    return XML_DECL + (
        f'<Relationships xmlns="{NS_PKG}">'
        f'<Relationship Id="rId1" Type="{REL}officeDocument" Target="{target}"/>'
        "</Relationships>")


def workbook(sheets, date1904=False):
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr defaultThemeVersion="164011"/>'
    body = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                   for i, n in enumerate(sheets))
    return XML_DECL + (f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}">{pr}'
                       f"<sheets>{body}</sheets></workbook>")


def workbook_rels(nsheets, shared=True, styles=True):
    rels = [f'<Relationship Id="rId{i + 1}" Type="{REL}worksheet" '
            f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(nsheets)]
    if styles:
        rels.append(f'<Relationship Id="rId{nsheets + 1}" Type="{REL}styles" Target="styles.xml"/>')
    if shared:
        rels.append(f'<Relationship Id="rId{nsheets + 2}" Type="{REL}sharedStrings" '
                    'Target="sharedStrings.xml"/>')
    return XML_DECL + f'<Relationships xmlns="{NS_PKG}">{"".join(rels)}</Relationships>'


# cellXfs: 0 General, 1 built-in date 14, 2 custom dd-mm-yyyy (164), 3 datetime 22,
# 4 '0 "dagen"' (165, not a date: the d is quoted), 5 [h]:mm (166), 6 '#,##0.00 [$€-413]' (167)
STYLES = XML_DECL + (
    f'<styleSheet xmlns="{NS_MAIN}">'
    '<numFmts count="4">'
    '<numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/>'
    '<numFmt numFmtId="165" formatCode="0 &quot;dagen&quot;"/>'
    '<numFmt numFmtId="166" formatCode="[h]:mm"/>'
    '<numFmt numFmtId="167" formatCode="#,##0.00\\ [$€-413]"/>'
    "</numFmts>"
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<cellStyleXfs count="1"><xf numFmtId="14" fontId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="167" fontId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>")


def sst(items):
    return XML_DECL + (f'<sst xmlns="{NS_MAIN}" count="{len(items)}" uniqueCount="{len(items)}">'
                       + "".join(f"<si>{i}</si>" for i in items) + "</sst>")


def sheet(rows, extra_head=""):
    return XML_DECL + (f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">{extra_head}'
                       f"<sheetData>{''.join(rows)}</sheetData></worksheet>")


def write_zip(name, parts, method=zipfile.ZIP_DEFLATED):
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, "w") as z:
        for pname, data in parts:
            info = zipfile.ZipInfo(pname, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def standard(sheets_xml, shared=None, styles=STYLES, date1904=False, names=None):
    names = names or [f"Blad{i + 1}" for i in range(len(sheets_xml))]
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", package_rels()),
             ("xl/workbook.xml", workbook(names, date1904)),
             ("xl/_rels/workbook.xml.rels",
              workbook_rels(len(sheets_xml), shared is not None, styles is not None))]
    if styles is not None:
        parts.append(("xl/styles.xml", styles))
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", sst(shared)))
    for i, s in enumerate(sheets_xml):
        parts.append((f"xl/worksheets/sheet{i + 1}.xml", s))
    return parts


def basic():
    shared = [
        "<t>naam</t>",                                                # 0
        "<t>geboortedatum</t>",                                       # 1
        "<t>bedrag</t>",                                              # 2
        '<r><rPr><b/></rPr><t>Jan</t></r><r><t xml:space="preserve"> de </t></r><r><t>Vries</t></r>',  # 3
        "<t>Ren\u00e9 &amp; Zo\u00eb</t>",                           # 4
        "<t>regel_x000D_\nnieuw</t>",                                 # 5 (CR escape)
        '<t>\u304b\u3093</t><rPh sb="0" eb="1"><t>KAN</t></rPh>',      # 6 phonetic ignored
        "<t>a_x005F_x0041_b</t>",                                     # 7 escaped underscore
    ]
    s1 = sheet([
        '<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="inlineStr"><is><t>opmerking</t></is></c></row>',
        # numbers, 1900 date (built-in 14), custom date, gap in D
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" s="1"><v>45292</v></c>'
        '<c r="C2"><v>1234.5</v></c><c r="E2" t="inlineStr"><is><r><t>rich</t></r>'
        '<r><t>inline</t></r></is></c></row>',
        # row 3 is missing; row 4: custom date format, datetime, quoted-d format is a number
        '<row r="4"><c r="A4" t="s"><v>4</v></c><c r="B4" s="2"><v>36526</v></c>'
        '<c r="C4" s="3"><v>45292.75</v></c><c r="D4" s="4"><v>14</v></c></row>',
        # the 1900 leap-year bug: 59, 60, 61; and 0.1 + 0.2 style round-trips
        '<row r="5"><c r="A5" s="1"><v>59</v></c><c r="B5" s="1"><v>60</v></c>'
        '<c r="C5" s="1"><v>61</v></c><c r="D5"><v>0.30000000000000004</v></c>'
        '<c r="E5"><v>0.1</v></c><c r="F5"><v>-17</v></c></row>',
        # booleans, error, formula string, big integer, exponent, [h]:mm counts as date
        '<row r="6"><c r="A6" t="b"><v>1</v></c><c r="B6" t="b"><v>0</v></c>'
        '<c r="C6" t="e"><v>#N/A</v></c><c r="D6" t="str"><f>A1&amp;"x"</f><v>naamx</v></c>'
        '<c r="E6"><v>123456782</v></c><c r="F6"><v>1.5E-5</v></c></row>',
        # only styled empty cells: skipped
        '<row r="7"><c r="A7" s="1"/><c r="B7" s="2"/></row>',
        # escapes, phonetic text, bad shared index, currency format is a number
        '<row r="8"><c r="A8" t="s"><v>5</v></c><c r="B8" t="s"><v>6</v></c>'
        '<c r="C8" t="s"><v>999</v></c><c r="D8" s="6"><v>12.5</v></c><c r="E8" t="s"><v>7</v></c>'
        '</row>',
        '<row r="9"><c r="A9" s="5"><v>1.5</v></c><c r="C9" t="d"><v>2024-02-29T00:00:00</v></c>'
        '<c r="D9" t="d"><v>2024-02-29T13:45:10</v></c></row>',
        # a cell far to the right within the limit; cells out of order
        '<row r="10"><c r="B10"><v>2</v></c><c r="A10"><v>1</v></c></row>',
    ])
    s2 = sheet([
        '<row r="1"><c r="A1" t="inlineStr"><is><t>tweede blad</t></is></c></row>',
        '<row r="3"><c r="B3"><v>42</v></c></row>',
    ])
    write_zip("basic.xlsx", standard([s1, s2], shared, names=["Registraties", "Tweede"]))


def date1904():
    s1 = sheet([
        '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43830</v></c>'
        '<c r="C1" s="2"><v>1</v></c><c r="D1" s="3"><v>0.5</v></c><c r="E1"><v>43830</v></c></row>',
    ])
    write_zip("date1904.xlsx", standard([s1], None, date1904=True))


def excel_style():
    """Shaped like Excel 2016 output: extra parts, namespaces, dimension/sheetViews/cols,
    spans and x14ac:dyDescent on rows, a title row above the header, shared strings only."""
    header = ["BSN", "Achternaam", "Geboortedatum", "Postcode", "Productcode", "Startdatum",
              "Einddatum", "Bedrag"]
    strings = ["Registratie-export Jeugdhulp Noord, periode 2024"] + header
    idx = {s: i for i, s in enumerate(strings)}

    def si(s):
        if s not in idx:
            idx[s] = len(strings)
            strings.append(s)
        return idx[s]

    rows = [f'<row r="1" spans="1:8" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c></row>',
            '<row r="3" spans="1:8" x14ac:dyDescent="0.25">' + "".join(
                f'<c r="{chr(65 + i)}3" s="0" t="s"><v>{idx[h]}</v></c>'
                for i, h in enumerate(header)) + "</row>"]
    names = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
    for k in range(20):
        r = 4 + k
        cells = [
            f'<c r="A{r}"><v>{100000009 + k * 11}</v></c>',
            f'<c r="B{r}" t="s"><v>{si(names[k % len(names)])}</v></c>',
            f'<c r="C{r}" s="1"><v>{36526 + k * 300}</v></c>',
            f'<c r="D{r}" t="s"><v>{si(f"{9700 + k} AB")}</v></c>',
            f'<c r="E{r}" t="s"><v>{si("45A1" + str(k % 3))}</v></c>',
            f'<c r="F{r}" s="1"><v>{45292 + k}</v></c>',
            (f'<c r="G{r}" s="1"><v>{45657}</v></c>' if k % 4 else ""),
            f'<c r="H{r}" s="6"><v>{1000 + k * 12.25}</v></c>',
        ]
        rows.append(f'<row r="{r}" spans="1:8" x14ac:dyDescent="0.25">{"".join(cells)}</row>')
    ws = XML_DECL + (
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x14ac xr xr2 xr3" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
        'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
        'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
        'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
        'xr:uid="{00000000-0001-0000-0000-000000000000}">'
        '<dimension ref="A1:H23"/><sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<selection activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/>'
        '<cols><col min="1" max="1" width="12.7109375" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>")
    wb = XML_DECL + (
        f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15">'
        '<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="22228"/>'
        '<workbookPr defaultThemeVersion="166925"/>'
        '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/>'
        "</bookViews>"
        '<sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets>'
        '<calcPr calcId="191029"/></workbook>')
    rels = XML_DECL + (
        f'<Relationships xmlns="{NS_PKG}">'
        f'<Relationship Id="rId3" Type="{REL}styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}theme" Target="theme/theme1.xml"/>'
        f'<Relationship Id="rId1" Type="{REL}worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId4" Type="{REL}sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>")
    pkg = XML_DECL + (
        f'<Relationships xmlns="{NS_PKG}">'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/extended-properties" Target="docProps/app.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId1" Type="{REL}officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>")
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", pkg),
        ("docProps/app.xml", XML_DECL + "<Properties><Application>Microsoft Excel</Application>"
         "</Properties>"),
        ("docProps/core.xml", XML_DECL + "<cp:coreProperties xmlns:cp=\"http://schemas."
         "openxmlformats.org/package/2006/metadata/core-properties\"/>"),
        ("xl/workbook.xml", wb), ("xl/_rels/workbook.xml.rels", rels),
        ("xl/theme/theme1.xml", XML_DECL + '<a:theme xmlns:a="http://schemas.openxmlformats.org/'
         'drawingml/2006/main" name="Office Theme"/>'),
        ("xl/worksheets/sheet1.xml", ws), ("xl/styles.xml", STYLES),
        ("xl/sharedStrings.xml", sst([f"<t>{s}</t>" for s in strings])),
    ]
    write_zip("excel_style.xlsx", parts)


def prefixed():
    """Prefixed namespaces (as the .NET Open XML SDK writes them), cells and rows without r=,
    absolute targets, and a workbook part outside xl/."""
    x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    wb = XML_DECL + (f'<x:workbook xmlns:x="{x}" xmlns:rel="{NS_R}"><x:sheets>'
                     '<x:sheet name="Data" sheetId="7" rel:id="R9a"/></x:sheets></x:workbook>')
    rels = XML_DECL + (f'<Relationships xmlns="{NS_PKG}">'
                       f'<Relationship Id="R9a" Type="{REL}worksheet" Target="/data/ws/../ws/s.xml"/>'
                       "</Relationships>")
    ws = XML_DECL + (f'<x:worksheet xmlns:x="{x}"><x:sheetData>'
                     '<x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c>'
                     '<x:c><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:t>c</x:t></x:is></x:c></x:row>'
                     '<x:row><x:c r="B2"><x:v>2</x:v></x:c><x:c><x:v>3</x:v></x:c></x:row>'
                     "</x:sheetData></x:worksheet>")
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", package_rels("/book/wb.xml")),
             ("book/wb.xml", wb), ("book/_rels/wb.xml.rels", rels), ("data/ws/s.xml", ws)]
    write_zip("prefixed.xlsx", parts)


def simple_sheet(body_rows):
    return standard([sheet(body_rows)], None)


def hostile():
    one = ['<row r="1"><c r="A1"><v>1</v></c></row>']
    # Ratio bomb: one 20 MiB worksheet of whitespace, about 20 KiB compressed.
    bomb = XML_DECL + f'<worksheet xmlns="{NS_MAIN}"><sheetData>' + " " * (20 << 20) + \
        "</sheetData></worksheet>"
    parts = standard([sheet(one)], None)
    parts[-1] = ("xl/worksheets/sheet1.xml", bomb)
    write_zip("bomb_ratio.xlsx", parts)

    # Lying sizes: the sheet declares 300 bytes uncompressed but inflates to 4 MiB.
    big = XML_DECL + f'<worksheet xmlns="{NS_MAIN}"><sheetData>' + \
        '<row r="1"><c r="A1"><v>1</v></c></row>' * ((4 << 20) // 36) + "</sheetData></worksheet>"
    parts = standard([sheet(one)], None)
    parts[-1] = ("xl/worksheets/sheet1.xml", big)
    path = write_zip("bomb_lying.xlsx", parts)
    lie_about_size(path, "xl/worksheets/sheet1.xml", 300)

    dtd = XML_DECL.replace("?>\n", "?>\n") + (
        '<!DOCTYPE worksheet [<!ENTITY e "een entiteit">]>'
        f'<worksheet xmlns="{NS_MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;'
        "</t></is></c></row></sheetData></worksheet>")
    parts = standard([sheet(one)], None)
    parts[-1] = ("xl/worksheets/sheet1.xml", dtd)
    write_zip("dtd.xlsx", parts)

    lol = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    laughs = XML_DECL + f'<!DOCTYPE sst [{"".join(lol)}]>' + (
        f'<sst xmlns="{NS_MAIN}"><si><t>&lol9;</t></si></sst>')
    parts = standard([sheet(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])], [])
    parts = [(n, laughs if n == "xl/sharedStrings.xml" else d) for n, d in parts]
    write_zip("billion_laughs.xlsx", parts)

    xxe = XML_DECL + ('<!DOCTYPE worksheet SYSTEM "file:///etc/passwd">'
                      f'<worksheet xmlns="{NS_MAIN}"><sheetData/></worksheet>')
    parts = standard([sheet(one)], None)
    parts[-1] = ("xl/worksheets/sheet1.xml", xxe)
    write_zip("xxe.xlsx", parts)

    deep = XML_DECL + (f'<worksheet xmlns="{NS_MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v>'
                       "</c></row>" + "<x>" * 100 + "</x>" * 100 + "</sheetData></worksheet>")
    parts = standard([sheet(one)], None)
    parts[-1] = ("xl/worksheets/sheet1.xml", deep)
    write_zip("depth.xlsx", parts)

    write_zip("no_workbook.xlsx", [("[Content_Types].xml", CONTENT_TYPES),
                                   ("_rels/.rels", package_rels())])

    rng = random.Random(4)
    with open(os.path.join(HERE, "garbage.xlsx"), "wb") as f:
        f.write(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2000)))

    with open(os.path.join(HERE, "basic.xlsx"), "rb") as f:
        data = f.read()
    with open(os.path.join(HERE, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])

    bad = XML_DECL + (f'<worksheet xmlns="{NS_MAIN}"><sheetData>\n<row r="1">\n'
                      '<c r="A1"><v>1</v></c>\n</row>\n<row r="2"><c r="A2"><v>2</c>\n'
                      "</row></sheetData></worksheet>")
    parts = standard([sheet(one)], None)
    parts[-1] = ("xl/worksheets/sheet1.xml", bad)
    write_zip("bad_xml.xlsx", parts)


def lie_about_size(path, name, size):
    """Overwrites the uncompressed size of `name` in its local header and central directory."""
    data = bytearray(open(path, "rb").read())
    nb = name.encode()
    # Local file header: signature, ..., uncompressed size at offset 22, name length at 26.
    pos = 0
    while True:
        pos = data.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        nlen = struct.unpack_from("<H", data, pos + 26)[0]
        if data[pos + 30: pos + 30 + nlen] == nb:
            struct.pack_into("<I", data, pos + 22, size)
        pos += 4
    # Central directory header: uncompressed size at offset 24, name length at 28.
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + nlen] == nb:
            struct.pack_into("<I", data, pos + 24, size)
        pos += 4
    open(path, "wb").write(bytes(data))


def seed_corpus():
    os.makedirs(CORPUS, exist_ok=True)
    skip = {"bomb_ratio.xlsx", "bomb_lying.xlsx"}  # large when inflated; fuzzing gains little
    for f in sorted(os.listdir(HERE)):
        if f.endswith(".xlsx") and f not in skip:
            with open(os.path.join(HERE, f), "rb") as src, \
                    open(os.path.join(CORPUS, "seed-" + f), "wb") as dst:
                dst.write(src.read())
    # Stored (uncompressed) copies let byte mutations reach the XML itself.
    for f in ("basic.xlsx", "excel_style.xlsx", "date1904.xlsx", "prefixed.xlsx"):
        with zipfile.ZipFile(os.path.join(HERE, f)) as src, \
                zipfile.ZipFile(os.path.join(CORPUS, "seed-stored-" + f), "w") as dst:
            for info in src.infolist():
                out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                out.compress_type = zipfile.ZIP_STORED
                dst.writestr(out, src.read(info.filename))


if __name__ == "__main__":
    basic()
    date1904()
    excel_style()
    prefixed()
    hostile()
    seed_corpus()
