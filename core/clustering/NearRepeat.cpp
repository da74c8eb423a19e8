#include "clustering/NearRepeat.h"

#include "clustering/PointGrid.h"

#include <qgsfeedback.h>

#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>

namespace statdesk::clustering
{

using detail::DisjointSets;
using detail::PointGrid;

QJsonObject KnoxParameters::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "spatial_bandwidth" )] = spatialBandwidth;
  o[QStringLiteral( "spatial_bands" )] = spatialBands;
  o[QStringLiteral( "temporal_bandwidth_days" )] = temporalBandwidthDays;
  o[QStringLiteral( "temporal_bands" )] = temporalBands;
  o[QStringLiteral( "iterations" )] = iterations;
  o[QStringLiteral( "seed" )] = QString::number( seed );
  o[QStringLiteral( "nrc_compatible" )] = nrcCompatible;
  o[QStringLiteral( "chain_distance" )] = chainDistance > 0 ? chainDistance : spatialBandwidth;
  o[QStringLiteral( "chain_days" )] = chainDays > 0 ? chainDays : temporalBandwidthDays;
  return o;
}

namespace
{

constexpr double kDay = 86400.0;

//! Band of a value: 0..bands−1, or bands for "more than". The first band starts at 0 inclusive.
inline int bandOf( double v, double width, int bands, bool nrc )
{
  int b;
  if ( nrc )
    b = static_cast<int>( std::floor( v / width ) ); // [kw, (k+1)w)
  else
    b = v <= 0 ? 0 : static_cast<int>( std::ceil( v / width ) ) - 1; // ((k)w, (k+1)w]
  return std::min( b, bands );
}

//! Time gap in days as the chosen banding measures it.
inline double dayGap( double ta, double tb, bool nrc )
{
  if ( nrc )
    return std::abs( std::floor( ta / kDay ) - std::floor( tb / kDay ) );
  return std::abs( ta - tb ) / kDay;
}

//! Unbiased bounded integer in [0, bound) (Lemire), so the permutation does not depend on the
//! standard library's distribution implementation.
inline uint64_t bounded( std::mt19937_64 &rng, uint64_t bound )
{
  unsigned __int128 m = static_cast<unsigned __int128>( rng() ) * bound;
  uint64_t low = static_cast<uint64_t>( m );
  if ( low < bound )
  {
    const uint64_t threshold = -bound % bound;
    while ( low < threshold )
    {
      m = static_cast<unsigned __int128>( rng() ) * bound;
      low = static_cast<uint64_t>( m );
    }
  }
  return static_cast<uint64_t>( m >> 64 );
}

QString number( double v )
{
  return QString::number( v, 'g', 10 );
}

} // namespace

QJsonObject KnoxResult::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "method" )] = QStringLiteral( "knox" );
  o[QStringLiteral( "parameters" )] = parameters.toJson();
  o[QStringLiteral( "events" )] = static_cast<qint64>( events );
  o[QStringLiteral( "rows" )] = QJsonArray::fromStringList( rowLabels );
  o[QStringLiteral( "columns" )] = QJsonArray::fromStringList( columnLabels );
  auto table = [this]( auto value )
  {
    QJsonArray rows;
    for ( int r = 0; r < rowCount(); ++r )
    {
      QJsonArray row;
      for ( int c = 0; c < columnCount(); ++c )
        row.append( value( cell( r, c ) ) );
      rows.append( row );
    }
    return rows;
  };
  o[QStringLiteral( "observed" )] = table( [this]( std::size_t i )
                                           { return QJsonValue( observed[i] ); } );
  o[QStringLiteral( "expected" )] = table( [this]( std::size_t i )
                                           { return QJsonValue( expected[i] ); } );
  o[QStringLiteral( "ratio" )] = table( [this]( std::size_t i )
                                        { return std::isfinite( ratio[i] ) ? QJsonValue( ratio[i] ) : QJsonValue(); } );
  o[QStringLiteral( "p" )] = table( [this]( std::size_t i )
                                    { return QJsonValue( p[i] ); } );
  o[QStringLiteral( "narrative" )] = narrative;
  QJsonObject lengths;
  std::map<int, int> histogram;
  for ( const NearRepeatChain &c : chains )
    ++histogram[static_cast<int>( c.events.size() )];
  for ( const auto &[length, count] : histogram )
    lengths[QString::number( length )] = count;
  o[QStringLiteral( "chains" )] = static_cast<qint64>( chains.size() );
  o[QStringLiteral( "chain_lengths" )] = lengths;
  o[QStringLiteral( "events_in_chains" )] = static_cast<qint64>( std::count_if( chainOf.begin(), chainOf.end(), []( int32_t c )
                                                                                { return c >= 0; } ) );
  o[QStringLiteral( "seconds" )] = seconds;
  return o;
}

