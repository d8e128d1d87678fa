/* outfile.h — output files that are either complete or untouched, and
 * never written over something that is not a plain file.
 *
 * Every file impsim writes goes through here. A regular file (or a path
 * that does not exist yet) is written to a temporary file beside the
 * destination and renamed into place only on success, so an error or an
 * interrupted run leaves the previous file intact; the temporary file is
 * removed on SIGINT, SIGTERM, SIGHUP and SIGPIPE too, and so is a temporary
 * folder a command builds its output in (outfile_dir_hold). Anything else — a
 * device (/dev/null), a FIFO, a symbolic link (/dev/stdout, a link into
 * another directory) — is opened and written through, so the node itself is
 * never replaced. "-" means standard output. Write errors (ENOSPC on a full
 * disk or /dev/full) are reported with the path.
 *
 * Inputs are recorded as they are read (outfile_note_input), so a command
 * can refuse, before it runs anything, an output that would overwrite one of
 * its inputs or two outputs on one path (outfile_check). */
#ifndef IMPSIM_OUTFILE_H
#define IMPSIM_OUTFILE_H

#include <signal.h>
#include <stdio.h>

typedef struct outfile outfile;

/* Open an output for path ("-" for stdout). Returns NULL and prints
 * "impsim: error: cannot write PATH: reason" on failure (exit code 3 for
 * the caller). Opening a FIFO blocks until it has a reader. */
outfile *outfile_open(const char *path);

/* The stream to write to. Borrowed. */
FILE *outfile_fp(outfile *o);

/* Finish: flush and check for write errors; for a temporary file also fsync
 * and rename it into place. Returns 0 on success; on failure removes the
 * temporary file, prints "impsim: error: cannot write PATH: reason" and
 * returns -1. Frees o either way. */
int outfile_commit(outfile *o);

/* Give up: remove the temporary file, leave the destination untouched.
 * (A written-through destination keeps what was written.) Frees o. NULL is
 * accepted. */
void outfile_abort(outfile *o);

/* Record that path was read as an input (readers call this after opening a
 * file: lex_read_file, the load-CSV reader, plot). The identity kept is the
 * file's device and inode, so links and different spellings match. Files
 * that cannot be stat()ed are ignored. */
void outfile_note_input(const char *path);

/* Check the outputs outs[0..n) (NULL entries skipped; "-" is standard
 * output) before anything is run or written: none may be a recorded input
 * or one of extra_in[0..nin) (inputs not read yet), and no two may be the
 * same file, and none may be an existing directory. Only regular files, paths that do not exist yet and standard
 * output are compared (two outputs on /dev/null are fine). labels[i] names
 * outs[i] in the message (e.g. "--trace"). Returns 0, or prints
 * "impsim: error: ..." and returns -1 (exit code 2 for the caller). */
int outfile_check(const char *const *outs, const char *const *labels, int n,
                  const char *const *extra_in, int nin);

/* A temporary folder the caller has made (mkdtemp beside the destination,
 * e.g. `report -o DIR` builds DIR.tmp-XXXXXX; the scratch folder gnuplot
 * draws a chart in): if a SIGINT, SIGTERM, SIGHUP or SIGPIPE ends the
 * process before outfile_dir_release, the folder is removed with
 * everything in it (8 levels deep; links removed, never followed) and the
 * exit status is the signal's, as for temporary files. dir is copied.
 * Returns a handle, or -1 when 4 folders are held already (the folder is
 * then not removed on a signal). */
int outfile_dir_hold(const char *dir);

/* Forget a held folder (after renaming it into place or removing it).
 * -1 is accepted. */
void outfile_dir_release(int handle);

/* Defer SIGINT, SIGTERM, SIGHUP and SIGPIPE (the previous mask saved in
 * *old) around steps that must not be cut in two, e.g. moving an earlier
 * report aside and the new one into place; outfile_restore_signals(old)
 * delivers a deferred signal. */
void outfile_defer_signals(sigset_t *old);
void outfile_restore_signals(const sigset_t *old);

#endif
