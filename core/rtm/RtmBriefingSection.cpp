// rtm: the RTM section of the PDF briefings (see RtmBriefingSection.h).
#include "RtmBriefingSection.h"
#include "RtmLayers.h"
#include "RtmRuns.h"

#include "common/Sqlite.h"

#include <qgsvectorlayer.h>

#include <QLocale>

#include <algorithm>

namespace statdesk::rtm
{

namespace
{
const bool sRegistered = []
{
  BriefingSection::registerFactory( []
                                    { return std::make_unique<RtmBriefingSection>(); } );
  return true;
}();

//! The newest saved run with its map tables, or id -1.
RtmRunInfo latestRun( SqliteDatabase *db )
{
  if ( !db )
    return RtmRunInfo();
  const QList<RtmRunInfo> runs = listRtmRuns( *db );
  return runs.isEmpty() ? RtmRunInfo() : runs.front();
}
} // namespace

QString RtmBriefingSection::citywideText( const BriefingContext &context )
{
  Q_UNUSED( sRegistered )
  const RtmRunInfo latest = latestRun( context.database );
  if ( latest.id < 0 )
    return QString();
  RtmSavedRun run;
  QString error;
  if ( !loadRtmRun( *context.database, latest.id, &run, &error ) )
    return QObject::tr( "Risk Terrain Modeling: the latest saved run cannot be read (%1)." ).arg( error );
  const RtmParameters &p = run.parameters;
  const RtmResult &r = run.result;
  const QLocale locale;
  std::vector<ModelTerm> terms = r.chosen().terms;
  std::stable_sort( terms.begin(), terms.end(), []( const ModelTerm &a, const ModelTerm &b )
                    { return a.rrv > b.rrv; } );
  QStringList factors;
  for ( const ModelTerm &t : terms )
  {
    const QString distance = QStringLiteral( "%1 %2" ).arg( locale.toString( t.distance, 'f', 0 ), run.distanceUnit );
    factors << ( t.operationalisation == QLatin1String( "density" ) ? QObject::tr( "high density of %1 within %2 (RRV %3)" )
                                                                    : QObject::tr( "%1 within %2 (RRV %3)" ) )
                   .arg( t.factor, distance, locale.toString( t.rrv, 'f', 2 ) );
  }
  const QString window = p.trainFrom.isValid() || p.trainTo.isValid()
                             ? QObject::tr( "%1 to %2" ).arg( p.trainFrom.isValid() ? p.trainFrom.toString( Qt::ISODate ) : QObject::tr( "first record" ), p.trainTo.isValid() ? p.trainTo.toString( Qt::ISODate ) : QObject::tr( "last record" ) )
                             : QObject::tr( "all dates" );
  const QString outcome = p.outcomeFilter.trimmed().isEmpty() ? p.outcomeLayer : QObject::tr( "%1 where %2" ).arg( p.outcomeLayer, p.outcomeFilter );
  QStringList lines;
  lines << QObject::tr( "Risk Terrain Modeling (run %1 \"%2\", %3, %4):" ).arg( latest.id ).arg( latest.name, outcome, window );
  lines << ( factors.isEmpty() ? QObject::tr( "no risk factor was selected." ) : QObject::tr( "risk factors %1." ).arg( factors.join( QStringLiteral( "; " ) ) ) );
  if ( !r.classes.empty() && !factors.isEmpty() )
  {
    const RiskClass &top = r.classes.back();
    lines << QObject::tr( "Highest-risk cells: %1% of the area, %2% of the events; %3 high-risk places, %4 priority places (%5% of the area)." )
                 .arg( locale.toString( 100 * top.areaShare, 'f', 1 ), locale.toString( 100 * top.eventShare, 'f', 1 ) )
                 .arg( r.highRiskPlaceCount )
                 .arg( r.priorityPlaceCount )
                 .arg( locale.toString( 100 * r.priorityAreaShare, 'f', 1 ) );
  }
  return lines.join( QLatin1Char( '\n' ) );
}

std::vector<std::unique_ptr<QgsMapLayer>> RtmBriefingSection::citywideLayers( const BriefingContext &context )
{
  std::vector<std::unique_ptr<QgsMapLayer>> layers;
  const RtmRunInfo latest = latestRun( context.database );
  if ( latest.id < 0 || !latest.hasMapTables )
    return layers;
  QString error;
  for ( bool priority : { true, false } )
  {
    const QString name = priority ? QObject::tr( "RTM priority places (run %1)" ).arg( latest.id ) : QObject::tr( "RTM high-risk places (run %1)" ).arg( latest.id );
    if ( std::unique_ptr<QgsVectorLayer> layer = makePlacesLayer( context.projectPath, latest.id, priority, name, &error ) )
      layers.push_back( std::move( layer ) );
  }
  return layers;
}

} // namespace statdesk::rtm
