/**
 * \file RtmStore.h
 * rtm (internal to saveRtmRun / deleteRtmRun): the map tables of a saved run inside the project
 * GeoPackage: the relative risk score as a Float32 tiled gridded coverage and the high-risk and
 * priority places as MultiPolygon feature tables, one set per run.
 *
 * GDAL writes the tables into a temporary GeoPackage of their own (so the GeoPackage
 * encodings, tile matrices, gridded-coverage ancillary rows and R*Tree are exactly GDAL's),
 * then copyRtmMapTables() copies them into the project on the project's own connection,
 * inside the caller's transaction: there is never a second writer on the project file, and a
 * failure or cancel leaves the project as it was. The temporary file must be ATTACHed as
 * \a schema before that transaction begins (SQLite refuses ATTACH inside a transaction).
 */
#pragma once

#include "rtm/RtmEngine.h"

#include <QString>

namespace statdesk
{
class SqliteDatabase;
}

namespace statdesk::rtm
{

//! Writes the RRS raster and the two places tables of \a result into a new GeoPackage at \a path.
bool writeRtmMapTablesFile( const RtmResult &result, const QString &path, QString *error );

/**
 * Copies the tables written by writeRtmMapTablesFile() from the attached database \a schema
 * into the main database as the tables of run \a runId (rtmRasterTable() ...), registered with
 * the project's \a srsId. Call inside a transaction.
 */
bool copyRtmMapTables( SqliteDatabase &db, const QString &schema, qint64 runId, const QString &runName, int srsId, QString *error );

//! Drops the map tables of run \a runId and their GeoPackage registrations. Call inside a transaction.
bool dropRtmMapTables( SqliteDatabase &db, qint64 runId, QString *error );

} // namespace statdesk::rtm
