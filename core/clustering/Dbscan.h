/**
 * \file Dbscan.h
 * DBSCAN and space-time DBSCAN with the semantics of scikit-learn's DBSCAN and QGIS's
 * native:dbscanclustering / native:stdbscanclustering.
 */
#pragma once

#include "clustering/ClusterPoints.h"
#include "statdesk_core_export.h"

#include <QJsonObject>

class QgsFeedback;

namespace statdesk::clustering
{

//! Parameters of a DBSCAN or ST-DBSCAN run.
struct STATDESK_CORE_EXPORT DbscanParameters
{
  double eps = 50;        //!< neighbourhood radius in layer units, inclusive (dist <= eps)
  int minPoints = 5;      //!< neighbours needed to be core, the point itself included
  double epsSeconds = -1; //!< > = 0: space-time DBSCAN, neighbours also need |dt| <= epsSeconds
  bool spaceTime() const { return epsSeconds >= 0; }
  QJsonObject toJson() const;
};

/**
 * Result of DBSCAN: a 0-based cluster label per input point (-1 = noise) and the core flags.
 *
 * Numbering is deterministic: clusters are numbered in the order of their lowest-index core
 * point, and a border point reachable from several clusters goes to the lowest-numbered one.
 * This is exactly what scikit-learn and QGIS (cluster id = label + 1) produce, because both
 * expand clusters in input order and a border point stays with the first cluster reaching it.
 */
struct STATDESK_CORE_EXPORT DbscanResult
{
  bool ok = false;
  bool canceled = false;
  QString errorString;
  DbscanParameters parameters;
  std::vector<int32_t> labels; //!< per input point; -1 noise
  std::vector<uint8_t> isCore; //!< per input point; 1 core
  int clusterCount = 0;
  std::vector<int> clusterSizes; //!< per cluster, core + border members
  std::size_t noiseCount = 0;
  double seconds = 0; //!< engine wall time

  //! Summary (parameters, counts, sizes); labels are not included, use the labels file for those.
  QJsonObject toJson() const;
};

/**
 * Runs DBSCAN (ST-DBSCAN when parameters.spaceTime() and points have times).
 *
 * Grid-bucketed: spatial DBSCAN uses cells of side eps/sqrt(2), so a cell with minPoints
 * points makes them all core and the core points of one cell are always connected; only
 * neighbouring cells need distance checks. ST-DBSCAN uses cells of side eps with the points of
 * a cell sorted by time, so the time window is a binary search.
 *
 * \a feedback (may be null) receives progress and is polled for cancel; a canceled run returns
 * ok = false, canceled = true. Thread-safe for distinct inputs.
 */
STATDESK_CORE_EXPORT DbscanResult runDbscan( const ClusterPoints &points, const DbscanParameters &parameters, QgsFeedback *feedback = nullptr );

} // namespace statdesk::clustering
