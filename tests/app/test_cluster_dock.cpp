// The clustering panel in the main window on the demo city: a DBSCAN run started from the panel
// (a background task) lists the clusters the core finds, selecting one shows its card and moves
// the map there, the result layers sit in their own group of the layer tree, the saved run
// reopens and deletes, and a Knox run shows the near-repeat tables and chain lines.
#include "../core/TestSupport.h"

#include "MainWindow.h"
#include "clustering/ClusterDock.h"
#include "clustering/ClusterStore.h"
#include "clustering/HourDayGrid.h"
#include "common/Sqlite.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>

#include <qgscategorizedsymbolrenderer.h>
#include <qgsfeatureiterator.h>
#include <qgslayertree.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

using namespace statdesk;
using namespace statdesk::clustering;

class TestClusterDock : public QObject
{
  Q_OBJECT

private slots:
  void initTestCase();
  void dbscanFromPanel();
  void savedRunReopensAndDeletes();
  void knoxTables();
  void giStarGrid();
  void cleanupTestCase();

private:
  //! Clicks Run and waits for the background task; the run's success.
  bool runFromPanel();
  //! With STATDESK_SCREENSHOT=DIR, saves the window as DIR/<test function>.png (for looking at it).
  void screenshot( const QString &suffix = QString() );
  template <typename T>
  T *child( const char *name ) const { return mDock->findChild<T *>( QString::fromLatin1( name ) ); }

  QTemporaryDir mDir;
  QString mPath;
  std::unique_ptr<MainWindow> mWindow;
  ClusterDock *mDock = nullptr;
};

void TestClusterDock::initTestCase()
{
  // Own settings (recent projects, window state): test_mainwindow may run at the same time.
  QCoreApplication::setApplicationName( QStringLiteral( "statdesk-tests-cluster-dock" ) );
  QVERIFY( mDir.isValid() );
  mPath = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mPath, options, nullptr, &error ), qPrintable( error ) );
  mWindow = std::make_unique<MainWindow>();
  mWindow->resize( 1500, 950 );
  mWindow->show();
  QVERIFY( QTest::qWaitForWindowExposed( mWindow.get() ) );
  QVERIFY2( mWindow->openProject( mPath, ProjectFile::Mode::ReadWrite, false, &error ), qPrintable( error ) );
  // The panel's default input: violent offenses in the main window's date range.
  mWindow->setDateFilter( QDate( 2025, 7, 1 ), QDate( 2025, 12, 31 ) );
  mDock = mWindow->clusterDock();
  QVERIFY( mDock );
  mDock->show();
}

bool TestClusterDock::runFromPanel()
{
  QSignalSpy finished( mDock, &ClusterDock::runFinished );
  child<QPushButton>( "run" )->click();
  if ( !mDock->isRunning() && finished.isEmpty() )
    return false;
  if ( finished.isEmpty() && !finished.wait( 120000 ) )
    return false;
  return finished.first().first().toBool();
}

void TestClusterDock::screenshot( const QString &suffix )
{
  const QString dir = qEnvironmentVariable( "STATDESK_SCREENSHOT" );
  if ( dir.isEmpty() )
    return;
  waitForCanvasRendered( mWindow->canvas(), 60000 );
  mWindow->grab().save( QDir( dir ).filePath( QStringLiteral( "%1%2.png" ).arg( QString::fromLatin1( QTest::currentTestFunction() ), suffix ) ) );
}

