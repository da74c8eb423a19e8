#include "GrantBriefingSection.h"

#include "GrantAnalysis.h"
#include "GrantLedger.h"
#include "Money.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"

#include <QLocale>

#include <qgsfillsymbol.h>
#include <qgsmarkersymbol.h>
#include <qgspallabeling.h>
#include <qgssinglesymbolrenderer.h>
#include <qgstextformat.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

#include <cmath>

namespace statdesk::grants
{

namespace
{
[[maybe_unused]] const bool sRegistered = []
{
  BriefingSection::registerFactory( []
                                    { return std::make_unique<GrantBriefingSection>(); } );
  return true;
}();

//! Grants that are (or were) running: the ones a briefing reports on.
bool reported( const QString &status )
{
  return status != QLatin1String( "declined" ) && status != QLatin1String( "withdrawn" );
}

QString count( qint64 value, const BriefingContext &context )
{
  if ( context.publicMode && value > 0 && value < context.suppressionThreshold )
    return QObject::tr( "fewer than %1" ).arg( context.suppressionThreshold );
  return QLocale().toString( value );
}

//! "+10%", "-28%": a rate ratio as a change.
QString change( double ratio )
{
  const long pct = std::lround( ( ratio - 1.0 ) * 100.0 );
  return QStringLiteral( "%1%2%" ).arg( pct > 0 ? QStringLiteral( "+" ) : QString() ).arg( pct );
}

struct Milestone
{
  QString title;
  QDate due;
  QDate completed;
};

//! Milestones per grant id, by due date.
QMap<qint64, QVector<Milestone>> readMilestones( SqliteDatabase &db )
{
  QMap<qint64, QVector<Milestone>> out;
  if ( !db.tableExists( tables::kMilestones ) )
    return out;
  SqliteStatement st( db, QStringLiteral( "SELECT grant_id, title, due_on, completed_on FROM \"%1\" ORDER BY due_on, fid" ).arg( tables::kMilestones ) );
  while ( st.next() )
    out[st.int64( 0 )].push_back( { st.text( 1 ), QDate::fromString( st.text( 2 ), Qt::ISODate ), QDate::fromString( st.text( 3 ), Qt::ISODate ) } );
  return out;
}

QStringList milestoneLines( const QVector<Milestone> &milestones, const QString &status, const QDate &today )
{
  // Overdue as GrantLedger::flags() has it: not completed, due before today, grant awarded or active.
  const bool running = status == QLatin1String( "awarded" ) || status == QLatin1String( "active" );
  QStringList overdue, upcoming;
  int done = 0;
  for ( const Milestone &m : milestones )
  {
    if ( m.completed.isValid() )
      ++done;
    else if ( running && m.due.isValid() && m.due < today )
      overdue << QObject::tr( "OVERDUE: %1 (due %2)" ).arg( m.title, m.due.toString( Qt::ISODate ) );
    else
      upcoming << QObject::tr( "Next: %1 (due %2)" ).arg( m.title, m.due.toString( Qt::ISODate ) );
  }
  if ( milestones.isEmpty() )
    return { QObject::tr( "Milestones: none recorded" ) };
  QStringList lines;
  lines << QObject::tr( "Milestones: %1 of %2 done, %3 overdue (as of %4)" ).arg( done ).arg( milestones.size() ).arg( overdue.size() ).arg( today.toString( Qt::ISODate ) );
  constexpr int kShown = 3; // the box on the page holds a few lines per grant
  for ( int i = 0; i < overdue.size() && i < kShown; ++i )
    lines << QStringLiteral( "  " ) + overdue.at( i );
  if ( overdue.size() > kShown )
    lines << QObject::tr( "  and %1 more overdue" ).arg( overdue.size() - kShown );
  if ( overdue.size() < kShown && !upcoming.isEmpty() )
    lines << QStringLiteral( "  " ) + upcoming.first();
  return lines;
}

QString outcomeLine( const OutcomeRow &row, int monthsBefore, const BriefingContext &context )
{
  const DidEstimate &e = row.estimate;
  const QString start = row.start.toString( QStringLiteral( "yyyy-MM" ) );
  if ( row.afterMonths == 0 )
    return QObject::tr( "Violent offenses since the grant began (%1): no data after the start yet." ).arg( start );
  const QString line = QObject::tr( "Violent offenses since the grant began (%1): %2 in the %3 months before, %4 in the %5 months after" )
                           .arg( start, count( e.treatedBefore, context ) )
                           .arg( monthsBefore )
                           .arg( count( e.treatedAfter, context ) )
                           .arg( row.afterMonths );
  if ( e.comparisons == 0 )
    return line + QObject::tr( "; no comparison neighborhood." );
  if ( !e.enough )
    return line + QObject::tr( "; too few offenses to compare with other neighborhoods." );
  const QString interval = QObject::tr( "95% interval %1 to %2" ).arg( change( e.ciLow ), change( e.ciHigh ) );
  if ( e.ciHigh < 1.0 || e.ciLow > 1.0 )
    return line + QObject::tr( "; %1 relative to %2 comparison neighborhoods (%3)." ).arg( change( e.rateRatio ) ).arg( e.comparisons ).arg( interval );
  return line + QObject::tr( "; relative to %1 comparison neighborhoods no change beyond chance (%2, %3)." ).arg( e.comparisons ).arg( change( e.rateRatio ), interval );
}

std::unique_ptr<QgsVectorLayer> sitesLayer( const QString &geometryType, const QString &name, const QString &crsAuthId )
{
  auto layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "%1?crs=%2&field=grant_id:integer&field=nbh_id:string&field=label:string&field=kind:string" ).arg( geometryType, crsAuthId ),
                                                 name, QStringLiteral( "memory" ) );
  layer->setCustomProperty( ProjectLayers::tableProperty(), GrantBriefingSection::sitesTable() );
  layer->setCustomProperty( kBriefingPublicSafeProperty, true );
  const QColor blue( 0x1b, 0x5f, 0xa8 );
  if ( layer->geometryType() == QgsWkbTypes::PointGeometry )
  {
    QgsMarkerSymbol *symbol = QgsMarkerSymbol::createSimple( { { QStringLiteral( "name" ), QStringLiteral( "star" ) },
                                                               { QStringLiteral( "color" ), blue.name() },
                                                               { QStringLiteral( "outline_color" ), QStringLiteral( "#ffffff" ) },
                                                               { QStringLiteral( "outline_width" ), QStringLiteral( "0.3" ) },
                                                               { QStringLiteral( "size" ), QStringLiteral( "4.2" ) } } );
    layer->setRenderer( new QgsSingleSymbolRenderer( symbol ) );
  }
  else
  {
    QgsFillSymbol *symbol = QgsFillSymbol::createSimple( { { QStringLiteral( "color" ), QStringLiteral( "27,95,168,70" ) },
                                                           { QStringLiteral( "outline_color" ), blue.name() },
                                                           { QStringLiteral( "outline_width" ), QStringLiteral( "0.6" ) } } );
    layer->setRenderer( new QgsSingleSymbolRenderer( symbol ) );
  }
  QgsPalLayerSettings labels;
  labels.fieldName = QStringLiteral( "label" );
  labels.placement = layer->geometryType() == QgsWkbTypes::PointGeometry ? QgsPalLayerSettings::OrderedPositionsAroundPoint : QgsPalLayerSettings::OverPoint;
  QgsTextFormat format;
  format.setFont( QFont( QStringLiteral( "DejaVu Sans" ) ) );
  format.setSize( 7 );
  format.setColor( blue.darker( 130 ) );
  QgsTextBufferSettings buffer;
  buffer.setEnabled( true );
  buffer.setSize( 0.8 );
  format.setBuffer( buffer );
  labels.setFormat( format );
  layer->setLabeling( new QgsVectorLayerSimpleLabeling( labels ) );
  layer->setLabelsEnabled( true );
  return layer;
}
} // namespace

