// The RTM panel in the main window on a small demo city: a cancelled run leaves the project file
// unchanged; a run with the panel's defaults shows the planted factors with the RRVs runRtm gives
// for the same parameters, puts the risk raster and the places on the map, keeps the project a
// valid GeoPackage; the saved run reopens (tables, narrative, layers, exports) in a new window.
#include "../core/TestSupport.h"

#include "MainWindow.h"
#include "rtm/RiskFactorTable.h"
#include "rtm/RtmDock.h"

#include "common/Sqlite.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"
#include "rtm/RtmEngine.h"
#include "rtm/RtmLayers.h"
#include "rtm/RtmRuns.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>

#include <qgslayertree.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>
#include <qgsrasterlayer.h>
#include <qgsrasterrenderer.h>
#include <qgsvectorlayer.h>

using namespace statdesk;

class TestRtmDock : public QObject
{
  Q_OBJECT
private slots:
  void initTestCase();
  void cancelLeavesProjectUnchanged();
  void runWithDefaults();
  void projectStaysValidGeoPackage();
  void reopensAfterClosingTheProject();
  void factorDialogBuildsFilter();
  void cleanupTestCase();

private:
  void openWindow();
  RtmDock *dock() const { return mWindow->findChild<RtmDock *>(); }
  QTableWidget *table( const QString &objectName ) const;
  //! Every table of the file, schema and rows: "unchanged" means this is equal.
  QString fileHash() const;
  bool runDock( bool cancel );
  //! RRV shown in the model table for \a factor, or -1 when the factor is not in the table.
  double shownRrv( const QString &factor ) const;
  QList<QgsMapLayer *> rtmLayers() const;

  QTemporaryDir mDir;
  QString mPath;
  QJsonObject mTruth;
  rtm::RtmParameters mExpectedParameters;
  rtm::RtmResult mExpected;
  std::unique_ptr<MainWindow> mWindow;
};

void TestRtmDock::openWindow()
{
  mWindow = std::make_unique<MainWindow>();
  mWindow->resize( 1500, 950 );
  mWindow->show();
  QVERIFY( QTest::qWaitForWindowExposed( mWindow.get() ) );
  QString error;
  QVERIFY2( mWindow->openProject( mPath, ProjectFile::Mode::ReadWrite, false, &error ), qPrintable( error ) );
  QVERIFY( dock() );
}

QTableWidget *TestRtmDock::table( const QString &name ) const
{
  return dock()->findChild<QTableWidget *>( name );
}

QString TestRtmDock::fileHash() const
{
  SqliteDatabase db;
  if ( !db.open( mPath, true ) )
    return QString();
  QCryptographicHash hash( QCryptographicHash::Sha256 );
  QStringList tables;
  {
    SqliteStatement st( db, QStringLiteral( "SELECT type, name, sql FROM sqlite_master ORDER BY type, name" ) );
    while ( st.next() )
    {
      hash.addData( ( st.text( 0 ) + st.text( 1 ) + st.text( 2 ) ).toUtf8() );
      if ( st.text( 0 ) == QLatin1String( "table" ) )
        tables << st.text( 1 );
    }
  }
  for ( const QString &t : std::as_const( tables ) )
  {
    SqliteStatement st( db, QStringLiteral( "SELECT * FROM \"%1\"" ).arg( t ) );
    while ( st.next() )
      for ( int c = 0; c < st.columnCount(); ++c )
      {
        const QVariant v = st.value( c );
        hash.addData( v.userType() == QMetaType::QByteArray ? v.toByteArray() : v.toString().toUtf8() );
        hash.addData( "\x1f", 1 );
      }
  }
  return QString::fromLatin1( hash.result().toHex() );
}

bool TestRtmDock::runDock( bool cancel )
{
  QSignalSpy finished( dock(), &RtmDock::runFinished );
  dock()->run();
  if ( !dock()->isRunning() )
    return false;
  if ( cancel )
    dock()->cancel();
  // A task cancelled before it started ends inside cancel().
  if ( finished.isEmpty() && !finished.wait( 180000 ) )
    return false;
  return finished.size() == 1 && finished.front().front().toBool() == !cancel;
}

double TestRtmDock::shownRrv( const QString &factor ) const
{
  QTableWidget *model = table( QStringLiteral( "rtmModelTable" ) );
  for ( int r = 0; model && r < model->rowCount(); ++r )
    if ( model->item( r, 0 )->text() == factor )
      return model->item( r, 4 )->data( Qt::UserRole ).toDouble(); // RRV
  return -1;
}

