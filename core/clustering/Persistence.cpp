#include "clustering/Persistence.h"

#include <qgsfeedback.h>

#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace statdesk::clustering
{

QString persistenceClassName( PersistenceClass c )
{
  switch ( c )
  {
    case PersistenceClass::Persistent:
      return QStringLiteral( "persistent" );
    case PersistenceClass::Emerging:
      return QStringLiteral( "emerging" );
    case PersistenceClass::Former:
      return QStringLiteral( "former" );
    case PersistenceClass::Intermittent:
      return QStringLiteral( "intermittent" );
    case PersistenceClass::None:
      break;
  }
  return QStringLiteral( "none" );
}

QJsonObject PersistenceParameters::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "gistar" )] = giStar.toJson();
  o[QStringLiteral( "period_days" )] = periodDays;
  if ( std::isfinite( startSeconds ) )
    o[QStringLiteral( "start_seconds" )] = startSeconds;
  o[QStringLiteral( "recent_periods" )] = recentPeriods;
  o[QStringLiteral( "minimum_bin" )] = minimumBin;
  return o;
}

PersistenceClass classifyPersistence( int hot, int periods, int hotEarlier, int earlierPeriods, int hotRecent, int recentPeriods )
{
  if ( periods <= 0 || hot == 0 )
    return PersistenceClass::None;
  const double all = static_cast<double>( hot ) / periods;
  const double earlier = earlierPeriods > 0 ? static_cast<double>( hotEarlier ) / earlierPeriods : 0.0;
  const double recent = recentPeriods > 0 ? static_cast<double>( hotRecent ) / recentPeriods : 0.0;
  if ( all >= 0.8 )
    return PersistenceClass::Persistent;
  if ( earlier < 0.1 && recent >= 0.2 )
    return PersistenceClass::Emerging;
  if ( earlier >= 0.1 && recent < 0.1 )
    return PersistenceClass::Former;
  if ( all >= 0.1 )
    return PersistenceClass::Intermittent;
  return PersistenceClass::None;
}

QJsonObject PersistenceResult::toJson( bool cells ) const
{
  QJsonObject o;
  o[QStringLiteral( "method" )] = QStringLiteral( "persistence" );
  o[QStringLiteral( "parameters" )] = parameters.toJson();
  o[QStringLiteral( "grid" )] = grid.toJson();
  o[QStringLiteral( "periods" )] = periods;
  o[QStringLiteral( "recent_periods" )] = recentPeriods;
  QJsonObject counts;
  for ( PersistenceClass c : { PersistenceClass::Persistent, PersistenceClass::Emerging, PersistenceClass::Former, PersistenceClass::Intermittent } )
    counts[persistenceClassName( c )] = static_cast<qint64>( std::count( classes.begin(), classes.end(), c ) );
  o[QStringLiteral( "classes" )] = counts;
  if ( cells )
  {
    QJsonArray list;
    for ( std::size_t i = 0; i < classes.size(); ++i )
      if ( classes[i] != PersistenceClass::None )
        list.append( QJsonObject{ { QStringLiteral( "cell" ), static_cast<qint64>( i ) },
                                  { QStringLiteral( "class" ), persistenceClassName( classes[i] ) },
                                  { QStringLiteral( "hot_periods" ), hotPeriods[i] },
                                  { QStringLiteral( "hot_earlier" ), hotEarlier[i] },
                                  { QStringLiteral( "hot_recent" ), hotRecent[i] },
                                  { QStringLiteral( "count" ), totalCounts[i] } } );
    o[QStringLiteral( "cells" )] = list;
  }
  o[QStringLiteral( "seconds" )] = seconds;
  return o;
}