QMap<QString, QString> GrantBriefingSection::neighborhoodTexts( const BriefingContext &context )
{
  QMap<QString, QString> texts;
  if ( !context.project )
    return texts;
  GrantLedger ledger( *context.project );
  if ( !ledger.hasLedger() )
    return texts;
  const QVector<GrantFigures> grants = ledger.grantFigures();
  const QMap<qint64, QVector<Milestone>> milestones = readMilestones( context.project->database() );

  // The before/after estimate per neighborhood; nothing when no grant has a start date yet.
  QMap<QString, OutcomeRow> outcomes;
  OutcomeOptions outcomeOptions;
  OutcomeResult outcomeResult;
  if ( estimateOutcomes( *context.project, outcomeOptions, &outcomeResult, nullptr ) )
    for ( const OutcomeRow &row : std::as_const( outcomeResult.rows ) )
      outcomes.insert( row.nbhId, row );

  QMap<QString, QStringList> lines;
  for ( const GrantFigures &g : grants )
  {
    if ( !reported( g.status ) || g.nbhId.isEmpty() )
      continue;
    QStringList &l = lines[g.nbhId];
    l << QObject::tr( "Grant %1 · %2 · %3 (%4)" ).arg( g.grantId ).arg( g.program, g.grantee, g.status );
    l << QObject::tr( "Budget: awarded %1 · disbursed %2 · remaining %3" ).arg( formatMoney( g.awardCents ), formatMoney( g.disbursedCents ), formatMoney( g.remainingCents ) );
    l << milestoneLines( milestones.value( g.grantId ), g.status, context.today );
  }
  for ( auto it = lines.begin(); it != lines.end(); ++it )
  {
    if ( outcomes.contains( it.key() ) )
      *it << outcomeLine( outcomes.value( it.key() ), outcomeOptions.monthsBefore, context );
    texts.insert( it.key(), it->join( QLatin1Char( '\n' ) ) );
  }
  return texts;
}

