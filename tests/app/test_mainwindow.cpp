// The desktop main window on the generated demo city: layers and groups, a drawn map,
// identify, the date filter, the attribute table, measuring, saving the map and restricted data.
#include "../core/TestSupport.h"

#include "AttributeTableDock.h"
#include "DateRangeWidget.h"
#include "FeatureTableModel.h"
#include "IdentifyDock.h"
#include "MainWindow.h"
#include "MeasureTool.h"

#include "common/Sqlite.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"
#include "project/Schema.h"

#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTreeWidget>

#include <qgsfeatureiterator.h>
#include <qgslayertree.h>
#include <qgsmapcanvas.h>
#include <qgsmaptopixel.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

using namespace statdesk;

class TestMainWindow : public QObject
{
    Q_OBJECT
  private slots:
    void initTestCase();
    void opensWithGroupsAndLayers();
    void rendersNonBlankMap();
    void identifyReturnsClickedFeature();
    void identifyIncidentWhenZoomedIn();
    void dateFilterChangesIncidentCount();
    void attributeTableLoadsLazilyAndFilters();
    void attributeTableRejectsBadFilter();
    void measureDistance();
    void restrictedTablesNeverLayers();
    void saveAndReopenKeepsDateFilter();
    void secondWriterIsRefused();
    void cleanupTestCase();

  private:
    qint64 sqlCount( const QString &sql );
    QgsVectorLayer *layer( const QString &table, const QString &role = QStringLiteral( "features" ) );

    QTemporaryDir mDir;
    QString mPath;
    std::unique_ptr<MainWindow> mWindow;
};

qint64 TestMainWindow::sqlCount( const QString &sql )
{
  SqliteDatabase db;
  if ( !db.open( mPath, true ) )
    return -1;
  return db.scalar( sql ).toLongLong();
}

QgsVectorLayer *TestMainWindow::layer( const QString &table, const QString &role )
{
  return ProjectLayers::layer( QgsProject::instance(), table, role );
}

void TestMainWindow::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mPath = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.seed = 7;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mPath, options, nullptr, &error ), qPrintable( error ) );

  mWindow = std::make_unique<MainWindow>();
  mWindow->resize( 1280, 860 );
  mWindow->show();
  QVERIFY( QTest::qWaitForWindowExposed( mWindow.get() ) );
  QVERIFY2( mWindow->openProject( mPath, ProjectFile::Mode::ReadWrite, false, &error ), qPrintable( error ) );
  QVERIFY( mWindow->project() );
}

void TestMainWindow::opensWithGroupsAndLayers()
{
  QVERIFY( mWindow->windowTitle().contains( mWindow->project()->cityName() ) );
  QVERIFY( mWindow->windowTitle().contains( QStringLiteral( "demo.gpkg" ) ) );
  QVERIFY( !mWindow->windowTitle().contains( QStringLiteral( "read-only" ) ) );

  const QList<QgsLayerTreeGroup *> groups = QgsProject::instance()->layerTreeRoot()->findGroups();
  QCOMPARE( groups.size(), 4 );
  QSet<QString> tablesInTree;
  for ( QgsLayerTreeGroup *group : groups )
  {
    QVERIFY2( !group->findLayers().isEmpty(), qPrintable( group->name() ) );
    for ( QgsLayerTreeLayer *node : group->findLayers() )
    {
      QVERIFY( node->layer() );
      QVERIFY2( node->layer()->isValid(), qPrintable( node->name() ) );
      tablesInTree << node->layer()->customProperty( ProjectLayers::tableProperty() ).toString();
    }
  }
  for ( const QString &table : { schema::kIncidents, schema::kServiceRequests, schema::kVacantParcels, schema::kDangerousBuildings,
                                 schema::kNeighborhoods, schema::kBoundaries } )
    QVERIFY2( tablesInTree.contains( table ), qPrintable( table ) );

  // The canvas shows the project's CRS and the layers checked in the tree.
  QCOMPARE( mWindow->canvas()->mapSettings().destinationCrs(), mWindow->project()->crs() );
  QVERIFY( mWindow->canvas()->layers().size() >= 5 );
  // The demo layers hold what the generator wrote.
  QCOMPARE( layer( schema::kNeighborhoods )->featureCount(), sqlCount( QStringLiteral( "SELECT COUNT(*) FROM neighborhoods" ) ) );
}

