/* fuzz_expect.c — libFuzzer target: expect-file text (impsim check's
 * expected results) -> expect_parse; when it parses, every section is
 * compared against and refreshed from an empty budget and the file is
 * written back out (expect_write to /dev/null's stand-in, a memory
 * stream), so the comparison, refresh and writer see every shape the parser
 * accepts. Everything is freed (LeakSanitizer is on). Built by
 * tests/fuzz/build.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "expect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag *d = diag_new();
    expect_file *e = expect_parse("fuzz.expect", (const char *)data, size, d);
    if (e) {
        budget *b = calloc(1, sizeof *b);
        if (!b)
            abort();
        char why[4096];
        for (int k = 0; k < e->nsec; k++) {
            (void)expect_compare(&e->sec[k], b, why, sizeof why);
            (void)expect_refresh(&e->sec[k], b, why, sizeof why);
        }
        char *out = NULL;
        size_t n = 0;
        FILE *fp = open_memstream(&out, &n);
        if (fp) {
            expect_write(e, "fuzz.scn", fp);
            fclose(fp);
        }
        free(out);
        free(b);
        expect_free(e);
    }
    (void)diag_first(d);
    diag_free(d);
    return 0;
}
