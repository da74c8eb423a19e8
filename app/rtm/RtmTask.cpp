#include "rtm/RtmTask.h"

#include "project/ProjectFile.h"

namespace statdesk
{

RtmTask::RtmTask( const QString &projectPath, const rtm::RtmParameters &parameters )
    : QgsTask( tr( "Risk Terrain Modeling" ), QgsTask::CanCancel ), mPath( projectPath ), mParameters( parameters )
{
}

void RtmTask::cancel()
{
  mFeedback.cancel();
  QgsTask::cancel();
}

bool RtmTask::run()
{
  // Loading is a few percent of a run; the engine reports 0-100 for the rest.
  connect(
      &mFeedback, &QgsFeedback::progressChanged, this, [this]( double p )
      { setProgress( 5 + 0.95 * p ); },
      Qt::DirectConnection );
  std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadOnly, &mError );
  if ( !project )
    return false;
  rtm::RtmInputs inputs;
  if ( !rtm::loadRtmInputs( *project, mParameters, &inputs, &mError, &mFeedback ) )
    return false;
  project.reset();
  if ( isCanceled() )
    return false;
  mResult = rtm::runRtm( mParameters, inputs, &mFeedback );
  if ( !mResult.ok )
  {
    mError = mResult.error;
    return false;
  }
  // The raster and places for the project, written where saving them is only a copy.
  mTempDir = std::make_unique<QTemporaryDir>();
  QString mapError;
  if ( mTempDir->isValid() && rtm::prepareRtmMapTables( mResult, mTempDir->filePath( QStringLiteral( "rtm_map_tables.gpkg" ) ), &mapError ) )
    mMapTables = mTempDir->filePath( QStringLiteral( "rtm_map_tables.gpkg" ) );
  return !isCanceled();
}

} // namespace statdesk
