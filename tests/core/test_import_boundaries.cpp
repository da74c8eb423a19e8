// Polygons from OGR sources: the real KC neighborhood and council-district files (GeoJSON with a
// crs member, zipped Shapefiles), idempotence, invalid polygons.
#include "ImportTestSupport.h"
#include "project/Schema.h"

#include <qgsabstractgeometry.h>
#include <qgsgeometry.h>

using namespace statdesk;
using namespace statdesk::ingest;
using statdesk::test::importFile;
using statdesk::test::scalar;

class TestImportBoundaries : public QObject
{
    Q_OBJECT

  private:
    static QString shared( const QString &name )
    {
      const QString p = test::sharedFile( QStringLiteral( "data/kc/" ) + name );
      return p;
    }

  private slots:
    void neighborhoods_data()
    {
      QTest::addColumn<QString>( "file" );
      QTest::newRow( "geojson" ) << "kc_neighborhoods_145_cartodb.geojson";
      QTest::newRow( "zipped shapefile" ) << "kc_neighborhoods_145_shapefile.zip";
    }
    void neighborhoods()
    {
      QFETCH( QString, file );
      const QString path = shared( file );
      if ( path.isEmpty() )
        QSKIP( "../shared/data/kc is not here" );
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      const ImportSummary s = importFile( *p, ImportKind::Neighborhoods, path );
      QVERIFY2( s.ok, qPrintable( s.error ) );
      QCOMPARE( s.rowsRead, 145 );
      QCOMPARE( s.imported + s.merged + s.rejected, 145 );
      QCOMPARE( s.rejected, 0 );
      QCOMPARE( p->rowCount( schema::kNeighborhoods ), s.imported );
      QCOMPARE( p->rowCount( schema::kNeighborhoods, true ), s.imported );
      QVERIFY( s.imported >= 140 );
      // Names as in the source, misspellings included; ids from cartodb_id.
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM neighborhoods WHERE name = 'Indipendence Plaza' AND nbh_id = '10'" ).toInt(), 1 );
      // Reprojected to UTM 15N metres, inside Kansas City, areas in km².
      const QgsRectangle extent = p->layerExtent( schema::kNeighborhoods );
      QVERIFY( extent.xMinimum() > 340000 && extent.xMaximum() < 390000 );
      QVERIFY( extent.yMinimum() > 4290000 && extent.yMaximum() < 4360000 );
      const double area = scalar( *p, "SELECT SUM(area_sqkm) FROM neighborhoods" ).toDouble();
      QVERIFY2( area > 100 && area < 400, qPrintable( QString::number( area ) ) );
      // Idempotent.
      const QString before = test::tablesHash( *p, { schema::kNeighborhoods } );
      const ImportSummary again = importFile( *p, ImportKind::Neighborhoods, path );
      QCOMPARE( again.unchanged, s.imported );
      QCOMPARE( again.imported + again.updated, 0 );
      QCOMPARE( test::tablesHash( *p, { schema::kNeighborhoods } ), before );
    }

    void councilDistricts_data()
    {
      QTest::addColumn<QString>( "file" );
      QTest::newRow( "geojson with crs" ) << "kc_council_districts_2012.geojson";
      QTest::newRow( "zipped shapefile" ) << "kc_council_districts_2012_shapefile.zip";
    }
    void councilDistricts()
    {
      QFETCH( QString, file );
      const QString path = shared( file );
      if ( path.isEmpty() )
        QSKIP( "../shared/data/kc is not here" );
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      const ImportSummary s = importFile( *p, ImportKind::Boundary, path );
      QVERIFY2( s.ok, qPrintable( s.error ) );
      QCOMPARE( s.rowsRead, 6 );
      QCOMPARE( s.imported, 6 );
      QCOMPARE( scalar( *p, "SELECT group_concat(boundary_id, ',') FROM (SELECT boundary_id FROM boundaries WHERE kind = 'council_district' ORDER BY boundary_id)" ).toString(),
                QStringLiteral( "1,2,3,4,5,6" ) );
      const QgsRectangle extent = p->layerExtent( schema::kBoundaries );
      QVERIFY( extent.xMinimum() > 340000 && extent.xMaximum() < 400000 );
      // Crime points are then checked against the project's own boundaries too.
      QVERIFY( importFile( *p, ImportKind::Crime, test::testData( "kc/crime_2017.csv" ) ).ok );
      QCOMPARE( p->rowCount( schema::kIncidents, true ), 2 );
    }

    void invalidPolygons()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QFile f( dir.filePath( "bad.geojson" ) );
      QVERIFY( f.open( QIODevice::WriteOnly ) );
      // A bow-tie (self-intersecting ring: repairable), a valid square, and a degenerate ring that goes out and back (no area: rejected).
      f.write( R"({"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"nbhname":"Bow Tie","nbhid":"1"},"geometry":{"type":"Polygon","coordinates":[[[-94.60,39.05],[-94.58,39.07],[-94.58,39.05],[-94.60,39.07],[-94.60,39.05]]]}},
        {"type":"Feature","properties":{"nbhname":"Square","nbhid":"2"},"geometry":{"type":"Polygon","coordinates":[[[-94.56,39.05],[-94.54,39.05],[-94.54,39.07],[-94.56,39.07],[-94.56,39.05]]]}},
        {"type":"Feature","properties":{"nbhname":"Sliver","nbhid":"3"},"geometry":{"type":"Polygon","coordinates":[[[-94.52,39.05],[-94.51,39.06],[-94.52,39.05],[-94.52,39.05]]]}},
        {"type":"Feature","properties":{"nbhname":"No shape","nbhid":"4"},"geometry":null}
      ]})" );
      f.close();
      const QString before = p->contentHash();
      const ImportSummary s = importFile( *p, ImportKind::Neighborhoods, f.fileName() );
      QVERIFY2( s.ok, qPrintable( s.error ) );
      QCOMPARE( s.rowsRead, 4 );
      QCOMPARE( s.imported, 2 );
      QCOMPARE( s.repaired, 1 );
      QCOMPARE( s.rejected, 2 );
      QVERIFY( s.notes.join( ' ' ).contains( "Bow Tie" ) );
      QCOMPARE( s.rejectedByReason.value( "zero_area" ) + s.rejectedByReason.value( "invalid_geometry" ), 1 );
      QCOMPARE( s.rejectedByReason.value( "no_geometry" ), 1 );
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM import_rejects" ).toInt(), 2 );
      QVERIFY( p->contentHash() != before );
      const QgsGeometry bowTie = geometryFromGpkgBlob( scalar( *p, "SELECT geom FROM neighborhoods WHERE nbh_id = '1'" ).toByteArray() );
      QVERIFY( bowTie.isGeosValid() );
      QCOMPARE( bowTie.constGet()->partCount(), 2 );
    }

    void notPolygons()
    {
      const QString path = shared( "kc_streetlight_poles_sample.geojson" );
      if ( path.isEmpty() )
        QSKIP( "../shared/data/kc is not here" );
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      const QString before = p->contentHash();
      ingest::ImportOptions options;
      options.kind = ImportKind::Neighborhoods;
      options.filePath = path;
      const ImportSummary s = Importer( *p ).run( options );
      QVERIFY( !s.ok );
      QVERIFY2( s.error.contains( "not polygons" ), qPrintable( s.error ) );
      QCOMPARE( p->contentHash(), before );
    }
};

STATDESK_QGIS_TEST_MAIN( TestImportBoundaries )
#include "test_import_boundaries.moc"
