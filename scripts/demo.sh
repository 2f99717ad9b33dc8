#!/usr/bin/env bash
# demo.sh: THE demo command (README). Installs dependencies, builds the release preset, fills
# ./duiding-data with the generated demo region (once; later runs reuse it) and serves it on
# http://localhost:8080. Stop with Ctrl-C. Set PORT to use another port.
set -euo pipefail

cd "$(dirname "$0")/.."

PORT="${PORT:-8080}"
DATA=duiding-data
BIN=build/release/duiding

bash scripts/deps.sh

echo "demo: configure + build (preset release)"
cmake --preset release >/dev/null
cmake --build --preset release --target duiding

has_demo() {
    [ -f "$DATA/duiding.db" ] &&
        [ "$(sqlite3 -readonly "$DATA/duiding.db" \
            "SELECT count(*) FROM user_account WHERE login = 'beheerder'" 2>/dev/null)" = "1" ]
}

if has_demo; then
    echo "demo: $DATA already holds the demo region; reusing it (delete $DATA to regenerate)"
else
    echo "demo: generating the demo region in $DATA"
    "$BIN" demo -d "$DATA"
fi

cat <<INFO

  duiding demo: http://localhost:$PORT

  Log in with one of these accounts; every password is: demo-wachtwoord

    login                    role
    -----------------------  ----------------------------------------------
    beheerder                functional administrator (beheerder)
    beleid.emmen             policy officer, gemeente Emmen
    beleid.hoogeveen         policy officer, gemeente Hoogeveen
    beleid.regio             policy officer, jeugdregio Zuid-Drenthe
    contract.regio           contract manager, jeugdregio Zuid-Drenthe
    kwaliteit.aanbieder      quality officer at a provider
    professional.aanbieder   professional at a provider
    toezicht.ggd             supervisor (toezichthouder, GGD)
    raad.emmen               council member, gemeente Emmen
    backoffice.regio         back office, jeugdregio Zuid-Drenthe
    toegang.emmen            access team (toegang), gemeente Emmen

  Stop the server with Ctrl-C.

INFO

exec "$BIN" serve -d "$DATA" --port "$PORT"
