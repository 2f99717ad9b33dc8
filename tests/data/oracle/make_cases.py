#!/usr/bin/env python3
"""make_cases.py: writes the hand-made edge cases of the indicator oracle (tests/oracle/run.sh)
into this folder. Each case is named in the table below and in README.md; the files are
committed, this script documents how they were made. Run: python3 make_cases.py

The material belongs to the demo region (`duiding demo`, seed 2026): registration exports of
"Praktijk Brinkzicht voor Jeugd-GGZ" (AGB 81927455, its demo column profile) and iJw 3.2
messages between gemeenten and "Jeugdhulp Veenstroom" (AGB 68123105). Names and BSNs are
invented; the BSNs pass the 11-test and lie outside the test range, except one test BSN."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
VEENSTROOM = "68123105"


def bsn(n):
    """The n-th invented BSN: 9 digits starting 61, passing the 11-test."""
    k = 0
    x = 610000000 + n * 1000
    while True:
        s = str(x + k)
        tot = sum(int(s[i]) * (9 - i) for i in range(8)) - int(s[8])
        if tot % 11 == 0:
            return s
        k += 1


TEST_BSN = "999990019"  # test range 999900006-999999990: flagged, never counted

# --- registration exports (Brinkzicht profile) ------------------------------------------------
HEADER = ("Cliëntnummer,BSN,Geboortedatum,Geslacht,Postcode,Gemeentecode,Hulpvorm,Productcode,"
          "Datum aanvang,Datum einde,Reden beëindiging,Verwijzer,Tevredenheid,"
          "Zonder hulp verder,Type informant,Doelrealisatie (%),Behandelaar")


def row(nr, b, born, gender, pc, gem, hv, prod, start, end, reason, ref, grade, zh, inf, goal):
    return ",".join([nr, b, born, gender, pc, gem, hv, prod, start, end, reason, ref, grade, zh,
                     inf, goal, "T. Tester"])


REG1 = [
    # P1: ends on 31 March, two informants: tevredenheid/zonder_hulp of the jeugdige (01),
    # doelrealisatie the max of both; comes back at Veenstroom 2 days later (message m6)
    row("C101", bsn(1), "2010-05-01", "1", "7811 AA", "0114", "02", "54A01", "2023-10-01",
        "2024-03-31", "01", "02", "8", "02", "01", "70"),
    row("C101", bsn(1), "2010-05-01", "1", "7811 AA", "0114", "02", "54A01", "2023-10-01",
        "2024-03-31", "01", "02", "6", "04", "02", "90"),
    # P2: starts on 1 April, ends 31 December, uitval; only the ouder answered (corrected by
    # registratie-2); 18 at the start
    row("C102", bsn(2), "2006-04-01", "2", "", "0109", "02", "54A02", "2024-04-01", "2024-12-31",
        "03", "01", "5", "01", "02", "40"),
    # P3: external end reason 05 on 30 June; starts again the next day (gap 1: no new start),
    # ends 31 August; starts again exactly at the end of the 6-month window (28 Feb 2025)
    row("C103", bsn(3), "2012-01-01", "1", "", "0118", "01", "54A01", "2024-01-10", "2024-06-30",
        "05", "02", "", "", "", ""),
    row("C103", bsn(3), "2012-01-01", "1", "", "0118", "03", "54A03", "2024-07-01", "2024-08-31",
        "02", "02", "", "", "", ""),
    row("C103", bsn(3), "2012-01-01", "1", "", "0118", "01", "54A01", "2025-02-28", "",
        "", "02", "", "", "", ""),
    # P4: gemeente 0370 (Beemster, merged into Purmerend 0439 in 2022); ends 31 August, new start
    # one day after the 6-month window, ending on 1 April
    row("C104", bsn(4), "2015-03-03", "2", "", "0370", "03", "54A03", "2023-02-15", "2024-08-31",
        "04", "01", "", "", "", ""),
    row("C104", bsn(4), "2015-03-03", "2", "", "0370", "03", "54A03", "2025-03-01", "2025-04-01",
        "01", "01", "7", "03", "01", ""),
    # P5: starts and ends on 29 February (doorlooptijd 0), gender unknown
    row("C105", bsn(5), "2009-12-31", "0", "", "1690", "02", "54A02", "2024-02-29", "2024-02-29",
        "01", "02", "8", "03", "01", "100"),
    # P6: open since 1 January 2022
    row("C106", bsn(6), "2016-06-15", "1", "", "0114", "02", "54A01", "2022-01-01", "",
        "", "02", "", "", "", ""),
    # a test person: never counted
    row("C107", TEST_BSN, "2011-01-01", "1", "", "0114", "02", "54A01", "2024-01-01",
        "2024-03-31", "01", "02", "9", "04", "01", "100"),
    # P8: ends 31 December 2025
    row("C108", bsn(8), "2013-02-02", "2", "", "0119", "02", "54A02", "2024-10-01", "2025-12-31",
        "02", "02", "10", "03", "01", ""),
    # P9: ouder says 02 (lichtere hulp: not counted with the default setting), ext. reason
    row("C109", bsn(9), "2008-09-09", "1", "", "1701", "02", "54A01", "2025-01-01", "2025-03-31",
        "05", "01", "6", "02", "02", "30"),
    # P10: informant unknown
    row("C110", bsn(10), "2014-04-04", "2", "", "1681", "02", "54A01", "2024-05-05", "2025-01-15",
        "01", "02", "7", "04", "", "55"),
    # P11: the jeugdige gave no grade but a zonder-hulp answer; the ouder gave a grade
    row("C111", bsn(11), "2010-10-10", "1", "", "0114", "02", "54A02", "2024-06-01", "2025-06-30",
        "01", "02", "", "03", "01", ""),
    row("C111", bsn(11), "2010-10-10", "1", "", "0114", "02", "54A02", "2024-06-01", "2025-06-30",
        "01", "02", "4", "01", "02", "20"),
]

REG2 = [  # corrections: the same record (hulpvorm + start, informant) again replaces it
    row("C102", bsn(2), "2006-04-01", "2", "", "0109", "02", "54A02", "2024-04-01", "2025-01-02",
        "01", "01", "9", "04", "02", "80"),
    row("C109", bsn(9), "2008-09-09", "1", "", "1701", "02", "54A01", "2025-01-01", "2025-03-31",
        "05", "01", "7", "04", "01", "60"),
    row("C112", bsn(12), "2017-07-07", "2", "", "0114", "01", "54A01", "2024-07-15", "",
        "", "02", "", "", "", ""),
]

REG3 = [  # a batch that is undone: P1's end moves and a new person appears, then both go away
    row("C101", bsn(1), "2010-05-01", "1", "7811 AA", "0114", "02", "54A01", "2023-10-01",
        "2024-04-01", "03", "02", "3", "01", "01", "10"),
    row("C113", bsn(13), "2011-11-11", "1", "", "0118", "02", "54A02", "2024-03-01",
        "2024-09-30", "01", "02", "8", "04", "01", "90"),
]

# --- iJw 3.2 messages ---------------------------------------------------------------------------
NS = {"301": "jw301", "305": "jw305", "307": "jw307"}
CODE = {"301": "436", "305": "438", "307": "440"}
IJW = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
ident = [500000000000]


def header(kind, sender, receiver, day):
    p = NS[kind]
    ident[0] += 1
    return f"""	<{p}:Header>
		<{p}:BerichtCode>{CODE[kind]}</{p}:BerichtCode>
		<{p}:BerichtVersie>3</{p}:BerichtVersie>
		<{p}:BerichtSubversie>2</{p}:BerichtSubversie>
		<{p}:Afzender>{sender}</{p}:Afzender>
		<{p}:Ontvanger>{receiver}</{p}:Ontvanger>
		<{p}:BerichtIdentificatie>
			<ijw:Identificatie>{ident[0]}</ijw:Identificatie>
			<ijw:Dagtekening>{day}</ijw:Dagtekening>
		</{p}:BerichtIdentificatie>
		<{p}:XsdVersie>
			<ijw:BasisschemaXsdVersie>0.1.0</ijw:BasisschemaXsdVersie>
			<ijw:BerichtXsdVersie>0.1.0</ijw:BerichtXsdVersie>
		</{p}:XsdVersie>
	</{p}:Header>
