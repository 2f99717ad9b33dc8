/*
 * rng.h: a small deterministic pseudo-random generator (xoshiro256** seeded through
 * splitmix64; both public-domain algorithms by Sebastiano Vigna) for generated data: the demo
 * region and the synthetic message traffic must be identical for the same seed on every
 * machine, which libc's rand() does not promise. Not for secrets (use libsodium for those).
 */
#ifndef DUIDING_CORE_RNG_H
#define DUIDING_CORE_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
};

/** One splitmix64 step: advances *x and returns a well-mixed 64-bit value. */
uint64_t rng_splitmix64(uint64_t *x);
/** Seeds the four state words from one 64-bit seed. */
void rng_seed(struct rng *r, uint64_t seed);
/** Next 64 random bits. */
uint64_t rng_next(struct rng *r);
/** Uniform in [0, n), n > 0. Rejection instead of a bare modulo keeps small ranges unbiased. */
uint64_t rng_below(struct rng *r, uint64_t n);
/** FNV-1a of a string: gives every named generator step its own stream from one seed. */
uint64_t rng_hash_name(const char *s);

#endif
