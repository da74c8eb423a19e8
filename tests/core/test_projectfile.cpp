// The project file: creation, round trip, validity as a GeoPackage and as a QGIS project,
// the refusal cases, locking, crash safety and Save As.
#include "TestSupport.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"
#include "project/Schema.h"

#include <QCryptographicHash>
#include <QThread>

#include <qgsproject.h>
#include <qgslayertree.h>
#include <qgsrenderer.h>
#include <qgsvectorlayer.h>

#include <gdal.h>
#include <ogr_api.h>

#include <csignal>
#include <sys/types.h>

using namespace statdesk;

namespace
{

ProjectSettings kcSettings()
{
  ProjectSettings s;
  s.cityName = QStringLiteral( "Kansas City" );
  s.crs = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:26915" ) );
  s.timeZone = QStringLiteral( "America/Chicago" );
  return s;
}

//! Inserts \a n incidents at known places inside one transaction; returns false on error.
bool insertIncidents( ProjectFile &project, int n, int offset = 0 )
{
  SqliteDatabase &db = project.database();
  SqliteTransaction tx( db );
  SqliteStatement st( db, QStringLiteral( "INSERT INTO incidents(geom, offense_key, report_no, ibrs, violent, occurred_at) VALUES (?, ?, ?, ?, ?, ?)" ) );
  for ( int i = offset; i < offset + n; ++i )
  {
    st.bindBlob( 1, gpkgPointBlob( 363000 + i * 10.0, 4330000 + i * 5.0, project.srsId() ) );
    st.bindText( 2, QStringLiteral( "KC24%1|13A" ).arg( i, 6, 10, QLatin1Char( '0' ) ) );
    st.bindText( 3, QStringLiteral( "KC24%1" ).arg( i, 6, 10, QLatin1Char( '0' ) ) );
    st.bindText( 4, QStringLiteral( "13A" ) );
    st.bindInt64( 5, 1 );
    st.bindText( 6, project.formatDateTime( QDateTime( QDate( 2024, 1 + i % 12, 1 + i % 28 ), QTime( 12, 0 ), project.timeZone() ) ) );
    if ( !st.exec() )
      return false;
  }
  return project.refreshContents( schema::kIncidents ) && tx.commit();
}

int crashWriter( const QString &path )
{
  std::unique_ptr<ProjectFile> project = ProjectFile::open( path, ProjectFile::Mode::ReadWrite, nullptr );
  if ( !project )
    return 3;
  SqliteDatabase &db = project->database();
  SqliteTransaction tx( db );
  SqliteStatement st( db, QStringLiteral( "INSERT INTO incidents(geom, offense_key) VALUES (?, ?)" ) );
  for ( int i = 0; i < 20000; ++i )
  {
    st.bindBlob( 1, gpkgPointBlob( 370000 + i, 4330000, project->srsId() ) );
    st.bindText( 2, QStringLiteral( "crash-%1" ).arg( i ) );
    st.exec();
  }
  project->setMetadataInTransaction( schema::kMetaCityName, QStringLiteral( "half-written" ) );
  fprintf( stdout, "READY\n" );
  fflush( stdout );
  for ( ;; )
    QThread::sleep( 1 ); // killed by the test before it can commit
}
} // namespace

