/**
 * \file FeatureTables.h
 * GeoPackage tables made by StatDesk's own connection, inside the caller's transaction: result
 * layers (clusters, risk places, grant sites, layers brought in from another GeoPackage) that
 * vanilla QGIS and GDAL read like any other layer (gpkg_contents, gpkg_geometry_columns and the
 * R*Tree spatial index with the triggers GDAL itself creates).
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
 * GDAL's triggers and the gpkg_extensions row; \a identifier is the title shown in QGIS (empty = the
 * table name). A no-op when the table is registered already. Inside the caller's transaction; the
 * connection must be a StatDesk one (its ST_MinX ... functions fill the R*Tree).
 */
STATDESK_CORE_EXPORT bool registerFeatureTable( SqliteDatabase &db, const QString &table, const QString &geometryType, int srsId,
                                                const QString &description, QString *error, const QString &identifier = QString() );

} // namespace gpkg

//! How a feature table is declared.
struct FeatureTableSpec
{
    QString name; //!< table name (letters, digits, _)
    QString columnsSql; //!< column definitions after fid and geom, e.g. "label TEXT, n INTEGER"; may be empty
    QString geometryType = QStringLiteral( "GEOMETRY" ); //!< GeoPackage type name: POINT, LINESTRING, MULTIPOLYGON, GEOMETRY ...
    int srsId = 0; //!< gpkg_spatial_ref_sys id of the geometries
    QString identifier; //!< title shown in QGIS; empty = name
    QString description;
};

/**
 * Creates \a spec's table (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom of the geometry type, then the columns),
 * registers it and creates its spatial index. Call inside an open SqliteTransaction; on failure
 * returns false with \a error and the caller rolls back.
 */
STATDESK_CORE_EXPORT bool createFeatureTableInTransaction( SqliteDatabase &db, const FeatureTableSpec &spec, QString *error );

/**
 * Drops a table made by createFeatureTableInTransaction (or by GDAL) with its spatial index and
 * its GeoPackage registrations (contents, geometry columns, extensions, styles stored for it).
 * Inside an open transaction; a missing table is not an error.
 */
STATDESK_CORE_EXPORT bool dropFeatureTableInTransaction( SqliteDatabase &db, const QString &table, QString *error );

//! A name usable as a table name: letters, digits and _ (others become _), not starting with a digit.
STATDESK_CORE_EXPORT QString sanitizedTableName( const QString &text );

} // namespace statdesk
