#include "Values.h"

#include <QDateTime>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace statdesk::ingest
{

namespace
{
inline bool isBlank( char c ) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
inline bool isDigit( char c ) { return c >= '0' && c <= '9'; }

//! Reads 1..maxDigits digits at p; returns the count read (0 = none).
int readNumber( const char *p, const char *end, int maxDigits, int &value )
{
  int n = 0;
  value = 0;
  while ( p + n < end && n < maxDigits && isDigit( p[n] ) )
  {
    value = value * 10 + ( p[n] - '0' );
    ++n;
  }
  return n;
}

qint64 julianDay( int y, int m, int d )
{
  if ( !QDate::isValid( y, m, d ) )
    return -1;
  return QDate( y, m, d ).toJulianDay();
}

int twoDigitYear( int yy )
{
  const int pivot = ( QDate::currentDate().year() % 100 ) + 1;
  return yy <= pivot ? 2000 + yy : 1900 + yy;
}

//! Parses a time at [p, end); returns seconds or -1 and sets \a offset when an offset follows.
int parseTime( const char *p, const char *end, int &offset )
{
  offset = INT_MIN;
  while ( p < end && isBlank( *p ) )
    ++p;
  while ( end > p && isBlank( end[-1] ) )
    --end;
  if ( p == end )
    return -1;
  int h = 0, m = 0, s = 0;
  int n = readNumber( p, end, 2, h );
  if ( n == 0 )
    return -1;
  p += n;
  if ( p < end && *p == ':' )
  {
    ++p;
    if ( readNumber( p, end, 2, m ) != 2 )
      return -1;
    p += 2;
    if ( p < end && *p == ':' )
    {
      ++p;
      if ( readNumber( p, end, 2, s ) != 2 )
        return -1;
      p += 2;
      if ( p < end && ( *p == '.' || *p == ',' ) )
      {
        ++p;
        while ( p < end && isDigit( *p ) )
          ++p;
      }
    }
  }
  else if ( n == 2 && p + 2 <= end && isDigit( p[0] ) && isDigit( p[1] ) )
  {
    // "1544" (HHMM without a colon).
    m = ( p[0] - '0' ) * 10 + ( p[1] - '0' );
    p += 2;
  }
  else if ( p != end )
    return -1;
  while ( p < end && *p == ' ' )
    ++p;
  if ( p + 1 < end && ( p[1] == 'M' || p[1] == 'm' ) && ( *p == 'A' || *p == 'a' || *p == 'P' || *p == 'p' ) )
  {
    if ( h < 1 || h > 12 )
      return -1;
    const bool pm = *p == 'P' || *p == 'p';
    h = ( h % 12 ) + ( pm ? 12 : 0 );
    p += 2;
  }
  else if ( p < end && ( *p == 'Z' || *p == 'z' ) )
  {
    offset = 0;
    ++p;
  }
  else if ( p < end && ( *p == '+' || *p == '-' ) )
  {
    const int sign = *p == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    if ( readNumber( p, end, 2, oh ) != 2 )
      return -1;
    p += 2;
    if ( p < end && *p == ':' )
      ++p;
    if ( p < end )
    {
      if ( readNumber( p, end, 2, om ) != 2 )
        return -1;
      p += 2;
    }
    offset = sign * ( oh * 3600 + om * 60 );
  }
  if ( p != end || h > 24 || m > 59 || s > 60 || ( h == 24 && ( m || s ) ) )
    return -1;
  return h * 3600 + m * 60 + std::min( s, 59 );
}
} // namespace

Bytes trimmed( Bytes b )
{
  while ( b.size > 0 && isBlank( b.data[0] ) )
  {
    ++b.data;
    --b.size;
  }
  while ( b.size > 0 && isBlank( b.data[b.size - 1] ) )
    --b.size;
  return b;
}

DateTimeValue parseDateTime( Bytes text, DateOrder order )
{
  DateTimeValue out;
  text = trimmed( text );
  const char *p = text.data;
  const char *end = text.data + text.size;
  if ( p == end )
    return out;
  int a = 0, b = 0, c = 0;
  int na = readNumber( p, end, 4, a );
  if ( na == 0 || p + na >= end )
    return out;
  const char sep = p[na];
  if ( sep != '/' && sep != '-' && sep != '.' )
    return out;
  p += na + 1;
  const int nb = readNumber( p, end, 2, b );
  if ( nb == 0 || p + nb >= end || p[nb] != sep )
    return out;
  p += nb + 1;
  const int nc = readNumber( p, end, 4, c );
  if ( nc == 0 )
    return out;
  p += nc;
  int y, m, d;
  if ( na == 4 )
  {
    y = a;
    m = b;
    d = c;
    if ( nc > 2 )
      return out;
  }
  else
  {
    if ( nc != 2 && nc != 4 )
      return out;
    y = nc == 2 ? twoDigitYear( c ) : c;
    m = order == DateOrder::MonthDayYear ? a : b;
    d = order == DateOrder::MonthDayYear ? b : a;
  }
  out.jd = julianDay( y, m, d );
  if ( out.jd < 0 )
    return out;
  if ( p < end )
  {
    if ( *p != 'T' && *p != ' ' && *p != 't' )
    {
      out.jd = -1;
      return out;
    }
    ++p;
    int offset = INT_MIN;
    const int secs = parseTime( p, end, offset );
    if ( secs < 0 )
    {
      out.jd = -1;
      return out;
    }
    out.seconds = secs;
    out.utcOffset = offset;
  }
  return out;
}

int parseTimeOfDay( Bytes text )
{
  text = trimmed( text );
  int offset;
  return parseTime( text.data, text.data + text.size, offset );
}

int parseFlag( Bytes text )
{
  text = trimmed( text );
  if ( text.size == 0 || text.size > 5 )
    return -1;
  char up[6] = { 0 };
  for ( int i = 0; i < text.size; ++i )
    up[i] = static_cast<char>( text.data[i] >= 'a' && text.data[i] <= 'z' ? text.data[i] - 32 : text.data[i] );
  switch ( text.size )
  {
    case 1:
      if ( up[0] == 'Y' || up[0] == 'T' || up[0] == '1' )
        return 1;
      if ( up[0] == 'N' || up[0] == 'F' || up[0] == '0' )
        return 0;
      return -1;
    case 2:
      return std::memcmp( up, "NO", 2 ) == 0 ? 0 : -1;
    case 3:
      return std::memcmp( up, "YES", 3 ) == 0 ? 1 : -1;
    case 4:
      return std::memcmp( up, "TRUE", 4 ) == 0 ? 1 : -1;
    default:
      return std::memcmp( up, "FALSE", 5 ) == 0 ? 0 : -1;
  }
}

bool parseDouble( Bytes text, double &value )
{
  text = trimmed( text );
  if ( text.size == 0 || text.size > 40 )
    return false;
  char buf[48];
  std::memcpy( buf, text.data, text.size );
  buf[text.size] = 0;
  char *endp = nullptr;
  value = std::strtod( buf, &endp );
  return endp == buf + text.size && std::isfinite( value );
}

namespace
{
//! "POINT (lon lat)" read in place; false for anything else (the general parser then decides).
bool parseWktPointFast( Bytes text, double &x, double &y )
{
  const char *p = text.data;
  const char *end = text.data + text.size;
  if ( text.size < 10 || std::memcmp( p, "POINT", 5 ) != 0 )
    return false;
  p += 5;
  auto skipBlanks = [&] {
    const char *start = p;
    while ( p < end && ( *p == ' ' || *p == '\t' ) )
      ++p;
    return p > start;
  };
  skipBlanks();
  if ( p >= end || *p != '(' )
    return false;
  ++p;
  skipBlanks();
  double a = 0, b = 0;
  auto r = std::from_chars( p, end, a );
  if ( r.ec != std::errc() || !std::isfinite( a ) )
    return false;
  p = r.ptr;
  if ( !skipBlanks() )
    return false;
  r = std::from_chars( p, end, b );
  if ( r.ec != std::errc() || !std::isfinite( b ) )
    return false;
  p = r.ptr;
  skipBlanks();
  if ( p >= end || *p != ')' )
    return false;
  x = a;
  y = b;
  return true;
}
} // namespace

bool parseLocationText( Bytes text, double &lon, double &lat )
{
  text = trimmed( text );
  if ( text.size == 0 )
    return false;
  if ( parseWktPointFast( text, lon, lat ) )
    return true;
  const QByteArray s = text.toByteArray();
  auto twoNumbers = []( const QByteArray &inner, char sep, double &first, double &second ) {
    const QByteArray t = inner.trimmed();
    int split = sep == ' ' ? t.indexOf( ' ' ) : t.indexOf( sep );
    if ( split < 0 )
      return false;
    bool ok1 = false, ok2 = false;
    first = t.left( split ).trimmed().toDouble( &ok1 );
    second = t.mid( split + 1 ).trimmed().toDouble( &ok2 );
    return ok1 && ok2;
  };
  const int point = s.indexOf( "POINT" );
  if ( point >= 0 )
  {
    const int open = s.indexOf( '(', point );
    const int close = s.indexOf( ')', open );
    if ( open < 0 || close < 0 )
      return false; // POINT EMPTY
    return twoNumbers( s.mid( open + 1, close - open - 1 ).simplified(), ' ', lon, lat );
  }
  if ( s.startsWith( '{' ) )
  {
    const int coords = s.indexOf( "\"coordinates\"" );
    const int open = s.indexOf( '[', coords );
    const int close = s.indexOf( ']', open );
    if ( coords < 0 || open < 0 || close < 0 )
      return false;
    return twoNumbers( s.mid( open + 1, close - open - 1 ), ',', lon, lat );
  }
  const int open = s.lastIndexOf( '(' );
  if ( open >= 0 )
  {
    const int close = s.indexOf( ')', open );
    if ( close < 0 )
      return false;
    return twoNumbers( s.mid( open + 1, close - open - 1 ), ',', lat, lon );
  }
  if ( s.indexOf( '\n' ) < 0 && s.count( ',' ) == 1 )
    return twoNumbers( s, ',', lat, lon );
  return false;
}

Bytes locationAddress( Bytes text )
{
  text = trimmed( text );
  int nl = 0;
  while ( nl < text.size && text.data[nl] != '\n' )
    ++nl;
  if ( nl == text.size )
    return Bytes(); // one line: WKT, GeoJSON or bare coordinates
  Bytes first = trimmed( Bytes { text.data, nl } );
  bool digitsOnly = true;
  for ( int i = 0; i < first.size; ++i )
    digitsOnly = digitsOnly && isDigit( first.data[i] );
  return digitsOnly ? Bytes() : first;
}

namespace
{
bool equals( Bytes b, const char *literal )
{
  const int n = static_cast<int>( std::strlen( literal ) );
  return b.size == n && std::memcmp( b.data, literal, n ) == 0;
}
} // namespace

bool isViolentIbrs( Bytes ibrs )
{
  return equals( ibrs, "09A" ) || equals( ibrs, "11A" ) || equals( ibrs, "11B" ) || equals( ibrs, "11C" ) || equals( ibrs, "120" ) || equals( ibrs, "13A" );
}

bool isShootingIbrs( Bytes ibrs )
{
  return equals( ibrs, "09A" ) || equals( ibrs, "13A" ) || equals( ibrs, "120" );
}

const char *ibrsCategoryName( Bytes code )
{
  struct Entry
  {
      const char *prefix;
      const char *category;
  };
  // Exact codes first, then two-character families (NIBRS offense groups).
  static const Entry kExact[] = {
    { "09A", "Homicide" }, { "09B", "Manslaughter" }, { "09C", "Justifiable Homicide" }, { "11A", "Rape" }, { "11B", "Rape" },
    { "11C", "Rape" }, { "11D", "Sex Offense" }, { "120", "Robbery" }, { "13A", "Aggravated Assault" }, { "13B", "Assault" },
    { "13C", "Assault" }, { "100", "Kidnapping" }, { "200", "Arson" }, { "210", "Extortion" }, { "220", "Burglary" },
    { "240", "Motor Vehicle Theft" }, { "250", "Fraud" }, { "270", "Embezzlement" }, { "280", "Stolen Property" },
    { "290", "Vandalism" }, { "370", "Pornography" }, { "510", "Bribery" }, { "520", "Weapons" }, { "720", "Animal Cruelty" },
    { "90D", "DUI" }, { "90J", "Trespass" }, { "90C", "Disorderly Conduct" }, { "90G", "Liquor Law" },
  };
  static const Entry kFamily[] = {
    { "23", "Larceny" }, { "26", "Fraud" }, { "35", "Drugs" }, { "36", "Sex Offense" }, { "39", "Gambling" },
    { "40", "Prostitution" }, { "64", "Human Trafficking" }, { "90", "Other" },
  };
  // Codes are three characters: compare them as one integer (this runs for every row).
  auto packed = []( const char *c ) { return static_cast<quint32>( static_cast<unsigned char>( c[0] ) ) << 16 | static_cast<quint32>( static_cast<unsigned char>( c[1] ) ) << 8 | static_cast<unsigned char>( c[2] ); };
  if ( code.size == 3 )
  {
    const quint32 key = packed( code.data );
    for ( const Entry &e : kExact )
      if ( packed( e.prefix ) == key )
        return e.category;
  }
  for ( const Entry &e : kFamily )
    if ( code.size >= 2 && code.data[0] == e.prefix[0] && code.data[1] == e.prefix[1] )
      return e.category;
  return code.isEmpty() ? nullptr : "Other";
}

QByteArray ibrsCategory( const QByteArray &code )
{
  const char *name = ibrsCategoryName( Bytes { code.constData(), static_cast<int>( code.size() ) } );
  return name ? QByteArray( name ) : QByteArray();
}

LocalTimeFormatter::LocalTimeFormatter( const QTimeZone &zone )
  : mZone( zone )
{
}

QByteArray LocalTimeFormatter::formatDate( qint64 jd )
{
  if ( jd < 0 )
    return QByteArray();
  int y, m, d;
  QDate::fromJulianDay( jd ).getDate( &y, &m, &d );
  char buf[16];
  std::snprintf( buf, sizeof buf, "%04d-%02d-%02d", y, m, d );
  return QByteArray( buf );
}

QByteArray LocalTimeFormatter::formatExact( const DateTimeValue &value ) const
{
  const QDate date = QDate::fromJulianDay( value.jd );
  const QTime time = QTime( 0, 0 ).addSecs( std::max( 0, value.seconds ) );
  QDateTime dt = value.utcOffset != INT_MIN ? QDateTime( date, time, Qt::OffsetFromUTC, value.utcOffset ) : QDateTime( date, time, mZone );
  if ( !dt.isValid() && value.utcOffset == INT_MIN )
    dt = QDateTime( date, time.addSecs( 3600 ), mZone ); // a local time the spring-forward skipped: as the clocks then read
  if ( !dt.isValid() )
    return QByteArray();
  const QDateTime local = dt.toTimeZone( mZone );
  return local.toOffsetFromUtc( local.offsetFromUtc() ).toString( Qt::ISODate ).toLatin1();
}

const LocalTimeFormatter::Day &LocalTimeFormatter::day( qint64 jd )
{
  if ( mDays.empty() )
    mDays.resize( 4096 );
  Day &d = mDays[static_cast<size_t>( jd ) & ( mDays.size() - 1 )];
  if ( d.jd == jd )
    return d;
  d.jd = jd;
  const QDate date = QDate::fromJulianDay( jd );
  const int atStart = QDateTime( date, QTime( 0, 0 ), mZone ).offsetFromUtc();
  const int atEnd = QDateTime( date, QTime( 23, 59, 59 ), mZone ).offsetFromUtc();
  d.exact = atStart != atEnd;
  d.offset = atStart;
  date.getDate( &d.year, &d.month, &d.day );
  char buf[48];
  const int n = std::snprintf( buf, sizeof buf, "%04d-%02d-%02dT", d.year, d.month, d.day );
  d.prefixSize = std::min( n, static_cast<int>( sizeof d.prefix ) );
  std::memcpy( d.prefix, buf, d.prefixSize );
  if ( atStart == 0 ) // Qt writes a zero offset as "Z"
  {
    d.suffix[0] = 'Z';
    d.suffixSize = 1;
  }
  else
  {
    const int absOffset = std::abs( atStart );
    d.suffixSize = std::min( std::snprintf( buf, sizeof buf, "%c%02d:%02d", atStart < 0 ? '-' : '+', absOffset / 3600, ( absOffset / 60 ) % 60 ), static_cast<int>( sizeof d.suffix ) );
    std::memcpy( d.suffix, buf, d.suffixSize );
  }
  return d;
}

bool LocalTimeFormatter::appendTo( const DateTimeValue &value, std::string &out )
{
  if ( !value.isValid() )
    return false;
  const Day *d = value.utcOffset == INT_MIN ? &day( value.jd ) : nullptr;
  if ( !d || d->exact )
  {
    const QByteArray exact = formatExact( value );
    if ( exact.isNull() )
      return false;
    out.append( exact.constData(), exact.size() );
    return true;
  }
  const int secs = std::max( 0, value.seconds );
  const int h = secs / 3600, m = ( secs / 60 ) % 60, s = secs % 60;
  out.append( d->prefix, d->prefixSize );
  if ( h < 100 )
  {
    const char t[8] = { char( '0' + h / 10 ), char( '0' + h % 10 ), ':', char( '0' + m / 10 ), char( '0' + m % 10 ), ':', char( '0' + s / 10 ), char( '0' + s % 10 ) };
    out.append( t, 8 );
  }
  else
  {
    char buf[32];
    const int n = std::snprintf( buf, sizeof buf, "%02d:%02d:%02d", h, m, s );
    out.append( buf, std::min( n, static_cast<int>( sizeof buf ) - 1 ) );
  }
  out.append( d->suffix, d->suffixSize );
  return true;
}

QByteArray LocalTimeFormatter::format( const DateTimeValue &value )
{
  std::string out;
  if ( !appendTo( value, out ) )
    return QByteArray();
  return QByteArray( out.data(), static_cast<int>( out.size() ) );
}

QByteArray hashToHex( quint64 hash )
{
  char buf[17];
  std::snprintf( buf, sizeof buf, "%016llx", static_cast<unsigned long long>( hash ) );
  return QByteArray( buf, 16 );
}

} // namespace statdesk::ingest
