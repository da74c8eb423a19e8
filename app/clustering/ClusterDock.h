/**
 * \file ClusterDock.h
 * The Task Force clustering panel: a point layer of the project with a filter (violent offenses
 * in the main window's date range by default), a method with its parameters, a background run
 * with progress and cancel, the results on the map (cluster polygons, Gi* / persistence grid,
 * near-repeat chains) in a "Clustering results" group, a sortable cluster table, the card of the
 * selected cluster with its hour x day heat grid, the Knox tables for near-repeat runs, the
 * saved runs to reopen or delete, and the export of the clusters with their cards.
 *
 * A thin view over core/clustering (ClusterRun, ClusterStore, ClusterLayers): every number it
 * shows comes from there. Does not own the ProjectFile, the canvas or the date widget; call
 * setProject() when the project changes. GUI thread only.
 */
#pragma once

#include "clustering/ClusterRun.h"

#include <QDockWidget>
#include <QPointer>

#include <memory>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QStandardItemModel;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTableWidget;
class QgsHighlight;
class QgsLayerTreeGroup;
class QgsMapCanvas;
class QgsVectorLayer;

namespace statdesk
{
class ClusterRunTask;
class DateRangeWidget;
class HourDayGrid;
class ProjectFile;

class ClusterDock : public QDockWidget
{
  Q_OBJECT
public:
  explicit ClusterDock( QgsMapCanvas *canvas, QWidget *parent = nullptr );
  ~ClusterDock() override;

  //! The main window's date filter, whose range runs use by default (may be null: all dates).
  void setDateRangeWidget( DateRangeWidget *dates );

  //! Points the panel at another project (nullptr = none); a running analysis is cancelled first.
  void setProject( ProjectFile *project );

  //! What the panel would run now (layer, filter, dates, method, parameters).
  clustering::ClusterRunSpec spec() const;
  //! The run shown in the results tab (ok = false when none).
  const clustering::ClusterAnalysis &shownRun() const { return mRun; }
  //! The card of the selected cluster (incidents = 0 when none is selected).
  const clustering::ClusterCard &shownCard() const { return mCard; }
  bool isRunning() const { return !mTask.isNull(); }
  //! The map layers of the shown run (polygons first), for the tests and the main window.
  QList<QgsVectorLayer *> resultLayers() const;

signals:
  //! The background run ended (ok false: failed or cancelled); the results tab shows it when ok.
  void runFinished( bool ok );

public slots:
  //! Starts a background run with the current parameters (saved in the project unless it is read-only).
  void runAnalysis();
  void cancelAnalysis();
  //! Shows a saved run. False (with a message in the status line) when it cannot be read.
  bool openRun( qint64 runId );
  //! Deletes a saved run without asking (the Delete button asks first).
  bool deleteRun( qint64 runId );
  //! Writes the shown clusters with their cards to a .gpkg or .csv file.
  bool exportRun( const QString &path );

protected:
  void showEvent( QShowEvent *event ) override;

private:
  QWidget *buildRunTab();
  QWidget *buildResultsTab();
  QWidget *buildSavedTab();
  void taskFinished( bool ok );
  void showRun( const clustering::ClusterAnalysis &run );
  void showCluster( int clusterId );
  void updateCard();
  void updateDatesLabel();
  void refreshSavedRuns();
  void fillClusterTable();
  void fillKnoxTables();
  void addResultLayers();
  void removeResultLayers();
  //! The layer tree group of the results (also one restored with a saved map), or nullptr.
  QgsLayerTreeGroup *resultsGroup();
  void setStatus( const QString &text );

  ProjectFile *mProject = nullptr;
  QPointer<QgsMapCanvas> mCanvas;
  QPointer<DateRangeWidget> mDates;
  QPointer<ClusterRunTask> mTask;
  clustering::ClusterAnalysis mRun;
  clustering::PersistenceLookup mPersistence; //!< for cards of the shown run
  clustering::ClusterCard mCard;
  int mSelectedCluster = -1;
  QList<QPointer<QgsVectorLayer>> mLayers;
  std::unique_ptr<QgsHighlight> mHighlight;

  QTabWidget *mTabs = nullptr;
  // run tab
  QComboBox *mLayer = nullptr;
  QLineEdit *mFilter = nullptr;
  QCheckBox *mUseMainDates = nullptr;
  QDateEdit *mFrom = nullptr;
  QDateEdit *mTo = nullptr;
  QLabel *mDatesLabel = nullptr;
  QComboBox *mMethod = nullptr;
  QStackedWidget *mPages = nullptr;
  QDoubleSpinBox *mEps = nullptr;
  QSpinBox *mDbscanMin = nullptr;
  QDoubleSpinBox *mStEps = nullptr;
  QDoubleSpinBox *mStDays = nullptr;
  QSpinBox *mStMin = nullptr;
  QDoubleSpinBox *mNnhP = nullptr;
  QDoubleSpinBox *mNnhFixed = nullptr;
  QSpinBox *mNnhMin = nullptr;
  QSpinBox *mNnhOrder = nullptr;
  QSpinBox *mNnhRuns = nullptr;
  QDoubleSpinBox *mKnoxDistance = nullptr;
  QSpinBox *mKnoxDistanceBands = nullptr;
  QDoubleSpinBox *mKnoxDays = nullptr;
  QSpinBox *mKnoxDayBands = nullptr;
  QSpinBox *mKnoxIterations = nullptr;
  QSpinBox *mKnoxSeed = nullptr;
  QCheckBox *mKnoxNrc = nullptr;
  QDoubleSpinBox *mChainDistance = nullptr;
  QDoubleSpinBox *mChainDays = nullptr;
  QSpinBox *mChainMin = nullptr;
  QDoubleSpinBox *mGiCell = nullptr;
  QDoubleSpinBox *mGiBand = nullptr;
  QCheckBox *mGiFdr = nullptr;
  QComboBox *mGiMinBin = nullptr;
  QDoubleSpinBox *mPersistCell = nullptr;
  QDoubleSpinBox *mPersistPeriod = nullptr;
  QSpinBox *mPersistRecent = nullptr;
  QCheckBox *mPersistFdr = nullptr;
  QComboBox *mShape = nullptr;
  QDoubleSpinBox *mBuffer = nullptr;
  QDoubleSpinBox *mEnvironment = nullptr;
  QLineEdit *mRunName = nullptr;
  QPushButton *mRunButton = nullptr;
  QPushButton *mCancelButton = nullptr;
  QProgressBar *mProgress = nullptr;
  QLabel *mStatus = nullptr;
  // results tab
  QLabel *mRunHeader = nullptr;
  QStandardItemModel *mModel = nullptr;
  QSortFilterProxyModel *mProxy = nullptr;
  QTableView *mTable = nullptr;
  QDoubleSpinBox *mCardDistance = nullptr;
  QLabel *mCardText = nullptr;
  HourDayGrid *mHourGrid = nullptr;
  QWidget *mKnoxBox = nullptr;
  QTableWidget *mKnoxTable = nullptr;
  QLabel *mKnoxNarrative = nullptr;
  QPushButton *mExportButton = nullptr;
  // saved tab
  QTableWidget *mSavedRuns = nullptr;
};

} // namespace statdesk