std::vector<std::unique_ptr<QgsMapLayer>> GrantBriefingSection::neighborhoodLayers( const BriefingContext &context )
{
  std::vector<std::unique_ptr<QgsMapLayer>> layers;
  if ( !context.database || !context.database->tableExists( tables::kGrantSites ) || !context.database->tableExists( tables::kGrants ) )
    return layers;
  std::unique_ptr<QgsVectorLayer> points = sitesLayer( QStringLiteral( "Point" ), QObject::tr( "Grant sites" ), context.crsAuthId );
  std::unique_ptr<QgsVectorLayer> areas = sitesLayer( QStringLiteral( "MultiPolygon" ), QObject::tr( "Grant site areas" ), context.crsAuthId );
  QgsFeatureList pointFeatures, areaFeatures;
  SqliteStatement st( *context.database, QStringLiteral( "SELECT s.geom, s.grant_id, g.nbh_id, s.label, s.kind, g.status FROM \"%1\" s JOIN \"%2\" g ON g.fid = s.grant_id ORDER BY s.fid" )
                                             .arg( tables::kGrantSites, tables::kGrants ) );
  while ( st.next() )
  {
    if ( !reported( st.text( 5 ) ) )
      continue;
    QgsGeometry geometry = geometryFromGpkgBlob( st.blob( 0 ) );
    if ( geometry.isNull() )
      continue;
    const QgsWkbTypes::GeometryType type = geometry.type();
    if ( type != QgsWkbTypes::PointGeometry && type != QgsWkbTypes::PolygonGeometry )
      continue;
    QgsFeature f( ( type == QgsWkbTypes::PointGeometry ? points : areas )->fields() );
    if ( type == QgsWkbTypes::PolygonGeometry )
      geometry.convertToMultiType();
    else if ( geometry.isMultipart() )
      geometry = geometry.centroid();
    f.setGeometry( geometry );
    f.setAttributes( QgsAttributes() << st.int64( 1 ) << st.text( 2 ) << st.text( 3 ) << st.text( 4 ) );
    ( type == QgsWkbTypes::PointGeometry ? pointFeatures : areaFeatures ) << f;
  }
  auto keep = [&layers]( std::unique_ptr<QgsVectorLayer> layer, QgsFeatureList &features )
  {
    if ( features.isEmpty() )
      return;
    layer->dataProvider()->addFeatures( features );
    layer->updateExtents();
    layers.push_back( std::move( layer ) );
  };
  keep( std::move( points ), pointFeatures );
  keep( std::move( areas ), areaFeatures );
  return layers;
}

} // namespace statdesk::grants
