#include "DefaultStyles.h"
#include "project/Schema.h"
#include "common/Compat.h"

#include <qgscategorizedsymbolrenderer.h>
#include <qgscolorramp.h>
#include <qgsfillsymbol.h>
#include <qgsfillsymbollayer.h>
#include <qgsheatmaprenderer.h>
#include <qgslinesymbollayer.h>
#include <qgsmarkersymbol.h>
#include <qgsmarkersymbollayer.h>
#include <qgspallabeling.h>
#include <qgsrulebasedrenderer.h>
#include <qgssinglesymbolrenderer.h>
#include <qgstextformat.h>
#include <qgstextbuffersettings.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

namespace statdesk
{

namespace
{
const BlightClassStyle kBlightClasses[] = {
  { "vacant_structure", "Vacant / open structure", "#8c510a" },
  { "dangerous_building", "Dangerous building", "#b2182b" },
  { "dumping", "Illegal dumping", "#762a83" },
  { "trash", "Trash / bulky items", "#5ab4ac" },
  { "weeds", "Weeds / mowing", "#4d9221" },
  { "rats", "Rats", "#7f7f7f" },
  { "nuisance", "Nuisance / property maintenance", "#e08214" },
  { "streetlight", "Streetlight out", "#fdb863" },
};

QgsMarkerSymbol *marker( const QString &color, double size, compat::MarkerShape shape = compat::markerShape::Circle,
                         const QString &outline = QStringLiteral( "#ffffff" ), double outlineWidth = 0.15 )
{
  auto *layer = new QgsSimpleMarkerSymbolLayer( shape, size );
  layer->setColor( QColor( color ) );
  layer->setStrokeColor( QColor( outline ) );
  layer->setStrokeWidth( outlineWidth );
  return new QgsMarkerSymbol( QgsSymbolLayerList() << layer );
}

QgsFillSymbol *fill( const QColor &color, const QColor &outline, double outlineWidth, Qt::PenStyle stroke = Qt::SolidLine )
{
  auto *layer = new QgsSimpleFillSymbolLayer( color, color.alpha() == 0 ? Qt::NoBrush : Qt::SolidPattern, outline, stroke, outlineWidth );
  return new QgsFillSymbol( QgsSymbolLayerList() << layer );
}

QgsRuleBasedRenderer::Rule *rule( QgsSymbol *symbol, const QString &label, const QString &filter )
{
  return new QgsRuleBasedRenderer::Rule( symbol, 0, 0, filter, label );
}

void setHeatmap( QgsVectorLayer *layer, const QColor &hot )
{
  auto *renderer = new QgsHeatmapRenderer();
  renderer->setRadius( 6 );
  renderer->setRadiusUnit( QgsUnitTypes::RenderMillimeters );
  QColor transparent = hot;
  transparent.setAlpha( 0 );
  auto *ramp = new QgsGradientColorRamp( transparent, hot );
  QColor mid( 255, 210, 60, 170 );
  ramp->setStops( { QgsGradientStop( 0.25, mid ), QgsGradientStop( 0.6, QColor( 250, 120, 30, 210 ) ) } );
  renderer->setColorRamp( ramp );
  renderer->setRenderQuality( 3 );
  layer->setRenderer( renderer );
  layer->setOpacity( 0.85 );
  layer->setScaleBasedVisibility( true );
  layer->setMaximumScale( kDenseLayerSwitchScale ); // hidden when zoomed in past the switch scale
  layer->setMinimumScale( 0 );
}

void zoomedInOnly( QgsVectorLayer *layer )
{
  layer->setScaleBasedVisibility( true );
  layer->setMinimumScale( kDenseLayerSwitchScale ); // hidden when zoomed out past the switch scale
  layer->setMaximumScale( 0 );
}

void styleIncidents( QgsVectorLayer *layer )
{
  auto *root = new QgsRuleBasedRenderer::Rule( nullptr );
  // Rules draw in order with symbol levels: other offenses first, then violent ones on top.
  QgsMarkerSymbol *other = marker( QStringLiteral( "#9e9e9e" ), 1.4, compat::markerShape::Circle, QStringLiteral( "#ffffff" ), 0.0 );
  other->setOpacity( 0.6 );
  root->appendChild( rule( other, QObject::tr( "Other offenses" ), QStringLiteral( "\"violent\" = 0" ) ) );
  root->appendChild( rule( marker( QStringLiteral( "#f4a582" ), 2.2 ), QObject::tr( "Rape" ), QStringLiteral( "\"ibrs\" IN ('11A','11B','11C')" ) ) );
  root->appendChild( rule( marker( QStringLiteral( "#8073ac" ), 2.4 ), QObject::tr( "Robbery" ), QStringLiteral( "\"ibrs\" = '120'" ) ) );
  root->appendChild( rule( marker( QStringLiteral( "#e66101" ), 2.6 ), QObject::tr( "Aggravated assault" ), QStringLiteral( "\"ibrs\" = '13A'" ) ) );
  root->appendChild( rule( marker( QStringLiteral( "#b2182b" ), 3.4, compat::markerShape::Circle, QStringLiteral( "#000000" ), 0.3 ),
                           QObject::tr( "Homicide" ), QStringLiteral( "\"ibrs\" = '09A'" ) ) );
  auto *renderer = new QgsRuleBasedRenderer( root );
  int pass = 0;
  for ( QgsRuleBasedRenderer::Rule *r : root->children() )
  {
    for ( int i = 0; i < r->symbol()->symbolLayerCount(); ++i )
      r->symbol()->symbolLayer( i )->setRenderingPass( pass );
    ++pass;
  }
  renderer->setUsingSymbolLevels( true );
  layer->setRenderer( renderer );
  zoomedInOnly( layer );
}

void styleServiceRequests( QgsVectorLayer *layer )
{
  QgsCategoryList categories;
  for ( const BlightClassStyle &c : kBlightClasses )
    categories << QgsRendererCategory( QString::fromLatin1( c.id ), marker( QString::fromLatin1( c.color ), 1.8, compat::markerShape::Square ), QObject::tr( c.label ) );
  QgsMarkerSymbol *other = marker( QStringLiteral( "#c8c8c8" ), 1.0, compat::markerShape::Square, QStringLiteral( "#ffffff" ), 0.0 );
  categories << QgsRendererCategory( QVariant(), other, QObject::tr( "Not blight-related" ) );
  layer->setRenderer( new QgsCategorizedSymbolRenderer( QStringLiteral( "blight_class" ), categories ) );
  zoomedInOnly( layer );
}

void styleVacant( QgsVectorLayer *layer )
{
  QgsCategoryList categories;
  categories << QgsRendererCategory( QStringLiteral( "vacant_lot" ), marker( QStringLiteral( "#a6761d" ), 1.8, compat::markerShape::Square, QStringLiteral( "#5c3d0a" ), 0.2 ), QObject::tr( "Vacant lot" ) )
             << QgsRendererCategory( QStringLiteral( "vacant_structure" ), marker( QStringLiteral( "#6b4c2a" ), 2.0, compat::markerShape::Square, QStringLiteral( "#000000" ), 0.2 ), QObject::tr( "Vacant structure" ) )
             << QgsRendererCategory( QStringLiteral( "land_bank" ), marker( QStringLiteral( "#d9b26f" ), 1.8, compat::markerShape::Diamond, QStringLiteral( "#5c3d0a" ), 0.2 ), QObject::tr( "Land Bank parcel" ) )
             << QgsRendererCategory( QVariant(), marker( QStringLiteral( "#bfa37a" ), 1.6, compat::markerShape::Square ), QObject::tr( "Other" ) );
  layer->setRenderer( new QgsCategorizedSymbolRenderer( QStringLiteral( "kind" ), categories ) );
}

void styleDangerous( QgsVectorLayer *layer )
{
  layer->setRenderer( new QgsSingleSymbolRenderer( marker( QStringLiteral( "#d7191c" ), 2.8, compat::markerShape::Triangle, QStringLiteral( "#000000" ), 0.3 ) ) );
}

//! Grant sites: green stars for points, a green hatched outline for areas.
void styleGrantSites( QgsVectorLayer *layer )
{
  if ( layer->geometryType() == QgsWkbTypes::PolygonGeometry )
    layer->setRenderer( new QgsSingleSymbolRenderer( fill( QColor( 26, 152, 80, 90 ), QColor( 0, 100, 40 ), 0.9 ) ) );
  else
    layer->setRenderer( new QgsSingleSymbolRenderer( marker( QStringLiteral( "#1a9850" ), 4.2, compat::markerShape::Star, QStringLiteral( "#00441b" ), 0.4 ) ) );
}

void styleNeighborhoods( QgsVectorLayer *layer )
{
  auto *root = new QgsRuleBasedRenderer::Rule( nullptr );
  root->appendChild( rule( fill( QColor( 0, 0, 0, 0 ), QColor( 110, 110, 110 ), 0.3 ), QObject::tr( "Neighborhood" ), QStringLiteral( "coalesce(\"is_grant\", 0) = 0" ) ) );
  root->appendChild( rule( fill( QColor( 26, 152, 80, 45 ), QColor( 26, 120, 60 ), 0.8 ), QObject::tr( "Grant neighborhood" ), QStringLiteral( "\"is_grant\" = 1" ) ) );
  layer->setRenderer( new QgsRuleBasedRenderer( root ) );

  QgsPalLayerSettings label;
  label.fieldName = QStringLiteral( "name" );
  QgsTextFormat format;
  format.setSize( 7.5 );
  format.setColor( QColor( 60, 60, 60 ) );
  QgsTextBufferSettings buffer;
  buffer.setEnabled( true );
  buffer.setSize( 0.7 );
  buffer.setColor( QColor( 255, 255, 255, 220 ) );
  format.setBuffer( buffer );
  label.setFormat( format );
  label.placement = QgsPalLayerSettings::OverPoint;
  label.scaleVisibility = true;
  label.maximumScale = 0;
  label.minimumScale = 150000;
  layer->setLabeling( new QgsVectorLayerSimpleLabeling( label ) );
  layer->setLabelsEnabled( true );
}

void styleBoundaries( QgsVectorLayer *layer )
{
  auto *root = new QgsRuleBasedRenderer::Rule( nullptr );
  root->appendChild( rule( fill( QColor( 0, 0, 0, 0 ), QColor( 40, 40, 40 ), 0.9 ), QObject::tr( "City limits" ), QStringLiteral( "\"kind\" = 'city'" ) ) );
  root->appendChild( rule( fill( QColor( 0, 0, 0, 0 ), QColor( 70, 90, 160 ), 0.5, Qt::DashLine ), QObject::tr( "Council district" ), QStringLiteral( "\"kind\" = 'council_district'" ) ) );
  root->appendChild( rule( fill( QColor( 0, 0, 0, 0 ), QColor( 120, 120, 120 ), 0.4, Qt::DotLine ), QObject::tr( "Other boundary" ), QStringLiteral( "ELSE" ) ) );
  layer->setRenderer( new QgsRuleBasedRenderer( root ) );
}
} // namespace

const BlightClassStyle *blightClassStyles( int *count )
{
  *count = static_cast<int>( sizeof( kBlightClasses ) / sizeof( kBlightClasses[0] ) );
  return kBlightClasses;
}

bool applyDefaultStyle( QgsVectorLayer *layer, const QString &table, const QString &role )
{
  if ( role == QLatin1String( "density" ) )
  {
    if ( table == schema::kIncidents )
      setHeatmap( layer, QColor( 200, 20, 30, 230 ) );
    else if ( table == schema::kServiceRequests )
      setHeatmap( layer, QColor( 120, 50, 140, 230 ) );
    else
      return false;
    return true;
  }
  if ( table == schema::kIncidents )
    styleIncidents( layer );
  else if ( table == schema::kServiceRequests )
    styleServiceRequests( layer );
  else if ( table == schema::kVacantParcels )
    styleVacant( layer );
  else if ( table == schema::kDangerousBuildings )
    styleDangerous( layer );
  else if ( table == schema::kNeighborhoods )
    styleNeighborhoods( layer );
  else if ( table == schema::kBoundaries )
    styleBoundaries( layer );
  else if ( table == QLatin1String( "grant_sites" ) )
    styleGrantSites( layer );
  else
    return false;
  return true;
}

} // namespace statdesk
