/* paths.h — where impsim finds its data (module models, battery cells). */
#ifndef IMPSIM_PATHS_H
#define IMPSIM_PATHS_H

/* The directory holding models/ and cells/: $IMPSIM_DATADIR when set and
 * non-empty; else, for an executable not installed, its build tree (the
 * executable's directory when it holds models/, or the source tree of an
 * out-of-tree build); else the install directory chosen at configure time.
 * The string is static; never NULL. */
const char *impsim_datadir(void);

#endif