KnoxResult runKnox( const ClusterPoints &points, const KnoxParameters &parameters, QgsFeedback *feedback )
{
  QElapsedTimer timer;
  timer.start();
  KnoxResult result;
  result.parameters = parameters;
  const KnoxParameters &k = parameters;
  if ( !points.hasTime() )
  {
    result.errorString = QStringLiteral( "the near-repeat analysis needs a time for every event" );
    return result;
  }
  if ( !( k.spatialBandwidth > 0 ) || !( k.temporalBandwidthDays > 0 ) || k.spatialBands < 1 || k.temporalBands < 1 || k.spatialBands > 100 || k.temporalBands > 100 )
  {
    result.errorString = QStringLiteral( "band widths must be positive and band counts between 1 and 100" );
    return result;
  }
  if ( k.iterations < 1 || k.iterations > 100000 )
  {
    result.errorString = QStringLiteral( "iterations must be between 1 and 100000" );
    return result;
  }
  const std::size_t n = points.size();
  result.events = n;
  if ( n < 2 )
  {
    result.errorString = QStringLiteral( "at least two events are needed" );
    return result;
  }
  const bool nrc = k.nrcCompatible;
  const int rows = k.spatialBands + 2; // same location, bands, more than
  const int cols = k.temporalBands + 1;

  // Labels.
  result.rowLabels << QStringLiteral( "Same location" );
  for ( int b = 0; b < k.spatialBands; ++b )
    result.rowLabels << ( nrc ? QStringLiteral( "%1 to %2" ).arg( number( b * k.spatialBandwidth + 1 ), number( ( b + 1 ) * k.spatialBandwidth ) )
                              : QStringLiteral( "%1 to %2" ).arg( number( b * k.spatialBandwidth ), number( ( b + 1 ) * k.spatialBandwidth ) ) );
  result.rowLabels << QStringLiteral( "More than %1" ).arg( number( k.spatialBands * k.spatialBandwidth ) );
  for ( int b = 0; b < k.temporalBands; ++b )
    result.columnLabels << ( nrc || b == 0 ? QStringLiteral( "%1 to %2 days" ).arg( number( b == 0 ? 0 : b * k.temporalBandwidthDays + 1 ), number( ( b + 1 ) * k.temporalBandwidthDays ) )
                                           : QStringLiteral( "%1 to %2 days" ).arg( number( b * k.temporalBandwidthDays ), number( ( b + 1 ) * k.temporalBandwidthDays ) ) );
  result.columnLabels << QStringLiteral( "More than %1 days" ).arg( number( k.temporalBands * k.temporalBandwidthDays ) );

  // Close pairs (distance within the last band), with their row, enumerated once on a grid.
  const double maxDistance = k.spatialBands * k.spatialBandwidth;
  const double max2 = maxDistance * maxDistance;
  // Pairs are stored as positions in the grid's cell order, and the permuted times are gathered
  // into that order: neighbouring pairs then read neighbouring times.
  std::vector<uint32_t> pairA, pairB;
  std::vector<uint8_t> pairRow;
  std::vector<uint32_t> gridOrder;
  {
    const PointGrid grid( points.x.data(), points.y.data(), n, maxDistance );
    gridOrder.assign( grid.order.begin(), grid.order.end() );
    std::vector<uint32_t> cells;
    for ( std::size_t c = 0; c < grid.cellCount(); ++c )
    {
      if ( feedback && ( c & 0x3ff ) == 0 && feedback->isCanceled() )
      {
        result.canceled = true;
        result.errorString = QStringLiteral( "canceled" );
        return result;
      }
      grid.neighbourCells( c, 1, cells );
      for ( uint32_t a = grid.cellBegin( c ); a < grid.cellEnd( c ); ++a )
        for ( uint32_t nc : cells )
        {
          if ( nc < c )
            continue;
          for ( uint32_t b = nc == c ? a + 1 : grid.cellBegin( nc ); b < grid.cellEnd( nc ); ++b )
          {
            const double dx = grid.xs[a] - grid.xs[b], dy = grid.ys[a] - grid.ys[b];
            const double d2 = dx * dx + dy * dy;
            if ( d2 > max2 && !nrc )
              continue;
            const double d = std::sqrt( d2 );
            int row;
            if ( d == 0 )
              row = 0;
            else
            {
              const int band = bandOf( d, k.spatialBandwidth, k.spatialBands, nrc );
              if ( band >= k.spatialBands )
                continue;
              row = band + 1;
            }
            pairA.push_back( a );
            pairB.push_back( b );
            pairRow.push_back( static_cast<uint8_t>( row ) );
          }
        }
    }
  }
  if ( pairA.size() > 400'000'000 )
  {
    result.errorString = QStringLiteral( "too many close pairs (%1); use narrower bands" ).arg( pairA.size() );
    return result;
  }

  // Column totals over all pairs: invariant under permuting times, counted once on sorted times.
  std::vector<qint64> columnTotal( cols, 0 );
  {
    std::vector<double> sorted = points.t;
    std::sort( sorted.begin(), sorted.end() );
    // within[b]: pairs in time bands 0..b-1, by two pointers with the same band function as the
    // pair loop below (so boundaries agree to the last bit)
    std::vector<qint64> within( k.temporalBands + 1, 0 );
    for ( int b = 1; b <= k.temporalBands; ++b )
    {
      qint64 count = 0;
      std::size_t lo = 0;
      for ( std::size_t i = 0; i < n; ++i )
      {
        while ( lo < i && bandOf( dayGap( sorted[i], sorted[lo], nrc ), k.temporalBandwidthDays, k.temporalBands, nrc ) >= b )
          ++lo;
        count += static_cast<qint64>( i - lo );
      }
      within[b] = count;
    }
    const qint64 total = static_cast<qint64>( n ) * static_cast<qint64>( n - 1 ) / 2;
    for ( int b = 0; b < k.temporalBands; ++b )
      columnTotal[b] = within[b + 1] - within[b];
    columnTotal[k.temporalBands] = total - within[k.temporalBands];
  }

  const std::size_t cells = static_cast<std::size_t>( rows ) * cols;
  // The pair loop runs iterations x pairs times, so the time band of a pair is found by comparing
  // its gap with one threshold per band instead of dividing. The gap is |ta - tb| of the gathered
  // values (seconds; whole days in NRC mode), and the band as bandOf(dayGap()) gives it is a
  // non-decreasing function of that gap: each threshold is the smallest gap (a double, found by
  // bisection over the ordered bit patterns of the non-negative doubles) with at least that band,
  // so the comparisons give exactly what the divisions give.
  auto bandOfGap = [&]( double gap )
  {
    return nrc ? bandOf( gap, k.temporalBandwidthDays, k.temporalBands, true ) : bandOf( gap / kDay, k.temporalBandwidthDays, k.temporalBands, false );
  };
  std::vector<double> threshold( k.temporalBands );
  {
    const double top = ( k.temporalBands + 2 ) * k.temporalBandwidthDays * ( nrc ? 2.0 : 2.0 * kDay ); // band "more than" for sure
    for ( int b = 1; b <= k.temporalBands; ++b )
    {
      uint64_t lo = 0, hi = 0;
      std::memcpy( &hi, &top, sizeof hi );
      while ( lo < hi ) // smallest bit pattern with bandOfGap >= b
      {
        const uint64_t mid = lo + ( hi - lo ) / 2;
        double g;
        std::memcpy( &g, &mid, sizeof g );
        if ( bandOfGap( g ) >= b )
          hi = mid;
        else
          lo = mid + 1;
      }
      std::memcpy( &threshold[b - 1], &lo, sizeof lo );
    }
  }
  //! Table of the pairs for the gathered values \a tg (grid order).
  auto tabulate = [&]( const double *tg, qint64 *table )
  {
    std::fill( table, table + cells, 0 );
    const double *th = threshold.data();
    const int bands = k.temporalBands;
    for ( std::size_t i = 0; i < pairA.size(); ++i )
    {
      const double gap = std::abs( tg[pairA[i]] - tg[pairB[i]] );
      int c = 0;
      for ( int b = 0; b < bands; ++b )
        c += gap >= th[b];
      ++table[static_cast<std::size_t>( pairRow[i] ) * cols + c];
    }
    for ( int c = 0; c < cols; ++c )
    {
      qint64 banded = 0;
      for ( int r = 0; r < rows - 1; ++r )
        banded += table[static_cast<std::size_t>( r ) * cols + c];
      table[static_cast<std::size_t>( rows - 1 ) * cols + c] = columnTotal[c] - banded;
    }
  };
  auto gather = [&]( const std::vector<double> &t, double *tg )
  {
    if ( nrc )
      for ( std::size_t i = 0; i < n; ++i )
        tg[i] = std::floor( t[gridOrder[i]] / kDay ); // NRC counts whole calendar days
    else
      for ( std::size_t i = 0; i < n; ++i )
        tg[i] = t[gridOrder[i]];
  };

  std::vector<double> observedTimes( n );
  gather( points.t, observedTimes.data() );
  result.observed.assign( cells, 0 );
  tabulate( observedTimes.data(), result.observed.data() );

  // Permutations are drawn one after the other from one generator (the same seed gives the same
  // permutations on any machine), in batches whose tables are counted by all cores at once.
  const int threads = std::max( 1, std::min( 8, static_cast<int>( std::thread::hardware_concurrency() ) ) );
  const int batch = threads > 1 ? 16 * threads : 1;
  std::vector<double> batchTimes( static_cast<std::size_t>( batch ) * n );
  std::vector<qint64> batchTables( static_cast<std::size_t>( batch ) * cells );
  std::vector<double> sum( cells, 0.0 );
  std::vector<qint64> atLeast( cells, 0 );
  std::vector<double> permuted = points.t;
  std::mt19937_64 rng( k.seed );
  for ( int first = 0; first < k.iterations; first += batch )
  {
    if ( feedback )
    {
      if ( feedback->isCanceled() )
      {
        result.canceled = true;
        result.errorString = QStringLiteral( "canceled" );
        return result;
      }
      feedback->setProgress( 100.0 * first / k.iterations );
    }
    const int count = std::min( batch, k.iterations - first );
    for ( int b = 0; b < count; ++b )
    {
      // Fisher-Yates on the times of the previous permutation (a uniform permutation either way).
      for ( std::size_t i = n - 1; i > 0; --i )
        std::swap( permuted[i], permuted[bounded( rng, i + 1 )] );
      gather( permuted, batchTimes.data() + static_cast<std::size_t>( b ) * n );
    }
    auto work = [&]( int part )
    {
      for ( int b = part; b < count; b += threads )
        tabulate( batchTimes.data() + static_cast<std::size_t>( b ) * n, batchTables.data() + static_cast<std::size_t>( b ) * cells );
    };
    if ( threads > 1 && count > 1 )
    {
      std::vector<std::thread> pool;
      for ( int part = 1; part < threads; ++part )
        pool.emplace_back( work, part );
      work( 0 );
      for ( std::thread &t : pool )
        t.join();
    }
    else
      work( 0 );
    for ( int b = 0; b < count; ++b )
    {
      const qint64 *table = batchTables.data() + static_cast<std::size_t>( b ) * cells;
      for ( std::size_t c = 0; c < cells; ++c )
      {
        sum[c] += static_cast<double>( table[c] );
        atLeast[c] += table[c] >= result.observed[c];
      }
    }
  }
  result.expected.resize( cells );
  result.ratio.resize( cells );
  result.p.resize( cells );
  for ( std::size_t c = 0; c < cells; ++c )
  {
    result.expected[c] = sum[c] / k.iterations;
    result.ratio[c] = result.expected[c] > 0 ? static_cast<double>( result.observed[c] ) / result.expected[c]
                                             : std::numeric_limits<double>::quiet_NaN();
    result.p[c] = static_cast<double>( 1 + atLeast[c] ) / static_cast<double>( k.iterations + 1 );
  }

  // Narrative on the first spatial band and the first time band (the near-repeat cell).
  {
    const std::size_t c = result.cell( 1, 0 );
    const double r = result.ratio[c];
    const QString distance = number( k.spatialBandwidth );
    const QString days = number( k.temporalBandwidthDays );
    if ( !std::isfinite( r ) )
      result.narrative = QStringLiteral( "No pairs of events were expected within %1 units and %2 days, so no near-repeat statement can be made." ).arg( distance, days );
    else if ( r > 1 && result.p[c] <= 0.05 )
      result.narrative = QStringLiteral( "Within %1 units and %2 days of an incident, the chance of another incident is %3% greater than if there were no space-time pattern (p = %4)." )
                             .arg( distance, days, QString::number( ( r - 1 ) * 100, 'f', 0 ), QString::number( result.p[c], 'g', 3 ) );
    else
      result.narrative = QStringLiteral( "Within %1 units and %2 days of an incident, events are %3 than expected (ratio %4, p = %5): no significant near-repeat pattern." )
                             .arg( distance, days, r >= 1 ? QStringLiteral( "no more likely" ) : QStringLiteral( "less likely" ),
                                   QString::number( r, 'f', 2 ), QString::number( result.p[c], 'g', 3 ) );
  }

  // Chains: connected components of the links within the chain distance and days.
  {
    const double chainD = k.chainDistance > 0 ? k.chainDistance : k.spatialBandwidth;
    const double chainT = ( k.chainDays > 0 ? k.chainDays : k.temporalBandwidthDays ) * kDay;
    DisjointSets sets( n );
    const PointGrid grid( points.x.data(), points.y.data(), n, chainD );
    grid.forEachPairWithin( chainD, [&]( uint32_t i, uint32_t j ) {
      if ( std::abs( points.t[i] - points.t[j] ) <= chainT )
        sets.unite( i, j );
    } );
    std::vector<int32_t> idOfRoot( n, -1 );
    std::vector<uint32_t> size( n, 0 );
    for ( std::size_t i = 0; i < n; ++i )
      ++size[sets.find( static_cast<uint32_t>( i ) )];
    result.chainOf.assign( n, -1 );
    for ( std::size_t i = 0; i < n; ++i )
    {
      const uint32_t root = sets.find( static_cast<uint32_t>( i ) );
      if ( size[root] < 2 )
        continue;
      if ( idOfRoot[root] < 0 )
      {
        idOfRoot[root] = static_cast<int32_t>( result.chains.size() );
        NearRepeatChain chain;
        chain.id = idOfRoot[root];
        chain.firstTime = chain.lastTime = points.t[i];
        result.chains.push_back( chain );
      }
      NearRepeatChain &chain = result.chains[idOfRoot[root]];
      chain.events.push_back( static_cast<uint32_t>( i ) );
      chain.firstTime = std::min( chain.firstTime, points.t[i] );
      chain.lastTime = std::max( chain.lastTime, points.t[i] );
      result.chainOf[i] = chain.id;
    }
  }

  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  result.seconds = timer.nsecsElapsed() / 1e9;
  return result;
}

} // namespace statdesk::clustering
