/**
 * \file ImportWizard.h
 * The import wizard: pick a file, see its first rows with the detected layout and column
 * mapping, run the import as a background task, read the summary.
 */
#pragma once

#include "ingest/Importer.h"

#include <QPointer>
#include <QWizard>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace statdesk
{

class ProjectFile;
class ImportTask;

/**
 * A modal wizard over ingest::Importer. The import runs in a QgsTask on \a project's connection:
 * while it runs the wizard keeps the user on the progress page (Cancel cancels the import, which
 * rolls back), so nothing else writes to the project. The project is not owned.
 * importFinished() is emitted after a successful import so the app can refresh its layers.
 */
class ImportWizard : public QWizard
{
    Q_OBJECT

  public:
    ImportWizard( ProjectFile *project, QWidget *parent = nullptr );
    ~ImportWizard() override;

    //! Preselects a file (and kind); used by drag and drop and tests.
    void setFile( const QString &path, ingest::ImportKind kind );
    //! The summary of the last import (valid after the progress page finished).
    ingest::ImportSummary summary() const { return mSummary; }

  signals:
    void importFinished();

  protected:
    void reject() override;

  private:
    friend class ImportFilePage;
    friend class ImportPreviewPage;
    friend class ImportRunPage;
    enum PageId
    {
      FilePage,
      PreviewPage,
      RunPage,
      SummaryPage,
    };

    ingest::ImportOptions options() const;
    void startImport();
    void taskDone( bool ok );

    ProjectFile *mProject = nullptr;
    QComboBox *mKind = nullptr;
    QLineEdit *mFile = nullptr;
    QComboBox *mMapping = nullptr;
    QLabel *mLayoutLabel = nullptr;
    QTableWidget *mPreviewTable = nullptr;
    QTableWidget *mMappingTable = nullptr;
    QProgressBar *mProgress = nullptr;
    QLabel *mRunLabel = nullptr;
    QPushButton *mCancel = nullptr;
    QPlainTextEdit *mSummaryText = nullptr;
    QPointer<ImportTask> mTask;
    bool mRunning = false;
    bool mDone = false;
    ingest::ImportPreview mPreview;
    ingest::ImportSummary mSummary;
};

} // namespace statdesk