QList<QgsMapLayer *> TestRtmDock::rtmLayers() const
{
  QList<QgsMapLayer *> layers;
  for ( QgsMapLayer *l : QgsProject::instance()->mapLayers() )
    if ( l->customProperty( rtm::rtmRunProperty() ).isValid() )
      layers << l;
  return layers;
}

void TestRtmDock::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mPath = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.seed = 11;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mPath, options, nullptr, &error ), qPrintable( error ) );

  // The reference: the engine on the same defaults, through its own connection.
  std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadOnly, &error );
  QVERIFY2( project, qPrintable( error ) );
  mTruth = QJsonDocument::fromJson( project->metadata( schema::kMetaDemoTruth ).toUtf8() ).object();
  QVERIFY( rtm::defaultRtmParameters( *project, &mExpectedParameters, nullptr, &error ) );
  rtm::RtmInputs inputs;
  QVERIFY2( rtm::loadRtmInputs( *project, mExpectedParameters, &inputs, &error ), qPrintable( error ) );
  mExpected = rtm::runRtm( mExpectedParameters, inputs );
  QVERIFY2( mExpected.ok, qPrintable( mExpected.error ) );
  project.reset();

  openWindow();
}

void TestRtmDock::cancelLeavesProjectUnchanged()
{
  const QString before = fileHash();
  QVERIFY( !before.isEmpty() );
  QVERIFY( runDock( true ) );
  QCOMPARE( fileHash(), before );
  QCOMPARE( table( QStringLiteral( "rtmRunsTable" ) )->rowCount(), 0 );
  QVERIFY( rtmLayers().isEmpty() );
  QCOMPARE( dock()->shownRunId(), -1 );
}

