#include "MapImage.h"

#include <QElapsedTimer>

#include <qgslayertree.h>
#include <qgsmaprendererparalleljob.h>
#include <qgsmapsettings.h>
#include <qgsproject.h>
#include <qgsprojectviewsettings.h>
#include <qgsreferencedgeometry.h>

namespace statdesk
{

QgsMapSettings mapSettingsForProject( QgsProject *project, const QSize &size, const QgsRectangle &extent )
{
  QgsMapSettings settings;
  settings.setOutputSize( size );
  settings.setOutputDpi( 96 );
  settings.setDestinationCrs( project->crs() );
  settings.setBackgroundColor( QColor( 250, 250, 247 ) );
  settings.setFlag( Qgis::MapSettingsFlag::Antialiasing, true );
  settings.setFlag( Qgis::MapSettingsFlag::DrawLabeling, true );
  settings.setLayers( project->layerTreeRoot()->checkedLayers() );
  settings.setTransformContext( project->transformContext() );
  QgsRectangle view = extent;
  if ( view.isNull() )
  {
    view = project->viewSettings()->defaultViewExtent();
    if ( view.isNull() )
      view = settings.fullExtent();
  }
  settings.setExtent( view );
  return settings;
}

QImage renderMap( const QgsMapSettings &settings, qint64 *renderMs )
{
  QElapsedTimer timer;
  timer.start();
  QgsMapRendererParallelJob job( settings );
  job.start();
  job.waitForFinished();
  if ( renderMs )
    *renderMs = timer.elapsed();
  return job.renderedImage();
}

} // namespace statdesk
