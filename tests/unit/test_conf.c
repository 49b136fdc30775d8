/* test_conf.c — configuration files: values read whole, over-long lines
 * refused with their file and line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "files.h"
#include "log.h"
#include "tmpdir.h"

static int
setup(void **state)
{
    return tmp_make(state, "conf", "hub.conf");
}

static void
write_conf(const char *path, const char *text)
{
    assert_int_equal(files_write_atomic(path, text, strlen(text), 0600), 0);
}

/* conf_load(path) with stderr captured into *logged (caller frees). */
static conf_t *
load_logged(const char *path, char **logged)
{
    char logpath[160];
    int saved = dup(2), fd;
    conf_t *c;

    snprintf(logpath, sizeof logpath, "%s.log", path);
    fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    fflush(stderr);
    dup2(fd, 2);
    close(fd);
    c = conf_load(path);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    *logged = files_read(logpath, NULL);
    assert_non_null(*logged);
    unlink(logpath);
    return c;
}

static void
a_value_that_fits_is_read_whole(void **state)
{
    struct tmp *t = *state;
    char text[512], value[180];
    conf_t *c;

    memset(value, 'v', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    snprintf(text, sizeof text, "[hub]\r\nname = %s\r\n", value);
    write_conf(t->path, text);
    c = conf_load(t->path);
    assert_non_null(c);
    assert_string_equal(conf_get(c, "hub", "name", ""), value);
    conf_destroy(&c);
}

/* libinih reads a line into a 200-byte buffer: a longer line used to be cut,
 * and its rest read as a line of its own (here the key "x"). */
static void
a_line_longer_than_the_buffer_is_refused_with_file_and_line(void **state)
{
    struct tmp *t = *state;
    char text[1024], value[400], *logged = NULL, want[200];
    conf_t *c;

    memset(value, 'v', sizeof value - 1);
    memcpy(value + 250, "x=1", 3);
    value[sizeof value - 1] = '\0';
    snprintf(text, sizeof text, "[hub]\n# comment\nstore = %s\nport = 1\n", value);
    write_conf(t->path, text);
    c = load_logged(t->path, &logged);
    assert_null(c);
    snprintf(want, sizeof want, "%s:3: line longer than", t->path);
    assert_non_null(strstr(logged, want));
    free(logged);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_value_that_fits_is_read_whole, setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(a_line_longer_than_the_buffer_is_refused_with_file_and_line,
                                        setup, tmp_teardown),
    };
    log_init("test_conf", LOG_LVL_WARN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
