/*
 * api_json.h: what every JSON API handler (web/api_*.c) shares: strict request bodies, strict
 * attribute extraction, JSON answers, domain errors as application/problem+json, and the one
 * collection envelope with paging. Design notes: docs/api.md.
 *
 * Helpers ending in _or_reply follow the redis "...OrReply" idiom (engineering.md C3): on bad
 * input they answer the request themselves (400/415 problem+json) and return non-zero, so a
 * handler is a flat list of guard clauses followed by the happy path.
 */
#ifndef DUIDING_WEB_API_JSON_H
#define DUIDING_WEB_API_JSON_H

#include "core/err.h"
#include "domain/role.h"
#include "web/http.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define API_PREFIX "/api/v1"

/* Paging of every collection: ?pagina=1&paginaGrootte=100 (1-based page). */
#define API_PAGE_SIZE_DEFAULT 100
#define API_PAGE_SIZE_MAX     1000
#define API_PAGE_MAX          1000000 /* keeps (pagina - 1) * paginaGrootte inside an int */

#define API_LIST_MAX       64  /* elements of one array attribute in a request body */
#define API_QUERY_TEXT_MAX 200 /* bytes of a free-text query parameter */
#define API_NAME_ECHO_MAX  64  /* longer unknown attribute names are not echoed back */

/* Kinds of request-body attributes and what `out` points to. */
enum api_type {
    API_STRING,  /* const char ** : borrowed from the parsed body (lives as long as the request) */
    API_INT,     /* int64_t * : within [min, max] */
    API_BOOL,    /* bool * */
    API_IDS,     /* struct api_list * : array of positive integers into list->ids */
    API_STRINGS, /* struct api_list * : array of strings; list->strs is allocated in the arena */
    API_READONLY /* no out: the attribute exists but cannot be written (answers 400) */
};

#define API_REQUIRED (1u << 0) /* absent -> 400 */
#define API_NULLABLE (1u << 1) /* JSON null is accepted: strings become NULL, lists n = 0 */

/* An array attribute. The caller provides ids[max] for API_IDS. */
struct api_list {
    int64_t *ids;
    const char **strs;
    int max;
    int n;
};

/* One attribute of a request body. */
struct api_field {
    const char *name; /* JSON attribute name (camelCase, Dutch) */
    enum api_type type;
    unsigned flags; /* API_REQUIRED, API_NULLABLE */
    void *out;
    bool *present;    /* optional: set to whether the attribute was in the body */
    int64_t min, max; /* API_INT only */
};

/* Domain field name (err_ctx.field) -> API attribute name, ended by {NULL, NULL}. */
struct api_alias {
    const char *domain;
    const char *api;
};

/* Paging input of a collection request. */
struct api_page {
    int page;   /* 1-based */
    int size;   /* items per page */
    int limit;  /* = size, for the domain filters */
    int offset; /* = (page - 1) * size */
};

/**
 * Parses req->body as a JSON object. Requires Content-Type application/json (a PATCH also
 * accepts application/merge-patch+json, RFC 7396); otherwise answers 415. Invalid JSON,
 * duplicate keys, invalid UTF-8 or a non-object root answer 400. *out is owned by the request
 * arena (decref'd when the request ends). Body size is capped by the HTTP layer (1 MiB).
 */
int api_body_or_reply(struct http_req *req, json_t **out);

/**
 * Strictly extracts the attributes of `obj` described by fields[0..n-1]: every attribute of
 * obj must be in the table (unknown ones answer 400 naming the attribute), each must have the
 * declared type, required ones must be present. Outputs are written only for attributes that
 * are present. 0, or non-zero after answering 400.
 */
int api_fields_or_reply(struct http_req *req, json_t *obj, const struct api_field *fields, int n);

/**
 * Answers `j` as application/json with `status`; steals the reference to j. A NULL j (an
 * allocation failed while building it) answers 500.
 */
void api_send(struct http_req *req, int status, json_t *j);

/** Answers 201 Created with Location: API_PREFIX <collection>/<id> and body j (stolen). */
void api_send_created(struct http_req *req, const char *collection, int64_t id, json_t *j);

/**
 * Answers a domain error as problem+json with the status from http_status_for_err():
 * ERR_INVALID 400 with invalidParams [{name, reason}] (the field renamed through aliases, may
 * be NULL), ERR_DENIED 403, ERR_NOT_FOUND 404, ERR_CONFLICT 409, ERR_BUSY 503, else 500 without
 * detail (logged instead: internal detail never reaches the client).
 */
void api_reply_err(struct http_req *req, int rc, const struct err_ctx *e,
                   const struct api_alias *aliases);

/** Answers 400 for one bad query parameter or attribute `name` with a reason. */
void api_reply_invalid(struct http_req *req, const char *name, const char *reason);

/**
 * Rejects query parameters not in allowed (NULL-terminated; "pagina" and "paginaGrootte" are
 * always allowed) and parses the paging parameters into *p. 0 or non-zero after a 400.
 */
int api_query_or_reply(struct http_req *req, const char *const *allowed, struct api_page *p);

/** Optional positive id query parameter: *out = 0 when absent. 0 or non-zero after a 400. */
int api_query_id_or_reply(struct http_req *req, const char *name, int64_t *out);
/** Optional boolean query parameter ("true"/"false"): *out unchanged when absent. */
int api_query_bool_or_reply(struct http_req *req, const char *name, bool *out);
/** Optional text query parameter of at most API_QUERY_TEXT_MAX bytes; *out NULL when absent. */
int api_query_text_or_reply(struct http_req *req, const char *name, const char **out);

/**
 * Answers the collection envelope {"items": [...], "totaal": N, "pagina": P,
 * "paginaGrootte": S, "aantalPaginas": K} with 200. Steals items.
 */
void api_send_list(struct http_req *req, json_t *items, int total, const struct api_page *p);

/** json_string() that maps NULL to JSON null (new reference). */
json_t *api_str_or_null(const char *s);

/* --- Shared vocabulary of the API representations. --- */
/**
 * API code of an organisation kind. The same as org_kind_code() except "regio" for ORG_REGION:
 * the API speaks Dutch (ADR /core/interface-language) while the stored code stays "region".
 */
const char *api_org_kind_code(enum org_kind k);
/** Parses an API organisation kind code. 0 or ERR_INVALID. */
int api_org_kind_parse(const char *s, enum org_kind *out);
/** Role bits as a JSON array of role codes ("beheerder", "beleid", ...). New reference. */
json_t *api_roles_json(uint32_t roles);

#endif
