/* tutil.h — helpers shared by the CUnit test programs. */
#ifndef IMPSIM_TUTIL_H
#define IMPSIM_TUTIL_H

#include <CUnit/Basic.h>
#include <stdlib.h>

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

#define TUTIL_REL_EQ(a, b, tol) \
    CU_ASSERT_DOUBLE_EQUAL((a), (b), (tol) * ((b) < 0 ? -(b) : (b)) + 1e-300)

#endif
