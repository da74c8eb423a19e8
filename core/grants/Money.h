/**
 * \file Money.h
 * Exact money for the grants ledger: amounts are integer cents (qint64) from parsing to
 * storage to reports, so a set of disbursements never drifts by a rounding cent.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

namespace statdesk::grants
{

/**
 * Parses a user-typed amount into cents without floating point: "20,000.00", "$20000",
 * "20000.5", " 1 234.56 " (grouping commas/spaces), a leading "-" for corrections. Refuses more
 * than two decimals, misplaced grouping, letters, empty text and amounts above 10^13 cents.
 * Returns false with \a error (a sentence for the user).
 */
STATDESK_CORE_EXPORT bool parseMoney( const QString &text, qint64 *cents, QString *error = nullptr );

//! "$20,000.01", "-$0.50".
STATDESK_CORE_EXPORT QString formatMoney( qint64 cents );

//! "20000.01" (no symbol, no grouping), for CSV and JSON.
STATDESK_CORE_EXPORT QString formatMoneyPlain( qint64 cents );

} // namespace statdesk::grants
