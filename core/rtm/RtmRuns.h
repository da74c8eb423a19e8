/**
 * \file RtmRuns.h
 * rtm: saved Risk Terrain Modeling runs as a user works with them after saveRtmRun(): the list,
 * a run read back into the same RtmResult a fresh run gives (model table, classes, validation,
 * narrative, grid with its RRS, counts and design matrix, so the exports work on it), deleting a
 * run, comparing two runs side by side, and the parameters a new analyst starts from.
 *
 * Each saved run lives in the project as one row of rtm_runs plus three map tables named by its
 * id: rtm_rrs_<id> (Float32 gridded coverage), rtm_high_risk_<id> and rtm_priority_<id>
 * (MultiPolygon feature tables), so the project stays one GeoPackage that opens in vanilla QGIS.
 *
 * Functions take the connection they read from; none keeps state. Use a connection from one
 * thread at a time.
 */
#pragma once

#include "rtm/RtmEngine.h"
#include "statdesk_core_export.h"

#include <QList>
#include <QString>

namespace statdesk
{
class ProjectFile;
class SqliteDatabase;
} // namespace statdesk

namespace statdesk::rtm
{

//! Table of the saved runs (attributes table in the GeoPackage).
inline const QString kRtmRunsTable = QStringLiteral( "rtm_runs" );

//! Map tables of run \a runId.
STATDESK_CORE_EXPORT QString rtmRasterTable( qint64 runId );
STATDESK_CORE_EXPORT QString rtmHighRiskTable( qint64 runId );
STATDESK_CORE_EXPORT QString rtmPriorityTable( qint64 runId );

//! One line of the saved-runs list.
struct STATDESK_CORE_EXPORT RtmRunInfo
{
  qint64 id = -1;
  QString name;
  QString createdAt; //!< local time with offset
  QString family;    //!< "poisson", "nb1", "nb2"
  double bic = 0;
  QStringList selected; //!< factors in the final model, by RRV
  int highRiskPlaces = 0;
  int priorityPlaces = 0;
  bool hasMapTables = false; //!< the raster and places tables are in the project
};

//! Saved runs, newest first; empty when the project has none.
STATDESK_CORE_EXPORT QList<RtmRunInfo> listRtmRuns( SqliteDatabase &db );

//! A saved run read back.
struct STATDESK_CORE_EXPORT RtmSavedRun
{
  RtmRunInfo info;
  RtmParameters parameters;
  /**
   * The result as runRtm returned it, minus what is not stored: timings, the hot-spot density
   * and the per-cell class flags. grid, rrs, counts and design are empty for a run saved by
   * a StatDesk that did not store them (hasCells() is then false).
   */
  RtmResult result;
  QString crsAuthid;
  QString distanceUnit; //!< "m" or "ft"
  bool hasCells() const { return result.grid.cellsInArea() > 0; }
};

//! Reads run \a id; false with a message when it is missing or damaged.
STATDESK_CORE_EXPORT bool loadRtmRun( SqliteDatabase &db, qint64 id, RtmSavedRun *run, QString *error );

//! Deletes run \a id with its map tables in one transaction (remove its map layers first).
STATDESK_CORE_EXPORT bool deleteRtmRun( ProjectFile &project, qint64 id, QString *error );

//! One row of a side-by-side comparison.
struct STATDESK_CORE_EXPORT RtmComparisonRow
{
  QString section; //!< "Parameters", "Model", "Factors", "Places", "Validation"
  QString label;
  QString a, b;
  bool differs() const { return a != b; }
};

/**
 * Compares two saved runs: parameters (outcome, windows, study area, block and cell, seed),
 * the model (family and both BICs, intercept, dispersion, candidates), each factor of either
 * run with its selected variable and RRV, risk classes and places, and the validation of RTM,
 * KDE and prior counts at 1, 5 and 10% of the area.
 */
STATDESK_CORE_EXPORT QList<RtmComparisonRow> compareRtmRuns( const RtmSavedRun &a, const RtmSavedRun &b );

/**
 * The parameters a new analyst can run as they are. A demo project: its recorded truth
 * (rtmParametersFromDemoTruth, the factor layers the CLI uses). Otherwise from the project's
 * layers: violent offenses, the city boundary (or the union of neighborhoods), one factor per
 * 311 blight class with located requests, vacant parcels and dangerous buildings (both
 * operationalisations, 3 blocks, whole blocks), a block of 120 m or 400 ft, and the last year of
 * offenses as the validation window after the years before it. \a note says where they came from.
 */
STATDESK_CORE_EXPORT bool defaultRtmParameters( ProjectFile &project, RtmParameters *parameters, QString *note, QString *error );

//! Display label of a family ("Poisson", "NB1 (RTMDx-compatible)", "NB2").
STATDESK_CORE_EXPORT QString countFamilyTitle( CountFamily family );
//! Inverse of countFamilyName(); false for an unknown name.
STATDESK_CORE_EXPORT bool parseCountFamily( const QString &name, CountFamily *family );

} // namespace statdesk::rtm
