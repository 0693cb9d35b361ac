/*
 * fwseal unpack: verify, decrypt, inflate and write each component to
 * DIR/NAME or as a member of OUT.tar.  Output is staged (a hidden
 * directory beside DIR, or a temporary tar file) and moved into place only
 * after every check passed, so a rejected container writes nothing.
 */
#include "atomic_file.h"
#include "cli.h"
#include "pdeflate.h"
#include "io.h"
#include "policy_args.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: fwseal unpack FILE --trust PUB [--trust PUB...] [--key KEY] -o DIR|OUT.tar\n"
    "\n"
    "Verifies FILE exactly as 'fwseal verify' does, then writes each component\n"
    "to DIR/NAME (DIR is created if needed) or, when the output ends in .tar,\n"
    "as members of a tar archive.  Nothing is written unless every check passes.\n"
    "\n"
    "options:\n" POLICY_HELP
    "  -o, --output DIR|OUT.tar  where to write the components\n"
    "  --force              replace existing files\n"
    "  -j, --jobs N         1: check and write on one thread; 2..32: read, inflate and\n"
    "                       hash the payload on three overlapping threads (same output);\n"
    "                       default: the number of CPUs\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 written, 1 rejected, 2 usage, 3 I/O or key problem.\n";

typedef struct {
    /* directory mode */
    char *staging;
    int fd;
    /* tar mode */
    struct archive *ar;
    atomic_file tar;
    const container *c;   /* for the members' mtime: the signed timestamp */
} unpack_out;

static char *join(const char *a, const char *b)
{
    return xasprintf("%s/%s", a, b);
}

/* mkdir -p for the directories of a validated relative name under root. */
static int make_parents(const char *root, const char *name)
{
    char *path = join(root, name), *slash = path + strlen(root) + 1;
    int rc = 0;
    while ((slash = strchr(slash, '/')) != NULL) {
        *slash = 0;
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            diag_error("%s: cannot create directory: %s", path, strerror(errno));
            rc = -1;
            break;
        }
        *slash++ = '/';
    }
    free(path);
    return rc;
}

static int dir_begin(void *user, int index, const fws_component *k)
{
    unpack_out *o = user;
    char name[FWS_MAX_NAME + 1], *path;
    (void)index;
    memcpy(name, k->name, k->name_len);
    name[k->name_len] = 0;
    if (o->fd >= 0 && (fsync(o->fd) < 0 || close(o->fd) < 0))
        return -1;
    o->fd = -1;
    if (make_parents(o->staging, name))
        return -1;
    path = join(o->staging, name);
    o->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    if (o->fd < 0)
        diag_error("%s: cannot create: %s", path, strerror(errno));
    free(path);
    return o->fd < 0 ? -1 : 0;
}

static int dir_data(void *user, int index, const uint8_t *buf, size_t len)
{
    unpack_out *o = user;
    (void)index;
    if (io_write_all(o->fd, buf, len) < 0) {
        diag_error("%s: write failed: %s", o->staging, strerror(errno));
        return -1;
    }
    return 0;
}

static la_ssize_t tar_write_cb(struct archive *a, void *user, const void *buf, size_t len)
{
    unpack_out *o = user;
    (void)a;
    return atomic_write(&o->tar, buf, len) ? -1 : (la_ssize_t)len;
}

static int tar_begin(void *user, int index, const fws_component *k)
{
    unpack_out *o = user;
    struct archive_entry *e = archive_entry_new();
    char name[FWS_MAX_NAME + 1];
    int rc;
    (void)index;
    memcpy(name, k->name, k->name_len);
    name[k->name_len] = 0;
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)k->size);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, (time_t)o->c->m.timestamp, 0);
    rc = archive_write_header(o->ar, e);
    archive_entry_free(e);
    if (rc != ARCHIVE_OK)
        diag_error("tar: %s", archive_error_string(o->ar));
    return rc == ARCHIVE_OK ? 0 : -1;
}

static int tar_data(void *user, int index, const uint8_t *buf, size_t len)
{
    unpack_out *o = user;
    (void)index;
    return archive_write_data(o->ar, buf, len) == (la_ssize_t)len ? 0 : -1;
}

static void remove_tree(const char *root)
{
    /* Only our own staging directory, whose names passed the name rules. */
    char *cmd;
    if (asprintf(&cmd, "rm -rf -- '%s'", root) >= 0) {
        if (system(cmd) != 0)
            diag_warn("%s: could not remove the staging directory", root);
        free(cmd);
    }
}

