// Getis-Ord Gi* against R spdep::localG (committed fixture, 1e-9), FDR bins against statsmodels
// multipletests, and persistence classes.
#include "ClusteringTestSupport.h"
#include "TestSupport.h"
#include "clustering/GetisOrd.h"
#include "clustering/Persistence.h"
#include "clustering/PointReader.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <random>

using namespace statdesk;
using namespace statdesk::clustering;

class TestClusteringGiStar : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase()
  {
    QString error;
    CsvPointSource s{ test::testData( QStringLiteral( "clustering/gistar_points.csv" ) ), QStringLiteral( "x" ), QStringLiteral( "y" ), QString() };
    QVERIFY2( readCsvPoints( s, mPoints, &error ), qPrintable( error ) );
    mReference = test::readCsvTable( test::testData( QStringLiteral( "clustering/gistar_reference.csv" ) ) );
    QCOMPARE( mReference.rows.size(), 1200 );
  }

  void matchesSpdep_data()
  {
    QTest::addColumn<double>( "band" );
    QTest::addColumn<QString>( "column" );
    QTest::addColumn<int>( "stencil" );
    QTest::newRow( "default band cell x sqrt 2 (queen)" ) << 0.0 << "z_queen" << 9;
    QTest::newRow( "band 150 (queen)" ) << 150.0 << "z_queen" << 9;
    QTest::newRow( "band 250" ) << 250.0 << "z_band250" << 21;
  }

  void matchesSpdep()
  {
    QFETCH( double, band );
    QFETCH( QString, column );
    QFETCH( int, stencil );
    GiStarParameters p;
    p.cellSize = 100;
    p.band = band;
    p.extent = QgsRectangle( 0, 0, 3999.99, 2999.99 ); // the fixture's 40 x 30 grid
    const GiStarResult r = runGiStar( mPoints, p );
    QVERIFY2( r.ok, qPrintable( r.errorString ) );
    QCOMPARE( r.grid.columns, 40 );
    QCOMPARE( r.grid.rows, 30 );
    QCOMPARE( r.neighboursPerCell, stencil );
    QCOMPARE( r.pointsOutside, std::size_t( 0 ) );
    const std::vector<double> counts = mReference.numbers( QStringLiteral( "count" ) );
    const std::vector<double> z = mReference.numbers( column );
    QCOMPARE( r.counts, counts );
    double worst = 0;
    for ( std::size_t i = 0; i < z.size(); ++i )
      worst = std::max( worst, std::abs( r.z[i] - z[i] ) );
    QVERIFY2( worst <= 1e-9, qPrintable( QStringLiteral( "max |z - spdep| = %1" ).arg( worst ) ) );
    // The planted hot spots show up as 99% hot cells.
    QVERIFY( std::count( r.bin.begin(), r.bin.end(), 3 ) >= 20 );
  }

  void binsMatchStatsmodels()
  {
    const test::CsvTable t = test::readCsvTable( test::testData( QStringLiteral( "clustering/gistar_fdr_reference.csv" ) ) );
    QVERIFY( t.rows.size() > 1500 );
    for ( const QString &set : { QStringLiteral( "gistar" ), QStringLiteral( "synthetic" ) } )
    {
      std::vector<double> z, p;
      std::vector<int> bin, binFdr;
      for ( const QStringList &row : t.rows )
        if ( row[0] == set )
        {
          z.push_back( row[1].toDouble() );
          p.push_back( row[2].toDouble() );
          bin.push_back( row[3].toInt() );
          binFdr.push_back( row[4].toInt() );
        }
      const std::vector<double> ourP = twoSidedP( z );
      for ( std::size_t i = 0; i < p.size(); ++i )
        QVERIFY( std::abs( ourP[i] - p[i] ) <= 1e-12 * std::max( 1.0, p[i] ) + 1e-300 );
      const std::vector<int8_t> plain = confidenceBins( z, ourP, false );
      const std::vector<int8_t> fdr = confidenceBins( z, ourP, true );
      int fdrDiffers = 0;
      for ( std::size_t i = 0; i < z.size(); ++i )
      {
        QCOMPARE( static_cast<int>( plain[i] ), bin[i] );
        QCOMPARE( static_cast<int>( fdr[i] ), binFdr[i] );
        fdrDiffers += plain[i] != fdr[i];
      }
      QVERIFY( fdrDiffers > 0 ); // the correction changes something, or the test would not show it
    }
  }

  void uniformCountsGiveZeroZ()
  {
    const std::vector<double> flat( 100, 3.0 );
    const std::vector<double> z = giStarOnGrid( flat, 10, 10, 1.5 );
    for ( double v : z )
      QCOMPARE( v, 0.0 );
  }

  void refusesBadParameters()
  {
    GiStarParameters p;
    p.cellSize = 0;
    QVERIFY( !runGiStar( mPoints, p ).ok );
    p.cellSize = 100;
    p.band = 50; // no neighbour would be reached
    QVERIFY( !runGiStar( mPoints, p ).ok );
    p.band = 0;
    p.cellSize = 0.01; // billions of cells
    QVERIFY( !runGiStar( mPoints, p ).ok );
  }

  void persistenceClassification_data()
  {
    QTest::addColumn<int>( "hot" );
    QTest::addColumn<int>( "earlierHot" );
    QTest::addColumn<int>( "recentHot" );
    QTest::addColumn<QString>( "expected" );
    // 20 periods: 15 earlier, 5 recent.
    QTest::newRow( "16 of 20: persistent" ) << 16 << 12 << 4 << "persistent";
    QTest::newRow( "15 of 20: not persistent, recent >= 20%: intermittent" ) << 15 << 11 << 4 << "intermittent";
    QTest::newRow( "only recent: emerging" ) << 1 << 0 << 1 << "emerging";
    QTest::newRow( "1 of 15 earlier (< 10%) and 1 recent: emerging" ) << 2 << 1 << 1 << "emerging";
    QTest::newRow( "2 of 15 earlier, none recent: former" ) << 2 << 2 << 0 << "former";
    QTest::newRow( "1 of 15 earlier only: nothing" ) << 1 << 1 << 0 << "none";
    QTest::newRow( "never: nothing" ) << 0 << 0 << 0 << "none";
  }

  void persistenceClassification()
  {
    QFETCH( int, hot );
    QFETCH( int, earlierHot );
    QFETCH( int, recentHot );
    QFETCH( QString, expected );
    QCOMPARE( persistenceClassName( classifyPersistence( hot, 20, earlierHot, 15, recentHot, 5 ) ), expected );
  }

  void persistenceRun()
  {
    // Background events over 12 periods of 28 days on a 2 km square, plus a place hot all the
    // time, one hot only in the last 3 periods and one hot only in the first 6.
    ClusterPoints p;
    std::mt19937_64 rng( 3 );
    std::uniform_real_distribution<double> u( 0, 2000 ), day( 0, 28 );
    qint64 id = 0;
    for ( int period = 0; period < 12; ++period )
    {
      const double t0 = period * 28 * 86400.0;
      for ( int i = 0; i < 150; ++i )
        p.append( u( rng ), u( rng ), t0 + day( rng ) * 86400, ++id );
      auto burst = [&]( double x, double y, int n )
      {
        for ( int i = 0; i < n; ++i )
          p.append( x + u( rng ) / 40, y + u( rng ) / 40, t0 + day( rng ) * 86400, ++id );
      };
      burst( 410, 410, 12 );
      if ( period >= 9 )
        burst( 1610, 1610, 12 );
      if ( period < 6 )
        burst( 1610, 410, 12 );
    }
    PersistenceParameters params;
    params.giStar.cellSize = 100;
    params.giStar.extent = QgsRectangle( 0, 0, 1999, 1999 );
    params.periodDays = 28;
    params.recentPeriods = 3;
    const PersistenceResult r = runPersistence( p, params );
    QVERIFY2( r.ok, qPrintable( r.errorString ) );
    QCOMPARE( r.periods, 12 );
    auto classAt = [&r]( double x, double y )
    { return persistenceClassName( r.classes[static_cast<std::size_t>( r.grid.cellOf( x, y ) )] ); };
    QCOMPARE( classAt( 430, 430 ), QStringLiteral( "persistent" ) );
    QCOMPARE( classAt( 1630, 1630 ), QStringLiteral( "emerging" ) );
    QCOMPARE( classAt( 1630, 430 ), QStringLiteral( "former" ) );
    QCOMPARE( r.hotPeriods[static_cast<std::size_t>( r.grid.cellOf( 430, 430 ) )], uint16_t( 12 ) );
  }

  void cliGiStarCells()
  {
    QTemporaryDir dir;
    const QString cells = dir.filePath( QStringLiteral( "cells.csv" ) );
    const test::ProcessResult r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "gistar" ),
                                               QStringLiteral( "--input" ), test::testData( QStringLiteral( "clustering/gistar_points.csv" ) ),
                                               QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ),
                                               QStringLiteral( "--cell" ), QStringLiteral( "100" ), QStringLiteral( "--band" ), QStringLiteral( "250" ),
                                               QStringLiteral( "--fdr" ), QStringLiteral( "--cells" ), cells, QStringLiteral( "--json" ) } );
    QVERIFY2( r.exitCode == 0, r.err.constData() );
    const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
    QCOMPARE( json[QStringLiteral( "neighbours_per_cell" )].toInt(), 21 );
    QVERIFY( json[QStringLiteral( "parameters" )].toObject()[QStringLiteral( "fdr" )].toBool() );
    const test::CsvTable t = test::readCsvTable( cells );
    QVERIFY( t.column( QStringLiteral( "z" ) ) >= 0 );
    double total = 0;
    for ( double c : t.numbers( QStringLiteral( "count" ) ) )
      total += c;
    QCOMPARE( total, static_cast<double>( mPoints.size() ) );
  }

  void cliPersistence()
  {
    // The DBSCAN fixture's events span days 0..175: 13 periods of 14 days, the last 3 recent.
    QTemporaryDir dir;
    const QString cells = dir.filePath( QStringLiteral( "persistence.csv" ) );
    const test::ProcessResult r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "persistence" ),
                                               QStringLiteral( "--input" ), test::testData( QStringLiteral( "clustering/dbscan_points.csv" ) ),
                                               QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ), QStringLiteral( "--t" ), QStringLiteral( "t" ),
                                               QStringLiteral( "--cell" ), QStringLiteral( "100" ), QStringLiteral( "--period-days" ), QStringLiteral( "14" ),
                                               QStringLiteral( "--cells" ), cells, QStringLiteral( "--json" ) } );
    QVERIFY2( r.exitCode == 0, r.err.constData() );
    const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
    QCOMPARE( json[QStringLiteral( "periods" )].toInt(), 13 );
    QCOMPARE( json[QStringLiteral( "recent_periods" )].toInt(), 3 );
    QVERIFY( json[QStringLiteral( "classes" )].toObject().contains( QStringLiteral( "persistent" ) ) );
    const test::CsvTable t = test::readCsvTable( cells );
    QVERIFY( t.column( QStringLiteral( "class" ) ) >= 0 );
    double total = 0;
    for ( double c : t.numbers( QStringLiteral( "count" ) ) )
      total += c;
    QCOMPARE( total, 1140.0 );
  }

private:
  ClusterPoints mPoints;
  test::CsvTable mReference;
};

STATDESK_QGIS_TEST_MAIN( TestClusteringGiStar )
#include "test_clustering_gistar.moc"
