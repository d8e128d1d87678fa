/* paths.c — data directory lookup. */
#include <stdlib.h>
#include "paths.h"

#ifndef IMPSIM_PKGDATADIR
#define IMPSIM_PKGDATADIR "/usr/local/share/impsim"
#endif

const char *impsim_datadir(void)
{
    const char *e = getenv("IMPSIM_DATADIR");
    return (e && *e) ? e : IMPSIM_PKGDATADIR;
}
