/**
 * \file BriefingDialog.h
 * File > Export Briefing PDF: the form for a PDF briefing (template, period, public or
 * restricted version, page, title, logo, an edited layout template), a preview of its pages
 * rendered from the very layout the PDF uses, and the export with progress and cancel.
 *
 * A thin view over core/briefing: the form fills BriefingOptions, the default period comes
 * from BriefingPeriod (as for statdesk-cli briefing), previews and the export run in QgsTasks
 * (BriefingTasks.h). GUI thread only; does not own the ProjectFile, which must outlive it.
 */
#pragma once

#include "briefing/Briefing.h"

#include <QDate>
#include <QDialog>
#include <QImage>
#include <QMap>
#include <QPointer>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QScrollArea;
class QSpinBox;
class QTimer;

namespace statdesk
{

class BriefingExportTask;
class BriefingPreviewTask;
class ProjectFile;

class BriefingDialog : public QDialog
{
  Q_OBJECT
public:
  /**
   * A dialog for \a project. \a filterFrom / \a filterTo are the main window's date filter
   * (null: open end); when either is set it is the dialog's first choice of period.
   */
  BriefingDialog( ProjectFile *project, const QDate &filterFrom, const QDate &filterTo, QWidget *parent = nullptr );
  ~BriefingDialog() override;

  //! The options the form describes; null dates where the core default applies.
  BriefingOptions options() const;
  //! The period the options resolve to (what the pages will say).
  BriefingPeriod period() const;

  /**
   * Starts exporting the PDF to \a pdfPath in a task (the Export button asks for the path
   * first). False when an export is already running.
   */
  bool exportTo( const QString &pdfPath );
  bool isExporting() const { return !mExportTask.isNull(); }
  //! The result of the last finished export.
  const BriefingResult &lastExport() const { return mLastExport; }

  //! The page shown (0-based), the page count of the last preview (0 before the first) and its image.
  int previewPage() const { return mPage; }
  int previewPageCount() const { return mPageCount; }
  QImage previewImage() const { return mPreviewImages.value( mPage ); }

signals:
  //! A preview task finished (ok false: failed or cancelled; the status line says why).
  void previewFinished( bool ok );
  void exportFinished( bool ok );

public slots:
  //! Renders the current page again (the form's options as they are now).
  void refreshPreview();
  void nextPage();
  void previousPage();

protected:
  //! Closing cancels a running preview or export (an export cancelled leaves no PDF behind).
  void reject() override;
  //! Keeps the preview page fitted to its area.
  bool eventFilter( QObject *watched, QEvent *event ) override;

private:
  enum class PeriodChoice
  {
    Default,   //!< BriefingPeriod::defaultPeriod for the version chosen
    MapFilter, //!< the main window's date filter
    Custom,
  };

  void buildForm( QWidget *form );
  QWidget *buildPreview();
  //! Something in the form changed: texts follow, cached pages are dropped, a preview is scheduled.
  void optionsChanged();
  void updateTexts();
  void showPage();
  //! Shows the current page's image scaled to the preview area.
  void fitPreview();
  void startPreview();
  void previewDone( BriefingPreviewTask *task, bool ok );
  void exportDone( BriefingExportTask *task, bool ok );
  void chooseExportFile();
  void chooseLogo();
  void chooseLayoutTemplate();
  void saveBuiltInTemplate();
  QString defaultTitle( BriefingTemplate kind ) const;
  BriefingTemplate mShownKind = BriefingTemplate::Citywide; //!< template of the pages cached below

  ProjectFile *mProject = nullptr;
  QDate mFilterFrom;
  QDate mFilterTo;

  QComboBox *mTemplate = nullptr;
  QComboBox *mPeriodChoice = nullptr;
  QDateEdit *mFrom = nullptr;
  QDateEdit *mTo = nullptr;
  QLabel *mPeriodText = nullptr;
  QRadioButton *mRestricted = nullptr;
  QRadioButton *mPublic = nullptr;
  QSpinBox *mThreshold = nullptr;
  QLabel *mModeText = nullptr;
  QComboBox *mPageSize = nullptr;
  QComboBox *mOrientation = nullptr;
  QLineEdit *mTitle = nullptr;
  QLineEdit *mLogo = nullptr;
  QLineEdit *mLayoutTemplate = nullptr;

  QScrollArea *mPreviewArea = nullptr;
  QLabel *mPreviewLabel = nullptr;
  QLabel *mPageText = nullptr;
  QPushButton *mPrevious = nullptr;
  QPushButton *mNext = nullptr;
  QLabel *mPreviewStatus = nullptr;
  QTimer *mPreviewTimer = nullptr;

  QPushButton *mExport = nullptr;
  QPushButton *mCancelExport = nullptr;
  QProgressBar *mProgress = nullptr;
  QLabel *mExportStatus = nullptr;
  QPushButton *mOpenPdf = nullptr;

  QPointer<BriefingPreviewTask> mPreviewTask;
  QPointer<BriefingExportTask> mExportTask;
  BriefingResult mLastExport;
  int mPage = 0;
  int mPageCount = 0;
  int mGeneration = 0;              //!< bumped when the options change: older previews are stale
  QMap<int, QImage> mPreviewImages; //!< pages rendered for the current options
};

} // namespace statdesk
