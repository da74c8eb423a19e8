/**
 * \file ProjectFromSourceDialog.h
 * What the app offers when a user opens a GeoPackage that is not a StatDesk project: a new
 * project made from its layers, each imported as crime, 311, vacant, dangerous, neighborhoods
 * or boundary records, copied as it is, or left out (core: ingest/ProjectFromGeoPackage.h).
 */
#pragma once

#include "ingest/ProjectFromGeoPackage.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTableWidget;
class QgsProjectionSelectionWidget;

namespace statdesk
{

class ProjectFromSourceTask;

/**
 * Lists the source's layers with a suggested target each, asks for the city, CRS, time zone
 * and the new file, then creates the project in a QgsTask with progress and cancel. The source
 * is only read; a failed or canceled run leaves no new file. After accept(), projectPath() is
 * the project to open and summary() says what was brought in.
 */
class ProjectFromSourceDialog : public QDialog
{
    Q_OBJECT
  public:
    explicit ProjectFromSourceDialog( const QString &sourcePath, QWidget *parent = nullptr );

    //! False when the source could not be read (the reason is in errorString()).
    bool isUsable() const { return !mLayers.isEmpty(); }
    QString errorString() const { return mError; }

    //! The plan as the widgets say now.
    ingest::ProjectFromSourcePlan plan() const;
    //! Sets the target of \a layer (one of ingest::layerTargets()); false when there is no such layer.
    bool setTarget( const QString &layer, const QString &target );
    void setProjectPath( const QString &path );

    QString projectPath() const;
    QString summary() const { return mSummary; }

    //! Starts the task (what the Create button does).
    void create();
    void reject() override;

  private:
    void browse();
    void finished( bool ok );

    QString mSourcePath;
    QVector<ingest::SourceLayerInfo> mLayers;
    QString mError;
    QString mSummary;
    QTableWidget *mTable = nullptr;
    QLineEdit *mCityName = nullptr;
    QgsProjectionSelectionWidget *mCrs = nullptr;
    QComboBox *mTimeZone = nullptr;
    QLineEdit *mPath = nullptr;
    QLabel *mMessage = nullptr;
    QProgressBar *mProgress = nullptr;
    QDialogButtonBox *mButtons = nullptr;
    QPointer<ProjectFromSourceTask> mTask;
};

} // namespace statdesk
