#include "MainWindow.h"

#include "AppTasks.h"
#include "CanvasRendering.h"
#include "AttributeTableDock.h"
#include "DateRangeWidget.h"
#include "IdentifyDock.h"
#include "MeasureTool.h"
#include "NewProjectDialog.h"
#include "StatusBarWidgets.h"
#include "ImportWizard.h"
#include "ProjectFromSourceDialog.h"

#include "briefing/BriefingDialog.h"
#include "clustering/ClusterDock.h"
#include "grants/GrantsDock.h"
#include "rtm/RtmDock.h"
#include "common/QgisRuntime.h"
#include "project/ProjectLayers.h"
#include "project/Schema.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <qgsapplication.h>
#include <qgsdataprovider.h>
#include <qgslayertree.h>
#include <qgslayertreemapcanvasbridge.h>
#include <qgslayertreemodel.h>
#include <qgslayertreeview.h>
#include <qgslayertreeviewdefaultactions.h>
#include <qgsmapcanvas.h>
#include <qgsmaptoolpan.h>
#include <qgsmaptoolzoom.h>
#include <qgsproject.h>
#include <qgsprojectviewsettings.h>
#include <qgsreferencedgeometry.h>
#include <qgsvectorlayer.h>

#include <QDomDocument>

namespace statdesk
{

namespace
{
const QString kRecentKey = QStringLiteral( "app/recentProjects" );
const QString kGeometryKey = QStringLiteral( "app/windowGeometry" );
const QString kStateKey = QStringLiteral( "app/windowState" );
const QString kLastDirKey = QStringLiteral( "app/lastDirectory" );
constexpr int kMaxRecent = 10;
// Where the date filter is remembered inside the QGIS project.
const QString kScope = QStringLiteral( "statdesk" );
const QString kDateFromEntry = QStringLiteral( "/dateFilter/from" );
const QString kDateToEntry = QStringLiteral( "/dateFilter/to" );
// Same name as QGIS's own canvas, so the view stored in the project is shared with vanilla QGIS.
const QString kCanvasName = QStringLiteral( "theMapCanvas" );

QIcon themeIcon( const QString &name )
{
  return QgsApplication::getThemeIcon( name );
}

//! The layer tree's context menu: the few things a user does with a layer here.
class LayerTreeMenuProvider : public QgsLayerTreeViewMenuProvider
{
  public:
    LayerTreeMenuProvider( QgsLayerTreeView *view, QgsMapCanvas *canvas, QAction *showTable )
      : mView( view ), mCanvas( canvas ), mShowTable( showTable ) {}

    QMenu *createContextMenu() override
    {
      QgsMapLayer *layer = mView->currentLayer();
      if ( !layer )
        return nullptr;
      auto *menu = new QMenu();
      QgsLayerTreeViewDefaultActions *defaults = mView->defaultActions();
      menu->addAction( defaults->actionZoomToLayer( mCanvas, menu ) );
      menu->addAction( mShowTable );
      return menu;
    }