"""


def client(kind, b, born, body):
    p = NS[kind]
    naamgebruik = "\t\t\t<ijw:NaamGebruik>1</ijw:NaamGebruik>\n" if kind == "301" else ""
    contact = f"""		<{p}:Contactgegevens>
			<{p}:Contact>
				<{p}:Soort>01</{p}:Soort>
				<{p}:Adres>
					<ijw:Huis>
						<ijw:Huisnummer>1</ijw:Huisnummer>
					</ijw:Huis>
					<ijw:Postcode>7811AB</ijw:Postcode>
					<ijw:Straatnaam>Proefstraat</ijw:Straatnaam>
					<ijw:Plaatsnaam>Emmen</ijw:Plaatsnaam>
					<ijw:LandCode>NL</ijw:LandCode>
				</{p}:Adres>
			</{p}:Contact>
		</{p}:Contactgegevens>
""" if kind == "301" else ""
    return f"""	<{p}:Client>
		<{p}:Bsn>{b}</{p}:Bsn>
		<{p}:Geboortedatum>
			<ijw:Datum>{born}</ijw:Datum>
		</{p}:Geboortedatum>
		<{p}:Geslacht>1</{p}:Geslacht>
		<{p}:Naam>
			<ijw:Geslachtsnaam>
				<ijw:Achternaam>Proef</ijw:Achternaam>
			</ijw:Geslachtsnaam>
			<ijw:Voornamen>Orakel</ijw:Voornamen>
			<ijw:Voorletters>O</ijw:Voorletters>
{naamgebruik}		</{p}:Naam>
{contact}{body}	</{p}:Client>
"""


def message(kind, sender, receiver, day, b, born, body):
    p = NS[kind]
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}:Bericht xmlns:ijw="{IJW}" '
            f'xmlns:{p}="http://www.istandaarden.nl/ijw/3_2/{p}/schema">\n'
            + header(kind, sender, receiver, day) + client(kind, b, born, body) + f"</{p}:Bericht>\n")


def jw301(gem, day, b, born, nr, assigned, ingang, einde):
    body = f"""		<jw301:ToegewezenProducten>
			<jw301:ToegewezenProduct>
				<jw301:ToewijzingNummer>{nr}</jw301:ToewijzingNummer>
				<jw301:Product>
					<ijw:Categorie>54</ijw:Categorie>
					<ijw:Code>54A10</ijw:Code>
				</jw301:Product>
				<jw301:Toewijzingsdatum>{assigned}</jw301:Toewijzingsdatum>
				<jw301:Toewijzingstijd>10:00:00</jw301:Toewijzingstijd>
				<jw301:Ingangsdatum>{ingang}</jw301:Ingangsdatum>
				<jw301:Einddatum>{einde}</jw301:Einddatum>
				<jw301:Omvang>
					<ijw:Volume>10</ijw:Volume>
					<ijw:Eenheid>04</ijw:Eenheid>
					<ijw:Frequentie>6</ijw:Frequentie>
				</jw301:Omvang>
			</jw301:ToegewezenProduct>
		</jw301:ToegewezenProducten>
