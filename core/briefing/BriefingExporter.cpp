#include "Briefing.h"
#include "BriefingCharts.h"

#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"
#include "project/Schema.h"

#include <QDir>
#include <QDomDocument>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <qgsexpressioncontextutils.h>
#include <qgsfillsymbollayer.h>
#include <qgsmarkersymbol.h>
#include <qgsrulebasedrenderer.h>
#include <qgssinglesymbolrenderer.h>
#include <qgsfeedback.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreemodel.h>
#include <qgslayoutatlas.h>
#include <qgslayoutexporter.h>
#include <qgslayoutitemlegend.h>
#include <qgslayoututils.h>
#include <qgslegendrenderer.h>
#include <qgslayoutitemmap.h>
#include <qgslayoutitempicture.h>
#include <qgslayoutitemscalebar.h>
#include <qgslayoutpagecollection.h>
#include <qgsprintlayout.h>
#include <qgsproject.h>
#include <qgsreadwritecontext.h>
#include <qgsvectorlayer.h>

#include <cmath>

namespace statdesk
{

namespace
{
QString pageSizeName( BriefingPageSize size )
{
  return size == BriefingPageSize::A4 ? QStringLiteral( "a4" ) : QStringLiteral( "letter" );
}

QString orientationName( BriefingOrientation orientation )
{
  return orientation == BriefingOrientation::Portrait ? QStringLiteral( "portrait" ) : QStringLiteral( "landscape" );
}

//! "28 days", "12 months": the length of \a period as a reader counts it.
QString periodLength( const BriefingPeriod &period )
{
  if ( period.isWholeMonths() )
  {
    const int months = ( period.to.year() - period.from.year() ) * 12 + period.to.month() - period.from.month() + 1;
    return months == 1 ? QObject::tr( "1 month" ) : QObject::tr( "%1 months" ).arg( months );
  }
  return period.days() == 1 ? QObject::tr( "1 day" ) : QObject::tr( "%1 days" ).arg( period.days() );
}

QString combineFilter( const QString &a, const QString &b )
{
  if ( a.isEmpty() )
    return b;
  if ( b.isEmpty() )
    return a;
  return QStringLiteral( "(%1) AND (%2)" ).arg( a, b );
}

QString layerTable( const QgsMapLayer *layer )
{
  return layer->customProperty( ProjectLayers::tableProperty() ).toString();
}

//! A count for public pages: 1 to threshold-1 becomes "fewer than N" (0 says nothing about anyone).
QString publicCount( qint64 value, bool publicMode, int threshold )
{
  if ( publicMode && value > 0 && value < threshold )
    return QObject::tr( "fewer than %1" ).arg( threshold );
  return QLocale().toString( value );
}

QString changeText( qint64 now, qint64 before, bool publicMode, int threshold )
{
  if ( publicMode && ( ( now > 0 && now < threshold ) || ( before > 0 && before < threshold ) ) )
    return QObject::tr( "change not shown for small counts" );
  return BriefingFigures::percentText( now, before );
}

//! Height (mm) of the band along the map's bottom edge where the template puts the scale bar.
constexpr double kScaleBarBand = 16.0;

//! Where the citywide legend sits inside the map frame.
enum class LegendRoom
{
  Below, //!< under the city, above the scale bar
  Right, //!< right of the city, lower corner
};

/**
 * Sets the extent of \a map (keeping the item's size) so that \a area shows as large as it can
 * while the frame keeps room for a legend of \a below (mm) under it, or of \a right at its
 * right; the scale bar band stays free either way. Empty sizes reserve no room. Returns the
 * side with the larger city.
 */
LegendRoom fitMapExtent( QgsLayoutItemMap *map, const QgsRectangle &area, const QSizeF &below, const QSizeF &right )
{
  constexpr double kGap = 2.0;
  const double w = map->rect().width();
  const double h = map->rect().height();
  const QgsRectangle city = area.buffered( std::max( area.width(), area.height() ) * 0.02 );
  // Free box for the city (mm) and the map units per mm it needs, per arrangement.
  const QSizeF boxBelow( w, std::max( 1.0, h - kScaleBarBand - ( below.isEmpty() ? 0.0 : below.height() + kGap ) ) );
  const QSizeF boxRight( std::max( 1.0, w - ( right.isEmpty() ? 0.0 : right.width() + kGap ) ), h - kScaleBarBand );
  auto unitsPerMm = [&city]( const QSizeF &box ) { return std::max( city.width() / box.width(), city.height() / box.height() ); };
  const bool rightFits = !right.isEmpty() && right.height() < h - 2.0;
  const LegendRoom room = rightFits && unitsPerMm( boxRight ) < unitsPerMm( boxBelow ) ? LegendRoom::Right : LegendRoom::Below;
  const QSizeF box = room == LegendRoom::Right ? boxRight : boxBelow;
  const double s = unitsPerMm( box );
  // The city centred in its box; the box is the frame's upper left part.
  const double xMin = city.center().x() - box.width() / 2 * s;
  const double yMax = city.center().y() + box.height() / 2 * s;
  map->setExtent( QgsRectangle( xMin, yMax - h * s, xMin + w * s, yMax ) );
  return room;
}

//! The size (mm) \a legend takes with its current settings, computed as the legend does when it paints.
QSizeF legendContentSize( QgsLayout *layout, QgsLayoutItemLegend *legend )
{
  QgsRenderContext context = QgsLayoutUtils::createRenderContextForLayout( layout, nullptr );
  QgsLegendRenderer renderer( legend->model(), legend->legendSettings() );
  return renderer.minimumSize( &context );
}

std::vector<BriefingSection::Factory> &factoryList()
{
  static std::vector<BriefingSection::Factory> sFactories;
  return sFactories;
}
//! Outlines only: every simple fill of \a layer's symbols loses its brush.
void removeFills( QgsVectorLayer *layer )
{
  if ( !layer->renderer() )
    return;
  QgsRenderContext context;
  const QgsSymbolList symbols = layer->renderer()->symbols( context ); // the renderer's own symbols
  for ( QgsSymbol *symbol : symbols )
    for ( int i = 0; symbol && i < symbol->symbolLayerCount(); ++i )
      if ( auto *fill = dynamic_cast<QgsSimpleFillSymbolLayer *>( symbol->symbolLayer( i ) ) )
        fill->setBrushStyle( Qt::NoBrush );
}

//! Fewer legend rows on a printed page: one symbol for 311 requests and vacant parcels, no rule for filtered-out offenses.
void simplifyForBriefing( QgsVectorLayer *layer, const QString &table )
{
  if ( table == schema::kServiceRequests || table == schema::kVacantParcels )
  {
    const bool requests = table == schema::kServiceRequests;
    QgsMarkerSymbol *symbol = QgsMarkerSymbol::createSimple( { { QStringLiteral( "name" ), QStringLiteral( "square" ) },
                                                               { QStringLiteral( "color" ), requests ? QStringLiteral( "#7b3294" ) : QStringLiteral( "#a6761d" ) },
                                                               { QStringLiteral( "outline_style" ), QStringLiteral( "no" ) },
                                                               { QStringLiteral( "size" ), requests ? QStringLiteral( "1.2" ) : QStringLiteral( "1.4" ) } } );
    layer->setRenderer( new QgsSingleSymbolRenderer( symbol ) );
  }
  else if ( table == schema::kIncidents )
  {
    if ( auto *rules = dynamic_cast<QgsRuleBasedRenderer *>( layer->renderer() ) )
    {
      QgsRuleBasedRenderer::Rule *root = rules->rootRule();
      for ( int i = root->children().size() - 1; i >= 0; --i )
        if ( root->children().at( i )->filterExpression().contains( QLatin1String( "\"violent\" = 0" ) ) )
          root->removeChildAt( i );
    }
  }
}
} // namespace

QString briefingTemplateName( BriefingTemplate kind )
{
  switch ( kind )
  {
    case BriefingTemplate::Citywide: return QStringLiteral( "citywide" );
    case BriefingTemplate::Neighborhoods: return QStringLiteral( "neighborhoods" );
    case BriefingTemplate::Clusters: return QStringLiteral( "clusters" );
  }
  return QString();
}

bool parseBriefingTemplate( const QString &text, BriefingTemplate *kind )
{
  for ( BriefingTemplate k : { BriefingTemplate::Citywide, BriefingTemplate::Neighborhoods, BriefingTemplate::Clusters } )
  {
    if ( text.compare( briefingTemplateName( k ), Qt::CaseInsensitive ) == 0 )
    {
      *kind = k;
      return true;
    }
  }
  return false;
}

bool parseBriefingPageSize( const QString &text, BriefingPageSize *size )
{
  if ( text.compare( QLatin1String( "letter" ), Qt::CaseInsensitive ) == 0 )
    *size = BriefingPageSize::Letter;
  else if ( text.compare( QLatin1String( "a4" ), Qt::CaseInsensitive ) == 0 )
    *size = BriefingPageSize::A4;
  else
    return false;
  return true;
}

bool parseBriefingOrientation( const QString &text, BriefingOrientation *orientation )
{
  if ( text.compare( QLatin1String( "landscape" ), Qt::CaseInsensitive ) == 0 )
    *orientation = BriefingOrientation::Landscape;
  else if ( text.compare( QLatin1String( "portrait" ), Qt::CaseInsensitive ) == 0 )
    *orientation = BriefingOrientation::Portrait;
  else
    return false;
  return true;
}

void BriefingSection::registerFactory( const Factory &factory )
{
  factoryList().push_back( factory );
}

const std::vector<BriefingSection::Factory> &BriefingSection::factories()
{
  return factoryList();
}

QJsonObject BriefingResult::toJson() const
{
  QJsonObject json {
    { QStringLiteral( "ok" ), ok },
    { QStringLiteral( "pdf" ), pdfPath },
    { QStringLiteral( "pages" ), pages },
    { QStringLiteral( "bytes" ), bytes },
    { QStringLiteral( "elapsed_ms" ), elapsedMs },
    { QStringLiteral( "period" ), QJsonObject { { QStringLiteral( "from" ), period.from.toString( Qt::ISODate ) },
                                                { QStringLiteral( "to" ), period.to.toString( Qt::ISODate ) },
                                                { QStringLiteral( "previous_from" ), period.previousFrom.toString( Qt::ISODate ) },
                                                { QStringLiteral( "previous_to" ), period.previousTo.toString( Qt::ISODate ) },
                                                { QStringLiteral( "note" ), period.note } } },
    { QStringLiteral( "figures" ), figures.toJson() },
    { QStringLiteral( "map_layers" ), QJsonArray::fromStringList( mapLayers ) },
    { QStringLiteral( "rasterised_layers" ), QJsonArray::fromStringList( rasterisedLayers ) },
    { QStringLiteral( "sections" ), QJsonArray::fromStringList( sections ) },
  };
  if ( !ok )
    json.insert( QStringLiteral( "error" ), error );
  if ( !neighborhoods.isEmpty() )
  {
    QJsonArray a;
    for ( const NeighborhoodFigures &n : neighborhoods )
      a.append( n.toJson() );
    json.insert( QStringLiteral( "neighborhoods" ), a );
  }
  if ( hexagons.cellSizeMetres > 0 )
    json.insert( QStringLiteral( "public_aggregation" ),
                 QJsonObject { { QStringLiteral( "cell_size_m" ), hexagons.cellSizeMetres }, { QStringLiteral( "threshold" ), hexagons.threshold },
                               { QStringLiteral( "offenses" ), hexagons.offenses }, { QStringLiteral( "cells_shown" ), hexagons.cellsShown },
                               { QStringLiteral( "cells_suppressed" ), hexagons.cellsSuppressed },
                               { QStringLiteral( "offenses_shown" ), hexagons.offensesShown },
                               { QStringLiteral( "offenses_suppressed" ), hexagons.offensesSuppressed } } );
  return json;
}

BriefingExporter::BriefingExporter( const QString &projectPath )
  : mProjectPath( QFileInfo( projectPath ).absoluteFilePath() )
{
}

BriefingExporter::~BriefingExporter() = default;

void BriefingExporter::addSection( std::unique_ptr<BriefingSection> section )
{
  mSections.push_back( std::move( section ) );
}

QString BriefingExporter::templateResource( BriefingTemplate kind, BriefingPageSize size, BriefingOrientation orientation )
{
  return QStringLiteral( ":/statdesk/briefing/%1_%2_%3.qpt" ).arg( briefingTemplateName( kind ), pageSizeName( size ), orientationName( orientation ) );
}

//! Everything one briefing's layout needs alive while it is exported or rendered (members are destroyed bottom-up: the layout first).
struct BriefingExporter::Prepared
{
    std::unique_ptr<ProjectFile> file;
    QgsProject project;
    std::vector<std::unique_ptr<BriefingSection>> registeredSections;
    QTemporaryDir scratch; //!< the chart images the layout's pictures read
    std::unique_ptr<QgsPrintLayout> layout;
    QgsVectorLayer *coverage = nullptr; //!< atlas coverage layer (owned by project); null for a single page
};

std::unique_ptr<BriefingExporter::Prepared> BriefingExporter::prepare( const BriefingOptions &options, BriefingResult &result, QgsFeedback *feedback )
{
  auto failed = [&result]( const QString &message ) -> std::unique_ptr<Prepared> {
    result.ok = false;
    result.error = message;
    return nullptr;
  };
  if ( options.from.isValid() && options.to.isValid() && options.from > options.to )
    return failed( QObject::tr( "The period starts (%1) after it ends (%2)." ).arg( options.from.toString( Qt::ISODate ), options.to.toString( Qt::ISODate ) ) );
  if ( options.suppressionThreshold < 1 )
    return failed( QObject::tr( "The suppression threshold must be at least 1." ) );
  if ( !options.logoPath.isEmpty() && !QFileInfo::exists( options.logoPath ) )
    return failed( QObject::tr( "Logo %1 not found." ).arg( options.logoPath ) );

  auto prepared = std::make_unique<Prepared>();
  QString error;
  prepared->file = ProjectFile::open( mProjectPath, ProjectFile::Mode::ReadOnly, &error );
  ProjectFile *file = prepared->file.get();
  if ( !file )
    return failed( error );
  SqliteDatabase &db = file->database();

  // --- numbers ---------------------------------------------------------------------------
  result.period = BriefingPeriod::resolve( db, options.from, options.to, options.publicMode );
  const BriefingPeriod &period = result.period;
  if ( !result.figures.compute( db, period, &error ) )
    return failed( error );
  if ( feedback )
    feedback->setProgress( 5 );

  const QTimeZone tz = file->timeZone();
  const QDateTime producedAt = QDateTime::currentDateTime().toTimeZone( tz.isValid() ? tz : QTimeZone::systemTimeZone() );
  BriefingContext context;
  context.database = &db;
  context.project = file;
  context.projectPath = mProjectPath;
  context.crsAuthId = file->crs().authid();
  context.period = period;
  context.today = producedAt.date();
  context.publicMode = options.publicMode;
  context.suppressionThreshold = options.suppressionThreshold;

  std::vector<std::unique_ptr<BriefingSection>> &registered = prepared->registeredSections;
  for ( const BriefingSection::Factory &f : BriefingSection::factories() )
    if ( auto s = f() )
      registered.push_back( std::move( s ) );
  std::vector<BriefingSection *> sections;
  for ( auto &s : registered )
    sections.push_back( s.get() );
  for ( auto &s : mSections )
    sections.push_back( s.get() );

  // --- map layers ----------------------------------------------------------------------------
  QgsProject &project = prepared->project;
  if ( !ProjectLayers::load( mProjectPath, &project, &error ) )
    return failed( error );
  ProjectLayers::applyDateFilter( &project, period.from, period.to );

  const bool citywide = options.kind == BriefingTemplate::Citywide;
  QList<QgsMapLayer *> mapLayers; // top first
  QStringList rasterised;
  auto addOwned = [&project, &mapLayers]( std::unique_ptr<QgsMapLayer> layer ) {
    if ( !layer )
      return;
    mapLayers << project.addMapLayer( layer.release(), false );
  };
  // Dense point layers are drawn with the multiply blend mode: on the white map it looks the
  // same, and it makes QGIS render the map item as an image at the export dpi instead of
  // writing every symbol as vector paths (a citywide page would be tens of megabytes).
  auto useProjectLayer = [&]( const QString &table, const QString &extraFilter, const QString &name, bool dense ) {
    QgsVectorLayer *layer = ProjectLayers::layer( &project, table );
    if ( !layer )
      return;
    if ( !extraFilter.isEmpty() )
      layer->setSubsetString( combineFilter( layer->subsetString(), extraFilter ) );
    layer->setScaleBasedVisibility( false );
    layer->setName( name );
    simplifyForBriefing( layer, table );
    if ( dense )
    {
      layer->setBlendMode( QPainter::CompositionMode_Multiply );
      rasterised << table;
    }
    mapLayers << layer;
  };

  for ( BriefingSection *s : sections )
  {
    for ( auto &layer : citywide ? s->citywideLayers( context ) : ( options.kind == BriefingTemplate::Neighborhoods ? s->neighborhoodLayers( context ) : std::vector<std::unique_ptr<QgsMapLayer>>() ) )
    {
      if ( options.publicMode )
      {
        auto *vl = qobject_cast<QgsVectorLayer *>( layer.get() );
        if ( vl && vl->geometryType() == QgsWkbTypes::PointGeometry && !vl->customProperty( kBriefingPublicSafeProperty ).toBool() )
          continue; // sections are told not to, but a point not marked as safe never reaches a public page
      }
      if ( !result.sections.contains( s->id() ) )
        result.sections << s->id();
      addOwned( std::move( layer ) );
    }
  }

  const QString periodLabel = QObject::tr( "period" );
  std::unique_ptr<QgsVectorLayer> hex;
  if ( options.publicMode )
  {
    // Over the default year, 600 m cells show 72% of the city demo's offenses on neighborhood pages (400 m: 34%).
    const double hexSize = options.hexSizeMetres > 0 ? options.hexSizeMetres : ( citywide ? 800.0 : 600.0 );
    hex = makeHexagonLayer( db, context.crsAuthId, period, hexSize, options.suppressionThreshold, &result.hexagons, &error );
    if ( !hex )
      return failed( error );
    hex->setName( QObject::tr( "Violent offenses per %1 m hexagon" ).arg( hexSize ) );
    if ( !citywide )
    {
      useProjectLayer( schema::kDangerousBuildings, QString(), QObject::tr( "Dangerous buildings" ), true );
      useProjectLayer( schema::kVacantParcels, QString(), QObject::tr( "Vacant parcels" ), true );
    }
  }
  else
  {
    useProjectLayer( schema::kIncidents, QStringLiteral( "\"violent\" = 1" ), QObject::tr( "Violent offenses (%1)" ).arg( periodLabel ), true );
    useProjectLayer( schema::kServiceRequests, QStringLiteral( "\"blight_class\" IS NOT NULL" ), QObject::tr( "311 blight requests (%1)" ).arg( periodLabel ), true );
    useProjectLayer( schema::kDangerousBuildings, QString(), QObject::tr( "Dangerous buildings" ), true );
    useProjectLayer( schema::kVacantParcels, QString(), QObject::tr( "Vacant parcels" ), true );
  }
  useProjectLayer( schema::kNeighborhoods, QString(), QObject::tr( "Neighborhoods" ), false );
  useProjectLayer( schema::kBoundaries, QString(), QObject::tr( "Boundaries" ), false );
  QgsMapLayer *hexLayer = hex.get();
  if ( hex )
  {
    // The cells go at the bottom, so that the outlines of neighborhoods and boundaries and the
    // property points stay visible on top of them; neighborhood fills would tint the cells.
    if ( QgsVectorLayer *neighborhoods = ProjectLayers::layer( &project, schema::kNeighborhoods ) )
      removeFills( neighborhoods );
    addOwned( std::move( hex ) );
  }
  for ( QgsMapLayer *l : std::as_const( mapLayers ) )
    result.mapLayers << layerTable( l );
  result.rasterisedLayers = rasterised;
  if ( feedback )
  {
    if ( feedback->isCanceled() )
      return failed( QObject::tr( "Cancelled." ) );
    feedback->setProgress( 15 );
  }

  // --- atlas coverage ---------------------------------------------------------------------------
  QgsVectorLayer *coverage = nullptr;
  QVariantMap nbhFigures, nbhGrant;
  if ( options.kind == BriefingTemplate::Neighborhoods )
  {
    coverage = ProjectLayers::layer( &project, schema::kNeighborhoods );
    if ( !coverage )
      return failed( QObject::tr( "The project has no neighborhoods layer." ) );
    if ( !computeGrantNeighborhoodFigures( db, period, &result.neighborhoods, &error ) )
      return failed( error );
    if ( result.neighborhoods.isEmpty() )
      return failed( QObject::tr( "No grant neighborhoods in this project: mark them with is_grant = 1 in the neighborhoods layer." ) );
    QMap<QString, QString> grantTexts;
    for ( BriefingSection *s : sections )
    {
      const QMap<QString, QString> texts = s->neighborhoodTexts( context );
      if ( texts.isEmpty() )
        continue;
      if ( !result.sections.contains( s->id() ) )
        result.sections << s->id();
      for ( auto it = texts.constBegin(); it != texts.constEnd(); ++it )
        grantTexts[it.key()] += ( grantTexts.contains( it.key() ) ? QStringLiteral( "\n" ) : QString() ) + it.value();
    }
    const bool pub = options.publicMode;
    const int t = options.suppressionThreshold;
    for ( const NeighborhoodFigures &n : std::as_const( result.neighborhoods ) )
    {
      QStringList lines;
      lines << QObject::tr( "Before / after (%1 each)" ).arg( periodLength( period ) );
      lines << QObject::tr( "Violent offenses: %1 → %2 (%3)" ).arg( publicCount( n.violentPrevious, pub, t ), publicCount( n.violent, pub, t ), changeText( n.violent, n.violentPrevious, pub, t ) );
      lines << QObject::tr( "Blight 311 requests: %1 → %2 (%3)" ).arg( publicCount( n.blightPrevious, pub, t ), publicCount( n.blight, pub, t ), changeText( n.blight, n.blightPrevious, pub, t ) );
      lines << QObject::tr( "Open blight requests now: %1" ).arg( publicCount( n.openBlight, pub, t ) );
      lines << QObject::tr( "Vacant parcels: %1 · Dangerous buildings: %2" ).arg( n.vacantParcels ).arg( n.dangerousBuildings );
      if ( n.areaSqKm > 0 )
        lines << QObject::tr( "Area: %1 km²" ).arg( n.areaSqKm, 0, 'f', 2 );
      nbhFigures.insert( n.nbhId, lines.join( QLatin1Char( '\n' ) ) );
      nbhGrant.insert( n.nbhId, grantTexts.contains( n.nbhId ) ? grantTexts.value( n.nbhId )
                                                                 : QObject::tr( "Grant budget and milestones: no grant ledger records for this neighborhood in the project." ) );
    }
  }
  std::unique_ptr<QgsVectorLayer> clusterLayer;
  if ( options.kind == BriefingTemplate::Clusters )
  {
    for ( BriefingSection *s : sections )
    {
      clusterLayer = s->clusterSheets( context );
      if ( clusterLayer && clusterLayer->featureCount() > 0 )
      {
        result.sections << s->id();
        break;
      }
      clusterLayer.reset();
    }
    if ( !clusterLayer )
      return failed( QObject::tr( "no clusters in this project: run clustering first" ) );
    clusterLayer->setCustomProperty( ProjectLayers::tableProperty(), QStringLiteral( "clusters" ) );
    coverage = qobject_cast<QgsVectorLayer *>( project.addMapLayer( clusterLayer.release(), false ) );
    mapLayers.prepend( coverage );
    result.mapLayers.prepend( QStringLiteral( "clusters" ) );
  }

  // --- layout ----------------------------------------------------------------------------------
  const QString templatePath = options.templatePath.isEmpty() ? templateResource( options.kind, options.pageSize, options.orientation ) : options.templatePath;
  QFile templateFile( templatePath );
  if ( !templateFile.open( QIODevice::ReadOnly ) )
    return failed( QObject::tr( "Cannot read the layout template %1." ).arg( templatePath ) );
  QDomDocument doc;
  if ( !doc.setContent( &templateFile ) )
    return failed( QObject::tr( "The layout template %1 is not valid XML." ).arg( templatePath ) );
  prepared->layout = std::make_unique<QgsPrintLayout>( &project );
  QgsPrintLayout &layout = *prepared->layout;
  layout.initializeDefaults();
  QgsReadWriteContext rwContext;
  rwContext.setPathResolver( project.pathResolver() );
  bool loaded = false;
  layout.loadFromTemplate( doc, rwContext, true, &loaded );
  if ( !loaded )
    return failed( QObject::tr( "QGIS could not load the layout template %1." ).arg( templatePath ) );

  auto *map = qobject_cast<QgsLayoutItemMap *>( layout.itemById( QStringLiteral( "main_map" ) ) );
  if ( !map )
    return failed( QObject::tr( "The layout template %1 has no map item with id main_map." ).arg( templatePath ) );
  map->setCrs( project.crs() );
  map->setLayers( mapLayers );
  map->setKeepLayerSet( true );
  QgsRectangle cityExtent;
  for ( const QString &table : { schema::kBoundaries, schema::kNeighborhoods } )
  {
    if ( QgsVectorLayer *l = ProjectLayers::layer( &project, table ) )
    {
      const QgsRectangle e = l->extent();
      if ( !e.isNull() && !e.isEmpty() )
      {
        if ( cityExtent.isNull() )
          cityExtent = e;
        else
          cityExtent.combineExtentWith( e );
      }
    }
  }
  if ( cityExtent.isNull() )
    cityExtent = file->fullExtent();
  if ( !cityExtent.isNull() )
    fitMapExtent( map, cityExtent, QSizeF(), QSizeF() ); // atlas maps follow their feature; the citywide map is fitted again around its legend below
  if ( auto *legend = qobject_cast<QgsLayoutItemLegend *>( layout.itemById( QStringLiteral( "legend" ) ) ) )
  {
    legend->setAutoUpdateModel( false );
    QgsLayerTree *root = legend->model()->rootGroup();
    root->removeAllChildren();
    // Drawing order, except that the hexagons (drawn at the bottom) head the legend.
    if ( hexLayer )
      root->addLayer( hexLayer );
    for ( QgsMapLayer *l : std::as_const( mapLayers ) )
      if ( l != hexLayer )
        root->addLayer( l );
    legend->setLinkedMap( map );
    // Sized to its content and anchored at the map's lower right corner.
    legend->setColumnCount( 2 );
    legend->setSplitLayer( true );
    legend->setResizeToContents( true );
    legend->adjustBoxSize();
  }
  if ( auto *bar = qobject_cast<QgsLayoutItemScaleBar *>( layout.itemById( QStringLiteral( "scalebar" ) ) ) )
  {
    bar->setLinkedMap( map );
    // Kilometres on metre-based projects, miles on foot-based ones; a round segment length.
    const bool feet = project.crs().mapUnits() == QgsUnitTypes::DistanceFeet;
    bar->setUnits( feet ? QgsUnitTypes::DistanceMiles : QgsUnitTypes::DistanceKilometers );
    bar->setUnitLabel( feet ? QStringLiteral( "mi" ) : QStringLiteral( "km" ) );
    bar->setMapUnitsPerScaleBarUnit( 1.0 ); // the units above do the conversion
    bar->setSegmentSizeMode( QgsScaleBarSettings::SegmentSizeFitWidth );
    bar->setMinimumBarWidth( 20 );
    bar->setMaximumBarWidth( 45 );
    bar->update();
  }
  if ( auto *arrow = qobject_cast<QgsLayoutItemPicture *>( layout.itemById( QStringLiteral( "north_arrow" ) ) ) )
    arrow->setLinkedMap( map );

  // --- texts as layout variables ----------------------------------------------------------------
  const QString city = file->cityName().isEmpty() ? QObject::tr( "City" ) : file->cityName();
  const BriefingFigures &f = result.figures;
  const bool pub = options.publicMode;
  const int t = options.suppressionThreshold;
  QString title = options.title;
  if ( title.isEmpty() )
  {
    switch ( options.kind )
    {
      case BriefingTemplate::Citywide: title = QObject::tr( "%1: citywide briefing" ).arg( city ); break;
      case BriefingTemplate::Neighborhoods: title = QObject::tr( "%1: grant neighborhoods" ).arg( city ); break;
      case BriefingTemplate::Clusters: title = QObject::tr( "%1: Task Force clusters" ).arg( city ); break;
    }
  }
  QStringList figureLines;
  figureLines << ( period.note.isEmpty() ? QObject::tr( "Key figures, %1 (%2)" ).arg( period.text(), periodLength( period ) )
                                         : QObject::tr( "Key figures, %1 (%2, %3)" ).arg( period.text(), periodLength( period ), period.note ) );
  figureLines << QObject::tr( "Violent offenses: %1 (previous period %2, %3)" ).arg( publicCount( f.violent, pub, t ), publicCount( f.violentPrevious, pub, t ), changeText( f.violent, f.violentPrevious, pub, t ) );
  figureLines << QObject::tr( "Shootings: %1 (previous period %2)" ).arg( publicCount( f.shootings, pub, t ), publicCount( f.shootingsPrevious, pub, t ) );
  figureLines << QObject::tr( "Open blight 311 requests: %1 (new in period: %2)" ).arg( QLocale().toString( f.openBlight ), QLocale().toString( f.newBlight ) );
  figureLines << QObject::tr( "Vacant parcels: %1 · Dangerous buildings: %2" ).arg( QLocale().toString( f.vacantParcels ), QLocale().toString( f.dangerousBuildings ) );

  QStringList currency;
  const QMap<QString, QString> sourceNames { { schema::kIncidents, QObject::tr( "crime" ) },
                                             { schema::kServiceRequests, QObject::tr( "311" ) },
                                             { schema::kVacantParcels, QObject::tr( "vacant parcels" ) },
                                             { schema::kDangerousBuildings, QObject::tr( "dangerous buildings" ) } };
  for ( const QString &table : { schema::kIncidents, schema::kServiceRequests, schema::kVacantParcels, schema::kDangerousBuildings } )
    if ( f.currency.contains( table ) )
      currency << QObject::tr( "%1 to %2" ).arg( sourceNames.value( table ), f.currency.value( table ) );

  QStringList extras;
  for ( BriefingSection *s : sections )
  {
    const QString text = s->citywideText( context );
    if ( text.isEmpty() )
      continue;
    extras << text;
    if ( !result.sections.contains( s->id() ) )
      result.sections << s->id();
  }
  if ( extras.isEmpty() )
    extras << QObject::tr( "RTM high-risk and priority places: no RTM run saved in this project." )
           << QObject::tr( "Task Force clusters: no clustering run saved in this project." );

  QString privacy;
  if ( pub )
  {
    // Two lines at most on a portrait page: the statement's label is 9 mm high.
    const HexAggregation &hex = result.hexagons;
    QString hidden;
    if ( hex.cellsShown == 0 )
      hidden = QObject::tr( " (none reached %1 in this period)" ).arg( t );
    else if ( hex.offensesSuppressed > 0 )
      hidden = QObject::tr( " (they hold %1% of the period's mapped offenses)" )
                 .arg( std::max<qint64>( 1, std::llround( 100.0 * hex.offensesSuppressed / std::max<qint64>( 1, hex.offenses ) ) ) );
    privacy = QObject::tr( "PUBLIC VERSION: no incident locations, addresses or person-level data. Violent offenses only as counts "
                           "per %1 m hexagon; hexagons with fewer than %2 offenses are not shown%3, counts below %2 are not printed." )
                .arg( hex.cellSizeMetres )
                .arg( t )
                .arg( hidden );
  }
  else
  {
    privacy = QObject::tr( "RESTRICTED: shows individual incident locations. For law enforcement and Task Force use only; do not distribute." );
  }

  const QString produced = producedAt.toString( QStringLiteral( "yyyy-MM-dd HH:mm" ) );
  const QVariantMap vars {
    { QStringLiteral( "statdesk_city" ), city },
    { QStringLiteral( "statdesk_title" ), title },
    { QStringLiteral( "statdesk_period" ), period.text() },
    { QStringLiteral( "statdesk_previous_period" ), period.previousText() },
    { QStringLiteral( "statdesk_produced" ), produced },
    { QStringLiteral( "statdesk_mode_text" ), pub ? QObject::tr( "Public version" ) : QObject::tr( "Restricted" ) },
    { QStringLiteral( "statdesk_marking" ), pub ? QObject::tr( "PUBLIC VERSION" ) : QObject::tr( "RESTRICTED\nlaw enforcement use only" ) },
    { QStringLiteral( "statdesk_privacy" ), privacy },
    { QStringLiteral( "statdesk_figures" ), figureLines.join( QLatin1Char( '\n' ) ) },
    { QStringLiteral( "statdesk_extras" ), extras.join( QLatin1Char( '\n' ) ) },
    { QStringLiteral( "statdesk_currency" ), currency.isEmpty() ? QObject::tr( "no records" ) : currency.join( QStringLiteral( " · " ) ) },
    { QStringLiteral( "statdesk_version" ), QStringLiteral( STATDESK_VERSION ) },
    { QStringLiteral( "statdesk_logo" ), options.logoPath.isEmpty() ? QString() : QFileInfo( options.logoPath ).absoluteFilePath() },
    // Maps travel as JSON text: layout variables are stored as custom properties, which keep strings reliably.
    { QStringLiteral( "statdesk_nbh_figures" ), QString::fromUtf8( QJsonDocument( QJsonObject::fromVariantMap( nbhFigures ) ).toJson( QJsonDocument::Compact ) ) },
    { QStringLiteral( "statdesk_nbh_grant" ), QString::fromUtf8( QJsonDocument( QJsonObject::fromVariantMap( nbhGrant ) ).toJson( QJsonDocument::Compact ) ) },
  };
  for ( auto it = vars.constBegin(); it != vars.constEnd(); ++it )
    QgsExpressionContextUtils::setLayoutVariable( &layout, it.key(), it.value() );

  // --- charts ------------------------------------------------------------------------------------
  const QTemporaryDir &scratch = prepared->scratch;
  if ( !scratch.isValid() )
    return failed( QObject::tr( "Cannot create a temporary folder for the charts." ) );
  auto chartSize = []( QgsLayoutItem *item ) {
    const QgsLayoutSize s = item->sizeWithUnits();
    return QSizeF( s.width(), s.height() ); // templates are in millimetres
  };
  if ( auto *hourly = qobject_cast<QgsLayoutItemPicture *>( layout.itemById( QStringLiteral( "chart_hourly" ) ) ) )
  {
    const QString path = scratch.filePath( QStringLiteral( "hourly.png" ) );
    drawHourByDayChart( f.hourByDay, QObject::tr( "Violent offenses by hour and day, %1" ).arg( period.text() ), chartSize( hourly ), options.dpi ).save( path );
    hourly->setPicturePath( path, QgsLayoutItemPicture::FormatRaster );
  }
  if ( auto *monthly = qobject_cast<QgsLayoutItemPicture *>( layout.itemById( QStringLiteral( "chart_monthly" ) ) ) )
  {
    const QString path = scratch.filePath( QStringLiteral( "monthly.png" ) );
    drawMonthlyChart( f.monthly, period.from.toString( QStringLiteral( "yyyy-MM" ) ), period.to.toString( QStringLiteral( "yyyy-MM" ) ),
                      QObject::tr( "Violent offenses per month (period highlighted)" ), chartSize( monthly ), options.dpi )
      .save( path );
    monthly->setPicturePath( path, QgsLayoutItemPicture::FormatRaster );
  }
  layout.refresh();
  // Placed once the texts are final (the refresh above may change the legend's size).
  if ( auto *legend = qobject_cast<QgsLayoutItemLegend *>( layout.itemById( QStringLiteral( "legend" ) ) ) )
  {
    if ( options.kind == BriefingTemplate::Citywide && !cityExtent.isNull() )
    {
      // Inside the map frame, in room kept free of the city: two columns below the city or one
      // column at its right, whichever leaves the city larger on the page.
      legend->setColumnCount( 2 );
      const QSizeF wide = legendContentSize( &layout, legend );
      legend->setColumnCount( 1 );
      const QSizeF narrow = legendContentSize( &layout, legend );
      const LegendRoom room = fitMapExtent( map, cityExtent, wide, narrow );
      legend->setColumnCount( room == LegendRoom::Below ? 2 : 1 );
      // Anchored by a bottom corner: the legend resizes itself to its content while it paints.
      const QRectF mapBox = map->sceneBoundingRect();
      if ( room == LegendRoom::Right )
      {
        legend->setReferencePoint( QgsLayoutItem::LowerRight );
        legend->attemptMove( QgsLayoutPoint( mapBox.right() - 1.0, mapBox.bottom() - 1.0 ) );
      }
      else
      {
        legend->setReferencePoint( QgsLayoutItem::LowerLeft );
        legend->attemptMove( QgsLayoutPoint( mapBox.left() + 1.0, mapBox.bottom() - kScaleBarBand ) );
      }
    }
    legend->adjustBoxSize();
  }
  if ( feedback )
  {
    if ( feedback->isCanceled() )
      return failed( QObject::tr( "Cancelled." ) );
    feedback->setProgress( 25 );
  }

  if ( coverage )
  {
    QgsLayoutAtlas *atlas = layout.atlas();
    atlas->setCoverageLayer( coverage );
    atlas->setEnabled( true );
    atlas->setHideCoverage( false );
    if ( options.kind == BriefingTemplate::Neighborhoods )
    {
      atlas->setFilterFeatures( true );
      QString filterError;
      if ( !atlas->setFilterExpression( QStringLiteral( "\"is_grant\" = 1" ), filterError ) )
        return failed( QObject::tr( "Atlas filter: %1" ).arg( filterError ) );
      atlas->setSortFeatures( true );
      atlas->setSortExpression( QStringLiteral( "\"name\"" ) );
      atlas->setPageNameExpression( QStringLiteral( "\"name\"" ) );
    }
    if ( atlas->updateFeatures() <= 0 )
      return failed( QObject::tr( "The atlas has no pages." ) );
    prepared->coverage = coverage;
    result.pages = atlas->count() * layout.pageCollection()->pageCount();
  }
  else
  {
    result.pages = layout.pageCollection()->pageCount();
  }
  return prepared;
}

BriefingResult BriefingExporter::exportPdf( const BriefingOptions &options, const QString &pdfPath, QgsFeedback *feedback )
{
  QElapsedTimer timer;
  timer.start();
  BriefingResult result;
  auto failed = [&result]( const QString &message ) {
    result.ok = false;
    result.error = message;
    return result;
  };
  if ( pdfPath.isEmpty() )
    return failed( QObject::tr( "No output file given." ) );
  const QFileInfo outInfo( pdfPath );
  if ( !outInfo.absoluteDir().exists() )
    return failed( QObject::tr( "The folder of %1 does not exist." ).arg( pdfPath ) );
  const std::unique_ptr<Prepared> prepared = prepare( options, result, feedback );
  if ( !prepared )
    return result;
  QgsPrintLayout &layout = *prepared->layout;

  QgsLayoutExporter::PdfExportSettings settings;
  settings.dpi = options.dpi;
  settings.rasterizeWholeImage = false;
  settings.forceVectorOutput = false;
  settings.textRenderFormat = Qgis::TextRenderFormat::AlwaysText;
  settings.exportMetadata = true;
  settings.appendGeoreference = true;
  settings.simplifyGeometries = true;

  const QString partPath = outInfo.absoluteDir().filePath( QStringLiteral( ".%1.part.pdf" ).arg( outInfo.fileName() ) );
  QFile::remove( partPath );
  QString error;
  QgsLayoutExporter::ExportResult exported = QgsLayoutExporter::Success;
  if ( prepared->coverage )
  {
    // Progress of the atlas export maps onto 25-100. Direct connections: \a feedback may live in
    // another thread (a QgsTask's), and this thread runs no event loop to deliver queued calls.
    QgsFeedback exportFeedback;
    if ( feedback )
    {
      QObject::connect( &exportFeedback, &QgsFeedback::progressChanged, feedback, [feedback]( double p ) { feedback->setProgress( 25 + 0.75 * p ); }, Qt::DirectConnection );
      QObject::connect( feedback, &QgsFeedback::canceled, &exportFeedback, &QgsFeedback::cancel, Qt::DirectConnection );
      if ( feedback->isCanceled() )
        exportFeedback.cancel();
    }
    exported = QgsLayoutExporter::exportToPdf( layout.atlas(), partPath, settings, error, &exportFeedback );
  }
  else
  {
    QgsLayoutExporter exporter( &layout );
    exported = exporter.exportToPdf( partPath, settings );
    if ( exported != QgsLayoutExporter::Success )
      error = QObject::tr( "cannot write %1" ).arg( exporter.errorFile().isEmpty() ? pdfPath : exporter.errorFile() );
  }
  if ( exported == QgsLayoutExporter::Success && feedback && feedback->isCanceled() )
    exported = QgsLayoutExporter::Canceled; // cancelled while a single page was written: no PDF either
  if ( exported != QgsLayoutExporter::Success )
  {
    QFile::remove( partPath );
    if ( exported == QgsLayoutExporter::Canceled )
      return failed( QObject::tr( "Cancelled." ) );
    return failed( QObject::tr( "The PDF export failed: %1" ).arg( error.isEmpty() ? QObject::tr( "cannot write %1" ).arg( pdfPath ) : error ) );
  }
  QFile::remove( pdfPath );
  if ( !QFile::rename( partPath, pdfPath ) )
  {
    QFile::remove( partPath );
    return failed( QObject::tr( "Cannot write %1." ).arg( pdfPath ) );
  }
  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  result.pdfPath = outInfo.absoluteFilePath();
  result.bytes = QFileInfo( pdfPath ).size();
  result.elapsedMs = timer.elapsed();
  return result;
}

BriefingResult BriefingExporter::renderPreview( const BriefingOptions &options, int page, double dpi, QImage *image, QgsFeedback *feedback )
{
  QElapsedTimer timer;
  timer.start();
  BriefingResult result;
  if ( !image || dpi <= 0 )
  {
    result.error = QObject::tr( "No image to render into." );
    return result;
  }
  *image = QImage();
  BriefingOptions previewOptions = options;
  previewOptions.dpi = dpi; // the charts too: they are drawn for the resolution they are shown at
  const std::unique_ptr<Prepared> prepared = prepare( previewOptions, result, feedback );
  if ( !prepared )
    return result;
  if ( page < 0 || page >= result.pages )
  {
    result.error = QObject::tr( "There is no page %1: the briefing has %2." ).arg( page + 1 ).arg( result.pages );
    return result;
  }
  QgsPrintLayout &layout = *prepared->layout;
  const int pagesPerFeature = std::max( 1, layout.pageCollection()->pageCount() );
  QgsLayoutAtlas *atlas = prepared->coverage ? layout.atlas() : nullptr;
  if ( atlas )
  {
    atlas->beginRender();
    if ( !atlas->seekTo( page / pagesPerFeature ) )
    {
      atlas->endRender();
      result.error = QObject::tr( "Cannot show atlas page %1." ).arg( page + 1 );
      return result;
    }
  }
  if ( feedback && feedback->isCanceled() )
  {
    result.error = QObject::tr( "Cancelled." );
    return result;
  }
  QgsLayoutExporter exporter( &layout );
  *image = exporter.renderPageToImage( page % pagesPerFeature, QSize(), dpi );
  if ( atlas )
    atlas->endRender();
  if ( image->isNull() )
  {
    result.error = QObject::tr( "QGIS could not render page %1." ).arg( page + 1 );
    return result;
  }
  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  result.elapsedMs = timer.elapsed();
  return result;
}

} // namespace statdesk
