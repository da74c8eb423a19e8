// The grants section of the neighborhood atlas: a program, grants, disbursements, milestones and
// sites written with GrantLedger on the demo city, then looked for in the PDF the way a grants
// coordinator would: the page of the grant's neighborhood shows its award, disbursed and
// remaining money as the ledger has them, the overdue milestone, and the sites on the map.
#include "TestSupport.h"

#include "briefing/Briefing.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "demo/DemoCity.h"
#include "grants/GrantBriefingSection.h"
#include "grants/GrantLedger.h"
#include "grants/Money.h"
#include "project/ProjectFile.h"

#include <QImage>

#include <qgsgeometry.h>

using namespace statdesk;

namespace
{
bool havePoppler()
{
  return !QStandardPaths::findExecutable( QStringLiteral( "pdftotext" ) ).isEmpty();
}

QString pageText( const QString &pdf, int page )
{
  const QString n = QString::number( page );
  return QString::fromUtf8( test::run( QStringLiteral( "pdftotext" ), { QStringLiteral( "-f" ), n, QStringLiteral( "-l" ), n, pdf, QStringLiteral( "-" ) } ).out )
      .normalized( QString::NormalizationForm_KC )
      .simplified();
}

//! Pixels of the grant sites' blue (the star and the area outline, #1b5fa8) in \a image.
int siteBluePixels( const QImage &image )
{
  int n = 0;
  for ( int y = 0; y < image.height(); ++y )
    for ( int x = 0; x < image.width(); ++x )
    {
      const QColor c = image.pixelColor( x, y );
      if ( std::abs( c.red() - 0x1b ) < 14 && std::abs( c.green() - 0x5f ) < 14 && std::abs( c.blue() - 0xa8 ) < 14 )
        ++n;
    }
  return n;
}
} // namespace

class TestBriefingGrants : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void atlasShowsLedger();
  void publicAtlasKeepsSites();

private:
  QTemporaryDir mDir;
  QString mProject;
  QString mNbhId; //!< first grant neighborhood by name (atlas page 1)
  QString mNbhName;
  QString mOtherNbhId; //!< the second one (page 2), a grant with an award only
  qint64 mGrant = 0;
  QImage mPageBeforeSites;
};

void TestBriefingGrants::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mProject = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.seed = 5;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mProject, options, nullptr, &error ), qPrintable( error ) );
  {
    SqliteDatabase db;
    QVERIFY( db.open( mProject, false ) );
    // Three grant neighborhoods are enough here (and keep the atlases short).
    QVERIFY( db.exec( QStringLiteral( "UPDATE neighborhoods SET is_grant = 0 WHERE is_grant = 1 AND nbh_id NOT IN "
                                      "(SELECT nbh_id FROM neighborhoods WHERE is_grant = 1 ORDER BY name LIMIT 3)" ) ) );
    QCOMPARE( db.scalar( QStringLiteral( "SELECT count(*) FROM neighborhoods WHERE is_grant = 1" ) ).toInt(), 3 );
    SqliteStatement st( db, QStringLiteral( "SELECT nbh_id, name FROM neighborhoods WHERE is_grant = 1 ORDER BY name LIMIT 2" ) );
    QVERIFY( st.next() );
    mNbhId = st.text( 0 );
    mNbhName = st.text( 1 );
    QVERIFY( st.next() );
    mOtherNbhId = st.text( 0 );
  }
  // Page 1 before the ledger has sites: the reference for the map check below.
  BriefingOptions atlas;
  atlas.kind = BriefingTemplate::Neighborhoods;
  BriefingExporter exporter( mProject );
  const BriefingResult r = exporter.renderPreview( atlas, 0, 60, &mPageBeforeSites );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  QVERIFY( !r.mapLayers.contains( grants::GrantBriefingSection::sitesTable() ) );
}

