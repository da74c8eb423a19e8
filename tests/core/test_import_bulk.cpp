// The fast path of a first import into an empty table (secondary indexes built at the end, the
// R*Tree packed in one pass, GeoPackage triggers suspended): the same project, row for row and
// index for index, as the row-by-row path; a valid GeoPackage; cancel leaves nothing behind.
#include "ImportTestSupport.h"
#include "common/GpkgRtree.h"
#include "ingest/LayoutRegistry.h"
#include "project/Schema.h"

#include <qgsfeedback.h>
#include <qgsgeometry.h>

using namespace statdesk;
using namespace statdesk::ingest;
using statdesk::test::scalar;

namespace
{
const QByteArray kHeader = "Report_No,Reported_Date,Reported_Time,From_Date,From_Time,To_Date,To_Time,Offense,IBRS,Description,Beat,Address,City,"
                           "Zip Code,Rep_Dist,Area,DVFlag,Invl_No,Involvement,Race,Sex,Age,Firearm Used Flag,Location\n";

struct Offense
{
    const char *name;
    const char *ibrs;
    const char *description;
};
const Offense kOffenses[] = {
    { "Aggravated Assault", "13A", "Aggravated Assault" },
    { "Robbery", "120", "Robbery" },
    { "Homicide", "09A", "Murder & Nonnegligent Manslaughter" },
    { "Burglary", "220", "Burglary/Breaking & Entering" },
    { "Stealing All Other", "23H", "All Other Larceny" },
    { "Auto Theft", "240", "Motor Vehicle Theft" },
};

QByteArray row( int report, const Offense &o, int person, const QByteArray &date, const QByteArray &time, const QByteArray &location )
{
  return QStringLiteral( "KC25%1,%2,%3,%2,%3,,,%4,%5,%6,%7,%8  MAIN ST,KANSAS CITY,641%9,PJ%7,CPD,%10,%11,%12,%13,%14,%15,%16,%17\n" )
      .arg( report, 6, 10, QLatin1Char( '0' ) )
      .arg( QString::fromLatin1( date ), QString::fromLatin1( time ), QString::fromLatin1( o.name ), QString::fromLatin1( o.ibrs ), QString::fromLatin1( o.description ) )
      .arg( 100 + report % 600 )
      .arg( ( report % 90 + 1 ) * 100 )
      .arg( report % 60, 2, 10, QLatin1Char( '0' ) )
      .arg( report % 10 == 0 ? QStringLiteral( "true" ) : QStringLiteral( "false" ) )
      .arg( person )
      .arg( QStringLiteral( "VIC SUS ARR" ).section( ' ', person % 3, person % 3 ) )
      .arg( QString( QLatin1Char( "ABIPUW"[( report + person ) % 6] ) ) )
      .arg( QString( QLatin1Char( "MFU"[( report * 7 + person ) % 3] ) ) )
      .arg( ( report + person ) % 13 == 0 ? QString() : QString::number( 14 + ( report * 31 + person ) % 60 ) )
      .arg( o.ibrs[0] == '1' && report % 2 ? QStringLiteral( "true" ) : QStringLiteral( "false" ) )
      .arg( QString::fromLatin1( location ) )
      .toUtf8();
}

QByteArray point( int report, int variant = 0 )
{
  const double lon = -94.69 + ( ( report * 7919 + variant * 104729 ) % 29000 ) / 100000.0;
  const double lat = 38.86 + ( ( report * 6007 + variant * 130363 ) % 43000 ) / 100000.0;
  return QStringLiteral( "POINT (%1 %2)" ).arg( lon, 0, 'f', 6 ).arg( lat, 0, 'f', 6 ).toUtf8();
}

/**
 * A 2025 export of \a reports reports (one or two offenses of one to three persons each, one in
 * eight without a location, a day of the spring-forward among the dates), then rows that come
 * back to earlier offenses further down the file (a new person, a moved or a lost location),
 * a row with a bad date and a truncated row.
 */
QByteArray crimeFile( int reports, int firstReport = 1 )
{
  QByteArray csv = kHeader;
  for ( int r = firstReport; r < firstReport + reports; ++r )
  {
    const QByteArray date = r % 50 == 0 ? QByteArray( "3/9/2025" ) : QStringLiteral( "%1/%2/2025" ).arg( 1 + r % 12 ).arg( 1 + r % 28 ).toUtf8();
    const QByteArray time = QStringLiteral( "%1:%2" ).arg( r % 24 ).arg( r % 60, 2, 10, QLatin1Char( '0' ) ).toUtf8();
    const QByteArray location = r % 8 == 3 ? QByteArray() : point( r );
    for ( int o = 0; o < ( r % 7 == 0 ? 2 : 1 ); ++o )
    {
      for ( int p = 1; p <= 1 + ( r + o ) % 3; ++p )
        csv += row( r, kOffenses[( r + o ) % 6], p, date, time, location );
    }
  }
  for ( int r = firstReport; r < firstReport + reports; r += 97 )
  {
    const QByteArray location = r % 3 == 0 ? QByteArray() : point( r, 1 );
    csv += row( r, kOffenses[r % 6], 9, QByteArray( "4/1/2025" ), QByteArray( "12:00" ), location );
  }
  csv += row( firstReport + reports + 1, kOffenses[0], 1, QByteArray( "13/45/2025" ), QByteArray( "1:00" ), point( 1 ) );
  csv += "KC25999999,5/5/2025,1:00,5/5/2025\n";
  return csv;
}

QString writeFile( const QTemporaryDir &dir, const QString &name, const QByteArray &content )
{
  QFile f( dir.filePath( name ) );
  if ( !f.open( QIODevice::WriteOnly ) )
    return QString();
  f.write( content );
  return f.fileName();
}

ImportSummary importWith( ProjectFile &project, const QString &path, bool deferIndexes, QgsFeedback *feedback = nullptr )
{
  ImportOptions options;
  options.kind = ImportKind::Crime;
  options.filePath = path;
  options.batchSize = 64; // groups of rows span batches
  options.deferIndexes = deferIndexes;
  Importer importer( project );
  return importer.run( options, feedback );
}

QStringList rows( ProjectFile &project, const QString &sql )
{
  QStringList out;
  SqliteStatement st( project.database(), sql );
  while ( st.next() )
  {
    QStringList values;
    for ( int c = 0; c < st.columnCount(); ++c )
      values << ( st.isNull( c ) ? QStringLiteral( "NULL" ) : st.value( c ).toString() );
    out << values.join( QLatin1Char( '|' ) );
  }
  return out;
}

//! What the two paths must agree on, table by table.
void compareProjects( ProjectFile &a, ProjectFile &b )
{
  QCOMPARE( test::tablesHash( a, { schema::kIncidents, schema::kPersonInvolvements } ), test::tablesHash( b, { schema::kIncidents, schema::kPersonInvolvements } ) );
  for ( const QString &sql : {
            QStringLiteral( "SELECT * FROM rtree_incidents_geom ORDER BY id" ),
            QStringLiteral( "SELECT line_no, reason, raw_text FROM import_rejects WHERE import_id = (SELECT import_id FROM import_log ORDER BY fid DESC LIMIT 1) ORDER BY fid" ),
            QStringLiteral( "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('incidents', 'restricted_person_involvements') ORDER BY name" ),
            QStringLiteral( "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'incidents'" ),
            QStringLiteral( "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'incidents'" ),
            QStringLiteral( "SELECT seq FROM sqlite_sequence WHERE name IN ('incidents', 'restricted_person_involvements') ORDER BY name" ) } )
    QCOMPARE( rows( a, sql ), rows( b, sql ) );
  // The packed tree answers window queries like the one grown by the triggers.
  const QgsRectangle extent = a.layerExtent( schema::kIncidents );
  for ( int i = 0; i < 5; ++i )
  {
    const double x0 = extent.xMinimum() + extent.width() * i / 6, y0 = extent.yMinimum() + extent.height() * ( 4 - i ) / 6;
    const QString window = QStringLiteral( "SELECT id FROM rtree_incidents_geom WHERE maxx >= %1 AND minx <= %2 AND maxy >= %3 AND miny <= %4 ORDER BY id" )
                               .arg( x0, 0, 'f', 3 )
                               .arg( x0 + extent.width() / 4, 0, 'f', 3 )
                               .arg( y0, 0, 'f', 3 )
                               .arg( y0 + extent.height() / 4, 0, 'f', 3 );
    const QStringList found = rows( a, window );
    QVERIFY( !found.isEmpty() );
    QCOMPARE( found, rows( b, window ) );
  }
  for ( ProjectFile *p : { &a, &b } )
  {
    QCOMPARE( scalar( *p, "SELECT rtreecheck('rtree_incidents_geom')" ).toString(), QStringLiteral( "ok" ) );
    QCOMPARE( scalar( *p, "PRAGMA integrity_check" ).toString(), QStringLiteral( "ok" ) );
    QCOMPARE( scalar( *p, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'incidents'" ).toLongLong(), p->rowCount( schema::kIncidents ) );
    QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM rtree_incidents_geom" ).toLongLong(), scalar( *p, "SELECT COUNT(*) FROM incidents WHERE geom IS NOT NULL" ).toLongLong() );
  }
}

//! Imports \a path into \a project again: every one of \a offenses is unchanged, no row differs.
void reimportChangesNothing( ProjectFile &project, const QString &path, qint64 offenses )
{
  const QStringList tables { schema::kIncidents, schema::kPersonInvolvements };
  const QString before = test::tablesHash( project, tables );
  const ImportSummary again = importWith( project, path, true );
  QVERIFY2( again.ok, qPrintable( again.error ) );
  QCOMPARE( again.unchanged, offenses );
  QCOMPARE( again.updated + again.imported, 0 );
  QCOMPARE( test::tablesHash( project, tables ), before );
}

} // namespace

class TestImportBulk : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase()
    {
      QVERIFY2( !LayoutRegistry::instance().providers().isEmpty(), qPrintable( LayoutRegistry::instance().loadErrors().join( '\n' ) ) );
    }

    void bulkAndRowByRowMakeTheSameProject()
    {
      QTemporaryDir dir;
      const QString file = writeFile( dir, QStringLiteral( "crime_2025.csv" ), crimeFile( 2500 ) );
      auto a = test::newKcProject( dir, QStringLiteral( "bulk.gpkg" ) );
      auto b = test::newKcProject( dir, QStringLiteral( "rows.gpkg" ) );
      QVERIFY( a && b );
      const ImportSummary sa = importWith( *a, file, true );
      const ImportSummary sb = importWith( *b, file, false );
      QVERIFY2( sa.ok, qPrintable( sa.error ) );
      QVERIFY2( sb.ok, qPrintable( sb.error ) );
      QVERIFY( sa.imported > 2500 );
      QVERIFY( sa.merged > 2500 ); // persons of an offense, and the offenses that come back further down
      QCOMPARE( sa.rejected, 2 );
      QVERIFY( sa.withoutLocation > 300 );
      for ( const auto &[x, y] : { std::pair { sa.imported, sb.imported }, { sa.merged, sb.merged }, { sa.rejected, sb.rejected }, { sa.withoutLocation, sb.withoutLocation }, { sa.personRows, sb.personRows } } )
        QCOMPARE( x, y );
      QCOMPARE( sa.locationFlags, sb.locationFlags );
      compareProjects( *a, *b );
      // An offense that came back without a location lost its point and its index entry; one that
      // came back elsewhere moved, in the table and in the index.
      QVERIFY( scalar( *a, "SELECT geom IS NULL FROM incidents WHERE offense_key = 'KC25000195|220'" ).toBool() );
      QCOMPARE( scalar( *a, "SELECT COUNT(*) FROM rtree_incidents_geom WHERE id = (SELECT fid FROM incidents WHERE offense_key = 'KC25000195|220')" ).toInt(), 0 );
      const QgsPointXY moved = geometryFromGpkgBlob( scalar( *a, "SELECT geom FROM incidents WHERE offense_key = 'KC25000098|09A'" ).toByteArray() ).asPoint();
      const QString movedBox = QStringLiteral( "SELECT COUNT(*) FROM rtree_incidents_geom WHERE id = (SELECT fid FROM incidents WHERE offense_key = 'KC25000098|09A') "
                                               "AND minx <= %1 AND maxx >= %1 AND miny <= %2 AND maxy >= %2" )
                                   .arg( moved.x(), 0, 'f', 3 )
                                   .arg( moved.y(), 0, 'f', 3 );
      QCOMPARE( a->database().scalar( movedBox ).toInt(), 1 );
      QVERIFY( moved != geometryFromGpkgBlob( scalar( *a, "SELECT geom FROM incidents WHERE offense_key = 'KC25000097|240'" ).toByteArray() ).asPoint() );
      // The same file again changes nothing; next week's file goes through the restored triggers
      // and indexes of both projects alike (rows into full packed nodes split them).
      reimportChangesNothing( *a, file, sa.imported );
      if ( QTest::currentTestFailed() )
        return;
      const QString nextWeek = writeFile( dir, QStringLiteral( "crime_2025_next.csv" ), crimeFile( 1500, 2000 ) );
      const ImportSummary na = importWith( *a, nextWeek, true );
      const ImportSummary nb = importWith( *b, nextWeek, false );
      QVERIFY( na.ok && nb.ok );
      QVERIFY( na.imported > 1000 && na.updated > 0 );
      QCOMPARE( na.imported, nb.imported );
      QCOMPARE( na.updated, nb.updated );
      compareProjects( *a, *b );

      const QString script = test::validateGpkgScript();
      if ( script.isEmpty() )
        QSKIP( "validate_gpkg.py (python3-gdal) is not installed" );
      const QString path = a->path();
      a.reset();
      const test::ProcessResult r = test::run( QStringLiteral( "/usr/bin/python3" ), { script, path } );
      QVERIFY2( r.exitCode == 0, qPrintable( QString::fromUtf8( r.out + r.err ) ) );
    }

    void largeFileBulkAndRowByRow()
    {
      // More offenses than fit in one block of the importer's key map (65,536): both paths
      // agree, and the unchanged file imported again finds every offense where it left it.
      QTemporaryDir dir;
      const QString file = writeFile( dir, QStringLiteral( "crime_2025_large.csv" ), crimeFile( 70000 ) );
      auto a = test::newKcProject( dir, QStringLiteral( "bulk.gpkg" ) );
      auto b = test::newKcProject( dir, QStringLiteral( "rows.gpkg" ) );
      QVERIFY( a && b );
      const ImportSummary sa = importWith( *a, file, true );
      const ImportSummary sb = importWith( *b, file, false );
      QVERIFY2( sa.ok, qPrintable( sa.error ) );
      QVERIFY2( sb.ok, qPrintable( sb.error ) );
      QVERIFY( sa.imported > 65536 );
      QCOMPARE( sa.imported, sb.imported );
      QCOMPARE( sa.merged, sb.merged );
      QCOMPARE( a->rowCount( schema::kIncidents ), sa.imported );
      compareProjects( *a, *b );
      reimportChangesNothing( *a, file, sa.imported );
      if ( QTest::currentTestFailed() )
        return;
    }

    void cancelDuringBulkImportLeavesNothing()
    {
      QTemporaryDir dir;
      const QString file = writeFile( dir, QStringLiteral( "crime_2025.csv" ), crimeFile( 2500 ) );
      auto p = test::newKcProject( dir );
      QVERIFY( p );
      const QString before = p->contentHash();
      const QStringList schemaBefore = rows( *p, QStringLiteral( "SELECT type, name, sql FROM sqlite_master ORDER BY name" ) );
      QgsFeedback feedback;
      connect( &feedback, &QgsFeedback::progressChanged, &feedback, [&feedback]( double progress ) {
        if ( progress > 30 )
          feedback.cancel();
      } );
      const ImportSummary s = importWith( *p, file, true, &feedback );
      QVERIFY( !s.ok );
      QVERIFY( s.canceled );
      QCOMPARE( p->contentHash(), before );
      QCOMPARE( rows( *p, QStringLiteral( "SELECT type, name, sql FROM sqlite_master ORDER BY name" ) ), schemaBefore );
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM rtree_incidents_geom" ).toInt(), 0 );
      const ImportSummary full = importWith( *p, file, true );
      QVERIFY( full.ok );
      QCOMPARE( scalar( *p, "SELECT rtreecheck('rtree_incidents_geom')" ).toString(), QStringLiteral( "ok" ) );
    }

    void loaderKeepsTriggersOfAnIndexInUse()
    {
      QTemporaryDir dir;
      auto p = test::newKcProject( dir );
      QVERIFY( p );
      QVERIFY( importWith( *p, writeFile( dir, QStringLiteral( "small.csv" ), crimeFile( 20 ) ), false ).ok );
      SqliteTransaction tx( p->database() );
      GpkgRtreeBulkLoader loader( p->database(), schema::kIncidents );
      QVERIFY( !loader.begin() ); // not empty: bulk loading does not apply
      QVERIFY( !loader.isActive() );
      QCOMPARE( scalar( *p, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_incidents_geom_%'" ).toInt(), 6 );
    }
};

STATDESK_QGIS_TEST_MAIN( TestImportBulk )
#include "test_import_bulk.moc"
