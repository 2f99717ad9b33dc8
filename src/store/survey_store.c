/*
 * survey_store.c: SQL of anonymous survey responses (survey_store.h). A response is written
 * with its answers in the caller's transaction; nothing here links it to a person.
 */
#include "store/survey_store.h"
#include "core/common.h"

int survey_store_insert(struct db *db, const struct survey_response_row *r,
                        const struct survey_answer_row *answers, size_t n, int64_t *id_out)
{
    static const char resp_sql[] =
        "INSERT INTO survey_response (round_id, gemeente, aanbieder_id, law, category, age, "
        "gender, response_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    static const char ans_sql[] =
        "INSERT INTO survey_answer (response_id, item, value) VALUES ($1, $2, $3)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.insert_response", resp_sql, &st);
    if (ret)
        goto out;
    if ((ret = r->round_id > 0 ? db_bind_i64(st, 1, r->round_id) : db_bind_null(st, 1)) ||
        (ret = db_bind_text(st, 2, r->gemeente, (size_t)-1)) ||
        (ret = r->aanbieder_id > 0 ? db_bind_i64(st, 3, r->aanbieder_id) : db_bind_null(st, 3)) ||
        (ret = r->law > 0 ? db_bind_i64(st, 4, r->law) : db_bind_null(st, 4)) ||
        (ret = db_bind_text(st, 5, r->category, (size_t)-1)) ||
        (ret = r->age >= 0 ? db_bind_i64(st, 6, r->age) : db_bind_null(st, 6)) ||
        (ret = db_bind_text(st, 7, r->gender, (size_t)-1)) ||
        (ret = db_bind_i64(st, 8, r->response_date)))
        goto out;
    if ((ret = db_run(st)))
        goto out;
    int64_t id = db_last_insert_id(db);
    db_done(st);
    st = NULL;
    for (size_t i = 0; i < n; i++) {
        if ((ret = db_prepare(db, "survey.insert_answer", ans_sql, &st)) ||
            (ret = db_bind_i64(st, 1, id)) ||
            (ret = db_bind_text(st, 2, answers[i].item, (size_t)-1)) ||
            (ret = db_bind_i64(st, 3, answers[i].value)) || (ret = db_run(st)))
            goto out;
        db_done(st);
        st = NULL;
    }
    if (id_out)
        *id_out = id;
out:
    db_done(st);
    return ret;
}
