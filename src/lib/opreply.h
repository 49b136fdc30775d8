/* opreply.h — reading what the hub's control socket answers in text: what
 * the operators' command and the console both read the same way. */
#ifndef LX_OPREPLY_H
#define LX_OPREPLY_H

struct cJSON;

/* The hub's meeting list (meeting-list, meeting-show: one meeting a line,
 * nine TAB-separated fields, seven from a hub of before the marks) as a
 * JSON array of objects {id, date, kind, from, to, title, created_by,
 * secrecy, urgency} (the marks' codes, "" when none was recorded); lines
 * with fewer than seven fields are skipped.
 * Returns the array (the caller owns it), or NULL when memory runs out. */
struct cJSON *opreply_meetings(const char *text);

#endif
