#include "clustering/Dbscan.h"

#include "clustering/PointGrid.h"

#include <qgsfeedback.h>

#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <limits>
#include <numeric>

namespace statdesk::clustering
{

using detail::DisjointSets;
using detail::PointGrid;

QJsonObject DbscanParameters::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "eps" )] = eps;
  o[QStringLiteral( "min_points" )] = minPoints;
  if ( spaceTime() )
    o[QStringLiteral( "eps_seconds" )] = epsSeconds;
  return o;
}

QJsonObject DbscanResult::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "method" )] = parameters.spaceTime() ? QStringLiteral( "stdbscan" ) : QStringLiteral( "dbscan" );
  o[QStringLiteral( "parameters" )] = parameters.toJson();
  o[QStringLiteral( "points" )] = static_cast<qint64>( labels.size() );
  o[QStringLiteral( "clusters" )] = clusterCount;
  o[QStringLiteral( "noise" )] = static_cast<qint64>( noiseCount );
  o[QStringLiteral( "core_points" )] = static_cast<qint64>( std::count( isCore.begin(), isCore.end(), 1 ) );
  QJsonArray sizes;
  for ( int s : clusterSizes )
    sizes.append( s );
  o[QStringLiteral( "cluster_sizes" )] = sizes;
  o[QStringLiteral( "seconds" )] = seconds;
  return o;
}

namespace
{

inline bool within( double ax, double ay, double bx, double by, double eps2 )
{
  const double dx = ax - bx;
  const double dy = ay - by;
  return dx * dx + dy * dy <= eps2;
}

//! Progress in [from, to) without hammering the feedback's signal.
class Progress
{
  public:
    Progress( QgsFeedback *feedback, std::size_t total, double from, double to )
      : mFeedback( feedback ), mTotal( std::max<std::size_t>( total, 1 ) ), mFrom( from ), mTo( to ) {}
    //! False when canceled.
    bool step( std::size_t done )
    {
      if ( !mFeedback )
        return true;
      if ( ( done & 0x3fff ) == 0 )
      {
        mFeedback->setProgress( mFrom + ( mTo - mFrom ) * static_cast<double>( done ) / static_cast<double>( mTotal ) );
        return !mFeedback->isCanceled();
      }
      return true;
    }

