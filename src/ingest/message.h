/*
 * message.h: reading one iJw 3.2 / iWmo 3.2 standard message (XML). Each message is parsed
 * with libxml2 (no network, no DTD, no entity expansion, capped depth and size), validated
 * against the official XSDs shipped inside duiding (data/xsd/, from the iStandaarden release),
 * and the fields duiding needs are extracted. Validation findings are reported like a
 * validator does: line, element, reason. Names, addresses and contact data are read past and
 * never copied out; only the BSN (pseudonymised at once by the caller), birth date (turned into
 * an age by the caller), gender and the 4 digits of the postcode leave this module.
 */
#ifndef DUIDING_INGEST_MESSAGE_H
#define DUIDING_INGEST_MESSAGE_H

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/trajectory.h"
#include <stddef.h>
#include <stdint.h>

#define MSG_MAX_BYTES    (4u * 1024 * 1024) /* one message */
#define MSG_MAX_DEPTH    64
#define MSG_MAX_PRODUCTS 1000
#define MSG_MAX_ISSUES   50    /* validation findings kept per message */
#define MSG_MAX_CLAIMS   20000 /* Prestatie lines read from one 323 */

/* What became of a message. */
enum msg_outcome {
    MSG_ACCEPTED = 0, /* valid and of a kind duiding uses (301, 305, 307, 315; 323 claims) */
    MSG_SKIPPED = 1,  /* a valid message of the release that duiding does not use (302, 325 ...) */
    MSG_INVALID = 2,  /* not well-formed or not valid against the XSD: see issues */
    MSG_UNSUPPORTED =
        3, /* another release or namespace (iWmo 2.x, iJw 3.0 ...), or not a message */
};

enum msg_kind {
    MSG_KIND_OTHER = 0,
    MSG_KIND_301 = 301,
    MSG_KIND_305 = 305,
    MSG_KIND_307 = 307,
    MSG_KIND_315 = 315,
    MSG_KIND_323 = 323 /* declaratie: claims (struct msg.claims), no products */
};

/* One validation finding. `element` is the local name of the element concerned ("" if none). */
struct msg_issue {
    uint32_t line;
    char element[64];
    char reason[240]; /* English text from the validator, or our own Dutch msgid */
};

struct msg_client {
    char bsn[10];      /* 9 digits as in the message (not checked here) */
    day_t birth_date;  /* Geboortedatum/Datum; DAY_NONE if absent */
    char gender;       /* COD046: '0' onbekend, '1' man, '2' vrouw */
    char postcode4[5]; /* first 4 digits of the first Adres/Postcode under the client's own
                          Contactgegevens (301 only; not the Relaties'); "" if none or if that
                          address has a LandCode other than NL */
};

/* One product line of a 301 (ToegewezenProduct), 305 (StartProduct), 307 (StopProduct) or 315
 * (AangevraagdProduct). Fields a kind does not carry are DAY_NONE / -1 / "". */
struct msg_product {
    uint32_t line;         /* line of the product element, for reports */
    int64_t assignment_nr; /* ToewijzingNummer, -1 if absent */
    char category[3];      /* Product/Categorie (JZ020 / WMO020) */
    char product_code[6];  /* Product/Code, "" if absent */
    char reference[64];    /* ReferentieAanbieder (301, 315), "" if absent */
    day_t date_assigned;   /* 301 Toewijzingsdatum */
    day_t valid_from;      /* 301 Ingangsdatum; 305/307/315 ToewijzingIngangsdatum */
    day_t valid_to;        /* 301 Einddatum; 315 ToewijzingEinddatum */
    char change_reason[3]; /* 301 RedenWijziging (JZ002 / WMO002) */
    day_t start;           /* 305/307 Begindatum */
    day_t end;             /* 307 Einddatum */
    char end_reason[3];    /* 307 RedenBeeindiging (JZ588 / WMO588) */
    int status;            /* 305/307 StatusAanlevering (COD467): 1, 2, 3 (9 = n.v.t., the
                              XSD allows it); 0 if absent */
    char referrer[3];      /* 315 Verwijzer/Type (COD327) */
};

