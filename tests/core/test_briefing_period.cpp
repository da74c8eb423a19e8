// The briefing period: the defaults the CLI and the app share (restricted: the 28 days to the
// latest incident; public: the 12 whole months to the last full month of data), the comparison
// period, and why the public default is a year: on the demo city most offenses of 28 days fall
// in hexagons below the suppression threshold, while a year's nearly all show.
#include "TestSupport.h"

#include "briefing/Briefing.h"
#include "common/Sqlite.h"
#include "demo/DemoCity.h"

#include <QRegularExpression>

using namespace statdesk;

class TestBriefingPeriod : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void defaults();
  void lastFullMonth();
  void explicitDates_data();
  void explicitDates();
  void publicDefaultShowsTheCity();
  void publicPageSaysSo();

private:
  QTemporaryDir mDir;
  QString mProject;
};

void TestBriefingPeriod::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mProject = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.seed = 11;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mProject, options, nullptr, &error ), qPrintable( error ) );
}

void TestBriefingPeriod::defaults()
{
  SqliteDatabase db;
  QVERIFY( db.open( mProject, true ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT substr(max(occurred_at), 1, 10) FROM incidents" ) ).toString(), QStringLiteral( "2025-12-31" ) );

  const BriefingPeriod restricted = BriefingPeriod::defaultPeriod( db, false );
  QCOMPARE( restricted.from, QDate( 2025, 12, 4 ) );
  QCOMPARE( restricted.to, QDate( 2025, 12, 31 ) );
  QCOMPARE( restricted.previousFrom, QDate( 2025, 11, 6 ) );
  QCOMPARE( restricted.previousTo, QDate( 2025, 12, 3 ) );
  QVERIFY( !restricted.note.isEmpty() );

  const BriefingPeriod pub = BriefingPeriod::defaultPeriod( db, true );
  QCOMPARE( pub.from, QDate( 2025, 1, 1 ) );
  QCOMPARE( pub.to, QDate( 2025, 12, 31 ) );
  QCOMPARE( pub.previousFrom, QDate( 2024, 1, 1 ) ); // a year against the year before, not 365 days back
  QCOMPARE( pub.previousTo, QDate( 2024, 12, 31 ) );
  QVERIFY( pub.note.contains( QLatin1String( "public" ) ) );

  // Null dates resolve to the defaults: what the exporter (CLI and app) does.
  for ( bool publicMode : { false, true } )
  {
    const BriefingPeriod resolved = BriefingPeriod::resolve( db, QDate(), QDate(), publicMode );
    const BriefingPeriod expected = BriefingPeriod::defaultPeriod( db, publicMode );
    QCOMPARE( resolved.from, expected.from );
    QCOMPARE( resolved.to, expected.to );
    QCOMPARE( resolved.note, expected.note );
  }
}

void TestBriefingPeriod::lastFullMonth()
{
  // Data that stop mid-month: the public default ends with the month before.
  const QString copy = mDir.filePath( QStringLiteral( "midmonth.gpkg" ) );
  QVERIFY( QFile::copy( mProject, copy ) );
  SqliteDatabase db;
  QVERIFY( db.open( copy, false ) );
  QVERIFY( db.exec( QStringLiteral( "DELETE FROM incidents WHERE substr(occurred_at, 1, 10) > '2025-12-15'" ) ) );
  const BriefingPeriod pub = BriefingPeriod::defaultPeriod( db, true );
  QCOMPARE( pub.from, QDate( 2024, 12, 1 ) );
  QCOMPARE( pub.to, QDate( 2025, 11, 30 ) );
  QCOMPARE( pub.previousFrom, QDate( 2023, 12, 1 ) );
  QVERIFY( pub.note.contains( QLocale().toString( QDate( 2025, 11, 30 ), QStringLiteral( "MMMM yyyy" ) ) ) );
  const BriefingPeriod restricted = BriefingPeriod::defaultPeriod( db, false );
  QCOMPARE( restricted.to, QDate( 2025, 12, 15 ) ); // restricted briefings stay current
  QCOMPARE( restricted.from, QDate( 2025, 11, 18 ) );
}

void TestBriefingPeriod::explicitDates_data()
{
  QTest::addColumn<QDate>( "from" );
  QTest::addColumn<QDate>( "to" );
  QTest::addColumn<bool>( "publicMode" );
  QTest::addColumn<QDate>( "expectFrom" );
  QTest::addColumn<QDate>( "expectTo" );
  QTest::addColumn<QDate>( "expectPreviousFrom" );
  QTest::addColumn<QDate>( "expectPreviousTo" );
  QTest::newRow( "a month against the month before" ) << QDate( 2025, 11, 1 ) << QDate( 2025, 11, 30 ) << false << QDate( 2025, 11, 1 ) << QDate( 2025, 11, 30 ) << QDate( 2025, 10, 1 ) << QDate( 2025, 10, 31 );
  QTest::newRow( "a quarter against the quarter before" ) << QDate( 2025, 4, 1 ) << QDate( 2025, 6, 30 ) << true << QDate( 2025, 4, 1 ) << QDate( 2025, 6, 30 ) << QDate( 2025, 1, 1 ) << QDate( 2025, 3, 31 );
  QTest::newRow( "days against as many days" ) << QDate( 2025, 11, 10 ) << QDate( 2025, 11, 23 ) << false << QDate( 2025, 11, 10 ) << QDate( 2025, 11, 23 ) << QDate( 2025, 10, 27 ) << QDate( 2025, 11, 9 );
  QTest::newRow( "restricted, only the end" ) << QDate() << QDate( 2025, 6, 30 ) << false << QDate( 2025, 6, 3 ) << QDate( 2025, 6, 30 ) << QDate( 2025, 5, 6 ) << QDate( 2025, 6, 2 );
  QTest::newRow( "public, only the end" ) << QDate() << QDate( 2025, 6, 30 ) << true << QDate( 2024, 7, 1 ) << QDate( 2025, 6, 30 ) << QDate( 2023, 7, 1 ) << QDate( 2024, 6, 30 );
  QTest::newRow( "public, only the start" ) << QDate( 2025, 7, 1 ) << QDate() << true << QDate( 2025, 7, 1 ) << QDate( 2025, 12, 31 ) << QDate( 2025, 1, 1 ) << QDate( 2025, 6, 30 );
}

void TestBriefingPeriod::explicitDates()
{
  QFETCH( QDate, from );
  QFETCH( QDate, to );
  QFETCH( bool, publicMode );
  SqliteDatabase db;
  QVERIFY( db.open( mProject, true ) );
  const BriefingPeriod p = BriefingPeriod::resolve( db, from, to, publicMode );
  QTEST( p.from, "expectFrom" );
  QTEST( p.to, "expectTo" );
  QTEST( p.previousFrom, "expectPreviousFrom" );
  QTEST( p.previousTo, "expectPreviousTo" );
  QVERIFY( p.note.isEmpty() ); // dates a user gave need no explanation on the page
}

void TestBriefingPeriod::publicDefaultShowsTheCity()
{
  SqliteDatabase db;
  QVERIFY( db.open( mProject, true ) );
  const QString crs = QStringLiteral( "EPSG:26915" );
  auto shownShare = [&]( const BriefingPeriod &period, HexAggregation *hex )
  {
    QString error;
    const std::unique_ptr<QgsVectorLayer> layer = makeHexagonLayer( db, crs, period, 800, 5, hex, &error );
    return layer && hex->offenses > 0 ? static_cast<double>( hex->offensesShown ) / hex->offenses : -1.0;
  };
  HexAggregation month, year;
  const double monthShare = shownShare( BriefingPeriod::defaultPeriod( db, false ), &month );
  const double yearShare = shownShare( BriefingPeriod::defaultPeriod( db, true ), &year );
  // 28 days: most offenses sit in hexagons with fewer than 5 and would not be drawn.
  QVERIFY2( monthShare >= 0 && monthShare < 0.5, qPrintable( QStringLiteral( "%1 of %2" ).arg( month.offensesShown ).arg( month.offenses ) ) );
  // The public default: nearly all are drawn, in many more hexagons.
  QVERIFY2( yearShare > 0.9, qPrintable( QStringLiteral( "%1 of %2" ).arg( year.offensesShown ).arg( year.offenses ) ) );
  QVERIFY( year.cellsShown > 10 * std::max( 1, month.cellsShown ) );
}

void TestBriefingPeriod::publicPageSaysSo()
{
  if ( QStandardPaths::findExecutable( QStringLiteral( "pdftotext" ) ).isEmpty() )
    QSKIP( "poppler-utils not installed" );
  const QString pdf = mDir.filePath( QStringLiteral( "public.pdf" ) );
  const test::ProcessResult r = test::cli( { QStringLiteral( "briefing" ), QStringLiteral( "--project" ), mProject, QStringLiteral( "--template" ), QStringLiteral( "citywide" ),
                                             QStringLiteral( "--public" ), QStringLiteral( "--out" ), pdf } );
  QCOMPARE( r.exitCode, 0 );
  const QString text = QString::fromUtf8( test::run( QStringLiteral( "pdftotext" ), { pdf, QStringLiteral( "-" ) } ).out ).normalized( QString::NormalizationForm_KC ).simplified();
  QVERIFY2( text.contains( QStringLiteral( "Key figures, 2025-01-01 – 2025-12-31 (12 months, the default for public briefings: whole months up to" ) ), qPrintable( text.left( 600 ) ) );
  QVERIFY( text.contains( QStringLiteral( "compared with 2024-01-01 – 2024-12-31" ) ) );
  QVERIFY2( text.contains( QRegularExpression( QStringLiteral( "hexagons with fewer than 5 offenses are not shown \\(they hold \\d+% of the period's mapped offenses\\)" ) ) ), qPrintable( text ) );
}

STATDESK_QGIS_TEST_MAIN( TestBriefingPeriod )
#include "test_briefing_period.moc"
