/*
 * conversation_published.c: which content of a quality conversation may leave the circle of its
 * members (conversation_published.h). The rule is the one of the issue: minutes may be shared
 * when every side agrees, so only conversations whose every taking-part organisation recorded
 * its approval are published, and of them only what the minutes' readers need to see what was
 * learned (summary, conclusions) and what is being done (actions and their status). Any later
 * edit of notes, summary or conclusions clears the approvals (domain/conversation.c), which
 * takes the conversation out of the published set again.
 */
#include "domain/conversation_published.h"
#include "core/common.h"
#include "store/conversation_published_store.h"

/* "GM0114" / "0114" -> "0114"; "" stays "" (no filter). */
static int norm_gemeente(const char *in, char out[5])
{
    out[0] = '\0';
    if (in == NULL || *in == '\0')
        return 0;
    const char *p = in;
    if ((p[0] == 'G' || p[0] == 'g') && (p[1] == 'M' || p[1] == 'm'))
        p += 2;
    if (strlen(p) != 4)
        return ERR_INVALID;
    for (int i = 0; i < 4; i++)
        if (p[i] < '0' || p[i] > '9')
            return ERR_INVALID;
    memcpy(out, p, 5);
    return 0;
}

int conversation_published_list(struct arena *a, struct store *s, int64_t result_id,
                                const char *gemeente, int limit, struct conv_published **out,
                                int *n)
{
    *out = NULL;
    *n = 0;
    char gm[5];
    if (result_id <= 0 || norm_gemeente(gemeente, gm))
        return ERR_INVALID;
    if (limit <= 0 || limit > CONV_PUB_MAX)
        limit = CONV_PUB_MAX;
    struct db *db = store_reader(s);
    if (db == NULL)
        return ERR_DB;
    struct conv_published *rows = NULL;
    int nrows = 0;
    int ret = conv_pub_store_list(a, db, result_id, gm[0] ? gm : NULL, limit, &rows, &nrows);
    for (int i = 0; !ret && i < nrows; i++) {
        ret = conv_pub_store_parties(a, db, rows[i].id, &rows[i].parties, &rows[i].nparties);
        if (!ret)
            ret = conv_pub_store_actions(a, db, rows[i].id, CONV_PUB_MAX_ACTIONS, &rows[i].actions,
                                         &rows[i].nactions);
    }
    if (ret)
        return ret;
    *out = rows;
    *n = nrows;
    return 0;
}
