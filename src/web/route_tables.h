/*
 * route_tables.h: the list of feature route tables, expanded by router.c with an X-macro.
 * A feature adds one line here and defines `const struct route <name>[]` in its own file.
 * (No include guard on purpose: it is included twice with different TABLE definitions.)
 */
TABLE(base_routes)           /* web/page_base.c: home, health, static assets, language */
TABLE(login_routes)          /* web/page_login.c: inloggen, uitloggen */
TABLE(account_routes)        /* web/page_account.c: own password, language, API tokens */
TABLE(org_page_routes)       /* web/page_org.c */
TABLE(user_page_routes)      /* web/page_user.c */
TABLE(result_page_routes)    /* web/page_result.c */
TABLE(audit_page_routes)     /* web/page_audit.c */
TABLE(import_page_routes)    /* web/page_import.c: /gegevens (data intake) */
TABLE(profile_page_routes)   /* web/page_profile.c: /gegevens/profielen (column profiles) */
TABLE(api_base_routes)       /* web/api_base.c: openapi.json, ik, gemeenten */
TABLE(api_org_routes)        /* web/api_org.c */
TABLE(api_user_routes)       /* web/api_user.c */
TABLE(api_result_routes)     /* web/api_result.c */
TABLE(api_audit_routes)      /* web/api_audit.c */
TABLE(api_import_routes)     /* web/api_import.c: /api/v1/aanleveringen */
TABLE(dashboard_page_routes) /* web/page_dashboard.c: /dashboard */
TABLE(indicator_edit_routes) /* web/page_indicator_edit.c: editor, preview, targets;
                               before the pages: /indicatoren/nieuw is not an {id} */
TABLE(indicator_page_routes) /* web/page_indicator.c: /indicatoren (list, detail, JSON) */
TABLE(export_page_routes)    /* web/page_export.c: CSV / XLSX downloads of a view */
TABLE(api_indicator_routes)  /* web/api_indicator.c: /api/v1/indicatoren */
TABLE(answer_page_routes)    /* web/page_answer.c: public answering pages /enquete (no login) */
TABLE(story_page_routes)    /* web/page_story.c: /verhalen (stories, search, anonymisation check) */
TABLE(api_story_routes)     /* web/api_story.c: /api/v1/verhalen */
TABLE(context_page_routes)  /* web/page_context.c: /context (context events) */
TABLE(api_context_routes)   /* web/api_context.c: /api/v1/contextgebeurtenissen */
TABLE(survey_page_routes)   /* web/page_survey.c: /enquetes (questionnaires, builder, preview) */
TABLE(round_page_routes)    /* web/page_round.c: /enquetes/{id}/rondes (rounds, codes, letters) */
TABLE(api_survey_routes)    /* web/api_survey.c: /api/v1/vragenlijsten, /api/v1/uitvragen */
TABLE(survey_result_routes) /* web/page_survey_result.c: /enquetes/{id}/resultaten, open answers */
TABLE(evidence_page_routes) /* web/page_evidence.c: /toetsingen/{id}/bewijsstukken (uploads,
                                downloads); before the review pages */
TABLE(mirror_page_routes)   /* web/page_mirror.c: /aanbieders/{id}/spiegelrapportage(.pdf/.csv);
                                before the provider pages */
TABLE(review_page_routes)   /* web/page_review*.c: /aanbieders, /toetsingen, provider events */
TABLE(api_review_routes) /* web/api_review.c: /api/v1/toetsingen, /api/v1/aanbiedergebeurtenissen */
TABLE(contract_page_routes)  /* web/page_contract.c: /contracten */
TABLE(api_contract_routes)   /* web/api_contract.c: /api/v1/contracten */
TABLE(framework_page_routes) /* web/page_framework.c: /kwaliteitskader */
TABLE(api_framework_routes)  /* web/api_framework.c: /api/v1/kwaliteitskaders */
TABLE(theory_page_routes)    /* web/page_theory.c: /resultaten/{id}/verandertheorie */
TABLE(
    api_theory_routes) /* web/api_theory.c: .../maatschappelijke-resultaten/{id}/verandertheorie */
TABLE(council_page_routes)      /* web/page_council.c: /raadsrapportage */
TABLE(data_pack_page_routes)    /* web/page_data_pack.c: /gesprekken/{id}/datapakket(.pdf);
                                   before the conversation pages */
TABLE(action_page_routes)       /* web/page_action.c: /acties, /gesprekken/{id}/acties/nieuw */
TABLE(conversation_page_routes) /* web/page_conversation*.c: /gesprekken */
TABLE(api_conversation_routes)  /* web/api_conversation.c: /api/v1/gesprekken */
TABLE(api_action_routes)        /* web/api_action.c: /api/v1/acties */
