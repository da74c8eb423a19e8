/**
 * \file ClusterRunTask.h
 * A clustering run in the task manager's thread: reads the points, runs the method, computes the
 * cards (runClusterAnalysis) and, unless the project is read-only, saves the run in one
 * transaction (saveClusterRun). cancel() reaches the engine and the save: a cancelled run
 * leaves the project as it was.
 *
 * Borrows the project: the panel does not close it while the task runs (it cancels and waits).
 */
#pragma once

#include "clustering/ClusterRun.h"

#include <qgsfeedback.h>
#include <qgstaskmanager.h>

namespace statdesk
{
class ProjectFile;

class ClusterRunTask : public QgsTask
{
  Q_OBJECT
public:
  ClusterRunTask( ProjectFile *project, const clustering::ClusterRunSpec &spec, const QString &name );

  void cancel() override;
  bool wasCanceled() const { return mFeedback.isCanceled(); }
  //! The result (read it in the GUI thread after taskCompleted / taskTerminated).
  const clustering::ClusterAnalysis &analysis() const { return mAnalysis; }
  //! Why the run could not be saved (empty when it was, or the project is read-only).
  QString saveError() const { return mSaveError; }

protected:
  bool run() override;

private:
  ProjectFile *mProject = nullptr;
  clustering::ClusterRunSpec mSpec;
  QString mName;
  QgsFeedback mFeedback;
  clustering::ClusterAnalysis mAnalysis;
  QString mSaveError;
  bool mSaving = false; //!< progress belongs to the save (task thread only)
};

} // namespace statdesk
