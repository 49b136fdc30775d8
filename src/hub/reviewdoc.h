/* reviewdoc.h — a joint review's summary (jointreview_summary) as the
 * dated 联审意见汇总表, a document of the GB/T 9704 model (doc.h): HTML,
 * .docx or Markdown.  Pure: it reads only the summary it is given. */
#ifndef LX_REVIEWDOC_H
#define LX_REVIEWDOC_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;

/* Renders summary (with each candidate's "dossier_filings" when the reader
 * may see them) in format ("html", "docx" or "md") into malloc'd *out
 * (*len bytes), dated at now (Asia/Shanghai), issued by the county's
 * supervision group (county: its name, or NULL).  Every answer is named as
 * given: 无, 有 and its text, 核查中 and its date, or 未答复.  Returns 0, or
 * -1 with a sentence in err. */
int reviewdoc_render(const struct cJSON *summary, const char *format, const char *county,
                     int64_t now, char **out, size_t *len, char *err, size_t errlen);

#endif
