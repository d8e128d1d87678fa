/* sha256.h — SHA-256 (FIPS 180-4), to name a measured capture by its
 * checksum in a calibrated figure file (`sha256sum FILE` prints the same). */
#ifndef IMPSIM_SHA256_H
#define IMPSIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t len;           /* bytes hashed so far */
    unsigned char buf[64];
    size_t nbuf;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
/* Hash n more bytes of p (any length, any number of calls). */
void sha256_update(sha256_ctx *c, const void *p, size_t n);
/* Finish: the digest as 64 lower-case hex digits and a NUL into hex[65]. */
void sha256_hex(sha256_ctx *c, char hex[65]);

#endif
