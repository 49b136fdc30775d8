/* attachment.h — what an attachment may be (proto: Attachment), shared by
 * the hub, the adapters and the operators' client: the media types taken
 * and the bytes each begins with, the rules for a name, the sizes, the
 * chunk, and hashing a file without holding it in memory.
 *
 * Where the bytes are kept is each program's own: the hub's content-
 * addressed store beside its database (src/hub/attach.h), the adapter's
 * copy beside its outbox. */
#ifndef LX_ATTACHMENT_H
#define LX_ATTACHMENT_H

#include <stddef.h>
#include <stdint.h>

#include "lianxi.pb-c.h"
#include "reasons.h"

#define ATT_HASHLEN 32
#define ATT_HEXLEN (2 * ATT_HASHLEN)
#define ATT_CHUNK 49152                 /* data bytes per AttachmentChunk */
#define ATT_WINDOW 16                   /* chunks a sender keeps unanswered */
#define ATT_MAX_COUNT 16                /* attachments per filing or opinion */
#define ATT_NAME_MAX 255                /* bytes of a name */
#define ATT_DEFAULT_MAX_EACH (20ull * 1000 * 1000)
#define ATT_DEFAULT_MAX_TOTAL (50ull * 1000 * 1000)
/* The hub: the bytes of uploads one unit may have declared and not
 * finished, and the days a declaration not renewed is kept. */
#define ATT_DEFAULT_MAX_PENDING (500ull * 1000 * 1000)
#define ATT_DEFAULT_PENDING_DAYS 7
/* The hub: the declarations (a document a filing waits for) one unit may
 * have outstanding, whatever their sizes. */
#define ATT_MAX_DECLARATIONS 8192

/* The limits a hub or adapter applies (its configuration's [attachments]). */
struct att_limits {
    uint64_t max_each;      /* bytes of one attachment */
    uint64_t max_total;     /* bytes of all of one filing's */
};
#define ATT_LIMITS_DEFAULT { ATT_DEFAULT_MAX_EACH, ATT_DEFAULT_MAX_TOTAL }

/* The media type of a file name by its extension (case-insensitive): one of
 * the proto's list, or NULL when the extension is not one taken. */
const char *att_type_for_name(const char *name);
/* Whether media is one of the types taken. */
int att_type_known(const char *media);
/* The usual extension of a media type ("pdf"), or "bin". */
const char *att_type_ext(const char *media);
/* A short Chinese label of a media type for people (PDF 文件, 图片, Word 文档). */
const char *att_type_label(const char *media);
/* The extensions taken, as "pdf, ofd, jpg, jpeg, png, docx, doc, wps". */
const char *att_type_list(void);

/* Whether the first n bytes of a file (n >= 8 when the file is that long)
 * begin as media says: %PDF-, a zip (OFD, docx), JPEG, PNG, OLE2 (doc,
 * wps).  Returns 1 or 0. */
int att_sniff(const char *media, const uint8_t *head, size_t n);

/* Whether name is one an attachment may carry: valid UTF-8, 1..255
 * bytes, no '/', '\\', control character, no leading '.'. */
int att_name_ok(const char *name);

/* Checks a filing's or opinion's attachment list against limits: count,
 * name, type, size 1..max_each, total, hash length, the same hash twice.
 * Returns REJECT_NONE, or REJECT_ATTACHMENT (REJECT_TOO_LARGE for a size)
 * with the reason in r (reasons.c: attachment.*). */
Lianxi__RejectCode att_check_list(Lianxi__Attachment *const *a, size_t n,
                                  const struct att_limits *lim, struct reason *r);

/* BLAKE2b-256 of the file open on fd from its start, read in pieces (never
 * the whole file in memory); its size into *size.  Returns 0, or -1 with
 * errno set. */
int att_hash_fd(int fd, uint8_t out[ATT_HASHLEN], uint64_t *size);
/* The same for a file by path. */
int att_hash_file(const char *path, uint8_t out[ATT_HASHLEN], uint64_t *size);

/* hash as 64 lowercase hex digits and a NUL; back (returns 0 or -1). */
void att_hex(const uint8_t hash[ATT_HASHLEN], char out[ATT_HEXLEN + 1]);
int att_unhex(const char *hex, uint8_t hash[ATT_HASHLEN]);

#endif
