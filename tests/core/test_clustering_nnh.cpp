// CrimeStat NNH: first-order clusters against scipy's connected components of the threshold
// graph (committed fixture), the random-expectation threshold, higher orders and the shapes.
#include "ClusteringTestSupport.h"
#include "TestSupport.h"
#include "clustering/NearestNeighbourHierarchical.h"
#include "clustering/PointReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace statdesk;
using namespace statdesk::clustering;

class TestClusteringNnh : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase()
  {
    QString error;
    CsvPointSource s{ test::testData( QStringLiteral( "clustering/nnh_points.csv" ) ), QStringLiteral( "x" ), QStringLiteral( "y" ), QString() };
    QVERIFY2( readCsvPoints( s, mPoints, &error ), qPrintable( error ) );
    mReference = test::readCsvTable( test::testData( QStringLiteral( "clustering/nnh_reference.csv" ) ) );
    mCases = test::readCsvTable( test::testData( QStringLiteral( "clustering/nnh_cases.csv" ) ) );
    QCOMPARE( static_cast<std::size_t>( mReference.rows.size() ), mPoints.size() );
    QCOMPARE( mCases.rows.size(), 4 );
  }

  void firstOrderEqualsScipyComponents_data()
  {
    QTest::addColumn<int>( "row" );
    for ( int i = 0; i < 4; ++i )
      QTest::newRow( qPrintable( mCases.rows[i][0] ) ) << i;
  }

  void firstOrderEqualsScipyComponents()
  {
    QFETCH( int, row );
    const QStringList c = mCases.rows[row];
    NnhParameters p;
    p.minPoints = c[2].toInt();
    p.maxOrder = 1;
    if ( c[3].toDouble() > 0 )
    {
      p.studyArea = c[3].toDouble();
      p.pValue = c[4].toDouble();
    }
    else
      p.fixedDistance = c[1].toDouble();
    const NnhResult r = runNnh( mPoints, p );
    QVERIFY2( r.ok, qPrintable( r.errorString ) );
    QCOMPARE( r.orders.size(), std::size_t( 1 ) );
    // The CrimeStat threshold (random NN distance + t_p SE), as scipy.stats.norm.ppf computes it.
    QVERIFY( std::abs( r.orders[0].threshold - c[1].toDouble() ) < 1e-9 );
    const std::vector<int32_t> expected = mReference.integers( c[0] );
    QCOMPARE( r.firstOrderLabel, expected );
    QCOMPARE( static_cast<int>( r.clusters.size() ), *std::max_element( expected.begin(), expected.end() ) + 1 );
    for ( const NnhCluster &cluster : r.clusters )
      QVERIFY( static_cast<int>( cluster.incidents.size() ) >= p.minPoints );
  }

  void thresholdFormula()
  {
    // N = 100 in 1 km^2: d_ran = 0.5 sqrt(1e6/100) = 50, SE = 0.26136 / sqrt(100^2 / 1e6) = 2.6136.
    ClusterPoints p;
    for ( int i = 0; i < 100; ++i )
      p.append( ( i % 10 ) * 100.0, ( i / 10 ) * 100.0, i );
    NnhParameters params;
    params.studyArea = 1e6;
    params.pValue = 0.5;
    params.maxOrder = 1;
    NnhResult r = runNnh( p, params );
    QVERIFY( r.ok );
    QCOMPARE( r.orders[0].randomDistance, 50.0 );
    QVERIFY( std::abs( r.orders[0].standardError - 2.6136 ) < 1e-12 );
    QCOMPARE( r.orders[0].threshold, 50.0 );
    params.pValue = 0.05; // smaller p, smaller distance: 50 - 1.6449 x 2.6136
    r = runNnh( p, params );
    QVERIFY( std::abs( r.orders[0].threshold - ( 50 - 1.6448536269514729 * 2.6136 ) ) < 1e-9 );
  }

  void higherOrdersAndShapes()
  {
    // Twelve tight groups of 12 points; groups 150 apart in a 3 x 4 lattice -> first order 12
    // clusters, second order one cluster of their centres (fixed distance 160 links neighbours).
    ClusterPoints p;
    qint64 id = 0;
    for ( int g = 0; g < 12; ++g )
    {
      const double gx = ( g % 3 ) * 150.0, gy = ( g / 3 ) * 150.0;
      for ( int i = 0; i < 12; ++i )
        p.append( gx + ( i % 4 ) * 10.0, gy + ( i / 4 ) * 5.0, ++id );
    }
    NnhParameters params;
    params.minPoints = 10;
    params.maxOrder = 3;
    params.fixedDistance = 12;
    NnhResult r = runNnh( p, params );
    QVERIFY2( r.ok, qPrintable( r.errorString ) );
    QCOMPARE( std::count_if( r.clusters.begin(), r.clusters.end(), []( const NnhCluster &c )
                             { return c.order == 1; } ),
              12L );
    // Second order needs the same fixed distance to link centres 150 apart: none at 12.
    QCOMPARE( std::count_if( r.clusters.begin(), r.clusters.end(), []( const NnhCluster &c )
                             { return c.order == 2; } ),
              0L );
    params.fixedDistance = 160; // everything links at order 1 into one cluster of 144
    r = runNnh( p, params );
    QCOMPARE( r.clusters.front().incidents.size(), std::size_t( 144 ) );

    // Shapes of the first group: a 4 x 3 lattice 30 wide and 10 high.
    params.fixedDistance = 12;
    r = runNnh( p, params );
    const NnhCluster &c = r.clusters.front();
    QCOMPARE( c.meanCentre, QgsPointXY( 15, 5 ) );
    QVERIFY( std::abs( c.hullArea - 300 ) < 1e-9 );
    // Scatter: sum dx^2 = 3 x (225+25+25+225) = 1500, sum dy^2 = 4 x (25+0+25) = 200, no covariance.
    QVERIFY( std::abs( c.ellipseMajor - std::sqrt( 2 * 1500.0 / 10 ) ) < 1e-9 );
    QVERIFY( std::abs( c.ellipseMinor - std::sqrt( 2 * 200.0 / 10 ) ) < 1e-9 );
    QVERIFY( std::abs( c.ellipseAngle - 90 ) < 1e-9 ); // major axis east-west
    QVERIFY( c.ellipse.boundingBox().width() > c.ellipse.boundingBox().height() );
    QVERIFY( std::abs( c.ellipseArea - M_PI * c.ellipseMajor * c.ellipseMinor ) < 1e-9 );
  }

  void secondOrderOnCentres()
  {
    // 10 groups of 10 points each, groups 100 apart on a line: order 1 at distance 5 gives 10
    // clusters; their centres are 100 apart, so order 2 (same fixed distance) finds none, and
    // with the random-expectation threshold in a small area it finds one.
    ClusterPoints p;
    qint64 id = 0;
    for ( int g = 0; g < 10; ++g )
      for ( int i = 0; i < 10; ++i )
        p.append( g * 100.0 + i * 2.0, 0, ++id );
    NnhParameters params;
    params.minPoints = 10;
    params.studyArea = 4e6; // d_ran (N = 100) = 100: too large, would link all groups at once
    params.fixedDistance = 5;
    NnhResult r = runNnh( p, params );
    QCOMPARE( r.clusters.size(), std::size_t( 10 ) );
    params.fixedDistance = 0;
    params.studyArea = 1e4; // order 1: d = 5 (N = 100); order 2: d = 0.5 sqrt(1e4 / 10) = 15.8 < 100
    r = runNnh( p, params );
    QVERIFY( r.ok );
    QCOMPARE( r.orders.size(), std::size_t( 2 ) );
    QCOMPARE( r.orders[1].inputs, 10 );
    params.studyArea = 5e5; // order 1: d = 35.4 links nothing across groups (gap 82); order 2: d = 111.8 > 100
    r = runNnh( p, params );
    QCOMPARE( std::count_if( r.clusters.begin(), r.clusters.end(), []( const NnhCluster &c )
                             { return c.order == 2; } ),
              1L );
    QCOMPARE( r.clusters.back().incidents.size(), std::size_t( 100 ) );
    QCOMPARE( r.clusters.back().members.size(), std::size_t( 10 ) );
  }

  void monteCarloAndErrors()
  {
    NnhParameters params;
    QVERIFY( !runNnh( mPoints, params ).ok ); // no area, no distance
    params.studyArea = 4e6;
    params.pValue = 1.5;
    QVERIFY( !runNnh( mPoints, params ).ok );
    params.pValue = 0.05;
    params.monteCarloRuns = 5;
    params.studyAreaGeometry = QgsGeometry::fromRect( QgsRectangle( 0, 0, 2000, 2000 ) );
    const NnhResult r = runNnh( mPoints, params );
    QVERIFY2( r.ok, qPrintable( r.errorString ) );
    QCOMPARE( r.monteCarloClusterCounts.size(), std::size_t( 5 ) );
    // Random points over the same area form fewer clusters than the clustered data.
    for ( int count : r.monteCarloClusterCounts )
      QVERIFY( count < static_cast<int>( std::count_if(
                           r.clusters.begin(), r.clusters.end(), []( const NnhCluster &c )
                           { return c.order == 1; } ) ) );
  }

  void cliNnh()
  {
    QTemporaryDir dir;
    const QString labels = dir.filePath( QStringLiteral( "nnh.csv" ) );
    const test::ProcessResult r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "nnh" ),
                                               QStringLiteral( "--input" ), test::testData( QStringLiteral( "clustering/nnh_points.csv" ) ),
                                               QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ),
                                               QStringLiteral( "--area" ), QStringLiteral( "4000000" ), QStringLiteral( "--p" ), QStringLiteral( "0.05" ),
                                               QStringLiteral( "--min" ), QStringLiteral( "10" ), QStringLiteral( "--labels" ), labels, QStringLiteral( "--json" ) } );
    QVERIFY2( r.exitCode == 0, r.err.constData() );
    const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
    QVERIFY( std::abs( json[QStringLiteral( "orders" )].toArray().first().toObject()[QStringLiteral( "threshold" )].toDouble() - mCases.rows[3][1].toDouble() ) < 1e-9 );
    QVERIFY( json[QStringLiteral( "clusters" )].toArray().first().toObject()[QStringLiteral( "hull_wkt" )].toString().startsWith( QStringLiteral( "Polygon" ) ) );
    const test::CsvTable out = test::readCsvTable( labels );
    const std::vector<int32_t> expected = mReference.integers( QStringLiteral( "area_p05_m10" ) );
    QCOMPARE( static_cast<std::size_t>( out.rows.size() ), expected.size() );
    for ( int i = 0; i < out.rows.size(); ++i )
      QCOMPARE( out.rows[i].value( 1 ).isEmpty() ? -1 : out.rows[i][1].toInt() - 1, expected[i] );
    // NNH on a CSV without area or distance is refused.
    const test::ProcessResult bad = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "nnh" ),
                                                 QStringLiteral( "--input" ), test::testData( QStringLiteral( "clustering/nnh_points.csv" ) ),
                                                 QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ) } );
    QCOMPARE( bad.exitCode, 2 );
  }

private:
  ClusterPoints mPoints;
  test::CsvTable mReference;
  test::CsvTable mCases;
};

STATDESK_QGIS_TEST_MAIN( TestClusteringNnh )
#include "test_clustering_nnh.moc"
