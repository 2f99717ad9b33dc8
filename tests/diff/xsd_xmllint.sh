#!/usr/bin/env bash
# xsd_xmllint.sh: differential check of duiding's XSD validation (ingest/message.c, through
# tests/tools/msg_check) against xmllint on the official iStandaarden 3.2 sample messages, our
# own fixtures, and broken variants of all of them written to a temp dir. For every file both
# must agree on valid vs invalid and, when invalid, on the line of the first finding.
#
# usage: xsd_xmllint.sh <msg_check> <xmllint> <istandaarden dir> [<fixture dir>]
#   istandaarden dir: …/shared/external/istandaarden (berichten/ and xsd-clean/ per standard)
#   fixture dir: extra messages named like JW315*.xml (validated against that XSD)
set -u
CHECK=$1
XMLLINT=$2
ROOT=$3
FIXTURES=${4:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

files=()
xsds=()
broken=0

add() { files+=("$1"); xsds+=("$2"); }

# variant <sample> <xsd> <label> <sed -E expression>: a broken copy, kept if it changed.
variant() {
    local src=$1 xsd=$2 label=$3 expr=$4 out
    out="$TMP/$(basename "$src" .xml)-$label.xml"
    sed -E "$expr" "$src" >"$out"
    if cmp -s "$src" "$out"; then
        rm -f "$out"
        return
    fi
    broken=$((broken + 1))
    add "$out" "$xsd"
}

variants() {
    local f=$1 xsd=$2 name out
    name=$(basename "$f" .xml)
    local P='([a-z]+[0-9]{3})'
    variant "$f" "$xsd" bsn "0,/Bsn>999900006</s//Bsn>99990000A</"
    variant "$f" "$xsd" bsnlong "0,/Bsn>999900006</s//Bsn>9999000061</"
    variant "$f" "$xsd" geslacht "0,/(<$P:Geslacht>)[0-9]/s//\\17/"
    variant "$f" "$xsd" nogeslacht "0,/<$P:Geslacht>[0-9]<\\/$P:Geslacht>/{//d}"
    variant "$f" "$xsd" reden "s/(RedenBeeindiging>)[0-9]+/\\199/"
    variant "$f" "$xsd" dag "s/(Dagtekening>)[0-9-]+/\\12026-02-30/"
    variant "$f" "$xsd" code "s/(BerichtCode>)([0-9]+)/\\1999/"
    variant "$f" "$xsd" nummer "0,/(ToewijzingNummer>)[0-9]+/s//\\11234567890/"
    variant "$f" "$xsd" categorie "0,/(Categorie>)[0-9]+/s//\\1X9/"
    variant "$f" "$xsd" extra "s/(<$P:Client>)/\\1<\\2:Onbekend>1<\\/\\2:Onbekend>/"
    variant "$f" "$xsd" tekst "s/(<$P:Client>)/\\1tekst/"
    variant "$f" "$xsd" attr "s/<$P:Header>/<\\1:Header soort=\"x\">/"
    variant "$f" "$xsd" mismatch "0,/<\\/$P:Bsn>/s//<\\/\\1:Bsm>/"
    variant "$f" "$xsd" spatie "s/(Dagtekening>)([0-9-]+)</\\1 \\2 </"
    # not well-formed: cut off in the middle
    out="$TMP/$name-afgebroken.xml"
    head -c $(($(wc -c <"$f") / 2)) "$f" >"$out"
    broken=$((broken + 1))
    add "$out" "$xsd"
}

for std in ijw-3.2 iwmo-3.2; do
    for f in "$ROOT/$std"/berichten/*.xml; do
        xsd="$ROOT/$std/xsd-clean/$(basename "$f" .xml).xsd"
        [ -f "$xsd" ] || continue
        add "$f" "$xsd"
        variants "$f" "$xsd"
    done
done
if [ -n "$FIXTURES" ]; then
    for f in "$FIXTURES"/*.xml; do
        [ -f "$f" ] || continue
        msg=$(basename "$f" .xml | sed -E 's/^((JW|WMO)[0-9]{3}).*/\1/')
        case $msg in JW*) std=ijw-3.2 ;; *) std=iwmo-3.2 ;; esac
        xsd="$ROOT/$std/xsd-clean/$msg.xsd"
        [ -f "$xsd" ] || continue
        add "$f" "$xsd"
        variants "$f" "$xsd"
    done
fi

# One msg_check run over every file (the schemas are compiled once).
"$CHECK" "${files[@]}" >"$TMP/ours.txt" || {
    echo "FAIL: msg_check exited $?"
    exit 1
}

failures=0
for i in "${!files[@]}"; do
    f=${files[$i]}
    xsd=${xsds[$i]}
    # our block: the "<file>: outcome=..." line and the issue lines after it
    block=$(awk -v f="$f: " 'index($0, f) == 1 { on = 1; print; next }
                             on && /^issue / { print; next } { on = 0 }' "$TMP/ours.txt")
    case $(head -n1 <<<"$block") in
    *outcome=accepted* | *outcome=skipped*) ours=valid ;;
    *outcome=invalid*) ours=invalid ;;
    *) ours=other ;;
    esac
    our_line=$(grep -m1 '^issue ' <<<"$block" | sed -E 's/^issue ([0-9]+):.*/\1/')
    lint_err=$("$XMLLINT" --noout --nonet --schema "$xsd" "$f" 2>&1 >/dev/null)
    if [ $? -eq 0 ]; then theirs=valid; else theirs=invalid; fi
    # xmllint's first "<file>:<line>: ..." line (not the "fails to validate" summary)
    their_line=$(awk -v f="$f:" 'index($0, f) == 1 { split(substr($0, length(f) + 1), a, ":");
                                  if (a[1] ~ /^[0-9]+$/) { print a[1]; exit } }' <<<"$lint_err")
    if [ "$ours" != "$theirs" ]; then
        echo "FAIL $f: duiding says $ours, xmllint says $theirs"
        echo "  duiding: $block"
        echo "  xmllint: $lint_err"
        failures=$((failures + 1))
    elif [ "$ours" = invalid ] && [ "$our_line" != "$their_line" ]; then
        echo "FAIL $f: first finding on line ${our_line:-?} (duiding) vs ${their_line:-?} (xmllint)"
        echo "  duiding: $block"
        echo "  xmllint: $lint_err"
        failures=$((failures + 1))
    else
        echo "ok   $(basename "$f"): $ours${our_line:+ line $our_line}"
    fi
done

echo "compared ${#files[@]} files ($broken broken variants), $failures disagreements"
if [ "${#files[@]}" -lt 100 ] || [ "$broken" -lt 80 ]; then
    echo "FAIL: too few comparisons (samples missing?)"
    exit 1
fi
[ "$failures" -eq 0 ]
