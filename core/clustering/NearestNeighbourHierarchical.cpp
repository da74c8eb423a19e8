#include "clustering/NearestNeighbourHierarchical.h"

#include "clustering/PointGrid.h"

#include <qgsfeedback.h>
#include <qgsgeometryengine.h>
#include <qgslinestring.h>
#include <qgsmultipoint.h>
#include <qgspoint.h>
#include <qgspolygon.h>

#include <boost/math/distributions/normal.hpp>

#include <QElapsedTimer>
#include <QJsonArray>

#include <cmath>
#include <random>

namespace statdesk::clustering
{

using detail::DisjointSets;
using detail::PointGrid;

QJsonObject NnhParameters::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "study_area" )] = studyArea;
  o[QStringLiteral( "p" )] = pValue;
  if ( fixedDistance > 0 )
    o[QStringLiteral( "fixed_distance" )] = fixedDistance;
  o[QStringLiteral( "min_points" )] = minPoints;
  o[QStringLiteral( "max_order" )] = maxOrder;
  o[QStringLiteral( "monte_carlo_runs" )] = monteCarloRuns;
  o[QStringLiteral( "seed" )] = QString::number( seed );
  return o;
}

QJsonObject NnhResult::toJson() const
{
  QJsonObject o;
  o[QStringLiteral( "method" )] = QStringLiteral( "nnh" );
  o[QStringLiteral( "parameters" )] = parameters.toJson();
  QJsonArray th;
  for ( const NnhOrderThreshold &t : orders )
    th.append( QJsonObject{ { QStringLiteral( "order" ), t.order },
                            { QStringLiteral( "inputs" ), t.inputs },
                            { QStringLiteral( "random_distance" ), t.randomDistance },
                            { QStringLiteral( "standard_error" ), t.standardError },
                            { QStringLiteral( "threshold" ), t.threshold } } );
  o[QStringLiteral( "orders" )] = th;
  QJsonArray list;
  for ( const NnhCluster &c : clusters )
  {
    QJsonArray members;
    for ( uint32_t m : c.members )
      members.append( static_cast<qint64>( m ) );
    list.append( QJsonObject{ { QStringLiteral( "order" ), c.order },
                              { QStringLiteral( "id" ), c.id },
                              { QStringLiteral( "incidents" ), static_cast<qint64>( c.incidents.size() ) },
                              { QStringLiteral( "members" ), members },
                              { QStringLiteral( "mean_x" ), c.meanCentre.x() },
                              { QStringLiteral( "mean_y" ), c.meanCentre.y() },
                              { QStringLiteral( "ellipse_major" ), c.ellipseMajor },
                              { QStringLiteral( "ellipse_minor" ), c.ellipseMinor },
                              { QStringLiteral( "ellipse_angle" ), c.ellipseAngle },
                              { QStringLiteral( "hull_area" ), c.hullArea },
                              { QStringLiteral( "ellipse_area" ), c.ellipseArea },
                              { QStringLiteral( "density" ), c.density },
                              { QStringLiteral( "hull_wkt" ), c.convexHull.asWkt( 3 ) },
                              { QStringLiteral( "ellipse_wkt" ), c.ellipse.asWkt( 3 ) } } );
  }
  o[QStringLiteral( "clusters" )] = list;
  if ( !monteCarloClusterCounts.empty() )
  {
    std::vector<int> sorted = monteCarloClusterCounts;
    std::sort( sorted.begin(), sorted.end() );
    double mean = 0;
    for ( int v : sorted )
      mean += v;
    mean /= sorted.size();
    o[QStringLiteral( "monte_carlo" )] = QJsonObject{
        { QStringLiteral( "runs" ), static_cast<int>( sorted.size() ) },
        { QStringLiteral( "mean_first_order_clusters" ), mean },
        { QStringLiteral( "p95_first_order_clusters" ), sorted[std::min( sorted.size() - 1, static_cast<std::size_t>( std::ceil( 0.95 * sorted.size() ) ) - 1 )] },
        { QStringLiteral( "max_first_order_clusters" ), sorted.back() } };
  }
  o[QStringLiteral( "seconds" )] = seconds;
  return o;
}

std::vector<int32_t> thresholdComponents( const std::vector<double> &x, const std::vector<double> &y, double distance, int minMembers, int *count )
{
  const std::size_t n = x.size();
  std::vector<int32_t> label( n, -1 );
  if ( count )
    *count = 0;
  if ( n == 0 || !( distance > 0 ) )
    return label;
  const PointGrid grid( x.data(), y.data(), n, distance );
  DisjointSets sets( n );
  grid.forEachPairWithin( distance, [&sets]( uint32_t i, uint32_t j ) { sets.unite( i, j ); } );
  std::vector<uint32_t> size( n, 0 );
  for ( std::size_t i = 0; i < n; ++i )
    ++size[sets.find( static_cast<uint32_t>( i ) )];
  std::vector<int32_t> idOfRoot( n, -1 );
  int next = 0;
  for ( std::size_t i = 0; i < n; ++i )
  {
    const uint32_t r = sets.find( static_cast<uint32_t>( i ) );
    if ( size[r] < static_cast<uint32_t>( std::max( minMembers, 1 ) ) )
      continue;
    if ( idOfRoot[r] < 0 )
      idOfRoot[r] = next++;
    label[i] = idOfRoot[r];
  }
  if ( count )
    *count = next;
  return label;
}