void TestRtmDock::runWithDefaults()
{
  // The panel starts from the demo's defaults, as the CLI does.
  rtm::RtmParameters shown;
  QString error;
  QVERIFY2( dock()->parameters( &shown, &error ), qPrintable( error ) );
  rtm::RtmParameters expected = mExpectedParameters;
  expected.dateColumn = QStringLiteral( "occurred_at" ); // the panel names the incidents' default date column
  QCOMPARE( QJsonDocument( shown.toJson() ).toJson(), QJsonDocument( expected.toJson() ).toJson() );

  QVERIFY( runDock( false ) );
  QVERIFY( dock()->shownRunId() > 0 );

  // The model table: every planted factor with the RRV of runRtm on the same parameters; the null factor absent.
  int planted = 0;
  for ( const QJsonValue &v : mTruth.value( QStringLiteral( "factors" ) ).toArray() )
  {
    const QString name = v.toObject().value( QStringLiteral( "name" ) ).toString();
    const double rr = v.toObject().value( QStringLiteral( "relative_risk" ) ).toDouble();
    const double rrv = shownRrv( name );
    if ( rr == 1.0 )
    {
      QVERIFY2( rrv < 0, qPrintable( name ) );
      continue;
    }
    ++planted;
    const rtm::ModelTerm *term = nullptr;
    for ( const rtm::ModelTerm &t : mExpected.chosen().terms )
      if ( t.factor == name )
        term = &t;
    QVERIFY2( term, qPrintable( name ) );
    QCOMPARE( rrv, term->rrv );
    QVERIFY2( std::fabs( rrv / rr - 1 ) < 0.2, qPrintable( QStringLiteral( "%1: RRV %2, planted %3" ).arg( name ).arg( rrv ).arg( rr ) ) );
  }
  QVERIFY( planted >= 3 );
  QCOMPARE( table( QStringLiteral( "rtmModelTable" ) )->rowCount(), static_cast<int>( mExpected.chosen().terms.size() ) + ( mExpected.chosenFamily == rtm::CountFamily::Poisson ? 1 : 2 ) );
  // Validation side by side: 3 area shares x (hit rate, PAI, PEI), RTM / KDE / prior counts.
  QTableWidget *validation = table( QStringLiteral( "rtmValidationTable" ) );
  QCOMPARE( validation->rowCount(), 9 );
  QCOMPARE( validation->item( 6, 2 )->data( Qt::UserRole ).toDouble(), mExpected.validation[6].hitRate ); // 10%: rtm first
  // The narrative states units, blocks and windows.
  QPlainTextEdit *narrative = dock()->findChild<QPlainTextEdit *>( QStringLiteral( "rtmNarrative" ) );
  const QString text = narrative->toPlainText();
  QVERIFY2( text.contains( QStringLiteral( " m (1 block) of " ) ) && text.contains( mExpectedParameters.trainFrom.toString( Qt::ISODate ) ) && text.contains( mExpectedParameters.testTo.toString( Qt::ISODate ) ),
            qPrintable( text ) );

  // On the map: the RRS raster and both places layers of the run, in the results group.
  QgsLayerTreeGroup *results = QgsProject::instance()->layerTreeRoot()->findGroup( QStringLiteral( "Risk Terrain Modeling" ) );
  QVERIFY( results );
  const QList<QgsMapLayer *> layers = rtmLayers();
  QCOMPARE( layers.size(), 3 );
  int rasters = 0;
  for ( QgsMapLayer *l : layers )
  {
    QVERIFY2( l->isValid(), qPrintable( l->source() ) );
    QVERIFY( results->findLayer( l ) );
    QCOMPARE( l->customProperty( rtm::rtmRunProperty() ).toLongLong(), dock()->shownRunId() );
    if ( auto *raster = qobject_cast<QgsRasterLayer *>( l ) )
    {
      ++rasters;
      QCOMPARE( raster->width(), mExpected.grid.cols );
      QCOMPARE( raster->height(), mExpected.grid.rows );
      QCOMPARE( raster->renderer()->type(), QStringLiteral( "singlebandpseudocolor" ) );
    }
    else
    {
      auto *vector = qobject_cast<QgsVectorLayer *>( l );
      const bool priority = l->customProperty( "statdesk/table" ).toString().startsWith( QLatin1String( "rtm_priority_" ) );
      QCOMPARE( vector->featureCount(), static_cast<long long>( priority ? mExpected.priorityPlaceCount : mExpected.highRiskPlaceCount ) );
    }
  }
  QCOMPARE( rasters, 1 );
  QCOMPARE( table( QStringLiteral( "rtmRunsTable" ) )->rowCount(), 1 );

  const QString shot = qEnvironmentVariable( "STATDESK_RTM_SCREENSHOT" );
  if ( !shot.isEmpty() )
  {
    // A look at the panel for people (not a check): results, setup and saved runs.
    dock()->show();
    dock()->raise();
    mWindow->resizeDocks( { dock() }, { 640 }, Qt::Horizontal );
    auto *tabs = dock()->findChild<QTabWidget *>();
    for ( int tab : { 0, 2, 1 } )
    {
      tabs->setCurrentIndex( tab );
      waitForCanvasRendered( mWindow->canvas(), 60000 );
      QVERIFY( mWindow->grab().save( tab == 1 ? shot : QString( shot ).replace( QLatin1String( ".png" ), QStringLiteral( "-tab%1.png" ).arg( tab ) ) ) );
    }
  }
}

void TestRtmDock::projectStaysValidGeoPackage()
{
  // Still one file: no raster side-car (.aux.xml), journal or copy next to it; only the open project's lock.
  const QStringList files = QDir( mDir.path() ).entryList( { QStringLiteral( "demo*" ) }, QDir::Files | QDir::Hidden );
  QCOMPARE( files, QStringList( { QStringLiteral( "demo.gpkg" ), QStringLiteral( "demo.gpkg.lock" ) } ) );
  const QString script = test::validateGpkgScript();
  if ( script.isEmpty() )
    QSKIP( "GDAL's validate_gpkg.py is not installed" );
  const test::ProcessResult r = test::run( QStringLiteral( "/usr/bin/python3" ), { script, mPath } );
  QVERIFY2( r.exitCode == 0, ( r.out + r.err ).constData() );
}