/* Moves staged files into DIR: all-or-nothing against existing files. */
static int install_dir(const container *c, const char *staging, const char *dir, int force,
                       int dir_created)
{
    int i;
    if (dir_created) {
        mode_t um = umask(0);
        umask(um);
        chmod(staging, 0777 & ~um);   /* mkdtemp made it 0700 */
        if (rename(staging, dir) < 0) {
            diag_error("%s: cannot move the output into place: %s", dir, strerror(errno));
            return FWS_EXIT_IO;
        }
        return FWS_EXIT_OK;
    }
    for (i = 0; i < c->m.n_components && !force; i++) {
        char name[FWS_MAX_NAME + 1], *path;
        struct stat st;
        memcpy(name, c->m.comp[i].name, c->m.comp[i].name_len);
        name[c->m.comp[i].name_len] = 0;
        path = join(dir, name);
        if (lstat(path, &st) == 0) {
            diag_error("%s: already exists (use --force to replace it); nothing written", path);
            free(path);
            return FWS_EXIT_IO;
        }
        free(path);
    }
    for (i = 0; i < c->m.n_components; i++) {
        char name[FWS_MAX_NAME + 1], *from, *to;
        int rc;
        memcpy(name, c->m.comp[i].name, c->m.comp[i].name_len);
        name[c->m.comp[i].name_len] = 0;
        if (make_parents(dir, name))
            return FWS_EXIT_IO;
        from = join(staging, name);
        to = join(dir, name);
        rc = rename(from, to);
        if (rc < 0)
            diag_error("%s: cannot move into place: %s", to, strerror(errno));
        free(from);
        free(to);
        if (rc < 0)
            return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int cmd_unpack(int argc, char **argv)
{
    static const struct option opts[] = {POLICY_LONG_OPTIONS,
                                         {"output", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, 'f'},
                                         {"jobs", required_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    policy_args *a = xmalloc(sizeof *a);
    container *c = xmalloc(sizeof *c);
    unpack_out o;
    component_sink sink;
    policy p;
    verdict v;
    const char *output = NULL;
    int opt, force = 0, jobs = pdeflate_default_jobs(), rc, tar_mode, dir_created = 0;
    size_t olen;

    memset(&o, 0, sizeof o);
    o.fd = -1;
    policy_args_init(a, "unpack");
    optind = 0;
    while ((opt = getopt_long(argc, argv, "o:hj:", opts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            rc = FWS_EXIT_OK;
            goto done;
        } else if (opt == 'o') {
            output = optarg;
        } else if (opt == 'f') {
            force = 1;
        } else if (opt == 'j') {
            if ((rc = cli_parse_jobs("unpack", optarg, &jobs)))
                goto done;
        } else if ((rc = policy_args_option(a, opt, optarg))) {
            goto done;
        }
    }
    if (optind != argc - 1) {
        rc = cli_usage("unpack", optind >= argc ? "missing FILE" : "exactly one FILE, please");
        goto done;
    }
    if (!output) {
        rc = cli_usage("unpack", "missing -o DIR|OUT.tar");
        goto done;
    }
    if (!strcmp(output, "-")) {
        rc = cli_usage("unpack", "-o -: unpack writes only verified output; give DIR or OUT.tar");
        goto done;
    }
    if ((rc = policy_args_load(a, &p)))
        goto done;
    p.jobs = jobs;
    olen = strlen(output);
    tar_mode = olen > 4 && !strcmp(output + olen - 4, ".tar");
    if ((rc = container_open(c, argv[optind])))
        goto done;

    if (tar_mode) {
        if ((rc = atomic_open(&o.tar, output, 0644, force ? ATOMIC_OVERWRITE : 0)))
            goto close;
        o.ar = archive_write_new();
        archive_write_set_format_pax_restricted(o.ar);
        if (archive_write_open(o.ar, &o, NULL, tar_write_cb, NULL) != ARCHIVE_OK) {
            diag_error("%s: %s", output, archive_error_string(o.ar));
            rc = FWS_EXIT_IO;
            goto close;
        }
        sink.begin = tar_begin;
        sink.data = tar_data;
    } else {
        struct stat st;
        char *copy = xstrdup(output), *tmpl;
        if (stat(output, &st) == 0 && !S_ISDIR(st.st_mode)) {
            diag_error("%s: exists and is not a directory", output);
            free(copy);
            rc = FWS_EXIT_IO;
            goto close;
        }
        dir_created = stat(output, &st) != 0;
        tmpl = xasprintf("%s/.fwseal-unpack-XXXXXX", dir_created ? dirname(copy) : output);
        free(copy);
        o.staging = mkdtemp(tmpl);
        if (!o.staging) {
            diag_error("%s: cannot create the output: %s", output, strerror(errno));
            free(tmpl);
            rc = FWS_EXIT_IO;
            goto close;
        }
        sink.begin = dir_begin;
        sink.data = dir_data;
    }
    sink.user = &o;
    o.c = c;
    decide(c, &p, &sink, &v);
    if (v.accepted && !v.components_checked) {
        rc = cli_usage("unpack", "%s is encrypted: give the device key with --key", c->path);
        goto close;
    }
    if (!v.accepted) {
        diag_note("%s: %s: %s; nothing written", c->path,
                v.io_error ? "error" : "rejected", v.message);
        rc = v.io_error ? FWS_EXIT_IO : FWS_EXIT_REJECT;
        goto close;
    }
    if (tar_mode) {
        if (archive_write_close(o.ar) != ARCHIVE_OK) {
            diag_error("%s: %s", output, archive_error_string(o.ar));
            rc = FWS_EXIT_IO;
            goto close;
        }
        rc = atomic_commit(&o.tar);
    } else {
        if (o.fd >= 0 && (fsync(o.fd) < 0 || close(o.fd) < 0)) {
            o.fd = -1;
            diag_error("%s: cannot finish writing: %s", output, strerror(errno));
            rc = FWS_EXIT_IO;
            goto close;
        }
        o.fd = -1;
        rc = install_dir(c, o.staging, output, force, dir_created);
    }
    if (!rc)
        printf("%s: verified; wrote %u component%s to %s\n", c->path, c->m.n_components,
               c->m.n_components == 1 ? "" : "s", output);
close:
    if (o.fd >= 0)
        close(o.fd);
    if (o.ar) {
        archive_write_free(o.ar);
        atomic_abort(&o.tar);
    }
    if (o.staging) {
        struct stat st;
        if (stat(o.staging, &st) == 0)
            remove_tree(o.staging);
        free(o.staging);
    }
    container_close(c);
done:
    policy_args_wipe(a);
    free(a);
    free(c);
    return rc;
}
