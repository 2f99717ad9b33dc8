/*
 * api_conversation.c: /api/v1/gesprekken: the quality conversations the caller may view
 * (filters as on the list page), plan one, read one with its phases, merge-patch the plan and
 * move the status (gehouden, geannuleerd), and the subresources of the cycle: preparation notes
 * (notities), the notes per phase (fasen), summary and conclusions (conclusies), the approval of
 * the minutes per side (goedkeuring) and the caller's own evaluation with the aggregate
 * (evaluatie). Every change carries `versie` (optimistic locking). Visibility and rights are
 * the domain's (domain/conversation.h asks the policy): a conversation the caller may not view
 * answers 404. docs/api.md, docs/conversations.md.
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/conversation.h"
#include "web/api_json.h"
#include "web/router.h"

#define COLLECTION "/gesprekken"

static const struct api_alias aliases[] = {
    {"owner_org_id", "eigenaarId"},
    {"kind", "soort"},
    {"title", "titel"},
    {"goal", "doel"},
    {"place", "plaats"},
    {"gemeente", "gemeente"},
    {"period_from", "periodeVan"},
    {"period_to", "periodeTot"},
    {"held_on", "datum"},
    {"previous_id", "vorigeId"},
    {"result_ids", "resultaatIds"},
    {"parties", "partijen"},
    {"participants", "deelnemers"},
    {"status", "status"},
    {"version", "versie"},
    {"summary", "samenvatting"},
    {"conclusions", "conclusies"},
    {"body", "tekst"},
    {"shared", "gedeeld"},
    {"notes", "aantekeningen"},
    {"planned_minutes", "minuten"},
    {"phase", "fase"},
    {"rating", "cijfer"},
    {"goal_reached", "doelBereikt"},
    {"went_well", "watGingGoed"},
    {"tips", "tips"},
    {NULL, NULL},
};

/* A status the request asks for that the conversation is not in: a conflict with its state
 * (409), not bad input. */
static void reply(struct http_req *req, int rc, const struct err_ctx *e)
{
    if (rc == ERR_INVALID && e && e->field && strcmp(e->field, "status") == 0)
        rc = ERR_CONFLICT;
    api_reply_err(req, rc, e, aliases);
}

/* ---- Representations ------------------------------------------------------------------------- */

static json_t *day_json(day_t d)
{
    char s[11];
    day_format_iso(d, s);
    return json_string(s);
}

static json_t *id_or_null(int64_t id)
{
    return id > 0 ? json_integer((json_int_t)id) : json_null();
}

static json_t *conversation_json(const struct conversation *c)
{
    json_t *j = json_pack(
        "{s:I, s:I, s:s?, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:s, s:s, s:b, s:I, "
        "s:s?, s:s?}",
        "id", (json_int_t)c->id, "eigenaarId", (json_int_t)c->owner_org_id, "eigenaarNaam",
        c->owner_name, "soort", conv_kind_code(c->kind), "titel", c->title ? c->title : "", "doel",
        c->goal ? c->goal : "", "gemeente", api_str_or_null(c->gemeente), "periodeVan",
        day_json(c->period_from), "periodeTot", day_json(c->period_to), "datum",
        day_json(c->held_on), "plaats", c->place ? c->place : "", "status",
        conv_status_code(c->status), "vorigeId", id_or_null(c->previous_id), "samenvatting",
        c->summary ? c->summary : "", "conclusies", c->conclusions ? c->conclusions : "",
        "verslagGoedgekeurd", c->minutes_approved, "versie", (json_int_t)c->version, "aangemaaktOp",
        c->created_at, "gewijzigdOp", c->updated_at);
    if (!j)
        return NULL;
    json_t *rs = json_array(), *ps = json_array(), *us = json_array();
    for (int k = 0; rs && k < c->nresults; k++)
        json_array_append_new(rs, json_integer((json_int_t)c->result_ids[k]));
    for (int k = 0; ps && k < c->nparties; k++) {
        const struct conv_party *p = &c->parties[k];
        json_array_append_new(
            ps, json_pack("{s:I, s:s?, s:s, s:s?, s:o}", "organisatieId", (json_int_t)p->org_id,
                          "naam", p->org_name, "kant", conv_side_code(p->side), "goedgekeurdOp",
                          p->approved_at, "goedgekeurdDoor",
                          p->approved_at ? api_str_or_null(p->approved_by_name) : json_null()));
    }
    for (int k = 0; us && k < c->nparticipants; k++) {
        const struct conv_participant *u = &c->participants[k];
        json_array_append_new(
            us, json_pack("{s:I, s:s?, s:I, s:s?, s:s}", "gebruikerId", (json_int_t)u->user_id,
                          "naam", u->display_name, "organisatieId", (json_int_t)u->org_id,
                          "organisatieNaam", u->org_name, "rol", conv_role_code(u->role)));
    }
    json_object_set_new(j, "resultaatIds", rs ? rs : json_array());
    json_object_set_new(j, "partijen", ps ? ps : json_array());
    json_object_set_new(j, "deelnemers", us ? us : json_array());
    return j;
}

