#include "grants/GrantAnalysis.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QJsonArray>
#include <QObject>
#include <QSet>

#include <qgsfeedback.h>
#include <qgsgeometry.h>
#include <qgsgeometryengine.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

namespace statdesk::grants
{

namespace
{
struct Neighborhood
{
  QString nbhId;
  QString name;
  bool isGrant = false;
  QgsGeometry geometry;
};

QVector<Neighborhood> loadNeighborhoods( SqliteDatabase &db )
{
  QVector<Neighborhood> out;
  SqliteStatement st( db, QStringLiteral( "SELECT nbh_id, name, COALESCE(is_grant, 0), geom FROM \"%1\" WHERE geom IS NOT NULL ORDER BY nbh_id" )
                              .arg( schema::kNeighborhoods ) );
  while ( st.next() )
  {
    Neighborhood n;
    n.nbhId = st.text( 0 );
    n.name = st.text( 1 );
    n.isGrant = st.int64( 2 ) != 0;
    n.geometry = geometryFromGpkgBlob( st.blob( 3 ) );
    if ( !n.geometry.isNull() )
      out.push_back( n );
  }
  return out;
}

/**
 * Calls \a onRow for every row of \a table whose point lies inside \a polygon and that passes
 * \a where; the statement's columns are geom (0) followed by \a columns. The layer's R*Tree narrows
 * the candidates to the polygon's bounding box first.
 */
void forEachInside( SqliteDatabase &db, const QString &table, const QgsGeometry &polygon, const QString &columns, const QString &where,
                    const std::function<void( SqliteStatement & )> &onRow )
{
  if ( !db.tableExists( table ) )
    return;
  const QgsRectangle box = polygon.boundingBox();
  const QString rtree = QStringLiteral( "rtree_%1_geom" ).arg( table );
  QString sql;
  if ( db.tableExists( rtree ) )
    sql = QStringLiteral( "SELECT t.geom, %1 FROM \"%2\" t JOIN \"%3\" r ON r.id = t.fid WHERE r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?%4" )
              .arg( columns, table, rtree, where.isEmpty() ? QString() : QStringLiteral( " AND (%1)" ).arg( where ) );
  else
    sql = QStringLiteral( "SELECT t.geom, %1 FROM \"%2\" t WHERE t.geom IS NOT NULL%3" )
              .arg( columns, table, where.isEmpty() ? QString() : QStringLiteral( " AND (%1)" ).arg( where ) );
  SqliteStatement st( db, sql );
  if ( db.tableExists( rtree ) )
  {
    st.bindDouble( 1, box.xMaximum() );
    st.bindDouble( 2, box.xMinimum() );
    st.bindDouble( 3, box.yMaximum() );
    st.bindDouble( 4, box.yMinimum() );
  }
  std::unique_ptr<QgsGeometryEngine> engine( QgsGeometry::createGeometryEngine( polygon.constGet() ) );
  engine->prepareGeometry();
  while ( st.next() )
  {
    const QgsGeometry point = geometryFromGpkgBlob( st.blob( 0 ) );
    if ( point.isNull() || !engine->contains( point.constGet() ) )
      continue;
    onRow( st );
  }
}

QString monthKey( const QDate &d )
{
  return d.toString( QStringLiteral( "yyyy-MM" ) );
}
QDate monthStart( const QDate &d )
{
  return QDate( d.year(), d.month(), 1 );
}

double twoSidedP( double z )
{
  return std::erfc( std::fabs( z ) / std::sqrt( 2.0 ) );
}

QString percent( double ratio )
{
  return QStringLiteral( "%1%" ).arg( std::round( std::fabs( ratio - 1.0 ) * 100.0 ), 0, 'f', 0 );
}
QString signedPercent( double ratio )
{
  const double p = std::round( ( ratio - 1.0 ) * 100.0 );
  return QStringLiteral( "%1%2%" ).arg( p > 0 ? QStringLiteral( "+" ) : QString() ).arg( p, 0, 'f', 0 );
}

struct MeasureSpec
{
  QString table;
  QString dateColumn;
  QString where;
  QString label;
};

MeasureSpec measureSpec( OutcomeOptions::Measure m )
{
  if ( m == OutcomeOptions::Measure::Blight311 )
    return { schema::kServiceRequests, QStringLiteral( "created_at" ), QStringLiteral( "t.blight_class IS NOT NULL AND t.blight_class != ''" ),
             QObject::tr( "Blight 311 requests" ) };
  return { schema::kIncidents, QStringLiteral( "occurred_at" ), QStringLiteral( "t.violent = 1" ), QObject::tr( "Violent offenses" ) };
}

qint64 sumMonths( const QMap<QString, int> &counts, const QDate &from, int months )
{
  qint64 total = 0;
  for ( int i = 0; i < months; ++i )
    total += counts.value( monthKey( from.addMonths( i ) ) );
  return total;
}

QJsonObject didJson( const DidEstimate &e )
{
  return QJsonObject{ { QStringLiteral( "treated_before" ), e.treatedBefore }, { QStringLiteral( "treated_after" ), e.treatedAfter }, { QStringLiteral( "comparison_before" ), e.comparisonBefore }, { QStringLiteral( "comparison_after" ), e.comparisonAfter }, { QStringLiteral( "comparisons" ), e.comparisons }, { QStringLiteral( "rate_ratio" ), e.rateRatio }, { QStringLiteral( "ci95" ), QJsonArray{ e.ciLow, e.ciHigh } }, { QStringLiteral( "p" ), e.pValue }, { QStringLiteral( "expected_after" ), e.expectedAfter }, { QStringLiteral( "wdd" ), e.wdd }, { QStringLiteral( "wdd_se" ), e.wddSe }, { QStringLiteral( "wdd_p" ), e.wddP }, { QStringLiteral( "enough" ), e.enough }, { QStringLiteral( "zero_cell" ), e.zeroCell } };
}
} // namespace

// --- needs ------------------------------------------------------------------------------------

bool neighborhoodNeeds( ProjectFile &project, const QString &nbhId, const QDate &asOf, NeighborhoodNeeds *needs, QString *error, int recentDays, int months )
{
  SqliteDatabase &db = project.database();
  SqliteStatement n( db, QStringLiteral( "SELECT name, geom FROM \"%1\" WHERE nbh_id = ?" ).arg( schema::kNeighborhoods ) );
  n.bindText( 1, nbhId );
  if ( !n.next() )
  {
    if ( error )
      *error = QObject::tr( "Neighborhood \"%1\" is not in the neighborhoods layer" ).arg( nbhId );
    return false;
  }
  const QgsGeometry polygon = geometryFromGpkgBlob( n.blob( 1 ) );
  if ( polygon.isNull() )
  {
    if ( error )
      *error = QObject::tr( "Neighborhood \"%1\" has no polygon" ).arg( nbhId );
    return false;
  }
  NeighborhoodNeeds r;
  r.nbhId = nbhId;
  r.name = n.text( 0 );
  r.asOf = asOf;
  r.recentDays = recentDays;
  const QString dayAfter = asOf.addDays( 1 ).toString( Qt::ISODate );
  const QString recentFrom = asOf.addDays( -recentDays ).toString( Qt::ISODate );

  QMap<QString, BlightClassCount> byClass;
  forEachInside( db, schema::kServiceRequests, polygon, QStringLiteral( "t.blight_class, t.status, t.created_at" ),
                 QStringLiteral( "t.blight_class IS NOT NULL AND t.blight_class != '' AND t.created_at < '%1'" ).arg( dayAfter ),
                 [&]( SqliteStatement &st )
                 {
                   BlightClassCount &c = byClass[st.text( 1 )];
                   c.blightClass = st.text( 1 );
                   const bool open = st.text( 2 ).compare( QLatin1String( "open" ), Qt::CaseInsensitive ) == 0;
                   const bool recent = st.text( 3 ) >= recentFrom;
                   c.open += open;
                   c.recent += recent;
                   r.blightOpen += open;
                   r.blightRecent += recent;
                 } );
  for ( const BlightClassCount &c : std::as_const( byClass ) )
    r.blight.push_back( c );
  std::sort( r.blight.begin(), r.blight.end(), []( const BlightClassCount &a, const BlightClassCount &b )
             { return a.open != b.open ? a.open > b.open : a.recent != b.recent ? a.recent > b.recent
                                                                                : a.blightClass < b.blightClass; } );
  forEachInside( db, schema::kVacantParcels, polygon, QStringLiteral( "t.fid" ), QString(), [&]( SqliteStatement & )
                 { ++r.vacantParcels; } );
  forEachInside( db, schema::kDangerousBuildings, polygon, QStringLiteral( "t.fid" ), QString(), [&]( SqliteStatement & )
                 { ++r.dangerousBuildings; } );

  const QDate first = monthStart( asOf ).addMonths( -( months - 1 ) );
  for ( int i = 0; i < months; ++i )
    r.violentByMonth.insert( monthKey( first.addMonths( i ) ), 0 );
  forEachInside( db, schema::kIncidents, polygon, QStringLiteral( "substr(t.occurred_at, 1, 7)" ),
                 QStringLiteral( "t.violent = 1 AND t.occurred_at >= '%1' AND t.occurred_at < '%2'" ).arg( first.toString( Qt::ISODate ), dayAfter ),
                 [&]( SqliteStatement &st )
                 {
                   auto it = r.violentByMonth.find( st.text( 1 ) );
                   if ( it != r.violentByMonth.end() )
                     ++*it;
                 } );
  const QDate last12 = monthStart( asOf ).addMonths( -11 );
  r.violentLast12 = static_cast<int>( sumMonths( r.violentByMonth, last12, 12 ) );
  r.violentPrevious12 = static_cast<int>( sumMonths( r.violentByMonth, last12.addMonths( -12 ), 12 ) );

  if ( db.tableExists( QStringLiteral( "grant_sites" ) ) && db.tableExists( QStringLiteral( "grants" ) ) )
  {
    SqliteStatement s( db, QStringLiteral( "SELECT s.fid FROM grant_sites s JOIN grants g ON g.fid = s.grant_id WHERE g.nbh_id = ? ORDER BY s.fid" ) );
    s.bindText( 1, nbhId );
    while ( s.next() )
      r.siteIds.push_back( s.int64( 0 ) );
  }
  *needs = r;
  return true;
}

QJsonObject NeighborhoodNeeds::toJson() const
{
  QJsonArray blightJson;
  for ( const BlightClassCount &c : blight )
    blightJson.append( QJsonObject{ { QStringLiteral( "class" ), c.blightClass }, { QStringLiteral( "open" ), c.open }, { QStringLiteral( "recent" ), c.recent } } );
  QJsonObject monthsJson;
  for ( auto it = violentByMonth.begin(); it != violentByMonth.end(); ++it )
    monthsJson.insert( it.key(), it.value() );
  QJsonArray sites;
  for ( qint64 s : siteIds )
    sites.append( s );
  return QJsonObject{ { QStringLiteral( "nbh_id" ), nbhId }, { QStringLiteral( "name" ), name }, { QStringLiteral( "as_of" ), asOf.toString( Qt::ISODate ) }, { QStringLiteral( "recent_days" ), recentDays }, { QStringLiteral( "blight" ), blightJson }, { QStringLiteral( "blight_open" ), blightOpen }, { QStringLiteral( "blight_recent" ), blightRecent }, { QStringLiteral( "vacant_parcels" ), vacantParcels }, { QStringLiteral( "dangerous_buildings" ), dangerousBuildings }, { QStringLiteral( "violent_by_month" ), monthsJson }, { QStringLiteral( "violent_last_12_months" ), violentLast12 }, { QStringLiteral( "violent_previous_12_months" ), violentPrevious12 }, { QStringLiteral( "sites" ), sites } };
}

// --- difference in differences ---------------------------------------------------------------

DidEstimate estimateDid( qint64 t0, qint64 t1, qint64 c0, qint64 c1, int k, int minimumEvents )
{
  DidEstimate e;
  e.treatedBefore = t0;
  e.treatedAfter = t1;
  e.comparisonBefore = c0;
  e.comparisonAfter = c1;
  e.comparisons = k;
  e.zeroCell = t0 == 0 || t1 == 0 || c0 == 0 || c1 == 0;
  // Haldane's 0.5 keeps the ratio and its interval finite when a cell is empty; such an
  // estimate is never called "enough".
  const double add = e.zeroCell ? 0.5 : 0.0;
  const double T0 = t0 + add, T1 = t1 + add, C0 = c0 + add, C1 = c1 + add;
  const double logRr = std::log( ( T1 / T0 ) / ( C1 / C0 ) );
  const double se = std::sqrt( 1 / T0 + 1 / T1 + 1 / C0 + 1 / C1 );
  e.rateRatio = std::exp( logRr );
  e.ciLow = std::exp( logRr - 1.959963984540054 * se );
  e.ciHigh = std::exp( logRr + 1.959963984540054 * se );
  e.pValue = twoSidedP( logRr / se );
  e.expectedAfter = c0 > 0 ? static_cast<double>( t0 ) * c1 / c0 : 0.0;
  const double kk = std::max( 1, k );
  e.wdd = ( t1 - t0 ) - ( c1 - c0 ) / kk;
  e.wddSe = std::sqrt( t0 + t1 + ( c0 + c1 ) / ( kk * kk ) );
  e.wddP = e.wddSe > 0 ? twoSidedP( e.wdd / e.wddSe ) : 1.0;
  e.enough = !e.zeroCell && t0 + t1 >= minimumEvents;
  return e;
}

QString describeDid( const DidEstimate &e, const QString &what )
{
  const QString interval = QObject::tr( "95% interval %1 to %2" ).arg( signedPercent( e.ciLow ), signedPercent( e.ciHigh ) );
  if ( !e.enough )
    return QObject::tr( "Too few events to say anything: %1 went from %2 to %3 (the comparison neighborhoods from %4 to %5); "
                        "the change relative to them could be anything in the %6." )
        .arg( what.toLower() )
        .arg( e.treatedBefore )
        .arg( e.treatedAfter )
        .arg( e.comparisonBefore )
        .arg( e.comparisonAfter )
        .arg( interval );
  const QString p = e.pValue < 0.001 ? QStringLiteral( "p < 0.001" ) : QStringLiteral( "p = %1" ).arg( e.pValue, 0, 'f', 3 );
  if ( e.ciHigh < 1.0 )
    return QObject::tr( "%1 fell %2 relative to comparison neighborhoods of similar baseline (%3, %4): %5 after the start where %6 were "
                        "expected from the comparison trend." )
        .arg( what, percent( e.rateRatio ), interval, p )
        .arg( e.treatedAfter )
        .arg( e.expectedAfter, 0, 'f', 1 );
  if ( e.ciLow > 1.0 )
    return QObject::tr( "%1 rose %2 relative to comparison neighborhoods of similar baseline (%3, %4): %5 after the start where %6 were "
                        "expected from the comparison trend." )
        .arg( what, percent( e.rateRatio ), interval, p )
        .arg( e.treatedAfter )
        .arg( e.expectedAfter, 0, 'f', 1 );
  return QObject::tr( "No change that the data can distinguish from chance: %1 changed %2 relative to comparison neighborhoods (%3, %4); "
                      "the data are consistent with no effect." )
      .arg( what.toLower(), signedPercent( e.rateRatio ), interval, p );
}

// --- outcomes ---------------------------------------------------------------------------------

bool estimateOutcomes( ProjectFile &project, const OutcomeOptions &options, OutcomeResult *result, QString *error, QgsFeedback *feedback )
{
  auto refuse = [error]( const QString &message )
  {
    if ( error )
      *error = message;
    return false;
  };
  if ( options.monthsBefore < 1 || options.monthsAfter < 1 || options.comparisons < 1 )
    return refuse( QObject::tr( "The windows need at least one month each and at least one comparison neighborhood" ) );
  SqliteDatabase &db = project.database();
  const MeasureSpec spec = measureSpec( options.measure );
  OutcomeResult r;
  r.measure = spec.label;

  const QVector<Neighborhood> hoods = loadNeighborhoods( db );
  if ( hoods.isEmpty() )
    return refuse( QObject::tr( "The project has no neighborhood polygons" ) );

  // Which neighborhoods are treated, and from when.
  struct Treated
  {
    int index;
    qint64 grantId;
    QDate start;
  };
  QVector<Treated> treated;
  QSet<QString> treatedIds;
  QHash<QString, int> indexOf;
  for ( int i = 0; i < hoods.size(); ++i )
    indexOf.insert( hoods.at( i ).nbhId, i );
  if ( db.tableExists( QStringLiteral( "grants" ) ) )
  {
    SqliteStatement g( db, QStringLiteral( "SELECT nbh_id, MIN(start_date), MIN(fid) FROM grants WHERE status IN ('awarded','active','closed') "
                                           "AND start_date IS NOT NULL AND start_date != '' GROUP BY nbh_id ORDER BY nbh_id" ) );
    while ( g.next() )
    {
      if ( !indexOf.contains( g.text( 0 ) ) )
        continue;
      treated.push_back( { indexOf.value( g.text( 0 ) ), g.int64( 2 ), QDate::fromString( g.text( 1 ), Qt::ISODate ) } );
      treatedIds.insert( g.text( 0 ) );
    }
  }
  if ( options.defaultStart.isValid() )
    for ( int i = 0; i < hoods.size(); ++i )
      if ( hoods.at( i ).isGrant && !treatedIds.contains( hoods.at( i ).nbhId ) )
      {
        treated.push_back( { i, 0, options.defaultStart } );
        treatedIds.insert( hoods.at( i ).nbhId );
      }
  if ( treated.isEmpty() )
    return refuse( QObject::tr( "No grant neighborhood has a start date: give the grants a start date or choose a default start" ) );

  // Monthly counts per neighborhood (one pass over each polygon's candidates).
  QVector<QMap<QString, int>> monthly( hoods.size() );
  for ( int i = 0; i < hoods.size(); ++i )
  {
    if ( feedback )
    {
      if ( feedback->isCanceled() )
        return refuse( QObject::tr( "Cancelled" ) );
      feedback->setProgress( 100.0 * i / hoods.size() );
    }
    forEachInside( db, spec.table, hoods.at( i ).geometry, QStringLiteral( "substr(t.%1, 1, 7)" ).arg( spec.dateColumn ), spec.where,
                   [&]( SqliteStatement &st )
                   { ++monthly[i][st.text( 1 )]; } );
  }
  r.dataEnd = db.scalar( QStringLiteral( "SELECT substr(MAX(%1), 1, 7) FROM \"%2\" t WHERE %3" ).arg( spec.dateColumn, spec.table, spec.where ) ).toString();
  const QDate dataEndMonth = QDate::fromString( r.dataEnd + QStringLiteral( "-01" ), Qt::ISODate );
  if ( !dataEndMonth.isValid() )
    return refuse( QObject::tr( "The project has no %1" ).arg( spec.label.toLower() ) );

  qint64 pt0 = 0, pt1 = 0, pc0 = 0, pc1 = 0;
  int pooledK = 0;
  for ( const Treated &t : std::as_const( treated ) )
  {
    OutcomeRow row;
    const Neighborhood &h = hoods.at( t.index );
    row.nbhId = h.nbhId;
    row.name = h.name;
    row.grantId = t.grantId;
    row.start = t.start;
    const QDate afterFrom = monthStart( t.start );
    const QDate beforeFrom = afterFrom.addMonths( -options.monthsBefore );
    row.afterMonths = std::max( 0, std::min( options.monthsAfter, ( dataEndMonth.year() - afterFrom.year() ) * 12 + dataEndMonth.month() - afterFrom.month() + 1 ) );
    row.beforeWindow = QStringLiteral( "%1..%2" ).arg( monthKey( beforeFrom ), monthKey( afterFrom.addMonths( -1 ) ) );
    row.afterWindow = row.afterMonths > 0 ? QStringLiteral( "%1..%2" ).arg( monthKey( afterFrom ), monthKey( afterFrom.addMonths( row.afterMonths - 1 ) ) ) : QString();
    const qint64 t0 = sumMonths( monthly.at( t.index ), beforeFrom, options.monthsBefore );
    const qint64 t1 = sumMonths( monthly.at( t.index ), afterFrom, row.afterMonths );

    // Comparison neighborhoods: never-treated, closest baseline in the same before window.
    QVector<QPair<qint64, int>> candidates;
    for ( int i = 0; i < hoods.size(); ++i )
    {
      if ( hoods.at( i ).isGrant || treatedIds.contains( hoods.at( i ).nbhId ) )
        continue;
      candidates.push_back( { std::llabs( sumMonths( monthly.at( i ), beforeFrom, options.monthsBefore ) - t0 ), i } );
    }
    std::sort( candidates.begin(), candidates.end() );
    qint64 c0 = 0, c1 = 0;
    const int k = std::min<int>( options.comparisons, candidates.size() );
    for ( int j = 0; j < k; ++j )
    {
      const int i = candidates.at( j ).second;
      row.comparisonIds << hoods.at( i ).nbhId;
      c0 += sumMonths( monthly.at( i ), beforeFrom, options.monthsBefore );
      c1 += sumMonths( monthly.at( i ), afterFrom, row.afterMonths );
    }
    if ( row.afterMonths == 0 )
    {
      row.estimate = estimateDid( t0, 0, c0, 0, k, options.minimumEvents );
      row.estimate.enough = false;
      row.verdict = QObject::tr( "No data after the start (%1) yet: the data end in %2." ).arg( t.start.toString( Qt::ISODate ), r.dataEnd );
    }
    else if ( k == 0 )
    {
      row.estimate = estimateDid( t0, t1, 0, 0, 0, options.minimumEvents );
      row.estimate.enough = false;
      row.verdict = QObject::tr( "No comparison neighborhood is available." );
    }
    else
    {
      row.estimate = estimateDid( t0, t1, c0, c1, k, options.minimumEvents );
      row.verdict = describeDid( row.estimate, spec.label );
      if ( row.afterMonths < options.monthsAfter )
        row.verdict += QObject::tr( " (After window shortened to %1 month(s): the data end in %2.)" ).arg( row.afterMonths ).arg( r.dataEnd );
      pt0 += t0;
      pt1 += t1;
      pc0 += c0;
      pc1 += c1;
      pooledK = std::max( pooledK, k );
    }
    r.rows.push_back( row );
  }
  r.pooled = estimateDid( pt0, pt1, pc0, pc1, pooledK, options.minimumEvents );
  r.pooled.wdd = ( pt1 - pt0 ) - ( pc1 - pc0 ) / static_cast<double>( std::max( 1, pooledK ) );
  r.pooled.wddSe = std::sqrt( pt0 + pt1 + ( pc0 + pc1 ) / std::pow( static_cast<double>( std::max( 1, pooledK ) ), 2 ) );
  r.pooled.wddP = r.pooled.wddSe > 0 ? twoSidedP( r.pooled.wdd / r.pooled.wddSe ) : 1.0;
  r.pooledVerdict = describeDid( r.pooled, spec.label );
  r.notes << QObject::tr( "Windows are whole calendar months; the month a grant starts counts as 'after'." )
          << QObject::tr( "Rate ratio = (after/before in the grant neighborhood) / (after/before in its comparison neighborhoods); "
                          "95% interval from the Poisson variance of the log ratio. WDD = change in the grant neighborhood minus the "
                          "average change of its comparisons, with Poisson standard error." )
          << QObject::tr( "Comparison neighborhoods can serve several grant neighborhoods, so the pooled interval is somewhat too narrow." )
          << QObject::tr( "This is an observational comparison: other changes at the same time can look like an effect." );
  if ( feedback )
    feedback->setProgress( 100.0 );
  *result = r;
  return true;
}

QJsonObject OutcomeResult::toJson() const
{
  QJsonArray rowsJson;
  for ( const OutcomeRow &row : rows )
  {
    QJsonObject o = didJson( row.estimate );
    o.insert( QStringLiteral( "nbh_id" ), row.nbhId );
    o.insert( QStringLiteral( "name" ), row.name );
    o.insert( QStringLiteral( "grant" ), row.grantId );
    o.insert( QStringLiteral( "start" ), row.start.toString( Qt::ISODate ) );
    o.insert( QStringLiteral( "before_window" ), row.beforeWindow );
    o.insert( QStringLiteral( "after_window" ), row.afterWindow );
    o.insert( QStringLiteral( "after_months" ), row.afterMonths );
    o.insert( QStringLiteral( "comparison_ids" ), QJsonArray::fromStringList( row.comparisonIds ) );
    o.insert( QStringLiteral( "verdict" ), row.verdict );
    rowsJson.append( o );
  }
  QJsonObject pooledJson = didJson( pooled );
  pooledJson.insert( QStringLiteral( "verdict" ), pooledVerdict );
  return QJsonObject{ { QStringLiteral( "measure" ), measure }, { QStringLiteral( "data_end" ), dataEnd }, { QStringLiteral( "rows" ), rowsJson }, { QStringLiteral( "pooled" ), pooledJson }, { QStringLiteral( "notes" ), QJsonArray::fromStringList( notes ) } };
}

} // namespace statdesk::grants
