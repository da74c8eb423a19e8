/**
 * \file RtmDock.h
 * The Risk Terrain Modeling panel: collects the parameters (outcome and windows, study area,
 * risk factors, block length, cell size, seed), runs core/rtm in an RtmTask with progress and
 * cancel, saves each run in the project (rtm_runs and the run's map tables, one transaction),
 * shows the model table, family and BICs, risk classes, validation against KDE and prior
 * counts, the narrative, and puts the relative risk score raster and the high-risk and priority
 * places on the map in a "Risk Terrain Modeling" group. Saved runs can be reopened, compared
 * two at a time, exported (design matrix CSV, RRS GeoTIFF, tables CSV) and deleted.
 *
 * A thin view: the computation, the storage and the comparison live in core/rtm. Does not own
 * the ProjectFile or the canvas; call setProject() when the project changes. The map layers go
 * to QgsProject::instance(), like the rest of the window's. GUI thread only.
 */
#pragma once

#include "rtm/RtmEngine.h"

#include <QDockWidget>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;
class QgsMapCanvas;

namespace statdesk
{
class ProjectFile;
class RiskFactorTable;
class RtmTask;

class RtmDock : public QDockWidget
{
  Q_OBJECT
public:
  enum class Export
  {
    DesignCsv,  //!< design matrix and counts, one row per cell
    RrsGeoTiff, //!< the relative risk score raster
    TablesCsv,  //!< model table, risk classes and validation (a folder of CSVs)
  };

  explicit RtmDock( QgsMapCanvas *canvas, QWidget *parent = nullptr );
  ~RtmDock() override;

  //! Points the panel at another project (nullptr = none): defaults, saved runs, no result shown.
  void setProject( ProjectFile *project );

  //! The parameters in the widgets; false with a message naming what is wrong.
  bool parameters( rtm::RtmParameters *parameters, QString *error ) const;
  void setParameters( const rtm::RtmParameters &parameters );

  bool isRunning() const;
  QSize sizeHint() const override;
  //! Id of the saved run shown in the results, -1 for none or an unsaved run.
  qint64 shownRunId() const { return mShownRunId; }

  //! Writes an export of the shown run to \a path (a folder for TablesCsv).
  bool exportShown( Export kind, const QString &path, QString *error );

signals:
  //! A run started from the panel ended: \a ok when it was computed (and saved, if the project is writable).
  void runFinished( bool ok );

public slots:
  void run();
  void cancel();
  void resetDefaults();
  void openSelectedRun();
  void compareSelectedRuns();
  void deleteSelectedRun();

private:
  QWidget *buildSetupTab();
  QWidget *buildResultsTab();
  QWidget *buildRunsTab();
  void fillLayerChoices();
  void outcomeLayerChanged();
  void areaPresetChanged();
  void taskFinished( RtmTask *task, bool ok );
  void showResult( const rtm::RtmParameters &parameters, const rtm::RtmResult &result, const QString &unit, qint64 runId, const QString &title );
  void refreshRuns();
  QList<qint64> selectedRunIds() const;
  //! Adds the layers of saved run \a runId (once) in the results group and shows only them.
  void addRunLayers( qint64 runId, const QString &name, const std::vector<rtm::RiskClass> &classes );
  void removeRunLayers( qint64 runId );
  //! Points RTM layers stored in the map at the current file (after Save As or a moved file).
  void repointLayers();
  void exportWithDialog( Export kind );
  void updateButtons();
  QString distanceUnit() const;

  ProjectFile *mProject = nullptr;
  QPointer<QgsMapCanvas> mCanvas;
  QPointer<RtmTask> mTask;
  bool mCancelRequested = false;
  rtm::RtmParameters mHidden; //!< parameters without a widget (density threshold, hot-spot radius, threads)

  QTabWidget *mTabs = nullptr;
  // Setup
  QLabel *mDefaultsNote = nullptr;
  QComboBox *mOutcomeLayer = nullptr;
  QLineEdit *mOutcomeFilter = nullptr;
  QComboBox *mDateColumn = nullptr;
  QCheckBox *mTrainWindow = nullptr;
  QDateEdit *mTrainFrom = nullptr;
  QDateEdit *mTrainTo = nullptr;
  QCheckBox *mValidate = nullptr;
  QDateEdit *mTestFrom = nullptr;
  QDateEdit *mTestTo = nullptr;
  QComboBox *mAreaPreset = nullptr;
  QComboBox *mAreaLayer = nullptr;
  QLineEdit *mAreaFilter = nullptr;
  RiskFactorTable *mFactors = nullptr;
  QDoubleSpinBox *mBlockLength = nullptr;
  QDoubleSpinBox *mCellSize = nullptr;
  QLineEdit *mSeed = nullptr;
  QComboBox *mNegativeBinomial = nullptr;
  QDoubleSpinBox *mAlpha = nullptr;
  QSpinBox *mFolds = nullptr;
  QLineEdit *mRunName = nullptr;
  QPushButton *mRunButton = nullptr;
  QPushButton *mCancelButton = nullptr;
  QProgressBar *mProgress = nullptr;
  QLabel *mStatus = nullptr;
  // Results
  QLabel *mResultTitle = nullptr;
  QLabel *mFamily = nullptr;
  QTableWidget *mModel = nullptr;
  QTableWidget *mClasses = nullptr;
  QTableWidget *mValidation = nullptr;
  QPlainTextEdit *mNarrative = nullptr;
  QList<QPushButton *> mExportButtons;
  // Saved runs
  QTableWidget *mRuns = nullptr;
  QList<QPushButton *> mRunButtons;

  rtm::RtmParameters mShownParameters;
  rtm::RtmResult mShownResult;
  qint64 mShownRunId = -1;
};

} // namespace statdesk
