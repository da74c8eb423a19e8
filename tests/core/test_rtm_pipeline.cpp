// The RTM pipeline without a project: lattice operations against brute force, and a synthetic
// city with planted relative risks (points, lines and polygons as factors) that runRtm must recover.
#include "TestSupport.h"
#include "rtm/RtmEngine.h"
#include "rtm/RtmSpatial.h"

#include <QJsonDocument>

#include <qgslinestring.h>
#include <qgspolygon.h>

#include <cmath>
#include <random>

using namespace statdesk::rtm;

namespace
{
double segDist( double px, double py, double ax, double ay, double bx, double by )
{
  const double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
  const double t = std::clamp( l2 > 0 ? ( ( px - ax ) * dx + ( py - ay ) * dy ) / l2 : 0.0, 0.0, 1.0 );
  return std::hypot( ax + t * dx - px, ay + t * dy - py );
}

// Knuth's Poisson sampler on a fixed generator: identical numbers on every platform.
int poisson( std::mt19937_64 &rng, double mu )
{
  const double l = std::exp( -mu );
  double p = 1;
  int k = 0;
  do
  {
    ++k;
    p *= ( rng() >> 11 ) * ( 1.0 / 9007199254740992.0 );
  } while ( p > l );
  return k - 1;
}

double uniform( std::mt19937_64 &rng, double a, double b )
{
  return a + ( b - a ) * ( rng() >> 11 ) * ( 1.0 / 9007199254740992.0 );
}

struct Planted
{
    RtmParameters parameters;
    RtmInputs inputs;
};

/**
 * 7.2 x 6 km area (an L-shape: the top-right corner is outside), cells of 60 m, block 120 m.
 * Factors: shops (points, RR 2.0 within 120 m), roads (lines, RR 1.5 within 240 m),
 * lots (polygons, RR 1.8 within 120 m incl. inside), benches (points, no effect).
 */
Planted makePlanted( quint64 seed )
{
  Planted p;
  std::mt19937_64 rng( seed );
  p.inputs.studyArea = QgsGeometry::fromWkt( QStringLiteral( "POLYGON((0 0, 7200 0, 7200 3600, 4800 3600, 4800 6000, 0 6000, 0 0))" ) );
  p.inputs.crsAuthid = QStringLiteral( "EPSG:26915" );
  FeatureSet shops, roads, lots, benches;
  for ( int i = 0; i < 260; ++i )
  {
    shops.x.push_back( uniform( rng, 0, 7200 ) );
    shops.y.push_back( uniform( rng, 0, 6000 ) );
  }
  for ( int i = 0; i < 260; ++i )
  {
    benches.x.push_back( uniform( rng, 0, 7200 ) );
    benches.y.push_back( uniform( rng, 0, 6000 ) );
  }
  for ( int i = 0; i < 14; ++i )
  {
    const double x = uniform( rng, 0, 7200 ), y = uniform( rng, 0, 6000 ), a = uniform( rng, 0, M_PI );
    const double l = uniform( rng, 300, 900 );
    QgsGeometry g( new QgsLineString( QVector<QgsPointXY> { QgsPointXY( x, y ), QgsPointXY( x + l * std::cos( a ), y + l * std::sin( a ) ), QgsPointXY( x + l * std::cos( a ) + 200, y + l * std::sin( a ) ) } ) );
    roads.shapes.push_back( g );
    const QgsPointXY c = g.pointOnSurface().asPoint();
    roads.x.push_back( c.x() );
    roads.y.push_back( c.y() );
  }
  for ( int i = 0; i < 45; ++i )
  {
    const double x = uniform( rng, 0, 7000 ), y = uniform( rng, 0, 5800 ), w = uniform( rng, 60, 200 ), h = uniform( rng, 60, 200 );
    QgsGeometry g = QgsGeometry::fromRect( QgsRectangle( x, y, x + w, y + h ) );
    lots.shapes.push_back( g );
    lots.x.push_back( x + w / 2 );
    lots.y.push_back( y + h / 2 );
  }
  const RtmGrid grid = makeGrid( p.inputs.studyArea, 60 );
  const std::vector<float> dShops = squaredDistanceField( grid, shops, 400 );
  const std::vector<float> dRoads = squaredDistanceField( grid, roads, 400 );
  const std::vector<float> dLots = squaredDistanceField( grid, lots, 400 );
  for ( int r = 0; r < grid.cellsInArea(); ++r )
  {
    double mu = 0.12;
    mu *= dShops[r] <= 120 * 120 + 1e-6 ? 2.0 : 1.0;
    mu *= dRoads[r] <= 240 * 240 + 1e-6 ? 1.5 : 1.0;
    mu *= dLots[r] <= 120 * 120 + 1e-6 ? 1.8 : 1.0;
    const int c = grid.cellOfRow[r];
    for ( FeatureSet *fs : { &p.inputs.outcome, &p.inputs.outcomeTest } )
    {
      const int k = poisson( rng, mu );
      for ( int e = 0; e < k; ++e )
      {
        fs->x.push_back( grid.centreX( c ) + uniform( rng, -29, 29 ) );
        fs->y.push_back( grid.centreY( c ) + uniform( rng, -29, 29 ) );
      }
    }
  }
  p.inputs.factors = { shops, roads, lots, benches };
  RtmParameters &par = p.parameters;
  par.blockLength = 120;
  par.cellSize = 60;
  par.testFrom = QDate( 2025, 1, 1 );
  par.testTo = QDate( 2025, 12, 31 );
  for ( const char *name : { "shops", "roads", "lots", "benches" } )
  {
    RiskFactorSpec f;
    f.name = QLatin1String( name );
    f.layer = f.name;
    f.operationalisation = Operationalisation::Both;
    par.factors << f;
  }
  return p;
}
} // namespace

