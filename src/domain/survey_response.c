/*
 * survey_response.c: the exactly-once submit of a resident's answers, paused drafts, and the
 * screening and review of open answers (survey_response.h). The anonymity rules live here: the
 * response row gets the round's dimensions and the day only; the invitation gets its used mark
 * only; a resident's submit writes no audit event (its time would date the response).
 */
#include "domain/survey_response.h"
#include "core/common.h"
#include "core/buf.h"
#include "domain/anon_check.h"
#include "domain/audit.h"
#include "domain/policy.h"
#include "store/survey_store.h"
#include <sodium.h>

void survey_nonce_new(char out[SURVEY_NONCE_B64_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SURVEY_NONCE_B64_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The stored form of a nonce: BLAKE2b-256 of its 32 bytes, so the table never holds a value
 * that could be posted again. */
static int nonce_hash(const char *nonce, unsigned char out[32])
{
    unsigned char raw[32];
    size_t len = 0;
    if (!nonce || strlen(nonce) != SURVEY_NONCE_B64_LEN ||
        sodium_base642bin(raw, sizeof raw, nonce, SURVEY_NONCE_B64_LEN, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != sizeof raw)
        return ERR_INVALID;
    crypto_generichash(out, 32, raw, sizeof raw, NULL, 0);
    return 0;
}

int survey_response_submit(struct store *s, const struct survey_round *r, int64_t invitation_id,
                           const char *nonce, struct survey_answers *ans, int32_t today,
                           struct err_ctx *e)
{
    unsigned char nh[32];
    if (invitation_id <= 0 && nonce_hash(nonce, nh) != 0)
        return err_set(e, ERR_INVALID, "formulier",
                       _("Dit formulier is niet geldig. Open de enquête opnieuw."));
    if (!round_accepts(r, today))
        return err_set(e, ERR_INVALID, NULL, _("Deze enquête is gesloten."));
    struct arena *a = arena_new(0);
    if (!a)
        return ERR_NOMEM;
    survey_answers_prune(ans);
    struct sa_row *rows;
    struct sa_open *open;
    size_t nrows, nopen;
    int ret = survey_answers_rows(a, ans, &rows, &nrows, &open, &nopen);
    struct survey_answer_row *arows = NULL;
    unsigned *flags = NULL;
    if (!ret) {
        arows = arena_calloc(a, nrows ? nrows : 1, sizeof *arows);
        flags = arena_calloc(a, nopen ? nopen : 1, sizeof *flags);
        if (!arows || !flags)
            ret = ERR_NOMEM;
    }
    for (size_t i = 0; !ret && i < nrows; i++) {
        arows[i].item = rows[i].item;
        arows[i].value = rows[i].value;
    }
    /* Screening happens before the transaction: it is the slow part and needs no database. */
    for (size_t i = 0; !ret && i < nopen; i++) {
        struct anon_report rep;
        ret = anon_check(open[i].text, strlen(open[i].text), ANON_SURVEY_KINDS, a, &rep);
        if (!ret)
            flags[i] = rep.kinds & ANON_SURVEY_KINDS;
    }
    if (ret) {
        arena_free(a);
        return err_set(e, ret, NULL, _("Uw antwoorden konden niet worden verwerkt."));
    }
    struct survey_response_row row = {
        .round_id = r->id,
        .gemeente = r->gemeente,
        .aanbieder_id = r->aanbieder_id,
        .law = r->law,
        .category = r->category,
        .age = -1,
        .gender = NULL,
        .response_date = today,
    };
    struct db *db;
    if ((ret = store_write_begin(s, &db))) {
        arena_free(a);
        return err_set(e, ret, NULL, _("Uw antwoorden konden niet worden opgeslagen."));
    }
    int64_t rid = 0;
    ret = invitation_id > 0 ? survey_store_use_invitation(db, invitation_id)
                            : survey_store_use_nonce(db, r->id, nh);
    if (ret == ERR_CONFLICT) {
        err_set(e, ret, "code",
                invitation_id > 0
                    ? _("Met deze code zijn de vragen al ingevuld. Een code kunt u maar één keer "
                        "gebruiken.")
                    : _("Dit formulier is al verstuurd. Uw antwoorden zijn al binnen."));
    } else if (!ret && !(ret = survey_store_insert(db, &row, arows, nrows, &rid))) {
        for (size_t i = 0; !ret && i < nopen; i++)
            ret = survey_store_insert_open(db, rid, open[i].item, open[i].text, flags[i],
                                           flags[i] ? SURVEY_REVIEW_PENDING : SURVEY_REVIEW_NONE);
        if (!ret && invitation_id > 0)
            ret = survey_store_draft_delete(db, invitation_id);
        if (!ret)
            ret = survey_store_count_response(db, r->id);
        if (ret)
            err_set(e, ret, NULL, _("Uw antwoorden konden niet worden opgeslagen."));
    }
    int cret = store_write_end(s, ret == 0);
    if (!ret && cret)
        ret = err_set(e, cret, NULL, _("Uw antwoorden konden niet worden opgeslagen."));
    arena_free(a);
    return ret;
}

int survey_draft_save(struct store *s, int64_t invitation_id, const struct survey_answers *ans,
                      int32_t today, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    if (!a)
        return ERR_NOMEM;
    const char *json = survey_answers_draft_json(a, ans);
    if (!json) {
        arena_free(a);
        return err_set(e, ERR_TOO_BIG, NULL,
                       _("Uw antwoorden zijn te lang om te bewaren. Maak ze korter."));
    }
    struct db *db;
    int ret = store_write_begin(s, &db);
    if (ret) {
        arena_free(a);
        return err_set(e, ret, NULL, _("Uw antwoorden konden niet worden bewaard."));
    }
    bool used = true, open = false, closed = false;
    /* In the transaction: a round closing meanwhile must not get a draft back; and drafts of
     * rounds past their closing day go now, whoever comes by first. */
    ret = survey_store_drafts_expire(db, today);
    if (!ret)
        ret = survey_store_invitation_used(db, invitation_id, &used);
    if (!ret && !used)
        ret = survey_store_invitation_open(db, invitation_id, today, &open);
    if (!ret && used)
        ret = err_set(e, ERR_CONFLICT, "code",
                      _("Met deze code zijn de vragen al ingevuld. Een code kunt u maar één keer "
                        "gebruiken."));
    else if (!ret && !open)
        closed = true; /* committed below: the expired drafts stay deleted */
    else if (!ret && (ret = survey_store_draft_save(db, invitation_id, json, today)))
        err_set(e, ret, NULL, _("Uw antwoorden konden niet worden bewaard."));
    else if (ret && ret != ERR_CONFLICT)
        err_set(e, ret, NULL, _("Uw antwoorden konden niet worden bewaard."));
    int cret = store_write_end(s, ret == 0);
    arena_free(a);
    if (!ret && !cret && closed)
        return err_set(e, ERR_CONFLICT, "code",
                       _("Deze vragenlijst is gesloten. Uw antwoorden zijn niet bewaard."));
    return ret ? ret : cret;
}

int survey_draft_load(struct arena *a, struct store *s, int64_t invitation_id,
                      struct survey_answers *ans, bool *found)
{
    const char *json = NULL;
    *found = false;
    int ret = survey_store_draft_load(a, store_reader(s), invitation_id, &json);
    if (ret || !json)
        return ret;
    *found = true;
    ret = survey_answers_from_draft(a, ans, json, strlen(json));
    return ret == ERR_INVALID ? 0 : ret; /* a damaged draft: start empty rather than fail */
}

/* ---- Open answers. ------------------------------------------------------------------------- */

static struct object_ref open_ref(const struct survey_round *r, const int64_t *party,
                                  enum share_level share)
{
    struct object_ref o = {
        .kind = OBJ_SURVEY_OPEN_ANSWER,
        .id = r->id,
        .owner_org_id = r->owner_org_id,
        .party_org_ids = party,
        .nparties = r->aanbieder_id > 0 ? 1 : 0,
        .share = share,
    };
    return o;
}

int survey_open_list(struct arena *a, struct store *s, const struct actor *who,
                     const struct survey_round *r, const char *item, int limit, int offset,
                     struct survey_open_answer **out, int *n, int *total)
{
    const int64_t party = r->aanbieder_id;
    struct object_ref owner_view = open_ref(r, &party, SHARE_OWNER);
    struct object_ref party_view = open_ref(r, &party, SHARE_PARTIES);
    bool flagged_too;
    if (policy_allows(who, ACT_VIEW, &owner_view))
        flagged_too = true; /* the owner sees what waits for review */
    else if (policy_allows(who, ACT_VIEW, &party_view))
        flagged_too = false;
    else
        return ERR_DENIED;
    if (limit <= 0 || limit > SURVEY_OPEN_LIST_MAX)
        limit = SURVEY_OPEN_LIST_MAX;
    if (offset < 0)
        return ERR_INVALID;
    struct survey_open_row *rows = NULL;
    int ret = survey_store_open_list(a, store_reader(s), &r->id, 1, item, flagged_too, limit,
                                     offset, &rows, n, total);
    if (ret)
        return ret;
    *out = arena_calloc(a, *n ? (size_t)*n : 1, sizeof **out);
    if (!*out)
        return ERR_NOMEM;
    for (int i = 0; i < *n; i++) {
        (*out)[i] = (struct survey_open_answer){
            rows[i].response_id, rows[i].item,     rows[i].text,         rows[i].flags,
            rows[i].review,      rows[i].round_id, rows[i].response_date};
    }
    /* Reading free text of residents is recorded like any read of person-level material. */
    char detail[64];
    snprintf(detail, sizeof detail, "%d", *n);
    audit_record(s, who, "survey.open_read", "survey_round", r->id, detail);
    return 0;
}

const char *survey_redact(struct arena *a, const char *text, unsigned *flags_left)
{
    struct anon_report rep;
    size_t len = strlen(text);
    if (anon_check(text, len, ANON_SURVEY_KINDS, a, &rep) != 0)
        return NULL;
    struct buf b;
    buf_init(&b, 64 * 1024);
    size_t at = 0;
    int ret = 0;
    for (size_t i = 0; !ret && i < rep.nfindings; i++) {
        const struct anon_finding *f = &rep.findings[i];
        if (f->offset < at || f->offset + f->len > len)
            continue; /* overlapping findings: the first one covered it */
        ret = buf_append(&b, text + at, f->offset - at);
        if (!ret)
            ret = buf_append_str(&b, SURVEY_REDACTED_TEXT);
        at = f->offset + f->len;
    }
    if (!ret)
        ret = buf_append(&b, text + at, len - at);
    const char *outp = ret ? NULL : arena_strndup(a, b.p ? b.p : "", b.len);
    buf_release(&b);
    if (outp && flags_left) {
        struct anon_report again;
        *flags_left = anon_check(outp, strlen(outp), ANON_SURVEY_KINDS, a, &again) == 0
                          ? again.kinds
                          : ANON_SURVEY_KINDS;
    }
    return outp;
}

bool survey_open_may_review(const struct actor *who, const struct survey_round *r)
{
    const int64_t party = r->aanbieder_id;
    struct object_ref ref = open_ref(r, &party, SHARE_OWNER);
    return policy_allows(who, ACT_EDIT, &ref);
}

int survey_open_review(struct arena *a, struct store *s, const struct actor *who,
                       const struct survey_round *r, int64_t response_id, const char *item,
                       enum survey_review_action act, struct err_ctx *e)
{
    const int64_t party = r->aanbieder_id;
    struct object_ref ref = open_ref(r, &party, SHARE_OWNER);
    if (!policy_allows(who, ACT_EDIT, &ref))
        return err_set(e, ERR_DENIED, NULL,
                       _("U mag open antwoorden van deze ronde niet beoordelen."));
    if (act != SURVEY_RELEASE && act != SURVEY_REDACT)
        return err_set(e, ERR_INVALID, "actie", _("onbekende beoordeling"));
    struct survey_open_row row;
    int ret = survey_store_open_get(a, store_reader(s), response_id, item, &row);
    if (ret || row.round_id != r->id)
        return err_set(e, ret ? ret : ERR_NOT_FOUND, NULL, _("Dit antwoord bestaat niet."));
    const char *text = NULL;
    if (act == SURVEY_REDACT) {
        unsigned left = 0;
        text = survey_redact(a, row.text, &left);
        if (!text)
            return err_set(e, ERR_NOMEM, NULL, _("Het antwoord kon niet worden geschoond."));
    }
    struct db *db;
    if ((ret = store_write_begin(s, &db)))
        return err_set(e, ret, NULL, _("De beoordeling kon niet worden opgeslagen."));
    ret = survey_store_open_review(
        db, response_id, item,
        act == SURVEY_REDACT ? SURVEY_REVIEW_REDACTED : SURVEY_REVIEW_RELEASED, text);
    if (!ret)
        ret = audit_write(db, who,
                          act == SURVEY_REDACT ? "survey.open_redact" : "survey.open_release",
                          "survey_round", r->id, item);
    int cret = store_write_end(s, ret == 0);
    if (ret || cret)
        return err_set(e, ret ? ret : cret, NULL, _("De beoordeling kon niet worden opgeslagen."));
    return 0;
}