void TestBriefingGrants::atlasShowsLedger()
{
  // The ledger, written as the grants panel would.
  {
    QString error;
    std::unique_ptr<ProjectFile> file = ProjectFile::open( mProject, ProjectFile::Mode::ReadWrite, &error );
    QVERIFY2( file, qPrintable( error ) );
    grants::GrantLedger ledger( *file, QStringLiteral( "tester" ) );
    grants::ProgramInput p;
    p.name = QStringLiteral( "Neighborhood Pilot Grant" );
    p.capCents = 2500000;
    p.budgetCents = 30000000;
    const qint64 program = ledger.addProgram( p );
    QVERIFY2( program, qPrintable( ledger.errorString() ) );
    grants::GrantInput g;
    g.programId = program;
    g.nbhId = mNbhId;
    g.grantee = QStringLiteral( "Block Club United" );
    g.category = QStringLiteral( "lot clean-up" );
    g.startDate = QDate( 2025, 3, 1 );
    g.endDate = QDate( 2026, 2, 28 );
    mGrant = ledger.addGrant( g );
    QVERIFY2( mGrant, qPrintable( ledger.errorString() ) );
    QVERIFY2( ledger.award( mGrant, 2000000 ), qPrintable( ledger.errorString() ) );
    QVERIFY( ledger.setStatus( mGrant, QStringLiteral( "active" ) ) );
    QVERIFY( ledger.disburse( mGrant, QDate( 2025, 3, 10 ), 750025, QStringLiteral( "advance" ) ) );
    QVERIFY( ledger.disburse( mGrant, QDate( 2025, 7, 1 ), 200000, QStringLiteral( "reimbursement" ) ) );
    const qint64 kickoff = ledger.addMilestone( mGrant, QStringLiteral( "Kickoff meeting" ), QDate( 2025, 3, 15 ) );
    QVERIFY( ledger.completeMilestone( kickoff, QDate( 2025, 3, 14 ) ) );
    QVERIFY( ledger.addMilestone( mGrant, QStringLiteral( "Lot cleanup" ), QDate( 2025, 6, 30 ) ) );
    // A site at the neighborhood's inner point and a small area around it.
    SqliteStatement nb( file->database(), QStringLiteral( "SELECT geom FROM neighborhoods WHERE nbh_id = ?" ) );
    nb.bindText( 1, mNbhId );
    QVERIFY( nb.next() );
    const QgsGeometry polygon = geometryFromGpkgBlob( nb.blob( 0 ) );
    const QgsGeometry site = polygon.pointOnSurface();
    QVERIFY( ledger.addSite( mGrant, site, QStringLiteral( "Community garden" ), QStringLiteral( "greening" ) ) );
    QVERIFY( ledger.addSite( mGrant, site.buffer( 120, 8 ), QStringLiteral( "Cleanup area" ), QStringLiteral( "lot clean-up" ) ) );

    g.nbhId = mOtherNbhId;
    g.grantee = QStringLiteral( "Second Street Association" );
    const qint64 other = ledger.addGrant( g );
    QVERIFY( other );
    QVERIFY( ledger.award( other, 1234567 ) );
  }

  BriefingOptions options;
  options.kind = BriefingTemplate::Neighborhoods;
  const QString pdf = mDir.filePath( QStringLiteral( "atlas.pdf" ) );
  BriefingExporter exporter( mProject );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  QCOMPARE( r.pages, 3 );
  QVERIFY( r.sections.contains( QStringLiteral( "grants" ) ) );
  QVERIFY( r.mapLayers.contains( grants::GrantBriefingSection::sitesTable() ) );
  QCOMPARE( r.neighborhoods.first().nbhId, mNbhId );

  // The figures the ledger reports, and the same by hand: $20,000.00 awarded, $7,500.25 + $2,000.00 paid.
  grants::GrantFigures figures;
  {
    QString error;
    std::unique_ptr<ProjectFile> file = ProjectFile::open( mProject, ProjectFile::Mode::ReadOnly, &error );
    QVERIFY( file );
    for ( const grants::GrantFigures &f : grants::GrantLedger( *file ).grantFigures() )
      if ( f.grantId == mGrant )
        figures = f;
  }
  QCOMPARE( figures.awardCents, Q_INT64_C( 2000000 ) );
  QCOMPARE( figures.disbursedCents, Q_INT64_C( 950025 ) );
  QCOMPARE( figures.remainingCents, Q_INT64_C( 1049975 ) );

  if ( !havePoppler() )
    QSKIP( "poppler-utils not installed" );
  const QString page1 = pageText( pdf, 1 );
  QVERIFY2( page1.contains( QStringLiteral( "Demo City: %1" ).arg( mNbhName ) ), qPrintable( page1.left( 200 ) ) );
  QVERIFY2( page1.contains( QStringLiteral( "Budget: awarded %1 · disbursed %2 · remaining %3" )
                                .arg( grants::formatMoney( figures.awardCents ), grants::formatMoney( figures.disbursedCents ), grants::formatMoney( figures.remainingCents ) ) ),
            qPrintable( page1 ) );
  QVERIFY( page1.contains( QStringLiteral( "$20,000.00" ) ) && page1.contains( QStringLiteral( "$9,500.25" ) ) && page1.contains( QStringLiteral( "$10,499.75" ) ) );
  QVERIFY2( page1.contains( QStringLiteral( "Block Club United (active)" ) ), qPrintable( page1 ) );
  QVERIFY2( page1.contains( QStringLiteral( "Milestones: 1 of 2 done, 1 overdue" ) ), qPrintable( page1 ) );
  QVERIFY( page1.contains( QStringLiteral( "OVERDUE: Lot cleanup (due 2025-06-30)" ) ) );
  QVERIFY2( page1.contains( QStringLiteral( "Violent offenses since the grant began (2025-03)" ) ), qPrintable( page1 ) );
  QVERIFY( page1.contains( QStringLiteral( "Before / after" ) ) ); // the period's own before/after figures stay
  QVERIFY( page1.contains( QStringLiteral( "Grant sites" ) ) );    // the legend lists the sites layers
  QVERIFY( page1.contains( QStringLiteral( "Grant site areas" ) ) );
  QVERIFY( !page1.contains( QStringLiteral( "[%" ) ) );

  const QString page2 = pageText( pdf, 2 );
  QVERIFY2( page2.contains( QStringLiteral( "Budget: awarded $12,345.67 · disbursed $0.00 · remaining $12,345.67" ) ), qPrintable( page2 ) );
  QVERIFY( page2.contains( QStringLiteral( "Milestones: none recorded" ) ) );
  QVERIFY( !page2.contains( QStringLiteral( "Block Club United" ) ) );
  // A grant neighborhood without a grant says so.
  QVERIFY( pageText( pdf, 3 ).contains( QStringLiteral( "no grant ledger records for this neighborhood" ) ) );

  // The sites are drawn on the map of page 1: the sites' blue appears where it did not before.
  QImage page;
  const BriefingResult preview = exporter.renderPreview( options, 0, 60, &page );
  QVERIFY2( preview.ok, qPrintable( preview.error ) );
  QCOMPARE( page.size(), mPageBeforeSites.size() );
  const int before = siteBluePixels( mPageBeforeSites );
  const int after = siteBluePixels( page );
  QVERIFY2( after > before + 100, qPrintable( QStringLiteral( "%1 -> %2" ).arg( before ).arg( after ) ) );
}

void TestBriefingGrants::publicAtlasKeepsSites()
{
  BriefingOptions options;
  options.kind = BriefingTemplate::Neighborhoods;
  options.publicMode = true;
  const QString pdf = mDir.filePath( QStringLiteral( "atlas_public.pdf" ) );
  BriefingExporter exporter( mProject );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  // Sites are places a grant pays for, not people: they stay; incidents do not.
  QVERIFY( r.mapLayers.contains( grants::GrantBriefingSection::sitesTable() ) );
  QVERIFY( !r.mapLayers.contains( QStringLiteral( "incidents" ) ) );
  if ( !havePoppler() )
    QSKIP( "poppler-utils not installed" );
  const QString page1 = pageText( pdf, 1 );
  QVERIFY( page1.contains( QStringLiteral( "PUBLIC VERSION" ) ) );
  QVERIFY( page1.contains( QStringLiteral( "remaining $10,499.75" ) ) );
}

STATDESK_QGIS_TEST_MAIN( TestBriefingGrants )
#include "test_briefing_grants.moc"