void TestClusterDock::dbscanFromPanel()
{
  QComboBox *method = child<QComboBox>( "method" );
  method->setCurrentIndex( method->findData( static_cast<int>( ClusterMethod::Dbscan ) ) );
  child<QDoubleSpinBox>( "eps" )->setValue( 100 );
  child<QSpinBox>( "dbscanMin" )->setValue( 5 );
  const ClusterRunSpec spec = mDock->spec();
  QCOMPARE( spec.filter, QStringLiteral( "violent = 1" ) );
  QCOMPARE( spec.from, QDate( 2025, 7, 1 ) );
  QCOMPARE( spec.to, QDate( 2025, 12, 31 ) );
  QVERIFY( mDock->findChild<QLabel *>( QStringLiteral( "datesLabel" ) )->text().contains( QStringLiteral( "2025-07-01 to 2025-12-31" ) ) );
  screenshot( QStringLiteral( "-parameters" ) );
  QVERIFY( runFromPanel() );

  // The core's run of the same parameters, on its own connection.
  QString error;
  std::unique_ptr<ProjectFile> reader = ProjectFile::open( mPath, ProjectFile::Mode::ReadOnly, &error );
  QVERIFY2( reader, qPrintable( error ) );
  const ClusterAnalysis reference = runClusterAnalysis( *reader, spec );
  QVERIFY( reference.ok );
  QVERIFY( reference.clusters.size() > 5 );

  QTableView *table = child<QTableView>( "clusterTable" );
  QAbstractItemModel *model = table->model();
  QCOMPARE( model->rowCount(), static_cast<int>( reference.clusters.size() ) );
  auto byLabel = [&reference]( const QString &label ) -> const ClusterRecord *
  {
    for ( const ClusterRecord &c : reference.clusters )
      if ( c.label == label )
        return &c;
    return nullptr;
  };
  int previous = INT_MAX;
  for ( int row = 0; row < model->rowCount(); ++row )
  {
    const ClusterRecord *c = byLabel( model->index( row, 0 ).data().toString() );
    QVERIFY( c );
    const int incidents = model->index( row, 1 ).data().toInt();
    QCOMPARE( incidents, static_cast<int>( c->fids.size() ) );
    QCOMPARE( model->index( row, 2 ).data().toInt(), c->card.distinctAddresses );
    QCOMPARE( model->index( row, 3 ).data().toString(), c->card.first.date().toString( Qt::ISODate ) );
    QVERIFY( incidents <= previous ); // sorted by incidents, most first
    previous = incidents;
  }

  // Saved in the project as one run with its clusters.
  const qint64 runId = mDock->shownRun().runId;
  QVERIFY( runId > 0 );
  const std::vector<ClusterRunInfo> runs = listClusterRuns( reader->database() );
  QCOMPARE( static_cast<int>( runs.size() ), 1 );
  QCOMPARE( runs[0].clusters, static_cast<int>( reference.clusters.size() ) );

  // Layers: the clusters of this run, in the results group of the layer tree.
  const QList<QgsVectorLayer *> layers = mDock->resultLayers();
  QCOMPARE( layers.size(), 1 );
  QVERIFY( layers[0]->isValid() );
  QCOMPARE( layers[0]->featureCount(), static_cast<long long>( reference.clusters.size() ) );
  QVERIFY( layers[0]->subsetString().contains( QStringLiteral( "run_id" ) ) );
  QgsLayerTreeLayer *node = QgsProject::instance()->layerTreeRoot()->findLayer( layers[0]->id() );
  QVERIFY( node );
  QCOMPARE( node->parent()->name(), QStringLiteral( "Clustering results" ) );
  QCoreApplication::processEvents(); // the layer tree hands its layers to the canvas on the next pass
  QVERIFY( mWindow->canvas()->layers().contains( layers[0] ) );

  // Selecting the largest cluster shows its card and brings the map to it.
  table->setCurrentIndex( model->index( 0, 0 ) );
  const ClusterRecord *largest = byLabel( model->index( 0, 0 ).data().toString() );
  const ClusterCard &card = mDock->shownCard();
  QCOMPARE( card.incidents, static_cast<qint64>( largest->fids.size() ) );
  QStringList fids;
  for ( qint64 fid : largest->fids )
    fids << QString::number( fid );
  SqliteDatabase &db = reader->database();
  const QString members = fids.join( QLatin1Char( ',' ) );
  QCOMPARE( card.distinctAddresses, db.scalar( QStringLiteral( "SELECT count(DISTINCT address) FROM incidents WHERE fid IN (%1) AND address <> ''" ).arg( members ) ).toInt() );
  QCOMPARE( card.firearm, db.scalar( QStringLiteral( "SELECT sum(firearm) FROM incidents WHERE fid IN (%1)" ).arg( members ) ).toInt() );
  QCOMPARE( card.first.date().toString( Qt::ISODate ), db.scalar( QStringLiteral( "SELECT substr(min(occurred_at), 1, 10) FROM incidents WHERE fid IN (%1)" ).arg( members ) ).toString() );
  QCOMPARE( card.openBlight, largest->card.openBlight );
  QCOMPARE( card.vacantParcels, largest->card.vacantParcels );
  QCOMPARE( card.dangerousBuildings, largest->card.dangerousBuildings );
  QVERIFY( child<QLabel>( "card" )->text().contains( QStringLiteral( "Incidents: %1" ).arg( largest->fids.size() ) ) );
  int gridTotal = 0;
  for ( const auto &day : child<HourDayGrid>( "hourGrid" )->counts() )
    for ( int v : day )
      gridTotal += v;
  QCOMPARE( gridTotal, card.timedIncidents );
  QCOMPARE( gridTotal, card.incidents ); // every demo offense has a time of day
  QVERIFY( mWindow->canvas()->extent().contains( largest->polygon.boundingBox() ) );
  QVERIFY( mWindow->canvas()->extent().width() < 3000 );

  // A wider environment counts at least as much.
  child<QDoubleSpinBox>( "cardDistance" )->setValue( 400 );
  QVERIFY( mDock->shownCard().vacantParcels >= largest->card.vacantParcels );
  QCOMPARE( mDock->shownCard().environmentDistance, 400.0 );

  screenshot();
}