  private:
    QgsLayerTreeView *mView = nullptr;
    QgsMapCanvas *mCanvas = nullptr;
    QAction *mShowTable = nullptr;
};
} // namespace

bool waitForCanvasRendered( QgsMapCanvas *canvas, int timeoutMs )
{
  // A render may be followed by another (resize, late layer load): wait for a quiet period.
  QElapsedTimer timer;
  timer.start();
  QEventLoop loop;
  QTimer quiet;
  quiet.setSingleShot( true );
  quiet.setInterval( 300 );
  bool rendered = false;
  auto conn1 = QObject::connect( canvas, &QgsMapCanvas::mapCanvasRefreshed, &loop, [&] {
    rendered = true;
    quiet.start();
  } );
  auto conn2 = QObject::connect( canvas, &QgsMapCanvas::renderStarting, &loop, [&] { quiet.stop(); } );
  QObject::connect( &quiet, &QTimer::timeout, &loop, [&] {
    if ( !canvas->isDrawing() )
      loop.quit();
  } );
  QTimer deadline;
  deadline.setSingleShot( true );
  QObject::connect( &deadline, &QTimer::timeout, &loop, &QEventLoop::quit );
  deadline.start( timeoutMs );
  if ( !canvas->isDrawing() )
  {
    // Nothing running: a refresh may be pending, or the last render is already there.
    canvas->refresh();
  }
  loop.exec();
  QObject::disconnect( conn1 );
  QObject::disconnect( conn2 );
  return rendered && !canvas->isDrawing() && timer.elapsed() < timeoutMs;
}

MainWindow::MainWindow( QWidget *parent )
  : QMainWindow( parent )
{
  setObjectName( QStringLiteral( "StatDeskMainWindow" ) );
  mCanvas = new QgsMapCanvas( this );
  mCanvas->setObjectName( kCanvasName );
  mCanvas->setCanvasColor( QColor( 250, 250, 247 ) );
  mCanvas->enableAntiAliasing( true );
  mCanvas->setParallelRenderingEnabled( true );
  mCanvas->setCachingEnabled( true );
  mCanvas->setFocusPolicy( Qt::StrongFocus );
  setCentralWidget( mCanvas );

  createActions();
  createDocks();
  createMenusAndToolbars();
  createStatusBar();

  QgsProject *qgsProject = QgsProject::instance();
  connect( qgsProject, &QgsProject::isDirtyChanged, this, [this]( bool dirty ) { setWindowModified( dirty ); } );
  connect( qgsProject, &QgsProject::readProject, this, [this]( const QDomDocument &doc ) {
    const QDomNodeList canvases = doc.elementsByTagName( QStringLiteral( "mapcanvas" ) );
    for ( int i = 0; i < canvases.size(); ++i )
      if ( canvases.at( i ).toElement().attribute( QStringLiteral( "name" ) ) == kCanvasName )
        mCanvasStateRestored = true;
  } );

  restoreWindowState();
  updateTitle();
  updateActions();
}

MainWindow::~MainWindow()
{
  // The layers read the project file: drop them before the file (and its lock) goes.
  setMapTool( nullptr );
  if ( mProject )
    closeProject();
  // No render job may outlive the canvas (its cache).
  finishCanvasRendering( mCanvas );
  // The tools own canvas items (rubber band): delete them while the canvas still exists.
  delete mMeasureTool;
  delete mIdentifyTool;
  delete mPanTool;
  delete mZoomInTool;
  delete mZoomOutTool;
}

void MainWindow::createActions()
{
  mNewAction = new QAction( themeIcon( QStringLiteral( "/mActionFileNew.svg" ) ), tr( "&New Project…" ), this );
  mNewAction->setShortcut( QKeySequence::New );
  connect( mNewAction, &QAction::triggered, this, &MainWindow::newProject );
  mOpenAction = new QAction( themeIcon( QStringLiteral( "/mActionFileOpen.svg" ) ), tr( "&Open Project…" ), this );
  mOpenAction->setShortcut( QKeySequence::Open );
  connect( mOpenAction, &QAction::triggered, this, &MainWindow::openProjectDialog );
  mSaveAction = new QAction( themeIcon( QStringLiteral( "/mActionFileSave.svg" ) ), tr( "&Save" ), this );
  mSaveAction->setShortcut( QKeySequence::Save );
  mSaveAction->setToolTip( tr( "Save the map (layers, styles, view, date filter) into the project file" ) );
  connect( mSaveAction, &QAction::triggered, this, [this] {
    QString error;
    if ( !saveProject( &error ) )
      QMessageBox::warning( this, tr( "Save" ), error );
  } );
  mSaveAsAction = new QAction( themeIcon( QStringLiteral( "/mActionFileSaveAs.svg" ) ), tr( "Save &As…" ), this );
  mSaveAsAction->setShortcut( QKeySequence::SaveAs );
  connect( mSaveAsAction, &QAction::triggered, this, &MainWindow::saveProjectAs );
  mImportAction = new QAction( themeIcon( QStringLiteral( "/mActionAddLayer.svg" ) ), tr( "&Import Data…" ), this );
  mImportAction->setToolTip( tr( "Import crime, 311, vacant-property or boundary files into the project" ) );
  connect( mImportAction, &QAction::triggered, this, &MainWindow::importData );
  mQuitAction = new QAction( tr( "&Quit" ), this );
  mQuitAction->setShortcut( QKeySequence::Quit );
  mQuitAction->setMenuRole( QAction::QuitRole );
  connect( mQuitAction, &QAction::triggered, this, &QWidget::close );

  mPanTool = new QgsMapToolPan( mCanvas );
  mZoomInTool = new QgsMapToolZoom( mCanvas, false );
  mZoomOutTool = new QgsMapToolZoom( mCanvas, true );
  mIdentifyTool = new IdentifyTool( mCanvas );
  mMeasureTool = new MeasureTool( mCanvas );
  for ( QgsMapTool *tool : { static_cast<QgsMapTool *>( mPanTool ), mZoomInTool, mZoomOutTool, static_cast<QgsMapTool *>( mIdentifyTool ), static_cast<QgsMapTool *>( mMeasureTool ) } )
    tool->setParent( this );

  mToolGroup = new QActionGroup( this );
  auto toolAction = [this]( const QString &icon, const QString &text, QgsMapTool *tool, const QKeySequence &key ) {
    auto *action = new QAction( themeIcon( icon ), text, this );
    action->setCheckable( true );
    action->setShortcut( key );
    mToolGroup->addAction( action );
    tool->setAction( action );
    connect( action, &QAction::triggered, this, [this, tool] { setMapTool( tool ); } );
    return action;
  };
  mPanAction = toolAction( QStringLiteral( "/mActionPan.svg" ), tr( "Pan" ), mPanTool, QKeySequence( Qt::Key_P ) );
  mZoomInAction = toolAction( QStringLiteral( "/mActionZoomIn.svg" ), tr( "Zoom In" ), mZoomInTool, QKeySequence( Qt::CTRL | Qt::Key_Plus ) );
  mZoomOutAction = toolAction( QStringLiteral( "/mActionZoomOut.svg" ), tr( "Zoom Out" ), mZoomOutTool, QKeySequence( Qt::CTRL | Qt::Key_Minus ) );
  mIdentifyAction = toolAction( QStringLiteral( "/mActionIdentify.svg" ), tr( "Identify Features" ), mIdentifyTool, QKeySequence( Qt::CTRL | Qt::SHIFT | Qt::Key_I ) );
  mMeasureAction = toolAction( QStringLiteral( "/mActionMeasure.svg" ), tr( "Measure Distance" ), mMeasureTool, QKeySequence( Qt::CTRL | Qt::SHIFT | Qt::Key_M ) );
  mPanAction->setChecked( true );
  mCanvas->setMapTool( mPanTool );

  mZoomLayerAction = new QAction( themeIcon( QStringLiteral( "/mActionZoomToLayer.svg" ) ), tr( "Zoom to Layer" ), this );
  mZoomLayerAction->setToolTip( tr( "Zoom to the layer selected in the Layers panel" ) );
  connect( mZoomLayerAction, &QAction::triggered, this, &MainWindow::zoomToCurrentLayer );
  mZoomFullAction = new QAction( themeIcon( QStringLiteral( "/mActionZoomFullExtent.svg" ) ), tr( "Zoom Full" ), this );
  mZoomFullAction->setShortcut( QKeySequence( Qt::CTRL | Qt::SHIFT | Qt::Key_F ) );
  connect( mZoomFullAction, &QAction::triggered, this, &MainWindow::zoomFull );

  connect( mIdentifyTool, &IdentifyTool::identified, this, [this]( const QList<QgsMapToolIdentify::IdentifyResult> &results ) { mIdentifyDock->showResults( results ); } );
}

void MainWindow::createDocks()
{
  mLayerTreeView = new QgsLayerTreeView( this );
  auto *model = new QgsLayerTreeModel( QgsProject::instance()->layerTreeRoot(), this );
  model->setFlag( QgsLayerTreeModel::AllowNodeReorder );
  model->setFlag( QgsLayerTreeModel::AllowNodeRename );
  model->setFlag( QgsLayerTreeModel::AllowNodeChangeVisibility );
  model->setFlag( QgsLayerTreeModel::AllowLegendChangeState );
  model->setFlag( QgsLayerTreeModel::UseTextFormatting );
  model->setAutoCollapseLegendNodes( 12 );
  mLayerTreeView->setModel( model );
  mBridge = new QgsLayerTreeMapCanvasBridge( QgsProject::instance()->layerTreeRoot(), mCanvas, this );
  connect( mLayerTreeView, &QgsLayerTreeView::currentLayerChanged, this, &MainWindow::currentLayerChanged );

  mLayersDock = new QDockWidget( tr( "Layers" ), this );
  mLayersDock->setObjectName( QStringLiteral( "LayersDock" ) );
  mLayersDock->setWidget( mLayerTreeView );
  addDockWidget( Qt::LeftDockWidgetArea, mLayersDock );

  mIdentifyDock = new IdentifyDock( this );
  addDockWidget( Qt::RightDockWidgetArea, mIdentifyDock );
  mIdentifyDock->hide();

  mAttributeDock = new AttributeTableDock( mCanvas, this );
  addDockWidget( Qt::BottomDockWidgetArea, mAttributeDock );
  mAttributeDock->hide();

  mGrantsDock = new GrantsDock( nullptr, mCanvas, this );
  mGrantsDock->setObjectName( QStringLiteral( "GrantsDock" ) );
  addDockWidget( Qt::RightDockWidgetArea, mGrantsDock );
  mGrantsDock->hide();
  // Ledger changes may create the sites table or add sites: show them.
  connect( mGrantsDock, &GrantsDock::ledgerChanged, this, [this] {
    if ( !mProject )
      return;
    ProjectLayers::ensureGrantSiteLayers( mProject->path(), QgsProject::instance() );
    for ( QgsMapLayer *layer : QgsProject::instance()->mapLayers() )
    {
      if ( layer->customProperty( ProjectLayers::tableProperty() ).toString() != QLatin1String( "grant_sites" ) )
        continue;
      layer->reload();
      if ( auto *vl = qobject_cast<QgsVectorLayer *>( layer ) )
        vl->updateExtents();
      layer->triggerRepaint();
    }
  } );

  mRtmDock = new RtmDock( mCanvas, this );
  addDockWidget( Qt::RightDockWidgetArea, mRtmDock );
  mRtmDock->hide();

  mClusterDock = new ClusterDock( mCanvas, this );
  addDockWidget( Qt::RightDockWidgetArea, mClusterDock );
  mClusterDock->hide();

  auto *showTable = new QAction( themeIcon( QStringLiteral( "/mActionOpenTable.svg" ) ), tr( "Open Attribute Table" ), this );
  connect( showTable, &QAction::triggered, this, [this] {
    mAttributeDock->setLayer( qobject_cast<QgsVectorLayer *>( mLayerTreeView->currentLayer() ) );
    mAttributeDock->show();
    mAttributeDock->raise();
  } );
  mLayerTreeView->setMenuProvider( new LayerTreeMenuProvider( mLayerTreeView, mCanvas, showTable ) );
}

void MainWindow::createMenusAndToolbars()
{
  QMenu *file = menuBar()->addMenu( tr( "&File" ) );
  file->addAction( mNewAction );
  file->addAction( mOpenAction );
  mRecentMenu = file->addMenu( tr( "Open &Recent" ) );
  connect( mRecentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu );
  file->addSeparator();
  file->addAction( mSaveAction );
  file->addAction( mSaveAsAction );
  if ( mImportAction )
  {
    file->addSeparator();
    file->addAction( mImportAction );
  }
  file->addSeparator();
  mBriefingAction = file->addAction( tr( "Export &Briefing PDF…" ), this, [this] {
    if ( !mProject )
      return;
    BriefingDialog dialog( mProject.get(), mFilterFrom, mFilterTo, this );
    dialog.exec();
  } );
  file->addSeparator();
  file->addAction( mQuitAction );

  QMenu *view = menuBar()->addMenu( tr( "&View" ) );
  view->addAction( mPanAction );
  view->addAction( mZoomInAction );
  view->addAction( mZoomOutAction );
  view->addAction( mZoomLayerAction );
  view->addAction( mZoomFullAction );
  view->addSeparator();
  view->addAction( mIdentifyAction );
  view->addAction( mMeasureAction );
  view->addSeparator();
  QMenu *panels = view->addMenu( tr( "Panels" ) );
  panels->addAction( mLayersDock->toggleViewAction() );
  panels->addAction( mIdentifyDock->toggleViewAction() );
  panels->addAction( mAttributeDock->toggleViewAction() );
  panels->addAction( mGrantsDock->toggleViewAction() );
  panels->addAction( mRtmDock->toggleViewAction() );
  panels->addAction( mClusterDock->toggleViewAction() );
  connect( mAttributeDock->toggleViewAction(), &QAction::toggled, this, [this]( bool on ) {
    if ( on )
      mAttributeDock->setLayer( qobject_cast<QgsVectorLayer *>( mLayerTreeView->currentLayer() ) );
  } );

  QMenu *help = menuBar()->addMenu( tr( "&Help" ) );
  help->addAction( tr( "&About StatDesk" ), this, [this] {
    QMessageBox::about( this, tr( "About StatDesk" ),
                        tr( "<b>StatDesk %1</b><p>A desktop GIS for a city's violence-reduction work: crime, 311, vacant "
                            "property and neighborhoods on one map.</p><p>Built on QGIS %2 and Qt %3.</p>" )
                          .arg( statdeskVersion(), Qgis::version(), QString::fromLatin1( qVersion() ) ) );
  } );

  QToolBar *fileBar = addToolBar( tr( "Project" ) );
  fileBar->setObjectName( QStringLiteral( "ProjectToolbar" ) );
  fileBar->addAction( mNewAction );
  fileBar->addAction( mOpenAction );
  fileBar->addAction( mSaveAction );
  if ( mImportAction )
    fileBar->addAction( mImportAction );

  QToolBar *mapBar = addToolBar( tr( "Map Navigation" ) );
  mapBar->setObjectName( QStringLiteral( "MapNavigationToolbar" ) );
  mapBar->addAction( mPanAction );
  mapBar->addAction( mZoomInAction );
  mapBar->addAction( mZoomOutAction );
  mapBar->addAction( mZoomLayerAction );
  mapBar->addAction( mZoomFullAction );
  mapBar->addSeparator();
  mapBar->addAction( mIdentifyAction );
  mapBar->addAction( mMeasureAction );
  mapBar->addAction( mAttributeDock->toggleViewAction() );
  mAttributeDock->toggleViewAction()->setIcon( themeIcon( QStringLiteral( "/mActionOpenTable.svg" ) ) );

  QToolBar *filterBar = addToolBar( tr( "Date Filter" ) );
  filterBar->setObjectName( QStringLiteral( "DateFilterToolbar" ) );
  mDateRange = new DateRangeWidget( filterBar );
  filterBar->addWidget( mDateRange );
  mClusterDock->setDateRangeWidget( mDateRange );
  connect( mDateRange, &DateRangeWidget::rangeChanged, this, &MainWindow::setDateFilter );
}

void MainWindow::createStatusBar()
{
  mMeasureLabel = new QLabel( this );
  statusBar()->addWidget( mMeasureLabel, 1 );
  connect( mMeasureTool, &MeasureTool::measurementChanged, mMeasureLabel, &QLabel::setText );
  mCoordinates = new CoordinateWidget( mCanvas, this );
  statusBar()->addPermanentWidget( mCoordinates );
  mScale = new ScaleWidget( mCanvas, this );
  statusBar()->addPermanentWidget( mScale );
}

void MainWindow::restoreWindowState()
{
  QSettings settings;
  if ( !restoreGeometry( settings.value( kGeometryKey ).toByteArray() ) )
    resize( 1400, 900 );
  restoreState( settings.value( kStateKey ).toByteArray() );
}

void MainWindow::setMapTool( QgsMapTool *tool )
{
  if ( tool )
    mCanvas->setMapTool( tool );
  else if ( mCanvas->mapTool() )
    mCanvas->unsetMapTool( mCanvas->mapTool() );
  if ( tool != mMeasureTool )
    mMeasureLabel->clear();
}

void MainWindow::updateTitle()
{
  QString title;
  if ( mProject )
  {
    const QString city = mProject->cityName();
    title = QStringLiteral( "%1 — %2[*]" ).arg( city.isEmpty() ? tr( "Untitled city" ) : city, QFileInfo( mProject->path() ).fileName() );
    if ( mProject->isReadOnly() )
      title += tr( " [read-only]" );
    title += QStringLiteral( " — StatDesk" );
  }
  else
  {
    title = QStringLiteral( "StatDesk[*]" );
  }
  setWindowTitle( title );
  setWindowModified( mProject && QgsProject::instance()->isDirty() );
}

void MainWindow::updateActions()
{
  const bool busy = mSaveAsTask;
  const bool open = static_cast<bool>( mProject );
  mNewAction->setEnabled( !busy );
  mOpenAction->setEnabled( !busy );
  mRecentMenu->setEnabled( !busy );
  mSaveAction->setEnabled( !busy && open && !mProject->isReadOnly() );
  mSaveAsAction->setEnabled( !busy && open );
  if ( mImportAction )
    mImportAction->setEnabled( !busy && open && !mProject->isReadOnly() );
  mBriefingAction->setEnabled( !busy && open );
  for ( QAction *a : { mPanAction, mZoomInAction, mZoomOutAction, mZoomLayerAction, mZoomFullAction, mIdentifyAction, mMeasureAction } )
    a->setEnabled( open );
  mDateRange->setEnabled( open && !busy );
}

QStringList MainWindow::recentProjects()
{
  QSettings settings;
  QStringList recent;
  const QStringList stored = settings.value( kRecentKey ).toStringList();
  for ( const QString &path : stored )
    if ( QFileInfo::exists( path ) && !recent.contains( path ) && recent.size() < kMaxRecent )
      recent << path;
  return recent;
}

void MainWindow::addRecent( const QString &path )
{
  QStringList recent = recentProjects();
  const QString absolute = QFileInfo( path ).absoluteFilePath();
  recent.removeAll( absolute );
  recent.prepend( absolute );
  while ( recent.size() > kMaxRecent )
    recent.removeLast();
  QSettings().setValue( kRecentKey, recent );
}

void MainWindow::updateRecentMenu()
{
  mRecentMenu->clear();
  const QStringList recent = recentProjects();
  QSettings().setValue( kRecentKey, recent ); // forget files that are gone
  if ( recent.isEmpty() )
  {
    QAction *none = mRecentMenu->addAction( tr( "No recent projects" ) );
    none->setEnabled( false );
    return;
  }
  int i = 1;
  for ( const QString &path : recent )
  {
    QAction *a = mRecentMenu->addAction( QStringLiteral( "&%1 %2" ).arg( i++ % 10 ).arg( QFileInfo( path ).fileName() ) );
    a->setToolTip( path );
    a->setStatusTip( path );
    connect( a, &QAction::triggered, this, [this, path] { openProject( path ); } );
  }
  mRecentMenu->addSeparator();
  mRecentMenu->addAction( tr( "Clear List" ), this, [] { QSettings().remove( kRecentKey ); } );
}

bool MainWindow::maybeSave()
{
  if ( !mProject || !QgsProject::instance()->isDirty() )
    return true;
  if ( mProject->isReadOnly() )
  {
    const auto answer = QMessageBox::question( this, tr( "Unsaved Map Changes" ),
                                               tr( "The map changed, but %1 is open read-only. Save a copy with Save As?" ).arg( QFileInfo( mProject->path() ).fileName() ),
                                               QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Discard );
    if ( answer == QMessageBox::Save )
    {
      saveProjectAs();
      return false; // Save As runs in the background; the user closes again afterwards.
    }
    return answer == QMessageBox::Discard;
  }
  const auto answer = QMessageBox::question( this, tr( "Unsaved Map Changes" ),
                                             tr( "Save the changes to the map (layers, styles, view, date filter) in %1?" ).arg( QFileInfo( mProject->path() ).fileName() ),
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save );
  if ( answer == QMessageBox::Cancel )
    return false;
  if ( answer == QMessageBox::Save )
  {
    QString error;
    if ( !saveProject( &error ) )
    {
      QMessageBox::warning( this, tr( "Save" ), error );
      return false;
    }
  }
  return true;
}

void MainWindow::closeEvent( QCloseEvent *event )
{
  if ( mSaveAsTask )
  {
    QMessageBox::information( this, tr( "Saving" ), tr( "The project is being copied; close StatDesk when Save As has finished." ) );
    event->ignore();
    return;
  }
  if ( !maybeSave() )
  {
    event->ignore();
    return;
  }
  QSettings settings;
  settings.setValue( kGeometryKey, saveGeometry() );
  settings.setValue( kStateKey, saveState() );
  event->accept();
}

void MainWindow::closeProject()
{
  mAttributeDock->setLayer( nullptr );
  mGrantsDock->setProject( nullptr );
  mRtmDock->setProject( nullptr );
  mClusterDock->setProject( nullptr );
  mIdentifyDock->clear();
  mMeasureTool->clear();
  finishCanvasRendering( mCanvas );
  QgsProject::instance()->clear();
  mProject.reset();
  mCanvasStateRestored = false;
  mFilterFrom = QDate();
  mFilterTo = QDate();
}

bool MainWindow::openProject( const QString &path, ProjectFile::Mode mode, bool interactive, QString *error )
{
  const QString absolute = QFileInfo( path ).absoluteFilePath();
  auto fail = [&]( const QString &message, bool show = true ) {
    if ( error )
      *error = message;
    if ( interactive && show )
      QMessageBox::warning( this, tr( "Open Project" ), message );
    return false;
  };
  if ( mProject && QFileInfo( mProject->path() ).absoluteFilePath() == absolute )
    return fail( tr( "%1 is already open." ).arg( absolute ) );
  if ( interactive && !maybeSave() )
    return false;

  QString openError;
  OpenFailure failure = OpenFailure::None;
  std::unique_ptr<ProjectFile> file = ProjectFile::open( absolute, mode, &openError, &failure );
  if ( !file && interactive && mode == ProjectFile::Mode::ReadWrite && ( failure == OpenFailure::Locked || failure == OpenFailure::ReadOnlyFile ) )
  {
    const auto answer = QMessageBox::question( this, tr( "Open Project" ),
                                               tr( "%1\n\n%2\n\nOpen it read-only? You can look at the map and save a copy with Save As." )
                                                 .arg( describeOpenFailure( failure ), openError ),
                                               QMessageBox::Open | QMessageBox::Cancel, QMessageBox::Open );
    if ( answer != QMessageBox::Open )
      return false;
    return openProject( absolute, ProjectFile::Mode::ReadOnly, interactive, error );
  }
  if ( !file )
  {
    QString message = describeOpenFailure( failure );
    if ( !openError.isEmpty() && openError != message )
      message += QStringLiteral( "\n\n" ) + openError;
    if ( failure == OpenFailure::NotAProject && interactive )
    {
      const auto answer = QMessageBox::question( this, tr( "Open Project" ), message + tr( "\n\nCreate a new StatDesk project from its layers? The file itself is only read." ),
                                                 QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes );
      if ( answer != QMessageBox::Yes )
        return fail( message, false );
      return createProjectFromSource( absolute, error );
    }
    return fail( message );
  }

  QApplication::setOverrideCursor( Qt::WaitCursor );
  closeProject();
  mProject = std::move( file );
  QString loadError;
  const bool loaded = ProjectLayers::load( mProject->path(), QgsProject::instance(), &loadError );
  QApplication::restoreOverrideCursor();
  if ( !loaded )
  {
    closeProject();
    updateTitle();
    updateActions();
    return fail( tr( "The map stored in %1 cannot be read: %2" ).arg( absolute, loadError ) );
  }

  QgsProject *qgsProject = QgsProject::instance();
  // The bridge updates the canvas's layers on the next event loop pass; do it now.
  mBridge->setCanvasLayers();
  if ( qgsProject->crs().isValid() )
    mCanvas->setDestinationCrs( qgsProject->crs() );
  else
    mCanvas->setDestinationCrs( mProject->crs() );
  if ( !mCanvasStateRestored || mCanvas->extent().isEmpty() )
    zoomFull();

  updateDataDateRange();
  readDateFilterFromProject();
  mGrantsDock->setProject( mProject.get() );
  ProjectLayers::ensureGrantSiteLayers( mProject->path(), qgsProject );
  mRtmDock->setProject( mProject.get() );
  mClusterDock->setProject( mProject.get() );
  qgsProject->setDirty( false );

  // Start with the incidents selected: the attribute table and zoom-to-layer act on it.
  if ( QgsVectorLayer *incidents = ProjectLayers::layer( qgsProject, schema::kIncidents ) )
    mLayerTreeView->setCurrentLayer( incidents );
  mLayerTreeView->expandAll();
  // Individual legends of the dense layers are long: keep the groups open, legends collapsed where QGIS decided so.

  addRecent( absolute );
  QSettings().setValue( kLastDirKey, QFileInfo( absolute ).absolutePath() );
  updateTitle();
  updateActions();
  mCanvas->refresh();
  statusBar()->showMessage( tr( "Opened %1" ).arg( absolute ), 5000 );
  return true;
}

void MainWindow::updateDataDateRange()
{
  if ( !mProject )
    return;
  // Index-backed MIN/MAX on the date columns: instant even on city-size projects.
  const QString sql = QStringLiteral( "SELECT MIN(d), MAX(d) FROM ("
                                      " SELECT MIN(occurred_at) AS d FROM incidents UNION ALL SELECT MAX(occurred_at) FROM incidents"
                                      " UNION ALL SELECT MIN(created_at) FROM service_requests UNION ALL SELECT MAX(created_at) FROM service_requests)" );
  SqliteStatement st( mProject->database(), sql );
  QDate first, last;
  if ( st.next() )
  {
    first = QDate::fromString( st.value( 0 ).toString().left( 10 ), Qt::ISODate );
    last = QDate::fromString( st.value( 1 ).toString().left( 10 ), Qt::ISODate );
  }
  mDateRange->setDataRange( first, last );
}

void MainWindow::readDateFilterFromProject()
{
  QgsProject *qgsProject = QgsProject::instance();
  const QDate from = QDate::fromString( qgsProject->readEntry( kScope, kDateFromEntry ), Qt::ISODate );
  const QDate to = QDate::fromString( qgsProject->readEntry( kScope, kDateToEntry ), Qt::ISODate );
  mFilterFrom = from;
  mFilterTo = to;
  mDateRange->setRange( from, to );
  // The stored layers carry their subset strings already; applying again keeps both in step.
  ProjectLayers::applyDateFilter( qgsProject, from, to );
}

void MainWindow::setDateFilter( const QDate &from, const QDate &to )
{
  if ( !mProject || ( from == mFilterFrom && to == mFilterTo ) )
    return;
  mFilterFrom = from;
  mFilterTo = to;
  QgsProject *qgsProject = QgsProject::instance();
  ProjectLayers::applyDateFilter( qgsProject, from, to );
  qgsProject->writeEntry( kScope, kDateFromEntry, from.isValid() ? from.toString( Qt::ISODate ) : QString() );
  qgsProject->writeEntry( kScope, kDateToEntry, to.isValid() ? to.toString( Qt::ISODate ) : QString() );
  if ( mDateRange->from() != from || mDateRange->to() != to )
    mDateRange->setRange( from, to );
  mCanvas->refresh();
  statusBar()->showMessage( from.isValid() || to.isValid()
                              ? tr( "Incidents and 311 requests from %1 to %2" ).arg( from.isValid() ? from.toString( Qt::ISODate ) : tr( "the first" ), to.isValid() ? to.toString( Qt::ISODate ) : tr( "the last" ) )
                              : tr( "Incidents and 311 requests of all dates" ),
                            5000 );
}

bool MainWindow::saveProject( QString *error )
{
  if ( !mProject )
  {
    if ( error )
      *error = tr( "No project is open." );
    return false;
  }
  if ( mProject->isReadOnly() )
  {
    if ( error )
      *error = tr( "%1 is open read-only; use Save As to keep your changes in a copy." ).arg( mProject->path() );
    return false;
  }
  QString storeError;
  bool ok = false;
  {
    // Writing styles and the project goes through the same GDAL datasets the map renderer reads
    // in its threads; QGIS 3.22 can deadlock when both happen at once, so no render runs meanwhile.
    CanvasWriteGuard guard( mCanvas, false );
    ok = ProjectLayers::store( mProject->path(), QgsProject::instance(), &storeError );
  }
  if ( !ok )
  {
    if ( error )
      *error = storeError;
    return false;
  }
  QgsProject::instance()->setDirty( false );
  statusBar()->showMessage( tr( "Saved %1" ).arg( mProject->path() ), 5000 );
  return true;
}

void MainWindow::saveProjectAs()
{
  if ( !mProject || mSaveAsTask )
    return;
  const QString dir = QFileInfo( mProject->path() ).absolutePath();
  QString path = QFileDialog::getSaveFileName( this, tr( "Save Project As" ), dir, tr( "StatDesk projects (*.gpkg)" ) );
  if ( path.isEmpty() )
    return;
  if ( !path.endsWith( QLatin1String( ".gpkg" ), Qt::CaseInsensitive ) )
    path += QLatin1String( ".gpkg" );
  path = QFileInfo( path ).absoluteFilePath();
  if ( path == QFileInfo( mProject->path() ).absoluteFilePath() )
  {
    if ( !mProject->isReadOnly() )
      mSaveAction->trigger();
    return;
  }
  auto *task = new SaveAsTask( mProject.get(), path );
  mSaveAsTask = task;
  connect( task, &QgsTask::taskCompleted, this, [this, task] { saveAsFinished( task, true ); } );
  connect( task, &QgsTask::taskTerminated, this, [this, task] { saveAsFinished( task, false ); } );
  updateActions();
  statusBar()->showMessage( tr( "Copying the project to %1…" ).arg( path ) );
  QgsApplication::taskManager()->addTask( task );
}

void MainWindow::saveAsFinished( SaveAsTask *task, bool ok )
{
  mSaveAsTask = nullptr;
  updateActions();
  statusBar()->clearMessage();
  if ( !ok )
  {
    QMessageBox::warning( this, tr( "Save As" ), tr( "The project could not be copied to %1: %2" ).arg( task->newPath(), task->errorString() ) );
    return;
  }
  // The file object now points at the copy (read-write); move the map's layers over and store
  // the current map (with any unsaved changes) in the copy. The original file is not touched.
  const QString newPath = mProject->path();
  const QList<QgsMapLayer *> layers = QgsProject::instance()->mapLayers().values();
  for ( QgsMapLayer *layer : layers )
  {
    auto *vl = qobject_cast<QgsVectorLayer *>( layer );
    const QString table = vl ? vl->customProperty( ProjectLayers::tableProperty() ).toString() : QString();
    if ( table.isEmpty() )
      continue;
    const QString subset = vl->subsetString();
    vl->setDataSource( QStringLiteral( "%1|layername=%2" ).arg( newPath, table ), vl->name(), QStringLiteral( "ogr" ), QgsDataProvider::ProviderOptions(), false );
    if ( vl->subsetString() != subset )
      vl->setSubsetString( subset );
  }
  mRtmDock->setProject( mProject.get() ); // points the RTM raster at the copy too
  QString error;
  if ( !saveProject( &error ) )
    QMessageBox::warning( this, tr( "Save As" ), tr( "The data was copied to %1, but the map could not be stored in it: %2" ).arg( newPath, error ) );
  addRecent( newPath );
  updateTitle();
  updateActions();
  mCanvas->refresh();
}

void MainWindow::newProject()
{
  if ( !maybeSave() )
    return;
  NewProjectDialog dialog( this );
  if ( dialog.exec() != QDialog::Accepted )
    return;
  QString error;
  QApplication::setOverrideCursor( Qt::WaitCursor );
  std::unique_ptr<ProjectFile> created = ProjectFile::create( dialog.filePath(), dialog.settings(), &error );
  QApplication::restoreOverrideCursor();
  if ( !created )
  {
    QMessageBox::warning( this, tr( "New Project" ), tr( "The project could not be created: %1" ).arg( error ) );
    return;
  }
  const QString path = created->path();
  created.reset(); // release the lock: openProject takes it again
  openProject( path );
}

void MainWindow::openProjectDialog()
{
  const QString dir = mProject ? QFileInfo( mProject->path() ).absolutePath() : QSettings().value( kLastDirKey ).toString();
  const QString path = QFileDialog::getOpenFileName( this, tr( "Open Project" ), dir, tr( "StatDesk projects (*.gpkg);;All files (*)" ) );
  if ( !path.isEmpty() )
    openProject( path );
}

void MainWindow::zoomToCurrentLayer()
{
  QgsMapLayer *layer = mLayerTreeView->currentLayer();
  if ( !layer )
  {
    statusBar()->showMessage( tr( "Select a layer in the Layers panel first." ), 4000 );
    return;
  }
  QgsRectangle extent = mCanvas->mapSettings().layerExtentToOutputExtent( layer, layer->extent() );
  if ( extent.isEmpty() )
  {
    if ( extent.isNull() )
    {
      statusBar()->showMessage( tr( "%1 has no features on the map." ).arg( layer->name() ), 4000 );
      return;
    }
    extent = extent.buffered( 100 ); // a single point
  }
  mCanvas->setExtent( extent, true );
  mCanvas->refresh();
}

void MainWindow::zoomFull()
{
  if ( !mProject )
    return;
  QgsRectangle extent = QgsProject::instance()->viewSettings()->defaultViewExtent();
  if ( extent.isNull() )
  {
    extent = mProject->fullExtent();
    if ( !extent.isNull() )
      extent = extent.buffered( std::max( extent.width(), extent.height() ) * 0.03 );
  }
  if ( extent.isNull() )
    extent = mCanvas->fullExtent();
  mCanvas->setExtent( extent );
  mCanvas->refresh();
}

void MainWindow::currentLayerChanged( QgsMapLayer *layer )
{
  if ( mAttributeDock->isVisible() )
    mAttributeDock->setLayer( qobject_cast<QgsVectorLayer *>( layer ) );
  mZoomLayerAction->setEnabled( layer && mProject );
}

void MainWindow::reloadLayers()
{
  // New rows in the tables: providers must forget cached counts and extents.
  const QList<QgsMapLayer *> layers = QgsProject::instance()->mapLayers().values();
  for ( QgsMapLayer *layer : layers )
  {
    layer->reload();
    if ( auto *vl = qobject_cast<QgsVectorLayer *>( layer ) )
      vl->updateExtents();
  }
  updateDataDateRange();
  if ( QgsVectorLayer *current = qobject_cast<QgsVectorLayer *>( mLayerTreeView->currentLayer() ) )
    if ( mAttributeDock->isVisible() )
    {
      mAttributeDock->setLayer( nullptr );
      mAttributeDock->setLayer( current );
    }
  mCanvas->refreshAllLayers();
}

bool MainWindow::createProjectFromSource( const QString &sourcePath, QString *error )
{
  ProjectFromSourceDialog dialog( sourcePath, this );
  if ( !dialog.isUsable() )
  {
    if ( error )
      *error = dialog.errorString();
    QMessageBox::warning( this, tr( "Create a Project" ), dialog.errorString() );
    return false;
  }
  if ( dialog.exec() != QDialog::Accepted )
    return false;
  if ( !openProject( dialog.projectPath(), ProjectFile::Mode::ReadWrite, true, error ) )
    return false;
  QMessageBox::information( this, tr( "Project Created" ), tr( "%1 was created from the layers of %2.\n\n%3" ).arg( QFileInfo( dialog.projectPath() ).fileName(), QFileInfo( sourcePath ).fileName(), dialog.summary() ) );
  return true;
}

void MainWindow::importData()
{
  if ( !mProject )
    return;
  auto *wizard = new ImportWizard( mProject.get(), this );
  wizard->setAttribute( Qt::WA_DeleteOnClose );
  connect( wizard, &ImportWizard::importFinished, this, &MainWindow::reloadLayers );
  wizard->show();
}

} // namespace statdesk
