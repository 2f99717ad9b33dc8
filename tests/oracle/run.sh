#!/usr/bin/env bash
# run.sh: the correctness oracle of the indicator engine (ctest oracle/indicators, issue 4).
#
#   run.sh DUIDING MX_DUMP SQLITE3 SOURCE_DIR
#
# Builds a data directory: `duiding demo --omvang klein`, generated messages (`duiding synth`),
# the CBS population of 2021 and survey responses (phase A); then the hand-made edge cases of
# tests/data/oracle (README.md there): messages with a temporary stop, a corrected and a deleted
# stop, a gemeente merged since, registration exports with both informants, corrections, ends
# on period boundaries, new starts exactly at the gap and window limits, a batch that is undone,
# and population files of another year, a correction and an undone one (phase B).
#
# The engine's figures (tests/tools/mx_dump) are compared with the plain SQL of
# tests/oracle/indicators.sql run by the sqlite3 tool on the same database, read-only: the
# lines must be the same (code, period, breakdown, key, numerator, denominator) and the values
# equal to 1e-9 relative. Twice: once with an engine built after phase B, once with an engine
# built after phase A that then catches up with mx_engine_sync (the incremental path).
# A few figures of the edge cases are also checked against values worked out by hand, so the
# oracle itself is tested. Exit 0 when all agree; else the differing lines are printed.
set -euo pipefail

