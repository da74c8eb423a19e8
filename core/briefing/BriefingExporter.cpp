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

std::vector<BriefingSection::Factory> &factoryList()
{
  static std::vector<BriefingSection::Factory> sFactories;
  return sFactories;
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
                                                { QStringLiteral( "previous_to" ), period.previousTo.toString( Qt::ISODate ) } } },
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
  if ( options.from.isValid() && options.to.isValid() && options.from > options.to )
    return failed( QObject::tr( "The period starts (%1) after it ends (%2)." ).arg( options.from.toString( Qt::ISODate ), options.to.toString( Qt::ISODate ) ) );
  if ( options.suppressionThreshold < 1 )
    return failed( QObject::tr( "The suppression threshold must be at least 1." ) );
  if ( pdfPath.isEmpty() )
    return failed( QObject::tr( "No output file given." ) );
  const QFileInfo outInfo( pdfPath );
  if ( !outInfo.absoluteDir().exists() )
    return failed( QObject::tr( "The folder of %1 does not exist." ).arg( pdfPath ) );
  if ( !options.logoPath.isEmpty() && !QFileInfo::exists( options.logoPath ) )
    return failed( QObject::tr( "Logo %1 not found." ).arg( options.logoPath ) );

  QString error;
  std::unique_ptr<ProjectFile> file = ProjectFile::open( mProjectPath, ProjectFile::Mode::ReadOnly, &error );
  if ( !file )
    return failed( error );
  SqliteDatabase &db = file->database();

  // --- numbers ---------------------------------------------------------------------------
  result.period = BriefingPeriod::resolve( db, options.from, options.to );
  const BriefingPeriod &period = result.period;
  if ( !result.figures.compute( db, period, &error ) )
    return failed( error );
  if ( feedback )
    feedback->setProgress( 5 );

  BriefingContext context;
  context.database = &db;
  context.projectPath = mProjectPath;
  context.crsAuthId = file->crs().authid();
  context.period = period;
  context.publicMode = options.publicMode;

  std::vector<std::unique_ptr<BriefingSection>> registered;
  for ( const BriefingSection::Factory &f : BriefingSection::factories() )
    if ( auto s = f() )
      registered.push_back( std::move( s ) );
  std::vector<BriefingSection *> sections;
  for ( auto &s : registered )
    sections.push_back( s.get() );
  for ( auto &s : mSections )
    sections.push_back( s.get() );

  // --- map layers ----------------------------------------------------------------------------
  QgsProject project;
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
        if ( vl && vl->geometryType() == QgsWkbTypes::PointGeometry )
          continue; // sections are told not to, but a point never reaches a public page
      }
      if ( !result.sections.contains( s->id() ) )
        result.sections << s->id();
      addOwned( std::move( layer ) );
    }
  }

  const QString periodLabel = QObject::tr( "period" );
  if ( options.publicMode )
  {
    const double hexSize = options.hexSizeMetres > 0 ? options.hexSizeMetres : ( citywide ? 800.0 : 400.0 );
    std::unique_ptr<QgsVectorLayer> hex = makeHexagonLayer( db, context.crsAuthId, period, hexSize, options.suppressionThreshold, &result.hexagons, &error );
    if ( !hex )
      return failed( error );
    hex->setName( QObject::tr( "Violent offenses per %1 m hexagon" ).arg( hexSize ) );
    addOwned( std::move( hex ) );
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
      lines << QObject::tr( "Before / after (%1 days each)" ).arg( period.days() );
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
  QgsPrintLayout layout( &project );
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
  bool legendAtRight = false;
  {
    QgsRectangle extent;
    for ( const QString &table : { schema::kBoundaries, schema::kNeighborhoods } )
    {
      if ( QgsVectorLayer *l = ProjectLayers::layer( &project, table ) )
      {
        const QgsRectangle e = l->extent();
        if ( !e.isNull() && !e.isEmpty() )
        {
          if ( extent.isNull() )
            extent = e;
          else
            extent.combineExtentWith( e );
        }
      }
    }
    if ( extent.isNull() )
      extent = file->fullExtent();
    if ( !extent.isNull() )
    {
      // setExtent() resizes the item to the extent's aspect: widen the extent to the item's aspect first.
      const QgsRectangle padded = extent.buffered( std::max( extent.width(), extent.height() ) * 0.02 );
      const double itemAspect = map->rect().width() / map->rect().height();
      double w = padded.width();
      double h = padded.height();
      const bool tallItem = w / h > itemAspect;
      if ( tallItem )
        h = w / itemAspect;
      else
        w = h * itemAspect;
      // The spare room goes below the city (tall map) or right of it (wide map); the legend sits there.
      const QgsRectangle wanted = tallItem ? QgsRectangle( padded.xMinimum(), padded.yMaximum() - h, padded.xMaximum(), padded.yMaximum() )
                                           : QgsRectangle( padded.xMinimum(), padded.yMinimum(), padded.xMinimum() + w, padded.yMaximum() );
      legendAtRight = !tallItem;
      map->setExtent( wanted );
    }
  }
  if ( auto *legend = qobject_cast<QgsLayoutItemLegend *>( layout.itemById( QStringLiteral( "legend" ) ) ) )
  {
    legend->setAutoUpdateModel( false );
    QgsLayerTree *root = legend->model()->rootGroup();
    root->removeAllChildren();
    for ( QgsMapLayer *l : std::as_const( mapLayers ) )
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
  figureLines << QObject::tr( "Key figures, %1 (%2 days)" ).arg( period.text() ).arg( period.days() );
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
    privacy = QObject::tr( "PUBLIC VERSION. Violent offenses are shown only as counts per %1 m hexagon; hexagons with fewer than %2 offenses are not shown "
                           "and counts below %2 are not printed. No incident locations, addresses or person-level information are included." )
                .arg( result.hexagons.cellSizeMetres ).arg( t );
    if ( result.hexagons.cellsShown == 0 )
      privacy += QObject::tr( " In this period no hexagon reached %1 offenses, so none is drawn." ).arg( t );
  }
  else
  {
    privacy = QObject::tr( "RESTRICTED: shows individual incident locations. For law enforcement and Task Force use only; do not distribute." );
  }

  const QTimeZone tz = file->timeZone();
  const QString produced = QDateTime::currentDateTime().toTimeZone( tz.isValid() ? tz : QTimeZone::systemTimeZone() ).toString( QStringLiteral( "yyyy-MM-dd HH:mm" ) );
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
  QTemporaryDir scratch;
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
    legend->adjustBoxSize();
    if ( options.kind == BriefingTemplate::Citywide )
    {
      // Anchored by a bottom corner: the legend resizes itself to its content while it paints.
      const QRectF mapBox = map->sceneBoundingRect();
      if ( legendAtRight )
      {
        legend->setReferencePoint( QgsLayoutItem::LowerRight );
        legend->attemptMove( QgsLayoutPoint( mapBox.right() - 1.0, mapBox.bottom() - 1.0 ) );
      }
      else
      {
        legend->setReferencePoint( QgsLayoutItem::LowerLeft );
        legend->attemptMove( QgsLayoutPoint( mapBox.left() + 1.0, mapBox.bottom() - 16.0 ) );
      }
    }
  }
  if ( feedback )
  {
    if ( feedback->isCanceled() )
      return failed( QObject::tr( "Cancelled." ) );
    feedback->setProgress( 25 );
  }

  // --- export --------------------------------------------------------------------------------------
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
  QgsLayoutExporter::ExportResult exported = QgsLayoutExporter::Success;
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
    QString atlasError;
    if ( atlas->updateFeatures() <= 0 )
      return failed( QObject::tr( "The atlas has no pages." ) );
    result.pages = atlas->count() * layout.pageCollection()->pageCount();
    // Progress of the atlas export maps onto 25-100.
    QgsFeedback exportFeedback;
    if ( feedback )
    {
      QObject::connect( &exportFeedback, &QgsFeedback::progressChanged, feedback, [feedback]( double p ) { feedback->setProgress( 25 + 0.75 * p ); } );
      QObject::connect( feedback, &QgsFeedback::canceled, &exportFeedback, &QgsFeedback::cancel );
    }
    exported = QgsLayoutExporter::exportToPdf( atlas, partPath, settings, atlasError, &exportFeedback );
    if ( exported != QgsLayoutExporter::Success && !atlasError.isEmpty() )
      error = atlasError;
  }
  else
  {
    result.pages = layout.pageCollection()->pageCount();
    QgsLayoutExporter exporter( &layout );
    exported = exporter.exportToPdf( partPath, settings );
    if ( exported != QgsLayoutExporter::Success )
      error = QObject::tr( "cannot write %1" ).arg( exporter.errorFile().isEmpty() ? pdfPath : exporter.errorFile() );
  }
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

} // namespace statdesk
