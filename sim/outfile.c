/* outfile.c — outputs: temporary file + rename for regular files, written
 * through for devices, FIFOs and links; temporary files and folders removed
 * when the process is interrupted; outputs checked against inputs and each
 * other. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "outfile.h"

struct outfile {
    FILE *fp;
    char *dest;     /* NULL for stdout */
    char *tmp;      /* NULL when written through */
    int slot;       /* index in outfile_tmps, or -1 */
};

/* ---- temporary files and folders removed on a fatal signal ---- */

#define OUTFILE_SLOTS 32
#define OUTFILE_DIR_SLOTS 4
#define OUTFILE_DIR_DEPTH 8     /* deepest folder level removed from a signal */
static char *volatile outfile_tmps[OUTFILE_SLOTS];
static char *volatile outfile_dirs[OUTFILE_DIR_SLOTS];
static volatile pid_t outfile_owner;    /* the process that made them */

/* Remove name (relative to the open folder at, or absolute) and, when it is
 * a folder, everything in it, depth levels deep at most. Async-signal-safe:
 * openat(2), getdents64(2), unlinkat(2), lseek(2), close(2) only, on a
 * buffer on the stack (opendir/readdir allocate, so they cannot be used in
 * a handler). Symbolic links are removed, never followed. Entries removed
 * while the folder is being read may shift the rest, so the folder is
 * read again from its start until a pass removes nothing. */
static void outfile_rm_tree(int at, const char *name, int depth)
{
    if (unlinkat(at, name, 0) == 0 || (errno != EISDIR && errno != EPERM))
        return;
    int fd = depth > 0 ? openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (fd >= 0) {
        char buf[4096] __attribute__((aligned(8)));
        for (int pass = 0, removed = 1; removed && pass < 64; pass++) {
            removed = 0;
            lseek(fd, 0, SEEK_SET);
            long n;
            while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
                for (long off = 0; off < n;) {
                    struct dirent64 *e = (struct dirent64 *)(buf + off);
                    off += e->d_reclen;
                    const char *d = e->d_name;
                    if (d[0] == '.' && (!d[1] || (d[1] == '.' && !d[2])))
                        continue;
                    outfile_rm_tree(fd, d, depth - 1);
                    removed = 1;
                }
        }
        close(fd);
    }
    unlinkat(at, name, AT_REMOVEDIR);
}

/* Async-signal-safe: unlink(2), the calls of outfile_rm_tree, write(2) and
 * raise(3) only. A forked simulation process inherits the handler but not
 * the files: it only dies. */
static void outfile_on_signal(int sig)
{
    if (getpid() == outfile_owner) {
        for (int i = 0; i < OUTFILE_SLOTS; i++) {
            char *t = outfile_tmps[i];
            if (t)
                unlink(t);
        }
        for (int i = 0; i < OUTFILE_DIR_SLOTS; i++) {
            char *d = outfile_dirs[i];
            if (d)
                outfile_rm_tree(AT_FDCWD, d, OUTFILE_DIR_DEPTH);
        }
        if (sig != SIGPIPE) {
            static const char m[] = "impsim: interrupted; unfinished output files removed\n";
            ssize_t w = write(STDERR_FILENO, m, sizeof m - 1);
            (void)w;
        }
    }
    raise(sig);     /* SA_RESETHAND: now the default action, so the exit
                       status says which signal ended the run */
}

static void outfile_handlers(void)
{
    if (outfile_owner == getpid())
        return;
    outfile_owner = getpid();
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = outfile_on_signal;
        sa.sa_flags = SA_RESETHAND | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);   /* nohup's SIG_IGN stays */
    }
}

/* Run with the handled signals blocked, so a slot never holds a freed or
 * renamed name while the handler may read it. */
static void outfile_block(sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    sigaddset(&s, SIGPIPE);
    sigprocmask(SIG_BLOCK, &s, old);
}

/* Put name in a free slot of slots[0..n) for the handler, with the
 * signals blocked; the slot's index, or -1 when all are taken. */
static int outfile_slot_put(char *volatile *slots, int n, char *name)
{
    sigset_t old;
    outfile_handlers();
    outfile_block(&old);
    int slot = -1;
    for (int i = 0; i < n && slot < 0; i++)
        if (!slots[i]) {
            slots[i] = name;
            slot = i;
        }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return slot;
}

static int outfile_register(char *tmp)
{
    return outfile_slot_put(outfile_tmps, OUTFILE_SLOTS, tmp);
}

void outfile_defer_signals(sigset_t *old)
{
    outfile_block(old);
}