"""
    return message("301", gem, VEENSTROOM, day, b, born, body)


def jw305(gem, day, b, born, nr, ingang, start, status=1):
    body = f"""		<jw305:StartProducten>
			<jw305:StartProduct>
				<jw305:ToewijzingNummer>{nr}</jw305:ToewijzingNummer>
				<jw305:Product>
					<ijw:Categorie>54</ijw:Categorie>
					<ijw:Code>54A10</ijw:Code>
				</jw305:Product>
				<jw305:ToewijzingIngangsdatum>{ingang}</jw305:ToewijzingIngangsdatum>
				<jw305:Begindatum>{start}</jw305:Begindatum>
				<jw305:StatusAanlevering>{status}</jw305:StatusAanlevering>
			</jw305:StartProduct>
		</jw305:StartProducten>
"""
    return message("305", VEENSTROOM, gem, day, b, born, body)


def jw307(gem, day, b, born, nr, ingang, start, reason, end, status=1):
    body = f"""		<jw307:StopProducten>
			<jw307:StopProduct>
				<jw307:ToewijzingNummer>{nr}</jw307:ToewijzingNummer>
				<jw307:Product>
					<ijw:Categorie>54</ijw:Categorie>
					<ijw:Code>54A10</ijw:Code>
				</jw307:Product>
				<jw307:ToewijzingIngangsdatum>{ingang}</jw307:ToewijzingIngangsdatum>
				<jw307:Begindatum>{start}</jw307:Begindatum>
				<jw307:RedenBeeindiging>{reason}</jw307:RedenBeeindiging>
				<jw307:Einddatum>{end}</jw307:Einddatum>
				<jw307:StatusAanlevering>{status}</jw307:StatusAanlevering>
			</jw307:StopProduct>
		</jw307:StopProducten>
