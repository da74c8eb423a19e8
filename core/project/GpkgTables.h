/**
 * \file GpkgTables.h
 * Registering tables that engines create later in a project (grant sites, clustering results)
 * as proper GeoPackage contents: attribute tables in gpkg_contents, feature tables also in
 * gpkg_geometry_columns with the R*Tree spatial index and the triggers GDAL would create, so
 * they open in vanilla QGIS and GDAL like the layers made at project creation.
 *
 * Every function works inside the caller's transaction (so a table and its first rows appear
 * together or not at all). The SqliteDatabase must be a StatDesk connection: its GeoPackage
 * SQL functions (ST_MinX ...) keep the R*Tree filled.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

namespace statdesk
{
class SqliteDatabase;

namespace gpkg
{

//! Adds \a table (already created) to gpkg_contents as 'attributes'; a no-op when it is there.
STATDESK_CORE_EXPORT bool registerAttributesTable( SqliteDatabase &db, const QString &table, const QString &description, QString *error );

/**
 * Adds \a table (already created, with an INTEGER PRIMARY KEY "fid" and a BLOB column "geom")
 * to gpkg_contents as 'features', to gpkg_geometry_columns with \a geometryType ("POINT",
 * "LINESTRING", "MULTIPOLYGON", "GEOMETRY" ...) in \a srsId, and creates its R*Tree index with
 * GDAL's triggers and the gpkg_extensions row.
 */
STATDESK_CORE_EXPORT bool registerFeatureTable( SqliteDatabase &db, const QString &table, const QString &geometryType, int srsId,
                                                const QString &description, QString *error );

} // namespace gpkg
} // namespace statdesk
