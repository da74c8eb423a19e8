// File > Export Briefing PDF on the demo city, open in the main window: the dialog's period
// follows the map's date filter and the core defaults, its preview renders real pages (and
// steps through an atlas), its export task writes the PDF a reader would open, and a
// cancelled export leaves no file.
#include "../core/TestSupport.h"

#include "MainWindow.h"
#include "briefing/BriefingDialog.h"

#include "common/Sqlite.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>

using namespace statdesk;

namespace
{
constexpr int kWaitMs = 180000; // a generous bound for a loaded CI machine, not a timing check

//! Share of pixels that are not (near) white.
double ink( const QImage &image )
{
  qint64 dark = 0;
  for ( int y = 0; y < image.height(); ++y )
    for ( int x = 0; x < image.width(); ++x )
      if ( qGray( image.pixel( x, y ) ) < 235 )
        ++dark;
  return image.isNull() ? 0.0 : static_cast<double>( dark ) / ( static_cast<double>( image.width() ) * image.height() );
}

bool waitForPreview( BriefingDialog &dialog )
{
  QSignalSpy spy( &dialog, &BriefingDialog::previewFinished );
  while ( spy.wait( kWaitMs ) )
    if ( spy.last().at( 0 ).toBool() )
      return true;
  return false;
}

template <class W>
W *childWhere( QWidget *parent, const std::function<bool( W * )> &match )
{
  for ( W *w : parent->findChildren<W *>() )
    if ( match( w ) )
      return w;
  return nullptr;
}
} // namespace

class TestBriefingDialog : public QObject
{
  Q_OBJECT
private slots:
  void initTestCase();
  void menuAction();
  void periodFollowsFilterAndDefaults();
  void previewAndExportCitywide();
  void atlasPreviewPages();
  void cancelledExportWritesNothing();
  void cleanupTestCase();

private:
  QTemporaryDir mDir;
  QString mPath;
  std::unique_ptr<MainWindow> mWindow;
};

void TestBriefingDialog::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mPath = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.seed = 3;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mPath, options, nullptr, &error ), qPrintable( error ) );
  mWindow = std::make_unique<MainWindow>();
  QVERIFY2( mWindow->openProject( mPath, ProjectFile::Mode::ReadWrite, false, &error ), qPrintable( error ) );
  mWindow->setDateFilter( QDate( 2025, 11, 1 ), QDate( 2025, 11, 30 ) );
}

void TestBriefingDialog::menuAction()
{
  QAction *action = nullptr;
  for ( QAction *menu : mWindow->menuBar()->actions() )
    if ( menu->menu() && menu->text() == QLatin1String( "&File" ) )
      for ( QAction *a : menu->menu()->actions() )
        if ( a->text() == QStringLiteral( "Export &Briefing PDF…" ) )
          action = a;
  QVERIFY( action );
  QVERIFY( action->isEnabled() );
}