static json_t *phase_json(const struct conv_phase_notes *p)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:I, s:s?, s:s?}", "fase", conv_phase_code(p->phase),
                     "naam", conv_phase_label(p->phase), "aantekeningen", p->notes ? p->notes : "",
                     "minuten", p->planned_minutes, "versie", (json_int_t)p->version, "gewijzigdOp",
                     p->updated_at, "gewijzigdDoor", p->updated_by_name);
}

static json_t *phases_json(const struct conv_phase_notes ph[CONV_PHASES])
{
    json_t *a = json_array();
    for (int k = 0; a && k < CONV_PHASES; k++)
        json_array_append_new(a, phase_json(&ph[k]));
    return a;
}

static json_t *note_json(const struct conv_prep_note *n)
{
    return json_pack("{s:I, s:I, s:s?, s:s?, s:s, s:b, s:s?, s:b, s:I, s:s?, s:s?}", "id",
                     (json_int_t)n->id, "organisatieId", (json_int_t)n->org_id, "organisatieNaam",
                     n->org_name, "auteur", n->author_name, "tekst", n->body ? n->body : "",
                     "gedeeld", n->shared_at != NULL, "gedeeldOp", n->shared_at, "eigen", n->mine,
                     "versie", (json_int_t)n->version, "aangemaaktOp", n->created_at, "gewijzigdOp",
                     n->updated_at);
}

/* The single representation: with the four phases. */
static void send_conversation(struct http_req *req, int status, int64_t id)
{
    struct conversation c;
    struct conv_phase_notes ph[CONV_PHASES];
    int rc = conversation_get(req->arena, req->app->store, &req->actor, id, &c);
    if (!rc)
        rc = conversation_phases(req->arena, req->app->store, &req->actor, id, ph);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    json_t *j = conversation_json(&c);
    if (j)
        json_object_set_new(j, "fasen", phases_json(ph));
    if (status == 201)
        api_send_created(req, COLLECTION, id, j);
    else
        api_send(req, status, j);
}

/* ---- Input ----------------------------------------------------------------------------------- */

static int day_or_reply(struct http_req *req, const char *name, const char *s, day_t *out)
{
    if (!s || str_parse_date_iso(str_from(s), out) != 0) {
        api_reply_invalid(req, name, _("Gebruik een datum als JJJJ-MM-DD."));
        return ERR_INVALID;
    }
    return 0;
}

/* Takes the array attribute `name` out of obj (the strict field table does not know arrays of
 * objects); *out a new reference or NULL when absent. Non-array: 400. */
static int take_array(struct http_req *req, json_t *obj, const char *name, json_t **out)
{
    json_t *v = json_object_get(obj, name);
    *out = NULL;
    if (!v)
        return 0;
    if (!json_is_array(v) || json_array_size(v) > API_LIST_MAX) {
        api_reply_invalid(req, name, _("Moet een lijst van objecten zijn."));
        return ERR_INVALID;
    }
    *out = json_incref(v);
    json_object_del(obj, name);
    return 0;
}

/* One object of partijen/deelnemers: only the keys id_key and opt_key; id positive; opt a
 * string (optional). */
static int item_or_reply(struct http_req *req, const char *list, json_t *it, const char *id_key,
                         const char *opt_key, bool opt_required, int64_t *id, const char **opt)
{
    const char *key;
    json_t *v;
    *id = 0;
    *opt = NULL;
    if (!json_is_object(it))
        goto bad;
    json_object_foreach(it, key, v)
    {
        if (strcmp(key, id_key) == 0 && json_is_integer(v) && json_integer_value(v) > 0)
            *id = (int64_t)json_integer_value(v);
        else if (strcmp(key, opt_key) == 0 && json_is_string(v))
            *opt = json_string_value(v);
        else
            goto bad;
    }
    if (*id > 0 && (*opt || !opt_required))
        return 0;
bad:
    api_reply_invalid(
        req, list,
        arena_printf(req->arena, _("Elk element heeft %s en %s (alleen die)."), id_key, opt_key));
    return ERR_INVALID;
}