void describeCluster( NnhCluster &cluster, const ClusterPoints &points )
{
  const std::size_t n = cluster.incidents.size();
  double mx = 0, my = 0;
  for ( uint32_t i : cluster.incidents )
  {
    mx += points.x[i];
    my += points.y[i];
  }
  mx /= n;
  my /= n;
  cluster.meanCentre = QgsPointXY( mx, my );

  auto multi = std::make_unique<QgsMultiPoint>();
  for ( uint32_t i : cluster.incidents )
    multi->addGeometry( new QgsPoint( points.x[i], points.y[i] ) );
  cluster.convexHull = QgsGeometry( std::move( multi ) ).convexHull();
  cluster.hullArea = cluster.convexHull.area();

  if ( n > 2 )
  {
    double sxx = 0, syy = 0, sxy = 0;
    for ( uint32_t i : cluster.incidents )
    {
      const double dx = points.x[i] - mx, dy = points.y[i] - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    // Principal axes of the scatter matrix: the axes CrimeStat's rotation formula finds.
    const double tr = sxx + syy;
    const double det = sxx * syy - sxy * sxy;
    const double disc = std::sqrt( std::max( 0.0, tr * tr / 4 - det ) );
    const double l1 = tr / 2 + disc, l2 = std::max( 0.0, tr / 2 - disc );
    double vx, vy; // major axis direction
    if ( std::abs( sxy ) > 1e-12 * tr )
    {
      vx = l1 - syy;
      vy = sxy;
    }
    else
    {
      vx = sxx >= syy ? 1 : 0;
      vy = sxx >= syy ? 0 : 1;
    }
    const double len = std::hypot( vx, vy );
    vx /= len;
    vy /= len;
    cluster.ellipseMajor = std::sqrt( 2.0 * l1 / static_cast<double>( n - 2 ) );
    cluster.ellipseMinor = std::sqrt( 2.0 * l2 / static_cast<double>( n - 2 ) );
    double angle = std::atan2( vx, vy ) * 180.0 / M_PI; // clockwise from north
    if ( angle < 0 )
      angle += 180;
    if ( angle >= 180 )
      angle -= 180;
    cluster.ellipseAngle = angle;
    cluster.ellipseArea = M_PI * cluster.ellipseMajor * cluster.ellipseMinor;
    QVector<double> xs, ys;
    for ( int k = 0; k <= 72; ++k )
    {
      const double a = 2 * M_PI * ( k % 72 ) / 72.0;
      const double u = cluster.ellipseMajor * std::cos( a ), v = cluster.ellipseMinor * std::sin( a );
      xs << mx + u * vx - v * vy;
      ys << my + u * vy + v * vx;
    }
    auto polygon = std::make_unique<QgsPolygon>();
    polygon->setExteriorRing( new QgsLineString( xs, ys ) );
    cluster.ellipse = QgsGeometry( std::move( polygon ) );
  }
  const double area = cluster.ellipseArea > 0 ? cluster.ellipseArea : cluster.hullArea;
  cluster.density = area > 0 ? n / area : 0;
}

NnhResult runNnh( const ClusterPoints &points, const NnhParameters &parameters, QgsFeedback *feedback )
{
  QElapsedTimer timer;
  timer.start();
  NnhResult result;
  NnhParameters p = parameters;
  if ( p.studyArea <= 0 && !p.studyAreaGeometry.isNull() )
    p.studyArea = p.studyAreaGeometry.area();
  result.parameters = p;
  if ( p.fixedDistance <= 0 && !( p.studyArea > 0 ) )
  {
    result.errorString = QStringLiteral( "NNH needs the study area (or a fixed distance)" );
    return result;
  }
  if ( p.fixedDistance <= 0 && !( p.pValue > 0 && p.pValue < 1 ) )
  {
    result.errorString = QStringLiteral( "the threshold probability must be between 0 and 1" );
    return result;
  }
  if ( p.minPoints < 2 )
  {
    result.errorString = QStringLiteral( "the minimum cluster size must be at least 2" );
    return result;
  }
  if ( points.size() < static_cast<std::size_t>( p.minPoints ) )
  {
    result.errorString = QStringLiteral( "%1 points are fewer than the minimum cluster size %2" ).arg( points.size() ).arg( p.minPoints );
    return result;
  }
  const double tp = p.fixedDistance > 0 ? 0 : boost::math::quantile( boost::math::normal(), p.pValue );
  auto threshold = [&]( std::size_t n, NnhOrderThreshold &t )
  {
    t.inputs = static_cast<int>( n );
    if ( p.studyArea > 0 )
    {
      const double nd = static_cast<double>( n );
      t.randomDistance = 0.5 * std::sqrt( p.studyArea / nd );
      t.standardError = 0.26136 / std::sqrt( nd * nd / p.studyArea );
    }
    t.threshold = p.fixedDistance > 0 ? p.fixedDistance : t.randomDistance + tp * t.standardError;
  };

  std::vector<double> x = points.x, y = points.y;
  std::vector<std::vector<uint32_t>> incidentsOf( points.size() );
  for ( std::size_t i = 0; i < points.size(); ++i )
    incidentsOf[i] = { static_cast<uint32_t>( i ) };
  for ( int order = 1; order <= std::max( 1, p.maxOrder ); ++order )
  {
    if ( feedback )
    {
      if ( feedback->isCanceled() )
      {
        result.canceled = true;
        result.errorString = QStringLiteral( "canceled" );
        return result;
      }
      feedback->setProgress( 80.0 * ( order - 1 ) / std::max( 1, p.maxOrder ) );
    }
    if ( x.size() < static_cast<std::size_t>( p.minPoints ) )
      break;
    NnhOrderThreshold t;
    t.order = order;
    threshold( x.size(), t );
    if ( !( t.threshold > 0 ) )
      break;
    int count = 0;
    const std::vector<int32_t> label = thresholdComponents( x, y, t.threshold, p.minPoints, &count );
    result.orders.push_back( t );
    if ( order == 1 )
      result.firstOrderLabel = label;
    if ( count == 0 )
      break;
    std::vector<NnhCluster> found( count );
    for ( std::size_t i = 0; i < label.size(); ++i )
      if ( label[i] >= 0 )
      {
        NnhCluster &c = found[label[i]];
        c.members.push_back( static_cast<uint32_t>( i ) );
        c.incidents.insert( c.incidents.end(), incidentsOf[i].begin(), incidentsOf[i].end() );
      }
    std::vector<double> nx, ny;
    std::vector<std::vector<uint32_t>> nextIncidents;
    for ( int id = 0; id < count; ++id )
    {
      NnhCluster &c = found[id];
      c.order = order;
      c.id = id;
      std::sort( c.incidents.begin(), c.incidents.end() );
      describeCluster( c, points );
      // The next order clusters the mean centres of this order's clusters (of their own inputs).
      double mx = 0, my = 0;
      for ( uint32_t m : c.members )
      {
        mx += x[m];
        my += y[m];
      }
      nx.push_back( mx / c.members.size() );
      ny.push_back( my / c.members.size() );
      nextIncidents.push_back( c.incidents );
      result.clusters.push_back( std::move( c ) );
    }
    x = std::move( nx );
    y = std::move( ny );
    incidentsOf = std::move( nextIncidents );
  }

  if ( p.monteCarloRuns > 0 && !result.orders.empty() )
  {
    if ( p.studyAreaGeometry.isNull() || p.studyAreaGeometry.isEmpty() )
    {
      result.errorString = QStringLiteral( "the Monte Carlo simulation needs the study area polygon" );
      return result;
    }
    std::unique_ptr<QgsGeometryEngine> engine( QgsGeometry::createGeometryEngine( p.studyAreaGeometry.constGet() ) );
    engine->prepareGeometry();
    const QgsRectangle box = p.studyAreaGeometry.boundingBox();
    std::mt19937_64 rng( p.seed );
    std::uniform_real_distribution<double> ux( box.xMinimum(), box.xMaximum() ), uy( box.yMinimum(), box.yMaximum() );
    for ( int run = 0; run < p.monteCarloRuns; ++run )
    {
      if ( feedback )
      {
        if ( feedback->isCanceled() )
        {
          result.canceled = true;
          result.errorString = QStringLiteral( "canceled" );
          return result;
        }
        feedback->setProgress( 80 + 20.0 * run / p.monteCarloRuns );
      }
      std::vector<double> rx, ry;
      rx.reserve( points.size() );
      ry.reserve( points.size() );
      while ( rx.size() < points.size() )
      {
        const double px = ux( rng ), py = uy( rng );
        QgsPoint pt( px, py );
        if ( engine->intersects( &pt ) )
        {
          rx.push_back( px );
          ry.push_back( py );
        }
      }
      int count = 0;
      thresholdComponents( rx, ry, result.orders.front().threshold, p.minPoints, &count );
      result.monteCarloClusterCounts.push_back( count );
    }
  }

  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  result.seconds = timer.nsecsElapsed() / 1e9;
  return result;
}

} // namespace statdesk::clustering