"""
    return message("307", VEENSTROOM, gem, day, b, born, body)


MESSAGES = [
    # m1: temporary stop (reason 20): stays open
    ("m1-301", jw301("0114", "2024-01-05", bsn(20), "2012-02-02", 900001, "2024-01-05",
                     "2024-01-15", "2025-01-14")),
    ("m1-305", jw305("0114", "2024-02-03", bsn(20), "2012-02-02", 900001, "2024-01-15",
                     "2024-02-01")),
    ("m1-307", jw307("0114", "2024-05-03", bsn(20), "2012-02-02", 900001, "2024-01-15",
                     "2024-02-01", "20", "2024-05-01")),
    # m2: a stop corrected (StatusAanlevering 2): end 30 Sept -> 1 Oct, reason 31 -> 32
    ("m2-301", jw301("0114", "2023-11-20", bsn(21), "2011-03-03", 900002, "2023-11-20",
                     "2023-12-01", "2024-11-30")),
    ("m2-305", jw305("0114", "2023-12-05", bsn(21), "2011-03-03", 900002, "2023-12-01",
                     "2023-12-04")),
    ("m2-307a", jw307("0114", "2024-10-05", bsn(21), "2011-03-03", 900002, "2023-12-01",
                      "2023-12-04", "31", "2024-09-30")),
    ("m2-307b", jw307("0114", "2024-10-20", bsn(21), "2011-03-03", 900002, "2023-12-01",
                      "2023-12-04", "32", "2024-10-01", status=2)),
    # m3: a stop deleted (StatusAanlevering 3): open again
    ("m3-301", jw301("0114", "2024-02-20", bsn(22), "2013-04-04", 900003, "2024-02-20",
                     "2024-03-01", "2025-02-28")),
    ("m3-305", jw305("0114", "2024-03-02", bsn(22), "2013-04-04", 900003, "2024-03-01",
                     "2024-03-01")),
    ("m3-307a", jw307("0114", "2024-07-02", bsn(22), "2013-04-04", 900003, "2024-03-01",
                      "2024-03-01", "31", "2024-06-30")),
    ("m3-307b", jw307("0114", "2024-07-10", bsn(22), "2013-04-04", 900003, "2024-03-01",
                      "2024-03-01", "31", "2024-06-30", status=3)),
    # m4: assigned by gemeente 0370 (Beemster, merged 2022) in 2021, ends 31 December 2024
    ("m4-301", jw301("0370", "2021-11-15", bsn(23), "2014-05-05", 900004, "2021-11-15",
                     "2021-12-01", "2024-12-31")),
    ("m4-305", jw305("0370", "2021-12-02", bsn(23), "2014-05-05", 900004, "2021-12-01",
                     "2021-12-01")),
    ("m4-307", jw307("0370", "2025-01-03", bsn(23), "2014-05-05", 900004, "2021-12-01",
                     "2021-12-01", "31", "2024-12-31")),
    # m5: starts on 1 January, open; waited 12 days
    ("m5-301", jw301("0114", "2024-12-20", bsn(24), "2015-06-06", 900005, "2024-12-20",
                     "2025-01-01", "2025-12-31")),
    ("m5-305", jw305("0114", "2025-01-02", bsn(24), "2015-06-06", 900005, "2025-01-01",
                     "2025-01-01")),
    # m6: P1 of registratie-1 (ended 31 March 2024 at Brinkzicht) starts here on 2 April
    ("m6-301", jw301("0114", "2024-03-25", bsn(1), "2010-05-01", 900006, "2024-03-25",
                     "2024-04-02", "2024-12-31")),
    ("m6-305", jw305("0114", "2024-04-03", bsn(1), "2010-05-01", 900006, "2024-04-02",
                     "2024-04-02")),
    # m8: a start for an assignment that never came (no wachttijd)
    ("m8-305", jw305("0114", "2024-08-09", bsn(25), "2012-08-08", 900008, "2024-08-01",
                     "2024-08-08")),
    # m9: started before the assignment date (negative wachttijd: left out)
    ("m9-301", jw301("1690", "2024-09-10", bsn(26), "2010-09-09", 900009, "2024-09-10",
                     "2024-09-01", "2025-08-31")),
    ("m9-305", jw305("1690", "2024-09-11", bsn(26), "2010-09-09", 900009, "2024-09-01",
                     "2024-09-01")),
]

# --- population ------------------------------------------------------------------------------
BANDS = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
         "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95+"]


def population(year, rows):
    out = ["gemeente,jaar,leeftijd,inwoners,inwoners_man,inwoners_vrouw"]
    for name, base in rows:
        for i, band in enumerate(BANDS):
            n = base + 37 * i + (i * i) % 11
            out.append(f"{name},{year},{band},{n},{n // 2},{n - n // 2}")
    return "\n".join(out) + "\n"


# --- survey responses (inserted with sqlite3: there is no survey import yet) ------------------
def responses():
    out = ["-- antwoorden.sql: Wmo client-experience responses for the oracle (generated by",
           "-- make_cases.py). Edge cases first, then a deterministic spread.",
           "BEGIN;"]
    rid = 900000

    def resp(gem, aanb, law, age, gender, day, answers):
        nonlocal rid
        rid += 1
        out.append("INSERT INTO survey_response (id, gemeente, aanbieder_id, law, category, age, "
                   f"gender, response_date) VALUES ({rid}, '{gem}', {aanb}, {law}, NULL, {age}, "
                   f"{gender}, CAST(julianday('{day}') - 2440587.5 AS INTEGER));")
        for item, v in answers:
            out.append(f"INSERT INTO survey_answer VALUES ({rid}, 'wmo_ceo_{item}', {v});")

    # no aanbieder, law or age; on quarter boundaries; "weet niet" (0) and ja/nee
    resp("0114", "NULL", "NULL", "NULL", "NULL", "2024-03-31", [(1, 4), (2, 0), (5, 1)])
    resp("0114", "NULL", "2", "17", "'1'", "2024-04-01", [(1, 3), (3, 5), (5, 2), (8, 4)])
    resp("0109", "31", "2", "18", "'2'", "2024-12-31", [(1, 5), (4, 1), (6, 4), (10, 2)])
    resp("0439", "31", "1", "12", "'0'", "2025-01-01", [(1, 4), (7, 4), (9, 0), (5, 0)])
    resp("0118", "32", "2", "85", "'2'", "2025-06-30", [(2, 4), (3, 3), (5, 1), (10, 5)])
    # after the newest trajectory date: must not move the follow-up reference date
    resp("0114", "31", "2", "70", "'1'", "2026-12-15", [(1, 4), (8, 5)])
    # a spread: 600 responses over the demo gemeenten, providers, ages and 5 years
    gems = ["1681", "0109", "1690", "0114", "0118", "0119", "1701"]
    aanbs = ["31", "32", "33", "34", "NULL"]
    for k in range(600):
        x = (k * 2654435761) % 4294967296
        gem = gems[x % 7]
        aanb = aanbs[(x >> 3) % 5]
        age = "NULL" if (x >> 7) % 23 == 0 else str(18 + (x >> 9) % 80)
        law = "2" if (x >> 5) % 9 else "NULL"
        y = 2022 + (x >> 11) % 5
        m = 1 + (x >> 14) % 12
        d = 1 + (x >> 18) % 28
        answers = []
        for item in range(1, 11):
            v = (x >> (item + 2)) % 6 if item != 5 else (x >> 20) % 3
            if (x >> item) % 7 != 0:
                answers.append((item, v))
        resp(gem, aanb, law, age, f"'{1 + (x >> 21) % 2}'", f"{y:04d}-{m:02d}-{d:02d}", answers)
    out.append("COMMIT;")
    return "\n".join(out) + "\n"


def write(name, text, encoding="utf-8"):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(text)


def main():
    write("registratie-1.csv", HEADER + "\n" + "\n".join(REG1) + "\n")
    write("registratie-2-correctie.csv", HEADER + "\n" + "\n".join(REG2) + "\n")
    write("registratie-3-ongedaan.csv", HEADER + "\n" + "\n".join(REG3) + "\n")
    for name, text in MESSAGES:
        kind = name.split("-")[1][:3]
        write(f"berichten/JW{kind}_{name}.xml", text)
    # Population files name gemeenten as in their year; duiding knows the names of 2021 and
    # 2023. The 2021 figures of all of the Netherlands come from data/ (run.sh imports them).
    write("bevolking-2023.csv", population(2023, [("Emmen", 5000), ("Coevorden", 1800),
                                                  ("Purmerend", 4100)]))
    # replaces Emmen 2023 for the youngest ten bands only (newest batch per band)
    write("bevolking-2023-correctie.csv",
          "\n".join(population(2023, [("Emmen", 5100)]).split("\n")[:11]) + "\n")
    # newer than the national 2021 file for Emmen and Hoogeveen, but undone
    write("bevolking-2021-ongedaan.csv", population(2021, [("Emmen", 9999), ("Hoogeveen", 3000)]))
    write("antwoorden.sql", responses())


if __name__ == "__main__":
    main()
