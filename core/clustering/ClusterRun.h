/**
 * \file ClusterRun.h
 * One Task Force clustering run as the panel, the CLI and the briefing see it: the input (a
 * project point layer, an SQL filter, a date range), the method with its parameters, and the
 * result as clusters (member rows, polygon, card), grid cells (Gi*, persistence) and near-repeat
 * chains. Every method yields clusters: DBSCAN / ST-DBSCAN clusters, NNH clusters of every order,
 * near-repeat chains with enough events, and contiguous groups of hot Gi* cells or of cells of
 * one persistence class.
 *
 * runClusterAnalysis() reads the points, runs the engine, draws the polygons and computes the
 * cards; ClusterStore.h saves, lists, reopens and deletes runs in the project file.
 */
#pragma once

#include "clustering/ClusterCard.h"
#include "clustering/Dbscan.h"
#include "clustering/GetisOrd.h"
#include "clustering/NearRepeat.h"
#include "clustering/NearestNeighbourHierarchical.h"
#include "clustering/Persistence.h"
#include "statdesk_core_export.h"

#include <QDate>
#include <QJsonObject>
#include <QString>

#include <qgsgeometry.h>
#include <qgspointxy.h>

class QgsFeedback;

namespace statdesk
{
class ProjectFile;
}

namespace statdesk::clustering
{

enum class ClusterMethod
{
  Dbscan,
  StDbscan,
  Nnh,
  Knox,
  GiStar,
  Persistence,
};

//! "dbscan", "stdbscan", "nnh", "knox", "gistar", "persistence" (the CLI's --method values).
STATDESK_CORE_EXPORT QString clusterMethodName( ClusterMethod method );
//! "DBSCAN", "Space-time DBSCAN", "Nearest-neighbour hierarchical (NNH)" ... for people.
STATDESK_CORE_EXPORT QString clusterMethodTitle( ClusterMethod method );
STATDESK_CORE_EXPORT bool parseClusterMethod( const QString &text, ClusterMethod *method );
//! ST-DBSCAN, Knox and persistence need a time per event.
STATDESK_CORE_EXPORT bool clusterMethodNeedsTime( ClusterMethod method );

//! The polygon drawn around a cluster's incidents.
enum class ClusterShape
{
  BufferedHull, //!< convex hull buffered by ClusterRunSpec::bufferDistance()
  Ellipse,      //!< standard deviational ellipse (clusters of up to two incidents get the buffered hull)
};

//! Everything that defines a run; stored with it as JSON.
struct STATDESK_CORE_EXPORT ClusterRunSpec
{
  ClusterMethod method = ClusterMethod::Dbscan;
  QString layer = QStringLiteral( "incidents" );
  QString filter = QStringLiteral( "violent = 1" ); //!< SQL on the layer's columns; empty: every row
  QDate from;                                       //!< inclusive local dates on the time column; null: open
  QDate to;
  QString timeColumn;      //!< empty: defaultTimeColumn( layer )
  DbscanParameters dbscan; //!< DBSCAN and ST-DBSCAN (epsSeconds is used by ST-DBSCAN only)
  NnhParameters nnh;       //!< studyArea <= 0 and no fixed distance: the project's city boundary
  KnoxParameters knox;
  GiStarParameters giStar;
  PersistenceParameters persistence;
  ClusterShape shape = ClusterShape::BufferedHull;
  double buffer = -1;               //!< hull buffer; < 0: the method's linking distance (eps, NNH threshold, chain distance), 0 for grid methods
  double environmentDistance = 150; //!< cards count blight, vacant and dangerous property this close to the polygon
  int minimumBin = 2;               //!< Gi*: cells with a bin >= this (2 = 95% hot) form clusters
  int minimumChainEvents = 3;       //!< Knox: chains with at least this many events are clusters

