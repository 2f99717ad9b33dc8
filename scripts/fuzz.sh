#!/usr/bin/env bash
# fuzz.sh: time-boxed coverage-guided fuzzing with libFuzzer (optional; not part of the test
# command, which only replays the committed corpora).
#
#   scripts/fuzz.sh [SECONDS] [NAME...]      default: 60 seconds for every fuzz/fuzz_<NAME>.c
#
# Builds duiding_lib with clang-14 (-fsanitize=fuzzer-no-link,address,undefined) in build/fuzz,
# links each harness with -fsanitize=fuzzer, fuzzes in build/fuzz/corpus/<NAME> (seeded from
# fuzz/corpus/<NAME>) and merges inputs that add coverage back into fuzz/corpus/<NAME>.
# (FUZZ_MERGE=0 leaves fuzz/corpus alone.) Crashes are written to build/fuzz/artifacts/.
# Needs clang-14 and libclang-rt-14-dev.
set -euo pipefail

cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-60}"
shift || true
CLANG="${CLANG:-clang-14}"
OUT=build/fuzz

if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "fuzz: $CLANG not installed (apt-get install clang-14 libclang-rt-14-dev); nothing to do"
    exit 0
fi

if [ "$#" -gt 0 ]; then
    names=("$@")
else
    names=()
    for f in fuzz/fuzz_*.c; do
        n="$(basename "$f" .c)"
        names+=("${n#fuzz_}")
    done
fi

echo "fuzz: building duiding_lib with $CLANG (log: $OUT/build.log)"
mkdir -p "$OUT"
if ! { cmake -S . -B "$OUT" -DCMAKE_C_COMPILER="$CLANG" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="-O1 -g -fsanitize=fuzzer-no-link -Wno-unknown-warning-option" \
    -DDUIDING_SANITIZE=ON -DDUIDING_WERROR=OFF -DDUIDING_TESTS=OFF &&
    cmake --build "$OUT" --target duiding_lib -j"$(nproc)"; } >"$OUT/build.log" 2>&1; then
    tail -n 40 "$OUT/build.log" >&2
    echo "fuzz: build failed" >&2
    exit 1
fi

# shellcheck disable=SC2207
libs=($(pkg-config --libs libmicrohttpd jansson libsodium sqlite3 libxml-2.0 libzip expat xlsxwriter))
mkdir -p "$OUT/artifacts"
failed=()
for name in "${names[@]}"; do
    src="fuzz/fuzz_$name.c"
    [ -f "$src" ] || { echo "fuzz: no $src" >&2; exit 2; }
    bin="$OUT/fuzz_$name"
    "$CLANG" -std=c17 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=undefined -Isrc -Ifuzz "$src" "$OUT/libduiding_lib.a" \
        "${libs[@]}" -lpthread -lm -o "$bin"
    work="$OUT/corpus/$name"
    mkdir -p "$work" "fuzz/corpus/$name"
    before="$(find "fuzz/corpus/$name" -type f | wc -l)"
    echo "fuzz: $name for ${SECONDS_PER_TARGET}s"
    if ! "$bin" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$name-" "$work" "fuzz/corpus/$name" \
        >"$OUT/$name.log" 2>&1; then
        echo "fuzz: $name FAILED; see $OUT/$name.log and $OUT/artifacts/" >&2
        tail -n 30 "$OUT/$name.log" >&2
        failed+=("$name")
        continue
    fi
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$OUT/$name.log" | tail -n 2 || true
    # Add the inputs that reach new coverage to the committed corpus (FUZZ_MERGE=0: don't).
    if [ "${FUZZ_MERGE:-1}" = 1 ]; then
        "$bin" -merge=1 "fuzz/corpus/$name" "$work" >"$OUT/$name.merge.log" 2>&1
    fi
    after="$(find "fuzz/corpus/$name" -type f | wc -l)"
    echo "fuzz: $name corpus $before -> $after files"
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: failures in ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all targets ran without failures"
