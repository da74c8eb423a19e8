#include "BriefingData.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/Schema.h"

#include <QJsonArray>
#include <QLocale>

#include <qgsgeometry.h>
#include <qgsgeometryengine.h>
#include <qgspoint.h>

#include <cmath>
#include <limits>
#include <memory>

namespace statdesk
{

namespace
{
QString isoDate( const QDate &d )
{
  return d.toString( Qt::ISODate );
}

//! Upper bound for "occurred_at < X": the day after \a to, so ISO text with offsets compares by local date.
QString dayAfter( const QDate &to )
{
  return isoDate( to.addDays( 1 ) );
}

bool count( SqliteDatabase &db, const QString &sql, const QStringList &binds, qint64 *out, QString *error )
{
  SqliteStatement st( db, sql );
  if ( !st.isValid() )
  {
    if ( error )
      *error = QObject::tr( "Briefing query failed: %1" ).arg( db.lastSqliteError() );
    return false;
  }
  for ( int i = 0; i < binds.size(); ++i )
    st.bindText( i + 1, binds.at( i ) );
  *out = st.next() ? st.int64( 0 ) : 0;
  return true;
}

struct XY
{
    double x = 0;
    double y = 0;
    int tag = 0; //!< what the point is (see kTag* below)
};

enum Tag
{
  kViolentNow = 1,
  kViolentBefore = 2,
  kBlightNow = 4,
  kBlightBefore = 8,
  kBlightOpen = 16,
  kVacant = 32,
  kDangerous = 64,
};

//! Exact coordinates of the rows \a sql selects (first column: geometry blob, second: tag).
bool readPoints( SqliteDatabase &db, const QString &sql, const QStringList &binds, QVector<XY> *points, QString *error )
{
  SqliteStatement st( db, sql );
  if ( !st.isValid() )
  {
    if ( error )
      *error = QObject::tr( "Briefing query failed: %1" ).arg( db.lastSqliteError() );
    return false;
  }
  for ( int i = 0; i < binds.size(); ++i )
    st.bindText( i + 1, binds.at( i ) );
  while ( st.next() )
  {
    const QByteArray blob = st.blob( 0 );
    GpkgEnvelope env;
    if ( blob.isEmpty() || gpkgBlobIsEmpty( reinterpret_cast<const unsigned char *>( blob.constData() ), blob.size() )
         || !gpkgBlobEnvelope( reinterpret_cast<const unsigned char *>( blob.constData() ), blob.size(), env ) )
      continue;
    points->append( XY { env.minX, env.minY, static_cast<int>( st.int64( 1 ) ) } );
  }
  return true;
}
} // namespace

QString BriefingPeriod::text() const
{
  return QStringLiteral( "%1 – %2" ).arg( isoDate( from ), isoDate( to ) );
}

QString BriefingPeriod::previousText() const
{
  return QStringLiteral( "%1 – %2" ).arg( isoDate( previousFrom ), isoDate( previousTo ) );
}

bool BriefingPeriod::isWholeMonths() const
{
  return from.isValid() && to.isValid() && from.day() == 1 && to.day() == to.daysInMonth() && from <= to;
}

void BriefingPeriod::setComparison()
{
  previousTo = from.addDays( -1 );
  if ( isWholeMonths() )
  {
    const int months = ( to.year() - from.year() ) * 12 + to.month() - from.month() + 1;
    previousFrom = from.addMonths( -months );
  }
  else
  {
    previousFrom = previousTo.addDays( -( days() - 1 ) );
  }
}

namespace
{
//! Local date of the latest incident; today when the project has none.
QDate latestIncidentDate( SqliteDatabase &db )
{
  const QString latest = db.scalar( QStringLiteral( "SELECT max(occurred_at) FROM incidents" ) ).toString();
  const QDate d = QDate::fromString( latest.left( 10 ), Qt::ISODate );
  return d.isValid() ? d : QDate::currentDate();
}

//! The last day of the last month that \a latest completes: \a latest itself at a month's end, else the end of the month before.
QDate lastFullMonthEnd( const QDate &latest )
{
  if ( latest.day() == latest.daysInMonth() )
    return latest;
  return QDate( latest.year(), latest.month(), 1 ).addDays( -1 );
}
} // namespace

BriefingPeriod BriefingPeriod::resolve( SqliteDatabase &db, const QDate &from, const QDate &to, bool publicMode )
{
  if ( !from.isValid() && !to.isValid() )
    return defaultPeriod( db, publicMode );
  BriefingPeriod p;
  p.to = to.isValid() ? to : ( publicMode ? lastFullMonthEnd( latestIncidentDate( db ) ) : latestIncidentDate( db ) );
  if ( from.isValid() )
    p.from = from;
  else
    p.from = publicMode ? p.to.addDays( 1 ).addMonths( -12 ) : p.to.addDays( -27 );
  p.setComparison();
  return p;
}

BriefingPeriod BriefingPeriod::defaultPeriod( SqliteDatabase &db, bool publicMode )
{
  BriefingPeriod p;
  const QDate latest = latestIncidentDate( db );
  if ( publicMode )
  {
    p.to = lastFullMonthEnd( latest );
    p.from = p.to.addDays( 1 ).addMonths( -12 );
    p.note = QObject::tr( "the default for public briefings: whole months up to %1" ).arg( QLocale().toString( p.to, QStringLiteral( "MMMM yyyy" ) ) );
  }
  else
  {
    p.to = latest;
    p.from = latest.addDays( -27 );
    p.note = QObject::tr( "the default: up to the latest incident" );
  }
  p.setComparison();
  return p;
}

double BriefingFigures::percentChange( qint64 current, qint64 previous )
{
  if ( previous == 0 )
    return std::numeric_limits<double>::quiet_NaN();
  return 100.0 * static_cast<double>( current - previous ) / static_cast<double>( previous );
}

QString BriefingFigures::percentText( qint64 current, qint64 previous )
{
  const double pct = percentChange( current, previous );
  if ( std::isnan( pct ) )
    return QObject::tr( "n/a (none before)" );
  return QStringLiteral( "%1%2%" ).arg( pct >= 0 ? QStringLiteral( "+" ) : QString() ).arg( pct, 0, 'f', 1 );
}

bool BriefingFigures::compute( SqliteDatabase &db, const BriefingPeriod &period, QString *error )
{
  const QStringList now { isoDate( period.from ), dayAfter( period.to ) };
  const QStringList before { isoDate( period.previousFrom ), dayAfter( period.previousTo ) };
  const QString violentSql = QStringLiteral( "SELECT count(*) FROM incidents WHERE violent = 1 AND occurred_at >= ? AND occurred_at < ?" );
  const QString shootingSql = QStringLiteral( "SELECT count(*) FROM incidents WHERE shooting = 1 AND occurred_at >= ? AND occurred_at < ?" );
  if ( !count( db, violentSql, now, &violent, error ) || !count( db, violentSql, before, &violentPrevious, error )
       || !count( db, shootingSql, now, &shootings, error ) || !count( db, shootingSql, before, &shootingsPrevious, error )
       || !count( db, QStringLiteral( "SELECT count(*) FROM service_requests WHERE blight_class IS NOT NULL AND status = 'open'" ), {}, &openBlight, error )
       || !count( db, QStringLiteral( "SELECT count(*) FROM service_requests WHERE blight_class IS NOT NULL AND created_at >= ? AND created_at < ?" ), now, &newBlight, error )
       || !count( db, QStringLiteral( "SELECT count(*) FROM vacant_parcels" ), {}, &vacantParcels, error )
       || !count( db, QStringLiteral( "SELECT count(*) FROM dangerous_buildings" ), {}, &dangerousBuildings, error ) )
    return false;

  // Data currency: the latest record of each source, by its own event date.
  const QVector<QPair<QString, QString>> sources {
    { schema::kIncidents, QStringLiteral( "occurred_at" ) },
    { schema::kServiceRequests, QStringLiteral( "created_at" ) },
    { schema::kVacantParcels, QStringLiteral( "listed_at" ) },
    { schema::kDangerousBuildings, QStringLiteral( "case_opened" ) },
  };
  currency.clear();
  for ( const auto &s : sources )
  {
    const QString latest = db.scalar( QStringLiteral( "SELECT max(%1) FROM %2" ).arg( s.second, s.first ) ).toString();
    if ( !latest.isEmpty() )
      currency.insert( s.first, latest.left( 10 ) );
  }

  for ( auto &row : hourByDay )
    row.fill( 0 );
  {
    // strftime('%w') is 0 = Sunday; the local date and hour are the text's own fields.
    SqliteStatement st( db, QStringLiteral( "SELECT CAST(strftime('%w', substr(occurred_at, 1, 10)) AS INTEGER), CAST(substr(occurred_at, 12, 2) AS INTEGER), count(*) "
                                            "FROM incidents WHERE violent = 1 AND occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2" ) );
    st.bindText( 1, now.at( 0 ) );
    st.bindText( 2, now.at( 1 ) );
    while ( st.next() )
    {
      const int sundayBased = static_cast<int>( st.int64( 0 ) );
      const int hour = static_cast<int>( st.int64( 1 ) );
      if ( sundayBased < 0 || sundayBased > 6 || hour < 0 || hour > 23 )
        continue;
      hourByDay[static_cast<size_t>( ( sundayBased + 6 ) % 7 )][static_cast<size_t>( hour )] += static_cast<int>( st.int64( 2 ) );
    }
  }

  monthly.clear();
  const QDate lastMonth( period.to.year(), period.to.month(), 1 );
  const QDate firstMonth = lastMonth.addMonths( -23 );
  QMap<QString, int> byMonth;
  {
    SqliteStatement st( db, QStringLiteral( "SELECT substr(occurred_at, 1, 7), count(*) FROM incidents WHERE violent = 1 AND occurred_at >= ? AND occurred_at < ? GROUP BY 1" ) );
    st.bindText( 1, isoDate( firstMonth ) );
    st.bindText( 2, isoDate( lastMonth.addMonths( 1 ) ) );
    while ( st.next() )
      byMonth.insert( st.text( 0 ), static_cast<int>( st.int64( 1 ) ) );
  }
  for ( QDate m = firstMonth; m <= lastMonth; m = m.addMonths( 1 ) )
  {
    const QString key = m.toString( QStringLiteral( "yyyy-MM" ) );
    monthly.append( { key, byMonth.value( key, 0 ) } );
  }
  return true;
}

QJsonObject BriefingFigures::toJson() const
{
  QJsonObject cur;
  for ( auto it = currency.constBegin(); it != currency.constEnd(); ++it )
    cur.insert( it.key(), it.value() );
  const double pct = percentChange( violent, violentPrevious );
  return QJsonObject {
    { QStringLiteral( "violent" ), violent },
    { QStringLiteral( "violent_previous" ), violentPrevious },
    { QStringLiteral( "violent_change_pct" ), std::isnan( pct ) ? QJsonValue() : QJsonValue( std::round( pct * 10.0 ) / 10.0 ) },
    { QStringLiteral( "shootings" ), shootings },
    { QStringLiteral( "shootings_previous" ), shootingsPrevious },
    { QStringLiteral( "open_blight_requests" ), openBlight },
    { QStringLiteral( "new_blight_requests" ), newBlight },
    { QStringLiteral( "vacant_parcels" ), vacantParcels },
    { QStringLiteral( "dangerous_buildings" ), dangerousBuildings },
    { QStringLiteral( "data_currency" ), cur },
  };
}

QJsonObject NeighborhoodFigures::toJson() const
{
  return QJsonObject {
    { QStringLiteral( "nbh_id" ), nbhId },
    { QStringLiteral( "name" ), name },
    { QStringLiteral( "violent" ), violent },
    { QStringLiteral( "violent_previous" ), violentPrevious },
    { QStringLiteral( "blight_requests" ), blight },
    { QStringLiteral( "blight_requests_previous" ), blightPrevious },
    { QStringLiteral( "open_blight_requests" ), openBlight },
    { QStringLiteral( "vacant_parcels" ), vacantParcels },
    { QStringLiteral( "dangerous_buildings" ), dangerousBuildings },
  };
}

bool computeGrantNeighborhoodFigures( SqliteDatabase &db, const BriefingPeriod &period, QVector<NeighborhoodFigures> *figures, QString *error )
{
  figures->clear();
  struct Polygon
  {
      NeighborhoodFigures figures;
      QgsGeometry geometry;
      QgsRectangle box;
      std::unique_ptr<QgsGeometryEngine> engine;
  };
  std::vector<Polygon> polygons;
  {
    SqliteStatement st( db, QStringLiteral( "SELECT geom, nbh_id, name, area_sqkm FROM neighborhoods WHERE is_grant = 1 ORDER BY name, nbh_id" ) );
    if ( !st.isValid() )
    {
      if ( error )
        *error = QObject::tr( "Briefing query failed: %1" ).arg( db.lastSqliteError() );
      return false;
    }
    while ( st.next() )
    {
      Polygon p;
      p.figures.nbhId = st.text( 1 );
      p.figures.name = st.text( 2 );
      p.figures.areaSqKm = st.real( 3 );
      p.geometry = geometryFromGpkgBlob( st.blob( 0 ) );
      if ( !p.geometry.isNull() )
      {
        p.box = p.geometry.boundingBox();
        p.engine.reset( QgsGeometry::createGeometryEngine( p.geometry.constGet() ) );
        p.engine->prepareGeometry();
      }
      polygons.push_back( std::move( p ) );
    }
  }

  const QString nowFrom = isoDate( period.from ), nowTo = dayAfter( period.to );
  const QString prevFrom = isoDate( period.previousFrom ), prevTo = dayAfter( period.previousTo );
  QVector<XY> points;
  const QString tagged = QStringLiteral( "CASE WHEN %1 >= ?3 THEN %2 ELSE %3 END" );
  if ( !readPoints( db, QStringLiteral( "SELECT geom, %1 FROM incidents WHERE violent = 1 AND occurred_at >= ?1 AND occurred_at < ?2" )
                          .arg( tagged.arg( QStringLiteral( "occurred_at" ) ).arg( kViolentNow ).arg( kViolentBefore ) ),
                   { prevFrom, nowTo, nowFrom }, &points, error )
       || !readPoints( db, QStringLiteral( "SELECT geom, %1 FROM service_requests WHERE blight_class IS NOT NULL AND created_at >= ?1 AND created_at < ?2" )
                             .arg( tagged.arg( QStringLiteral( "created_at" ) ).arg( kBlightNow ).arg( kBlightBefore ) ),
                      { prevFrom, nowTo, nowFrom }, &points, error )
       || !readPoints( db, QStringLiteral( "SELECT geom, %1 FROM service_requests WHERE blight_class IS NOT NULL AND status = 'open'" ).arg( kBlightOpen ), {}, &points, error )
       || !readPoints( db, QStringLiteral( "SELECT geom, %1 FROM vacant_parcels" ).arg( kVacant ), {}, &points, error )
       || !readPoints( db, QStringLiteral( "SELECT geom, %1 FROM dangerous_buildings" ).arg( kDangerous ), {}, &points, error ) )
    return false;
  Q_UNUSED( prevTo )

  for ( Polygon &p : polygons )
  {
    if ( p.engine )
    {
      for ( const XY &xy : points )
      {
        if ( !p.box.contains( QgsPointXY( xy.x, xy.y ) ) )
          continue;
        QgsPoint pt( xy.x, xy.y );
        if ( !p.engine->intersects( &pt ) )
          continue;
        NeighborhoodFigures &f = p.figures;
        switch ( xy.tag )
        {
          case kViolentNow: ++f.violent; break;
          case kViolentBefore: ++f.violentPrevious; break;
          case kBlightNow: ++f.blight; break;
          case kBlightBefore: ++f.blightPrevious; break;
          case kBlightOpen: ++f.openBlight; break;
          case kVacant: ++f.vacantParcels; break;
          case kDangerous: ++f.dangerousBuildings; break;
          default: break;
        }
      }
    }
    figures->append( p.figures );
  }
  return true;
}

} // namespace statdesk
