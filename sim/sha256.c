/* sha256.c — SHA-256 through libgcrypt (see sha256.h); checked against
 * sha256sum in tests/calibrate.sh and against the FIPS 180-4 examples in
 * tests/test_core.c. */
#include <stdio.h>
#include <stdlib.h>
#include "sha256.h"

/* libgcrypt wants its version checked once before any other call; no
 * secure memory is needed (a checksum of a file, no secrets). */
static void sha256_library(void)
{
    static int done;
    if (done)
        return;
    if (!gcry_check_version(GCRYPT_VERSION))
        abort();    /* the library is older than the headers built against */
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    done = 1;
}

void sha256_init(sha256_ctx *c)
{
    sha256_library();
    if (gcry_md_open(&c->h, GCRY_MD_SHA256, 0))
        abort();
}

void sha256_update(sha256_ctx *c, const void *p, size_t n)
{
    gcry_md_write(c->h, p, n);
}

void sha256_hex(sha256_ctx *c, char hex[65])
{
    const unsigned char *d = gcry_md_read(c->h, GCRY_MD_SHA256);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    sha256_free(c);
}

void sha256_free(sha256_ctx *c)
{
    if (c->h)
        gcry_md_close(c->h);
    c->h = NULL;
}
