// Clustering runs as the Task Force uses them: the cluster card on a hand-made project (every
// number checkable by hand), runs saved in the project and reopened, a cancelled save that leaves
// the file byte for byte as it was, exports that GDAL and QGIS read, persistence classes on cards,
// and the CLI's --save / --export / --list-runs / --delete-run.
#include "TestSupport.h"

#include "clustering/ClusterLayers.h"
#include "clustering/ClusterRun.h"
#include "clustering/ClusterStore.h"
#include "clustering/PointReader.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgsfeedback.h>
#include <qgsvectorlayer.h>

#include <ogr_api.h>

using namespace statdesk;
using namespace statdesk::clustering;

namespace
{
constexpr double kX = 360000.0;
constexpr double kY = 4320000.0;

struct Incident
{
  double x, y;
  QString address, offense;
  int violent, firearm;
  QString occurredAt;
};

/**
 * Cluster A: six violent incidents within 32 m of (kX, kY), two addresses repeated, one without
 * address, one stored in UTC (03:30Z on 14 June is Friday 22:30 in Chicago). Cluster B: five
 * robberies 15 m apart 2 km east. Noise: three far incidents, two non-violent ones inside A and
 * one violent incident without a location. Around A: 311 requests, vacant parcels and dangerous
 * buildings at known distances from A's polygon (its hull buffered by 50 m).
 */
const QVector<Incident> &incidents()
{
  static const QVector<Incident> sRows{
      { 0, 0, QStringLiteral( "100 BLOCK MAIN ST" ), QStringLiteral( "Aggravated Assault" ), 1, 1, QStringLiteral( "2025-03-07T22:15:00-06:00" ) },
      { 20, 0, QStringLiteral( "100 BLOCK MAIN ST" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-03-08T23:40:00-06:00" ) },
      { 0, 20, QStringLiteral( "100 BLOCK MAIN ST" ), QStringLiteral( "Aggravated Assault" ), 1, 1, QStringLiteral( "2025-06-14T03:30:00+00:00" ) },
      { 20, 20, QStringLiteral( "200 BLOCK MAIN ST" ), QStringLiteral( "Homicide" ), 1, 1, QStringLiteral( "2025-04-01T01:05:00-05:00" ) },
      { 10, 10, QStringLiteral( "200 BLOCK MAIN ST" ), QStringLiteral( "Aggravated Assault" ), 1, 0, QStringLiteral( "2025-05-20T14:00:00-05:00" ) },
      { 30, 10, QString(), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-09-30T09:00:00-05:00" ) },
      { 2000, 0, QStringLiteral( "B1" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-07-01T12:00:00-05:00" ) },
      { 2015, 0, QStringLiteral( "B2" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-07-02T12:00:00-05:00" ) },
      { 2030, 0, QStringLiteral( "B3" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-07-03T12:00:00-05:00" ) },
      { 2045, 0, QStringLiteral( "B4" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-07-04T12:00:00-05:00" ) },
      { 2060, 0, QStringLiteral( "B5" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-07-05T12:00:00-05:00" ) },
      { 5000, 0, QStringLiteral( "N1" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-08-01T12:00:00-05:00" ) },
      { 5000, 900, QStringLiteral( "N2" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-08-02T12:00:00-05:00" ) },
      { 5900, 0, QStringLiteral( "N3" ), QStringLiteral( "Robbery" ), 1, 0, QStringLiteral( "2025-08-03T12:00:00-05:00" ) },
      { 5, 5, QStringLiteral( "100 BLOCK MAIN ST" ), QStringLiteral( "Stealing" ), 0, 0, QStringLiteral( "2025-03-09T10:00:00-05:00" ) },
      { 15, 5, QStringLiteral( "100 BLOCK MAIN ST" ), QStringLiteral( "Stealing" ), 0, 0, QStringLiteral( "2025-03-10T10:00:00-05:00" ) },
  };
  return sRows;
}

std::unique_ptr<ProjectFile> buildFixture( const QString &path, QString *error )
{
  ProjectSettings s;
  s.cityName = QStringLiteral( "Clusterville" );
  s.crs = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:26915" ) );
  std::unique_ptr<ProjectFile> project = ProjectFile::create( path, s, error );
  if ( !project )
    return nullptr;
  SqliteDatabase &db = project->database();
  const int srs = project->srsId();
  SqliteTransaction tx( db );
  SqliteStatement inc( db, QStringLiteral( "INSERT INTO incidents (geom, offense_key, report_no, offense, violent, firearm, occurred_at, address) VALUES (?,?,?,?,?,?,?,?)" ) );
  int n = 0;
  for ( const Incident &i : incidents() )
  {
    inc.reset();
    inc.bindBlob( 1, gpkgPointBlob( kX + i.x, kY + i.y, srs ) );
    inc.bindText( 2, QStringLiteral( "K%1" ).arg( ++n ) );
    inc.bindText( 3, QStringLiteral( "R%1" ).arg( n ) );
    inc.bindText( 4, i.offense );
    inc.bindInt64( 5, i.violent );
    inc.bindInt64( 6, i.firearm );
    inc.bindText( 7, i.occurredAt );
    inc.bind( 8, i.address.isEmpty() ? QVariant() : QVariant( i.address ) );
    if ( !inc.exec() )
      return nullptr;
  }
  db.exec( QStringLiteral( "INSERT INTO incidents (offense_key, offense, violent, firearm, occurred_at) VALUES ('K99', 'Robbery', 1, 0, '2025-03-08T12:00:00-06:00')" ) );
  // 311 requests west of A: A's polygon edge is the line x = kX - 50 there.
  struct Request
  {
    double x, y;
    const char *blight;
    const char *status;
  };
  const Request requests[] = { { -140, 10, "dumping", "open" }, { -145, 5, "dumping", "open" }, { -100, 10, "weeds", "open" }, { -120, 15, "weeds", "closed" }, { -160, 10, "dumping", "open" }, { 10, 10, nullptr, "open" } };
  SqliteStatement req( db, QStringLiteral( "INSERT INTO service_requests (geom, case_id, blight_class, status, created_at) VALUES (?,?,?,?, '2025-05-01T10:00:00-05:00')" ) );
  n = 0;
  for ( const Request &r : requests )
  {
    req.reset();
    req.bindBlob( 1, gpkgPointBlob( kX + r.x, kY + r.y, srs ) );
    req.bindText( 2, QStringLiteral( "S%1" ).arg( ++n ) );
    req.bind( 3, r.blight ? QVariant( QString::fromLatin1( r.blight ) ) : QVariant() );
    req.bindText( 4, QString::fromLatin1( r.status ) );
    if ( !req.exec() )
      return nullptr;
  }
  // Vacant parcels north of A (edge y = kY + 70), dangerous buildings east of A (vertex kX + 80).
  SqliteStatement vac( db, QStringLiteral( "INSERT INTO vacant_parcels (geom, parcel_id) VALUES (?, ?)" ) );
  n = 0;
  for ( double y : { 60.0, 160.0, 200.0 } )
  {
    vac.reset();
    vac.bindBlob( 1, gpkgPointBlob( kX + 10, kY + y, srs ) );
    vac.bindText( 2, QStringLiteral( "V%1" ).arg( ++n ) );
    if ( !vac.exec() )
      return nullptr;
  }
  SqliteStatement dang( db, QStringLiteral( "INSERT INTO dangerous_buildings (geom, case_number) VALUES (?, ?)" ) );
  n = 0;
  for ( double x : { 160.0, 200.0 } )
  {
    dang.reset();
    dang.bindBlob( 1, gpkgPointBlob( kX + x, kY + 10, srs ) );
    dang.bindText( 2, QStringLiteral( "D%1" ).arg( ++n ) );
    if ( !dang.exec() )
      return nullptr;
  }
  for ( const QString &t : { QStringLiteral( "incidents" ), QStringLiteral( "service_requests" ), QStringLiteral( "vacant_parcels" ), QStringLiteral( "dangerous_buildings" ) } )
    project->refreshContents( t );
  if ( !tx.commit() )
    return nullptr;
  return project;
}

ClusterRunSpec dbscanSpec()
{
  ClusterRunSpec spec;
  spec.method = ClusterMethod::Dbscan;
  spec.dbscan.eps = 50;
  spec.dbscan.minPoints = 4;
  spec.environmentDistance = 100;
  return spec;
}

//! Cancels itself when the progress passes \a at percent.
class CancelAt : public QgsFeedback
{
public:
  explicit CancelAt( double at )
  {
    connect( this, &QgsFeedback::progressChanged, this, [this, at]( double p )
             {
      if ( p >= at )
        cancel(); } );
  }
};
} // namespace

class TestClusteringRuns : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void cardOnHandMadeProject();
  void persistenceMajority();
  void saveReopenDelete();
  void cancelledSaveLeavesFileUnchanged();
  void exportsReadByGdalAndQgis();
  void demoPersistenceOnCards();
  void cli();

private:
  QTemporaryDir mDir;
  QString mPath;
  std::unique_ptr<ProjectFile> mProject;
};

void TestClusteringRuns::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mPath = mDir.filePath( QStringLiteral( "fixture.gpkg" ) );
  QString error;
  mProject = buildFixture( mPath, &error );
  QVERIFY2( mProject, qPrintable( error ) );
}

void TestClusteringRuns::cardOnHandMadeProject()
{
  const ClusterAnalysis a = runClusterAnalysis( *mProject, dbscanSpec() );
  QVERIFY2( a.ok, qPrintable( a.errorString ) );
  QCOMPARE( a.inputPoints, 14 ); // 14 located violent incidents; the unlocated one and the two non-violent ones are out
  QCOMPARE( static_cast<int>( a.clusters.size() ), 2 );
  const ClusterRecord &A = a.clusters[0];
  const ClusterRecord &B = a.clusters[1];
  QCOMPARE( A.label, QStringLiteral( "C1" ) );
  QCOMPARE( A.fids, ( std::vector<qint64>{ 1, 2, 3, 4, 5, 6 } ) );
  QCOMPARE( B.fids, ( std::vector<qint64>{ 7, 8, 9, 10, 11 } ) );
  QVERIFY( A.hasCard );

  const ClusterCard &k = A.card;
  QCOMPARE( k.incidents, 6 );
  QCOMPARE( k.distinctAddresses, 2 );
  QCOMPARE( k.repeatAddresses, ( CountList{ { QStringLiteral( "100 BLOCK MAIN ST" ), 3 }, { QStringLiteral( "200 BLOCK MAIN ST" ), 2 } } ) );
  QCOMPARE( k.first.date(), QDate( 2025, 3, 7 ) );
  QCOMPARE( k.last.date(), QDate( 2025, 9, 30 ) );
  QCOMPARE( k.offenseMix, ( CountList{ { QStringLiteral( "Aggravated Assault" ), 3 }, { QStringLiteral( "Robbery" ), 2 }, { QStringLiteral( "Homicide" ), 1 } } ) );
  QCOMPARE( k.firearm, 3 );
  QCOMPARE( k.firearmShare(), 0.5 );
  // Local time in America/Chicago; Monday = row 0. The UTC-stored one lands on Friday 22:00.
  QCOMPARE( k.timedIncidents, 6 );
  QCOMPARE( k.hourByDay[4][22], 2 ); // Friday 22:15 and Friday 22:30 (03:30Z)
  QCOMPARE( k.hourByDay[5][23], 1 ); // Saturday 23:40
  QCOMPARE( k.hourByDay[1][1], 1 );  // Tuesday 01:05
  QCOMPARE( k.hourByDay[1][14], 1 );
  QCOMPARE( k.hourByDay[1][9], 1 );
  int total = 0;
  for ( const auto &day : k.hourByDay )
    for ( int v : day )
      total += v;
  QCOMPARE( total, 6 );
  QCOMPARE( k.busiestDay(), QLocale().dayName( 2 ) ); // Tuesday: three
  int inWindow = 0;
  QCOMPARE( k.busiestHours( &inWindow ), QStringLiteral( "21:00–00:00" ) ); // 22:xx twice, 23:xx once
  QCOMPARE( inWindow, 3 );
  // Environment within 100 m of the hull buffered by eps (50 m).
  QCOMPARE( k.environmentDistance, 100.0 );
  QCOMPARE( k.openBlight, 3 );
  QCOMPARE( k.openBlightByClass, ( CountList{ { QStringLiteral( "Illegal dumping" ), 2 }, { QStringLiteral( "Weeds / mowing" ), 1 } } ) );
  QCOMPARE( k.vacantParcels, 2 );
  QCOMPARE( k.dangerousBuildings, 1 );
  QVERIFY( k.persistence.isEmpty() ); // no persistence run in this project
  const QString text = k.text();
  QVERIFY2( text.contains( QStringLiteral( "Incidents: 6, 2025-03-07 to 2025-09-30" ) ), qPrintable( text ) );
  QVERIFY2( text.contains( QStringLiteral( "repeat: 100 BLOCK MAIN ST (3), 200 BLOCK MAIN ST (2)" ) ), qPrintable( text ) );
  QVERIFY( text.contains( QStringLiteral( "Firearm used: 3 of 6 (50%)" ) ) );
  QVERIFY( text.contains( QStringLiteral( "Within 100 m: 3 open blight 311 requests (Illegal dumping 2, Weeds / mowing 1); 2 vacant parcels; 1 dangerous building" ) ) );
  QVERIFY( !k.text( true ).contains( QStringLiteral( "MAIN ST" ) ) ); // public version: no addresses

  // B: no repeats, all robberies at noon on Tuesday 1 July .. Saturday 5 July.
  QCOMPARE( B.card.incidents, 5 );
  QCOMPARE( B.card.distinctAddresses, 5 );
  QVERIFY( B.card.repeatAddresses.isEmpty() );
  QCOMPARE( B.card.firearm, 0 );
  QCOMPARE( B.card.hourByDay[1][12] + B.card.hourByDay[2][12] + B.card.hourByDay[3][12] + B.card.hourByDay[4][12] + B.card.hourByDay[5][12], 5 );
  QCOMPARE( B.card.openBlight + B.card.vacantParcels + B.card.dangerousBuildings, 0 );

  // The ellipse shape, and a wider environment that reaches the rest.
  ClusterRunSpec wide = dbscanSpec();
  wide.environmentDistance = 200;
  wide.shape = ClusterShape::Ellipse;
  const ClusterAnalysis e = runClusterAnalysis( *mProject, wide );
  QVERIFY( e.ok );
  QVERIFY( e.clusters[0].area < A.area ); // the 1-SD ellipse is much smaller than the buffered hull
  QVERIFY( e.clusters[0].polygon.contains( QgsGeometry::fromPointXY( QgsPointXY( kX + 13, kY + 8 ) ) ) );
}

void TestClusteringRuns::persistenceMajority()
{
  // Cells of 25 m from (kX - 25, kY - 25): five of A's incidents fall in cell (1, 1), one (x = 30) in (2, 1).
  PersistenceLookup lookup;
  lookup.grid.originX = kX - 25;
  lookup.grid.originY = kY - 25;
  lookup.grid.cellSize = 25;
  lookup.grid.columns = 10;
  lookup.grid.rows = 10;
  lookup.classes[1 * 10 + 1] = PersistenceClass::Emerging;
  lookup.classes[1 * 10 + 2] = PersistenceClass::Persistent;
  ClusterCardOptions options = cardOptions( *mProject, dbscanSpec() );
  options.persistence = &lookup;
  ClusterCard card;
  QString error;
  QVERIFY( computeClusterCard( mProject->database(), { 1, 2, 3, 4, 5, 6 }, QgsGeometry(), options, &card, &error ) );
  QCOMPARE( card.persistence, QStringLiteral( "emerging" ) );
  QCOMPARE( card.persistenceIncidents, 5 );
  QVERIFY( card.text().contains( QStringLiteral( "Persistence: emerging (5 of 6 incidents in emerging cells)" ) ) );
  // Three each: the more serious class wins.
  lookup.classes.clear();
  lookup.classes[1 * 10 + 1] = PersistenceClass::Former;
  QVERIFY( computeClusterCard( mProject->database(), { 1, 2, 3, 6 }, QgsGeometry(), options, &card, &error ) );
  QCOMPARE( card.persistence, QStringLiteral( "former" ) );
  QCOMPARE( card.persistenceIncidents, 3 );
  lookup.classes.clear();
  QVERIFY( computeClusterCard( mProject->database(), { 1, 2 }, QgsGeometry(), options, &card, &error ) );
  QCOMPARE( card.persistence, QStringLiteral( "none" ) );
}

void TestClusteringRuns::saveReopenDelete()
{
  ClusterAnalysis a = runClusterAnalysis( *mProject, dbscanSpec() );
  QVERIFY( a.ok );
  a.name = QStringLiteral( "Main Street check" );
  QString error;
  const qint64 id = saveClusterRun( *mProject, a, nullptr, &error );
  QVERIFY2( id > 0, qPrintable( error ) );
  QCOMPARE( a.runId, id );
  QVERIFY( a.createdAt.contains( QLatin1Char( 'T' ) ) );

  SqliteDatabase &db = mProject->database();
  // Registered like every project layer, with an R*Tree.
  for ( const QString &t : { kClusterPolygonsTable, kClusterCellsTable, kClusterChainsTable } )
  {
    QCOMPARE( db.scalar( QStringLiteral( "SELECT data_type FROM gpkg_contents WHERE table_name = '%1'" ).arg( t ) ).toString(), QStringLiteral( "features" ) );
    QCOMPARE( db.scalar( QStringLiteral( "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = '%1'" ).arg( t ) ).toInt(), mProject->srsId() );
    QVERIFY( db.tableExists( QStringLiteral( "rtree_%1_geom" ).arg( t ) ) );
  }
  QCOMPARE( db.scalar( QStringLiteral( "SELECT data_type FROM gpkg_contents WHERE table_name = 'cluster_runs'" ) ).toString(), QStringLiteral( "attributes" ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT count(*) FROM rtree_cluster_polygons_geom" ) ).toInt(), 2 );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT count(*) FROM cluster_members WHERE run_id = %1" ).arg( id ) ).toInt(), 11 );
  if ( !test::validateGpkgScript().isEmpty() )
  {
    const test::ProcessResult v = test::run( QStringLiteral( "/usr/bin/python3" ), { test::validateGpkgScript(), mPath } );
    QVERIFY2( v.exitCode == 0, v.out + v.err );
  }

  const std::vector<ClusterRunInfo> runs = listClusterRuns( db );
  QCOMPARE( static_cast<int>( runs.size() ), 1 );
  QCOMPARE( runs[0].id, id );
  QCOMPARE( runs[0].name, QStringLiteral( "Main Street check" ) );
  QCOMPARE( runs[0].clusters, 2 );
  QCOMPARE( runs[0].method, ClusterMethod::Dbscan );
  QCOMPARE( latestClusterRun( db ), id );

  ClusterAnalysis b;
  QVERIFY2( loadClusterRun( db, id, &b, &error ), qPrintable( error ) );
  QCOMPARE( b.name, a.name );
  QCOMPARE( b.createdAt, a.createdAt );
  QCOMPARE( b.spec.toJson(), a.spec.toJson() );
  QCOMPARE( b.summary, a.summary );
  QCOMPARE( b.clusters.size(), a.clusters.size() );
  for ( std::size_t i = 0; i < a.clusters.size(); ++i )
  {
    const ClusterRecord &x = a.clusters[i], &y = b.clusters[i];
    QCOMPARE( y.label, x.label );
    QCOMPARE( y.fids, x.fids );
    QCOMPARE( y.detail, x.detail );
    QVERIFY( std::abs( y.polygon.area() - x.polygon.area() ) < 1e-6 * x.polygon.area() );
    QCOMPARE( y.card.toJson(), x.card.toJson() );
  }

  // A second run, then deleting the first leaves the second whole.
  ClusterRunSpec other = dbscanSpec();
  other.dbscan.minPoints = 6;
  ClusterAnalysis c = runClusterAnalysis( *mProject, other );
  QVERIFY( c.ok );
  QCOMPARE( static_cast<int>( c.clusters.size() ), 1 );
  const qint64 id2 = saveClusterRun( *mProject, c, nullptr, &error );
  QVERIFY( id2 > id );
  QCOMPARE( latestClusterRun( db ), id2 );
  QVERIFY2( deleteClusterRun( *mProject, id, &error ), qPrintable( error ) );
  QVERIFY( !loadClusterRun( db, id, &b, &error ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT count(*) FROM cluster_polygons" ) ).toInt(), 1 );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT count(*) FROM cluster_members" ) ).toInt(), 6 );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT count(*) FROM rtree_cluster_polygons_geom" ) ).toInt(), 1 );
  QVERIFY( !deleteClusterRun( *mProject, id, &error ) );
  QVERIFY( deleteClusterRun( *mProject, id2, &error ) );
  QVERIFY( listClusterRuns( db ).empty() );
  QCOMPARE( latestClusterRun( db ), -1 );
}

void TestClusteringRuns::cancelledSaveLeavesFileUnchanged()
{
  // A fresh copy without clustering tables: the cancelled save must not leave them behind either.
  const QString path = mDir.filePath( QStringLiteral( "cancel.gpkg" ) );
  QString error;
  std::unique_ptr<ProjectFile> project = buildFixture( path, &error );
  QVERIFY( project );
  ClusterAnalysis a = runClusterAnalysis( *project, dbscanSpec() );
  QVERIFY( a.ok );
  const QByteArray before = test::fileHash( path );
  QgsFeedback canceled;
  canceled.cancel();
  QCOMPARE( saveClusterRun( *project, a, &canceled, &error ), -1 );
  QCOMPARE( error, QStringLiteral( "Cancelled." ) );
  QCOMPARE( a.runId, -1 );
  QCOMPARE( test::fileHash( path ), before );
  QVERIFY( !project->database().tableExists( kClusterRunsTable ) );
  QVERIFY( !project->database().tableExists( kClusterPolygonsTable ) );
  QCOMPARE( project->database().scalar( QStringLiteral( "SELECT count(*) FROM gpkg_contents WHERE table_name LIKE 'cluster%'" ) ).toInt(), 0 );

  // Cancelled half-way through a larger save (a Gi* grid of many cells) after an earlier saved run.
  QVERIFY( saveClusterRun( *project, a, nullptr, &error ) > 0 );
  ClusterRunSpec gi;
  gi.method = ClusterMethod::GiStar;
  gi.filter.clear();
  gi.giStar.cellSize = 2;
  ClusterAnalysis g = runClusterAnalysis( *project, gi );
  QVERIFY2( g.ok, qPrintable( g.errorString ) );
  QVERIFY( g.cells.size() > 64 );
  const QByteArray saved = test::fileHash( path );
  CancelAt half( 40 );
  QCOMPARE( saveClusterRun( *project, g, &half, &error ), -1 );
  QVERIFY( half.isCanceled() );
  QCOMPARE( test::fileHash( path ), saved );
  QCOMPARE( static_cast<int>( listClusterRuns( project->database() ).size() ), 1 );
}

void TestClusteringRuns::exportsReadByGdalAndQgis()
{
  const ClusterAnalysis a = runClusterAnalysis( *mProject, dbscanSpec() );
  QVERIFY( a.ok );
  const QString gpkg = mDir.filePath( QStringLiteral( "clusters.gpkg" ) );
  const QString csv = mDir.filePath( QStringLiteral( "clusters.csv" ) );
  QString error;
  QVERIFY2( exportClusters( a, mProject->crs(), gpkg, &error ), qPrintable( error ) );
  QVERIFY2( exportClusters( a, mProject->crs(), csv, &error ), qPrintable( error ) );
  QVERIFY( !exportClusters( a, mProject->crs(), mDir.filePath( QStringLiteral( "clusters.shp" ) ), &error ) );

  // GDAL reads the GeoPackage: two polygons with the card's attributes.
  OGRRegisterAll();
  OGRDataSourceH ds = OGROpen( gpkg.toUtf8().constData(), FALSE, nullptr );
  QVERIFY( ds );
  OGRLayerH layer = OGR_DS_GetLayerByName( ds, "clusters" );
  QVERIFY( layer );
  QCOMPARE( OGR_L_GetFeatureCount( layer, TRUE ), 2 );
  OGR_L_SetAttributeFilter( layer, "cluster_label = 'C1'" );
  OGRFeatureH f = OGR_L_GetNextFeature( layer );
  QVERIFY( f );
  auto field = [f]( const char *name )
  { return OGR_F_GetFieldIndex( f, name ); };
  QCOMPARE( OGR_F_GetFieldAsInteger( f, field( "incidents" ) ), 6 );
  QCOMPARE( OGR_F_GetFieldAsInteger( f, field( "distinct_addresses" ) ), 2 );
  QCOMPARE( QString::fromUtf8( OGR_F_GetFieldAsString( f, field( "repeat_addresses" ) ) ), QStringLiteral( "100 BLOCK MAIN ST (3); 200 BLOCK MAIN ST (2)" ) );
  QCOMPARE( OGR_F_GetFieldAsDouble( f, field( "firearm_share" ) ), 0.5 );
  QCOMPARE( OGR_F_GetFieldAsInteger( f, field( "open_blight" ) ), 3 );
  QCOMPARE( OGR_F_GetFieldAsInteger( f, field( "vacant_parcels" ) ), 2 );
  QCOMPARE( QString::fromUtf8( OGR_F_GetFieldAsString( f, field( "first_at" ) ) ), QStringLiteral( "2025-03-07T22:15:00-06:00" ) );
  QCOMPARE( QString::fromUtf8( OGR_F_GetFieldAsString( f, field( "offense_mix" ) ) ), QStringLiteral( "Aggravated Assault (3); Robbery (2); Homicide (1)" ) );
  OGRGeometryH geom = OGR_F_GetGeometryRef( f );
  QVERIFY( geom );
  QCOMPARE( wkbFlatten( OGR_G_GetGeometryType( geom ) ), wkbMultiPolygon );
  QVERIFY( std::abs( OGR_G_Area( geom ) - a.clusters[0].area ) < 1e-6 * a.clusters[0].area );
  OGR_F_Destroy( f );
  OGR_DS_Destroy( ds );

  // QGIS reads the CSV with its WKT geometry.
  QgsVectorLayer text( QStringLiteral( "file://%1?type=csv&wktField=WKT&crs=EPSG:26915" ).arg( csv ), QStringLiteral( "csv" ), QStringLiteral( "delimitedtext" ) );
  QVERIFY( text.isValid() );
  QCOMPARE( text.featureCount(), 2 );
  QgsFeature row;
  QgsFeatureIterator it = text.getFeatures( QgsFeatureRequest().setFilterExpression( QStringLiteral( "\"cluster_label\" = 'C2'" ) ) );
  QVERIFY( it.nextFeature( row ) );
  QCOMPARE( row.attribute( QStringLiteral( "incidents" ) ).toInt(), 5 );
  QCOMPARE( row.attribute( QStringLiteral( "firearm" ) ).toInt(), 0 );
  QVERIFY( std::abs( row.geometry().area() - a.clusters[1].area ) < 1e-3 * a.clusters[1].area );
}

void TestClusteringRuns::demoPersistenceOnCards()
{
  const QString path = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( path, options, nullptr, &error ), qPrintable( error ) );
  std::unique_ptr<ProjectFile> project = ProjectFile::open( path, ProjectFile::Mode::ReadWrite, &error );
  QVERIFY( project );

  ClusterRunSpec persistence;
  persistence.method = ClusterMethod::Persistence;
  persistence.persistence.giStar.cellSize = 200;
  ClusterAnalysis p = runClusterAnalysis( *project, persistence );
  QVERIFY2( p.ok, qPrintable( p.errorString ) );
  const PersistenceLookup own = persistenceLookup( p );
  QVERIFY( own.classes.size() > 10 );
  QVERIFY( saveClusterRun( *project, p, nullptr, &error ) > 0 );
  // Every persistence cluster is one class of contiguous cells: its card says that class for all its incidents.
  for ( const ClusterRecord &c : p.clusters )
  {
    QVERIFY2( c.detail.startsWith( c.card.persistence ), qPrintable( c.detail + QStringLiteral( " / " ) + c.card.persistence ) );
    QCOMPARE( static_cast<qint64>( c.card.persistenceIncidents ), c.card.incidents );
  }
  const PersistenceLookup saved = loadPersistenceLookup( project->database(), QStringLiteral( "incidents" ) );
  QCOMPARE( saved.runId, p.runId );
  QCOMPARE( saved.classes, own.classes );

  ClusterRunSpec dbscan;
  dbscan.dbscan.eps = 100;
  dbscan.from = QDate( 2025, 7, 1 );
  const ClusterAnalysis d = runClusterAnalysis( *project, dbscan );
  QVERIFY( d.ok );
  QVERIFY( d.clusters.size() > 5 );
  int classified = 0;
  for ( const ClusterRecord &c : d.clusters )
  {
    // The majority class of the members' cells, counted here from their coordinates.
    std::map<PersistenceClass, int> counts;
    for ( qint64 fid : c.fids )
    {
      const QgsPointXY pt = geometryFromGpkgBlob( project->database().scalar( QStringLiteral( "SELECT geom FROM incidents WHERE fid = %1" ).arg( fid ) ).toByteArray() ).asPoint();
      ++counts[saved.classAt( pt.x(), pt.y() )];
    }
    QString expected = QStringLiteral( "none" );
    int best = 0;
    for ( PersistenceClass k : { PersistenceClass::Persistent, PersistenceClass::Emerging, PersistenceClass::Intermittent, PersistenceClass::Former } )
      if ( counts[k] > best )
      {
        best = counts[k];
        expected = persistenceClassName( k );
      }
    QCOMPARE( c.card.persistence, expected );
    QCOMPARE( c.card.persistenceIncidents, best );
    classified += best > 0;
    // The card counts the members the table lists.
    QCOMPARE( c.card.incidents, static_cast<qint64>( c.fids.size() ) );
  }
  QVERIFY( classified > 0 );
}

void TestClusteringRuns::cli()
{
  const QString path = mDir.filePath( QStringLiteral( "cli.gpkg" ) );
  QString error;
  {
    std::unique_ptr<ProjectFile> project = buildFixture( path, &error );
    QVERIFY( project );
  }
  const QString csv = mDir.filePath( QStringLiteral( "cli.csv" ) );
  test::ProcessResult r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--project" ), path,
                                       QStringLiteral( "--filter" ), QStringLiteral( "violent = 1" ), QStringLiteral( "--eps" ), QStringLiteral( "50" ),
                                       QStringLiteral( "--min" ), QStringLiteral( "4" ), QStringLiteral( "--env-distance" ), QStringLiteral( "100" ),
                                       QStringLiteral( "--to" ), QStringLiteral( "2025-12-31" ), QStringLiteral( "--save" ), QStringLiteral( "--name" ),
                                       QStringLiteral( "cli run" ), QStringLiteral( "--export" ), csv, QStringLiteral( "--json" ) } );
  QVERIFY2( r.exitCode == 0, r.err );
  const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
  QCOMPARE( json.value( QStringLiteral( "run" ) ).toObject().value( QStringLiteral( "id" ) ).toInt(), 1 );
  const QJsonArray clusters = json.value( QStringLiteral( "cluster_list" ) ).toArray();
  QCOMPARE( clusters.size(), 2 );
  QCOMPARE( clusters[0].toObject().value( QStringLiteral( "card" ) ).toObject().value( QStringLiteral( "open_blight" ) ).toInt(), 3 );
  QVERIFY( QFile::exists( csv ) );

  r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--project" ), path, QStringLiteral( "--list-runs" ), QStringLiteral( "--json" ) } );
  QCOMPARE( r.exitCode, 0 );
  const QJsonArray runs = QJsonDocument::fromJson( r.out ).object().value( QStringLiteral( "runs" ) ).toArray();
  QCOMPARE( runs.size(), 1 );
  QCOMPARE( runs[0].toObject().value( QStringLiteral( "name" ) ).toString(), QStringLiteral( "cli run" ) );
  QCOMPARE( runs[0].toObject().value( QStringLiteral( "clusters" ) ).toInt(), 2 );

  r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--project" ), path, QStringLiteral( "--delete-run" ), QStringLiteral( "1" ) } );
  QCOMPARE( r.exitCode, 0 );
  r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--project" ), path, QStringLiteral( "--delete-run" ), QStringLiteral( "1" ) } );
  QCOMPARE( r.exitCode, 1 );
  r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "dbscan" ), QStringLiteral( "--project" ), path,
                   QStringLiteral( "--eps" ), QStringLiteral( "50" ), QStringLiteral( "--export" ), mDir.filePath( QStringLiteral( "x.txt" ) ) } );
  QCOMPARE( r.exitCode, 1 );
  QVERIFY( r.err.contains( ".gpkg or .csv" ) );
}

STATDESK_QGIS_TEST_MAIN( TestClusteringRuns )
#include "test_clustering_runs.moc"
