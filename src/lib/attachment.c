/* attachment.c — media types, names, limits and hashes of attachments. */
#include "attachment.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const struct {
    const char *ext, *media, *label;
} types[] = {
    { "pdf", "application/pdf", "PDF 文件" },
    { "ofd", "application/ofd", "OFD 版式文件" },
    { "jpg", "image/jpeg", "JPEG 图片" },
    { "jpeg", "image/jpeg", "JPEG 图片" },
    { "png", "image/png", "PNG 图片" },
    { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "Word 文档" },
    { "doc", "application/msword", "Word 文档" },
    { "wps", "application/vnd.ms-works", "WPS 文档" },
};
#define NTYPES (sizeof types / sizeof types[0])

const char *
att_type_for_name(const char *name)
{
    const char *dot = name ? strrchr(name, '.') : NULL;

    if (!dot)
        return NULL;
    for (size_t i = 0; i < NTYPES; i++)
        if (strcasecmp(dot + 1, types[i].ext) == 0)
            return types[i].media;
    return NULL;
}

int
att_type_known(const char *media)
{
    for (size_t i = 0; media && i < NTYPES; i++)
        if (strcmp(media, types[i].media) == 0)
            return 1;
    return 0;
}

const char *
att_type_ext(const char *media)
{
    for (size_t i = 0; media && i < NTYPES; i++)
        if (strcmp(media, types[i].media) == 0)
            return types[i].ext;
    return "bin";
}

const char *
att_type_label(const char *media)
{
    for (size_t i = 0; media && i < NTYPES; i++)
        if (strcmp(media, types[i].media) == 0)
            return types[i].label;
    return "文件";
}

const char *
att_type_list(void)
{
    return "pdf, ofd, jpg, jpeg, png, docx, doc, wps";
}

int
att_sniff(const char *media, const uint8_t *h, size_t n)
{
    static const uint8_t png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    static const uint8_t ole[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
    const char *ext = att_type_ext(media);

    if (strcmp(ext, "pdf") == 0)
        return n >= 5 && memcmp(h, "%PDF-", 5) == 0;
    if (strcmp(ext, "ofd") == 0 || strcmp(ext, "docx") == 0)
        return n >= 4 && memcmp(h, "PK\x03\x04", 4) == 0;
    if (strcmp(ext, "jpg") == 0)
        return n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff;
    if (strcmp(ext, "png") == 0)
        return n >= 8 && memcmp(h, png, 8) == 0;
    if (strcmp(ext, "doc") == 0 || strcmp(ext, "wps") == 0)
        return n >= 8 && memcmp(h, ole, 8) == 0;
    return 0;
}

int
att_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0 || n > ATT_NAME_MAX || name[0] == '.' || !text_utf8_valid(name, n) ||
        strchr(name, '/') || strchr(name, '\\') || text_find_control(name, n, 0, NULL) >= 0)
        return 0;
    return 1;
}

Lianxi__RejectCode
att_check_list(Lianxi__Attachment *const *a, size_t n, const struct att_limits *lim,
               struct reason *r)
{
    const Lianxi__RejectCode bad = LIANXI__REJECT_CODE__REJECT_ATTACHMENT;
    uint64_t total = 0;
    char v1[32], v2[32];

    memset(r, 0, sizeof *r);
    if (n > ATT_MAX_COUNT) {
        snprintf(v1, sizeof v1, "%zu", n);
        snprintf(v2, sizeof v2, "%d", ATT_MAX_COUNT);
        reasons_set(r, "attachment.count", 2, v1, v2);
        return bad;
    }
    for (size_t i = 0; i < n; i++) {
        const Lianxi__Attachment *x = a[i];
        if (!att_name_ok(x->name)) {
            reasons_set(r, "attachment.name", 0);
            return bad;
        }
        if (!att_type_known(x->media_type)) {
            reasons_set(r, "attachment.type", 2, x->name, att_type_list());
            return bad;
        }
        if (x->hash.len != ATT_HASHLEN) {
            reasons_set(r, "attachment.hash_length", 1, x->name);
            return bad;
        }
        if (x->size == 0 || x->size > lim->max_each) {
            snprintf(v1, sizeof v1, "%llu", (unsigned long long)x->size);
            snprintf(v2, sizeof v2, "%llu", (unsigned long long)lim->max_each);
            reasons_set(r, x->size ? "attachment.size" : "attachment.empty", x->size ? 3 : 1,
                        x->name, v1, v2);
            return x->size ? LIANXI__REJECT_CODE__REJECT_TOO_LARGE : bad;
        }
        total += x->size;
        for (size_t k = 0; k < i; k++)
            if (memcmp(a[k]->hash.data, x->hash.data, ATT_HASHLEN) == 0) {
                reasons_set(r, "attachment.twice", 2, a[k]->name, x->name);
                return bad;
            }
    }
    if (total > lim->max_total) {
        snprintf(v1, sizeof v1, "%llu", (unsigned long long)total);
        snprintf(v2, sizeof v2, "%llu", (unsigned long long)lim->max_total);
        reasons_set(r, "attachment.total", 2, v1, v2);
        return LIANXI__REJECT_CODE__REJECT_TOO_LARGE;
    }
    return LIANXI__REJECT_CODE__REJECT_NONE;
}

int
att_hash_fd(int fd, uint8_t out[ATT_HASHLEN], uint64_t *size)
{
    crypto_generichash_state st;
    uint8_t buf[65536];
    uint64_t total = 0;
    off_t at = 0;
    ssize_t got;

    crypto_generichash_init(&st, NULL, 0, ATT_HASHLEN);
    while ((got = pread(fd, buf, sizeof buf, at)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        crypto_generichash_update(&st, buf, (unsigned long long)got);
        at += got;
        total += (uint64_t)got;
    }
    crypto_generichash_final(&st, out, ATT_HASHLEN);
    if (size)
        *size = total;
    return 0;
}

int
att_hash_file(const char *path, uint8_t out[ATT_HASHLEN], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc, e;

    if (fd < 0)
        return -1;
    rc = att_hash_fd(fd, out, size);
    e = errno;
    close(fd);
    errno = e;
    return rc;
}

void
att_hex(const uint8_t hash[ATT_HASHLEN], char out[ATT_HEXLEN + 1])
{
    text_hex(out, hash, ATT_HASHLEN);
}

int
att_unhex(const char *hex, uint8_t hash[ATT_HASHLEN])
{
    return hex && strlen(hex) == ATT_HEXLEN && text_unhex(hash, ATT_HASHLEN, hex) == 0 ? 0 : -1;
}
