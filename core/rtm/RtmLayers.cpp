// rtm: QGIS layers of a saved run (see RtmLayers.h).
#include "RtmLayers.h"
#include "RtmRuns.h"

#include "project/ProjectLayers.h"

#include <qgscolorrampshader.h>
#include <qgsfillsymbol.h>
#include <qgsrasterlayer.h>
#include <qgsrastershader.h>
#include <qgssinglebandpseudocolorrenderer.h>
#include <qgssinglesymbolrenderer.h>
#include <qgsvectorlayer.h>

#include <limits>

namespace statdesk::rtm
{

const char *rtmRunProperty()
{
  return "statdesk/rtmRun";
}

QString rtmRasterSource( const QString &gpkgPath, qint64 runId )
{
  return QStringLiteral( "GPKG:%1:%2" ).arg( gpkgPath, rtmRasterTable( runId ) );
}

std::unique_ptr<QgsRasterLayer> makeRrsLayer( const QString &gpkgPath, qint64 runId, const std::vector<RiskClass> &classes, const QString &name, QString *error )
{
  auto layer = std::make_unique<QgsRasterLayer>( rtmRasterSource( gpkgPath, runId ), name, QStringLiteral( "gdal" ) );
  if ( !layer->isValid() )
  {
    *error = QObject::tr( "Cannot read the risk raster %1 of %2: %3" ).arg( rtmRasterTable( runId ), gpkgPath, layer->error().message( QgsErrorMessage::Text ) );
    return nullptr;
  }
  layer->setCustomProperty( ProjectLayers::tableProperty(), rtmRasterTable( runId ) );
  layer->setCustomProperty( rtmRunProperty(), runId );

  // One colour per risk class, as the spec defines them (mean, +1 SD, +2 SD of the RRS).
  // Opaque classes over the whole study area, so the map underneath (density heatmaps) does not mix in.
  static const char *colors[] = { "#f7f7f2", "#fdd49e", "#fc8d59", "#b30000" };
  static const int alphas[] = { 255, 255, 255, 255 };
  QList<QgsColorRampShader::ColorRampItem> items;
  for ( std::size_t c = 0; c < classes.size() && c < 4; ++c )
  {
    const RiskClass &k = classes[c];
    QColor color( QLatin1String( colors[c] ) );
    color.setAlpha( alphas[c] );
    const bool last = c + 1 == classes.size();
    const QString label = QObject::tr( "%1 (RRS %2 – %3)" ).arg( k.name.left( 1 ).toUpper() + k.name.mid( 1 ) ).arg( k.lower, 0, 'f', 2 ).arg( k.upper, 0, 'f', 2 );
    items << QgsColorRampShader::ColorRampItem( last ? std::numeric_limits<double>::infinity() : k.upper, color, label );
  }
  if ( !items.isEmpty() )
  {
    auto *ramp = new QgsColorRampShader( classes.front().lower, classes.back().upper, nullptr, QgsColorRampShader::Discrete );
    ramp->setColorRampItemList( items );
    auto *shader = new QgsRasterShader( classes.front().lower, classes.back().upper );
    shader->setRasterShaderFunction( ramp );
    auto *renderer = new QgsSingleBandPseudoColorRenderer( layer->dataProvider(), 1, shader );
    renderer->setClassificationMin( classes.front().lower );
    renderer->setClassificationMax( classes.back().upper );
    layer->setRenderer( renderer );
  }
  layer->setOpacity( 0.85 );
  return layer;
}

std::unique_ptr<QgsVectorLayer> makePlacesLayer( const QString &gpkgPath, qint64 runId, bool priority, const QString &name, QString *error )
{
  const QString table = priority ? rtmPriorityTable( runId ) : rtmHighRiskTable( runId );
  auto layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "%1|layername=%2" ).arg( gpkgPath, table ), name, QStringLiteral( "ogr" ) );
  if ( !layer->isValid() )
  {
    *error = QObject::tr( "Cannot read the places table %1 of %2." ).arg( table, gpkgPath );
    return nullptr;
  }
  layer->setCustomProperty( ProjectLayers::tableProperty(), table );
  layer->setCustomProperty( rtmRunProperty(), runId );
  QVariantMap style;
  if ( priority )
  {
    style = { { QStringLiteral( "color" ), QStringLiteral( "84,39,143,50" ) },
              { QStringLiteral( "outline_color" ), QStringLiteral( "84,39,143,255" ) },
              { QStringLiteral( "outline_width" ), QStringLiteral( "0.8" ) } };
  }
  else
  {
    style = { { QStringLiteral( "color" ), QStringLiteral( "0,0,0,0" ) },
              { QStringLiteral( "outline_color" ), QStringLiteral( "128,0,38,255" ) },
              { QStringLiteral( "outline_width" ), QStringLiteral( "0.4" ) } };
  }
  layer->setRenderer( new QgsSingleSymbolRenderer( QgsFillSymbol::createSimple( style ) ) );
  return layer;
}

} // namespace statdesk::rtm
