/* tutil.h — helpers shared by the CUnit test programs. */
#ifndef IMPSIM_TUTIL_H
#define IMPSIM_TUTIL_H

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Run the registered CUnit suites with the basic interface; exit status is
 * non-zero when any assertion failed or a suite could not run. */
static inline int tutil_run_all(void)
{
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return fails ? 1 : 0;
}

/* Create a temporary file from the mkstemp template `path` (rewritten to
 * the file's name) holding `text`. Returns 0, or -1 on any failure. The
 * caller removes the file. */
static inline int tutil_write_temp(char *path, const char *text)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    ssize_t w = write(fd, text, n);
    return close(fd) == 0 && w == (ssize_t)n ? 0 : -1;
}

#define TUTIL_REL_EQ(a, b, tol) \
    CU_ASSERT_DOUBLE_EQUAL((a), (b), (tol) * ((b) < 0 ? -(b) : (b)) + 1e-300)

#endif
