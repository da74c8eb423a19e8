// Kansas City layouts end to end: every fixture layout, dedup, idempotence, next week's file,
// cancel, refusals, bad rows, privacy, a saved mapping for another city, the CLI.
#include "ImportTestSupport.h"
#include "ingest/LayoutRegistry.h"
#include "project/Schema.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <qgscoordinatetransform.h>
#include <qgsfeedback.h>
#include <qgsproject.h>

using namespace statdesk;
using namespace statdesk::ingest;
using statdesk::test::importFile;
using statdesk::test::scalar;
using statdesk::test::testData;

namespace
{
const QStringList kDataTables { schema::kIncidents, schema::kServiceRequests, schema::kVacantParcels, schema::kDangerousBuildings, schema::kPersonInvolvements };

QString kc( const QString &name ) { return testData( QStringLiteral( "kc/" ) + name ); }

QString text( ProjectFile &p, const QString &sql ) { return scalar( p, sql ).toString(); }
} // namespace

class TestImportKc : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase()
    {
      QVERIFY2( !LayoutRegistry::instance().providers().isEmpty(), qPrintable( LayoutRegistry::instance().loadErrors().join( '\n' ) ) );
      QVERIFY( LayoutRegistry::instance().provider( QStringLiteral( "kansascity" ) ) );
    }

    void crime2017RealRows()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( p );
      const ImportSummary s = importFile( *p, ImportKind::Crime, kc( "crime_2017.csv" ) );
      QVERIFY( s.ok );
      QCOMPARE( s.layoutId, QStringLiteral( "kcpd-crime" ) );
      QCOMPARE( s.rowsRead, 4 );
      QCOMPARE( s.imported, 3 ); // offenses (Report_No, IBRS)
      QCOMPARE( s.merged, 1 );   // the second person row of 120046817 / 09A
      QCOMPARE( s.rejected, 0 );
      QCOMPARE( s.withoutLocation, 1 ); // the rape row: "99999\n", kept off the map
      QCOMPARE( p->rowCount( schema::kIncidents ), 3 );
      QCOMPARE( p->rowCount( schema::kIncidents, true ), 2 );

      // The homicide: one offense, two persons in the restricted table.
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM incidents WHERE report_no = '120046817'" ).toInt(), 1 );
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM restricted_person_involvements WHERE offense_key = '120046817|09A'" ).toInt(), 2 );
      QCOMPARE( text( *p, "SELECT group_concat(involvement || race || sex || coalesce(age, '-'), ' ') FROM (SELECT * FROM restricted_person_involvements WHERE offense_key = '120046817|09A' ORDER BY involvement)" ),
                QStringLiteral( "SUSBM- VICBF69" ) );
      QCOMPARE( text( *p, "SELECT violent || firearm || shooting || domestic FROM incidents WHERE offense_key = '120046817|09A'" ), QStringLiteral( "1110" ) );
      QCOMPARE( text( *p, "SELECT occurred_at FROM incidents WHERE offense_key = '120046817|09A'" ), QStringLiteral( "2017-11-20T09:00:00-06:00" ) );
      QCOMPARE( text( *p, "SELECT reported_at FROM incidents WHERE offense_key = '120046817|09A'" ), QStringLiteral( "2017-11-21T13:30:00-06:00" ) );
      QCOMPARE( text( *p, "SELECT category FROM incidents WHERE offense_key = '120046817|09A'" ), QStringLiteral( "Homicide" ) );
      QCOMPARE( text( *p, "SELECT address FROM incidents WHERE offense_key = '120046817|09A'" ), QStringLiteral( "1100 LOCUST ST" ) );

      // Stolen property: occurrence from From_Date/From_Time, point reprojected to UTM 15N.
      QCOMPARE( text( *p, "SELECT occurred_at FROM incidents WHERE offense_key = '100080848|280'" ), QStringLiteral( "2017-05-28T02:00:00-05:00" ) );
      QCOMPARE( text( *p, "SELECT violent || location_flag FROM incidents WHERE offense_key = '100080848|280'" ), QStringLiteral( "0ok" ) );
      const QgsGeometry g = geometryFromGpkgBlob( scalar( *p, "SELECT geom FROM incidents WHERE offense_key = '100080848|280'" ).toByteArray() );
      QgsCoordinateTransform ct( QgsCoordinateReferenceSystem( "EPSG:4326" ), QgsCoordinateReferenceSystem( "EPSG:26915" ), QgsProject::instance() );
      const QgsPointXY expected = ct.transform( QgsPointXY( -94.595998, 39.053635 ) );
      QVERIFY( std::fabs( g.asPoint().x() - expected.x() ) < 0.01 );
      QVERIFY( std::fabs( g.asPoint().y() - expected.y() ) < 0.01 );
      QVERIFY( expected.x() > 360000 && expected.x() < 370000 ); // UTM metres, not degrees

      // Rape row: no From_Date -> Reported_Date; no location; still a violent offense.
      QCOMPARE( text( *p, "SELECT occurred_at || ' ' || zip || ' ' || location_flag || ' ' || violent FROM incidents WHERE offense_key = '120085080|11A'" ),
                QStringLiteral( "2017-04-27T11:12:00-05:00 99999 missing 1" ) );
      QVERIFY( scalar( *p, "SELECT geom IS NULL FROM incidents WHERE offense_key = '120085080|11A'" ).toBool() );
      QCOMPARE( scalar( *p, "SELECT rows_read FROM import_log" ).toInt(), 4 );
    }

    void reimportChangesNothing()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( importFile( *p, ImportKind::Crime, kc( "crime_2017.csv" ) ).ok );
      const QString before = test::tablesHash( *p, kDataTables );
      const ImportSummary s = importFile( *p, ImportKind::Crime, kc( "crime_2017.csv" ) );
      QVERIFY( s.ok );
      QCOMPARE( s.imported, 0 );
      QCOMPARE( s.updated, 0 );
      QCOMPARE( s.unchanged, 3 );
      QCOMPARE( s.merged, 1 );
      QCOMPARE( test::tablesHash( *p, kDataTables ), before );
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM import_log" ).toInt(), 2 );
    }

    void nextWeekAddsAndUpdates()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( importFile( *p, ImportKind::Crime, kc( "crime_2017.csv" ) ).ok );
      const qint64 fid = scalar( *p, "SELECT fid FROM incidents WHERE offense_key = '120046817|09A'" ).toLongLong();
      const ImportSummary s = importFile( *p, ImportKind::Crime, kc( "crime_2017_nextweek.csv" ) );
      QVERIFY( s.ok );
      QCOMPARE( s.rowsRead, 6 );
      QCOMPARE( s.imported, 1 );  // the robbery 170001234
      QCOMPARE( s.updated, 1 );   // the homicide got an arrestee
      QCOMPARE( s.unchanged, 2 );
      QCOMPARE( s.merged, 2 );
      QCOMPARE( p->rowCount( schema::kIncidents ), 4 );
      QCOMPARE( scalar( *p, "SELECT fid FROM incidents WHERE offense_key = '120046817|09A'" ).toLongLong(), fid ); // updated in place
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM restricted_person_involvements WHERE offense_key = '120046817|09A'" ).toInt(), 3 );
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM restricted_person_involvements" ).toInt(), 6 );
      // And that file again: nothing changes.
      const QString before = test::tablesHash( *p, kDataTables );
      const ImportSummary again = importFile( *p, ImportKind::Crime, kc( "crime_2017_nextweek.csv" ) );
      QCOMPARE( again.unchanged, 4 );
      QCOMPARE( test::tablesHash( *p, kDataTables ), before );
    }

    void layouts_data()
    {
      QTest::addColumn<int>( "kind" );
      QTest::addColumn<QString>( "file" );
      QTest::addColumn<QString>( "layout" );
      QTest::addColumn<int>( "rows" );
      QTest::addColumn<int>( "imported" );
      QTest::addColumn<int>( "merged" );
      QTest::addColumn<int>( "withoutLocation" );
      QTest::addColumn<int>( "persons" );
      const int crime = int( ImportKind::Crime ), req = int( ImportKind::ServiceRequests );
      QTest::newRow( "2020 no Invl_No" ) << crime << "crime_2020.csv" << "kcpd-crime-2020" << 4 << 2 << 2 << 0 << 4;
      QTest::newRow( "2010-2014 Location 1" ) << crime << "crime_2012.csv" << "kcpd-crime-2010-2014" << 3 << 2 << 1 << 0 << 3;
      QTest::newRow( "2025 WKT" ) << crime << "crime_2025.csv" << "kcpd-crime" << 7 << 6 << 1 << 2 << 7;
      QTest::newRow( "lat/lon Longtitude" ) << crime << "crime_latlon.csv" << "kcpd-crime" << 2 << 2 << 0 << 1 << 2;
      QTest::newRow( "311 legacy" ) << req << "311_legacy.csv" << "kc-311-legacy" << 4 << 4 << 0 << 1 << 0;
      QTest::newRow( "311 current" ) << req << "311_current.csv" << "kc-311-current" << 3 << 3 << 0 << 0 << 0;
      QTest::newRow( "dangerous" ) << int( ImportKind::Dangerous ) << "dangerous_buildings.csv" << "kc-dangerous-buildings" << 3 << 3 << 0 << 1 << 0;
      QTest::newRow( "land bank" ) << int( ImportKind::Vacant ) << "land_bank.csv" << "kc-land-bank" << 2 << 2 << 0 << 0 << 0;
    }
    void layouts()
    {
      QFETCH( int, kind );
      QFETCH( QString, file );
      QFETCH( QString, layout );
      QFETCH( int, rows );
      QFETCH( int, imported );
      QFETCH( int, merged );
      QFETCH( int, withoutLocation );
      QFETCH( int, persons );
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      const ImportSummary s = importFile( *p, ImportKind( kind ), kc( file ) );
      QVERIFY2( s.ok, qPrintable( s.error ) );
      QCOMPARE( s.layoutId, layout );
      QCOMPARE( s.rowsRead, rows );
      QCOMPARE( s.imported, imported );
      QCOMPARE( s.merged, merged );
      QCOMPARE( s.rejected, 0 );
      QCOMPARE( s.withoutLocation, withoutLocation );
      QCOMPARE( s.imported + s.updated + s.unchanged + s.merged + s.rejected, s.rowsRead );
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM restricted_person_involvements" ).toInt(), persons );
      const QString table = targetTable( ImportKind( kind ) );
      QCOMPARE( p->rowCount( table ), imported );
      QCOMPARE( p->rowCount( table, true ), imported - withoutLocation );
      // Idempotent for every layout.
      const QString before = test::tablesHash( *p, kDataTables );
      const ImportSummary again = importFile( *p, ImportKind( kind ), kc( file ) );
      QCOMPARE( again.unchanged, imported );
      QCOMPARE( again.updated + again.imported, 0 );
      QCOMPARE( test::tablesHash( *p, kDataTables ), before );
    }

    void values2025AndFlags()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( importFile( *p, ImportKind::Crime, kc( "crime_2025.csv" ) ).ok );
      QCOMPARE( text( *p, "SELECT violent || firearm || shooting || domestic FROM incidents WHERE offense_key = 'KC25031876|13A'" ), QStringLiteral( "1111" ) );
      QCOMPARE( text( *p, "SELECT violent || firearm || shooting FROM incidents WHERE offense_key = 'KC25031876|290'" ), QStringLiteral( "000" ) );
      QCOMPARE( text( *p, "SELECT occurred_at FROM incidents WHERE offense_key = 'KC25031876|13A'" ), QStringLiteral( "2025-06-14T01:40:00-05:00" ) );
      QCOMPARE( text( *p, "SELECT location_flag FROM incidents WHERE offense_key = 'KC25040777|23H'" ), QStringLiteral( "zero" ) );
      QCOMPARE( text( *p, "SELECT location_flag || (geom IS NOT NULL) FROM incidents WHERE offense_key = 'KC25041010|240'" ), QStringLiteral( "swapped1" ) );
      QCOMPARE( text( *p, "SELECT location_flag || (geom IS NULL) FROM incidents WHERE offense_key = 'KC25041999|09A'" ), QStringLiteral( "outside_extent1" ) );
      QCOMPARE( text( *p, "SELECT address FROM incidents WHERE offense_key = 'KC25040002|120'" ), QStringLiteral( "1200 GRAND BLVD" ) );
      // 2020: two identical victim rows are two persons (numbered, as the layout has no Invl_No).
      QVERIFY( importFile( *p, ImportKind::Crime, kc( "crime_2020.csv" ) ).ok );
      QCOMPARE( text( *p, "SELECT group_concat(invl_no || involvement, ' ') FROM (SELECT * FROM restricted_person_involvements WHERE offense_key = 'KC20004512|13A' ORDER BY invl_no, involvement)" ),
                QStringLiteral( "#1SUS #1VIC #2VIC" ) );
      QCOMPARE( text( *p, "SELECT firearm || shooting FROM incidents WHERE offense_key = 'KC20004512|13A'" ), QStringLiteral( "11" ) );
      QCOMPARE( text( *p, "SELECT address FROM incidents WHERE offense_key = 'KC20011876|23F'" ), QStringLiteral( "E 12TH ST and HARDESTY AVE" ) );
      QCOMPARE( text( *p, "SELECT reported_at FROM incidents WHERE offense_key = 'KC19020397|120'" ), QString() );
      QVERIFY( importFile( *p, ImportKind::Crime, kc( "crime_latlon.csv" ) ).ok );
      QCOMPARE( text( *p, "SELECT reported_at FROM incidents WHERE offense_key = 'KC19020397|120'" ), QStringLiteral( "2019-03-02T21:14:00-06:00" ) );
      QCOMPARE( text( *p, "SELECT location_flag FROM incidents WHERE offense_key = 'KC19020398|23F'" ), QStringLiteral( "zero" ) );
    }

    void serviceRequestsAndProperty()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( importFile( *p, ImportKind::ServiceRequests, kc( "311_legacy.csv" ) ).ok );
      QVERIFY( scalar( *p, "SELECT COUNT(*) FROM blight_mapping" ).toInt() > 20 ); // seeded from the plugin's defaults
      QCOMPARE( text( *p, "SELECT group_concat(case_id || ':' || coalesce(blight_class, '-') || ':' || status, ' ') FROM (SELECT * FROM service_requests ORDER BY case_id)" ),
                QStringLiteral( "2019123456:vacant_structure:closed 2019123457:dumping:open 2019123458:-:closed 2019123459:vacant_structure:open" ) );
      QCOMPARE( text( *p, "SELECT created_at || ' ' || closed_at || ' ' || system FROM service_requests WHERE case_id = '2019123456'" ),
                QStringLiteral( "2019-10-03T14:25:00-05:00 2019-10-21T00:00:00-05:00 legacy" ) );
      QVERIFY( importFile( *p, ImportKind::ServiceRequests, kc( "311_current.csv" ) ).ok );
      QCOMPARE( text( *p, "SELECT blight_class || ' ' || status || ' ' || status_raw || ' ' || created_at || ' ' || zip FROM service_requests WHERE case_id = '3391823'" ),
                QStringLiteral( "weeds open new 2026-08-24T11:07:00-05:00 64137" ) );
      QCOMPARE( text( *p, "SELECT blight_class || ' ' || status || ' ' || closed_at FROM service_requests WHERE case_id = '3391901'" ),
                QStringLiteral( "dangerous_building closed 2026-08-27T09:15:02-05:00" ) );
      QVERIFY( scalar( *p, "SELECT blight_class IS NULL FROM service_requests WHERE case_id = '3391950'" ).toBool() );

      // The mapping is the user's: an edit applies to the next import, and is not reseeded.
      QVERIFY( p->database().exec( "UPDATE blight_mapping SET blight_class = 'nuisance' WHERE system = 'current' AND value = 'Weeds'" ) );
      const ImportSummary s = importFile( *p, ImportKind::ServiceRequests, kc( "311_current.csv" ) );
      QCOMPARE( s.updated, 1 );
      QCOMPARE( text( *p, "SELECT blight_class FROM service_requests WHERE case_id = '3391823'" ), QStringLiteral( "nuisance" ) );

      QVERIFY( importFile( *p, ImportKind::Dangerous, kc( "dangerous_buildings.csv" ) ).ok );
      QCOMPARE( text( *p, "SELECT case_opened || ' ' || status || ' ' || location_flag FROM dangerous_buildings WHERE case_number = '2025-00036'" ),
                QStringLiteral( "2025-01-15 Notice to Proceed Issued (Demolition) ok" ) );
      QCOMPARE( text( *p, "SELECT location_flag || (geom IS NULL) FROM dangerous_buildings WHERE case_number = '2023-00251'" ), QStringLiteral( "zero1" ) );
      QVERIFY( importFile( *p, ImportKind::Vacant, kc( "land_bank.csv" ) ).ok );
      QCOMPARE( text( *p, "SELECT kind || ' | ' || address || ' | ' || condition || ' | ' || listed_at || ' | ' || neighborhood FROM vacant_parcels WHERE parcel_id = 'JA29640210100000000'" ),
                QStringLiteral( "land_bank | 3209 E 32ND ST | Vacant lot or land | 2017-03-14 | Santa Fe" ) );
    }

    void noPersonFieldsInLayers()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( importFile( *p, ImportKind::Crime, kc( "crime_2017.csv" ) ).ok );
      SqliteStatement layers( p->database(), "SELECT table_name FROM gpkg_contents" );
      QStringList registered;
      while ( layers.next() )
        registered << layers.text( 0 );
      QVERIFY( !registered.contains( schema::kPersonInvolvements ) );
      for ( const QString &t : registered )
      {
        SqliteStatement cols( p->database(), QStringLiteral( "PRAGMA table_info(\"%1\")" ).arg( t ) );
        while ( cols.next() )
        {
          const QString c = cols.text( 1 ).toLower();
          QVERIFY2( c != "race" && c != "sex" && c != "age" && c != "involvement" && c != "invl_no", qPrintable( t + "." + c ) );
        }
      }
      // Nor in the raw text of rejects of a clean file.
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM import_rejects" ).toInt(), 0 );
    }

    void cancelLeavesProjectAsBefore()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( importFile( *p, ImportKind::Crime, kc( "crime_2017.csv" ) ).ok );
      const QString before = p->contentHash();
      // A file big enough for several batches; cancel at the first progress report.
      QFile f( dir.filePath( "big.csv" ) );
      QVERIFY( f.open( QIODevice::WriteOnly ) );
      f.write( "Report_No,Reported_Date,Reported_Time,From_Date,From_Time,To_Date,To_Time,Offense,IBRS,Description,Beat,Address,City,Zip Code,Rep_Dist,Area,DVFlag,Invl_No,Involvement,Race,Sex,Age,Firearm Used Flag,Location\n" );
      for ( int i = 0; i < 30000; ++i )
        f.write( QStringLiteral( "KC25%1,6/14/2025,1:52,6/14/2025,1:40,,,Robbery,120,Robbery,423,5800  SWOPE PKWY,KANSAS CITY,64130,PJ5831,EPD,false,1,VIC,B,F,31,true,POINT (-94.57 39.02)\n" ).arg( i, 6, 10, QLatin1Char( '0' ) ).toUtf8() );
      f.close();
      QgsFeedback feedback;
      connect( &feedback, &QgsFeedback::progressChanged, &feedback, &QgsFeedback::cancel );
      const ImportSummary s = importFile( *p, ImportKind::Crime, f.fileName(), QString(), &feedback );
      QVERIFY( !s.ok );
      QVERIFY( s.canceled );
      QCOMPARE( p->contentHash(), before );
      QCOMPARE( p->rowCount( schema::kIncidents ), 3 );
      // The same import without cancel works afterwards (nothing left half-done).
      const ImportSummary full = importFile( *p, ImportKind::Crime, f.fileName() );
      QVERIFY( full.ok );
      QCOMPARE( full.imported, 30000 );
    }

    void refusals_data()
    {
      QTest::addColumn<int>( "kind" );
      QTest::addColumn<QByteArray>( "content" );
      QTest::addColumn<QString>( "message" );
      const int crime = int( ImportKind::Crime );
      QTest::newRow( "empty" ) << crime << QByteArray() << "empty";
      QTest::newRow( "binary" ) << crime << QByteArray( "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16 ) << "binary";
      QTest::newRow( "header only of unknown layout" ) << crime << QByteArray( "foo,bar\n1,2\n" ) << "Unknown crime layout";
      QTest::newRow( "no delimiter" ) << crime << QByteArray( "Report_No Reported_Date IBRS\n1 2 3\n" ) << "Only one column";
      QByteArray legacy311 = "CASE ID,SOURCE,REQUEST TYPE,CREATION DATE,STATUS\n1,PHONE,x,1/1/2019,OPEN\n";
      QTest::newRow( "311 file as crime" ) << crime << legacy311 << "looks like a 311 file";
    }
    void refusals()
    {
      QFETCH( int, kind );
      QFETCH( QByteArray, content );
      QFETCH( QString, message );
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( importFile( *p, ImportKind::Crime, kc( "crime_2017.csv" ) ).ok );
      const QString before = p->contentHash();
      QFile f( dir.filePath( "bad.csv" ) );
      QVERIFY( f.open( QIODevice::WriteOnly ) );
      f.write( content );
      f.close();
      ingest::ImportOptions options;
      options.kind = ImportKind( kind );
      options.filePath = f.fileName();
      const ImportSummary s = Importer( *p ).run( options );
      QVERIFY( !s.ok );
      QVERIFY2( s.error.contains( message ), qPrintable( s.error ) );
      QCOMPARE( p->contentHash(), before );
    }

    void badRowsAreListedNotLost()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QFile f( dir.filePath( "messy.csv" ) );
      QVERIFY( f.open( QIODevice::WriteOnly ) );
      QByteArray header = "Report_No,Reported_Date,Reported_Time,From_Date,From_Time,To_Date,To_Time,Offense,IBRS,Description,Beat,Address,City,Zip Code,Rep_Dist,Area,DVFlag,Invl_No,Involvement,Race,Sex,Age,Firearm Used Flag,Location\n";
      f.write( header );
      f.write( "KC25000001,6/14/2025,1:52,6/14/2025,1:40,,,Robbery,120,Robbery,423,1 CAF\xC9 ST,KANSAS CITY,64130,PJ5831,EPD,false,1,VIC,B,F,31,true,POINT (-94.57 39.02)\n" ); // Latin-1
      f.write( "KC25000002,6/14/2025,1:52,6/14/2025,1:40,,,Robbery,120,Robbery,423,2 CAF\xC3\x89 ST,KANSAS CITY,64130,PJ5831,EPD,false,1,VIC,B,F,31,true,POINT (-94.57 39.02)\n" ); // UTF-8
      for ( int i = 0; i < 5000; ++i )
        f.write( "KC25100000,June 14,1:52,,,,,Robbery,120,Robbery,423,X,KANSAS CITY,64130,PJ5831,EPD,false,1,VIC,B,F,31,true,\n" );
      f.write( ",6/14/2025,1:52,,,,,Robbery,120,Robbery,423,X,KANSAS CITY,64130,PJ5831,EPD,false,1,VIC,B,F,31,true,\n" );
      f.write( "KC25000003,6/14/2025,1:52\n" );
      f.write( "KC25000004,6/14/2025,1:52,6/14/2025,1:40,,,Robbery,120,Robbery,423,X,KANSAS CITY,64130,PJ5831,EPD,false,1,VIC,B,F,31,true,\"POINT (-94.57" ); // truncated
      f.close();
      const ImportSummary s = importFile( *p, ImportKind::Crime, f.fileName() );
      QVERIFY( s.ok );
      QCOMPARE( s.rowsRead, 5005 );
      QCOMPARE( s.imported, 2 );
      QCOMPARE( s.rejected, 5003 );
      QCOMPARE( s.rejectedByReason.value( "bad_date" ), 5000 );
      QCOMPARE( s.rejectedByReason.value( "missing_key" ), 1 );
      QCOMPARE( s.rejectedByReason.value( "wrong_field_count" ), 1 );
      QCOMPARE( s.rejectedByReason.value( "truncated_record" ), 1 );
      QCOMPARE( s.latin1Rows, 1 );
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM import_rejects" ).toInt(), 5003 );
      QCOMPARE( text( *p, "SELECT line_no || ' ' || reason FROM import_rejects WHERE raw_text LIKE 'KC25000003%'" ), QStringLiteral( "5005 wrong_field_count" ) );
      QCOMPARE( text( *p, "SELECT line_no || ' ' || reason || ' ' || source_file FROM import_rejects WHERE raw_text LIKE 'KC25000004%'" ), QStringLiteral( "5006 truncated_record messy.csv" ) );
      QCOMPARE( text( *p, "SELECT address FROM incidents WHERE report_no = 'KC25000001'" ), QStringLiteral( "1 CAF\u00C9 ST" ) );
      QCOMPARE( text( *p, "SELECT address FROM incidents WHERE report_no = 'KC25000002'" ), QStringLiteral( "2 CAF\u00C9 ST" ) );
    }

    void savedMappingForAnotherCity()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QFile csv( dir.filePath( "othercity.csv" ) );
      QVERIFY( csv.open( QIODevice::WriteOnly ) );
      csv.write( "Case Number;Date;NIBRS;Offense Text;Block;Lat;Lon\n"
                 "OC-1;28/05/2017 02:00;13A;Assault;100 MAIN;39.10;-94.58\n"
                 "OC-2;29/05/2017 14:30;220;Burglary;200 MAIN;;\n" );
      csv.close();
      QFile json( dir.filePath( "othercity.json" ) );
      QVERIFY( json.open( QIODevice::WriteOnly ) );
      json.write( R"({ "name": "othercity", "kind": "crime",
                      "fields": { "report_no": "Case Number", "reported_date": "Date", "ibrs": "NIBRS", "description": "Offense Text",
                                  "address": "Block", "latitude": "Lat", "longitude": "Lon" },
                      "options": { "date_order": "DMY" }, "extent_wgs84": [ -94.8, 38.8, -94.3, 39.4 ] })" );
      json.close();
      const ImportSummary s = importFile( *p, ImportKind::Crime, csv.fileName(), json.fileName() );
      QVERIFY2( s.ok, qPrintable( s.error ) );
      QCOMPARE( s.imported, 2 );
      QCOMPARE( s.withoutLocation, 1 );
      QCOMPARE( text( *p, "SELECT occurred_at || ' ' || violent FROM incidents WHERE report_no = 'OC-1'" ), QStringLiteral( "2017-05-28T02:00:00-05:00 1" ) );
      QVERIFY( storedMappingNames( *p ).contains( "othercity" ) );
      // By name, from the project.
      const ImportSummary again = importFile( *p, ImportKind::Crime, csv.fileName(), QStringLiteral( "othercity" ) );
      QVERIFY( again.ok );
      QCOMPARE( again.unchanged, 2 );
      // A mapping naming a column the file lacks is refused with the column's name.
      QFile bad( dir.filePath( "bad.json" ) );
      QVERIFY( bad.open( QIODevice::WriteOnly ) );
      bad.write( R"({ "name": "bad", "kind": "crime", "fields": { "report_no": "Case No", "reported_date": "Date", "ibrs": "NIBRS" } })" );
      bad.close();
      ingest::ImportOptions options;
      options.filePath = csv.fileName();
      options.mapping = bad.fileName();
      const ImportSummary refused = Importer( *p ).run( options );
      QVERIFY( !refused.ok );
      QVERIFY2( refused.error.contains( "Case No" ), qPrintable( refused.error ) );
    }

    void previewDetectsLayout()
    {
      const ImportPreview pv = Importer::preview( kc( "crime_2020.csv" ), ImportKind::Crime );
      QVERIFY( pv.ok );
      QCOMPARE( pv.match.layoutId, QStringLiteral( "kcpd-crime-2020" ) );
      QCOMPARE( pv.header.size(), 23 );
      QCOMPARE( pv.rows.size(), 4 );
      const ImportPreview other = Importer::preview( kc( "311_current.csv" ), ImportKind::Crime );
      QVERIFY( !other.ok );
      QCOMPARE( other.bestAnyKind.kind, ImportKind::ServiceRequests );
    }

    void cli()
    {
      const QString exe = test::binary( "statdesk-cli" );
      if ( !QFile::exists( exe ) )
        QSKIP( "statdesk-cli is not built" );
      QTemporaryDir dir;
      {
        auto p = test::newKcProject( dir );
        QVERIFY( p );
      }
      const QString project = dir.filePath( "kc.gpkg" );
      test::ProcessResult r = test::cli( { "import", "--project", project, "--kind", "crime", kc( "crime_2017.csv" ), "--json" } );
      QCOMPARE( r.exitCode, 0 );
      const QJsonObject o = QJsonDocument::fromJson( r.out ).object();
      QCOMPARE( o.value( "rows_read" ).toInt(), 4 );
      QCOMPARE( o.value( "imported" ).toInt(), 3 );
      QCOMPARE( o.value( "without_location" ).toInt(), 1 );
      QFile empty( dir.filePath( "empty.csv" ) );
      QVERIFY( empty.open( QIODevice::WriteOnly ) );
      empty.close();
      r = test::cli( { "import", "--project", project, "--kind", "crime", empty.fileName() } );
      QCOMPARE( r.exitCode, 2 );
      // One line with the reason (Qt may add its own environment warnings before it).
      const QList<QByteArray> lines = r.err.trimmed().split( '\n' );
      QVERIFY( lines.last().startsWith( "statdesk-cli import: " ) );
      QVERIFY( lines.last().contains( "empty" ) );
      r = test::cli( { "import", "--project", project, "--kind", "weather", kc( "crime_2017.csv" ) } );
      QCOMPARE( r.exitCode, 2 );
    }
};

STATDESK_QGIS_TEST_MAIN( TestImportKc )
#include "test_import_kc.moc"
