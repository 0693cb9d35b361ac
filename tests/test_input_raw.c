/* SPDX-License-Identifier: MIT */
/* The raw reader (signer/pack/input_raw.c): files and standard input,
 * streamed in any read size; empty input. */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"
#include "input_fixture.h"
#include "testutil.h"

/* ---- raw ------------------------------------------------------------- */

TestSuite(inputs_raw, .init = input_setup, .fini = input_teardown);

Test(inputs_raw, streamed_in_any_read_size)
{
    static const size_t sizes[] = {1, 2, 3, 100, 4095, 65535, 65536, 65537, 200001};
    static const size_t chunks[] = {1, 7, 4096, 65536, 1 << 20, 0};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        uint8_t *data = malloc(sizes[s]);
        char *f, *spec;
        fill_random(data, sizes[s], 100 + s);
        f = put("img.bin", data, sizes[s]);
        spec = path_fmt("img=%s", f);
        for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
            collector col = {0};
            if (chunks[k] == 1 && sizes[s] > 70000)
                continue; /* slow, covered by smaller sizes */
            col.chunk = chunks[k];
            col.seed = s * 31 + k;
            cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
            cr_assert_eq(col.c[0].len, sizes[s], "size %zu chunk %zu", sizes[s], chunks[k]);
            cr_assert_arr_eq(col.c[0].data, data, sizes[s]);
            collector_free(&col);
        }
        free(spec);
        free(f);
        free(data);
    }
}

Test(inputs_raw, empty_file)
{
    char *f = put("empty.bin", "", 0), *spec = path_fmt("e=%s", f);
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    collector col = {0};
    expect_error(spec, NULL, FWS_EXIT_IO, ": empty input", f);
    opts.allow_empty = 1;
    cr_assert_eq(visit(spec, &opts, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.n, 1);
    cr_expect_eq(col.c[0].len, 0);
    collector_free(&col);
    free(spec);
    free(f);
}

Test(inputs_raw, stdin_from_a_file)
{
    uint8_t data[100000];
    collector col = {0};
    char *f;
    int fd;
    fill_random(data, sizeof data, 5);
    f = put("in.bin", data, sizeof data);
    fd = open(f, O_RDONLY);
    cr_assert(fd >= 0);
    dup2(fd, 0); /* each Criterion test runs in its own process */
    close(fd);
    cr_assert_eq(visit("fw=-@0x2000", NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_str_eq(col.c[0].name, "fw");
    cr_expect_str_eq(col.c[0].origin, "standard input");
    cr_expect_eq(col.c[0].address, 0x2000);
    cr_assert_eq(col.c[0].len, sizeof data);
    cr_expect_arr_eq(col.c[0].data, data, sizeof data);
    collector_free(&col);
    free(f);
}

Test(inputs_raw, stdin_from_a_pipe_in_pieces)
{
    static uint8_t data[300000];
    collector col = {0};
    int p[2];
    pid_t pid;
    fill_random(data, sizeof data, 6);
    cr_assert_eq(pipe(p), 0);
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        size_t off = 0;
        close(p[0]);
        while (off < sizeof data) { /* uneven pieces: the reader sees short reads */
            size_t n = 1 + (off * 7919) % 3001;
            if (n > sizeof data - off)
                n = sizeof data - off;
            if (write(p[1], data + off, n) != (ssize_t)n)
                _exit(1);
            off += n;
        }
        _exit(0);
    }
    close(p[1]);
    dup2(p[0], 0);
    close(p[0]);
    col.chunk = 10000;
    cr_assert_eq(visit("fw=-", NULL, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.c[0].len, sizeof data);
    cr_expect_arr_eq(col.c[0].data, data, sizeof data);
    waitpid(pid, NULL, 0);
    collector_free(&col);
}

Test(inputs_raw, empty_stdin)
{
    int fd = open("/dev/null", O_RDONLY);
    dup2(fd, 0);
    close(fd);
    expect_error("fw=-", NULL, FWS_EXIT_IO, "standard input: empty input", NULL);
}
