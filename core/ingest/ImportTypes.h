/**
 * \file ImportTypes.h
 * core/ingest owns bringing a city's files into a project: CSV and OGR readers, the layout
 * plugin interface, value parsing, location checks and the idempotent writers.
 *
 * This header holds the vocabulary shared by all of it: what is imported (ImportKind), the
 * semantic source fields a layout maps columns to, the options of one import and the summary
 * it returns.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace statdesk::ingest
{

//! What a file holds, i.e. which project table it goes to.
enum class ImportKind
{
  Crime,           //!< incidents (+ restricted_person_involvements)
  ServiceRequests, //!< service_requests (311)
  Vacant,          //!< vacant_parcels (vacant lots / structures, Land Bank)
  Dangerous,       //!< dangerous_buildings
  Neighborhoods,   //!< neighborhoods (polygons)
  Boundary,        //!< boundaries (polygons: city limits, council districts ...)
};

//! "crime", "311", "vacant", "dangerous", "neighborhoods", "boundary".
STATDESK_CORE_EXPORT QString kindName( ImportKind kind );
STATDESK_CORE_EXPORT bool kindFromName( const QString &name, ImportKind *kind );
STATDESK_CORE_EXPORT QString targetTable( ImportKind kind );
STATDESK_CORE_EXPORT bool isPolygonKind( ImportKind kind );
STATDESK_CORE_EXPORT QStringList kindNames();
struct ImportOptions;
//! The source name an import records: ImportOptions::sourceName, or the file name (and "|layer").
STATDESK_CORE_EXPORT QString sourceName( const ImportOptions &options );

/**
 * Semantic source fields. A layout (plugin or saved mapping) says which source column holds
 * each of them; the importer turns them into the project's columns (classification, dates in
 * the project's time zone, flags, locations).
 */
namespace field
{
// Shared.
inline const QString Address = QStringLiteral( "address" );
inline const QString Zip = QStringLiteral( "zip" );
inline const QString Neighborhood = QStringLiteral( "neighborhood" );
inline const QString Location = QStringLiteral( "location" ); //!< "(lat, lon)" text, WKT POINT or GeoJSON point
inline const QString Latitude = QStringLiteral( "latitude" );
inline const QString Longitude = QStringLiteral( "longitude" );
inline const QString Status = QStringLiteral( "status" );
// Crime.
inline const QString ReportNo = QStringLiteral( "report_no" );
inline const QString ReportedDate = QStringLiteral( "reported_date" ); //!< date, or date and time
inline const QString ReportedTime = QStringLiteral( "reported_time" );
inline const QString FromDate = QStringLiteral( "from_date" );
inline const QString FromTime = QStringLiteral( "from_time" );
inline const QString Offense = QStringLiteral( "offense" );
inline const QString Ibrs = QStringLiteral( "ibrs" );
inline const QString Description = QStringLiteral( "description" );
inline const QString Beat = QStringLiteral( "beat" );
inline const QString Area = QStringLiteral( "area" );
inline const QString DvFlag = QStringLiteral( "dv_flag" );
inline const QString FirearmFlag = QStringLiteral( "firearm_flag" );
inline const QString InvlNo = QStringLiteral( "invl_no" );
inline const QString Involvement = QStringLiteral( "involvement" );
inline const QString Race = QStringLiteral( "race" );
inline const QString Sex = QStringLiteral( "sex" );
inline const QString Age = QStringLiteral( "age" );
// 311.
inline const QString CaseId = QStringLiteral( "case_id" );
inline const QString RequestType = QStringLiteral( "request_type" );
inline const QString Category = QStringLiteral( "category" );
inline const QString Type = QStringLiteral( "type" );
inline const QString Detail = QStringLiteral( "detail" );
inline const QString CreatedDate = QStringLiteral( "created_date" ); //!< date, or date and time
inline const QString CreatedTime = QStringLiteral( "created_time" );
inline const QString ClosedDate = QStringLiteral( "closed_date" );
inline const QString LastUpdated = QStringLiteral( "last_updated" );
inline const QString CouncilDistrict = QStringLiteral( "council_district" );
// Dangerous buildings.
inline const QString CaseNumber = QStringLiteral( "case_number" );
inline const QString CaseOpened = QStringLiteral( "case_opened" );
// Vacant / Land Bank.
inline const QString ParcelId = QStringLiteral( "parcel_id" );
inline const QString Condition = QStringLiteral( "condition" );
inline const QString ListedAt = QStringLiteral( "listed_at" );
inline const QString ViolationCode = QStringLiteral( "violation_code" );
inline const QString VacantKind = QStringLiteral( "vacant_kind" ); //!< a column holding vacant_lot / vacant_structure / land_bank
} // namespace field

//! Layout options a layout may set (LayoutMatch::options).
namespace option
{
inline const QString System = QStringLiteral( "system" );           //!< 311: "legacy" or "current"
inline const QString VacantKind = QStringLiteral( "vacant_kind" );  //!< fixed kind for every row of a vacant file
inline const QString SourceCrs = QStringLiteral( "source_crs" );    //!< CRS of coordinate columns (default EPSG:4326)
inline const QString DateOrder = QStringLiteral( "date_order" );    //!< "MDY" (default) or "DMY" for d/m/y dates
} // namespace option

//! Semantic field -> source column index.
using FieldMap = QHash<QString, int>;

//! One import, as the CLI and the wizard ask for it.
struct ImportOptions
{
    ImportKind kind = ImportKind::Crime;
    QString filePath;
  //! Vector files with several layers (GeoPackage ...): the layer to read; empty = the first.
  QString layerName;
  //! Name recorded in the log and the rejects; empty = the file name (with the layer name).
  QString sourceName;
    //! A saved column mapping: the name of one stored in the project, or a JSON file. Empty = detect the layout.
    QString mapping;
    //! Boundary imports: the kind of boundary (city, council_district, patrol_division ...); empty = detect.
    QString boundaryKind;
    //! Rows handed from the parser thread to the writer at a time.
    int batchSize = 2048;
    /**
     * A first import into an empty table builds its secondary indexes and its R*Tree once at the
     * end instead of row by row (same result, much faster). false = always row by row.
     */
    bool deferIndexes = true;
};

//! What one import did. Every source row is counted exactly once in imported + updated +
//! unchanged + merged + rejected (for crime, "imported/updated/unchanged" count offenses: the
//! first row of each; later rows of the same offense are "merged").
struct STATDESK_CORE_EXPORT ImportSummary
{
    bool ok = false;
    bool canceled = false;
    QString error;
    QString importId;
    QString kind;
    QString layoutId;
    QString layoutTitle;
    QString provider;
    QString sourceFile;
    qint64 rowsRead = 0;
    qint64 imported = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
    qint64 merged = 0;
    qint64 rejected = 0;
    qint64 withoutLocation = 0; //!< records kept without a geometry (missing, zero, outside ...)
    qint64 personRows = 0;      //!< rows written to the restricted person table
    qint64 latin1Rows = 0;      //!< rows that were not valid UTF-8 and were read as Latin-1
    qint64 repaired = 0;        //!< polygons repaired with makeValid
    QMap<QString, qint64> rejectedByReason;
    QMap<QString, qint64> locationFlags; //!< flag -> records (ok, missing, zero, swapped, outside_extent, transform_failed)
    QStringList notes;
    double seconds = 0;

    QJsonObject toJson() const;
    //! A few lines for people (CLI, wizard summary page).
    QString toText() const;
};

} // namespace statdesk::ingest