void TestClusterDock::savedRunReopensAndDeletes()
{
  const ClusterAnalysis shown = mDock->shownRun();
  QVERIFY( shown.runId > 0 );
  QTableWidget *saved = child<QTableWidget>( "savedRuns" );
  QCOMPARE( saved->rowCount(), 1 );
  QCOMPARE( saved->item( 0, 0 )->text().toLongLong(), shown.runId );

  // The map saved with the results and opened again (as after a restart) shows them again.
  QString error;
  // Saving stops a running render without waiting for it; a window deleted right after would leave
  // that render writing into the deleted canvas's cache (QGIS 3.22). Let the map finish first.
  QVERIFY( waitForCanvasRendered( mWindow->canvas(), 60000 ) );
  QVERIFY2( mWindow->saveProject( &error ), qPrintable( error ) );
  mWindow.reset();
  mWindow = std::make_unique<MainWindow>();
  mWindow->resize( 1500, 950 );
  mWindow->show();
  QVERIFY2( mWindow->openProject( mPath, ProjectFile::Mode::ReadWrite, false, &error ), qPrintable( error ) );
  mDock = mWindow->clusterDock();
  mDock->show();
  auto resultGroups = []
  {
    QList<QgsLayerTreeGroup *> groups;
    for ( QgsLayerTreeNode *n : QgsProject::instance()->layerTreeRoot()->children() )
      if ( QgsLayerTree::isGroup( n ) && n->name() == QLatin1String( "Clustering results" ) )
        groups << QgsLayerTree::toGroup( n );
    return groups;
  };
  QCOMPARE( resultGroups().size(), 1 );
  const QList<QgsLayerTreeLayer *> restored = resultGroups().first()->findLayers();
  QCOMPARE( restored.size(), 1 );
  QVERIFY( restored.first()->layer() && restored.first()->layer()->isValid() );
  QCOMPARE( qobject_cast<QgsVectorLayer *>( restored.first()->layer() )->featureCount(), static_cast<long long>( shown.clusters.size() ) );
  saved = child<QTableWidget>( "savedRuns" );
  QCOMPARE( saved->rowCount(), 1 );

  QVERIFY( mDock->openRun( shown.runId ) );
  QCOMPARE( resultGroups().size(), 1 ); // the restored group was replaced, not doubled
  QCOMPARE( mDock->shownRun().clusters.size(), shown.clusters.size() );
  QCOMPARE( mDock->shownRun().spec.toJson(), shown.spec.toJson() );
  QCOMPARE( child<QTableView>( "clusterTable" )->model()->rowCount(), static_cast<int>( shown.clusters.size() ) );
  QCOMPARE( mDock->resultLayers().size(), 1 );

  const QString exported = mDir.filePath( QStringLiteral( "panel.gpkg" ) );
  QVERIFY( mDock->exportRun( exported ) );
  QgsVectorLayer check( exported + QStringLiteral( "|layername=clusters" ), QStringLiteral( "check" ), QStringLiteral( "ogr" ) );
  QVERIFY( check.isValid() );
  QCOMPARE( check.featureCount(), static_cast<long long>( shown.clusters.size() ) );

  QVERIFY( mDock->deleteRun( shown.runId ) );
  QCOMPARE( saved->rowCount(), 0 );
  QVERIFY( mDock->resultLayers().isEmpty() );
  bool group = false;
  for ( QgsLayerTreeNode *n : QgsProject::instance()->layerTreeRoot()->children() )
    group |= n->name() == QLatin1String( "Clustering results" );
  QVERIFY( !group );
  SqliteDatabase db;
  QVERIFY( db.open( mPath, true ) );
  QVERIFY( listClusterRuns( db ).empty() );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT count(*) FROM cluster_members" ) ).toInt(), 0 );
}

