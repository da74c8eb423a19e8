/**
 * \file Schema.h
 * The tables of a StatDesk project file (a GeoPackage) and the schema version they form.
 *
 * Owns: table names, their columns, indexes and the migration steps between schema
 * versions. Everything else refers to tables through these names.
 *
 * Conventions of the stored data:
 * - date-times are ISO 8601 text in the project's local time with an explicit UTC offset
 *   ("2017-05-28T02:00:00-05:00"), so a prefix comparison on the local date works
 *   ("occurred_at >= '2024-01-01'"); the project's IANA time zone is in the metadata;
 * - money is INTEGER cents;
 * - flags are INTEGER 0/1;
 * - tables whose name starts with "restricted_" hold person-level data. They are plain
 *   SQLite tables, not registered as GeoPackage layers, and never become map layers or
 *   part of an export.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace statdesk::schema
{

//! Schema version this build writes. A file with a higher version is refused.
inline constexpr int kVersion = 1;

// Layers (registered in gpkg_contents).
inline const QString kIncidents = QStringLiteral( "incidents" );                 //!< one row per offense (Report_No, IBRS)
inline const QString kServiceRequests = QStringLiteral( "service_requests" );    //!< 311 requests
inline const QString kVacantParcels = QStringLiteral( "vacant_parcels" );        //!< vacant lots / structures / Land Bank
inline const QString kDangerousBuildings = QStringLiteral( "dangerous_buildings" );
inline const QString kNeighborhoods = QStringLiteral( "neighborhoods" );
inline const QString kBoundaries = QStringLiteral( "boundaries" );               //!< city limits, council districts ...
// Attribute tables (registered as 'attributes').
inline const QString kMetadata = QStringLiteral( "statdesk_metadata" );          //!< key / value
inline const QString kBlightMapping = QStringLiteral( "blight_mapping" );        //!< 311 request type -> blight class
inline const QString kImportLog = QStringLiteral( "import_log" );
inline const QString kImportRejects = QStringLiteral( "import_rejects" );
// Restricted, person-level (plain SQLite tables).
inline const QString kPersonInvolvements = QStringLiteral( "restricted_person_involvements" );

// Result tables that engines create with their first saved run (not at project creation).
inline const QString kClusterRuns = QStringLiteral( "cluster_runs" );           //!< clustering runs (attributes)
inline const QString kClusterPolygons = QStringLiteral( "cluster_polygons" );   //!< clusters with their cards
inline const QString kClusterMembers = QStringLiteral( "cluster_members" );     //!< (run, cluster, member fid)
inline const QString kClusterCells = QStringLiteral( "cluster_cells" );         //!< Gi* / persistence grid cells
inline const QString kClusterChains = QStringLiteral( "cluster_chains" );       //!< near-repeat chain lines
//! Result layers a stored map may show; ProjectLayers re-points them when the file moves.
inline const QStringList kResultLayerTables { kClusterPolygons, kClusterCells, kClusterChains };

// Metadata keys.
inline const QString kMetaSchemaVersion = QStringLiteral( "schema_version" );
inline const QString kMetaAppVersion = QStringLiteral( "app_version" );        //!< version that last wrote the file
inline const QString kMetaCreatedBy = QStringLiteral( "created_by_version" );
inline const QString kMetaCityName = QStringLiteral( "city_name" );
inline const QString kMetaCrs = QStringLiteral( "crs" );                       //!< authid, e.g. EPSG:26915
inline const QString kMetaTimeZone = QStringLiteral( "time_zone" );            //!< IANA id, e.g. America/Chicago
inline const QString kMetaCreatedAt = QStringLiteral( "created_at" );
inline const QString kMetaDemoTruth = QStringLiteral( "demo_truth" );          //!< JSON, demo projects only
inline const QString kMetaDemoSeed = QStringLiteral( "demo_seed" );
inline const QString kMetaGrantNeighborhoods = QStringLiteral( "grant_neighborhoods" );

//! Name under which the QGIS project is stored inside the GeoPackage (qgis_projects table).
inline const QString kQgisProjectName = QStringLiteral( "statdesk" );

enum class FieldType
{
  Text,
  Integer,
  Real,
};

struct Field
{
    QString name;
    FieldType type = FieldType::Text;
};

enum class TableKind
{
  PointLayer,
  PolygonLayer, //!< MultiPolygon
  Attributes,   //!< registered, no geometry
  Restricted,   //!< plain SQLite table, not registered
};

struct Table
{
    QString name;
    QString title; //!< shown to users
    TableKind kind;
    QVector<Field> fields;
    QStringList indexSql; //!< CREATE INDEX statements, run after creation
};

//! Every table of schema kVersion, in creation order.
STATDESK_CORE_EXPORT const QVector<Table> &tables();
STATDESK_CORE_EXPORT const Table *table( const QString &name );

//! The geometry column name of every layer.
inline const QString kGeometryColumn = QStringLiteral( "geom" );

} // namespace statdesk::schema
