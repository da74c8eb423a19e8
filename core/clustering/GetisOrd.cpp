#include "clustering/GetisOrd.h"

#include <qgsfeedback.h>

#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace statdesk::clustering
{

long long GridSpec::cellOf( double x, double y ) const
{
  const double fx = std::floor( ( x - originX ) / cellSize );
  const double fy = std::floor( ( y - originY ) / cellSize );
  if ( !( fx >= 0 && fy >= 0 && fx < columns && fy < rows ) )
    return -1;
  return static_cast<long long>( fy ) * columns + static_cast<long long>( fx );
}

QgsRectangle GridSpec::cellRect( std::size_t index ) const
{
  const double c = static_cast<double>( index % static_cast<std::size_t>( columns ) );
  const double r = static_cast<double>( index / static_cast<std::size_t>( columns ) );
  return QgsRectangle( originX + c * cellSize, originY + r * cellSize, originX + ( c + 1 ) * cellSize, originY + ( r + 1 ) * cellSize );
}

GridSpec GridSpec::covering( const QgsRectangle &extent, double cellSize )
{
  GridSpec g;
  g.cellSize = cellSize;
  g.originX = std::floor( extent.xMinimum() / cellSize ) * cellSize;
  g.originY = std::floor( extent.yMinimum() / cellSize ) * cellSize;
  g.columns = std::max( 1, static_cast<int>( std::floor( ( extent.xMaximum() - g.originX ) / cellSize ) ) + 1 );
  g.rows = std::max( 1, static_cast<int>( std::floor( ( extent.yMaximum() - g.originY ) / cellSize ) ) + 1 );
  return g;
}

QJsonObject GridSpec::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "origin_x" )] = originX;
  o[QStringLiteral( "origin_y" )] = originY;
  o[QStringLiteral( "cell_size" )] = cellSize;
  o[QStringLiteral( "columns" )] = columns;
  o[QStringLiteral( "rows" )] = rows;
  return o;
}

double GiStarParameters::effectiveBand() const
{
  return band > 0 ? band : cellSize * std::sqrt( 2.0 );
}

QJsonObject GiStarParameters::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "cell_size" )] = cellSize;
  o[QStringLiteral( "band" )] = effectiveBand();
  o[QStringLiteral( "fdr" )] = fdr;
  if ( !extent.isNull() )
    o[QStringLiteral( "extent" )] = QJsonArray{ extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum() };
  return o;
}

std::vector<double> giStarOnGrid( const std::vector<double> &values, int columns, int rows, double bandCells, int *stencilSize )
{
  const std::size_t n = values.size();
  std::vector<double> z( n, std::numeric_limits<double>::quiet_NaN() );
  // Offsets whose centre distance is within the band. The relative tolerance keeps the queen
  // diagonal (√2 cells) in when the band is given as cell·√2, whose rounding may fall either side.
  std::vector<std::pair<int, int>> stencil;
  const int reach = static_cast<int>( std::floor( bandCells * ( 1 + 1e-9 ) ) );
  const double band2 = bandCells * bandCells * ( 1 + 1e-9 );
  for ( int dy = -reach; dy <= reach; ++dy )
    for ( int dx = -reach; dx <= reach; ++dx )
      if ( double( dx * dx + dy * dy ) <= band2 )
        stencil.emplace_back( dx, dy );
  if ( stencilSize )
    *stencilSize = static_cast<int>( stencil.size() );
  if ( n < 2 || static_cast<std::size_t>( columns ) * static_cast<std::size_t>( rows ) != n )
    return z;

  // Mean and population variance as spdep computes them (centred sum of squares / n).
  const double mean = std::accumulate( values.begin(), values.end(), 0.0 ) / static_cast<double>( n );
  double ss = 0;
  for ( double v : values )
    ss += ( v - mean ) * ( v - mean );
  const double s2 = ss / static_cast<double>( n );
  const double nd = static_cast<double>( n );

  for ( int r = 0; r < rows; ++r )
    for ( int c = 0; c < columns; ++c )
    {
      double sum = 0;
      double w = 0;
      for ( const auto &[dx, dy] : stencil )
      {
        const int cc = c + dx, rr = r + dy;
        if ( cc < 0 || rr < 0 || cc >= columns || rr >= rows )
          continue;
        sum += values[static_cast<std::size_t>( rr ) * columns + cc];
        w += 1;
      }
      const double variance = s2 * ( ( nd * w - w * w ) / ( nd - 1 ) );
      z[static_cast<std::size_t>( r ) * columns + c] = variance > 0 ? ( sum - w * mean ) / std::sqrt( variance ) : 0.0;
    }
  return z;
}

std::vector<double> twoSidedP( const std::vector<double> &z )
{
  std::vector<double> p( z.size() );
  for ( std::size_t i = 0; i < z.size(); ++i )
    p[i] = std::erfc( std::abs( z[i] ) / std::sqrt( 2.0 ) );
  return p;
}

