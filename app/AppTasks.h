/**
 * \file AppTasks.h
 * Background jobs of the desktop app. Each wraps a synchronous core call in a QgsTask so the
 * window stays responsive; results are read in the GUI thread after taskCompleted/taskTerminated.
 */
#pragma once

#include <QPointer>
#include <QString>

#include <qgsfeaturerequest.h>
#include <qgstaskmanager.h>

#include <memory>

class QgsVectorLayer;
class QgsVectorLayerFeatureSource;

namespace statdesk
{

class ProjectFile;

/**
 * Copies the project file to a new path (ProjectFile::saveAs) off the GUI thread.
 *
 * The task borrows \a project: the caller must not use it until the task has finished
 * (the main window disables its file actions meanwhile).
 */
class SaveAsTask : public QgsTask
{
    Q_OBJECT
  public:
    SaveAsTask( ProjectFile *project, const QString &newPath );
    QString errorString() const { return mError; }
    QString newPath() const { return mNewPath; }

  protected:
    bool run() override;

  private:
    ProjectFile *mProject = nullptr;
    QString mNewPath;
    QString mError;
};

/**
 * Counts the features of a layer matching a request, on a feature source snapshot taken in
 * the GUI thread at construction (the QGIS way to read a layer from another thread).
 */
class FeatureCountTask : public QgsTask
{
    Q_OBJECT
  public:
    FeatureCountTask( QgsVectorLayer *layer, const QgsFeatureRequest &request );
    ~FeatureCountTask() override;
    qint64 count() const { return mCount; }

  protected:
    bool run() override;

  private:
    std::unique_ptr<QgsVectorLayerFeatureSource> mSource;
    QgsFeatureRequest mRequest;
    qint64 mCount = 0;
};

} // namespace statdesk
