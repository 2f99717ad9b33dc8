#!/usr/bin/env bash
# test.sh: THE test command (README). Installs dependencies, builds the ci preset (gcc,
# ASan+UBSan, -Werror), runs the house checks, then ctest as the very last step so that its
# summary ("100% tests passed, 0 tests failed out of N") is the last line printed.
# Exit code = ctest's (or the first failing step's).
set -euo pipefail

cd "$(dirname "$0")/.."

bash scripts/deps.sh

echo "test: configure + build (preset ci)"
cmake --preset ci >/dev/null
cmake --build --preset ci

# The demo (README) builds the release preset: -O2 makes gcc see more (-Wnull-dereference,
# -Wformat-truncation), so that build must stay clean as well.
echo "test: configure + build (preset release)"
cmake --preset release >/dev/null
cmake --build --preset release

# --- House checks (before ctest, never after: ctest's summary must be the last line) --------
echo "test: house checks"
mapfile -t c_files < <(find src tests/unit fuzz -type f \( -name '*.c' -o -name '*.h' \) \
    2>/dev/null | sort)
if command -v clang-format >/dev/null 2>&1; then
    unformatted=()
    for f in "${c_files[@]}"; do
        clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
    done
    if [ "${#unformatted[@]}" -gt 0 ]; then
        printf 'test: not clang-formatted: %s\n' "${unformatted[@]}" >&2
        echo "test: ${#unformatted[@]} file(s) need formatting: run scripts/format.sh" \
            "(details: clang-format --dry-run -Werror FILE)" >&2
        exit 1
    fi
else
    echo "test: clang-format not installed, format check skipped"
fi

# Banned functions (house style C5), as calls: name followed by optional space and '('.
# Comments are not excluded on purpose: keep the names out of the code entirely.
banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strncat|strtok|gets|atoi|atol|sscanf)[[:space:]]*\('
if grep -rnE --include='*.c' --include='*.h' "$banned" src/ ; then
    echo "test: banned function call(s) above (house style C5)" >&2
    exit 1
fi

# Disclosure choke point (DESIGN.md §6): raw engine figures (mx_query) stay inside metrics/;
# pages, API, exports and reports get figures only through metrics/view.h. The one exception,
# `duiding indicatoren meet`, times queries and prints no figure.
if grep -rnE --include='*.c' '\bmx_query[[:space:]]*\(' src/web src/report src/cli |
    grep -v '^src/cli/cmd_indicator.c:'; then
    echo "test: raw engine figures used outside metrics/ (use metrics/view.h)" >&2
    exit 1
fi

echo "test: ctest (preset ci)"
exec ctest --preset ci
