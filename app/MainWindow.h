/**
 * \file MainWindow.h
 * The StatDesk main window: map canvas, layer tree with legend, map tools, identify,
 * attribute table, date filter and the File menu around one project file.
 */
#pragma once

#include "project/ProjectFile.h"

#include <QDate>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QgsLayerTreeMapCanvasBridge;
class QgsLayerTreeView;
class QgsMapCanvas;
class QgsMapLayer;
class QgsMapTool;
class QgsVectorLayer;

namespace statdesk
{

class AttributeTableDock;
class ClusterDock;
class GrantsDock;
class RtmDock;
class CoordinateWidget;
class DateRangeWidget;
class IdentifyDock;
class IdentifyTool;
class MeasureTool;
class SaveAsTask;
class ScaleWidget;

/**
 * The main window. Owns the open ProjectFile (its lock and SQLite connection) and shows its
 * QGIS project, which lives in QgsProject::instance() (the layer tree, canvas bridge and QGIS
 * widgets expect that). Layer styles come from core (ProjectLayers); the window never restyles.
 *
 * GUI thread only. Long work (Save As, counts) runs in QgsTasks.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT
  public:
    explicit MainWindow( QWidget *parent = nullptr );
    ~MainWindow() override;

    /**
     * Opens the project at \a path and shows its map. With \a interactive, failures are
     * explained in message boxes (and a locked or read-only file is offered read-only);
     * otherwise they are only returned in \a error. The current project stays open when
     * the new one cannot be opened.
     */
    bool openProject( const QString &path, ProjectFile::Mode mode = ProjectFile::Mode::ReadWrite, bool interactive = true, QString *error = nullptr );

    /**
     * Offers a new project made from the layers of \a sourcePath (a GeoPackage that is not a
     * project) and opens it; false when the user cancels or it fails (\a error says why).
     */
    bool createProjectFromSource( const QString &sourcePath, QString *error = nullptr );

    //! Writes the map (layer tree, styles, view, date filter) into the project file.
    bool saveProject( QString *error = nullptr );

    //! Restricts incidents and 311 requests to [\a from, \a to] (null: open end), remembered in the project.
    void setDateFilter( const QDate &from, const QDate &to );

    ProjectFile *project() const { return mProject.get(); }
    QgsMapCanvas *canvas() const { return mCanvas; }
    QgsLayerTreeView *layerTreeView() const { return mLayerTreeView; }
    IdentifyTool *identifyTool() const { return mIdentifyTool; }
    IdentifyDock *identifyDock() const { return mIdentifyDock; }
    AttributeTableDock *attributeTableDock() const { return mAttributeDock; }
    DateRangeWidget *dateRangeWidget() const { return mDateRange; }
    MeasureTool *measureTool() const { return mMeasureTool; }
    ClusterDock *clusterDock() const { return mClusterDock; }

    //! Recent project files, newest first, missing files dropped.
    static QStringList recentProjects();

  protected:
    void closeEvent( QCloseEvent *event ) override;

  private:
    void createActions();
    void createMenusAndToolbars();
    void createDocks();
    void createStatusBar();
    void restoreWindowState();
    void updateTitle();
    void updateActions();
    void updateRecentMenu();
    void addRecent( const QString &path );
    void readDateFilterFromProject();
    void updateDataDateRange();
    //! Asks to save a changed map; false when the user cancels.
    bool maybeSave();
    void closeProject();
    void setMapTool( QgsMapTool *tool );

    void newProject();
    void openProjectDialog();
    void saveProjectAs();
    void saveAsFinished( SaveAsTask *task, bool ok );
    void zoomToCurrentLayer();
    void zoomFull();
    void currentLayerChanged( QgsMapLayer *layer );
    void reloadLayers();
    void importData();

    std::unique_ptr<ProjectFile> mProject;
    QgsMapCanvas *mCanvas = nullptr;
    QgsLayerTreeView *mLayerTreeView = nullptr;
    QgsLayerTreeMapCanvasBridge *mBridge = nullptr;
    IdentifyDock *mIdentifyDock = nullptr;
    AttributeTableDock *mAttributeDock = nullptr;
    GrantsDock *mGrantsDock = nullptr;
    RtmDock *mRtmDock = nullptr;
    ClusterDock *mClusterDock = nullptr;
    QDockWidget *mLayersDock = nullptr;
    DateRangeWidget *mDateRange = nullptr;
    CoordinateWidget *mCoordinates = nullptr;
    ScaleWidget *mScale = nullptr;
    QLabel *mMeasureLabel = nullptr;

    QgsMapTool *mPanTool = nullptr;
    QgsMapTool *mZoomInTool = nullptr;
    QgsMapTool *mZoomOutTool = nullptr;
    IdentifyTool *mIdentifyTool = nullptr;
    MeasureTool *mMeasureTool = nullptr;

    QAction *mNewAction = nullptr;
    QAction *mOpenAction = nullptr;
    QAction *mSaveAction = nullptr;
    QAction *mSaveAsAction = nullptr;
    QAction *mImportAction = nullptr;
    QAction *mBriefingAction = nullptr;
    QAction *mQuitAction = nullptr;
    QAction *mPanAction = nullptr;
    QAction *mZoomInAction = nullptr;
    QAction *mZoomOutAction = nullptr;
    QAction *mZoomLayerAction = nullptr;
    QAction *mZoomFullAction = nullptr;
    QAction *mIdentifyAction = nullptr;
    QAction *mMeasureAction = nullptr;
    QActionGroup *mToolGroup = nullptr;
    QMenu *mRecentMenu = nullptr;

    QPointer<SaveAsTask> mSaveAsTask;
    bool mCanvasStateRestored = false;
    QDate mFilterFrom;
    QDate mFilterTo;
};

/**
 * Waits (running the event loop) until \a canvas has finished rendering and stayed idle for a
 * short while, at most \a timeoutMs. Used by --screenshot and the tests; false on timeout.
 */
bool waitForCanvasRendered( QgsMapCanvas *canvas, int timeoutMs );

} // namespace statdesk
