#include "RtmSpatial.h"

#include <qgsabstractgeometry.h>
#include <qgscurve.h>
#include <qgscurvepolygon.h>
#include <qgsgeometrycollection.h>
#include <qgslinestring.h>
#include <qgspoint.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace statdesk::rtm
{

namespace
{

using Ring = std::vector<std::pair<double, double>>;

//! Polygon rings (for filling and edges) and open polylines of a geometry, curves segmentised.
void collect( const QgsAbstractGeometry *g, std::vector<Ring> &rings, std::vector<Ring> &lines, std::vector<std::pair<double, double>> &points )
{
  if ( !g )
    return;
  auto curvePoints = []( const QgsCurve *c ) {
    Ring r;
    std::unique_ptr<QgsLineString> ls( c->curveToLine() );
    r.reserve( ls->numPoints() );
    for ( int i = 0; i < ls->numPoints(); ++i )
      r.emplace_back( ls->xAt( i ), ls->yAt( i ) );
    return r;
  };
  if ( const QgsGeometryCollection *coll = qgsgeometry_cast<const QgsGeometryCollection *>( g ) )
  {
    for ( int i = 0; i < coll->numGeometries(); ++i )
      collect( coll->geometryN( i ), rings, lines, points );
  }
  else if ( const QgsCurvePolygon *poly = qgsgeometry_cast<const QgsCurvePolygon *>( g ) )
  {
    if ( poly->exteriorRing() )
      rings.push_back( curvePoints( poly->exteriorRing() ) );
    for ( int i = 0; i < poly->numInteriorRings(); ++i )
      rings.push_back( curvePoints( poly->interiorRing( i ) ) );
  }
  else if ( const QgsCurve *curve = qgsgeometry_cast<const QgsCurve *>( g ) )
    lines.push_back( curvePoints( curve ) );
  else if ( const QgsPoint *p = qgsgeometry_cast<const QgsPoint *>( g ) )
    points.emplace_back( p->x(), p->y() );
}

//! Calls \a fn( cellIndex ) for every lattice cell whose centroid is inside the rings (even-odd rule).
template<typename Fn>
void fillRings( const std::vector<Ring> &rings, double x0, double y0, double cell, int cols, int rows, Fn fn )
{
  double ymin = std::numeric_limits<double>::max(), ymax = -ymin;
  for ( const Ring &r : rings )
    for ( const auto &p : r )
    {
      ymin = std::min( ymin, p.second );
      ymax = std::max( ymax, p.second );
    }
  if ( ymin > ymax )
    return;
  const int r0 = std::max( 0, static_cast<int>( std::ceil( ( ymin - y0 ) / cell - 0.5 ) ) );
  const int r1 = std::min( rows - 1, static_cast<int>( std::floor( ( ymax - y0 ) / cell - 0.5 ) ) );
  std::vector<double> xs;
  for ( int row = r0; row <= r1; ++row )
  {
    const double yc = y0 + ( row + 0.5 ) * cell;
    xs.clear();
    for ( const Ring &r : rings )
    {
      const std::size_t m = r.size();
      for ( std::size_t i = 0; i + 1 < m || ( i < m && r.front() != r.back() ); ++i )
      {
        const auto &a = r[i];
        const auto &b = r[( i + 1 ) % m];
        if ( ( a.second > yc ) != ( b.second > yc ) )
          xs.push_back( a.first + ( yc - a.second ) * ( b.first - a.first ) / ( b.second - a.second ) );
      }
    }
    std::sort( xs.begin(), xs.end() );
    for ( std::size_t k = 0; k + 1 < xs.size(); k += 2 )
    {
      const int c0 = std::max( 0, static_cast<int>( std::ceil( ( xs[k] - x0 ) / cell - 0.5 ) ) );
      const int c1 = std::min( cols - 1, static_cast<int>( std::ceil( ( xs[k + 1] - x0 ) / cell - 0.5 ) ) - 1 );
      for ( int c = c0; c <= c1; ++c )
        fn( row * cols + c );
    }
  }
}

inline double segmentDistance2( double px, double py, double ax, double ay, double bx, double by )
{
  const double dx = bx - ax, dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ( ( px - ax ) * dx + ( py - ay ) * dy ) / len2 : 0;
  t = std::clamp( t, 0.0, 1.0 );
  const double ex = ax + t * dx - px, ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

} // namespace

RtmGrid makeGrid( const QgsGeometry &area, double cellSize )
{
  RtmGrid g;
  const QgsRectangle bb = area.boundingBox();
  g.x0 = bb.xMinimum();
  g.y0 = bb.yMinimum();
  g.cell = cellSize;
  g.cols = std::max( 1, static_cast<int>( std::ceil( bb.width() / cellSize - 1e-9 ) ) );
  g.rows = std::max( 1, static_cast<int>( std::ceil( bb.height() / cellSize - 1e-9 ) ) );
  if ( static_cast<qint64>( g.cols ) * g.rows > 50000000 )
    return g;
  std::vector<Ring> rings, lines;
  std::vector<std::pair<double, double>> points;
  collect( area.constGet(), rings, lines, points );
  std::vector<std::uint8_t> inside( static_cast<std::size_t>( g.cols ) * g.rows, 0 );
  // Each polygon part separately: parts of a multipolygon may overlap after a union of neighborhoods.
  if ( const QgsGeometryCollection *coll = qgsgeometry_cast<const QgsGeometryCollection *>( area.constGet() ) )
  {
    for ( int i = 0; i < coll->numGeometries(); ++i )
    {
      std::vector<Ring> pr, pl;
      std::vector<std::pair<double, double>> pp;
      collect( coll->geometryN( i ), pr, pl, pp );
      fillRings( pr, g.x0, g.y0, g.cell, g.cols, g.rows, [&]( int c ) { inside[c] = 1; } );
    }
  }
  else
    fillRings( rings, g.x0, g.y0, g.cell, g.cols, g.rows, [&]( int c ) { inside[c] = 1; } );
  g.designRow.assign( inside.size(), -1 );
  for ( std::size_t c = 0; c < inside.size(); ++c )
  {
    if ( inside[c] )
    {
      g.designRow[c] = static_cast<int>( g.cellOfRow.size() );
      g.cellOfRow.push_back( static_cast<int>( c ) );
    }
  }
  return g;
}

std::vector<float> squaredDistanceField( const RtmGrid &grid, const FeatureSet &features, double maxDistance )
{
  const std::size_t cells = static_cast<std::size_t>( grid.cols ) * grid.rows;
  std::vector<float> lattice( cells, std::numeric_limits<float>::infinity() );
  const double md = maxDistance * ( 1 + 1e-9 ) + 1e-9;
  const double md2 = md * md;
  auto range = [&]( double lo, double hi, double origin, int count, int &a, int &b ) {
    a = std::max( 0, static_cast<int>( std::ceil( ( lo - md - origin ) / grid.cell - 0.5 ) ) );
    b = std::min( count - 1, static_cast<int>( std::floor( ( hi + md - origin ) / grid.cell - 0.5 ) ) );
  };
  auto paintSegment = [&]( double ax, double ay, double bx, double by ) {
    int c0, c1, r0, r1;
    range( std::min( ax, bx ), std::max( ax, bx ), grid.x0, grid.cols, c0, c1 );
    range( std::min( ay, by ), std::max( ay, by ), grid.y0, grid.rows, r0, r1 );
    for ( int r = r0; r <= r1; ++r )
    {
      const double yc = grid.y0 + ( r + 0.5 ) * grid.cell;
      float *row = lattice.data() + static_cast<std::size_t>( r ) * grid.cols;
      for ( int c = c0; c <= c1; ++c )
      {
        const double xc = grid.x0 + ( c + 0.5 ) * grid.cell;
        const double d2 = segmentDistance2( xc, yc, ax, ay, bx, by );
        if ( d2 <= md2 && d2 < row[c] )
          row[c] = static_cast<float>( d2 );
      }
    }
  };
  if ( features.shapes.empty() )
  {
    for ( int i = 0; i < features.count(); ++i )
      paintSegment( features.x[i], features.y[i], features.x[i], features.y[i] );
  }
  else
  {
    for ( const QgsGeometry &geom : features.shapes )
    {
      std::vector<Ring> rings, lines;
      std::vector<std::pair<double, double>> points;
      collect( geom.constGet(), rings, lines, points );
      for ( const auto &p : points )
        paintSegment( p.first, p.second, p.first, p.second );
      for ( const std::vector<Ring> *set : { &rings, &lines } )
        for ( const Ring &r : *set )
          for ( std::size_t i = 0; i + 1 < r.size(); ++i )
            paintSegment( r[i].first, r[i].second, r[i + 1].first, r[i + 1].second );
      // Inside a polygon the distance is 0 (each part on its own: even-odd within a part).
      if ( const QgsGeometryCollection *coll = qgsgeometry_cast<const QgsGeometryCollection *>( geom.constGet() ) )
      {
        for ( int k = 0; k < coll->numGeometries(); ++k )
        {
          std::vector<Ring> pr, pl;
          std::vector<std::pair<double, double>> pp;
          collect( coll->geometryN( k ), pr, pl, pp );
          fillRings( pr, grid.x0, grid.y0, grid.cell, grid.cols, grid.rows, [&]( int c ) { lattice[c] = 0; } );
        }
      }
      else
        fillRings( rings, grid.x0, grid.y0, grid.cell, grid.cols, grid.rows, [&]( int c ) { lattice[c] = 0; } );
    }
  }
  std::vector<float> out( grid.cellsInArea() );
  for ( int r = 0; r < grid.cellsInArea(); ++r )
    out[r] = lattice[grid.cellOfRow[r]];
  return out;
}

std::vector<double> quarticDensity( const RtmGrid &grid, const std::vector<double> &x, const std::vector<double> &y, double radius )
{
  const std::size_t cells = static_cast<std::size_t>( grid.cols ) * grid.rows;
  std::vector<double> lattice( cells, 0.0 );
  const double r2 = radius * radius;
  const double k = 3.0 / ( M_PI * r2 );
  for ( std::size_t i = 0; i < x.size(); ++i )
  {
    const int c0 = std::max( 0, static_cast<int>( std::ceil( ( x[i] - radius - grid.x0 ) / grid.cell - 0.5 ) ) );
    const int c1 = std::min( grid.cols - 1, static_cast<int>( std::floor( ( x[i] + radius - grid.x0 ) / grid.cell - 0.5 ) ) );
    const int rr0 = std::max( 0, static_cast<int>( std::ceil( ( y[i] - radius - grid.y0 ) / grid.cell - 0.5 ) ) );
    const int rr1 = std::min( grid.rows - 1, static_cast<int>( std::floor( ( y[i] + radius - grid.y0 ) / grid.cell - 0.5 ) ) );
    for ( int r = rr0; r <= rr1; ++r )
    {
      const double dy = grid.y0 + ( r + 0.5 ) * grid.cell - y[i];
      double *row = lattice.data() + static_cast<std::size_t>( r ) * grid.cols;
      for ( int c = c0; c <= c1; ++c )
      {
        const double dx = grid.x0 + ( c + 0.5 ) * grid.cell - x[i];
        const double u = ( dx * dx + dy * dy ) / r2;
        if ( u < 1 )
          row[c] += k * ( 1 - u ) * ( 1 - u );
      }
    }
  }
  std::vector<double> out( grid.cellsInArea() );
  for ( int r = 0; r < grid.cellsInArea(); ++r )
    out[r] = lattice[grid.cellOfRow[r]];
  return out;
}

int labelCellGroups( const RtmGrid &grid, const std::vector<std::uint8_t> &flags, std::vector<int> *labelOfRow )
{
  std::vector<int> label( static_cast<std::size_t>( grid.cols ) * grid.rows, -1 );
  int count = 0;
  std::vector<int> stack;
  for ( int r = 0; r < grid.cellsInArea(); ++r )
  {
    const int cell = grid.cellOfRow[r];
    if ( !flags[r] || label[cell] >= 0 )
      continue;
    // Flood fill a 4-connected group.
    label[cell] = count;
    stack.assign( 1, cell );
    while ( !stack.empty() )
    {
      const int c = stack.back();
      stack.pop_back();
      const int cc = c % grid.cols, cr = c / grid.cols;
      const int nb[4][2] = { { cc - 1, cr }, { cc + 1, cr }, { cc, cr - 1 }, { cc, cr + 1 } };
      for ( const auto &p : nb )
      {
        if ( p[0] < 0 || p[1] < 0 || p[0] >= grid.cols || p[1] >= grid.rows )
          continue;
        const int q = p[1] * grid.cols + p[0];
        const int qr = grid.designRow[q];
        if ( qr < 0 || !flags[qr] || label[q] >= 0 )
          continue;
        label[q] = count;
        stack.push_back( q );
      }
    }
    ++count;
  }
  if ( labelOfRow )
  {
    labelOfRow->assign( grid.cellsInArea(), -1 );
    for ( int r = 0; r < grid.cellsInArea(); ++r )
      ( *labelOfRow )[r] = label[grid.cellOfRow[r]];
  }
  return count;
}

QgsGeometry cellSquare( const RtmGrid &grid, int row )
{
  const int cell = grid.cellOfRow[row];
  const double x = grid.x0 + ( cell % grid.cols ) * grid.cell, y = grid.y0 + ( cell / grid.cols ) * grid.cell;
  return QgsGeometry::fromRect( QgsRectangle( x, y, x + grid.cell, y + grid.cell ) );
}

QgsGeometry dissolveCells( const RtmGrid &grid, const std::vector<std::uint8_t> &flags, int *components )
{
  QVector<QgsGeometry> squares;
  for ( int r = 0; r < grid.cellsInArea(); ++r )
    if ( flags[r] )
      squares << cellSquare( grid, r );
  if ( components )
    *components = labelCellGroups( grid, flags, nullptr );
  if ( squares.isEmpty() )
    return QgsGeometry();
  return QgsGeometry::unaryUnion( squares );
}

} // namespace statdesk::rtm
