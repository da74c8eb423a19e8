#include "clustering/ClusterCard.h"

#include "clustering/PointReader.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/Schema.h"
#include "style/DefaultStyles.h"

#include <QJsonArray>
#include <QLocale>
#include <QMap>
#include <QObject>
#include <QRegularExpression>

#include <qgsgeometry.h>
#include <qgsgeometryengine.h>
#include <qgspoint.h>

#include <algorithm>

namespace statdesk::clustering
{

namespace
{
CountList sortedCounts( const QMap<QString, int> &counts )
{
  CountList list;
  for ( auto it = counts.constBegin(); it != counts.constEnd(); ++it )
    list.append( { it.key(), it.value() } );
  std::stable_sort( list.begin(), list.end(), []( const auto &a, const auto &b )
                    { return a.second > b.second; } );
  return list;
}

QStringList columnsOf( SqliteDatabase &db, const QString &table )
{
  QStringList names;
  SqliteStatement st( db, QStringLiteral( "PRAGMA table_info(\"%1\")" ).arg( table ) );
  while ( st.next() )
    names << st.text( 1 );
  return names;
}

/**
 * A stored time in \a tz. ISO date-times carry their UTC offset (the schema's convention); one
 * without is read as local time in \a tz. \a hasTime is false for a plain date.
 */
QDateTime localTime( const QString &text, const QTimeZone &tz, bool *hasTime )
{
  const QString s = text.trimmed();
  *hasTime = s.size() > 10;
  if ( !*hasTime )
  {
    const QDate d = QDate::fromString( s, Qt::ISODate );
    return d.isValid() ? QDateTime( d, QTime( 0, 0 ), tz ) : QDateTime();
  }
  QDateTime dt = QDateTime::fromString( s, Qt::ISODateWithMs );
  if ( !dt.isValid() )
    return dt;
  if ( dt.timeSpec() == Qt::LocalTime )
    return QDateTime( dt.date(), dt.time(), tz );
  return dt.toTimeZone( tz );
}

QString blightLabel( const QString &id )
{
  int count = 0;
  const BlightClassStyle *styles = blightClassStyles( &count );
  for ( int i = 0; i < count; ++i )
    if ( id == QLatin1String( styles[i].id ) )
      return QObject::tr( styles[i].label );
  return id;
}
} // namespace

PersistenceClass PersistenceLookup::classAt( double x, double y ) const
{
  const long long cell = grid.cellOf( x, y );
  if ( cell < 0 )
    return PersistenceClass::None;
  const auto it = classes.find( cell );
  return it == classes.end() ? PersistenceClass::None : it->second;
}

QString ClusterCard::busiestDay() const
{
  int best = -1, bestCount = 0;
  for ( int d = 0; d < 7; ++d )
  {
    int sum = 0;
    for ( int h = 0; h < 24; ++h )
      sum += hourByDay[d][h];
    if ( sum > bestCount )
    {
      best = d;
      bestCount = sum;
    }
  }
  return best < 0 ? QString() : QLocale().dayName( best + 1, QLocale::LongFormat );
}

QString ClusterCard::busiestHours( int *count ) const
{
  std::array<int, 24> byHour{};
  for ( int d = 0; d < 7; ++d )
    for ( int h = 0; h < 24; ++h )
      byHour[h] += hourByDay[d][h];
  int best = -1, bestCount = 0;
  for ( int h = 0; h < 24; ++h )
  {
    const int sum = byHour[h] + byHour[( h + 1 ) % 24] + byHour[( h + 2 ) % 24];
    if ( sum > bestCount )
    {
      best = h;
      bestCount = sum;
    }
  }
  if ( count )
    *count = bestCount;
  if ( best < 0 )
    return QString();
  return QStringLiteral( "%1:00–%2:00" ).arg( best, 2, 10, QLatin1Char( '0' ) ).arg( ( best + 3 ) % 24, 2, 10, QLatin1Char( '0' ) );
}

QString ClusterCard::hourByDayText() const
{
  QStringList rows;
  for ( const auto &day : hourByDay )
  {
    QStringList cells;
    for ( int v : day )
      cells << QString::number( v );
    rows << cells.join( QLatin1Char( ',' ) );
  }
  return rows.join( QLatin1Char( ';' ) );
}

bool ClusterCard::setHourByDayText( const QString &text )
{
  const QStringList rows = text.split( QLatin1Char( ';' ) );
  if ( rows.size() != 7 )
    return false;
  std::array<std::array<int, 24>, 7> grid{};
  int timed = 0;
  for ( int d = 0; d < 7; ++d )
  {
    const QStringList cells = rows[d].split( QLatin1Char( ',' ) );
    if ( cells.size() != 24 )
      return false;
    for ( int h = 0; h < 24; ++h )
    {
      bool ok = false;
      grid[d][h] = cells[h].toInt( &ok );
      if ( !ok )
        return false;
      timed += grid[d][h];
    }
  }
  hourByDay = grid;
  timedIncidents = timed;
  return true;
}

QString ClusterCard::text( bool publicMode, const QString &unit ) const
{
  auto join = []( const CountList &list, int most )
  {
    QStringList parts;
    for ( int i = 0; i < list.size() && i < most; ++i )
      parts << QStringLiteral( "%1 %2" ).arg( list[i].first ).arg( list[i].second );
    if ( list.size() > most )
      parts << QObject::tr( "%1 more" ).arg( list.size() - most );
    return parts.join( QStringLiteral( ", " ) );
  };
  QStringList lines;
  const QString dates = first.isValid() ? QObject::tr( ", %1 to %2" ).arg( first.date().toString( Qt::ISODate ), last.date().toString( Qt::ISODate ) ) : QString();
  lines << QObject::tr( "Incidents: %1%2" ).arg( incidents ).arg( dates );
  if ( publicMode )
    lines << QObject::tr( "Addresses: %1 distinct" ).arg( distinctAddresses );
  else
  {
    QStringList repeats;
    for ( const auto &a : repeatAddresses )
      repeats << QStringLiteral( "%1 (%2)" ).arg( a.first ).arg( a.second );
    lines << QObject::tr( "Addresses: %1 distinct; repeat: %2" ).arg( distinctAddresses ).arg( repeats.isEmpty() ? QObject::tr( "none" ) : repeats.join( QStringLiteral( ", " ) ) );
  }
  if ( !offenseMix.isEmpty() )
    lines << QObject::tr( "Offenses: %1" ).arg( join( offenseMix, 5 ) );
  if ( firearm >= 0 )
    lines << QObject::tr( "Firearm used: %1 of %2 (%3%)" ).arg( firearm ).arg( incidents ).arg( qRound( 100 * firearmShare() ) );
  if ( timedIncidents > 0 )
  {
    int inWindow = 0;
    const QString hours = busiestHours( &inWindow );
    lines << QObject::tr( "Busiest: %1; %2 (%3 incidents)" ).arg( busiestDay(), hours ).arg( inWindow );
    QStringList blocks;
    for ( int b = 0; b < 4; ++b )
    {
      int sum = 0;
      for ( int d = 0; d < 7; ++d )
        for ( int h = 6 * b; h < 6 * b + 6; ++h )
          sum += hourByDay[d][h];
      blocks << QStringLiteral( "%1–%2 %3" ).arg( 6 * b, 2, 10, QLatin1Char( '0' ) ).arg( 6 * b + 6, 2, 10, QLatin1Char( '0' ) ).arg( sum );
    }
    lines << QObject::tr( "Time of day: %1" ).arg( blocks.join( QStringLiteral( " · " ) ) );
    QStringList days;
    for ( int d = 0; d < 7; ++d )
    {
      int sum = 0;
      for ( int h = 0; h < 24; ++h )
        sum += hourByDay[d][h];
      days << QStringLiteral( "%1 %2" ).arg( QLocale().dayName( d + 1, QLocale::ShortFormat ) ).arg( sum );
    }
    lines << QObject::tr( "Day of week: %1" ).arg( days.join( QStringLiteral( " · " ) ) );
  }
  if ( persistence.isEmpty() )
    lines << QObject::tr( "Persistence: no persistence run in the project" );
  else if ( persistence == persistenceClassName( PersistenceClass::None ) )
    lines << QObject::tr( "Persistence: no incident in a persistent, emerging, former or intermittent hot-spot cell" );
  else
    lines << QObject::tr( "Persistence: %1 (%2 of %3 incidents in %1 cells)" ).arg( persistence ).arg( persistenceIncidents ).arg( incidents );
  QString blight = countPhrase( openBlight, QObject::tr( "1 open blight 311 request" ), QObject::tr( "%1 open blight 311 requests" ) );
  if ( !openBlightByClass.isEmpty() )
    blight += QStringLiteral( " (%1)" ).arg( join( openBlightByClass, 4 ) );
  lines << QObject::tr( "Within %1 %2: %3; %4; %5" )
               .arg( environmentDistance )
               .arg( unit, blight, countPhrase( vacantParcels, QObject::tr( "1 vacant parcel" ), QObject::tr( "%1 vacant parcels" ) ),
                     countPhrase( dangerousBuildings, QObject::tr( "1 dangerous building" ), QObject::tr( "%1 dangerous buildings" ) ) );
  return lines.join( QLatin1Char( '\n' ) );
}

QJsonObject ClusterCard::toJson() const
{
  auto list = []( const CountList &l )
  {
    QJsonArray a;
    for ( const auto &p : l )
      a.append( QJsonArray{ p.first, p.second } );
    return a;
  };
  QJsonArray grid;
  for ( const auto &day : hourByDay )
  {
    QJsonArray row;
    for ( int v : day )
      row.append( v );
    grid.append( row );
  }
  QJsonObject o{ { QStringLiteral( "incidents" ), incidents },
                 { QStringLiteral( "distinct_addresses" ), distinctAddresses },
                 { QStringLiteral( "repeat_addresses" ), list( repeatAddresses ) },
                 { QStringLiteral( "first" ), first.isValid() ? first.toString( Qt::ISODate ) : QString() },
                 { QStringLiteral( "last" ), last.isValid() ? last.toString( Qt::ISODate ) : QString() },
                 { QStringLiteral( "hour_by_day" ), grid },
                 { QStringLiteral( "offense_mix" ), list( offenseMix ) },
                 { QStringLiteral( "persistence" ), persistence },
                 { QStringLiteral( "persistence_incidents" ), persistenceIncidents },
                 { QStringLiteral( "environment_distance" ), environmentDistance },
                 { QStringLiteral( "open_blight" ), openBlight },
                 { QStringLiteral( "open_blight_by_class" ), list( openBlightByClass ) },
                 { QStringLiteral( "vacant_parcels" ), vacantParcels },
                 { QStringLiteral( "dangerous_buildings" ), dangerousBuildings } };
  if ( firearm >= 0 )
  {
    o[QStringLiteral( "firearm" )] = firearm;
    o[QStringLiteral( "firearm_share" )] = firearmShare();
  }
  return o;
}

QString countPhrase( qint64 n, const QString &one, const QString &many )
{
  return n == 1 ? one : many.arg( n );
}

QString countListText( const CountList &list )
{
  QStringList parts;
  for ( const auto &p : list )
    parts << QStringLiteral( "%1 (%2)" ).arg( p.first ).arg( p.second );
  return parts.join( QStringLiteral( "; " ) );
}

CountList parseCountList( const QString &text )
{
  static const QRegularExpression item( QStringLiteral( "^(.*) \\((\\d+)\\)$" ) );
  CountList list;
  for ( const QString &part : text.split( QStringLiteral( "; " ), Qt::SkipEmptyParts ) )
  {
    const QRegularExpressionMatch m = item.match( part );
    if ( m.hasMatch() )
      list.append( { m.captured( 1 ), m.captured( 2 ).toInt() } );
  }
  return list;
}

bool computeClusterCard( SqliteDatabase &db, const std::vector<qint64> &fids, const QgsGeometry &polygon, const ClusterCardOptions &options,
                         ClusterCard *card, QString *error )
{
  *card = ClusterCard();
  const QStringList columns = columnsOf( db, options.layer );
  if ( columns.isEmpty() )
  {
    if ( error )
      *error = QObject::tr( "the project has no layer '%1'" ).arg( options.layer );
    return false;
  }
  const QString timeColumn = options.timeColumn.isEmpty() ? defaultTimeColumn( options.layer ) : options.timeColumn;
  auto column = [&columns]( const QString &name )
  { return columns.contains( name ) ? QStringLiteral( "\"%1\"" ).arg( name ) : QStringLiteral( "NULL" ); };
  const bool hasOffense = columns.contains( QStringLiteral( "offense" ) );
  const bool hasFirearm = columns.contains( QStringLiteral( "firearm" ) );
  SqliteStatement st( db, QStringLiteral( "SELECT geom, %1, %2, %3, %4 FROM \"%5\" WHERE fid = ?" )
                              .arg( column( QStringLiteral( "address" ) ), column( QStringLiteral( "offense" ) ), column( QStringLiteral( "firearm" ) ),
                                    timeColumn.isEmpty() ? QStringLiteral( "NULL" ) : column( timeColumn ), options.layer ) );
  if ( !st.isValid() )
  {
    if ( error )
      *error = QObject::tr( "cannot read the cluster's rows: %1" ).arg( db.lastSqliteError() );
    return false;
  }
  const QTimeZone tz = options.timeZone.isValid() ? options.timeZone : QTimeZone::utc();
  QMap<QString, int> addresses, offenses;
  std::map<PersistenceClass, int> classCounts;
  card->firearm = hasFirearm ? 0 : -1;
  for ( qint64 fid : fids )
  {
    st.reset();
    st.bindInt64( 1, fid );
    if ( !st.next() )
      continue;
    ++card->incidents;
    const QString address = st.text( 1 ).trimmed();
    if ( !address.isEmpty() )
      ++addresses[address];
    if ( hasOffense && !st.isNull( 2 ) )
      ++offenses[st.text( 2 )];
    if ( hasFirearm && st.int64( 3 ) == 1 )
      ++card->firearm;
    if ( !st.isNull( 4 ) )
    {
      bool hasTime = false;
      const QDateTime t = localTime( st.text( 4 ), tz, &hasTime );
      if ( t.isValid() )
      {
        if ( !card->first.isValid() || t < card->first )
          card->first = t;
        if ( !card->last.isValid() || t > card->last )
          card->last = t;
        if ( hasTime )
        {
          ++card->hourByDay[t.date().dayOfWeek() - 1][t.time().hour()];
          ++card->timedIncidents;
        }
      }
    }
    if ( options.persistence && options.persistence->isValid() )
    {
      const QgsGeometry g = geometryFromGpkgBlob( st.blob( 0 ) );
      if ( !g.isNull() && !g.isEmpty() )
      {
        const QgsPointXY p = g.centroid().asPoint();
        ++classCounts[options.persistence->classAt( p.x(), p.y() )];
      }
    }
  }
  card->distinctAddresses = addresses.size();
  QMap<QString, int> repeats;
  for ( auto it = addresses.constBegin(); it != addresses.constEnd(); ++it )
    if ( it.value() >= 2 )
      repeats.insert( it.key(), it.value() );
  card->repeatAddresses = sortedCounts( repeats ).mid( 0, 5 );
  card->offenseMix = sortedCounts( offenses );

  if ( options.persistence && options.persistence->isValid() )
  {
    card->persistence = persistenceClassName( PersistenceClass::None );
    // The class most members fall in; ties go to the more serious class.
    for ( PersistenceClass c : { PersistenceClass::Persistent, PersistenceClass::Emerging, PersistenceClass::Intermittent, PersistenceClass::Former } )
    {
      const int n = classCounts[c];
      if ( n > card->persistenceIncidents )
      {
        card->persistence = persistenceClassName( c );
        card->persistenceIncidents = n;
      }
    }
  }

  if ( !polygon.isNull() )
  {
    std::shared_ptr<const ClusterEnvironment> loaded;
    const ClusterEnvironment *environment = options.environment;
    if ( !environment )
    {
      loaded = ClusterEnvironment::load( db, error );
      if ( !loaded )
        return false;
      environment = loaded.get();
    }
    environment->count( polygon, options.environmentDistance, card );
  }
  card->environmentDistance = options.environmentDistance;
  return true;
}

std::shared_ptr<const ClusterEnvironment> ClusterEnvironment::load( SqliteDatabase &db, QString *error )
{
  auto environment = std::make_shared<ClusterEnvironment>();
  const QStringList sources{ QStringLiteral( "SELECT geom, blight_class FROM service_requests WHERE status = 'open' AND blight_class IS NOT NULL AND blight_class <> ''" ),
                             QStringLiteral( "SELECT geom, NULL FROM vacant_parcels" ), QStringLiteral( "SELECT geom, NULL FROM dangerous_buildings" ) };
  for ( int kind = 0; kind < sources.size(); ++kind )
  {
    SqliteStatement st( db, sources[kind] );
    if ( !st.isValid() )
    {
      if ( error )
        *error = QObject::tr( "cannot read the environment layers: %1" ).arg( db.lastSqliteError() );
      return nullptr;
    }
    while ( st.next() )
    {
      const QByteArray blob = st.blob( 0 );
      const auto *data = reinterpret_cast<const unsigned char *>( blob.constData() );
      GpkgEnvelope envelope;
      if ( blob.isEmpty() || gpkgBlobIsEmpty( data, blob.size() ) || !gpkgBlobEnvelope( data, blob.size(), envelope ) )
        continue;
      Item item;
      // Points: the envelope is the point; other shapes count at their envelope's centre.
      item.x = ( envelope.minX + envelope.maxX ) / 2;
      item.y = ( envelope.minY + envelope.maxY ) / 2;
      item.kind = kind;
      if ( kind == 0 )
      {
        const QString label = blightLabel( st.text( 1 ) );
        item.blightClass = environment->mBlightLabels.indexOf( label );
        if ( item.blightClass < 0 )
        {
          item.blightClass = environment->mBlightLabels.size();
          environment->mBlightLabels << label;
        }
      }
      environment->mItems.push_back( item );
    }
  }
  std::sort( environment->mItems.begin(), environment->mItems.end(), []( const Item &a, const Item &b )
             { return a.x < b.x; } );
  return environment;
}

void ClusterEnvironment::count( const QgsGeometry &polygon, double distance, ClusterCard *card ) const
{
  card->environmentDistance = distance;
  card->openBlight = card->vacantParcels = card->dangerousBuildings = 0;
  card->openBlightByClass.clear();
  if ( polygon.isNull() )
    return;
  const QgsRectangle box = polygon.boundingBox().buffered( std::max( 0.0, distance ) );
  std::unique_ptr<QgsGeometryEngine> engine( QgsGeometry::createGeometryEngine( polygon.constGet() ) );
  engine->prepareGeometry();
  QMap<QString, int> blight;
  auto first = std::lower_bound( mItems.begin(), mItems.end(), box.xMinimum(), []( const Item &item, double x )
                                 { return item.x < x; } );
  for ( auto it = first; it != mItems.end() && it->x <= box.xMaximum(); ++it )
  {
    if ( it->y < box.yMinimum() || it->y > box.yMaximum() )
      continue;
    const QgsPoint point( it->x, it->y );
    if ( engine->distance( &point ) > distance )
      continue;
    if ( it->kind == 0 )
      ++blight[mBlightLabels[it->blightClass]];
    else if ( it->kind == 1 )
      ++card->vacantParcels;
    else
      ++card->dangerousBuildings;
  }
  card->openBlightByClass = sortedCounts( blight );
  for ( const auto &b : std::as_const( card->openBlightByClass ) )
    card->openBlight += b.second;
}

} // namespace statdesk::clustering