class TestRtmPipeline : public QObject
{
    Q_OBJECT
  private slots:
    void gridCellsByCentroid()
    {
      const QgsGeometry area = QgsGeometry::fromWkt( QStringLiteral( "POLYGON((0 0, 100 0, 100 100, 0 100, 0 0),(40 40, 60 40, 60 60, 40 60, 40 40))" ) );
      const RtmGrid g = makeGrid( area, 10 );
      QCOMPARE( g.cols, 10 );
      QCOMPARE( g.rows, 10 );
      QCOMPARE( g.cellsInArea(), 96 ); // the 2 x 2 hole is out
      QCOMPARE( g.rowOfPoint( 45, 45 ), -1 );
      QVERIFY( g.rowOfPoint( 5, 5 ) >= 0 );
      QCOMPARE( g.rowOfPoint( -1, 5 ), -1 );
      // A triangle: cells whose centroid lies below its slanted edge y = 0.9 x (no centroid on it).
      const RtmGrid t = makeGrid( QgsGeometry::fromWkt( QStringLiteral( "POLYGON((0 0, 100 0, 100 90, 0 0))" ) ), 10 );
      QCOMPARE( t.rows, 9 );
      int expected = 0;
      for ( int r = 0; r < 9; ++r )
        for ( int c = 0; c < 10; ++c )
          expected += ( r + 0.5 ) < 0.9 * ( c + 0.5 );
      QCOMPARE( t.cellsInArea(), expected );
    }

