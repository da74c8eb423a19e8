/**
 * \file NearRepeat.h
 * Near-repeat analysis: the Knox test with Monte Carlo as the Near Repeat Calculator (NRC) does
 * it, and near-repeat chains.
 */
#pragma once

#include "clustering/ClusterPoints.h"
#include "statdesk_core_export.h"

#include <QJsonObject>
#include <QStringList>

class QgsFeedback;

namespace statdesk::clustering
{

//! Knox test parameters. Distances in layer units, times in days.
struct STATDESK_CORE_EXPORT KnoxParameters
{
  double spatialBandwidth = 100;
  int spatialBands = 5;
  double temporalBandwidthDays = 14;
  int temporalBands = 5;
  int iterations = 999;
  quint64 seed = 1;
  /**
   * false: band k is ((k−1)w, kw] (time band 1 is [0, w]).
   * true: the calculator's banding: band k is [(k−1)w, kw) in distance, and in days on whole
   * calendar-day differences; NRC labels these "(k−1)w+1 to kw".
   */
  bool nrcCompatible = false;
  double chainDistance = 0; //!< <= 0: the first spatial band's upper limit
  double chainDays = 0;     //!< <= 0: the first temporal band's upper limit
  QJsonObject toJson() const;
};

//! A near-repeat chain: events linked within the chain distance and days, transitively.
struct STATDESK_CORE_EXPORT NearRepeatChain
{
  int id = 0;                   //!< 0-based, ordered by the chain's first event index
  std::vector<uint32_t> events; //!< input indices, ascending
  double firstTime = 0;
  double lastTime = 0;
};

/**
 * Knox tables. Rows: 0 = same location (distance 0), 1..spatialBands, then "more than"; columns:
 * 0..temporalBands−1, then "more than". Cell (r, c) is at r·columnCount() + c.
 * expected is the mean count over the permutations; ratio = observed / expected;
 * p = (1 + permutations with count ≥ observed) / (iterations + 1).
 */
struct STATDESK_CORE_EXPORT KnoxResult
{
  bool ok = false;
  bool canceled = false;
  QString errorString;
  KnoxParameters parameters;
  std::size_t events = 0;
  QStringList rowLabels;
  QStringList columnLabels;
  std::vector<qint64> observed;
  std::vector<double> expected;
  std::vector<double> ratio;
  std::vector<double> p;
  QString narrative;
  std::vector<int32_t> chainOf; //!< per event: chain id, -1 when in no chain (single event)
  std::vector<NearRepeatChain> chains;
  double seconds = 0;

  int rowCount() const { return rowLabels.size(); }
  int columnCount() const { return columnLabels.size(); }
  std::size_t cell( int row, int column ) const { return static_cast<std::size_t>( row ) * columnCount() + column; }
  //! Tables (observed, expected, ratio, p), narrative and chain lengths.
  QJsonObject toJson() const;
};

/**
 * Runs the Knox test: pair counts by distance and time band, dates permuted over the fixed
 * locations \a parameters.iterations times with a seeded generator (same seed, same result), and
 * near-repeat chains. Pairs farther than the last spatial band are never enumerated: the
 * "more than" row is the column total (invariant under permutation) minus the banded rows.
 */
STATDESK_CORE_EXPORT KnoxResult runKnox( const ClusterPoints &points, const KnoxParameters &parameters, QgsFeedback *feedback = nullptr );

} // namespace statdesk::clustering
