/*
 * fuzz.h: the libFuzzer entry point every fuzz/fuzz_<name>.c defines. The same harness links
 * with -fsanitize=fuzzer (scripts/fuzz.sh), with AFL++'s libAFLDriver.a, or with
 * fuzz/replay_main.c (-DFUZZ_REPLAY) which ctest uses to replay fuzz/corpus/<name>/.
 */
#ifndef DUIDING_FUZZ_FUZZ_H
#define DUIDING_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: print it and abort, so both libFuzzer and the replay driver report the
 * input that caused it. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
