#!/usr/bin/env bash
# format.sh: formats every C file that scripts/test.sh checks (src/, tests/unit, fuzz) in place
# with the repository's .clang-format. Run it before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
find src tests/unit fuzz -type f \( -name '*.c' -o -name '*.h' \) -print0 | xargs -0 -r clang-format -i
