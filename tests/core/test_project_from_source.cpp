// A project made from the layers of a plain GeoPackage (what the app offers when such a file is
// opened), and point records imported from OGR sources (GeoJSON, GeoPackage layers).
#include "ImportTestSupport.h"
#include "SourceGpkgFixture.h"
#include "ingest/OgrSource.h"
#include "ingest/ProjectFromGeoPackage.h"
#include "project/ProjectLayers.h"
#include "project/Schema.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <qgsfeedback.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgsproject.h>
#include <qgsvectorfilewriter.h>
#include <qgsvectorlayer.h>

using namespace statdesk;
using namespace statdesk::ingest;
using statdesk::test::dangerousBuildings;
using statdesk::test::fileHash;

class TestProjectFromSource : public QObject
{
    Q_OBJECT

  private:
    QTemporaryDir mDir;
    QString mSource;

  private slots:
    void initTestCase()
    {
      mSource = mDir.filePath( QStringLiteral( "city-layers.gpkg" ) );
      QVERIFY( test::writeCityLayersGpkg( mSource ) );
    }

    void listsLayersWithSuggestions()
    {
      QString error;
      const QVector<SourceLayerInfo> layers = listSourceLayers( mSource, &error );
      QVERIFY2( layers.size() == 4, qPrintable( error ) );
      QMap<QString, SourceLayerInfo> byName;
      for ( const SourceLayerInfo &l : layers )
        byName.insert( l.name, l );
      QCOMPARE( byName.value( "kc_neighborhoods" ).geometry, QStringLiteral( "polygon" ) );
      QCOMPARE( byName.value( "kc_neighborhoods" ).suggestedTarget, QStringLiteral( "neighborhoods" ) );
      QCOMPARE( byName.value( "dangerous_buildings_2025" ).suggestedTarget, QStringLiteral( "dangerous" ) );
      QCOMPARE( byName.value( "dangerous_buildings_2025" ).features, 3 );
      QCOMPARE( byName.value( "street lights" ).suggestedTarget, kExtraTarget );
      QCOMPARE( byName.value( "notes" ).suggestedTarget, kSkipTarget );
      // WGS 84 data: the UTM zone of Kansas City.
      QCOMPARE( suggestProjectCrs( mSource, layers ).authid(), QStringLiteral( "EPSG:32615" ) );
    }