  QString effectiveTimeColumn() const;
  //! The SQL condition on the layer: the filter and the date range.
  QString whereClause() const;
  //! One line for lists and pages: "DBSCAN eps 120, min 5 · violent = 1 · 2025-01-01 – 2025-12-31".
  QString describe() const;
  //! The seed of the random methods (Knox, NNH Monte Carlo), 0 for the others.
  quint64 seed() const;
  QJsonObject toJson() const;
  static bool fromJson( const QJsonObject &json, ClusterRunSpec *spec, QString *error );
};

//! One cluster of a run.
struct STATDESK_CORE_EXPORT ClusterRecord
{
  int id = 0;               //!< 0-based, in the engine's deterministic order
  QString label;            //!< "C1" ... ("O2-C1" for a second-order NNH cluster)
  int order = 1;            //!< NNH order, 1 for the other methods
  std::vector<qint64> fids; //!< member rows of the input layer, ascending
  QgsGeometry polygon;
  QgsPointXY centre; //!< mean of the members
  double area = 0;
  QString detail; //!< what the method says about it ("ellipse 120 x 45 m", "max z 4.1", "persistent", "14 days")
  bool hasCard = false;
  ClusterCard card;
};

//! A grid cell of a Gi* or persistence run (cells with events or with a result only).
struct STATDESK_CORE_EXPORT ClusterCell
{
  qint64 cell = 0;
  int column = 0;
  int row = 0;
  double count = 0;
  double z = 0; //!< Gi* only
  double p = 1;
  int bin = 0;
  PersistenceClass persistence = PersistenceClass::None; //!< persistence only
  int hotPeriods = 0;
  int hotEarlier = 0;
  int hotRecent = 0;
};

//! A near-repeat chain drawn as a line through its events in time order.
struct STATDESK_CORE_EXPORT ClusterChain
{
  int id = 0;
  int events = 0;
  QgsGeometry line;
  double firstSeconds = 0;
  double lastSeconds = 0;
};

//! A run's result. A plain value: the task that computes it hands it to the GUI thread.
struct STATDESK_CORE_EXPORT ClusterAnalysis
{
  bool ok = false;
  bool canceled = false;
  QString errorString;
  qint64 runId = -1; //!< cluster_runs.fid once saved
  QString name;
  QString createdAt;
  ClusterRunSpec spec;
  QJsonObject summary; //!< the engine's summary (Knox tables, NNH thresholds, Gi* bins ...)
  qint64 inputPoints = 0;
  qint64 skippedRows = 0; //!< located rows without a usable time (time methods)
  double bufferUsed = 0;
  double readSeconds = 0;     //!< reading the points
  double analysisSeconds = 0; //!< engine and polygons
  double cardSeconds = 0;     //!< every cluster's card
  //! The environment points the cards were counted from (null for a reopened run until a card needs it).
  std::shared_ptr<const ClusterEnvironment> environment;
  std::vector<ClusterRecord> clusters;
  GridSpec grid; //!< Gi* / persistence
  std::vector<ClusterCell> cells;
  std::vector<ClusterChain> chains;

  const ClusterRecord *cluster( int id ) const;
  //! Summary plus clusters (label, incidents, card) for --json and tests.
  QJsonObject toJson() const;
};

/**
 * Runs the method of \a spec on \a points (ids: fids of spec.layer) and describes the clusters:
 * members, polygons, detail; no cards (they need the project). \a studyArea is the NNH study
 * area polygon (may be null when spec.nnh has a study area or a fixed distance).
 */
STATDESK_CORE_EXPORT ClusterAnalysis analyseClusters( const ClusterPoints &points, const ClusterRunSpec &spec, const QgsGeometry &studyArea,
                                                      QgsFeedback *feedback = nullptr );

/**
 * Reads the points of spec.layer through spec.whereClause(), runs analyseClusters() and computes
 * every cluster's card (persistence from this run when it is a persistence run, else from the
 * latest saved persistence run of the same layer). Synchronous; \a feedback gets progress and is
 * polled for cancel (canceled = true). Nothing is written.
 */
STATDESK_CORE_EXPORT ClusterAnalysis runClusterAnalysis( ProjectFile &project, const ClusterRunSpec &spec, QgsFeedback *feedback = nullptr );

//! The persistence classes of a persistence run's cells (invalid for other methods).
STATDESK_CORE_EXPORT PersistenceLookup persistenceLookup( const ClusterAnalysis &analysis );

//! Card options of \a spec in \a project (time zone, distance, layer), without persistence.
STATDESK_CORE_EXPORT ClusterCardOptions cardOptions( ProjectFile &project, const ClusterRunSpec &spec );

} // namespace statdesk::clustering