class TestProjectFile : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase()
    {
      QVERIFY( mDir.isValid() );
    }

    void createAndReopen()
    {
      const QString path = mDir.filePath( QStringLiteral( "kc.gpkg" ) );
      QString error;
      {
        std::unique_ptr<ProjectFile> project = ProjectFile::create( path, kcSettings(), &error );
        QVERIFY2( project, qPrintable( error ) );
        QCOMPARE( project->cityName(), QStringLiteral( "Kansas City" ) );
        QCOMPARE( project->crs().authid(), QStringLiteral( "EPSG:26915" ) );
        QCOMPARE( project->schemaVersion(), schema::kVersion );
        QCOMPARE( project->metadata( schema::kMetaAppVersion ), statdeskVersion() );
        QVERIFY( project->srsId() > 0 );
        QVERIFY( insertIncidents( *project, 25 ) );
        QCOMPARE( project->rowCount( schema::kIncidents ), 25 );
        // A second create on the same path is refused without overwrite.
        QVERIFY( !ProjectFile::create( path, kcSettings(), &error ) );
        QVERIFY( error.contains( QLatin1String( "exists" ) ) );
      }
      std::unique_ptr<ProjectFile> reopened = ProjectFile::open( path, ProjectFile::Mode::ReadOnly, &error );
      QVERIFY2( reopened, qPrintable( error ) );
      QCOMPARE( reopened->rowCount( schema::kIncidents ), 25 );
      QCOMPARE( reopened->rowCount( schema::kIncidents, true ), 25 );
      const QgsRectangle extent = reopened->layerExtent( schema::kIncidents );
      QCOMPARE( extent.xMinimum(), 363000.0 );
      QCOMPARE( extent.xMaximum(), 363240.0 );
      QCOMPARE( extent.yMaximum(), 4330120.0 );
      // Time zone explicit: a January noon in Kansas City is UTC-6, a July noon UTC-5.
      SqliteStatement st( reopened->database(), QStringLiteral( "SELECT occurred_at FROM incidents WHERE offense_key = 'KC24000000|13A'" ) );
      QVERIFY( st.next() );
      QCOMPARE( st.text( 0 ), QStringLiteral( "2024-01-01T12:00:00-06:00" ) );
      SqliteStatement july( reopened->database(), QStringLiteral( "SELECT occurred_at FROM incidents WHERE offense_key = 'KC24000006|13A'" ) );
      QVERIFY( july.next() );
      QCOMPARE( july.text( 0 ), QStringLiteral( "2024-07-07T12:00:00-05:00" ) );
      // A wall-clock time skipped by the spring-forward change reads as standard time.
      QCOMPARE( reopened->formatDateTime( QDateTime( QDate( 2017, 3, 12 ), QTime( 2, 17 ), reopened->timeZone() ) ), QStringLiteral( "2017-03-12T03:17:00-05:00" ) );
      QCOMPARE( reopened->formatDateTime( QDateTime( QDate( 2017, 11, 5 ), QTime( 12, 0 ), reopened->timeZone() ) ), QStringLiteral( "2017-11-05T12:00:00-06:00" ) );
      // The restricted table exists but is not a GeoPackage layer.
      QVERIFY( reopened->database().tableExists( schema::kPersonInvolvements ) );
      QCOMPARE( reopened->database().scalar( QStringLiteral( "SELECT COUNT(*) FROM gpkg_contents WHERE table_name LIKE 'restricted%'" ) ).toInt(), 0 );
      // Spatial indexes on every layer.
      for ( const QString &t : { schema::kIncidents, schema::kServiceRequests, schema::kVacantParcels, schema::kDangerousBuildings, schema::kNeighborhoods, schema::kBoundaries } )
        QVERIFY2( reopened->database().tableExists( QStringLiteral( "rtree_%1_geom" ).arg( t ) ), qPrintable( t ) );
    }

    void passesGdalValidator()
    {
      const QString script = test::validateGpkgScript();
      if ( script.isEmpty() )
        QSKIP( "validate_gpkg.py (python3-gdal) is not installed" );
      const QString path = mDir.filePath( QStringLiteral( "validate.gpkg" ) );
      QString error;
      {
        std::unique_ptr<ProjectFile> project = ProjectFile::create( path, kcSettings(), &error );
        QVERIFY2( project, qPrintable( error ) );
        QVERIFY( insertIncidents( *project, 10 ) );
      }
      const test::ProcessResult r = test::run( QStringLiteral( "/usr/bin/python3" ), { script, path } );
      QVERIFY2( r.exitCode == 0, ( r.out + r.err ).constData() );
    }

    void opensInVanillaQgisWithStyles()
    {
      const QString path = mDir.filePath( QStringLiteral( "kc.gpkg" ) );
      QgsProject project;
      QVERIFY( project.read( ProjectLayers::qgisProjectUri( path ) ) );
      QCOMPARE( project.layerTreeRoot()->findGroups().size(), 4 );
      QgsVectorLayer *incidents = ProjectLayers::layer( &project, schema::kIncidents );
      QVERIFY( incidents );
      QVERIFY( incidents->isValid() );
      QCOMPARE( incidents->featureCount(), 25 );
      QCOMPARE( incidents->renderer()->type(), QStringLiteral( "RuleRenderer" ) );
      for ( QgsMapLayer *layer : project.mapLayers() )
      {
        QVERIFY2( layer->isValid(), qPrintable( layer->name() ) );
        QVERIFY( !layer->source().contains( QLatin1String( "restricted" ) ) );
      }
      // Styles are in layer_styles as each table's default, for QGIS users who add the layers by hand.
      SqliteDatabase db;
      QVERIFY( db.open( path, true ) );
      for ( const QString &t : { schema::kIncidents, schema::kServiceRequests, schema::kVacantParcels, schema::kDangerousBuildings, schema::kNeighborhoods, schema::kBoundaries } )
      {
        SqliteStatement st( db, QStringLiteral( "SELECT COUNT(*) FROM layer_styles WHERE f_table_name = ? AND useAsDefault" ) );
        st.bindText( 1, t );
        QVERIFY( st.next() );
        QVERIFY2( st.int64( 0 ) == 1, qPrintable( t ) );
      }
      // A plain OGR vector layer picks up the stored default style.
      QgsVectorLayer plain( path + QStringLiteral( "|layername=vacant_parcels" ), QStringLiteral( "v" ), QStringLiteral( "ogr" ) );
      QVERIFY( plain.isValid() );
      QCOMPARE( plain.renderer()->type(), QStringLiteral( "categorizedSymbol" ) );
    }

    void refusals_data()
    {
      QTest::addColumn<QString>( "kind" );
      QTest::addColumn<int>( "expected" );
      QTest::newRow( "text file" ) << "text" << int( OpenFailure::NotSqlite );
      QTest::newRow( "empty file" ) << "empty" << int( OpenFailure::NotSqlite );
      QTest::newRow( "plain SQLite" ) << "sqlite" << int( OpenFailure::NotGeoPackage );
      QTest::newRow( "GeoPackage, not a project" ) << "gpkg" << int( OpenFailure::NotAProject );
      QTest::newRow( "newer schema" ) << "newer" << int( OpenFailure::NewerSchema );
      QTest::newRow( "read-only file" ) << "readonly" << int( OpenFailure::ReadOnlyFile );
      QTest::newRow( "missing" ) << "missing" << int( OpenFailure::NotFound );
    }

    void refusals()
    {
      QFETCH( QString, kind );
      QFETCH( int, expected );
      const QString path = mDir.filePath( QStringLiteral( "refuse-%1.gpkg" ).arg( kind ) );
      if ( kind == QLatin1String( "text" ) )
      {
        QFile f( path );
        QVERIFY( f.open( QIODevice::WriteOnly ) );
        f.write( "Report_No,Reported_Date\n1,2/3/2024\n" );
      }
      else if ( kind == QLatin1String( "empty" ) )
      {
        QFile f( path );
        QVERIFY( f.open( QIODevice::WriteOnly ) );
      }
      else if ( kind == QLatin1String( "sqlite" ) )
      {
        SqliteDatabase db;
        QVERIFY( db.open( path, false, true ) );
        QVERIFY( db.exec( QStringLiteral( "CREATE TABLE t(a); INSERT INTO t VALUES (1);" ) ) );
      }
      else if ( kind == QLatin1String( "gpkg" ) )
      {
        GDALAllRegister();
        GDALDatasetH ds = GDALCreate( GDALGetDriverByName( "GPKG" ), path.toUtf8().constData(), 0, 0, 0, GDT_Unknown, nullptr );
        QVERIFY( ds );
        OGRLayerH layer = GDALDatasetCreateLayer( ds, "parcels", nullptr, wkbPoint, nullptr );
        QVERIFY( layer );
        GDALClose( ds );
      }
      else if ( kind == QLatin1String( "newer" ) || kind == QLatin1String( "readonly" ) )
      {
        QString error;
        {
          std::unique_ptr<ProjectFile> p = ProjectFile::create( path, kcSettings(), &error );
          QVERIFY2( p, qPrintable( error ) );
          if ( kind == QLatin1String( "newer" ) )
            QVERIFY( p->setMetadata( schema::kMetaSchemaVersion, QString::number( schema::kVersion + 1 ) ) );
        }
        if ( kind == QLatin1String( "readonly" ) )
          QVERIFY( QFile::setPermissions( path, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther ) );
      }
      const QByteArray before = test::fileHash( path );
      QString error;
      OpenFailure failure = OpenFailure::None;
      std::unique_ptr<ProjectFile> project = ProjectFile::open( path, ProjectFile::Mode::ReadWrite, &error, &failure );
      QVERIFY( !project );
      QCOMPARE( int( failure ), expected );
      QVERIFY( !error.isEmpty() );
      QVERIFY2( !error.contains( QLatin1String( "\n" ) ), qPrintable( error ) );
      // Nothing touched: same bytes, no journal, no lock left behind.
      QCOMPARE( test::fileHash( path ), before );
      QVERIFY( !QFile::exists( path + QStringLiteral( "-journal" ) ) );
      QVERIFY( !QFile::exists( path + QStringLiteral( ".lock" ) ) );
      if ( kind == QLatin1String( "readonly" ) )
      {
        // ...but it can be read.
        QVERIFY( ProjectFile::open( path, ProjectFile::Mode::ReadOnly, &error ) );
        QFile::setPermissions( path, QFileDevice::ReadOwner | QFileDevice::WriteOwner );
      }
      // The CLI says the same in one line and exits 2.
      const test::ProcessResult r = test::cli( { QStringLiteral( "info" ), QStringLiteral( "--project" ), path } );
      if ( kind != QLatin1String( "readonly" ) )
      {
        QCOMPARE( r.exitCode, 2 );
        const QList<QByteArray> lines = r.err.trimmed().split( '\n' );
        QVERIFY2( lines.last().startsWith( "statdesk-cli info: " ), r.err.constData() );
        QCOMPARE( r.err.count( "statdesk-cli" ), 1 );
      }
    }

    void secondInstanceIsToldWhoHasIt()
    {
      const QString path = mDir.filePath( QStringLiteral( "locked.gpkg" ) );
      QString error;
      std::unique_ptr<ProjectFile> first = ProjectFile::create( path, kcSettings(), &error );
      QVERIFY2( first, qPrintable( error ) );
      OpenFailure failure = OpenFailure::None;
      QVERIFY( !ProjectFile::open( path, ProjectFile::Mode::ReadWrite, &error, &failure ) );
      QCOMPARE( failure, OpenFailure::Locked );
      QVERIFY( error.contains( QString::number( QCoreApplication::applicationPid() ) ) );
      // Read-only access is still possible while another instance edits.
      QVERIFY( ProjectFile::open( path, ProjectFile::Mode::ReadOnly, &error ) );
      first.reset();
      QVERIFY( ProjectFile::open( path, ProjectFile::Mode::ReadWrite, &error ) );
    }

    void killedWriterLeavesLastGoodState()
    {
      const QString path = mDir.filePath( QStringLiteral( "crash.gpkg" ) );
      QString error;
      QString hashBefore;
      {
        std::unique_ptr<ProjectFile> p = ProjectFile::create( path, kcSettings(), &error );
        QVERIFY2( p, qPrintable( error ) );
        QVERIFY( insertIncidents( *p, 5 ) );
        hashBefore = p->contentHash();
      }
      QProcess writer;
      writer.start( QCoreApplication::applicationFilePath(), { QStringLiteral( "--crash-writer" ), path } );
      QVERIFY( writer.waitForStarted() );
      QVERIFY( writer.waitForReadyRead( 60000 ) );
      QCOMPARE( writer.readAllStandardOutput().trimmed(), QByteArray( "READY" ) );
      ::kill( static_cast<pid_t>( writer.processId() ), SIGKILL );
      QVERIFY( writer.waitForFinished() );
      // The hot journal is rolled back by the next connection; the stale lock (dead process) is taken over.
      std::unique_ptr<ProjectFile> reopened = ProjectFile::open( path, ProjectFile::Mode::ReadWrite, &error );
      QVERIFY2( reopened, qPrintable( error ) );
      QCOMPARE( reopened->rowCount( schema::kIncidents ), 5 );
      QCOMPARE( reopened->cityName(), QStringLiteral( "Kansas City" ) );
      QCOMPARE( reopened->contentHash(), hashBefore );
      QCOMPARE( reopened->database().scalar( QStringLiteral( "PRAGMA integrity_check" ) ).toString(), QStringLiteral( "ok" ) );
    }

    void saveAsAndRenamedFileStillFindsItsLayers()
    {
      const QString path = mDir.filePath( QStringLiteral( "original.gpkg" ) );
      const QString copyPath = mDir.filePath( QStringLiteral( "copy.gpkg" ) );
      QString error;
      std::unique_ptr<ProjectFile> p = ProjectFile::create( path, kcSettings(), &error );
      QVERIFY2( p, qPrintable( error ) );
      QVERIFY( insertIncidents( *p, 7 ) );
      const QByteArray originalBytes = test::fileHash( path );
      QVERIFY2( p->saveAs( copyPath, &error ), qPrintable( error ) );
      QCOMPARE( p->path(), QFileInfo( copyPath ).absoluteFilePath() );
      QVERIFY( insertIncidents( *p, 3, 100 ) );
      QCOMPARE( p->rowCount( schema::kIncidents ), 10 );
      QCOMPARE( test::fileHash( path ), originalBytes ); // the original is untouched
      // The original is free again, the copy is locked.
      QVERIFY( ProjectFile::open( path, ProjectFile::Mode::ReadWrite, &error ) );
      QVERIFY( !ProjectFile::open( copyPath, ProjectFile::Mode::ReadWrite, &error ) );
      p.reset();

      // Move the copy elsewhere under another name: its stored map still finds its layers.
      QDir( mDir.path() ).mkdir( QStringLiteral( "moved" ) );
      const QString moved = mDir.filePath( QStringLiteral( "moved/renamed.gpkg" ) );
      QVERIFY( QFile::rename( copyPath, moved ) );
      QgsProject project;
      QVERIFY2( ProjectLayers::load( moved, &project, &error ), qPrintable( error ) );
      QgsVectorLayer *incidents = ProjectLayers::layer( &project, schema::kIncidents );
      QVERIFY( incidents );
      QVERIFY( incidents->isValid() );
      QVERIFY2( incidents->source().startsWith( QFileInfo( moved ).absoluteFilePath() ), qPrintable( incidents->source() ) );
      QCOMPARE( incidents->featureCount(), 10 );
    }

    void dateFilterRestrictsIncidents()
    {
      const QString path = mDir.filePath( QStringLiteral( "kc.gpkg" ) );
      QgsProject project;
      QString error;
      QVERIFY2( ProjectLayers::load( path, &project, &error ), qPrintable( error ) );
      QgsVectorLayer *incidents = ProjectLayers::layer( &project, schema::kIncidents );
      QgsVectorLayer *density = ProjectLayers::layer( &project, schema::kIncidents, QStringLiteral( "density" ) );
      QVERIFY( incidents && density );
      // 25 incidents, month = 1 + i % 12: March has i = 2, 14 (and day 3, 15).
      ProjectLayers::applyDateFilter( &project, QDate( 2024, 3, 1 ), QDate( 2024, 3, 31 ) );
      QCOMPARE( incidents->featureCount(), 2 );
      QCOMPARE( density->featureCount(), 2 ); // its own "violent = 1" filter is kept
      QVERIFY( density->subsetString().contains( QLatin1String( "violent" ) ) );
      ProjectLayers::applyDateFilter( &project, QDate(), QDate() );
      QCOMPARE( incidents->featureCount(), 25 );
    }

  private:
    QTemporaryDir mDir;
};

int main( int argc, char **argv )
{
  if ( argc == 3 && QByteArray( argv[1] ) == "--crash-writer" )
  {
    int fakeArgc = 1;
    statdesk::QgisRuntime runtime( fakeArgc, argv, false, QStringLiteral( "statdesk-tests" ) );
    return crashWriter( QString::fromLocal8Bit( argv[2] ) );
  }
  statdesk::QgisRuntime runtime( argc, argv, false, QStringLiteral( "statdesk-tests" ) );
  TestProjectFile tc;
  return QTest::qExec( &tc, argc, argv );
}

#include "test_projectfile.moc"
