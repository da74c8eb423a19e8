/**
 * \file NearestNeighbourHierarchical.h
 * CrimeStat's nearest-neighbour hierarchical clustering (NNH): first-order clusters are the
 * connected components of the graph linking events within a threshold distance that have at
 * least MinPts members; higher orders cluster the lower order's mean centres the same way.
 */
#pragma once

#include "clustering/ClusterPoints.h"
#include "statdesk_core_export.h"

#include <qgsgeometry.h>
#include <qgspointxy.h>

#include <QJsonObject>

class QgsFeedback;

namespace statdesk::clustering
{

//! NNH parameters. Distances in layer units, the area in squared layer units.
struct STATDESK_CORE_EXPORT NnhParameters
{
  double studyArea = 0;     //!< A (the city boundary's area, not the points' bounding box)
  double pValue = 0.5;      //!< one-tailed p of the threshold: d = d_ran + Φ⁻¹(p)·SE (smaller p, smaller d)
  double fixedDistance = 0; //!< > 0: use this threshold instead of the random-expectation one
  int minPoints = 10;       //!< members needed for a cluster, at every order
  int maxOrder = 5;
  int monteCarloRuns = 0; //!< > 0: first-order clusters found in as many random point sets
  quint64 seed = 1;
  QgsGeometry studyAreaGeometry; //!< where Monte Carlo points are placed (needed when monteCarloRuns > 0)
  QJsonObject toJson() const;
};

//! One NNH cluster with its shapes (computed on the incidents it contains).
struct STATDESK_CORE_EXPORT NnhCluster
{
  int order = 1;
  int id = 0;                      //!< 0-based within its order, ordered by lowest member index
  std::vector<uint32_t> members;   //!< input indices (order 1) or cluster ids of order − 1
  std::vector<uint32_t> incidents; //!< input indices of all incidents below this cluster
  QgsPointXY meanCentre;
  QgsGeometry convexHull;
  QgsGeometry ellipse;     //!< standard deviational ellipse (1 SD, CrimeStat's √2/(n−2) form)
  double ellipseMajor = 0; //!< semi-axes
  double ellipseMinor = 0;
  double ellipseAngle = 0; //!< major axis, degrees clockwise from north
  double hullArea = 0;
  double ellipseArea = 0;
  double density = 0; //!< incidents per squared unit of the ellipse (hull when no ellipse)
};

struct STATDESK_CORE_EXPORT NnhOrderThreshold
{
  int order = 1;
  int inputs = 0;            //!< points (order 1) or lower-order clusters clustered at this order
  double randomDistance = 0; //!< d_ran = 0.5·√(A/N)
  double standardError = 0;  //!< 0.26136 / √(N²/A)
  double threshold = 0;
};

struct STATDESK_CORE_EXPORT NnhResult
{
  bool ok = false;
  bool canceled = false;
  QString errorString;
  NnhParameters parameters;
  std::vector<NnhOrderThreshold> orders;
  std::vector<NnhCluster> clusters;     //!< all orders, order 1 first
  std::vector<int32_t> firstOrderLabel; //!< per input point, -1 when not in a first-order cluster
  std::vector<int> monteCarloClusterCounts;
  double seconds = 0;

  //! Parameters, thresholds and clusters (hulls and ellipses as WKT).
  QJsonObject toJson() const;
};

/**
 * Connected components of the graph linking points within \a distance (inclusive) that have at
 * least \a minMembers members, numbered by their lowest point index; -1 for the others.
 */
STATDESK_CORE_EXPORT std::vector<int32_t> thresholdComponents( const std::vector<double> &x, const std::vector<double> &y, double distance, int minMembers, int *count = nullptr );

/**
 * Fills \a cluster's mean centre, convex hull, standard deviational ellipse (more than two
 * incidents), areas and density from the points listed in cluster.incidents. NNH uses it for its
 * clusters; the other methods' cluster polygons (ClusterRun) reuse it.
 */
STATDESK_CORE_EXPORT void describeCluster( NnhCluster &cluster, const ClusterPoints &points );

//! Runs NNH. Thread-safe for distinct inputs.
STATDESK_CORE_EXPORT NnhResult runNnh( const ClusterPoints &points, const NnhParameters &parameters, QgsFeedback *feedback = nullptr );

} // namespace statdesk::clustering