void TestClusterDock::knoxTables()
{
  QComboBox *method = child<QComboBox>( "method" );
  method->setCurrentIndex( method->findData( static_cast<int>( ClusterMethod::Knox ) ) );
  child<QSpinBox>( "knoxIterations" )->setValue( 99 );
  child<QLineEdit>( "filter" )->setText( QStringLiteral( "shooting = 1" ) );
  QVERIFY( runFromPanel() );
  const ClusterAnalysis &run = mDock->shownRun();
  QCOMPARE( run.spec.method, ClusterMethod::Knox );
  QTableWidget *knox = child<QTableWidget>( "knoxTable" );
  QVERIFY( knox->isVisibleTo( mDock ) );
  QCOMPARE( knox->rowCount(), 5 + 2 );    // same location, five bands, more than
  QCOMPARE( knox->columnCount(), 5 + 1 ); // five bands, more than
  QCOMPARE( knox->verticalHeaderItem( 0 )->text(), run.summary.value( QStringLiteral( "rows" ) ).toArray().at( 0 ).toString() );
  QVERIFY( child<QLabel>( "knoxNarrative" )->text().startsWith( QStringLiteral( "Within" ) ) );
  const QList<QgsVectorLayer *> layers = mDock->resultLayers();
  QCOMPARE( layers.size(), 2 ); // chains and clusters
  QCOMPARE( layers[0]->featureCount(), static_cast<long long>( run.chains.size() ) );
  QCOMPARE( layers[0]->geometryType(), QgsWkbTypes::LineGeometry );
  QVERIFY( run.chains.size() >= run.clusters.size() );
  screenshot();
}

void TestClusterDock::giStarGrid()
{
  QComboBox *method = child<QComboBox>( "method" );
  method->setCurrentIndex( method->findData( static_cast<int>( ClusterMethod::GiStar ) ) );
  child<QLineEdit>( "filter" )->setText( QStringLiteral( "violent = 1" ) );
  QVERIFY( runFromPanel() );
  const ClusterAnalysis &run = mDock->shownRun();
  QCOMPARE( run.spec.method, ClusterMethod::GiStar );
  QVERIFY( !child<QTableWidget>( "knoxTable" )->isVisibleTo( mDock ) );
  const QList<QgsVectorLayer *> layers = mDock->resultLayers();
  QCOMPARE( layers.size(), 2 ); // clusters over the grid
  QgsVectorLayer *grid = layers[1];
  QCOMPARE( grid->featureCount(), static_cast<long long>( run.cells.size() ) );
  auto *renderer = dynamic_cast<QgsCategorizedSymbolRenderer *>( grid->renderer() );
  QVERIFY( renderer );
  QCOMPARE( renderer->classAttribute(), QStringLiteral( "bin" ) );
  QCOMPARE( renderer->categories().size(), 7 ); // -3 .. +3
  // Every cluster is made of hot cells at 95%: the grid holds at least one such cell per cluster.
  long long hot = 0;
  QgsFeatureIterator cells = grid->getFeatures( QgsFeatureRequest().setFilterExpression( QStringLiteral( "\"bin\" >= 2" ) ) );
  for ( QgsFeature cell; cells.nextFeature( cell ); )
    ++hot;
  QVERIFY( hot >= static_cast<long long>( run.clusters.size() ) );
  QVERIFY( !run.clusters.empty() );
  screenshot();
}

void TestClusterDock::cleanupTestCase()
{
  mWindow.reset();
}

STATDESK_QGIS_TEST_MAIN( TestClusterDock )
#include "test_cluster_dock.moc"
