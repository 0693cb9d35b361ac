/* SPDX-License-Identifier: MIT */
/* Crash safety of the host tool: SIGKILL at random moments during a large
 * pack never leaves a file under the output name unless it is complete and
 * verifies; with O_TMPFILE nothing at all is left behind. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t start_pack(const fixture *f)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(f->dir) != 0 || !freopen("/dev/null", "w", stdout))
            _exit(99);
        execl(FWSEAL_BIN, "fwseal", "pack", "-o", "out.fws", "--key", "sign1.key", "--version",
              "1.0.0", "--counter", "1", "--class", "c", "--level", "1", "--encrypt-to",
              "dev.pub", "app=big.bin", (char *)NULL);
        _exit(98);
    }
    return pid;
}

/* Files in the directory besides the fixture's keys and the input. */
static int strays(const fixture *f, int *has_output)
{
    DIR *d = opendir(f->dir);
    struct dirent *e;
    int n = 0;
    *has_output = 0;
    while ((e = readdir(d)) != NULL) {
        const char *s = e->d_name;
        size_t l = strlen(s);
        if (!strcmp(s, ".") || !strcmp(s, "..") || !strcmp(s, "big.bin") ||
            (l > 4 && (!strcmp(s + l - 4, ".key") || !strcmp(s + l - 4, ".pub"))))
            continue;
        if (!strcmp(s, "out.fws"))
            *has_output = 1;
        else
            n++;
    }
    closedir(d);
    return n;
}

Test(crash_safety, sigkill_during_pack, .timeout = 240)
{
    fixture fx;
    fx_init(&fx);
    size_t len = 24u << 20;
    uint8_t *big = malloc(len);
    fill_text(big, len, 51);
    free(fx_write(&fx, "big.bin", big, len));
    free(big);

    double t0 = now();
    int st;
    waitpid(start_pack(&fx), &st, 0);
    double full = now() - t0;
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "an uninterrupted pack succeeds");
    fx_remove(&fx, "out.fws");

    int kills = 0, complete = 0, absent = 0;
    srand(7);
    for (int i = 0; i < 24; i++) {
        double at = full * 1.15 * (double)rand() / RAND_MAX;
        pid_t pid = start_pack(&fx);
        usleep((useconds_t)(at * 1e6));
        if (kill(pid, SIGKILL) == 0)
            kills++;
        waitpid(pid, &st, 0);
        int has_output, n = strays(&fx, &has_output);
        cr_assert_eq(n, 0, "kill %d at %.3f s left %d stray files", i, at, n);
        if (has_output) {
            run_result r = fx_verify(&fx, "out.fws", "--class c --key dev.key");
            cr_assert_eq(r.status, 0, "kill %d at %.3f s left an out.fws that does not verify: %s",
                         i, at, r.err);
            run_free(&r);
            complete++;
            fx_remove(&fx, "out.fws");
        } else {
            absent++;
        }
    }
    fprintf(stderr, "crash safety: %d SIGKILLs over a %.2f s pack: %d left no file, %d a complete "
            "container, none a partial one or a stray temporary\n", kills, full, absent, complete);
    cr_assert(absent > 0, "no kill landed during the pack; timing is off");
    fx_free(&fx);
}

Test(crash_safety, keys_are_0600_under_a_permissive_umask)
{
    fixture fx;
    fx.dir = tmpdir_new();
    run_result r = run("cd '%s' && umask 000 && %s keygen --type ed25519 -o k --no-passphrase >/dev/null && "
                       "%s keygen --type psk -o p --no-passphrase >/dev/null && stat -c '%%a %%n' k.key k.pub p.key",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "600 k.key\n644 k.pub\n600 p.key\n", "%s", r.out);
    run_free(&r);
    tmpdir_remove(fx.dir);
    free(fx.dir);
}
