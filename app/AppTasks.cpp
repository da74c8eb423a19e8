#include "AppTasks.h"

#include "project/ProjectFile.h"

#include <qgsvectorlayer.h>
#include <qgsvectorlayerfeatureiterator.h>

namespace statdesk
{

SaveAsTask::SaveAsTask( ProjectFile *project, const QString &newPath )
  : QgsTask( tr( "Saving project as %1" ).arg( newPath ), QgsTask::Flags() )
  , mProject( project )
  , mNewPath( newPath )
{
}

bool SaveAsTask::run()
{
  // One SQLite backup step: not cancellable midway, but the copy goes to a temporary file
  // renamed into place, so stopping the app meanwhile leaves nothing half-written.
  return mProject->saveAs( mNewPath, &mError );
}

FeatureCountTask::FeatureCountTask( QgsVectorLayer *layer, const QgsFeatureRequest &request )
  : QgsTask( tr( "Counting features of %1" ).arg( layer->name() ), QgsTask::CanCancel )
  , mSource( std::make_unique<QgsVectorLayerFeatureSource>( layer ) )
  , mRequest( request )
{
  mRequest.setFlags( mRequest.flags() | QgsFeatureRequest::NoGeometry );
  mRequest.setNoAttributes();
  if ( mRequest.filterExpression() )
    mRequest.setSubsetOfAttributes( mRequest.filterExpression()->referencedColumns(), layer->fields() );
}

FeatureCountTask::~FeatureCountTask() = default;

bool FeatureCountTask::run()
{
  QgsFeatureIterator it = mSource->getFeatures( mRequest );
  QgsFeature f;
  while ( it.nextFeature( f ) )
  {
    if ( ( ++mCount & 0x3ff ) == 0 && isCanceled() )
      return false;
  }
  return true;
}

} // namespace statdesk
