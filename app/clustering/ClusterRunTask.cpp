#include "clustering/ClusterRunTask.h"

#include "clustering/ClusterStore.h"
#include "project/ProjectFile.h"

namespace statdesk
{

ClusterRunTask::ClusterRunTask( ProjectFile *project, const clustering::ClusterRunSpec &spec, const QString &name )
    : QgsTask( tr( "Clustering: %1" ).arg( clustering::clusterMethodTitle( spec.method ) ), QgsTask::CanCancel ), mProject( project ), mSpec( spec ), mName( name )
{
}

void ClusterRunTask::cancel()
{
  mFeedback.cancel();
  QgsTask::cancel();
}

bool ClusterRunTask::run()
{
  // Analysis 0-90 %, saving 90-100 %.
  connect(
      &mFeedback, &QgsFeedback::progressChanged, this, [this]( double p )
      { setProgress( mSaving ? 90 + 0.1 * p : 0.9 * p ); },
      Qt::DirectConnection );
  mAnalysis = clustering::runClusterAnalysis( *mProject, mSpec, &mFeedback );
  mAnalysis.name = mName;
  if ( !mAnalysis.ok )
    return false;
  if ( mProject->isReadOnly() )
    return true;
  mSaving = true;
  if ( clustering::saveClusterRun( *mProject, mAnalysis, &mFeedback, &mSaveError ) < 0 && mFeedback.isCanceled() )
  {
    mAnalysis.ok = false;
    mAnalysis.canceled = true;
    mAnalysis.errorString = mSaveError;
    return false;
  }
  return true;
}

} // namespace statdesk
