/**
 * \file ClusterStore.h
 * Clustering runs saved in the project file. A run is one row of cluster_runs (name, method,
 * layer, filter, dates, seed, the full parameters and the engine's summary as JSON, created_at)
 * with its results in GeoPackage feature tables shared by all runs and keyed by run_id:
 * cluster_polygons (MultiPolygon, with the card attributes), cluster_cells (Gi* and persistence
 * grid cells), cluster_chains (near-repeat chain lines), and the attribute table cluster_members
 * (run_id, cluster_id, member_fid). The tables are created with the first saved run, registered
 * in gpkg_contents / gpkg_geometry_columns with R*Tree indexes, so they open in vanilla QGIS.
 *
 * Every write is one transaction: a save that fails or is cancelled leaves the file as it was.
 * Use from one thread at a time per ProjectFile.
 */
#pragma once

#include "clustering/ClusterRun.h"
#include "project/Schema.h"
#include "statdesk_core_export.h"

#include <QString>

#include <vector>

class QgsFeedback;

namespace statdesk
{
class ProjectFile;
class SqliteDatabase;
} // namespace statdesk

namespace statdesk::clustering
{

inline const QString &kClusterRunsTable = schema::kClusterRuns;
inline const QString &kClusterPolygonsTable = schema::kClusterPolygons;
inline const QString &kClusterMembersTable = schema::kClusterMembers;
inline const QString &kClusterCellsTable = schema::kClusterCells;
inline const QString &kClusterChainsTable = schema::kClusterChains;

//! A saved run as listed in the panel and by the CLI.
struct STATDESK_CORE_EXPORT ClusterRunInfo
{
  qint64 id = -1;
  QString name;
  ClusterMethod method = ClusterMethod::Dbscan;
  QString layer;
  QString description; //!< ClusterRunSpec::describe()
  QString createdAt;
  int clusters = 0;
  qint64 inputPoints = 0;
};

/**
 * Saves \a analysis (a successful run) in one transaction and sets its runId, createdAt and
 * (when empty) name. \a feedback may cancel: then nothing is written. Returns the run id, or -1
 * with \a error.
 */
STATDESK_CORE_EXPORT qint64 saveClusterRun( ProjectFile &project, ClusterAnalysis &analysis, QgsFeedback *feedback, QString *error );

//! Saved runs, newest first (none when the project has no clustering tables).
STATDESK_CORE_EXPORT std::vector<ClusterRunInfo> listClusterRuns( SqliteDatabase &db );

//! The newest saved run with at least one cluster, or -1.
STATDESK_CORE_EXPORT qint64 latestClusterRun( SqliteDatabase &db );

/**
 * Reopens a saved run: spec, summary, clusters with members, polygons and their stored cards,
 * cells and chains, as saveClusterRun() got them. False with \a error for an unknown id.
 */
STATDESK_CORE_EXPORT bool loadClusterRun( SqliteDatabase &db, qint64 runId, ClusterAnalysis *analysis, QString *error );

//! Deletes a run and all its result rows in one transaction.
STATDESK_CORE_EXPORT bool deleteClusterRun( ProjectFile &project, qint64 runId, QString *error );

//! The cell classes of the newest saved persistence run of \a layer (invalid when there is none).
STATDESK_CORE_EXPORT PersistenceLookup loadPersistenceLookup( SqliteDatabase &db, const QString &layer );

} // namespace statdesk::clustering
