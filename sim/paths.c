/* paths.c — data directory lookup. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "paths.h"

#ifndef IMPSIM_PKGDATADIR
#define IMPSIM_PKGDATADIR "/usr/local/share/impsim"
#endif

/* The directory of the running executable when it holds models/ (a build
 * tree), so ./impsim works before `make install`. */
static const char *paths_exe_dir(void)
{
    static char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return NULL;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char probe[PATH_MAX + 16];
    struct stat st;
    snprintf(probe, sizeof probe, "%s/models", dir);
    return stat(probe, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}

const char *impsim_datadir(void)
{
    const char *e = getenv("IMPSIM_DATADIR");
    if (e && *e)
        return e;
    const char *x = paths_exe_dir();
    return x ? x : IMPSIM_PKGDATADIR;
}