PersistenceResult runPersistence( const ClusterPoints &points, const PersistenceParameters &parameters, QgsFeedback *feedback )
{
  QElapsedTimer timer;
  timer.start();
  PersistenceResult result;
  result.parameters = parameters;
  if ( !points.hasTime() )
  {
    result.errorString = QStringLiteral( "persistence needs a time for every event" );
    return result;
  }
  if ( !( parameters.periodDays > 0 ) )
  {
    result.errorString = QStringLiteral( "the period length must be positive" );
    return result;
  }
  if ( points.size() == 0 )
  {
    result.errorString = QStringLiteral( "no events" );
    return result;
  }
  const double periodSeconds = parameters.periodDays * 86400.0;
  const auto [tMin, tMax] = std::minmax_element( points.t.begin(), points.t.end() );
  const double start = std::isfinite( parameters.startSeconds ) ? parameters.startSeconds : *tMin;
  const double periodsD = std::floor( ( *tMax - start ) / periodSeconds ) + 1;
  if ( periodsD < 2 || periodsD > 10000 )
  {
    result.errorString = QStringLiteral( "the events span %1 periods of %2 days; persistence needs between 2 and 10000" ).arg( periodsD ).arg( parameters.periodDays );
    return result;
  }
  const int periods = static_cast<int>( periodsD );
  result.periods = periods;
  result.recentPeriods = parameters.recentPeriods > 0 ? std::min( parameters.recentPeriods, periods - 1 ) : std::max( 1, periods / 4 );
  const int earlierPeriods = periods - result.recentPeriods;

  // One grid for every period: the whole run's extent unless one is given.
  GiStarParameters gi = parameters.giStar;
  if ( gi.extent.isNull() )
  {
    const auto [minX, maxX] = std::minmax_element( points.x.begin(), points.x.end() );
    const auto [minY, maxY] = std::minmax_element( points.y.begin(), points.y.end() );
    gi.extent = QgsRectangle( *minX, *minY, *maxX, *maxY );
  }
  result.parameters.giStar = gi;

  std::vector<ClusterPoints> byPeriod( periods );
  for ( std::size_t i = 0; i < points.size(); ++i )
  {
    const double k = std::floor( ( points.t[i] - start ) / periodSeconds );
    if ( k < 0 || k >= periods )
      continue; // before the given start
    byPeriod[static_cast<int>( k )].append( points.x[i], points.y[i], points.t[i], points.ids[i] );
  }
  for ( int k = 0; k < periods; ++k )
    result.periodStart.push_back( start + k * periodSeconds );

  for ( int k = 0; k < periods; ++k )
  {
    if ( feedback )
    {
      if ( feedback->isCanceled() )
      {
        result.canceled = true;
        result.errorString = QStringLiteral( "canceled" );
        return result;
      }
      feedback->setProgress( 100.0 * k / periods );
    }
    const GiStarResult r = runGiStar( byPeriod[k], gi );
    if ( !r.ok )
    {
      result.errorString = QStringLiteral( "period %1: %2" ).arg( k + 1 ).arg( r.errorString );
      return result;
    }
    if ( k == 0 )
    {
      result.grid = r.grid;
      const std::size_t cells = r.grid.cellCount();
      result.hotPeriods.assign( cells, 0 );
      result.hotEarlier.assign( cells, 0 );
      result.hotRecent.assign( cells, 0 );
      result.totalCounts.assign( cells, 0 );
    }
    for ( std::size_t c = 0; c < r.bin.size(); ++c )
    {
      result.totalCounts[c] += r.counts[c];
      if ( r.bin[c] >= parameters.minimumBin )
      {
        ++result.hotPeriods[c];
        if ( k < earlierPeriods )
          ++result.hotEarlier[c];
        else
          ++result.hotRecent[c];
      }
    }
  }
  result.classes.resize( result.hotPeriods.size() );
  for ( std::size_t c = 0; c < result.classes.size(); ++c )
    result.classes[c] = classifyPersistence( result.hotPeriods[c], periods, result.hotEarlier[c], earlierPeriods, result.hotRecent[c], result.recentPeriods );
  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  result.seconds = timer.nsecsElapsed() / 1e9;
  return result;
}

} // namespace statdesk::clustering
