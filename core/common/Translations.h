/**
 * \file Translations.h
 * Loads StatDesk's translations (translations/statdesk_<lang>.ts compiled to .qm) and Qt's own
 * for a locale. Strings without a translation stay in English.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QLocale>
#include <QString>

namespace statdesk
{

/**
 * Installs the translators for \a locale into the running QCoreApplication, looking in
 * <executable>/../share/statdesk/translations and then in the install prefix. Returns the
 * StatDesk .qm file loaded, or an empty string (English: nothing to load, or none found).
 */
STATDESK_CORE_EXPORT QString installTranslations( const QLocale &locale = QLocale() );

} // namespace statdesk
