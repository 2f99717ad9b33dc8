#!/usr/bin/env bash
# deps.sh: installs everything duiding needs to build, run and test on Debian 12 (bookworm).
# Idempotent: each step checks first and does nothing when already done, so the test and demo
# commands can call it every time. Runs as root, or as a user with sudo.
set -euo pipefail

cd "$(dirname "$0")/.."

say() { printf 'deps: %s\n' "$*"; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        say "not root and no sudo: cannot install system packages" >&2
        exit 1
    fi
fi

# --- Debian packages ------------------------------------------------------------------------
PACKAGES=(
    build-essential cmake pkg-config
    libmicrohttpd-dev libjansson-dev libsodium-dev libexpat1-dev libxml2-dev libsqlite3-dev
    libzip-dev libxlsxwriter-dev libqrencode-dev libcmocka-dev libpango1.0-dev libcairo2-dev
    fonts-dejavu-core poppler-utils
    gettext sqlite3 locales chromium curl ca-certificates libxml2-utils python3 zip unzip
)
if ! command -v node >/dev/null 2>&1; then
    PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq -o=Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
    say "system packages installed"
else
    say "system packages present"
fi

# --- Locales: translations switch locale per thread (uselocale), which needs them generated --
want_locales=(en_GB.UTF-8 nl_NL.UTF-8)
need_gen=()
for l in "${want_locales[@]}"; do
    norm="$(printf '%s' "$l" | sed 's/UTF-8/utf8/')"
    if ! locale -a 2>/dev/null | grep -qx "$norm"; then
        need_gen+=("$l")
    fi
done
if [ "${#need_gen[@]}" -gt 0 ]; then
    say "generating locales ${need_gen[*]}"
    for l in "${need_gen[@]}"; do
        if [ -f /etc/locale.gen ] && grep -q "^# *$l UTF-8" /etc/locale.gen; then
            "${SUDO[@]}" sed -i "s/^# *\($l UTF-8\)/\1/" /etc/locale.gen
        elif [ -f /etc/locale.gen ] && ! grep -q "^$l UTF-8" /etc/locale.gen; then
            echo "$l UTF-8" | "${SUDO[@]}" tee -a /etc/locale.gen >/dev/null
        fi
    done
    if command -v locale-gen >/dev/null 2>&1; then
        "${SUDO[@]}" locale-gen >/dev/null
    else
        for l in "${need_gen[@]}"; do
            "${SUDO[@]}" localedef -i "${l%%.*}" -c -f UTF-8 "$l"
        done
    fi
else
    say "locales present"
fi

# --- npm packages (web assets, Spectral, axe-core, playwright-core) --------------------------
# `npm ci` wipes node_modules, so run it only when the lock file changed since the last run.
stamp=node_modules/.duiding-deps-stamp
lockhash="$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lockhash" ] &&
    [ -f node_modules/@utrecht/component-library-css/dist/index.css ] &&
    [ -f node_modules/axe-core/axe.min.js ] && [ -x node_modules/.bin/spectral ] &&
    [ -d node_modules/playwright-core ]; then
    say "npm packages present"
else
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    printf '%s\n' "$lockhash" >"$stamp"
    say "npm packages installed"
fi
