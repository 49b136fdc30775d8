/* lianxi-adapter-petitions — files the letters-and-visits bureau's export
 * (XML, see FORMAT.md): letters, visits and reports naming a cadre. */
#include "record.h"
#include "i18n.h"
#include "text.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

static const struct record_map types[] = {
    { "举报", "petitions.report" },
    { "检举控告", "petitions.report" },
    { "重复信访", "petitions.repeated" },
    { "越级信访", "petitions.escalated" },
    { NULL, NULL },
};

static const struct record_map statuses[] = {
    { "受理", "notice" },
    { "办理中", "notice" },
    { "办结", "report" },
    { NULL, NULL },
};

static const char *const names[CF_NFIELDS] = {
    [CF_CASE] = "petition/@no", [CF_NAME] = "subject/name", [CF_IDNO] = "subject/idNumber",
    [CF_WORK_UNIT] = "subject/workUnit", [CF_POST] = "subject/post",
    [CF_RANK] = "subject/rank", [CF_TYPE] = "kind", [CF_DATE] = "received",
    [CF_STATUS] = "status", [CF_SUMMARY] = "content", [CF_SCOPE] = "scope",
    [CF_REAL_NAME] = "realName",
};

/* Text of the first child element called name, trimmed ("" when none);
 * the caller frees it with xmlFree unless it is the static "". */
static char *
child_text(xmlNode *parent, const char *name)
{
    for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0) {
            xmlChar *t = xmlNodeGetContent(n);
            return t ? (char *)t : NULL;
        }
    return NULL;
}

static xmlNode *
child(xmlNode *parent, const char *name)
{
    for (xmlNode *n = parent->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0)
            return n;
    return NULL;
}

/* The first error libxml2 reports: the real one (later ones follow from it). */
struct first_error {
    int line, seen;
    char msg[256];
};

static void
keep_first(void *arg, xmlErrorPtr e)
{
    struct first_error *fe = arg;

    if (fe->seen || !e || e->level < XML_ERR_ERROR)
        return;
    fe->seen = 1;
    fe->line = e->line;
    snprintf(fe->msg, sizeof fe->msg, "%s", e->message ? e->message : "unreadable");
    fe->msg[strcspn(fe->msg, "\n")] = '\0';
    /* libxml2 quotes names from the file: a long one is cut here, on a
     * character, and bytes that are not UTF-8 are mended. */
    text_utf8_fix(fe->msg);
}

static int
petitions_read(adapter_t *a, const char *path, const void *data)
{
    struct first_error fe = { 0, 0, "" };
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;
    xmlNode *root, *p;
    char why[512];
    size_t total = 0, i = 0;
    int rc = -1;

    (void)data;
    if (!ctxt) {
        adapter_reject_file(a, path, _("out of memory"));
        return -1;
    }
    xmlSetStructuredErrorFunc(&fe, keep_first);
    doc = xmlCtxtReadFile(ctxt, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                          XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc) {
        snprintf(why, sizeof why, _("not well-formed XML at line %d: %s"), fe.line,
                 fe.seen ? fe.msg : _("unreadable"));
        adapter_reject_file(a, path, text_utf8_fix(why));
        goto out;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || xmlStrcmp(root->name, BAD_CAST "petitions") != 0) {
        snprintf(why, sizeof why, _("the root element is <%s>, not <petitions>: not a "
                 "letters-and-visits export (see FORMAT.md)"), root ? (const char *)root->name : "");
        adapter_reject_file(a, path, text_utf8_fix(why));
        goto out;
    }
    for (p = root->children; p; p = p->next)
        total += p->type == XML_ELEMENT_NODE;
    for (p = root->children; p; p = p->next) {
        char *t[CF_NFIELDS] = { 0 };
        const char *v[CF_NFIELDS] = { 0 };
        xmlNode *subject;
        long line;

        if (p->type != XML_ELEMENT_NODE)
            continue;
        line = xmlGetLineNo(p);
        adapter_progress(a, ++i, total);
        if (xmlStrcmp(p->name, BAD_CAST "petition") != 0) {
            adapter_reject_row(a, path, line, (const char *)p->name,
                               "%s", _("unexpected element: each record is a <petition>"));
            continue;
        }
        subject = child(p, "subject");
        t[CF_CASE] = (char *)xmlGetProp(p, BAD_CAST "no");
        t[CF_DATE] = child_text(p, "received");
        t[CF_TYPE] = child_text(p, "kind");
        t[CF_STATUS] = child_text(p, "status");
        t[CF_SUMMARY] = child_text(p, "content");
        t[CF_SCOPE] = child_text(p, "scope");
        /* 是 for a real-name petition, 否 for an anonymous one: a signed field of
         * every filing, with or without content. */
        t[CF_REAL_NAME] = child_text(p, "realName");
        if (subject) {
            t[CF_NAME] = child_text(subject, "name");
            t[CF_IDNO] = child_text(subject, "idNumber");
            t[CF_WORK_UNIT] = child_text(subject, "workUnit");
            t[CF_POST] = child_text(subject, "post");
            t[CF_RANK] = child_text(subject, "rank");
        }
        for (int f = 0; f < CF_NFIELDS; f++)
            v[f] = t[f] ? record_trim(t[f]) : "";
        /* The bureau's system leaves rank out, or empty, when it does not know it. */
        if (!t[CF_RANK] || !*v[CF_RANK])
            v[CF_RANK] = NULL;
        rc = record_file(a, path, line, v, names, types, statuses);
        for (int f = 0; f < CF_NFIELDS; f++)
            xmlFree(t[f]);
        if (rc < 0)
            goto out;
    }
    adapter_progress_done(a);
    rc = 0;
out:
    if (doc)
        xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

int
main(int argc, char **argv)
{
    static const struct adapter_format fmt = { "petitions", petitions_read, NULL };
    int rc = adapter_main(argc, argv, &fmt);

    xmlCleanupParser();
    return rc;
}
