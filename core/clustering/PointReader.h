/**
 * \file PointReader.h
 * Loading event points for the clustering engines from a project layer or a plain CSV file.
 */
#pragma once

#include "clustering/ClusterPoints.h"
#include "statdesk_core_export.h"

#include <QString>

#include <qgsgeometry.h>

namespace statdesk
{
class SqliteDatabase;
}

namespace statdesk::clustering
{

/**
 * Parses a time value: numeric seconds ("1496041200", "12.5") or an ISO 8601 date or
 * date-time, with or without a UTC offset ("2017-05-28T02:00:00-05:00"). Date-times without an
 * offset are taken as UTC so that differences are not distorted by daylight saving.
 * Returns false when \a text is neither.
 */
STATDESK_CORE_EXPORT bool parseTimeSeconds( const QString &text, double &seconds );

//! A CSV file with coordinate columns and an optional time column (names as in the header).
struct STATDESK_CORE_EXPORT CsvPointSource
{
  QString path;
  QString xColumn;
  QString yColumn;
  QString timeColumn; //!< empty: no time
};

/**
 * Reads every data row of a CSV file (comma-separated, RFC 4180 quoting, UTF-8, header line
 * first). Point ids are 1-based data row numbers. A row with a missing or non-numeric
 * coordinate or an unreadable time is an error naming the line: the CLI refuses the file rather
 * than silently dropping events, which would change the clusters.
 */
STATDESK_CORE_EXPORT bool readCsvPoints( const CsvPointSource &source, ClusterPoints &points, QString *error );

//! Points of a project layer: a table with `fid` and GeoPackage point blobs in `geom`.
struct STATDESK_CORE_EXPORT LayerPointSource
{
  QString layer;
  QString filter;     //!< SQL WHERE expression on the layer's columns, e.g. "violent = 1"
  QString timeColumn; //!< empty: no time
};

/**
 * Reads the located rows of a project layer (rows with a NULL or empty geometry are
 * non-spatial records and are skipped; rows with a NULL time are skipped when a time column is
 * asked for, and counted in \a skipped). Point ids are fids. Decodes point WKB directly from
 * the blob (no OGR) so a million rows read in about a second.
 */
STATDESK_CORE_EXPORT bool readLayerPoints( SqliteDatabase &db, const LayerPointSource &source, ClusterPoints &points,
                                           QString *error, std::size_t *skipped = nullptr );

/**
 * The date or date-time column of a project point layer: occurred_at (incidents), created_at
 * (311 requests), listed_at (vacant parcels), case_opened (dangerous buildings); empty for others.
 */
STATDESK_CORE_EXPORT QString defaultTimeColumn( const QString &layer );

/**
 * The union of the project's city boundary polygons (boundaries of kind 'city'), the study
 * area of NNH; a null geometry when the project has none.
 */
STATDESK_CORE_EXPORT QgsGeometry readCityBoundary( SqliteDatabase &db );

} // namespace statdesk::clustering