void TestMainWindow::rendersNonBlankMap()
{
  QVERIFY( waitForCanvasRendered( mWindow->canvas(), 60000 ) );
  const QImage image = mWindow->canvas()->grab().toImage().convertToFormat( QImage::Format_RGB32 );
  QVERIFY( image.width() > 400 && image.height() > 300 );
  const QRgb background = QColor( 250, 250, 247 ).rgb();
  QSet<QRgb> colours;
  qint64 drawn = 0;
  for ( int y = 0; y < image.height(); ++y )
  {
    const QRgb *line = reinterpret_cast<const QRgb *>( image.constScanLine( y ) );
    for ( int x = 0; x < image.width(); ++x )
    {
      colours.insert( line[x] );
      if ( line[x] != background )
        ++drawn;
    }
  }
  const double drawnShare = double( drawn ) / ( double( image.width() ) * image.height() );
  QVERIFY2( colours.size() > 50, qPrintable( QStringLiteral( "only %1 colours" ).arg( colours.size() ) ) );
  QVERIFY2( drawnShare > 0.2, qPrintable( QStringLiteral( "only %1 of the pixels drawn" ).arg( drawnShare ) ) );
}

void TestMainWindow::identifyReturnsClickedFeature()
{
  mWindow->canvas()->zoomToFullExtent();
  QgsVectorLayer *neighborhoods = layer( schema::kNeighborhoods );
  QVERIFY( neighborhoods );
  // A neighborhood in the middle of the map, clicked at a point inside it.
  QgsFeature target;
  QgsFeatureIterator it = neighborhoods->getFeatures();
  QgsFeature f;
  const QgsPointXY centre = mWindow->canvas()->extent().center();
  double best = std::numeric_limits<double>::max();
  while ( it.nextFeature( f ) )
  {
    const double d = f.geometry().pointOnSurface().asPoint().sqrDist( centre );
    if ( d < best )
    {
      best = d;
      target = f;
    }
  }
  QVERIFY( target.isValid() );
  const QgsPointXY inside = target.geometry().pointOnSurface().asPoint();
  const QgsPointXY pixel = mWindow->canvas()->getCoordinateTransform()->transform( inside );
  const QList<QgsMapToolIdentify::IdentifyResult> results = mWindow->identifyTool()->identifyAt( QPoint( qRound( pixel.x() ), qRound( pixel.y() ) ) );
  bool found = false;
  for ( const auto &r : results )
  {
    QVERIFY( r.mLayer );
    QVERIFY( !r.mLayer->customProperty( ProjectLayers::tableProperty() ).toString().startsWith( QLatin1String( "restricted_" ) ) );
    if ( r.mLayer == neighborhoods && r.mFeature.id() == target.id() )
    {
      found = true;
      QCOMPARE( r.mFeature.attribute( QStringLiteral( "name" ) ).toString(), target.attribute( QStringLiteral( "name" ) ).toString() );
    }
  }
  QVERIFY2( found, "the clicked neighborhood was not identified" );
  // The dock lists it with its attributes.
  QTreeWidget *tree = mWindow->identifyDock()->tree();
  QVERIFY( tree->topLevelItemCount() == results.size() );
  const QList<QTreeWidgetItem *> nameItems = tree->findItems( target.attribute( QStringLiteral( "name" ) ).toString(), Qt::MatchExactly | Qt::MatchRecursive, 1 );
  QVERIFY( !nameItems.isEmpty() );
  QVERIFY( mWindow->identifyDock()->isVisible() );
}

