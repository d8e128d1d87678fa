/* sha256.h — SHA-256 (FIPS 180-4), to name a measured capture by its
 * checksum in a calibrated figure file (`sha256sum FILE` prints the same).
 * A thin wrapper over libgcrypt's message digests (Debian libgcrypt20),
 * which use the CPU's SHA extensions where it has them: hashing a 250 MB
 * capture went from ~1 s (impsim's own FIPS 180-4 code) to ~0.2 s. */
#ifndef IMPSIM_SHA256_H
#define IMPSIM_SHA256_H

#include <stddef.h>
#include <gcrypt.h>

typedef struct {
    gcry_md_hd_t h;         /* NULL once released (sha256_hex, sha256_free) */
} sha256_ctx;

/* Start a digest. Aborts when libgcrypt cannot open one (out of memory:
 * there is no partial result to give). */
void sha256_init(sha256_ctx *c);
/* Hash n more bytes of p (any length, any number of calls). */
void sha256_update(sha256_ctx *c, const void *p, size_t n);
/* Finish: the digest as 64 lower-case hex digits and a NUL into hex[65];
 * the context is released (sha256_init again to reuse it). */
void sha256_hex(sha256_ctx *c, char hex[65]);
/* Release a context without a digest (an error path); nothing after
 * sha256_hex or a release. */
void sha256_free(sha256_ctx *c);

#endif