  private:
    QgsFeedback *mFeedback;
    std::size_t mTotal;
    double mFrom, mTo;
};

/**
 * Cluster numbering shared by both variants: \a lowest holds, per union-find root, the lowest
 * input index of its core points (max for roots without any); clusters are numbered by it.
 * Returns the label of each root (-1 for none).
 */
LargeVector<int32_t> numberRoots( const LargeVector<uint32_t> &lowest, int &clusterCount )
{
  std::vector<uint32_t> roots;
  for ( std::size_t r = 0; r < lowest.size(); ++r )
    if ( lowest[r] != std::numeric_limits<uint32_t>::max() )
      roots.push_back( static_cast<uint32_t>( r ) );
  std::sort( roots.begin(), roots.end(), [&lowest]( uint32_t a, uint32_t b ) { return lowest[a] < lowest[b]; } );
  LargeVector<int32_t> labelOfRoot( lowest.size(), -1 );
  for ( std::size_t i = 0; i < roots.size(); ++i )
    labelOfRoot[roots[i]] = static_cast<int32_t>( i );
  clusterCount = static_cast<int>( roots.size() );
  return labelOfRoot;
}

bool spatialDbscan( const ClusterPoints &points, const DbscanParameters &p, QgsFeedback *feedback, DbscanResult &result )
{
  const std::size_t n = points.size();
  const double eps2 = p.eps * p.eps;
  // Side a little under eps/sqrt(2): any two points of one cell are strictly closer than eps,
  // whatever the rounding. Points within eps are then at most 2 cells apart.
  const double side = p.eps / std::sqrt( 2.0 ) * ( 1.0 - 1e-9 );
  PointGrid grid( points.x.data(), points.y.data(), n, side );
  const std::size_t cells = grid.cellCount();
  const uint32_t minPts = static_cast<uint32_t>( std::max( p.minPoints, 1 ) );

  // Neighbour cells are looked up per cell when needed rather than stored: a stored list would
  // be 25 entries per cell, ~70 MB of page faults for a million points. The 3 x 3 block comes
  // first: the nearest cells hold most neighbours, so counts reach minPoints sooner.
  uint32_t nbList[25]; // 3 x 3 block (9) then its ring (16)
  uint32_t nbCount = 0;
  auto loadNeighbours = [&]( std::size_t c )
  {
    nbCount = grid.neighbourBlock<1>( c, nbList );
    nbCount += grid.neighbourBlock<2, true>( c, nbList + nbCount );
  };

  // 1. Core flags, by sorted position.
  LargeVector<uint8_t> core( n, 0 );
  Progress progress( feedback, n, 0, 60 );
  for ( std::size_t c = 0; c < cells; ++c )
  {
    const uint32_t b = grid.cellBegin( c ), e = grid.cellEnd( c );
    if ( e - b >= minPts )
    {
      std::fill( core.begin() + b, core.begin() + e, 1 );
      continue;
    }
    loadNeighbours( c );
    for ( uint32_t k = b; k < e; ++k )
    {
      if ( !progress.step( k ) )
        return false;
      uint32_t count = e - b;
      const double px = grid.xs[k], py = grid.ys[k];
      for ( uint32_t j = 0; j < nbCount && count < minPts; ++j )
      {
        const uint32_t nc = nbList[j];
        if ( nc == c )
          continue;
        for ( uint32_t q = grid.cellBegin( nc ), qe = grid.cellEnd( nc ); q < qe; ++q )
          if ( within( px, py, grid.xs[q], grid.ys[q], eps2 ) && ++count >= minPts )
            break;
      }
      core[k] = count >= minPts;
    }
  }

  // Within each cell, core points first: the cores of cell c are [cellBegin(c), coreEnd[c]).
  LargeVector<uint32_t> coreEnd( cells );
  for ( std::size_t c = 0; c < cells; ++c )
  {
    uint32_t w = grid.cellBegin( c );
    const uint32_t e = grid.cellEnd( c );
    for ( uint32_t k = w; k < e; ++k )
      if ( core[k] )
      {
        if ( k != w )
        {
          std::swap( grid.xs[k], grid.xs[w] );
          std::swap( grid.ys[k], grid.ys[w] );
          std::swap( grid.order[k], grid.order[w] );
          std::swap( core[k], core[w] );
        }
        ++w;
      }
    coreEnd[c] = w;
  }

  // 2. Connect cells through core pairs within eps (the core points of one cell are connected).
  //    Adjacent cells first: inside a cluster they join everything, and the pairs two cells
  //    apart, which rarely hold points within eps, are then mostly known to be joined already.
  DisjointSets sets( cells );
  Progress linkProgress( feedback, 2 * cells, 60, 90 );
  for ( const bool ring : { false, true } )
    for ( std::size_t c = 0; c < cells; ++c )
    {
      if ( !linkProgress.step( ring ? cells + c : c ) )
        return false;
      const uint32_t cb = grid.cellBegin( c ), ce = coreEnd[c];
      if ( cb == ce )
        continue;
      nbCount = ring ? grid.neighbourBlock<2, true>( c, nbList ) : grid.neighbourBlock<1>( c, nbList );
      for ( uint32_t j = 0; j < nbCount; ++j )
      {
        const uint32_t nc = nbList[j];
        const uint32_t nb = grid.cellBegin( nc ), ne = coreEnd[nc];
        if ( nc <= c || nb == ne || sets.find( static_cast<uint32_t>( c ) ) == sets.find( nc ) )
          continue;
        bool linked = false;
        for ( uint32_t a = cb; a < ce && !linked; ++a )
          for ( uint32_t q = nb; q < ne; ++q )
            if ( within( grid.xs[a], grid.ys[a], grid.xs[q], grid.ys[q], eps2 ) )
            {
              linked = true;
              break;
            }
        if ( linked )
          sets.unite( static_cast<uint32_t>( c ), nc );
      }
    }

  // 3. Clusters numbered by their lowest-index core point. The core points of a cell are
  //    connected, so a cluster label per cell is enough for them.
  LargeVector<uint32_t> lowest( cells, std::numeric_limits<uint32_t>::max() );
  for ( std::size_t c = 0; c < cells; ++c )
  {
    const uint32_t b = grid.cellBegin( c ), ce = coreEnd[c];
    if ( b == ce )
      continue;
    uint32_t &l = lowest[sets.find( static_cast<uint32_t>( c ) )];
    for ( uint32_t k = b; k < ce; ++k )
      l = std::min( l, grid.order[k] );
  }
  const LargeVector<int32_t> labelOfRoot = numberRoots( lowest, result.clusterCount );
  LargeVector<int32_t> cellLabel( cells, -1 );
  for ( std::size_t c = 0; c < cells; ++c )
    if ( grid.cellBegin( c ) != coreEnd[c] )
      cellLabel[c] = labelOfRoot[sets.find( static_cast<uint32_t>( c ) )];

  // 4. Labels in input order. A border point takes the lowest label among the cells holding a
  //    core point within eps of it.
  assignLarge( result.labels, n, -1 );
  result.isCore.assign( n, 0 );
  for ( std::size_t c = 0; c < cells; ++c )
  {
    const uint32_t b = grid.cellBegin( c ), ce = coreEnd[c], e = grid.cellEnd( c );
    for ( uint32_t k = b; k < ce; ++k )
    {
      result.labels[grid.order[k]] = cellLabel[c];
      result.isCore[grid.order[k]] = 1;
    }
    if ( ce == e )
      continue;
    loadNeighbours( c );
    for ( uint32_t k = ce; k < e; ++k )
    {
      int32_t best = std::numeric_limits<int32_t>::max();
      for ( uint32_t j = 0; j < nbCount; ++j )
      {
        const uint32_t nc = nbList[j];
        const int32_t label = cellLabel[nc];
        if ( label < 0 || label >= best )
          continue;
        for ( uint32_t q = grid.cellBegin( nc ), qe = coreEnd[nc]; q < qe; ++q )
          if ( within( grid.xs[k], grid.ys[k], grid.xs[q], grid.ys[q], eps2 ) )
          {
            best = label;
            break;
          }
      }
      if ( best != std::numeric_limits<int32_t>::max() )
        result.labels[grid.order[k]] = best;
    }
  }
  return true;
}

bool spaceTimeDbscan( const ClusterPoints &points, const DbscanParameters &p, QgsFeedback *feedback, DbscanResult &result )
{
  const std::size_t n = points.size();
  const double eps2 = p.eps * p.eps;
  const double epsT = p.epsSeconds;
  PointGrid grid( points.x.data(), points.y.data(), n, p.eps );
  const std::size_t cells = grid.cellCount();
  const uint32_t minPts = static_cast<uint32_t>( std::max( p.minPoints, 1 ) );

  // Sort each cell by time so a time window is a binary search.
  LargeVector<double> ts( n );
  for ( std::size_t c = 0; c < cells; ++c )
  {
    const uint32_t b = grid.cellBegin( c ), e = grid.cellEnd( c );
    std::stable_sort( grid.order.begin() + b, grid.order.begin() + e,
                      [&points]( uint32_t a, uint32_t bb ) { return points.t[a] < points.t[bb]; } );
    for ( uint32_t k = b; k < e; ++k )
    {
      grid.xs[k] = points.x[grid.order[k]];
      grid.ys[k] = points.y[grid.order[k]];
      ts[k] = points.t[grid.order[k]];
    }
  }
  std::vector<std::vector<uint32_t>> neighbours( cells );
  {
    std::vector<uint32_t> tmp;
    for ( std::size_t c = 0; c < cells; ++c )
    {
      grid.neighbourCells( c, 1, tmp );
      neighbours[c] = tmp;
    }
  }
  auto forNeighbours = [&]( uint32_t k, std::size_t c, auto &&visit ) {
    const double px = grid.xs[k], py = grid.ys[k], pt = ts[k];
    for ( uint32_t nc : neighbours[c] )
    {
      const auto first = std::lower_bound( ts.begin() + grid.cellBegin( nc ), ts.begin() + grid.cellEnd( nc ), pt - epsT );
      for ( uint32_t q = static_cast<uint32_t>( first - ts.begin() ), qe = grid.cellEnd( nc ); q < qe && ts[q] <= pt + epsT; ++q )
        if ( std::abs( ts[q] - pt ) <= epsT && within( px, py, grid.xs[q], grid.ys[q], eps2 ) )
        {
          if ( !visit( q ) )
            return;
        }
    }
  };

  LargeVector<uint8_t> core( n, 0 );
  Progress progress( feedback, n, 0, 50 );
  for ( std::size_t c = 0; c < cells; ++c )
    for ( uint32_t k = grid.cellBegin( c ); k < grid.cellEnd( c ); ++k )
    {
      if ( !progress.step( k ) )
        return false;
      uint32_t count = 0;
      forNeighbours( k, c, [&]( uint32_t ) { return ++count < minPts; } );
      core[k] = count >= minPts;
    }

  DisjointSets sets( n );
  Progress linkProgress( feedback, n, 50, 90 );
  for ( std::size_t c = 0; c < cells; ++c )
    for ( uint32_t k = grid.cellBegin( c ); k < grid.cellEnd( c ); ++k )
    {
      if ( !linkProgress.step( k ) )
        return false;
      if ( !core[k] )
        continue;
      forNeighbours( k, c, [&]( uint32_t q ) {
        if ( q > k && core[q] )
          sets.unite( k, q );
        return true; } );
    }

  LargeVector<uint32_t> lowest( n, std::numeric_limits<uint32_t>::max() );
  for ( std::size_t k = 0; k < n; ++k )
    if ( core[k] )
    {
      uint32_t &l = lowest[sets.find( static_cast<uint32_t>( k ) )];
      l = std::min( l, grid.order[k] );
    }
  const LargeVector<int32_t> labelOfRoot = numberRoots( lowest, result.clusterCount );
  LargeVector<int32_t> labelPos( n, -1 );
  for ( std::size_t k = 0; k < n; ++k )
    if ( core[k] )
      labelPos[k] = labelOfRoot[sets.find( static_cast<uint32_t>( k ) )];
  for ( std::size_t c = 0; c < cells; ++c )
    for ( uint32_t k = grid.cellBegin( c ); k < grid.cellEnd( c ); ++k )
    {
      if ( core[k] )
        continue;
      int32_t best = std::numeric_limits<int32_t>::max();
      forNeighbours( k, c, [&]( uint32_t q ) {
        if ( core[q] )
          best = std::min( best, labelPos[q] );
        return true; } );
      if ( best != std::numeric_limits<int32_t>::max() )
        labelPos[k] = best;
    }

  assignLarge( result.labels, n, -1 );
  result.isCore.assign( n, 0 );
  for ( std::size_t k = 0; k < n; ++k )
  {
    result.labels[grid.order[k]] = labelPos[k];
    result.isCore[grid.order[k]] = core[k];
  }
  return true;
}

} // namespace