    void distanceFieldMatchesBruteForce()
    {
      const QgsGeometry area = QgsGeometry::fromRect( QgsRectangle( 0, 0, 1000, 800 ) );
      const RtmGrid g = makeGrid( area, 25 );
      std::mt19937_64 rng( 3 );
      FeatureSet pts;
      for ( int i = 0; i < 30; ++i )
      {
        pts.x.push_back( uniform( rng, -50, 1050 ) );
        pts.y.push_back( uniform( rng, -50, 850 ) );
      }
      FeatureSet shapes;
      shapes.shapes.push_back( QgsGeometry::fromWkt( QStringLiteral( "LINESTRING(100 100, 600 400, 650 700)" ) ) );
      shapes.shapes.push_back( QgsGeometry::fromWkt( QStringLiteral( "MULTIPOLYGON(((700 100, 900 100, 900 300, 700 300, 700 100),(760 160, 840 160, 840 240, 760 240, 760 160)))" ) ) );
      shapes.x = { 0, 0 };
      shapes.y = { 0, 0 };
      const double maxD = 180;
      const std::vector<float> dp = squaredDistanceField( g, pts, maxD );
      const std::vector<float> ds = squaredDistanceField( g, shapes, maxD );
      for ( int r = 0; r < g.cellsInArea(); ++r )
      {
        const double x = g.centreX( g.cellOfRow[r] ), y = g.centreY( g.cellOfRow[r] );
        double best = 1e300;
        for ( int i = 0; i < pts.count(); ++i )
          best = std::min( best, std::hypot( x - pts.x[i], y - pts.y[i] ) );
        if ( best <= maxD )
          QVERIFY( std::fabs( std::sqrt( dp[r] ) - best ) < 1e-3 );
        else
          QVERIFY( std::isinf( dp[r] ) );
        // Line, polygon edges (outer and hole), 0 inside the polygon but not in its hole.
        double s = std::min( segDist( x, y, 100, 100, 600, 400 ), segDist( x, y, 600, 400, 650, 700 ) );
        const double ring[2][5][2] = { { { 700, 100 }, { 900, 100 }, { 900, 300 }, { 700, 300 }, { 700, 100 } }, { { 760, 160 }, { 840, 160 }, { 840, 240 }, { 760, 240 }, { 760, 160 } } };
        for ( const auto &rg : ring )
          for ( int k = 0; k < 4; ++k )
            s = std::min( s, segDist( x, y, rg[k][0], rg[k][1], rg[k + 1][0], rg[k + 1][1] ) );
        const bool inside = x > 700 && x < 900 && y > 100 && y < 300 && !( x > 760 && x < 840 && y > 160 && y < 240 );
        if ( inside )
          s = 0;
        if ( s <= maxD )
          QVERIFY2( std::fabs( std::sqrt( ds[r] ) - s ) < 1e-3, qPrintable( QStringLiteral( "%1 %2: %3 vs %4" ).arg( x ).arg( y ).arg( std::sqrt( ds[r] ) ).arg( s ) ) );
        else
          QVERIFY( std::isinf( ds[r] ) );
      }
    }

    void quarticDensityMatchesBruteForce()
    {
      const RtmGrid g = makeGrid( QgsGeometry::fromRect( QgsRectangle( 0, 0, 500, 500 ) ), 20 );
      std::vector<double> x { 100, 110, 400, 250 }, y { 100, 130, 420, 250 };
      const double radius = 90;
      const std::vector<double> d = quarticDensity( g, x, y, radius );
      for ( int r = 0; r < g.cellsInArea(); ++r )
      {
        double e = 0;
        for ( std::size_t i = 0; i < x.size(); ++i )
        {
          const double u = ( std::pow( g.centreX( g.cellOfRow[r] ) - x[i], 2 ) + std::pow( g.centreY( g.cellOfRow[r] ) - y[i], 2 ) ) / ( radius * radius );
          if ( u < 1 )
            e += 3 / ( M_PI * radius * radius ) * ( 1 - u ) * ( 1 - u );
        }
        QVERIFY( std::fabs( d[r] - e ) < 1e-15 );
      }
    }