void outfile_restore_signals(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

int outfile_dir_hold(const char *dir)
{
    char *copy = strdup(dir);
    if (!copy)
        abort();
    int slot = outfile_slot_put(outfile_dirs, OUTFILE_DIR_SLOTS, copy);
    if (slot < 0)
        free(copy);
    return slot;
}

void outfile_dir_release(int slot)
{
    if (slot < 0 || slot >= OUTFILE_DIR_SLOTS)
        return;
    sigset_t old;
    outfile_block(&old);
    char *d = outfile_dirs[slot];
    outfile_dirs[slot] = NULL;
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(d);
}

/* ---- open / commit / abort ---- */

static void outfile_free(outfile *o)
{
    free(o->dest);
    free(o->tmp);
    free(o);
}

/* Forget the temporary file's slot (with signals blocked: the caller has
 * just renamed or removed it). */
static void outfile_release(outfile *o)
{
    if (o->slot >= 0) {
        sigset_t old;
        outfile_block(&old);
        outfile_tmps[o->slot] = NULL;
        sigprocmask(SIG_SETMASK, &old, NULL);
        o->slot = -1;
    }
}

static outfile *outfile_fail(outfile *o, const char *path, int err)
{
    fprintf(stderr, "impsim: error: cannot write %s: %s\n", path, strerror(err));
    outfile_free(o);
    return NULL;
}

outfile *outfile_open(const char *path)
{
    outfile *o = calloc(1, sizeof *o);
    if (!o)
        abort();
    o->slot = -1;
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        return o;
    }
    if (!(o->dest = strdup(path)))
        abort();
    struct stat st;
    int exists = lstat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        /* device, FIFO, symbolic link: write through, never replace */
        if (S_ISDIR(st.st_mode))
            return outfile_fail(o, path, EISDIR);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
            int err = errno;
            if (fd >= 0)
                close(fd);
            return outfile_fail(o, path, err);
        }
        return o;
    }
    size_t n = strlen(path) + 16;
    if (!(o->tmp = malloc(n)))
        abort();
    snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
    o->slot = outfile_register(o->tmp);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) {   /* mkstemp makes 0600: keep the old file's mode, or the usual one */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, exists ? st.st_mode & 07777 : 0666 & ~mask);
    }
    if (fd < 0) {   /* no file was made: only forget the name */
        int err = errno;
        outfile_release(o);
        return outfile_fail(o, path, err);
    }
    if (!(o->fp = fdopen(fd, "w"))) {
        int err = errno;
        close(fd);
        outfile_abort(o);
        fprintf(stderr, "impsim: error: cannot write %s: %s\n", path, strerror(err));
        return NULL;
    }
    return o;
}

FILE *outfile_fp(outfile *o)
{
    return o->fp;
}