/* One claim line (Prestatie) of a JW323/WMO323 declaration with its client's BSN (pseudonymised
 * at once by the caller). Amounts are in cents, as in the message (LDT_Bedrag). */
struct msg_claim {
    uint32_t line;         /* line of the Prestatie element */
    char bsn[10];          /* Client/Bsn of the enclosing client */
    char reference[32];    /* ProductReferentie/ReferentieNummer */
    int64_t assignment_nr; /* ToewijzingNummer, -1 if absent */
    char category[3];      /* ProductCategorie */
    char product_code[6];  /* ProductCode, "" if absent */
    day_t period_from;     /* ProductPeriode/Begindatum */
    day_t period_to;       /* ProductPeriode/Einddatum */
    int64_t volume;        /* GeleverdVolume, -1 if absent */
    char unit[3];          /* Eenheid (WJ756) */
    int64_t tariff_cents;  /* ProductTarief, -1 if absent */
    int64_t amount_cents;  /* IngediendBedrag/Bedrag, 0..99999999 */
    bool credit;           /* IngediendBedrag/DebetCredit = C */
};

/* The declaration of a 323 (zeroed for other kinds). */
struct msg_declaration {
    char number[16];   /* DeclaratieNummer (max 12) */
    day_t period_from; /* DeclaratiePeriode */
    day_t period_to;
    day_t date;          /* DeclaratieDagtekening */
    int64_t total_cents; /* TotaalIngediendBedrag/TotaalBedrag */
    bool total_credit;   /* its DebetCredit = C */
};

struct msg {
    enum msg_outcome outcome;
    enum law law; /* LAW_JW or LAW_WMO (0 when unsupported) */
    enum msg_kind kind;
    char name[8];      /* "JW307", "WMO301", ... ("" when unknown) */
    char release[8];   /* "3.2" */
    int bericht_code;  /* Header/BerichtCode (440 for JW307) */
    char sender[9];    /* Header/Afzender: CBS gemeente code (4) or AGB (8) */
    char receiver[9];  /* Header/Ontvanger */
    char ident[32];    /* Header/BerichtIdentificatie/Identificatie */
    day_t dagtekening; /* Header/BerichtIdentificatie/Dagtekening */
    char gemeente[5];  /* the gemeente side of the exchange (sender of 301, receiver else) */
    char agb[9];       /* the aanbieder side */
    struct msg_client client;
    struct msg_product *products; /* arena */
    int nproducts;
    struct msg_issue *issues; /* arena; for MSG_INVALID and MSG_UNSUPPORTED */
    int nissues;
    /* MSG_KIND_323 only: the declaration and its lines (arena). The sum of the lines (debit
     * minus credit) must equal the declared total, else the message is MSG_INVALID. */
    struct msg_declaration decl;
    struct msg_claim *claims;
    int nclaims;
};

struct msg_schemas;

/**
 * Compiles the shipped XSDs of every supported release once (iJw 3.2 and iWmo 3.2, message and
 * basisschema), loading imports from the embedded resources only. Thread-safe and idempotent;
 * the result lives until msg_schemas_free. 0 or ERR_INTERNAL with the reason in e.
 */
int msg_schemas_load(struct msg_schemas **out, struct err_ctx *e);
void msg_schemas_free(struct msg_schemas *s);

/**
 * Reads one message from memory. Always fills out->outcome; returns 0 for every outcome
 * (even MSG_INVALID: that is a finding about the input, not a failure), ERR_TOO_BIG above
 * MSG_MAX_BYTES, ERR_NOMEM when the arena is full. May be called from several threads at once
 * with the same schemas. `name` is used in log lines only.
 */
int msg_read(const struct msg_schemas *s, const char *name, const void *data, size_t n,
             struct arena *a, struct msg *out);

#endif