    void createsProject()
    {
      const QByteArray sourceBefore = fileHash( mSource );
      QString error;
      const QVector<SourceLayerInfo> layers = listSourceLayers( mSource, &error );
      ProjectFromSourcePlan plan;
      plan.sourcePath = mSource;
      plan.projectPath = mDir.filePath( QStringLiteral( "project.gpkg" ) );
      plan.cityName = QStringLiteral( "Kansas City" );
      plan.crs = suggestProjectCrs( mSource, layers );
      for ( const SourceLayerInfo &l : layers )
        plan.targets.insert( l.name, l.suggestedTarget );
      const ProjectFromSourceResult result = createProjectFromSource( plan );
      QVERIFY2( result.ok, qPrintable( result.toText() ) );
      QCOMPARE( fileHash( mSource ), sourceBefore ); // only read

      std::unique_ptr<ProjectFile> p = ProjectFile::open( plan.projectPath, ProjectFile::Mode::ReadOnly, &error );
      QVERIFY2( p, qPrintable( error ) );
      QCOMPARE( p->cityName(), QStringLiteral( "Kansas City" ) );
      QCOMPARE( p->crs().authid(), QStringLiteral( "EPSG:32615" ) );
      QCOMPARE( p->rowCount( schema::kNeighborhoods, true ), 2 );
      QCOMPARE( test::scalar( *p, "SELECT name FROM neighborhoods WHERE nbh_id = '2'" ).toString(), QStringLiteral( "Blue Hills" ) );
      // The dangerous buildings went through the importer: keyed by case number, placed, logged.
      // (the third case has (0, 0) coordinates in the city's file: kept, flagged, off the map)
      QCOMPARE( p->rowCount( schema::kDangerousBuildings ), 3 );
      QCOMPARE( p->rowCount( schema::kDangerousBuildings, true ), 2 );
      QCOMPARE( test::scalar( *p, "SELECT address FROM dangerous_buildings WHERE case_number = '2025-00036'" ).toString(), QStringLiteral( "3213 E 28TH ST" ) );
      QCOMPARE( test::scalar( *p, "SELECT source_file FROM import_log WHERE kind = 'dangerous'" ).toString(), QStringLiteral( "city-layers.gpkg|dangerous_buildings_2025" ) );
      // Street lights copied as they are, registered and reprojected, attributes typed.
      const QString table = result.extraTables.value( QStringLiteral( "street lights" ) );
      QCOMPARE( table, QStringLiteral( "layer_street_lights" ) );
      QCOMPARE( result.extraFeatures.value( QStringLiteral( "street lights" ) ), 5 );
      QCOMPARE( test::scalar( *p, "SELECT COUNT(*) FROM layer_street_lights WHERE geom IS NOT NULL" ).toInt(), 5 );
      QCOMPARE( test::scalar( *p, "SELECT SUM(pole_id) FROM layer_street_lights" ).toInt(), 510 );
      QCOMPARE( test::scalar( *p, "SELECT installed FROM layer_street_lights WHERE pole_id = 102" ).toString(), QStringLiteral( "2024-01-03" ) );
      QCOMPARE( test::scalar( *p, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_street_lights'" ).toString(), QStringLiteral( "features" ) );
      QCOMPARE( test::scalar( *p, "SELECT COUNT(*) FROM rtree_layer_street_lights_geom" ).toInt(), 5 );
      const QgsRectangle lightsExtent = p->layerExtent( table );
      QVERIFY2( lightsExtent.xMinimum() > 360000 && lightsExtent.xMaximum() < 370000, qPrintable( lightsExtent.toString() ) );
      QVERIFY( !p->database().tableExists( QStringLiteral( "layer_notes" ) ) );
      p.reset();

      // On the map, in their own group, as vanilla QGIS reads the stored project.
      QgsProject map;
      QVERIFY2( ProjectLayers::load( plan.projectPath, &map, &error ), qPrintable( error ) );
      QgsLayerTreeGroup *group = map.layerTreeRoot()->findGroup( QObject::tr( "Other layers" ) );
      QVERIFY( group );
      QCOMPARE( group->findLayers().size(), 1 );
      QgsVectorLayer *lights = qobject_cast<QgsVectorLayer *>( group->findLayers().at( 0 )->layer() );
      QVERIFY( lights && lights->isValid() );
      QCOMPARE( lights->featureCount(), 5 );
      QCOMPARE( lights->name(), QStringLiteral( "street lights" ) );

      const QString script = test::validateGpkgScript();
      if ( !script.isEmpty() )
      {
        const QString python = QFile::exists( QStringLiteral( "/usr/bin/python3" ) ) ? QStringLiteral( "/usr/bin/python3" ) : QStringLiteral( "python3" );
        const test::ProcessResult r = test::run( python, { script, plan.projectPath } );
        QVERIFY2( r.exitCode == 0, r.out.constData() + QByteArray( "\n" ) + r.err );
      }
    }

    void failureLeavesNoProject()
    {
      ProjectFromSourcePlan plan;
      plan.sourcePath = mSource;
      plan.projectPath = mDir.filePath( QStringLiteral( "failed.gpkg" ) );
      plan.cityName = QStringLiteral( "X" );
      plan.crs = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:32615" ) );
      plan.targets.insert( QStringLiteral( "kc_neighborhoods" ), QStringLiteral( "neighborhoods" ) );
      // Street lights are not crime records: no layout, the import fails, nothing is left.
      plan.targets.insert( QStringLiteral( "street lights" ), QStringLiteral( "crime" ) );
      const ProjectFromSourceResult result = createProjectFromSource( plan );
      QVERIFY( !result.ok );
      QVERIFY2( result.error.contains( QStringLiteral( "street lights" ) ), qPrintable( result.error ) );
      QVERIFY( !QFile::exists( plan.projectPath ) );

      // Canceled before it starts: no file either.
      plan.targets.remove( QStringLiteral( "street lights" ) );
      QgsFeedback feedback;
      feedback.cancel();
      const ProjectFromSourceResult canceled = createProjectFromSource( plan, &feedback );
      QVERIFY( !canceled.ok );
      QVERIFY( canceled.canceled );
      QVERIFY( !QFile::exists( plan.projectPath ) );

      // A geographic CRS is refused up front.
      plan.crs = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:4326" ) );
      QVERIFY( !createProjectFromSource( plan ).ok );
      QVERIFY( !QFile::exists( plan.projectPath ) );
    }

    void cli()
    {
      const QString out = mDir.filePath( QStringLiteral( "cli.gpkg" ) );
      test::ProcessResult r = test::cli( { QStringLiteral( "new" ), QStringLiteral( "--from" ), mSource, QStringLiteral( "--out" ), out,
                                           QStringLiteral( "--layer" ), QStringLiteral( "street lights=skip" ), QStringLiteral( "--json" ) } );
      QVERIFY2( r.exitCode == 0, r.err.constData() );
      const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
      QVERIFY( json.value( QStringLiteral( "ok" ) ).toBool() );
      QCOMPARE( json.value( QStringLiteral( "crs" ) ).toString(), QStringLiteral( "EPSG:32615" ) );
      QCOMPARE( json.value( QStringLiteral( "imports" ) ).toArray().size(), 2 );
      QVERIFY( json.value( QStringLiteral( "copied" ) ).toObject().isEmpty() );
      QCOMPARE( json.value( QStringLiteral( "targets" ) ).toObject().value( QStringLiteral( "street lights" ) ).toString(), QStringLiteral( "skip" ) );
      // A layer the source does not have, or a target that does not exist: refused, nothing made.
      const QString refused = mDir.filePath( QStringLiteral( "refused.gpkg" ) );
      r = test::cli( { QStringLiteral( "new" ), QStringLiteral( "--from" ), mSource, QStringLiteral( "--out" ), refused, QStringLiteral( "--layer" ), QStringLiteral( "lamps=extra" ) } );
      QVERIFY( r.exitCode != 0 );
      QVERIFY2( r.err.contains( "no layer \"lamps\"" ), r.err.constData() );
      r = test::cli( { QStringLiteral( "new" ), QStringLiteral( "--from" ), mSource, QStringLiteral( "--out" ), refused, QStringLiteral( "--layer" ), QStringLiteral( "notes=parcels" ) } );
      QVERIFY( r.exitCode != 0 );
      QVERIFY( !QFile::exists( refused ) );
    }

    void pointsFromGeoJson()
    {
      // The dangerous-building list as GeoJSON: same records as the CSV, idempotent.
      const QString geojson = mDir.filePath( QStringLiteral( "dangerous.geojson" ) );
      std::unique_ptr<QgsVectorLayer> layer = dangerousBuildings();
      QgsVectorFileWriter::SaveVectorOptions options;
      options.driverName = QStringLiteral( "GeoJSON" );
      QString error;
      QCOMPARE( QgsVectorFileWriter::writeAsVectorFormatV3( layer.get(), geojson, QgsProject::instance()->transformContext(), options, &error ), QgsVectorFileWriter::NoError );
      QVERIFY( isOgrSource( geojson ) );
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      const ImportPreview preview = Importer::preview( geojson, ImportKind::Dangerous, p.get() );
      QVERIFY2( preview.ok, qPrintable( preview.error ) );
      QCOMPARE( preview.rows.size(), 3 );
      QVERIFY( preview.header.contains( QStringLiteral( "Location" ) ) );
      const ImportSummary s = test::importFile( *p, ImportKind::Dangerous, geojson );
      QVERIFY2( s.ok, qPrintable( s.error ) );
      QCOMPARE( s.rowsRead, 3 );
      QCOMPARE( s.imported, 3 );
      QCOMPARE( s.withoutLocation, 1 ); // the (0, 0) case, as in the CSV
      QCOMPARE( s.locationFlags.value( QStringLiteral( "zero" ) ), 1 );
      QCOMPARE( s.sourceFile, QStringLiteral( "dangerous.geojson" ) );
      const ImportSummary again = test::importFile( *p, ImportKind::Dangerous, geojson );
      QCOMPARE( again.unchanged, 3 );
      QCOMPARE( again.imported + again.updated, 0 );
      // The same places as the CSV import of the same list.
      QTemporaryDir dir2;
      auto q = test::newKcProject( dir2 );
      QVERIFY( test::importFile( *q, ImportKind::Dangerous, test::testData( QStringLiteral( "kc/dangerous_buildings.csv" ) ) ).ok );
      const QString sql = QStringLiteral( "SELECT group_concat(case_number || ':' || round(ST_MinX(geom), 1) || ',' || round(ST_MinY(geom), 1), ';') "
                                          "FROM (SELECT * FROM dangerous_buildings ORDER BY case_number)" );
      QCOMPARE( test::scalar( *p, sql ).toString(), test::scalar( *q, sql ).toString() );
    }
};

STATDESK_QGIS_TEST_MAIN( TestProjectFromSource )
#include "test_project_from_source.moc"
