/*
 * i18n.h: interface language per request. Messages are GNU gettext catalogs (po/<lang>.po);
 * the msgids are Dutch, so Dutch is always complete. The language is chosen per thread with
 * uselocale(), because requests of different users run side by side.
 */
#ifndef DUIDING_WEB_I18N_H
#define DUIDING_WEB_I18N_H

#include <stdbool.h>

/** Binds the catalog directory and prepares the locales. Logs a warning when a locale is missing.
 */
void i18n_init(const char *localedir);
/** Switches the calling thread to "nl" or "en" (anything else: "nl"). */
void i18n_use(const char *lang);
/** True if the language code is supported. */
bool i18n_supported(const char *lang);
/**
 * Picks the best supported language from an Accept-Language header value, or NULL if none
 * matches ("en-GB,en;q=0.8,nl;q=0.5" -> "en").
 */
const char *i18n_from_accept_language(const char *header);

#endif