    void recoversPlantedRisks()
    {
      const Planted p = makePlanted( 11 );
      const RtmResult r = runRtm( p.parameters, p.inputs );
      QVERIFY2( r.ok, qPrintable( r.error ) );
      qInfo( "%s", qPrintable( r.narrative ) );
      qInfo( "timings %s", QJsonDocument( r.timings ).toJson( QJsonDocument::Compact ).constData() );
      // 4 factors x (3 proximity + 3 density bands) candidates named as RTMDx does.
      QCOMPARE( static_cast<int>( r.candidates.size() ), 24 );
      QCOMPARE( r.candidates[0].name, QStringLiteral( "r1p1_shops_proximity_120" ) );
      QCOMPARE( r.candidates[3].name, QStringLiteral( "r1d1_shops_density_120" ) );
      const std::map<QString, std::pair<QString, double>> truth { { QStringLiteral( "shops" ), { QStringLiteral( "r1p1_shops_proximity_120" ), 2.0 } },
                                                                  { QStringLiteral( "roads" ), { QStringLiteral( "r2p2_roads_proximity_240" ), 1.5 } },
                                                                  { QStringLiteral( "lots" ), { QStringLiteral( "r3p1_lots_proximity_120" ), 1.8 } } };
      const FamilyModel &m = r.chosen();
      QSet<QString> factors;
      for ( const ModelTerm &t : m.terms )
      {
        qInfo( "%s beta %.4f se %.4f RRV %.3f", qPrintable( t.variable ), t.beta, t.se, t.rrv );
        QVERIFY2( t.factor != QLatin1String( "benches" ), "the null factor was selected" );
        QVERIFY2( !factors.contains( t.factor ), "two variables of one factor" );
        factors << t.factor;
        const auto it = truth.find( t.factor );
        QVERIFY( it != truth.end() );
        QCOMPARE( t.variable, it->second.first );
        QVERIFY2( std::fabs( t.rrv / it->second.second - 1 ) < 0.15, qPrintable( QStringLiteral( "%1 RRV %2 vs %3" ).arg( t.factor ).arg( t.rrv ).arg( it->second.second ) ) );
      }
      QCOMPARE( factors.size(), 3 );
      // Poisson data: Poisson must not lose to NB by BIC.
      QCOMPARE( r.chosenFamily, CountFamily::Poisson );
      QVERIFY( r.poisson.bic < r.negativeBinomial.bic );
      // ... and NB, whose best dispersion here is ~0, selects the same variables.
      QVERIFY2( r.negativeBinomial.ok, qPrintable( r.negativeBinomial.error ) );
      QCOMPARE( r.negativeBinomial.variables, r.poisson.variables );
      // RRS: min 1, max = product of the RRVs; classes partition the area and the events.
      const double maxRrs = *std::max_element( r.rrs.begin(), r.rrs.end() );
      double prod = 1;
      for ( const ModelTerm &t : m.terms )
        prod *= t.rrv;
      QVERIFY( std::fabs( *std::min_element( r.rrs.begin(), r.rrs.end() ) - 1 ) < 1e-12 );
      QVERIFY( std::fabs( maxRrs - prod ) < 1e-9 * prod );
      double area = 0, events = 0;
      for ( const RiskClass &c : r.classes )
      {
        area += c.areaShare;
        events += c.eventShare;
      }
      QVERIFY( std::fabs( area - 1 ) < 1e-12 && std::fabs( events - 1 ) < 1e-12 );
      QVERIFY( r.highRiskPlaceCount > 0 );
      QVERIFY( !r.highRiskPlaces.isNull() );
      QVERIFY( std::fabs( r.highRiskPlaces.area() - r.classes.back().cells * 3600.0 ) < 1e-3 );
      // Validation: 9 rows; RTM beats a random ranking (PAI > 1) on the planted terrain.
      QCOMPARE( static_cast<int>( r.validation.size() ), 9 );
      for ( const ValidationRow &v : r.validation )
      {
        QVERIFY( v.pei <= 1 + 1e-12 );
        if ( v.method == QLatin1String( "rtm" ) )
          QVERIFY( v.pai > 1.3 );
      }
      // The audit holds the CV curve and both traces.
      QVERIFY( r.audit.value( QStringLiteral( "cv_curve" ) ).toArray().size() >= 5 );
      QVERIFY( r.audit.value( QStringLiteral( "poisson" ) ).toObject().value( QStringLiteral( "trace" ) ).toArray().size() >= 4 );
    }

    void deterministic()
    {
      const Planted p = makePlanted( 5 );
      RtmParameters par = p.parameters;
      par.threads = 1;
      const RtmResult a = runRtm( par, p.inputs );
      par.threads = 2;
      const RtmResult b = runRtm( par, p.inputs );
      QVERIFY( a.ok && b.ok );
      QCOMPARE( QJsonDocument( a.audit ).toJson(), QJsonDocument( b.audit ).toJson() );
      QVERIFY( a.rrs == b.rrs );
      QCOMPARE( a.narrative, b.narrative );
    }

    void refusesBadParameters()
    {
      Planted p = makePlanted( 5 );
      RtmParameters par = p.parameters;
      par.blockLength = 0;
      RtmResult r = runRtm( par, p.inputs );
      QVERIFY( !r.ok );
      QVERIFY( r.error.contains( QStringLiteral( "block length" ) ) );
      par = p.parameters;
      par.factors[1].name = QStringLiteral( "shops" );
      QVERIFY( runRtm( par, p.inputs ).error.contains( QStringLiteral( "twice" ) ) );
      par = p.parameters;
      par.cellSize = 5000;
      QVERIFY( runRtm( par, p.inputs ).error.contains( QStringLiteral( "cell size" ) ) );
      RtmInputs empty = p.inputs;
      empty.outcome = FeatureSet();
      QVERIFY( runRtm( p.parameters, empty ).error.contains( QStringLiteral( "no outcome events" ) ) );
    }
};

STATDESK_QGIS_TEST_MAIN( TestRtmPipeline )
#include "test_rtm_pipeline.moc"
