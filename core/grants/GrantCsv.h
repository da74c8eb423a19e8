/**
 * \file GrantCsv.h
 * Small RFC 4180 reader/writer for grant spreadsheets (a few hundred rows, read whole).
 */
#pragma once

#include "statdesk_core_export.h"

#include <QByteArray>
#include <QStringList>
#include <QVector>

namespace statdesk::grants
{

struct CsvRecord
{
  qint64 line = 0; //!< physical line where the record starts (1-based)
  QStringList fields;
};

/**
 * Parses \a data (UTF-8, or Latin-1 when not valid UTF-8; BOM skipped; comma, semicolon or tab
 * detected from the header line; quoted fields with delimiters, quotes and newlines).
 * A quote left open at the end sets \a error.
 */
STATDESK_CORE_EXPORT QVector<CsvRecord> parseCsv( const QByteArray &data, QString *error );

//! One CSV line (quoted where needed) with CRLF.
STATDESK_CORE_EXPORT QByteArray csvLine( const QStringList &fields );

} // namespace statdesk::grants
