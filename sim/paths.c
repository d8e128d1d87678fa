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

/* 1 when dir holds a models/ directory. */
static int paths_has_models(const char *dir)
{
    char probe[PATH_MAX + 16];
    struct stat st;
    snprintf(probe, sizeof probe, "%s/models", dir);
    return stat(probe, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The data of the running executable when it is not installed, so ./impsim
 * works before `make install`: the executable's directory when it holds
 * models/ (a build in the source tree), or the source tree compiled in when
 * the executable is still where an out-of-tree build put it (mkdir b && cd b
 * && ../configure && make). An installed copy never reads the source tree. */
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
    if (paths_has_models(dir))
        return dir;
#if defined(IMPSIM_SRCDIR) && defined(IMPSIM_BUILDDIR)
    char build[PATH_MAX];
    if (realpath(IMPSIM_BUILDDIR, build) && !strcmp(build, dir) && paths_has_models(IMPSIM_SRCDIR))
        return IMPSIM_SRCDIR;
#endif
    return NULL;
}

const char *impsim_datadir(void)
{
    const char *e = getenv("IMPSIM_DATADIR");
    if (e && *e)
        return e;
    const char *x = paths_exe_dir();
    return x ? x : IMPSIM_PKGDATADIR;
}