static int parties_or_reply(struct http_req *req, json_t *arr, struct conv_input *in)
{
    size_t n = json_array_size(arr);
    struct conv_party_input *ps = arena_calloc(req->arena, n + 1, sizeof *ps);
    if (!ps)
        return ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        const char *side = NULL;
        if (item_or_reply(req, "partijen", json_array_get(arr, k), "organisatieId", "kant", false,
                          &ps[k].org_id, &side))
            return ERR_INVALID;
        enum conv_side s;
        if (side && conv_side_parse(side, &s) != 0) {
            api_reply_invalid(req, "partijen",
                              _("Onbekende kant. Kies uit gemeente, aanbieder en "
                                "samenwerkingsverband."));
            return ERR_INVALID;
        }
        ps[k].side = side ? (int)s : 0;
    }
    in->parties = ps;
    in->nparties = (int)n;
    return 0;
}

static int people_or_reply(struct http_req *req, json_t *arr, struct conv_input *in)
{
    size_t n = json_array_size(arr);
    struct conv_participant_input *us = arena_calloc(req->arena, n + 1, sizeof *us);
    if (!us)
        return ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        const char *role = NULL;
        if (item_or_reply(req, "deelnemers", json_array_get(arr, k), "gebruikerId", "rol", true,
                          &us[k].user_id, &role))
            return ERR_INVALID;
        enum conv_role r;
        if (conv_role_parse(role, &r) != 0) {
            api_reply_invalid(req, "deelnemers",
                              _("Onbekende rol. Kies uit gespreksleider, notulist, deelnemer en "
                                "toehoorder."));
            return ERR_INVALID;
        }
        us[k].role = (int)r;
    }
    in->participants = us;
    in->nparticipants = (int)n;
    return 0;
}

/* The attributes of create and patch. */
struct plan_body {
    const char *kind, *from, *to, *date, *status;
    int64_t owner, previous, version;
    int64_t result_ids[CONV_MAX_RESULTS + 1];
    struct api_list results;
    json_t *parties, *people;
    bool has_kind, has_title, has_goal, has_place, has_gemeente, has_from, has_to, has_date,
        has_previous, has_results, has_status;
};

static int plan_or_reply(struct http_req *req, bool create, struct plan_body *b,
                         struct conv_input *in)
{
    json_t *body;
    unsigned rq = create ? API_REQUIRED : 0;
    b->results = (struct api_list){.ids = b->result_ids, .max = CONV_MAX_RESULTS};
    const struct api_field fields[] = {
        {"eigenaarId", create ? API_INT : API_READONLY, rq, create ? &b->owner : NULL, NULL, 1,
         INT64_MAX},
        {"soort", API_STRING, rq, &b->kind, &b->has_kind, 0, 0},
        {"titel", API_STRING, rq, &in->title, &b->has_title, 0, 0},
        {"doel", API_STRING, API_NULLABLE, &in->goal, &b->has_goal, 0, 0},
        {"plaats", API_STRING, API_NULLABLE, &in->place, &b->has_place, 0, 0},
        {"gemeente", API_STRING, API_NULLABLE, &in->gemeente, &b->has_gemeente, 0, 0},
        {"periodeVan", API_STRING, rq, &b->from, &b->has_from, 0, 0},
        {"periodeTot", API_STRING, rq, &b->to, &b->has_to, 0, 0},
        {"datum", API_STRING, rq, &b->date, &b->has_date, 0, 0},
        {"vorigeId", API_INT, API_NULLABLE, &b->previous, &b->has_previous, 1, INT64_MAX},
        {"resultaatIds", API_IDS, rq, &b->results, &b->has_results, 0, 0},
        {"status", create ? API_READONLY : API_STRING, 0, create ? NULL : &b->status,
         &b->has_status, 0, 0},
        {"versie", create ? API_READONLY : API_INT, create ? 0 : API_REQUIRED,
         create ? NULL : &b->version, NULL, 1, INT64_MAX},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"samenvatting", API_READONLY, 0, NULL, NULL, 0, 0},
        {"conclusies", API_READONLY, 0, NULL, NULL, 0, 0},
        {"verslagGoedgekeurd", API_READONLY, 0, NULL, NULL, 0, 0},
        {"fasen", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (api_body_or_reply(req, &body))
        return ERR_INVALID;
    /* The arrays taken out hold a reference each until the end of this function. */
    int rc = take_array(req, body, "partijen", &b->parties);
    if (!rc)
        rc = take_array(req, body, "deelnemers", &b->people);
    if (!rc)
        rc = api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields));
    if (!rc && create && !b->parties) {
        api_reply_invalid(req, "partijen", _("Kies minstens één aanbieder of andere partij."));
        rc = ERR_INVALID;
    }
    if (!rc && b->parties)
        rc = parties_or_reply(req, b->parties, in);
    if (!rc && b->people)
        rc = people_or_reply(req, b->people, in);
    if (!rc && b->has_kind) {
        enum conv_kind k;
        if (conv_kind_parse(b->kind, &k) != 0) {
            api_reply_invalid(req, "soort", _("Kies voorkant of achterkant."));
            rc = ERR_INVALID;
        } else {
            in->kind = (int)k;
        }
    }
    if (!rc && ((b->has_from && day_or_reply(req, "periodeVan", b->from, &in->period_from)) ||
                (b->has_to && day_or_reply(req, "periodeTot", b->to, &in->period_to)) ||
                (b->has_date && day_or_reply(req, "datum", b->date, &in->held_on))))
        rc = ERR_INVALID;
    json_decref(b->parties);
    json_decref(b->people);
    b->parties = b->people = NULL;
    if (rc == ERR_NOMEM)
        api_reply_err(req, rc, NULL, aliases);
    return rc;
}

