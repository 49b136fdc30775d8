/* validate.h — the checks a filing must pass before the hub stores it. */
#ifndef LX_VALIDATE_H
#define LX_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "categories.h"
#include "lianxi.pb-c.h"
#include "reasons.h"

/* Field limits, in bytes of UTF-8. */
#define LIM_FILING_ID 64
#define LIM_NAME 64
#define LIM_WORK_UNIT 200
#define LIM_POST 200
#define LIM_SUMMARY (16 * 1024)
#define LIM_CASE_REF 128
#define LIM_CATEGORY 64
#define LIM_ANSWERS 32
#define LIM_ID_NUMBER 32

/* Checks everything about f that does not need keys: fields present and
 * within limits, stage, scope (classified refused), ID number, category
 * registered for unit, learned_on a real date not after today (Asia/
 * Shanghai, from now).  Returns LIANXI__REJECT_CODE__REJECT_NONE, or the
 * code with a sentence for the unit's clerk written into detail, in the
 * current language (i18n.h). */
Lianxi__RejectCode validate_filing(const categories_t *cats, const char *unit,
                                   const Lianxi__Filing *f, int64_t now,
                                   char *detail, size_t detail_len);
/* validate_filing, the refusal as its reason key and values (reasons.h):
 * r is cleared when the filing passes. */
Lianxi__RejectCode validate_filing_reason(const categories_t *cats, const char *unit,
                                          const Lianxi__Filing *f, int64_t now,
                                          struct reason *r);

/* Checks a unit's opinion on a joint review (proto: Opinion) as far as it
 * needs no database: opinion_id "<unit>:<review_id>", revision, at least
 * one item, each naming a valid ID number once, with an answer, the text
 * 有 needs and the date 核查中 needs.  Returns REJECT_NONE, or the code with
 * the reason in r.  Whether the review was sent to unit and names the
 * candidates is the hub's to check (jointreview.h). */
Lianxi__RejectCode validate_opinion_reason(const char *unit, const Lianxi__Opinion *o,
                                           int64_t now, struct reason *r);
/* Checks a unit's attendance reply to a meeting notice (proto: Attendance)
 * as far as it needs no database: attendance_id "<unit>:M-<meeting>",
 * revision, the attendee (one line, required when attending), queued_at.
 * Returns REJECT_NONE, or the code with the reason in r.  Whether the
 * meeting exists and was notified to unit is the hub's to check
 * (notice.h). */
Lianxi__RejectCode validate_attendance_reason(const char *unit, const Lianxi__Attendance *a,
                                              int64_t now, struct reason *r);
#define LIM_ATTENDEE 200

/* An answer's word (none, holds, checking; unanswered for 0), its Chinese
 * (无, 有, 核查中; 未答复), and the answer a clerk's cell names (无/none,
 * 有/holds, 核查中/核查/checking; 0 when none of them). */
const char *validate_answer_name(int answer);
const char *validate_answer_zh(int answer);
int validate_answer_parse(const char *s);

/* A short name for a reject code ("id_number"), for logs and listings. */
const char *validate_code_name(Lianxi__RejectCode code);

#endif
