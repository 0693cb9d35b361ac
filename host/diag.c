/* SPDX-License-Identifier: MIT */
#include "diag.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *program = "fwseal";
static char last_error[1024];
static pthread_mutex_t last_error_lock = PTHREAD_MUTEX_INITIALIZER;

void diag_set_program(const char *name)
{
    program = name;
}

const char *diag_program(void)
{
    return program;
}

static void say(const char *level, const char *fmt, va_list ap)
{
    if (level)
        fprintf(stderr, "%s: %s: ", program, level);
    else
        fprintf(stderr, "%s: ", program);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void diag_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("error", fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    pthread_mutex_lock(&last_error_lock);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    pthread_mutex_unlock(&last_error_lock);
    va_end(ap);
}

const char *diag_last_error(void)
{
    return last_error;
}

int diag_close_stdout(int status)
{
    int err = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
        err = errno ? errno : EIO;
    if (fclose(stdout) != 0 && !err)
        err = errno ? errno : EIO;
    if (!err)
        return status;
    diag_error("standard output: write error: %s", strerror(err));
    return FWS_EXIT_IO;
}

void diag_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("warning", fmt, ap);
    va_end(ap);
}

void diag_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(NULL, fmt, ap);
    va_end(ap);
}