void TestMainWindow::identifyIncidentWhenZoomedIn()
{
  QgsVectorLayer *incidents = layer( schema::kIncidents );
  QVERIFY( incidents );
  // A located incident; zoom in to street scale where individual incidents are drawn.
  const qint64 fid = sqlCount( QStringLiteral( "SELECT fid FROM incidents WHERE geom IS NOT NULL ORDER BY fid LIMIT 1 OFFSET 100" ) );
  QgsFeature incident;
  QVERIFY( incidents->getFeatures( QgsFeatureRequest().setFilterFid( fid ) ).nextFeature( incident ) );
  const QgsPointXY p = incident.geometry().asPoint();
  mWindow->canvas()->setCenter( p );
  mWindow->canvas()->zoomScale( 2000 );
  const QgsPointXY pixel = mWindow->canvas()->getCoordinateTransform()->transform( p );
  const auto results = mWindow->identifyTool()->identifyAt( QPoint( qRound( pixel.x() ), qRound( pixel.y() ) ) );
  bool found = false;
  for ( const auto &r : results )
  {
    if ( r.mLayer == incidents && r.mFeature.id() == fid )
    {
      found = true;
      QCOMPARE( r.mFeature.attribute( QStringLiteral( "offense_key" ) ), incident.attribute( QStringLiteral( "offense_key" ) ) );
      // No person-level field reaches identify.
      for ( const char *personField : { "race", "sex", "age", "involvement" } )
        QVERIFY( r.mFeature.fields().lookupField( QString::fromLatin1( personField ) ) < 0 );
    }
    // The density layer draws the same table: it must not list the incident twice.
    QVERIFY( r.mLayer->customProperty( ProjectLayers::roleProperty() ).toString() != QLatin1String( "density" ) );
  }
  QVERIFY2( found, "the clicked incident was not identified" );
}

void TestMainWindow::dateFilterChangesIncidentCount()
{
  QgsVectorLayer *incidents = layer( schema::kIncidents );
  QgsVectorLayer *requests = layer( schema::kServiceRequests );
  const qint64 allIncidents = incidents->featureCount();
  const qint64 allRequests = requests->featureCount();
  QCOMPARE( allIncidents, sqlCount( QStringLiteral( "SELECT COUNT(*) FROM incidents" ) ) );

  const QString lastYear = QString::fromLatin1( "SELECT substr(MAX(occurred_at),1,4) FROM incidents" );
  SqliteDatabase db;
  QVERIFY( db.open( mPath, true ) );
  const int year = db.scalar( lastYear ).toInt();
  QVERIFY( year > 2000 );
  const QDate from( year, 1, 1 ), to( year, 6, 30 );
  mWindow->setDateFilter( from, to );
  const qint64 expected = sqlCount( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE occurred_at >= '%1' AND occurred_at < '%2'" )
                                      .arg( from.toString( Qt::ISODate ), to.addDays( 1 ).toString( Qt::ISODate ) ) );
  QVERIFY( expected > 0 && expected < allIncidents );
  QCOMPARE( incidents->featureCount(), expected );
  QVERIFY( requests->featureCount() < allRequests );
  QCOMPARE( mWindow->dateRangeWidget()->from(), from );
  QCOMPARE( mWindow->dateRangeWidget()->to(), to );
  QVERIFY( QgsProject::instance()->isDirty() );
  QVERIFY( waitForCanvasRendered( mWindow->canvas(), 60000 ) );

  mWindow->setDateFilter( QDate(), QDate() );
  QCOMPARE( incidents->featureCount(), allIncidents );
  QCOMPARE( requests->featureCount(), allRequests );
  QVERIFY( mWindow->dateRangeWidget()->allDates() );
}

