#include "clustering/PointReader.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/Schema.h"

#include <qgsgeometry.h>
#include <qgspoint.h>

#include <QDateTime>
#include <QFile>
#include <QRegularExpression>

#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

namespace statdesk::clustering
{

namespace
{

bool parseNumber( std::string_view s, double &value )
{
  while ( !s.empty() && ( s.front() == ' ' || s.front() == '\t' ) )
    s.remove_prefix( 1 );
  while ( !s.empty() && ( s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ) )
    s.remove_suffix( 1 );
  if ( !s.empty() && s.front() == '+' )
    s.remove_prefix( 1 );
  if ( s.empty() )
    return false;
  const auto r = std::from_chars( s.data(), s.data() + s.size(), value );
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite( value );
}

//! Splits one CSV record starting at \a pos; returns the position after its line end.
std::size_t splitRecord( const char *data, std::size_t size, std::size_t pos, std::vector<std::string> &fields, bool &unterminated )
{
  fields.clear();
  unterminated = false;
  std::string field;
  bool quoted = false;
  bool anyChar = false;
  while ( pos < size )
  {
    const char ch = data[pos];
    if ( quoted )
    {
      if ( ch == '"' )
      {
        if ( pos + 1 < size && data[pos + 1] == '"' )
        {
          field.push_back( '"' );
          pos += 2;
          continue;
        }
        quoted = false;
        ++pos;
        continue;
      }
      field.push_back( ch );
      ++pos;
      continue;
    }
    if ( ch == '"' )
    {
      quoted = true;
      anyChar = true;
      ++pos;
      continue;
    }
    if ( ch == ',' )
    {
      fields.push_back( std::move( field ) );
      field.clear();
      anyChar = true;
      ++pos;
      continue;
    }
    if ( ch == '\n' || ch == '\r' )
    {
      ++pos;
      if ( ch == '\r' && pos < size && data[pos] == '\n' )
        ++pos;
      break;
    }
    field.push_back( ch );
    anyChar = true;
    ++pos;
  }
  if ( quoted )
    unterminated = true;
  if ( anyChar || !field.empty() )
    fields.push_back( std::move( field ) );
  return pos;
}

/**
 * Reads one record as views: unquoted lines (the common case) are split in place without
 * copying; a line with a quote goes through splitRecord() and the views point into \a storage.
 */
std::size_t readRecord( const char *data, std::size_t size, std::size_t pos, std::vector<std::string_view> &fields,
                        std::vector<std::string> &storage, bool &unterminated )
{
  fields.clear();
  unterminated = false;
  // One pass over the line: commas split it, a quote sends it to the full parser. Lines are
  // short (two coordinates), so a plain loop beats a library call per delimiter.
  std::size_t start = pos;
  std::size_t i = pos;
  for ( ; i < size; ++i )
  {
    const char ch = data[i];
    if ( ch == ',' )
    {
      fields.emplace_back( data + start, i - start );
      start = i + 1;
    }
    else if ( ch == '\n' )
      break;
    else if ( ch == '"' )
    {
      fields.clear();
      const std::size_t next = splitRecord( data, size, pos, storage, unterminated );
      for ( const std::string &f : storage )
        fields.emplace_back( f );
      return next;
    }
  }
  std::size_t end = i;
  if ( end > pos && data[end - 1] == '\r' )
    --end;
  if ( end > pos )
    fields.emplace_back( data + start, end > start ? end - start : 0 );
  return i < size ? i + 1 : size;
}

//! x, y of a GeoPackage point blob; false for other geometry types or empty points.
bool decodeGpkgPoint( const unsigned char *d, int size, double &x, double &y )
{
  if ( size < 8 || d[0] != 'G' || d[1] != 'P' )
    return false;
  const unsigned char flags = d[3];
  if ( flags & 0x10 )
    return false; // empty
  if ( flags & 0x20 )
    return false; // extended GeoPackage geometry
  static const int envelopeSizes[] = { 0, 32, 48, 48, 64, -1, -1, -1 };
  const int envelope = envelopeSizes[( flags >> 1 ) & 0x7];
  if ( envelope < 0 )
    return false;
  const int wkb = 8 + envelope;
  if ( size < wkb + 21 )
    return false;
  const bool little = d[wkb] == 1;
  uint32_t type;
  std::memcpy( &type, d + wkb + 1, 4 );
  if ( !little )
    type = __builtin_bswap32( type );
  if ( type % 1000 != 1 )
    return false;
  uint64_t bx, by;
  std::memcpy( &bx, d + wkb + 5, 8 );
  std::memcpy( &by, d + wkb + 13, 8 );
  if ( !little )
  {
    bx = __builtin_bswap64( bx );
    by = __builtin_bswap64( by );
  }
  std::memcpy( &x, &bx, 8 );
  std::memcpy( &y, &by, 8 );
  return std::isfinite( x ) && std::isfinite( y );
}

} // namespace

bool parseTimeSeconds( const QString &text, double &seconds )
{
  const QString s = text.trimmed();
  if ( s.isEmpty() )
    return false;
  const QByteArray latin = s.toLatin1();
  if ( parseNumber( std::string_view( latin.constData(), static_cast<std::size_t>( latin.size() ) ), seconds ) )
    return true;
  QDateTime dt = QDateTime::fromString( s, Qt::ISODateWithMs );
  if ( !dt.isValid() )
  {
    const QDate d = QDate::fromString( s, Qt::ISODate );
    if ( !d.isValid() )
      return false;
    dt = QDateTime( d, QTime( 0, 0 ), Qt::UTC );
  }
  if ( dt.timeSpec() == Qt::LocalTime )
    dt.setTimeSpec( Qt::UTC );
  seconds = static_cast<double>( dt.toMSecsSinceEpoch() ) / 1000.0;
  return true;
}

bool readCsvPoints( const CsvPointSource &source, ClusterPoints &points, QString *error )
{
  auto setError = [error]( const QString &e )
  {
    if ( error )
      *error = e;
    return false;
  };
  points = ClusterPoints();
  QFile file( source.path );
  if ( !file.open( QIODevice::ReadOnly ) )
    return setError( QStringLiteral( "cannot open %1: %2" ).arg( source.path, file.errorString() ) );
  // Mapped rather than read: no copy, and the page cache is mapped many pages per fault.
  QByteArray bytes;
  const char *data = nullptr;
  std::size_t size = 0;
  if ( file.size() > 0 )
  {
    if ( const uchar *mapped = file.map( 0, file.size() ) )
    {
      data = reinterpret_cast<const char *>( mapped );
      size = static_cast<std::size_t>( file.size() );
    }
  }
  if ( !data )
  {
    bytes = file.readAll(); // not a regular file (a pipe), or mapping failed
    data = bytes.constData();
    size = static_cast<std::size_t>( bytes.size() );
  }
  if ( size == 0 )
    return setError( QStringLiteral( "%1 is empty" ).arg( source.path ) );
  if ( std::memchr( data, '\0', size ) )
    return setError( QStringLiteral( "%1 is not a text CSV file" ).arg( source.path ) );
  std::size_t pos = 0;
  if ( size >= 3 && std::memcmp( data, "\xEF\xBB\xBF", 3 ) == 0 )
    pos = 3;

  std::vector<std::string> fields;
  bool unterminated = false;
  pos = splitRecord( data, size, pos, fields, unterminated );
  auto column = [&fields]( const QString &name )
  {
    for ( std::size_t i = 0; i < fields.size(); ++i )
      if ( QString::fromUtf8( fields[i].c_str() ).trimmed().compare( name, Qt::CaseInsensitive ) == 0 )
        return static_cast<int>( i );
    return -1;
  };
  const int xi = column( source.xColumn );
  const int yi = column( source.yColumn );
  const int ti = source.timeColumn.isEmpty() ? -1 : column( source.timeColumn );
  if ( xi < 0 )
    return setError( QStringLiteral( "%1 has no column '%2'" ).arg( source.path, source.xColumn ) );
  if ( yi < 0 )
    return setError( QStringLiteral( "%1 has no column '%2'" ).arg( source.path, source.yColumn ) );
  if ( !source.timeColumn.isEmpty() && ti < 0 )
    return setError( QStringLiteral( "%1 has no column '%2'" ).arg( source.path, source.timeColumn ) );
  const std::size_t needed = static_cast<std::size_t>( std::max( { xi, yi, ti } ) ) + 1;

  std::size_t lines = 1;
  for ( const char *p = data; ( p = static_cast<const char *>( std::memchr( p, '\n', static_cast<std::size_t>( data + size - p ) ) ) ); ++p )
    ++lines;
  points.reserve( lines );
  if ( ti >= 0 )
    points.t.reserve( points.x.capacity() );
  std::vector<std::string_view> views;
  std::vector<std::string> storage;
  auto text = []( std::string_view v )
  { return QString::fromUtf8( v.data(), static_cast<int>( v.size() ) ); };
  qint64 line = 1;
  qint64 row = 0;
  while ( pos < size )
  {
    ++line;
    pos = readRecord( data, size, pos, views, storage, unterminated );
    if ( unterminated )
      return setError( QStringLiteral( "%1 line %2: unterminated quoted field" ).arg( source.path ).arg( line ) );
    if ( views.empty() || ( views.size() == 1 && views[0].find_first_not_of( " \t" ) == std::string_view::npos ) )
      continue; // blank line
    ++row;
    if ( views.size() < needed )
      return setError( QStringLiteral( "%1 line %2: %3 fields, expected at least %4" ).arg( source.path ).arg( line ).arg( views.size() ).arg( needed ) );
    double x, y;
    if ( !parseNumber( views[xi], x ) || !parseNumber( views[yi], y ) )
      return setError( QStringLiteral( "%1 line %2: coordinates '%3', '%4' are not numbers" )
                           .arg( source.path )
                           .arg( line )
                           .arg( text( views[xi] ), text( views[yi] ) ) );
    if ( ti >= 0 )
    {
      double t;
      if ( !parseNumber( views[ti], t ) && !parseTimeSeconds( text( views[ti] ), t ) )
        return setError( QStringLiteral( "%1 line %2: time '%3' is neither an ISO date-time nor seconds" ).arg( source.path ).arg( line ).arg( text( views[ti] ) ) );
      points.append( x, y, t, row );
    }
    else
      points.append( x, y, row );
  }
  if ( points.size() == 0 )
    return setError( QStringLiteral( "%1 has no data rows" ).arg( source.path ) );
  return true;
}

bool readLayerPoints( SqliteDatabase &db, const LayerPointSource &source, ClusterPoints &points, QString *error, std::size_t *skipped )
{
  auto setError = [error]( const QString &e )
  {
    if ( error )
      *error = e;
    return false;
  };
  points = ClusterPoints();
  static const QRegularExpression identifier( QStringLiteral( "^[A-Za-z_][A-Za-z0-9_]*$" ) );
  if ( !identifier.match( source.layer ).hasMatch() || !db.tableExists( source.layer ) )
    return setError( QStringLiteral( "the project has no layer '%1'" ).arg( source.layer ) );
  if ( !source.timeColumn.isEmpty() && !identifier.match( source.timeColumn ).hasMatch() )
    return setError( QStringLiteral( "'%1' is not a column name" ).arg( source.timeColumn ) );

  QString sql = QStringLiteral( "SELECT fid, geom%1 FROM \"%2\" WHERE geom IS NOT NULL" )
                    .arg( source.timeColumn.isEmpty() ? QString() : QStringLiteral( ", \"%1\"" ).arg( source.timeColumn ), source.layer );
  if ( !source.filter.trimmed().isEmpty() )
    sql += QStringLiteral( " AND (%1)" ).arg( source.filter );
  sql += QStringLiteral( " ORDER BY fid" );
  SqliteStatement st( db, sql );
  if ( !st.isValid() )
    return setError( QStringLiteral( "cannot read layer '%1' with filter '%2': %3" ).arg( source.layer, source.filter, db.lastSqliteError() ) );
  const bool withTime = !source.timeColumn.isEmpty();
  std::size_t skip = 0;
  while ( st.next() )
  {
    const QByteArray blob = st.blob( 1 );
    double x, y;
    if ( !decodeGpkgPoint( reinterpret_cast<const unsigned char *>( blob.constData() ), blob.size(), x, y ) )
    {
      // Not a plain point blob (multipoint, extended type): let QGIS decode it.
      const QgsGeometry g = geometryFromGpkgBlob( blob );
      if ( g.isNull() || g.isEmpty() )
      {
        ++skip;
        continue;
      }
      const QgsPointXY p = g.type() == QgsWkbTypes::PointGeometry && !g.isMultipart() ? g.asPoint() : g.centroid().asPoint();
      x = p.x();
      y = p.y();
    }
    if ( withTime )
    {
      double t;
      if ( st.isNull( 2 ) || !parseTimeSeconds( st.text( 2 ), t ) )
      {
        ++skip;
        continue;
      }
      points.append( x, y, t, st.int64( 0 ) );
    }
    else
      points.append( x, y, st.int64( 0 ) );
  }
  if ( skipped )
    *skipped = skip;
  return true;
}

QString defaultTimeColumn( const QString &layer )
{
  if ( layer == schema::kIncidents )
    return QStringLiteral( "occurred_at" );
  if ( layer == schema::kServiceRequests )
    return QStringLiteral( "created_at" );
  if ( layer == schema::kVacantParcels )
    return QStringLiteral( "listed_at" );
  if ( layer == schema::kDangerousBuildings )
    return QStringLiteral( "case_opened" );
  return QString();
}

QgsGeometry readCityBoundary( SqliteDatabase &db )
{
  SqliteStatement st( db, QStringLiteral( "SELECT geom FROM boundaries WHERE kind = 'city' AND geom IS NOT NULL" ) );
  QVector<QgsGeometry> parts;
  while ( st.next() )
  {
    const QgsGeometry g = geometryFromGpkgBlob( st.blob( 0 ) );
    if ( !g.isNull() )
      parts << g;
  }
  return parts.isEmpty() ? QgsGeometry() : QgsGeometry::unaryUnion( parts );
}

} // namespace statdesk::clustering