void TestRtmDock::reopensAfterClosingTheProject()
{
  const qint64 runId = dock()->shownRunId();
  QVERIFY( runId > 0 );
  mWindow.reset();
  QVERIFY( rtmLayers().isEmpty() );
  openWindow();

  QTableWidget *runs = table( QStringLiteral( "rtmRunsTable" ) );
  QCOMPARE( runs->rowCount(), 1 );
  QCOMPARE( runs->item( 0, 0 )->data( Qt::UserRole ).toLongLong(), runId );
  runs->selectRow( 0 );
  dock()->openSelectedRun();
  QCOMPARE( dock()->shownRunId(), runId );
  for ( const rtm::ModelTerm &t : mExpected.chosen().terms )
    QCOMPARE( shownRrv( t.factor ), t.rrv );
  QCOMPARE( dock()->findChild<QPlainTextEdit *>( QStringLiteral( "rtmNarrative" ) )->toPlainText(), mExpected.narrative );
  QCOMPARE( rtmLayers().size(), 3 );
  for ( QgsMapLayer *l : rtmLayers() )
    QVERIFY( l->isValid() );

  // The reopened run exports what the fresh one does: the design matrix byte for byte.
  QString error;
  const QString fresh = mDir.filePath( QStringLiteral( "fresh_design.csv" ) ), reopened = mDir.filePath( QStringLiteral( "reopened_design.csv" ) );
  QVERIFY2( rtm::exportDesignCsv( mExpected, fresh, &error ), qPrintable( error ) );
  QVERIFY2( dock()->exportShown( RtmDock::Export::DesignCsv, reopened, &error ), qPrintable( error ) );
  QFile a( fresh ), b( reopened );
  QVERIFY( a.open( QIODevice::ReadOnly ) && b.open( QIODevice::ReadOnly ) );
  QVERIFY( a.size() > 1000 );
  QVERIFY( a.readAll() == b.readAll() );
  QVERIFY2( dock()->exportShown( RtmDock::Export::RrsGeoTiff, mDir.filePath( QStringLiteral( "rrs.tif" ) ), &error ), qPrintable( error ) );
  QVERIFY2( dock()->exportShown( RtmDock::Export::TablesCsv, mDir.filePath( QStringLiteral( "tables" ) ), &error ), qPrintable( error ) );
  QVERIFY( QFile::exists( mDir.filePath( QStringLiteral( "tables/rtm_validation.csv" ) ) ) );
}

void TestRtmDock::factorDialogBuildsFilter()
{
  // A new factor from 311 requests: the helper offers the blight classes and writes the filter,
  // and the dialog counts the located requests it selects.
  RiskFactorDialog dialog( mWindow->project(), rtm::RiskFactorSpec(), { QStringLiteral( "vacant_parcels" ) } );
  QComboBox *layer = nullptr, *value = nullptr;
  for ( QComboBox *c : dialog.findChildren<QComboBox *>() )
  {
    if ( c->findData( QStringLiteral( "service_requests" ) ) >= 0 )
      layer = c;
  }
  QVERIFY( layer );
  QCOMPARE( layer->findData( QStringLiteral( "rtm_rrs_1" ) ), -1 ); // RTM's own outputs are not factors
  layer->setCurrentIndex( layer->findData( QStringLiteral( "service_requests" ) ) );
  for ( QComboBox *c : dialog.findChildren<QComboBox *>() )
    if ( c->findData( QStringLiteral( "dumping" ) ) >= 0 )
      value = c;
  QVERIFY( value );
  value->setCurrentIndex( value->findData( QStringLiteral( "dumping" ) ) );
  QPushButton *use = nullptr;
  for ( QPushButton *b : dialog.findChildren<QPushButton *>() )
    if ( b->text() == QLatin1String( "Use" ) )
      use = b;
  QVERIFY( use );
  use->click();
  const rtm::RiskFactorSpec f = dialog.factor();
  QCOMPARE( f.layer, QStringLiteral( "service_requests" ) );
  QCOMPARE( f.filter, QStringLiteral( "blight_class = 'dumping'" ) );
  QCOMPARE( f.name, QStringLiteral( "dumping_service_requests" ) );
  SqliteDatabase db;
  QVERIFY( db.open( mPath, true ) );
  const qint64 located = db.scalar( QStringLiteral( "SELECT COUNT(*) FROM service_requests WHERE geom IS NOT NULL AND blight_class = 'dumping'" ) ).toLongLong();
  QVERIFY( located > 0 );
  bool counted = false;
  for ( QLabel *l : dialog.findChildren<QLabel *>() )
    counted |= l->text() == QStringLiteral( "%1 located features selected." ).arg( located );
  QVERIFY( counted );
}

void TestRtmDock::cleanupTestCase()
{
  mWindow.reset();
}

STATDESK_QGIS_TEST_MAIN( TestRtmDock )
#include "test_rtm_dock.moc"