void TestMainWindow::attributeTableLoadsLazilyAndFilters()
{
  QgsVectorLayer *incidents = layer( schema::kIncidents );
  AttributeTableDock *dock = mWindow->attributeTableDock();
  dock->show();
  dock->setLayer( incidents );
  dock->setFilterExpression( QString() );
  FeatureTableModel *model = dock->model();
  // Only the first batch is read, whatever the layer's size.
  QCOMPARE( model->rowCount(), FeatureTableModel::kBatchSize );
  QVERIFY( model->canFetchMore( QModelIndex() ) );
  QCOMPARE( dock->matchingCount(), incidents->featureCount() );
  model->fetchMore( QModelIndex() );
  QCOMPARE( model->rowCount(), 2 * FeatureTableModel::kBatchSize );
  // Rows are distinct and in fid order across batches.
  for ( int r = 1; r < model->rowCount(); ++r )
    QVERIFY( model->featureId( r ) > model->featureId( r - 1 ) );

  QSignalSpy counted( dock, &AttributeTableDock::countFinished );
  dock->setFilterExpression( QStringLiteral( "\"violent\" = 1 AND \"firearm\" = 1" ) );
  const qint64 expected = sqlCount( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE violent = 1 AND firearm = 1" ) );
  QVERIFY( expected > 0 );
  QVERIFY( counted.count() > 0 || counted.wait( 60000 ) );
  QCOMPARE( counted.constLast().at( 0 ).toLongLong(), expected );
  QCOMPARE( dock->matchingCount(), expected );
  QCOMPARE( model->rowCount(), static_cast<int>( std::min<qint64>( expected, FeatureTableModel::kBatchSize ) ) );
  const int violentColumn = incidents->fields().lookupField( QStringLiteral( "violent" ) );
  for ( int r = 0; r < model->rowCount(); ++r )
    QCOMPARE( model->data( model->index( r, violentColumn ), Qt::UserRole ).toInt(), 1 );
  // Scrolling to the end loads exactly the matching rows.
  while ( model->canFetchMore( QModelIndex() ) )
    model->fetchMore( QModelIndex() );
  QCOMPARE( model->rowCount(), static_cast<int>( expected ) );

  // Selecting rows selects the features on the map.
  dock->view()->selectRow( 0 );
  QCOMPARE( incidents->selectedFeatureIds(), QgsFeatureIds() << model->featureId( 0 ) );
  incidents->removeSelection();
}

void TestMainWindow::attributeTableRejectsBadFilter()
{
  AttributeTableDock *dock = mWindow->attributeTableDock();
  dock->setLayer( layer( schema::kIncidents ) );
  dock->setFilterExpression( QStringLiteral( "\"violent\" = = 1" ) );
  QCOMPARE( dock->model()->rowCount(), 0 );
  dock->setFilterExpression( QStringLiteral( "\"no_such_field\" = 1" ) );
  QCOMPARE( dock->model()->rowCount(), 0 );
  dock->setFilterExpression( QString() );
  QVERIFY( dock->model()->rowCount() > 0 );
  dock->hide();
}

void TestMainWindow::measureDistance()
{
  MeasureTool *tool = mWindow->measureTool();
  mWindow->canvas()->setMapTool( tool );
  QSignalSpy spy( tool, &MeasureTool::measurementChanged );
  const QgsPointXY a = mWindow->canvas()->extent().center();
  tool->addVertex( a );
  tool->addVertex( QgsPointXY( a.x() + 3000, a.y() ) );
  tool->addVertex( QgsPointXY( a.x() + 3000, a.y() + 4000 ) );
  tool->finish();
  // 7 km along UTM grid lines near the central meridian: the ellipsoidal length is within 0.5% of it.
  QVERIFY2( std::fabs( tool->totalMetres() - 7000 ) < 35, qPrintable( QString::number( tool->totalMetres() ) ) );
  QVERIFY( !spy.isEmpty() );
  const QString text = spy.constLast().at( 0 ).toString();
  QVERIFY2( text.contains( QStringLiteral( "km" ) ), qPrintable( text ) );
  QVERIFY2( text.contains( QStringLiteral( "7.0" ) ) || text.contains( QStringLiteral( "6.9" ) ), qPrintable( text ) );
  QCOMPARE( tool->formatLength( 250 ), QStringLiteral( "250 m" ) );
  tool->clear();
  QCOMPARE( tool->totalMetres(), 0.0 );
}

void TestMainWindow::restrictedTablesNeverLayers()
{
  // The demo does hold person-level rows, so the check below means something.
  QVERIFY( sqlCount( QStringLiteral( "SELECT COUNT(*) FROM restricted_person_involvements" ) ) > 0 );
  const auto layers = QgsProject::instance()->mapLayers();
  for ( QgsMapLayer *ml : layers )
  {
    QVERIFY2( !ml->source().contains( QStringLiteral( "restricted_" ) ), qPrintable( ml->source() ) );
    if ( auto *vl = qobject_cast<QgsVectorLayer *>( ml ) )
      for ( const QgsField &field : vl->fields() )
        QVERIFY2( field.name() != QLatin1String( "race" ) && field.name() != QLatin1String( "sex" ), qPrintable( vl->name() ) );
  }
  for ( QgsLayerTreeLayer *node : QgsProject::instance()->layerTreeRoot()->findLayers() )
    QVERIFY( !node->name().contains( QStringLiteral( "restricted" ), Qt::CaseInsensitive ) );
}

void TestMainWindow::saveAndReopenKeepsDateFilter()
{
  const QDate from( 2024, 3, 1 ), to( 2024, 8, 31 );
  const int year = sqlCount( QStringLiteral( "SELECT substr(MAX(occurred_at),1,4) FROM incidents" ) );
  const QDate f( year, from.month(), from.day() ), t( year, to.month(), to.day() );
  mWindow->setDateFilter( f, t );
  const qint64 filtered = layer( schema::kIncidents )->featureCount();
  QString error;
  QVERIFY2( mWindow->saveProject( &error ), qPrintable( error ) );
  QVERIFY( !QgsProject::instance()->isDirty() );

  // A fresh window, as after restarting the app.
  mWindow.reset();
  QVERIFY( QgsProject::instance()->mapLayers().isEmpty() );
  mWindow = std::make_unique<MainWindow>();
  mWindow->resize( 1280, 860 );
  mWindow->show();
  QVERIFY2( mWindow->openProject( mPath, ProjectFile::Mode::ReadWrite, false, &error ), qPrintable( error ) );
  QCOMPARE( mWindow->dateRangeWidget()->from(), f );
  QCOMPARE( mWindow->dateRangeWidget()->to(), t );
  QCOMPARE( layer( schema::kIncidents )->featureCount(), filtered );
  QCOMPARE( QgsProject::instance()->layerTreeRoot()->findGroups().size(), 4 );
  QVERIFY( MainWindow::recentProjects().contains( QFileInfo( mPath ).absoluteFilePath() ) );
  mWindow->setDateFilter( QDate(), QDate() );
}

void TestMainWindow::secondWriterIsRefused()
{
  // The window holds the file read-write: another writer is told, and the window stays as it is.
  QString error;
  OpenFailure failure = OpenFailure::None;
  QVERIFY( !ProjectFile::open( mPath, ProjectFile::Mode::ReadWrite, &error, &failure ) );
  QCOMPARE( failure, OpenFailure::Locked );
  MainWindow second;
  QVERIFY( !second.openProject( mDir.filePath( QStringLiteral( "missing.gpkg" ) ), ProjectFile::Mode::ReadWrite, false, &error ) );
  QVERIFY( !error.isEmpty() );
  QVERIFY( mWindow->project() );
}

void TestMainWindow::cleanupTestCase()
{
  mWindow.reset();
}

STATDESK_QGIS_TEST_MAIN( TestMainWindow )
#include "test_mainwindow.moc"
