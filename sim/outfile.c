/* outfile.c — write to a temporary file, rename into place on success. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outfile.h"

struct outfile {
    FILE *fp;
    char *dest;     /* NULL for stdout */
    char *tmp;
};

outfile *outfile_open(const char *path)
{
    outfile *o = calloc(1, sizeof *o);
    if (!o)
        abort();
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        return o;
    }
    size_t n = strlen(path) + 16;
    o->dest = strdup(path);
    o->tmp = malloc(n);
    if (!o->dest || !o->tmp)
        abort();
    snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) {   /* mkstemp makes 0600: give the file the usual mode */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
        fprintf(stderr, "impsim: error: cannot write %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->dest);
        free(o->tmp);
        free(o);
        return NULL;
    }
    return o;
}

FILE *outfile_fp(outfile *o)
{
    return o->fp;
}

static void outfile_free(outfile *o)
{
    free(o->dest);
    free(o->tmp);
    free(o);
}

int outfile_commit(outfile *o)
{
    if (!o->dest) {
        int bad = fflush(stdout) != 0 || ferror(stdout);
        outfile_free(o);
        if (bad)
            fprintf(stderr, "impsim: error: writing standard output failed\n");
        return bad ? -1 : 0;
    }
    int bad = fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0;
    int err = errno;
    bad |= fclose(o->fp) != 0;
    if (!bad && rename(o->tmp, o->dest) != 0) {
        bad = 1;
        err = errno;
    }
    if (bad) {
        fprintf(stderr, "impsim: error: cannot write %s: %s\n", o->dest, strerror(err));
        unlink(o->tmp);
    }
    outfile_free(o);
    return bad ? -1 : 0;
}

void outfile_abort(outfile *o)
{
    if (!o)
        return;
    if (o->dest) {
        fclose(o->fp);
        unlink(o->tmp);
    }
    outfile_free(o);
}
