/**
 * \file Persistence.h
 * Hot-spot persistence over time: Gi* per period on one fixed grid, and per cell the class
 * persistent / emerging / former / intermittent from the share of significant-hot periods
 * (the crime-analysis convention in ../shared/specs/clustering.md).
 */
#pragma once

#include "clustering/GetisOrd.h"
#include "statdesk_core_export.h"

namespace statdesk::clustering
{

enum class PersistenceClass : int8_t
{
  None = 0,
  Persistent,   //!< hot in >= 80% of all periods
  Emerging,     //!< hot in < 10% of the earlier periods and >= 20% of the recent ones
  Former,       //!< hot in >= 10% of the earlier periods and < 10% of the recent ones
  Intermittent, //!< hot in >= 10% of all periods, none of the above
};

STATDESK_CORE_EXPORT QString persistenceClassName( PersistenceClass c );

struct STATDESK_CORE_EXPORT PersistenceParameters
{
  GiStarParameters giStar;                                        //!< grid and band; its extent is fixed over all periods
  double periodDays = 28;                                         //!< 7 weekly, 28, 91 quarterly
  double startSeconds = std::numeric_limits<double>::quiet_NaN(); //!< NaN: the first event's time
  int recentPeriods = 0;                                          //!< <= 0: the last quarter of the periods (at least one)
  int minimumBin = 2;                                             //!< a period is hot for a cell when its Gi* bin >= this (2 = 95%)
  QJsonObject toJson() const;
};

struct STATDESK_CORE_EXPORT PersistenceResult
{
  bool ok = false;
  bool canceled = false;
  QString errorString;
  PersistenceParameters parameters;
  GridSpec grid;
  int periods = 0;
  int recentPeriods = 0;
  std::vector<double> periodStart;       //!< seconds
  std::vector<uint16_t> hotPeriods;      //!< per cell
  std::vector<uint16_t> hotEarlier;      //!< per cell
  std::vector<uint16_t> hotRecent;       //!< per cell
  std::vector<PersistenceClass> classes; //!< per cell
  std::vector<double> totalCounts;       //!< per cell, all periods
  double seconds = 0;

  //! Class counts, parameters and (with \a cells) every classified cell.
  QJsonObject toJson( bool cells = false ) const;
};

//! Classifies a cell from its hot-period counts (exposed for tests).
STATDESK_CORE_EXPORT PersistenceClass classifyPersistence( int hot, int periods, int hotEarlier, int earlierPeriods, int hotRecent, int recentPeriods );

STATDESK_CORE_EXPORT PersistenceResult runPersistence( const ClusterPoints &points, const PersistenceParameters &parameters, QgsFeedback *feedback = nullptr );

} // namespace statdesk::clustering