DUIDING=$1
MX_DUMP=$2
SQLITE3=$3
SRC=$4
CASES=$SRC/tests/data/oracle
PROFILE="Export Praktijk Brinkzicht voor Jeugd-GGZ" # stored by `duiding demo`
# The quarters compared: the demo and the generated traffic end on 2026-11-01 (fixed) and go
# back five years; checked below so that no row falls outside.
FIRST=2020-Q1
LAST=2027-Q1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/duiding-oracle-XXXXXX")
cleanup() { [ "${ORACLE_KEEP:-0}" = 1 ] && echo "oracle: work folder kept: $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT
DATA=$WORK/data

die() { echo "oracle: $*" >&2; exit 1; }
# duiding import that must accept everything (exit 0)
import() { "$DUIDING" -d "$DATA" import "$@" >>"$WORK/import.log" 2>&1 || {
    tail -20 "$WORK/import.log" >&2; die "import $* failed"; }; }
# the batch number of the last import
last_batch() { "$SQLITE3" -readonly "$DATA/duiding.db" "SELECT max(id) FROM import_batch"; }

echo "oracle: phase A (demo, generated messages, population 2021, survey responses)"
"$DUIDING" demo -d "$DATA" --omvang klein >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log"; die "demo failed"; }
"$DUIDING" synth --berichten 3000 --uit "$WORK/synth" --einddatum 2026-11-01 --seed 11 \
    >"$WORK/synth.log" 2>&1 || { cat "$WORK/synth.log"; die "synth failed"; }
import --soort berichten "$WORK/synth"
# the national file: 20 rows of a gemeente that no longer exists are rejected (exit 1)
"$DUIDING" -d "$DATA" import --soort bevolking "$SRC/data/inwoners-gemeente-leeftijd-2021.csv" \
    >>"$WORK/import.log" 2>&1 || grep -q "7040 geaccepteerd" "$WORK/import.log" ||
    die "population 2021 not imported"
# There is no survey import yet: responses go straight into the tables the engine reads.
"$SQLITE3" "$DATA/duiding.db" <"$CASES/antwoorden.sql" || die "survey responses not inserted"

# Phase B as a script, so mx_dump can run it between building its engine and syncing it.
cat >"$WORK/phase-b.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
DUIDING='$DUIDING'; DATA='$DATA'; SQLITE3='$SQLITE3'; CASES='$CASES'; WORK='$WORK'
PROFILE='$PROFILE'
$(declare -f import last_batch die)
import --soort berichten "\$CASES/berichten"
import --soort registratie --profiel "\$PROFILE" "\$CASES/registratie-1.csv"
import --soort registratie --profiel "\$PROFILE" "\$CASES/registratie-2-correctie.csv"
import --soort registratie --profiel "\$PROFILE" "\$CASES/registratie-3-ongedaan.csv"
"\$DUIDING" -d "\$DATA" import ongedaan "\$(last_batch)" >>"\$WORK/import.log" 2>&1 || die "undo failed"
import --soort bevolking "\$CASES/bevolking-2023.csv"
import --soort bevolking "\$CASES/bevolking-2023-correctie.csv"
import --soort bevolking "\$CASES/bevolking-2021-ongedaan.csv"
"\$DUIDING" -d "\$DATA" import ongedaan "\$(last_batch)" >>"\$WORK/import.log" 2>&1 || die "undo failed"
EOF
chmod +x "$WORK/phase-b.sh"

echo "oracle: engine built after phase A, phase B, then mx_engine_sync"
"$MX_DUMP" "$DATA" "$FIRST" "$LAST" "$WORK/phase-b.sh" >"$WORK/engine-sync.csv" ||
    die "mx_dump (sync) failed"
echo "oracle: engine built after phase B"
"$MX_DUMP" "$DATA" "$FIRST" "$LAST" >"$WORK/engine.csv" || die "mx_dump failed"

# No row may fall outside the quarters compared.
outside=$("$SQLITE3" -readonly "$DATA/duiding.db" "
    SELECT count(*) FROM (SELECT start_date AS d FROM trajectory UNION ALL
        SELECT end_date FROM trajectory WHERE end_date IS NOT NULL UNION ALL
        SELECT response_date FROM survey_response)
    WHERE d < julianday('2020-01-01') - 2440587.5 OR d > julianday('2027-03-31') - 2440587.5")
[ "$outside" = 0 ] || die "$outside dates lie outside $FIRST..$LAST: widen the range"

echo "oracle: SQL reference (tests/oracle/indicators.sql, sqlite3 -readonly)"
{
    y1=${FIRST%-Q*} q1=${FIRST#*-Q} y2=${LAST%-Q*} q2=${LAST#*-Q}
    echo "CREATE TEMP TABLE oracle_param AS SELECT $y1 AS van_y, $q1 AS van_q, $y2 AS tot_y, $q2 AS tot_q;"
    cat "$SRC/tests/oracle/indicators.sql"
} | "$SQLITE3" -readonly -batch -noheader "$DATA/duiding.db" >"$WORK/oracle-raw.csv" ||
    die "the SQL failed"
LC_ALL=C sort "$WORK/oracle-raw.csv" >"$WORK/oracle.csv"

# The oracle must have something to say about every standard indicator.
codes="jw_uitval jw_eenzijdig_aanbieder jw_volgens_plan jw_tevredenheid jw_zonder_hulp_verder
jw_geen_nieuwe_start_6m jw_geen_nieuwe_start_12m jw_doelrealisatie clienten trajecten_actief
nieuwe_starts jw_bereik wmo_bereik doorlooptijd wachttijd wmo_ceo_1 wmo_ceo_2 wmo_ceo_3
wmo_ceo_4 wmo_ceo_5 wmo_ceo_6 wmo_ceo_7 wmo_ceo_8 wmo_ceo_9 wmo_ceo_10"
for c in $codes; do
    grep -q "^$c,.*,gemeente," "$WORK/oracle.csv" || die "the oracle has no figures for $c"
done

# Hand-worked figures of the edge cases in gemeente 0439 (Purmerend: only the cases live there,
# via the merged gemeente 0370). See tests/data/oracle/README.md.
expect() {
    grep -qxF "$1" "$WORK/oracle.csv" || {
        echo "oracle: expected line missing from the SQL's answer: $1" >&2
        grep -F "${1%,*,*,*}," "$WORK/oracle.csv" | sed 's/^/  oracle has: /' >&2
        exit 1
    }
}
expect "jw_eenzijdig_aanbieder,2024-Q3,gemeente,0439,1,1,1"
expect "jw_geen_nieuwe_start_6m,2024-Q3,gemeente,0439,1,1,1"
expect "jw_geen_nieuwe_start_12m,2024-Q3,gemeente,0439,0,1,0"
expect "jw_volgens_plan,2024-Q4,gemeente,0439,1,1,1"
expect "doorlooptijd,2025-Q2,gemeente,0439,0,1,31"
expect "nieuwe_starts,2025-Q1,gemeente,0439,1,1,1"
expect "trajecten_actief,2024-Q4,gemeente,0439,1,1,1"
expect "jw_tevredenheid,2025-Q2,gemeente,0439,7,1,7"
expect "jw_zonder_hulp_verder,2025-Q2,gemeente,0439,1,1,1"
expect "jw_bereik,2024-Q4,gemeente,0439,1,14948,$("$SQLITE3" :memory: "SELECT printf('%.17g', 1000.0 * 1 / 14948)")"
expect "wachttijd,2021-Q4,gemeente,0439,0,1,16"
expect "wmo_ceo_1,2025-Q1,gemeente,0439,1,1,1"

# compare ENGINE ORACLE: same cells, same num/den, values equal to 1e-9 relative.
compare() {
    awk -F, -v label="$3" '
        function key(  ) { return $1 "," $2 "," $3 "," $4 }
        FNR == NR { want[key()] = $0; wn[key()] = $5; wd[key()] = $6; wv[key()] = $7; next }
        {
            k = key(); seen[k] = 1
            if (!(k in want)) { bad++; if (shown++ < 60) print "  only in the engine: " $0; next }
            ok = ($5 == wn[k] && $6 == wd[k])
            if (ok && ($7 == "" || wv[k] == "")) ok = ($7 == wv[k])
            else if (ok) {
                d = $7 - wv[k]; if (d < 0) d = -d
                m = wv[k] < 0 ? -wv[k] : wv[k]; if (m < 1e-300) m = 1e-300
                ok = (d <= 1e-9 * m)
            }
            if (!ok) { bad++; if (shown++ < 60) print "  differs: engine " $0 "  oracle " want[k] }
        }
        END {
            for (k in want) if (!(k in seen)) {
                bad++; if (shown++ < 60) print "  only in the oracle: " want[k] }
            n = 0; for (k in want) n++
            printf "oracle: %s: %d cells in the oracle, %d differ\n", label, n, bad
            exit bad > 0
        }' "$2" "$1"
}

status=0
compare "$WORK/engine.csv" "$WORK/oracle.csv" "fresh engine" || status=1
compare "$WORK/engine-sync.csv" "$WORK/oracle.csv" "engine after sync" || status=1
if [ $status -ne 0 ]; then
    echo "oracle: the engine disagrees with the SQL reference (ORACLE_KEEP=1 keeps $WORK)" >&2
fi
exit $status