void TestBriefingDialog::periodFollowsFilterAndDefaults()
{
  BriefingDialog dialog( mWindow->project(), QDate( 2025, 11, 1 ), QDate( 2025, 11, 30 ) );
  // The map's date filter comes first.
  QCOMPARE( dialog.options().from, QDate( 2025, 11, 1 ) );
  QCOMPARE( dialog.options().to, QDate( 2025, 11, 30 ) );
  QCOMPARE( dialog.period().previousFrom, QDate( 2025, 10, 1 ) ); // a whole month against the month before

  // "Default" leaves the dates to core, and the dialog shows what core will use — for both versions.
  auto *period = childWhere<QComboBox>( &dialog, []( QComboBox *c )
                                        { return c->findText( QStringLiteral( "Custom dates" ) ) >= 0; } );
  QVERIFY( period );
  period->setCurrentIndex( 0 );
  QVERIFY( !dialog.options().from.isValid() && !dialog.options().to.isValid() );
  SqliteDatabase &db = mWindow->project()->database();
  const BriefingPeriod restricted = BriefingPeriod::defaultPeriod( db, false );
  QCOMPARE( dialog.period().from, restricted.from );
  QCOMPARE( dialog.period().to, restricted.to );
  QCOMPARE( restricted.days(), 28 );
  auto *publicButton = childWhere<QRadioButton>( &dialog, []( QRadioButton *b )
                                                 { return b->text() == QLatin1String( "Public" ); } );
  QVERIFY( publicButton );
  publicButton->setChecked( true );
  QVERIFY( dialog.options().publicMode );
  const BriefingPeriod pub = BriefingPeriod::defaultPeriod( db, true );
  QCOMPARE( dialog.period().from, pub.from );
  QCOMPARE( dialog.period().to, pub.to );
  QCOMPARE( pub.from, QDate( 2025, 1, 1 ) ); // the demo ends 2025-12-31: the 12 months of 2025
  QCOMPARE( pub.to, QDate( 2025, 12, 31 ) );
  // The form says so, and the CLI without dates exports the same period.
  QVERIFY( childWhere<QLabel>( &dialog, []( QLabel *l )
                               { return l->text().contains( QLatin1String( "the default for public briefings" ) ); } ) );
  const test::ProcessResult cli = test::cli( { QStringLiteral( "briefing" ), QStringLiteral( "--project" ), mPath, QStringLiteral( "--template" ), QStringLiteral( "citywide" ),
                                               QStringLiteral( "--public" ), QStringLiteral( "--json" ), QStringLiteral( "--out" ), mDir.filePath( QStringLiteral( "cli_public.pdf" ) ) } );
  QCOMPARE( cli.exitCode, 0 );
  const QJsonObject json = QJsonDocument::fromJson( cli.out ).object().value( QStringLiteral( "period" ) ).toObject();
  QCOMPARE( json.value( QStringLiteral( "from" ) ).toString(), pub.from.toString( Qt::ISODate ) );
  QCOMPARE( json.value( QStringLiteral( "to" ) ).toString(), pub.to.toString( Qt::ISODate ) );
}

void TestBriefingDialog::previewAndExportCitywide()
{
  BriefingDialog dialog( mWindow->project(), QDate( 2025, 11, 1 ), QDate( 2025, 11, 30 ) );
  auto *title = childWhere<QLineEdit>( &dialog, []( QLineEdit *e )
                                       { return e->placeholderText().endsWith( QLatin1String( "citywide briefing" ) ); } );
  QVERIFY( title );
  title->setText( QStringLiteral( "November briefing for the Task Force" ) );
  title->setModified( true );
  emit title->editingFinished();

  // Page 1 as the PDF will look: a letter page at 80 dpi with a drawn map and charts.
  QVERIFY( waitForPreview( dialog ) );
  QCOMPARE( dialog.previewPageCount(), 1 );
  const QImage page = dialog.previewImage();
  QCOMPARE( page.size(), QSize( 880, 680 ) );
  QVERIFY2( ink( page ) > 0.05, qPrintable( QString::number( ink( page ) ) ) );

  const QString pdf = mDir.filePath( QStringLiteral( "citywide.pdf" ) );
  QSignalSpy done( &dialog, &BriefingDialog::exportFinished );
  QVERIFY( dialog.exportTo( pdf ) );
  QVERIFY( dialog.isExporting() );
  QVERIFY( done.wait( kWaitMs ) );
  QVERIFY2( done.first().at( 0 ).toBool(), qPrintable( dialog.lastExport().error ) );
  QCOMPARE( dialog.lastExport().pages, 1 );
  QVERIFY( QFileInfo( pdf ).size() > 10000 );
  QVERIFY( childWhere<QLabel>( &dialog, [&pdf]( QLabel *l )
                               { return l->text().startsWith( QStringLiteral( "Wrote %1: 1 page," ).arg( QDir::toNativeSeparators( pdf ) ) ); } ) );

  if ( QStandardPaths::findExecutable( QStringLiteral( "pdftotext" ) ).isEmpty() || QStandardPaths::findExecutable( QStringLiteral( "pdfinfo" ) ).isEmpty() )
    QSKIP( "poppler-utils (pdftotext, pdfinfo) not installed" );
  const QString info = QString::fromUtf8( test::run( QStringLiteral( "pdfinfo" ), { pdf } ).out );
  QVERIFY2( QRegularExpression( QStringLiteral( "Pages:\\s+1\\n" ) ).match( info ).hasMatch(), qPrintable( info ) );
  // NFKC: pdftotext reports the typographic ligatures ("fi", "ff") as single characters.
  const QString text = QString::fromUtf8( test::run( QStringLiteral( "pdftotext" ), { pdf, QStringLiteral( "-" ) } ).out ).normalized( QString::NormalizationForm_KC ).simplified();
  QVERIFY2( text.contains( QStringLiteral( "November briefing for the Task Force" ) ), qPrintable( text.left( 300 ) ) );
  QVERIFY( text.contains( QStringLiteral( "2025-11-01 – 2025-11-30" ) ) );
  QVERIFY( text.contains( QStringLiteral( "RESTRICTED" ) ) );
}

