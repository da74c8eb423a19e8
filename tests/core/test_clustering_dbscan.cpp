// DBSCAN and ST-DBSCAN against scikit-learn (committed fixture) and QGIS's own processing
// algorithms (run in process), plus the CLI on CSV files and project layers.
#include "ClusteringTestSupport.h"
#include "TestSupport.h"
#include "clustering/Dbscan.h"
#include "clustering/PointReader.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <qgsapplication.h>
#include <qgsfeedback.h>
#include <qgsmemoryproviderutils.h>
#include <qgsnativealgorithms.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsvectorlayer.h>

#include <QJsonDocument>
#include <QJsonObject>

using namespace statdesk;
using namespace statdesk::clustering;

namespace
{

ClusterPoints fixturePoints()
{
  ClusterPoints p;
  QString error;
  CsvPointSource s{ test::testData( QStringLiteral( "clustering/dbscan_points.csv" ) ), QStringLiteral( "x" ), QStringLiteral( "y" ), QStringLiteral( "t" ) };
  if ( !readCsvPoints( s, p, &error ) )
    qWarning() << error;
  return p;
}

//! Runs a QGIS processing algorithm on the points; returns the CLUSTER_ID per point (-1 = NULL).
std::vector<int32_t> runQgis( const ClusterPoints &points, const QString &algorithm, QVariantMap parameters, QString *error )
{
  QgsFields fields;
  fields.append( QgsField( QStringLiteral( "idx" ), QVariant::Int ) );
  fields.append( QgsField( QStringLiteral( "t" ), QVariant::DateTime ) );
  std::unique_ptr<QgsVectorLayer> layer( QgsMemoryProviderUtils::createMemoryLayer( QStringLiteral( "pts" ), fields, QgsWkbTypes::Point, QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:26915" ) ) ) );
  QgsFeatureList features;
  for ( std::size_t i = 0; i < points.size(); ++i )
  {
    QgsFeature f( fields );
    f.setGeometry( QgsGeometry::fromPointXY( QgsPointXY( points.x[i], points.y[i] ) ) );
    f.setAttribute( 0, static_cast<int>( i ) );
    f.setAttribute( 1, QDateTime::fromMSecsSinceEpoch( static_cast<qint64>( points.t[i] * 1000 ), Qt::UTC ) );
    features << f;
  }
  layer->dataProvider()->addFeatures( features );

  const QgsProcessingAlgorithm *alg = QgsApplication::processingRegistry()->algorithmById( algorithm );
  if ( !alg )
  {
    *error = QStringLiteral( "no algorithm %1" ).arg( algorithm );
    return {};
  }
  QgsProcessingContext context;
  QgsProcessingFeedback feedback;
  context.temporaryLayerStore()->addMapLayer( layer.get() );
  const QString layerId = layer.release()->id();
  parameters[QStringLiteral( "INPUT" )] = layerId;
  parameters[QStringLiteral( "OUTPUT" )] = QgsProcessing::TEMPORARY_OUTPUT;
  bool ok = false;
  const QVariantMap results = alg->run( parameters, context, &feedback, &ok );
  if ( !ok )
  {
    *error = QStringLiteral( "%1 failed" ).arg( algorithm );
    return {};
  }
  QgsVectorLayer *out = qobject_cast<QgsVectorLayer *>( QgsProcessingUtils::mapLayerFromString( results.value( QStringLiteral( "OUTPUT" ) ).toString(), context ) );
  if ( !out )
  {
    *error = QStringLiteral( "no output layer" );
    return {};
  }
  std::vector<int32_t> labels( points.size(), -2 );
  QgsFeature f;
  QgsFeatureIterator it = out->getFeatures();
  const int idIndex = out->fields().indexOf( QStringLiteral( "CLUSTER_ID" ) );
  while ( it.nextFeature( f ) )
  {
    const QVariant v = f.attribute( idIndex );
    labels[f.attribute( QStringLiteral( "idx" ) ).toInt()] = v.isNull() ? -1 : v.toInt() - 1;
  }
  return labels;
}

//! True when point \a i lies within eps (and epsSeconds) of a core point of its cluster.
bool borderIsReachable( const ClusterPoints &p, const DbscanResult &r, std::size_t i )
{
  for ( std::size_t j = 0; j < p.size(); ++j )
  {
    if ( !r.isCore[j] || r.labels[j] != r.labels[i] )
      continue;
    const double dx = p.x[i] - p.x[j], dy = p.y[i] - p.y[j];
    if ( dx * dx + dy * dy <= r.parameters.eps * r.parameters.eps && ( !r.parameters.spaceTime() || std::abs( p.t[i] - p.t[j] ) <= r.parameters.epsSeconds ) )
      return true;
  }
  return false;
}

} // namespace

class TestClusteringDbscan : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase()
  {
    QgsApplication::processingRegistry()->addProvider( new QgsNativeAlgorithms( QgsApplication::processingRegistry() ) );
    mPoints = fixturePoints();
    QVERIFY( mPoints.size() > 1000 );
    mReference = test::readCsvTable( test::testData( QStringLiteral( "clustering/dbscan_reference.csv" ) ) );
    QCOMPARE( static_cast<std::size_t>( mReference.rows.size() ), mPoints.size() );
  }

  void matchesScikitLearn_data()
  {
    QTest::addColumn<QString>( "name" );
    QTest::addColumn<double>( "eps" );
    QTest::addColumn<int>( "minPoints" );
    QTest::addColumn<double>( "epsDays" );
    QTest::newRow( "eps 50 min 5" ) << "e50_m5" << 50.0 << 5 << -1.0;
    QTest::newRow( "eps 50 min 3 (chains of steps exactly eps)" ) << "e50_m3" << 50.0 << 3 << -1.0;
    QTest::newRow( "eps 30 min 4" ) << "e30_m4" << 30.0 << 4 << -1.0;
    QTest::newRow( "eps 80 min 10" ) << "e80_m10" << 80.0 << 10 << -1.0;
    QTest::newRow( "space-time eps 50, 7 days, min 3" ) << "st_e50_d7_m3" << 50.0 << 3 << 7.0;
    QTest::newRow( "space-time eps 80, 14 days, min 4" ) << "st_e80_d14_m4" << 80.0 << 4 << 14.0;
  }

  void matchesScikitLearn()
  {
    QFETCH( QString, name );
    QFETCH( double, eps );
    QFETCH( int, minPoints );
    QFETCH( double, epsDays );
    DbscanParameters p;
    p.eps = eps;
    p.minPoints = minPoints;
    p.epsSeconds = epsDays >= 0 ? epsDays * 86400 : -1;
    const DbscanResult r = runDbscan( mPoints, p );
    QVERIFY2( r.ok, qPrintable( r.errorString ) );
    const std::vector<int32_t> refLabels = mReference.integers( QStringLiteral( "label_" ) + name );
    const std::vector<int32_t> refCore = mReference.integers( QStringLiteral( "core_" ) + name );
    std::vector<uint8_t> core( refCore.begin(), refCore.end() );
    QVERIFY( std::equal( core.begin(), core.end(), r.isCore.begin() ) );
    const QString coreDiff = test::comparePartitions( r.labels, refLabels, core );
    QVERIFY2( coreDiff.isEmpty(), qPrintable( coreDiff ) );
    // Same noise; and with the numbering documented in Dbscan.h, the very same labels.
    for ( std::size_t i = 0; i < r.labels.size(); ++i )
      QCOMPARE( r.labels[i] < 0, refLabels[i] < 0 );
    QCOMPARE( r.labels, refLabels );
    QCOMPARE( r.clusterCount, *std::max_element( refLabels.begin(), refLabels.end() ) + 1 );
  }

  void matchesQgis_data()
  {
    QTest::addColumn<double>( "eps" );
    QTest::addColumn<int>( "minPoints" );
    QTest::addColumn<double>( "epsDays" );
    QTest::newRow( "dbscan eps 50 min 5" ) << 50.0 << 5 << -1.0;
    QTest::newRow( "dbscan eps 50 min 3" ) << 50.0 << 3 << -1.0;
    QTest::newRow( "dbscan eps 30 min 4" ) << 30.0 << 4 << -1.0;
    QTest::newRow( "stdbscan eps 50, 7 days, min 3" ) << 50.0 << 3 << 7.0;
    QTest::newRow( "stdbscan eps 80, 14 days, min 4" ) << 80.0 << 4 << 14.0;
  }

  void matchesQgis()
  {
    QFETCH( double, eps );
    QFETCH( int, minPoints );
    QFETCH( double, epsDays );
    QVariantMap params;
    params[QStringLiteral( "EPS" )] = eps;
    params[QStringLiteral( "MIN_SIZE" )] = minPoints;
    params[QStringLiteral( "DBSCAN*" )] = false;
    QString algorithm = QStringLiteral( "native:dbscanclustering" );
    DbscanParameters p;
    p.eps = eps;
    p.minPoints = minPoints;
    if ( epsDays >= 0 )
    {
      algorithm = QStringLiteral( "native:stdbscanclustering" );
      params[QStringLiteral( "DATETIME_FIELD" )] = QStringLiteral( "t" );
      params[QStringLiteral( "EPS2" )] = epsDays * 86400.0 * 1000.0; // QGIS takes milliseconds
      p.epsSeconds = epsDays * 86400;
    }
    QString error;
    const std::vector<int32_t> qgis = runQgis( mPoints, algorithm, params, &error );
    QVERIFY2( !qgis.empty(), qPrintable( error ) );
    const DbscanResult r = runDbscan( mPoints, p );
    QVERIFY( r.ok );
    const QString coreDiff = test::comparePartitions( r.labels, qgis, r.isCore );
    QVERIFY2( coreDiff.isEmpty(), qPrintable( coreDiff ) );
    for ( std::size_t i = 0; i < r.labels.size(); ++i )
      QCOMPARE( r.labels[i] < 0, qgis[i] < 0 );
    // Border points may go to either cluster; ours must be reachable from a core point of its own.
    for ( std::size_t i = 0; i < r.labels.size(); ++i )
      if ( r.labels[i] >= 0 && !r.isCore[i] )
        QVERIFY( borderIsReachable( mPoints, r, i ) );
  }

  void farOutliersKeepTheClusters()
  {
    // Two mis-geocoded events thousands of km away stretch the extent so far that the grid
    // switches from its lookup table to a hash map: the clusters must not change.
    ClusterPoints p = mPoints;
    p.append( -4.0e6, 9.0e6, 900001 );
    p.append( 6.0e6, -3.0e6, 900002 );
    DbscanParameters params;
    params.eps = 50;
    params.minPoints = 5;
    const DbscanResult r = runDbscan( p, params );
    QVERIFY2( r.ok, qPrintable( r.errorString ) );
    std::vector<int32_t> expected = mReference.integers( QStringLiteral( "label_e50_m5" ) );
    expected.push_back( -1 );
    expected.push_back( -1 );
    QCOMPARE( r.labels, expected );
  }

  void inclusiveEpsAndSelfCount()
  {
    // Two points exactly eps apart (3-4-5): neighbours. min 2 counts the point itself plus the other.
    ClusterPoints p;
    p.append( 0, 0, 1 );
    p.append( 30, 40, 2 );
    p.append( 1000, 1000, 3 );
    DbscanParameters params;
    params.eps = 50;
    params.minPoints = 2;
    DbscanResult r = runDbscan( p, params );
    QVERIFY( r.ok );
    QCOMPARE( r.labels, ( std::vector<int32_t>{ 0, 0, -1 } ) );
    QCOMPARE( r.clusterCount, 1 );
    params.minPoints = 3;
    r = runDbscan( p, params );
    QCOMPARE( r.labels, ( std::vector<int32_t>{ -1, -1, -1 } ) );
    // A hair under eps: no longer neighbours.
    params.eps = 49.999999;
    params.minPoints = 2;
    r = runDbscan( p, params );
    QCOMPARE( r.labels, ( std::vector<int32_t>{ -1, -1, -1 } ) );
    // min 1: every point is its own cluster at least.
    params.eps = 50;
    params.minPoints = 1;
    r = runDbscan( p, params );
    QCOMPARE( r.labels, ( std::vector<int32_t>{ 0, 0, 1 } ) );
    // Space-time: exactly eps-days apart is in, a second more is out.
    ClusterPoints st;
    st.append( 0, 0, 0, 1 );
    st.append( 10, 0, 7 * 86400, 2 );
    params.minPoints = 2;
    params.epsSeconds = 7 * 86400;
    r = runDbscan( st, params );
    QCOMPARE( r.labels, ( std::vector<int32_t>{ 0, 0 } ) );
    st.t[1] += 1;
    r = runDbscan( st, params );
    QCOMPARE( r.labels, ( std::vector<int32_t>{ -1, -1 } ) );
  }

  void refusesBadParametersAndCancels()
  {
    DbscanParameters p;
    p.eps = 0;
    QVERIFY( !runDbscan( mPoints, p ).ok );
    p.eps = 50;
    p.minPoints = 0;
    QVERIFY( !runDbscan( mPoints, p ).ok );
    p.minPoints = 5;
    p.epsSeconds = 10;
    ClusterPoints noTime;
    noTime.append( 0, 0, 1 );
    QVERIFY( !runDbscan( noTime, p ).ok );
    QgsFeedback feedback;
    feedback.cancel();
    p.epsSeconds = -1;
    ClusterPoints many;
    for ( int i = 0; i < 50000; ++i )
      many.append( i % 1000, i / 1000, i );
    p.minPoints = 100; // sparse cells, so the per-point loop (which polls) runs
    const DbscanResult r = runDbscan( many, p, &feedback );
    QVERIFY( !r.ok );
    QVERIFY( r.canceled );
  }

  void cliOnCsv()
  {
    QTemporaryDir dir;
    const QString labels = dir.filePath( QStringLiteral( "labels.csv" ) );
    const test::ProcessResult r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "stdbscan" ),
                                               QStringLiteral( "--input" ), test::testData( QStringLiteral( "clustering/dbscan_points.csv" ) ),
                                               QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ), QStringLiteral( "--t" ), QStringLiteral( "t" ),
                                               QStringLiteral( "--eps" ), QStringLiteral( "50" ), QStringLiteral( "--eps-days" ), QStringLiteral( "7" ), QStringLiteral( "--min" ), QStringLiteral( "3" ),
                                               QStringLiteral( "--labels" ), labels, QStringLiteral( "--json" ) } );
    QVERIFY2( r.exitCode == 0, r.err.constData() );
    const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
    const std::vector<int32_t> ref = mReference.integers( QStringLiteral( "label_st_e50_d7_m3" ) );
    QCOMPARE( json[QStringLiteral( "clusters" )].toInt(), *std::max_element( ref.begin(), ref.end() ) + 1 );
    QCOMPARE( json[QStringLiteral( "method" )].toString(), QStringLiteral( "stdbscan" ) );
    const test::CsvTable out = test::readCsvTable( labels );
    QCOMPARE( out.header, QStringList( { QStringLiteral( "id" ), QStringLiteral( "cluster" ) } ) );
    QCOMPARE( static_cast<std::size_t>( out.rows.size() ), ref.size() );
    for ( int i = 0; i < out.rows.size(); ++i )
    {
      QCOMPARE( out.rows[i][0].toInt(), i + 1 );
      // 1-based ids in the file, empty for noise
      QCOMPARE( out.rows[i].value( 1 ).isEmpty() ? -1 : out.rows[i][1].toInt() - 1, ref[i] );
    }
  }

  void cliRefusesBadInput_data()
  {
    QTest::addColumn<QStringList>( "args" );
    QTest::addColumn<QString>( "message" );
    const QString pts = test::testData( QStringLiteral( "clustering/dbscan_points.csv" ) );
    QTest::newRow( "no method" ) << QStringList{ QStringLiteral( "--input" ), pts } << "--method";
    QTest::newRow( "unknown method" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "kmeans" ) } << "--method";
    QTest::newRow( "no eps" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--input" ), pts, QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ) } << "--eps";
    QTest::newRow( "negative eps" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--eps" ), QStringLiteral( "-5" ), QStringLiteral( "--input" ), pts, QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ) } << "--eps";
    QTest::newRow( "missing column" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--eps" ), QStringLiteral( "5" ), QStringLiteral( "--input" ), pts, QStringLiteral( "--x" ), QStringLiteral( "lon" ), QStringLiteral( "--y" ), QStringLiteral( "y" ) } << "no column 'lon'";
    QTest::newRow( "stdbscan without time" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "stdbscan" ), QStringLiteral( "--eps" ), QStringLiteral( "5" ), QStringLiteral( "--eps-days" ), QStringLiteral( "1" ), QStringLiteral( "--input" ), pts, QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ) } << "--t";
    QTest::newRow( "missing file" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--eps" ), QStringLiteral( "5" ), QStringLiteral( "--input" ), QStringLiteral( "/nonexistent.csv" ), QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ) } << "cannot open";
    QTest::newRow( "both sources" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--eps" ), QStringLiteral( "5" ), QStringLiteral( "--input" ), pts, QStringLiteral( "--project" ), pts } << "either";
    QTest::newRow( "labels for a grid method" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "gistar" ), QStringLiteral( "--input" ), pts, QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ), QStringLiteral( "--labels" ), QStringLiteral( "/tmp/x.csv" ) } << "--cells";
    QTest::newRow( "min not a number" ) << QStringList{ QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--eps" ), QStringLiteral( "5" ), QStringLiteral( "--min" ), QStringLiteral( "five" ), QStringLiteral( "--input" ), pts, QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ) } << "--min";
  }

  void cliRefusesBadInput()
  {
    QFETCH( QStringList, args );
    QFETCH( QString, message );
    const test::ProcessResult r = test::cli( QStringList{ QStringLiteral( "cluster" ) } + args );
    QCOMPARE( r.exitCode, 2 );
    const QStringList lines = QString::fromUtf8( r.err ).split( QLatin1Char( '\n' ), Qt::SkipEmptyParts ).filter( QStringLiteral( "statdesk-cli cluster:" ) );
    QCOMPARE( lines.size(), 1 );
    QVERIFY2( lines.first().contains( message ), qPrintable( lines.first() ) );
    QVERIFY( r.out.isEmpty() );
  }

  void cliRefusesBadCsvRows()
  {
    QTemporaryDir dir;
    const QString path = dir.filePath( QStringLiteral( "bad.csv" ) );
    QFile f( path );
    QVERIFY( f.open( QIODevice::WriteOnly ) );
    f.write( "x,y,t\n1,2,2024-01-01T10:00:00-05:00\n3,four,2024-01-02\n" );
    f.close();
    test::ProcessResult r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--eps" ), QStringLiteral( "5" ),
                                         QStringLiteral( "--input" ), path, QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ) } );
    QCOMPARE( r.exitCode, 2 );
    QVERIFY( r.err.contains( "line 3" ) );
    QVERIFY( f.open( QIODevice::WriteOnly ) );
    f.write( "x,y,t\n1,2,2024-01-01T10:00:00-05:00\n3,4,yesterday\n" );
    f.close();
    r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "stdbscan" ), QStringLiteral( "--eps" ), QStringLiteral( "5" ), QStringLiteral( "--eps-days" ), QStringLiteral( "1" ),
                     QStringLiteral( "--input" ), path, QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ), QStringLiteral( "--t" ), QStringLiteral( "t" ) } );
    QCOMPARE( r.exitCode, 2 );
    QVERIFY( r.err.contains( "yesterday" ) );
  }

  void csvFormats_data()
  {
    QTest::addColumn<QByteArray>( "content" );
    QTest::newRow( "plain" ) << QByteArray( "x,y\n1.5,2\n-3,4e1\n" );
    QTest::newRow( "CRLF, no final line end" ) << QByteArray( "x,y\r\n1.5,2\r\n-3,4e1" );
    QTest::newRow( "BOM, blank lines, spaces" ) << QByteArray( "\xEF\xBB\xBFx,y\n\n 1.5 , 2\n  \n-3,+40\n\n" );
    QTest::newRow( "quotes and other columns" ) << QByteArray( "name,Y,X,note\n\"Smith, Ann\",2,1.5,\"said \"\"hi\"\"\"\nb,40,-3,\n" );
  }

  void csvFormats()
  {
    // The same two points however the file is written; ids are data row numbers.
    QFETCH( QByteArray, content );
    QTemporaryDir dir;
    CsvPointSource s;
    s.path = dir.filePath( QStringLiteral( "points.csv" ) );
    s.xColumn = QStringLiteral( "x" );
    s.yColumn = QStringLiteral( "y" );
    QFile f( s.path );
    QVERIFY( f.open( QIODevice::WriteOnly ) );
    f.write( content );
    f.close();
    ClusterPoints p;
    QString error;
    QVERIFY2( readCsvPoints( s, p, &error ), qPrintable( error ) );
    QCOMPARE( p.x, ( std::vector<double>{ 1.5, -3 } ) );
    QCOMPARE( p.y, ( std::vector<double>{ 2, 40 } ) );
    QCOMPARE( p.ids, ( std::vector<qint64>{ 1, 2 } ) );
  }

  void timeParsing()
  {
    double s = 0;
    QVERIFY( parseTimeSeconds( QStringLiteral( "2017-05-28T02:00:00-05:00" ), s ) );
    QCOMPARE( s, 1495954800.0 );
    QVERIFY( parseTimeSeconds( QStringLiteral( "2017-05-28T07:00:00Z" ), s ) );
    QCOMPARE( s, 1495954800.0 );
    QVERIFY( parseTimeSeconds( QStringLiteral( "2017-05-28" ), s ) );
    QCOMPARE( s, 1495929600.0 );
    QVERIFY( parseTimeSeconds( QStringLiteral( "86400.5" ), s ) );
    QCOMPARE( s, 86400.5 );
    QVERIFY( !parseTimeSeconds( QStringLiteral( "May 28" ), s ) );
  }

  void cliOnProjectLayer()
  {
    QTemporaryDir dir;
    const QString path = dir.filePath( QStringLiteral( "p.gpkg" ) );
    QString error;
    {
      ProjectSettings settings;
      settings.cityName = QStringLiteral( "Test" );
      settings.crs = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:26915" ) );
      std::unique_ptr<ProjectFile> project = ProjectFile::create( path, settings, &error );
      QVERIFY2( project, qPrintable( error ) );
      SqliteDatabase &db = project->database();
      SqliteTransaction tx( db );
      SqliteStatement st( db, QStringLiteral( "INSERT INTO incidents(fid, geom, offense_key, violent, occurred_at) VALUES (?, ?, ?, ?, ?)" ) );
      // Fixture points as violent incidents (fid = row + 100), plus non-violent ones on top of
      // them (filtered out) and a non-spatial record (skipped).
      for ( std::size_t i = 0; i < mPoints.size(); ++i )
      {
        st.bindInt64( 1, static_cast<qint64>( i ) + 100 );
        st.bindBlob( 2, gpkgPointBlob( 363000 + mPoints.x[i], 4330000 + mPoints.y[i], project->srsId() ) );
        st.bindText( 3, QStringLiteral( "K%1" ).arg( i ) );
        st.bindInt64( 4, 1 );
        st.bindText( 5, project->formatDateTime( QDateTime::fromSecsSinceEpoch( static_cast<qint64>( mPoints.t[i] ), Qt::UTC ).toTimeZone( project->timeZone() ) ) );
        QVERIFY( st.exec() );
        st.reset();
      }
      for ( int i = 0; i < 300; ++i )
      {
        st.bindInt64( 1, 10000 + i );
        st.bindBlob( 2, gpkgPointBlob( 363000 + mPoints.x[i], 4330000 + mPoints.y[i], project->srsId() ) );
        st.bindText( 3, QStringLiteral( "N%1" ).arg( i ) );
        st.bindInt64( 4, 0 );
        st.bindText( 5, QStringLiteral( "2024-01-01T00:00:00-06:00" ) );
        QVERIFY( st.exec() );
        st.reset();
      }
      st.bindInt64( 1, 20000 );
      st.bindNull( 2 );
      st.bindText( 3, QStringLiteral( "nogeom" ) );
      st.bindInt64( 4, 1 );
      st.bindText( 5, QStringLiteral( "2024-01-01T00:00:00-06:00" ) );
      QVERIFY( st.exec() );
      QVERIFY( project->refreshContents( schema::kIncidents ) );
      QVERIFY( tx.commit() );
    }
    const QString labels = dir.filePath( QStringLiteral( "labels.csv" ) );
    const test::ProcessResult r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--project" ), path,
                                               QStringLiteral( "--layer" ), QStringLiteral( "incidents" ), QStringLiteral( "--filter" ), QStringLiteral( "violent = 1" ),
                                               QStringLiteral( "--eps" ), QStringLiteral( "50" ), QStringLiteral( "--min" ), QStringLiteral( "5" ),
                                               QStringLiteral( "--labels" ), labels, QStringLiteral( "--json" ) } );
    QVERIFY2( r.exitCode == 0, r.err.constData() );
    const test::CsvTable out = test::readCsvTable( labels );
    const std::vector<int32_t> ref = mReference.integers( QStringLiteral( "label_e50_m5" ) );
    QCOMPARE( static_cast<std::size_t>( out.rows.size() ), ref.size() );
    for ( int i = 0; i < out.rows.size(); ++i )
    {
      QCOMPARE( out.rows[i][0].toInt(), i + 100 );
      QCOMPARE( out.rows[i].value( 1 ).isEmpty() ? -1 : out.rows[i][1].toInt() - 1, ref[i] );
    }
    // Space-time from the project's ISO local times with offsets.
    const test::ProcessResult st = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "stdbscan" ), QStringLiteral( "--project" ), path,
                                                QStringLiteral( "--filter" ), QStringLiteral( "violent = 1" ), QStringLiteral( "--eps" ), QStringLiteral( "80" ),
                                                QStringLiteral( "--eps-days" ), QStringLiteral( "14" ), QStringLiteral( "--min" ), QStringLiteral( "4" ),
                                                QStringLiteral( "--labels" ), labels, QStringLiteral( "--json" ) } );
    QVERIFY2( st.exitCode == 0, st.err.constData() );
    const test::CsvTable stOut = test::readCsvTable( labels );
    const std::vector<int32_t> stRef = mReference.integers( QStringLiteral( "label_st_e80_d14_m4" ) );
    for ( int i = 0; i < stOut.rows.size(); ++i )
      QCOMPARE( stOut.rows[i].value( 1 ).isEmpty() ? -1 : stOut.rows[i][1].toInt() - 1, stRef[i] );
    // A bad filter is bad input.
    const test::ProcessResult bad = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--project" ), path,
                                                 QStringLiteral( "--filter" ), QStringLiteral( "no_such_column = 1" ), QStringLiteral( "--eps" ), QStringLiteral( "50" ) } );
    QCOMPARE( bad.exitCode, 2 );
  }

private:
  ClusterPoints mPoints;
  test::CsvTable mReference;
};

STATDESK_QGIS_TEST_MAIN( TestClusteringDbscan )
#include "test_clustering_dbscan.moc"