/* ---- Collection and item --------------------------------------------------------------------- */

/* GET /api/v1/gesprekken */
static void list(struct http_req *req)
{
    static const char *const params[] = {"status", "eigenaar", "partij", "resultaat",
                                         "van",    "tot",      NULL};
    struct api_page p;
    struct conv_filter f = {0};
    const char *status = NULL, *from = NULL, *to = NULL;
    struct conversation *rows = NULL;
    int n = 0, total = 0;
    if (api_query_or_reply(req, params, &p) || api_query_text_or_reply(req, "status", &status) ||
        api_query_id_or_reply(req, "eigenaar", &f.owner_org_id) ||
        api_query_id_or_reply(req, "partij", &f.party_org_id) ||
        api_query_id_or_reply(req, "resultaat", &f.result_id) ||
        api_query_text_or_reply(req, "van", &from) || api_query_text_or_reply(req, "tot", &to))
        return;
    if (status) {
        enum conv_status s;
        if (conv_status_parse(status, &s) != 0) {
            api_reply_invalid(req, "status",
                              _("Onbekende status. Kies uit gepland, voorbereid, gehouden, "
                                "afgerond en geannuleerd."));
            return;
        }
        f.status = (int)s;
    }
    if (from || to) {
        f.has_period = true;
        f.from = CONV_DAY_MIN;
        f.to = CONV_DAY_MAX;
        if ((from && day_or_reply(req, "van", from, &f.from)) ||
            (to && day_or_reply(req, "tot", to, &f.to)))
            return;
    }
    f.limit = p.limit > CONV_LIST_MAX ? CONV_LIST_MAX : p.limit;
    f.offset = p.offset;
    int rc = conversation_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total);
    if (rc != 0) {
        reply(req, rc, NULL);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, conversation_json(&rows[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* POST /api/v1/gesprekken */
static void create(struct http_req *req)
{
    struct plan_body *b = arena_calloc(req->arena, 1, sizeof *b);
    struct conv_input in = {0};
    struct err_ctx e = {0};
    int64_t id = 0;
    if (!b) {
        api_reply_err(req, ERR_NOMEM, NULL, aliases);
        return;
    }
    if (api_query_or_reply(req, NULL, NULL) || plan_or_reply(req, true, b, &in))
        return;
    in.owner_org_id = b->owner;
    in.previous_id = b->has_previous ? b->previous : 0;
    in.result_ids = b->result_ids;
    in.nresults = b->results.n;
    int rc = conversation_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc != 0) {
        reply(req, rc, &e);
        return;
    }
    send_conversation(req, 201, id);
}

/* GET /api/v1/gesprekken/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_conversation(req, 200, id);
}

/* The current plan as input, for a merge patch. Arrays in the request arena. */
static int current_plan(struct http_req *req, const struct conversation *c, struct conv_input *in)
{
    struct conv_party_input *ps = arena_calloc(req->arena, (size_t)c->nparties + 1, sizeof *ps);
    struct conv_participant_input *us =
        arena_calloc(req->arena, (size_t)c->nparticipants + 1, sizeof *us);
    if (!ps || !us)
        return ERR_NOMEM;
    int np = 0;
    for (int k = 0; k < c->nparties; k++)
        if (c->parties[k].org_id != c->owner_org_id)
            ps[np++] = (struct conv_party_input){c->parties[k].org_id, (int)c->parties[k].side};
    for (int k = 0; k < c->nparticipants; k++)
        us[k] = (struct conv_participant_input){c->participants[k].user_id,
                                                (int)c->participants[k].role};
    *in = (struct conv_input){.kind = (int)c->kind,
                              .title = c->title,
                              .goal = c->goal,
                              .place = c->place,
                              .gemeente = c->gemeente,
                              .period_from = c->period_from,
                              .period_to = c->period_to,
                              .held_on = c->held_on,
                              .previous_id = c->previous_id,
                              .result_ids = c->result_ids,
                              .nresults = c->nresults,
                              .parties = ps,
                              .nparties = np,
                              .participants = us,
                              .nparticipants = c->nparticipants};
    return 0;
}

/* PATCH /api/v1/gesprekken/{id}: merge patch of the plan, then the status when asked
 * (gehouden, geannuleerd; the others follow from the cycle). */
static void patch(struct http_req *req)
{
    struct plan_body *b = arena_calloc(req->arena, 1, sizeof *b);
    struct conv_input in = {0}, cur_in;
    struct conversation cur;
    struct err_ctx e = {0};
    enum conv_status to = 0;
    int64_t id;
    if (!b) {
        api_reply_err(req, ERR_NOMEM, NULL, aliases);
        return;
    }
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    /* Existence first: a caller who may not view it learns nothing from a bad body. */
    int rc = conversation_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc != 0) {
        reply(req, rc, NULL);
        return;
    }
    if (plan_or_reply(req, false, b, &in))
        return;
    if (b->has_status && (conv_status_parse(b->status, &to) != 0 ||
                          (to != CONV_GEHOUDEN && to != CONV_GEANNULEERD && to != cur.status))) {
        api_reply_invalid(req, "status",
                          _("Via deze bron kan de status alleen naar gehouden of geannuleerd; "
                            "afronden gaat via conclusies."));
        return;
    }
    if ((rc = current_plan(req, &cur, &cur_in)) != 0) {
        reply(req, rc, NULL);
        return;
    }
    bool edit = b->has_kind || b->has_title || b->has_goal || b->has_place || b->has_gemeente ||
                b->has_from || b->has_to || b->has_date || b->has_previous || b->has_results ||
                in.parties || in.participants;
    int64_t version = b->version;
    if (edit) {
        struct conv_input m = cur_in;
        if (b->has_kind)
            m.kind = in.kind;
        if (b->has_title)
            m.title = in.title;
        if (b->has_goal)
            m.goal = in.goal ? in.goal : "";
        if (b->has_place)
            m.place = in.place ? in.place : "";
        if (b->has_gemeente)
            m.gemeente = in.gemeente;
        if (b->has_from)
            m.period_from = in.period_from;
        if (b->has_to)
            m.period_to = in.period_to;
        if (b->has_date)
            m.held_on = in.held_on;
        if (b->has_previous)
            m.previous_id = b->previous;
        if (b->has_results) {
            m.result_ids = b->result_ids;
            m.nresults = b->results.n;
        }
        if (in.parties) {
            m.parties = in.parties;
            m.nparties = in.nparties;
        }
        if (in.participants) {
            m.participants = in.participants;
            m.nparticipants = in.nparticipants;
        }
        m.version = version;
        rc = conversation_update(req->app->store, &req->actor, id, &m, &e);
        version++;
    }
    if (rc == 0 && b->has_status && to != cur.status)
        rc = to == CONV_GEHOUDEN
                 ? conversation_mark_held(req->app->store, &req->actor, id, version, &e)
                 : conversation_cancel(req->app->store, &req->actor, id, version, &e);
    else if (rc == 0 && !edit && b->version != cur.version)
        rc = err_set(&e, ERR_CONFLICT, "version", "%s",
                     _("Iemand anders heeft dit gesprek intussen gewijzigd. Haal de nieuwste "
                       "versie op en breng uw wijziging opnieuw aan."));
    if (rc != 0) {
        reply(req, rc, &e);
        return;
    }
    send_conversation(req, 200, id);
}

/* ---- Preparation notes ----------------------------------------------------------------------- */

static int conv_id_or_reply(struct http_req *req, int64_t *id)
{
    return http_param_id_or_404(req, 0, id) || api_query_or_reply(req, NULL, NULL);
}

/* GET /api/v1/gesprekken/{id}/notities: the own side's and the shared ones of the others. */
static void notes_list(struct http_req *req)
{
    int64_t id;
    struct conv_prep_note *notes = NULL;
    int n = 0;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    int rc = conversation_prep_notes(req->arena, req->app->store, &req->actor, id, &notes, &n);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    json_t *items = json_array();
    for (int k = 0; items && k < n; k++)
        json_array_append_new(items, note_json(&notes[k]));
    struct api_page p = {.page = 1, .size = n > 0 ? n : 1, .limit = n, .offset = 0};
    api_send_list(req, items, n, &p);
}

/* The note nid of conversation id as the caller sees it. */
static int note_find(struct http_req *req, int64_t id, int64_t nid, struct conv_prep_note *out)
{
    struct conv_prep_note *notes = NULL;
    int n = 0;
    int rc = conversation_prep_notes(req->arena, req->app->store, &req->actor, id, &notes, &n);
    for (int k = 0; !rc && k < n; k++)
        if (notes[k].id == nid) {
            *out = notes[k];
            return 0;
        }
    return rc ? rc : ERR_NOT_FOUND;
}

static void send_note(struct http_req *req, int status, int64_t id, int64_t nid)
{
    struct conv_prep_note note;
    int rc = note_find(req, id, nid, &note);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    if (status == 201) {
        api_send_created(req, arena_printf(req->arena, COLLECTION "/%" PRId64 "/notities", id), nid,
                         note_json(&note));
        return;
    }
    api_send(req, status, note_json(&note));
}

static int note_body_or_reply(struct http_req *req, bool create, const char **text, bool *shared,
                              bool *has_text, bool *has_shared, int64_t *version)
{
    json_t *body;
    const struct api_field fields[] = {
        {"tekst", API_STRING, create ? API_REQUIRED : 0, text, has_text, 0, 0},
        {"gedeeld", API_BOOL, 0, shared, has_shared, 0, 0},
        {"versie", create ? API_READONLY : API_INT, create ? 0 : API_REQUIRED,
         create ? NULL : version, NULL, 1, INT64_MAX},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"organisatieId", API_READONLY, 0, NULL, NULL, 0, 0},
        {"organisatieNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"auteur", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gedeeldOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigen", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return ERR_INVALID;
    return 0;
}

/* POST /api/v1/gesprekken/{id}/notities */
static void note_create(struct http_req *req)
{
    int64_t id, nid = 0, version = 0;
    const char *text = NULL;
    bool shared = false, has_text = false, has_shared = false;
    struct conversation c;
    struct err_ctx e = {0};
    if (conv_id_or_reply(req, &id))
        return;
    int rc = conversation_get(req->arena, req->app->store, &req->actor, id, &c);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    if (note_body_or_reply(req, true, &text, &shared, &has_text, &has_shared, &version))
        return;
    rc = conversation_prep_create(req->app->store, &req->actor, id, text, shared, &nid, &e);
    if (rc) {
        reply(req, rc, &e);
        return;
    }
    send_note(req, 201, id, nid);
}

/* PATCH /api/v1/gesprekken/{id}/notities/{id} */
static void note_patch(struct http_req *req)
{
    int64_t id, nid, version = 0;
    const char *text = NULL;
    bool shared = false, has_text = false, has_shared = false;
    struct conv_prep_note cur;
    struct err_ctx e = {0};
    if (conv_id_or_reply(req, &id) || http_param_id_or_404(req, 1, &nid))
        return;
    int rc = note_find(req, id, nid, &cur);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    if (note_body_or_reply(req, false, &text, &shared, &has_text, &has_shared, &version))
        return;
    rc = conversation_prep_update(req->app->store, &req->actor, id, nid, has_text ? text : cur.body,
                                  has_shared ? shared : cur.shared_at != NULL, version, &e);
    if (rc) {
        reply(req, rc, &e);
        return;
    }
    send_note(req, 200, id, nid);
}

/* DELETE /api/v1/gesprekken/{id}/notities/{id} */
static void note_delete(struct http_req *req)
{
    int64_t id, nid;
    struct err_ctx e = {0};
    if (conv_id_or_reply(req, &id) || http_param_id_or_404(req, 1, &nid))
        return;
    int rc = conversation_prep_delete(req->app->store, &req->actor, id, nid, &e);
    if (rc) {
        reply(req, rc, &e);
        return;
    }
    /* 200 with a body (not 204): every API answer has a JSON body. */
    api_send(req, 200, json_pack("{s:I, s:b}", "id", (json_int_t)nid, "verwijderd", 1));
}

/* ---- Phases, conclusions, approval ----------------------------------------------------------- */

/* GET /api/v1/gesprekken/{id}/fasen */
static void phases_get(struct http_req *req)
{
    int64_t id;
    struct conv_phase_notes ph[CONV_PHASES];
    if (conv_id_or_reply(req, &id))
        return;
    int rc = conversation_phases(req->arena, req->app->store, &req->actor, id, ph);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    json_t *items = phases_json(ph);
    struct api_page p = {.page = 1, .size = CONV_PHASES, .limit = CONV_PHASES};
    api_send_list(req, items, CONV_PHASES, &p);
}

/* PUT /api/v1/gesprekken/{id}/fasen/{fase}: the notes (and planned minutes) of one phase. The
 * answer carries the drift hint (domain/outcome_drift.h) as `hint`, or null. */
static void phase_put(struct http_req *req)
{
    int64_t id, version = 0, minutes = -1;
    const char *notes = NULL, *hint = NULL;
    bool has_minutes = false;
    enum conv_phase phase;
    struct conv_phase_notes ph[CONV_PHASES];
    struct err_ctx e = {0};
    json_t *body;
    if (conv_id_or_reply(req, &id))
        return;
    int rc = conversation_phases(req->arena, req->app->store, &req->actor, id, ph);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    if (req->nparams < 2 || conv_phase_parse(req->params[1], &phase) != 0) {
        api_reply_err(req, ERR_NOT_FOUND, NULL, aliases);
        return;
    }
    const struct api_field fields[] = {
        {"aantekeningen", API_STRING, API_REQUIRED, &notes, NULL, 0, 0},
        {"minuten", API_INT, 0, &minutes, &has_minutes, 0, CONV_MINUTES_MAX},
        {"versie", API_INT, API_REQUIRED, &version, NULL, 0, INT64_MAX},
        {"fase", API_READONLY, 0, NULL, NULL, 0, 0},
        {"naam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdDoor", API_READONLY, 0, NULL, NULL, 0, 0},
        {"hint", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    rc = conversation_phase_save(req->arena, req->app->store, &req->actor, id, phase, notes,
                                 has_minutes ? (int)minutes : ph[phase].planned_minutes, version,
                                 &hint, &e);
    if (rc == 0)
        rc = conversation_phases(req->arena, req->app->store, &req->actor, id, ph);
    if (rc) {
        reply(req, rc, &e);
        return;
    }
    json_t *j = phase_json(&ph[phase]);
    if (j)
        json_object_set_new(j, "hint", api_str_or_null(hint));
    api_send(req, 200, j);
}

/* PUT /api/v1/gesprekken/{id}/conclusies: summary and conclusions (the conversation's versie). */
static void conclusions_put(struct http_req *req)
{
    int64_t id, version = 0;
    const char *summary = NULL, *conclusions = NULL;
    struct conversation c;
    struct err_ctx e = {0};
    json_t *body;
    if (conv_id_or_reply(req, &id))
        return;
    int rc = conversation_get(req->arena, req->app->store, &req->actor, id, &c);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    const struct api_field fields[] = {
        {"samenvatting", API_STRING, API_REQUIRED, &summary, NULL, 0, 0},
        {"conclusies", API_STRING, API_NULLABLE, &conclusions, NULL, 0, 0},
        {"versie", API_INT, API_REQUIRED, &version, NULL, 1, INT64_MAX},
    };
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    rc = conversation_conclude(req->app->store, &req->actor, id, summary,
                               conclusions ? conclusions : "", version, &e);
    if (rc) {
        reply(req, rc, &e);
        return;
    }
    send_conversation(req, 200, id);
}

/* POST / DELETE /api/v1/gesprekken/{id}/goedkeuring: approve or withdraw for the own side. */
static void approval(struct http_req *req, bool approve)
{
    int64_t id;
    struct err_ctx e = {0};
    if (conv_id_or_reply(req, &id))
        return;
    int rc = approve ? conversation_approve(req->app->store, &req->actor, id, &e)
                     : conversation_unapprove(req->app->store, &req->actor, id, &e);
    if (rc) {
        reply(req, rc, &e);
        return;
    }
    send_conversation(req, 200, id);
}

static void approve_post(struct http_req *req)
{
    approval(req, true);
}

static void approve_delete(struct http_req *req)
{
    approval(req, false);
}

/* ---- Evaluation ------------------------------------------------------------------------------ */

static void send_evaluation(struct http_req *req, int64_t id)
{
    struct conv_evaluation ev;
    struct conv_eval_stats st;
    int rc = conversation_evaluation_summary(req->arena, req->app->store, &req->actor, id, &st);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    rc = conversation_evaluation_get(req->arena, req->app->store, &req->actor, id, &ev);
    if (rc && rc != ERR_NOT_FOUND) {
        reply(req, rc, NULL);
        return;
    }
    json_t *own = rc == ERR_NOT_FOUND ? json_null()
                                      : json_pack("{s:i, s:s, s:s, s:s, s:s?}", "cijfer", ev.rating,
                                                  "doelBereikt", conv_goal_code(ev.goal_reached),
                                                  "watGingGoed", ev.went_well ? ev.went_well : "",
                                                  "tips", ev.tips ? ev.tips : "", "op", ev.at);
    /* Averages and tips only over CONV_STATS_MIN or more (rule 15): null below it. */
    json_t *tips = json_array();
    for (int k = 0; tips && st.shown && k < st.ntips; k++)
        json_array_append_new(tips, json_string(st.tips[k]));
    json_t *sum = json_pack("{s:i, s:b, s:i, s:o, s:o, s:o, s:o, s:o}", "aantal", st.nevaluations,
                            "getoond", st.shown, "minimum", CONV_STATS_MIN, "gemiddeldCijfer",
                            st.shown ? json_real(st.avg_rating) : json_null(), "doelJa",
                            st.shown ? json_integer(st.goal_ja) : json_null(), "doelDeels",
                            st.shown ? json_integer(st.goal_deels) : json_null(), "doelNee",
                            st.shown ? json_integer(st.goal_nee) : json_null(), "tips",
                            st.shown && tips ? tips : json_null());
    if (!st.shown)
        json_decref(tips);
    api_send(req, 200,
             json_pack("{s:o, s:o}", "eigen", own ? own : json_null(), "samenvatting",
                       sum ? sum : json_null()));
}

/* GET /api/v1/gesprekken/{id}/evaluatie: the caller's own evaluation and the aggregate. */
static void evaluation_get(struct http_req *req)
{
    int64_t id;
    if (conv_id_or_reply(req, &id))
        return;
    send_evaluation(req, id);
}

/* PUT /api/v1/gesprekken/{id}/evaluatie: the caller's own evaluation (replaces it). */
static void evaluation_put(struct http_req *req)
{
    int64_t id, rating = 0;
    const char *goal = NULL, *well = NULL, *tips = NULL;
    struct conversation c;
    struct err_ctx e = {0};
    json_t *body;
    if (conv_id_or_reply(req, &id))
        return;
    int rc = conversation_get(req->arena, req->app->store, &req->actor, id, &c);
    if (rc) {
        reply(req, rc, NULL);
        return;
    }
    const struct api_field fields[] = {
        {"cijfer", API_INT, API_REQUIRED, &rating, NULL, 1, 5},
        {"doelBereikt", API_STRING, API_REQUIRED, &goal, NULL, 0, 0},
        {"watGingGoed", API_STRING, API_NULLABLE, &well, NULL, 0, 0},
        {"tips", API_STRING, API_NULLABLE, &tips, NULL, 0, 0},
        {"op", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    rc = conversation_evaluate(req->app->store, &req->actor, id, (int)rating, goal,
                               well ? well : "", tips ? tips : "", &e);
    if (rc) {
        reply(req, rc, &e);
        return;
    }
    send_evaluation(req, id);
}

#define ITEM COLLECTION "/{id}"

const struct route api_conversation_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.conversation.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.conversation.create"},
    {"GET", API_PREFIX ITEM, get, ROUTE_API, "api.conversation.get"},
    {"PATCH", API_PREFIX ITEM, patch, ROUTE_API, "api.conversation.patch"},
    {"GET", API_PREFIX ITEM "/notities", notes_list, ROUTE_API, "api.conversation.notes"},
    {"POST", API_PREFIX ITEM "/notities", note_create, ROUTE_API, "api.conversation.note_create"},
    {"PATCH", API_PREFIX ITEM "/notities/{notitie}", note_patch, ROUTE_API,
     "api.conversation.note_patch"},
    {"DELETE", API_PREFIX ITEM "/notities/{notitie}", note_delete, ROUTE_API,
     "api.conversation.note_delete"},
    {"GET", API_PREFIX ITEM "/fasen", phases_get, ROUTE_API, "api.conversation.phases"},
    {"PUT", API_PREFIX ITEM "/fasen/{fase}", phase_put, ROUTE_API, "api.conversation.phase_put"},
    {"PUT", API_PREFIX ITEM "/conclusies", conclusions_put, ROUTE_API, "api.conversation.conclude"},
    {"POST", API_PREFIX ITEM "/goedkeuring", approve_post, ROUTE_API, "api.conversation.approve"},
    {"DELETE", API_PREFIX ITEM "/goedkeuring", approve_delete, ROUTE_API,
     "api.conversation.unapprove"},
    {"GET", API_PREFIX ITEM "/evaluatie", evaluation_get, ROUTE_API, "api.conversation.evaluation"},
    {"PUT", API_PREFIX ITEM "/evaluatie", evaluation_put, ROUTE_API, "api.conversation.evaluate"},
    ROUTES_END,
};