DbscanResult runDbscan( const ClusterPoints &points, const DbscanParameters &parameters, QgsFeedback *feedback )
{
  QElapsedTimer timer;
  timer.start();
  DbscanResult result;
  result.parameters = parameters;
  if ( !( parameters.eps > 0 ) || !std::isfinite( parameters.eps ) )
  {
    result.errorString = QStringLiteral( "eps must be a positive distance" );
    return result;
  }
  if ( parameters.minPoints < 1 )
  {
    result.errorString = QStringLiteral( "the minimum number of points must be at least 1" );
    return result;
  }
  if ( parameters.spaceTime() && !points.hasTime() )
  {
    result.errorString = QStringLiteral( "space-time DBSCAN needs a time for every point" );
    return result;
  }
  if ( points.size() >= std::numeric_limits<uint32_t>::max() )
  {
    result.errorString = QStringLiteral( "too many points" );
    return result;
  }
  const bool done = parameters.spaceTime() ? spaceTimeDbscan( points, parameters, feedback, result )
                                           : spatialDbscan( points, parameters, feedback, result );
  if ( !done )
  {
    result.canceled = true;
    result.errorString = QStringLiteral( "canceled" );
    result.labels.clear();
    result.isCore.clear();
    return result;
  }
  result.clusterSizes.assign( result.clusterCount, 0 );
  for ( int32_t l : result.labels )
  {
    if ( l < 0 )
      ++result.noiseCount;
    else
      ++result.clusterSizes[l];
  }
  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  result.seconds = timer.nsecsElapsed() / 1e9;
  return result;
}

} // namespace statdesk::clustering
