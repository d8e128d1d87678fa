/* outfile.h — output files that are either complete or untouched.
 *
 * Every file impsim writes goes through here: it is written to a temporary
 * file beside the destination and renamed into place only on success, so an
 * error or an interrupted run leaves the previous file intact. "-" means
 * standard output. */
#ifndef IMPSIM_OUTFILE_H
#define IMPSIM_OUTFILE_H

#include <stdio.h>

typedef struct outfile outfile;

/* Open an output for path ("-" for stdout). Returns NULL and prints a
 * message naming path on failure. */
outfile *outfile_open(const char *path);

/* The stream to write to. Borrowed. */
FILE *outfile_fp(outfile *o);

/* Finish: flush, check for write errors, fsync and rename into place.
 * Returns 0 on success; on failure removes the temporary file, prints a
 * message and returns -1. Frees o either way. */
int outfile_commit(outfile *o);

/* Give up: remove the temporary file, leave the destination untouched.
 * Frees o. NULL is accepted. */
void outfile_abort(outfile *o);

#endif