namespace
{
//! Benjamini-Hochberg rejections at \a alpha (statsmodels 'fdr_bh': largest k with p_(k) <= k·alpha/m).
std::vector<uint8_t> bhReject( const std::vector<double> &p, double alpha )
{
  const std::size_t m = p.size();
  std::vector<std::size_t> order( m );
  std::iota( order.begin(), order.end(), std::size_t( 0 ) );
  std::stable_sort( order.begin(), order.end(), [&p]( std::size_t a, std::size_t b )
                    { return p[a] < p[b]; } );
  std::size_t largest = 0;
  for ( std::size_t k = 0; k < m; ++k )
    if ( p[order[k]] <= static_cast<double>( k + 1 ) / static_cast<double>( m ) * alpha )
      largest = k + 1;
  std::vector<uint8_t> reject( m, 0 );
  for ( std::size_t k = 0; k < largest; ++k )
    reject[order[k]] = 1;
  return reject;
}
} // namespace

std::vector<int8_t> confidenceBins( const std::vector<double> &z, const std::vector<double> &p, bool fdr )
{
  const std::size_t n = z.size();
  std::vector<int8_t> bins( n, 0 );
  const double alphas[] = { 0.10, 0.05, 0.01 };
  for ( int level = 0; level < 3; ++level )
  {
    std::vector<uint8_t> significant;
    if ( fdr )
      significant = bhReject( p, alphas[level] );
    else
    {
      significant.resize( n );
      for ( std::size_t i = 0; i < n; ++i )
        significant[i] = p[i] <= alphas[level];
    }
    for ( std::size_t i = 0; i < n; ++i )
      if ( significant[i] && !std::isnan( z[i] ) )
        bins[i] = static_cast<int8_t>( z[i] > 0 ? level + 1 : -( level + 1 ) );
  }
  return bins;
}

QJsonObject GiStarResult::toJson( bool cells ) const
{
  QJsonObject o;
  o[QStringLiteral( "method" )] = QStringLiteral( "gistar" );
  o[QStringLiteral( "parameters" )] = parameters.toJson();
  o[QStringLiteral( "grid" )] = grid.toJson();
  o[QStringLiteral( "neighbours_per_cell" )] = neighboursPerCell;
  o[QStringLiteral( "points_outside_grid" )] = static_cast<qint64>( pointsOutside );
  QJsonObject bins;
  for ( int b = -3; b <= 3; ++b )
    bins[QString::number( b )] = static_cast<qint64>( std::count( bin.begin(), bin.end(), static_cast<int8_t>( b ) ) );
  o[QStringLiteral( "bins" )] = bins;
  if ( cells )
  {
    QJsonArray list;
    for ( std::size_t i = 0; i < counts.size(); ++i )
    {
      if ( counts[i] == 0 && bin[i] == 0 )
        continue;
      list.append( QJsonObject{ { QStringLiteral( "cell" ), static_cast<qint64>( i ) },
                                { QStringLiteral( "count" ), counts[i] },
                                { QStringLiteral( "z" ), z[i] },
                                { QStringLiteral( "p" ), p[i] },
                                { QStringLiteral( "bin" ), bin[i] } } );
    }
    o[QStringLiteral( "cells" )] = list;
  }
  o[QStringLiteral( "seconds" )] = seconds;
  return o;
}

GiStarResult runGiStar( const ClusterPoints &points, const GiStarParameters &parameters, QgsFeedback *feedback )
{
  QElapsedTimer timer;
  timer.start();
  GiStarResult result;
  result.parameters = parameters;
  if ( !( parameters.cellSize > 0 ) || !std::isfinite( parameters.cellSize ) )
  {
    result.errorString = QStringLiteral( "the cell size must be a positive distance" );
    return result;
  }
  if ( parameters.effectiveBand() < parameters.cellSize * ( 1 - 1e-9 ) )
  {
    result.errorString = QStringLiteral( "the distance band must reach the neighbouring cells (at least one cell size)" );
    return result;
  }
  QgsRectangle extent = parameters.extent;
  if ( extent.isNull() )
  {
    if ( points.size() == 0 )
    {
      result.errorString = QStringLiteral( "no points and no extent" );
      return result;
    }
    const auto [minX, maxX] = std::minmax_element( points.x.begin(), points.x.end() );
    const auto [minY, maxY] = std::minmax_element( points.y.begin(), points.y.end() );
    extent = QgsRectangle( *minX, *minY, *maxX, *maxY );
  }
  result.grid = GridSpec::covering( extent, parameters.cellSize );
  if ( result.grid.cellCount() > 50'000'000 || result.grid.cellCount() < 2 )
  {
    result.errorString = QStringLiteral( "the grid would have %1 cells; choose a cell size giving between 2 and 50 million cells" ).arg( result.grid.cellCount() );
    return result;
  }
  result.counts.assign( result.grid.cellCount(), 0.0 );
  for ( std::size_t i = 0; i < points.size(); ++i )
  {
    const long long c = result.grid.cellOf( points.x[i], points.y[i] );
    if ( c < 0 )
      ++result.pointsOutside;
    else
      result.counts[static_cast<std::size_t>( c )] += 1;
  }
  if ( feedback )
  {
    feedback->setProgress( 30 );
    if ( feedback->isCanceled() )
    {
      result.canceled = true;
      result.errorString = QStringLiteral( "canceled" );
      return result;
    }
  }
  result.z = giStarOnGrid( result.counts, result.grid.columns, result.grid.rows, parameters.effectiveBand() / parameters.cellSize, &result.neighboursPerCell );
  result.p = twoSidedP( result.z );
  result.bin = confidenceBins( result.z, result.p, parameters.fdr );
  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  result.seconds = timer.nsecsElapsed() / 1e9;
  return result;
}

} // namespace statdesk::clustering