void TestBriefingDialog::atlasPreviewPages()
{
  BriefingDialog dialog( mWindow->project(), QDate( 2025, 11, 1 ), QDate( 2025, 11, 30 ) );
  auto *kind = childWhere<QComboBox>( &dialog, []( QComboBox *c )
                                      { return c->findData( static_cast<int>( BriefingTemplate::Neighborhoods ) ) >= 0; } );
  QVERIFY( kind );
  kind->setCurrentIndex( kind->findData( static_cast<int>( BriefingTemplate::Neighborhoods ) ) );
  QVERIFY( waitForPreview( dialog ) );
  const qint64 grants = mWindow->project()->database().scalar( QStringLiteral( "SELECT count(*) FROM neighborhoods WHERE is_grant = 1" ) ).toLongLong();
  QVERIFY( grants > 1 );
  QCOMPARE( dialog.previewPageCount(), static_cast<int>( grants ) );
  const QImage first = dialog.previewImage();
  QVERIFY( ink( first ) > 0.05 );

  dialog.nextPage();
  QCOMPARE( dialog.previewPage(), 1 );
  QVERIFY( waitForPreview( dialog ) );
  const QImage second = dialog.previewImage();
  QVERIFY( ink( second ) > 0.05 );
  QVERIFY( second != first ); // another neighborhood
  dialog.previousPage();      // cached: no new rendering
  QCOMPARE( dialog.previewPage(), 0 );
  QCOMPARE( dialog.previewImage(), first );
}

void TestBriefingDialog::cancelledExportWritesNothing()
{
  BriefingDialog dialog( mWindow->project(), QDate(), QDate() );
  const QString pdf = mDir.filePath( QStringLiteral( "cancelled.pdf" ) );
  QSignalSpy done( &dialog, &BriefingDialog::exportFinished );
  QVERIFY( dialog.exportTo( pdf ) );
  QVERIFY( !dialog.exportTo( pdf ) ); // one export at a time
  auto *cancel = childWhere<QPushButton>( &dialog, []( QPushButton *b )
                                          { return b->text() == QLatin1String( "Cancel Export" ); } );
  QVERIFY( cancel && cancel->isEnabled() );
  cancel->click();
  // A task cancelled before it started reports at once, inside cancel(); a running one later.
  QVERIFY( !done.isEmpty() || done.wait( kWaitMs ) );
  QCOMPARE( done.first().at( 0 ).toBool(), false );
  QVERIFY( !QFile::exists( pdf ) );
  QVERIFY( QDir( mDir.path() ).entryList( { QStringLiteral( "*.part.pdf" ) }, QDir::Files | QDir::Hidden ).isEmpty() );
}

void TestBriefingDialog::cleanupTestCase()
{
  mWindow.reset();
}

STATDESK_QGIS_TEST_MAIN( TestBriefingDialog )
#include "test_briefing_dialog.moc"
