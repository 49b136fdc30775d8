/* opreply.c — the hub's text answers as JSON. */
#include "opreply.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

cJSON *
opreply_meetings(const char *text)
{
    static const char *const keys[] = { "date", "kind", "from", "to", "title", "created_by",
                                        "secrecy", "urgency" };
    cJSON *arr = cJSON_CreateArray();
    char *copy = strdup(text ? text : ""), *line, *save = NULL;

    if (!arr || !copy) {
        cJSON_Delete(arr);
        free(copy);
        return NULL;
    }
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[9], *q = line;
        int nf = 0;
        cJSON *o;
        while (nf < 9 && (f[nf] = strsep(&q, "\t")))
            nf++;
        if (nf < 7 || !(o = cJSON_CreateObject()))
            continue;
        cJSON_AddNumberToObject(o, "id", atof(f[0]));
        /* The marks: "" from a hub of before them, as for a meeting of
         * before them. */
        for (int k = 0; k < 8; k++)
            cJSON_AddStringToObject(o, keys[k], k + 1 < nf ? f[k + 1] : "");
        cJSON_AddItemToArray(arr, o);
    }
    free(copy);
    return arr;
}