int outfile_commit(outfile *o)
{
    const char *name = o->dest ? o->dest : "standard output";
    errno = 0;
    int bad = fflush(o->fp) != 0;
    int err = errno;
    if (!bad && ferror(o->fp)) {    /* an earlier flush failed */
        bad = 1;
        err = EIO;
    }
    if (!o->dest) {
        if (bad)
            fprintf(stderr, "impsim: error: cannot write %s: %s\n", name, strerror(err));
        outfile_free(o);
        return bad ? -1 : 0;
    }
    if (o->tmp && !bad && fsync(fileno(o->fp)) != 0) {
        bad = 1;
        err = errno;
    }
    if (fclose(o->fp) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (o->tmp) {
        sigset_t old;
        outfile_block(&old);
        if (!bad && rename(o->tmp, o->dest) != 0) {
            bad = 1;
            err = errno;
        }
        if (bad)
            unlink(o->tmp);
        outfile_release(o);
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    if (bad)
        fprintf(stderr, "impsim: error: cannot write %s: %s\n", name, strerror(err ? err : EIO));
    outfile_free(o);
    return bad ? -1 : 0;
}

void outfile_abort(outfile *o)
{
    if (!o)
        return;
    if (o->dest && o->fp)
        fclose(o->fp);
    if (o->tmp) {
        sigset_t old;
        outfile_block(&old);
        unlink(o->tmp);
        outfile_release(o);
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    outfile_free(o);
}

/* ---- inputs and outputs that must differ ---- */

typedef struct {
    dev_t dev;
    ino_t ino;
    char *path;
} outfile_input;

static outfile_input *outfile_inputs;
static int outfile_ninputs;

void outfile_note_input(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    for (int i = 0; i < outfile_ninputs; i++)
        if (outfile_inputs[i].dev == st.st_dev && outfile_inputs[i].ino == st.st_ino)
            return;
    outfile_input *v = realloc(outfile_inputs, (size_t)(outfile_ninputs + 1) * sizeof *v);
    if (!v)
        abort();
    outfile_inputs = v;
    v[outfile_ninputs].dev = st.st_dev;
    v[outfile_ninputs].ino = st.st_ino;
    if (!(v[outfile_ninputs].path = strdup(path)))
        abort();
    outfile_ninputs++;
}

/* What an output path is, for comparison: a regular file (device+inode),
 * a path not created yet (its canonical name), standard output when it is
 * not a regular file, or something written through that is not compared. */
typedef struct {
    enum { ID_NONE, ID_INODE, ID_NEW, ID_STDOUT } kind;
    dev_t dev;
    ino_t ino;
    char canon[PATH_MAX + NAME_MAX + 2];
} outfile_id;

static void outfile_identify(const char *path, outfile_id *id)
{
    struct stat st;
    memset(id, 0, sizeof *id);
    int ok = strcmp(path, "-") == 0 ? fstat(STDOUT_FILENO, &st) : stat(path, &st);
    if (ok == 0) {
        if (S_ISREG(st.st_mode)) {
            id->kind = ID_INODE;
            id->dev = st.st_dev;
            id->ino = st.st_ino;
        } else if (strcmp(path, "-") == 0) {
            id->kind = ID_STDOUT;
        }
        return;
    }
    if (errno != ENOENT)
        return;
    char *d = strdup(path), *b = strdup(path);
    if (!d || !b)
        abort();
    char dir[PATH_MAX];
    id->kind = ID_NEW;
    if (realpath(dirname(d), dir))
        snprintf(id->canon, sizeof id->canon, "%s/%s", dir, basename(b));
    else
        snprintf(id->canon, sizeof id->canon, "%s", path);
    free(d);
    free(b);
}

static int outfile_same(const outfile_id *a, const outfile_id *b)
{
    if (a->kind != b->kind || a->kind == ID_NONE)
        return 0;
    if (a->kind == ID_INODE)
        return a->dev == b->dev && a->ino == b->ino;
    if (a->kind == ID_NEW)
        return strcmp(a->canon, b->canon) == 0;
    return 1;
}

int outfile_check(const char *const *outs, const char *const *labels, int n,
                  const char *const *extra_in, int nin)
{
    outfile_id *ids = calloc((size_t)(n > 0 ? n : 1), sizeof *ids);
    if (!ids)
        abort();
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        if (!outs[i])
            continue;
        struct stat dst;
        if (!outs[i][0]) {      /* -o "" (an unset shell variable): bad input, not ENOENT */
            fprintf(stderr, "impsim: error: %s: found an empty file name, expected a file path "
                    "(or - for standard output)\n", labels[i]);
            rc = -1;
            break;
        }
        if (strcmp(outs[i], "-") != 0 && stat(outs[i], &dst) == 0 && S_ISDIR(dst.st_mode)) {
            /* caught here, before anything runs: a directory is the user's
             * slip (a missing file name), not a system error at write time */
            fprintf(stderr, "impsim: error: %s '%s': found a directory, expected a file "
                    "path (e.g. '%s/out.txt')\n", labels[i], outs[i], outs[i]);
            rc = -1;
            break;
        }
        outfile_identify(outs[i], &ids[i]);
        for (int j = 0; j < i && !rc; j++)
            if (outs[j] && outfile_same(&ids[i], &ids[j])) {
                fprintf(stderr, "impsim: error: %s '%s' and %s '%s' are the same file; "
                        "expected a different file for each output\n",
                        labels[j], outs[j], labels[i], outs[i]);
                rc = -1;
            }
        if (rc || ids[i].kind != ID_INODE)
            continue;
        const char *hit = NULL;
        for (int k = 0; k < outfile_ninputs && !hit; k++)
            if (outfile_inputs[k].dev == ids[i].dev && outfile_inputs[k].ino == ids[i].ino)
                hit = outfile_inputs[k].path;
        for (int k = 0; k < nin && !hit; k++) {
            struct stat st;
            if (extra_in[k] && stat(extra_in[k], &st) == 0 &&
                st.st_dev == ids[i].dev && st.st_ino == ids[i].ino)
                hit = extra_in[k];
        }
        if (hit) {
            fprintf(stderr, "impsim: error: %s '%s' is the input '%s'; expected an output "
                    "file that is not one of the inputs (it would be overwritten)\n",
                    labels[i], outs[i], hit);
            rc = -1;
        }
    }
    free(ids);
    return rc;
}
