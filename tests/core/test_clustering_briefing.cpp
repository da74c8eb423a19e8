// Task Force clusters in the PDF briefings: the clusters template prints one page per cluster of
// the latest saved run with its card, the public version leaves the addresses out, and the
// citywide page lists the largest clusters. Read back with pdftotext as a reader would.
#include "TestSupport.h"

#include "briefing/Briefing.h"
#include "clustering/ClusterRun.h"
#include "clustering/ClusterStore.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"

#include <QRegularExpression>

using namespace statdesk;
using namespace statdesk::clustering;

namespace
{
//! The text of every page (pdftotext separates pages with form feeds), whitespace collapsed.
QStringList pageTexts( const QString &pdf )
{
  const QString all = QString::fromUtf8( test::run( QStringLiteral( "pdftotext" ), { pdf, QStringLiteral( "-" ) } ).out );
  QStringList pages = all.split( QLatin1Char( '\f' ) );
  if ( !pages.isEmpty() && pages.last().trimmed().isEmpty() )
    pages.removeLast();
  for ( QString &p : pages )
    p = p.normalized( QString::NormalizationForm_KC ).simplified();
  return pages;
}
} // namespace

class TestClusteringBriefing : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void onePagePerCluster();
  void publicSheetsHaveNoAddresses();
  void citywideListsLargestClusters();

private:
  QTemporaryDir mDir;
  QString mPath;
  ClusterAnalysis mRun;
  bool mPdftotext = false;
};

void TestClusteringBriefing::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mPdftotext = !QStandardPaths::findExecutable( QStringLiteral( "pdftotext" ) ).isEmpty();
  mPath = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mPath, options, nullptr, &error ), qPrintable( error ) );
  std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadWrite, &error );
  QVERIFY( project );
  // An earlier run with more clusters: the briefing takes the latest.
  ClusterRunSpec earlier;
  earlier.dbscan.eps = 100;
  earlier.from = QDate( 2025, 7, 1 );
  ClusterAnalysis first = runClusterAnalysis( *project, earlier );
  QVERIFY( first.ok );
  QVERIFY( saveClusterRun( *project, first, nullptr, &error ) > 0 );

  ClusterRunSpec spec;
  spec.dbscan.eps = 150;
  spec.from = QDate( 2025, 10, 1 );
  spec.to = QDate( 2025, 12, 31 );
  mRun = runClusterAnalysis( *project, spec );
  QVERIFY2( mRun.ok, qPrintable( mRun.errorString ) );
  QVERIFY( mRun.clusters.size() >= 3 );
  QVERIFY( mRun.clusters.size() < first.clusters.size() );
  QVERIFY( saveClusterRun( *project, mRun, nullptr, &error ) > 0 );
}

void TestClusteringBriefing::onePagePerCluster()
{
  BriefingOptions options;
  options.kind = BriefingTemplate::Clusters;
  options.from = QDate( 2025, 10, 1 );
  options.to = QDate( 2025, 12, 31 );
  const QString pdf = mDir.filePath( QStringLiteral( "clusters.pdf" ) );
  BriefingExporter exporter( mPath );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  QCOMPARE( r.pages, static_cast<int>( mRun.clusters.size() ) );
  QVERIFY( r.sections.contains( QStringLiteral( "clusters" ) ) );
  if ( !mPdftotext )
    QSKIP( "pdftotext (poppler-utils) not installed" );
  const QStringList pages = pageTexts( pdf );
  QCOMPARE( pages.size(), static_cast<int>( mRun.clusters.size() ) );
  QSet<QString> seen;
  for ( const QString &page : pages )
  {
    // Which cluster this page is about: its title says so.
    const QRegularExpressionMatch m = QRegularExpression( QStringLiteral( "Demo City: cluster (C\\d+)" ) ).match( page );
    QVERIFY2( m.hasMatch(), qPrintable( page.left( 300 ) ) );
    const QString label = m.captured( 1 );
    QVERIFY( !seen.contains( label ) );
    seen << label;
    const ClusterRecord *c = nullptr;
    for ( const ClusterRecord &k : mRun.clusters )
      if ( k.label == label )
        c = &k;
    QVERIFY( c );
    const ClusterCard &card = c->card;
    QVERIFY2( page.contains( QStringLiteral( "Incidents: %1, %2 to %3" ).arg( card.incidents ).arg( card.first.date().toString( Qt::ISODate ), card.last.date().toString( Qt::ISODate ) ) ), qPrintable( page ) );
    QVERIFY2( page.contains( QStringLiteral( "Firearm used: %1 of %2" ).arg( card.firearm ).arg( card.incidents ) ), qPrintable( page ) );
    QVERIFY( page.contains( QStringLiteral( "Addresses: %1 distinct" ).arg( card.distinctAddresses ) ) );
    QVERIFY( page.contains( QStringLiteral( "Within 150 m:" ) ) );
    QVERIFY( page.contains( QStringLiteral( "DBSCAN eps 150, min 5" ) ) );
    if ( !card.repeatAddresses.isEmpty() )
      QVERIFY( page.contains( card.repeatAddresses.first().first ) );
    QVERIFY( !page.contains( QStringLiteral( "[%" ) ) );
  }
}

void TestClusteringBriefing::publicSheetsHaveNoAddresses()
{
  BriefingOptions options;
  options.kind = BriefingTemplate::Clusters;
  options.publicMode = true;
  const QString pdf = mDir.filePath( QStringLiteral( "clusters_public.pdf" ) );
  BriefingExporter exporter( mPath );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  QCOMPARE( r.pages, static_cast<int>( mRun.clusters.size() ) );
  if ( !mPdftotext )
    QSKIP( "pdftotext (poppler-utils) not installed" );
  const QString text = pageTexts( pdf ).join( QLatin1Char( ' ' ) );
  QVERIFY( text.contains( QStringLiteral( "PUBLIC VERSION" ) ) );
  int repeats = 0;
  for ( const ClusterRecord &c : mRun.clusters )
    for ( const auto &a : c.card.repeatAddresses )
    {
      ++repeats;
      QVERIFY2( !text.contains( a.first ), qPrintable( a.first ) );
    }
  QVERIFY( repeats > 0 );
}

void TestClusteringBriefing::citywideListsLargestClusters()
{
  BriefingOptions options;
  options.from = QDate( 2025, 12, 1 );
  options.to = QDate( 2025, 12, 31 );
  const QString pdf = mDir.filePath( QStringLiteral( "citywide.pdf" ) );
  BriefingExporter exporter( mPath );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  QVERIFY( r.sections.contains( QStringLiteral( "clusters" ) ) );
  if ( !mPdftotext )
    QSKIP( "pdftotext (poppler-utils) not installed" );
  const QString text = pageTexts( pdf ).join( QLatin1Char( ' ' ) );
  QVERIFY2( text.contains( QStringLiteral( "Task Force clusters: %1 clusters in the latest run" ).arg( mRun.clusters.size() ) ), qPrintable( text ) );
  const ClusterRecord *largest = &mRun.clusters.front();
  for ( const ClusterRecord &c : mRun.clusters )
    if ( c.fids.size() > largest->fids.size() )
      largest = &c;
  QVERIFY2( text.contains( QStringLiteral( "Largest: %1 (%2 incidents" ).arg( largest->label ).arg( largest->fids.size() ) ), qPrintable( text ) );
}

STATDESK_QGIS_TEST_MAIN( TestClusteringBriefing )
#include "test_clustering_briefing.moc"
