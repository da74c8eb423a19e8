#include "GpkgGeometry.h"

#include <qgsgeometry.h>
#include <qgsrectangle.h>

#include <algorithm>
#include <cstring>

namespace statdesk
{

namespace
{
constexpr unsigned char kFlagsLittleEndianXyEnvelope = 0x01 | ( 1 << 1 );
constexpr unsigned char kFlagEmpty = 1 << 4;

void appendDouble( QByteArray &out, double v )
{
  out.append( reinterpret_cast<const char *>( &v ), sizeof( double ) );
}

QByteArray header( int srsId, const GpkgEnvelope &env, bool empty )
{
  QByteArray out;
  out.reserve( 8 + 32 );
  out.append( 'G' );
  out.append( 'P' );
  out.append( char( 0 ) );
  out.append( char( empty ? ( 0x01 | kFlagEmpty ) : kFlagsLittleEndianXyEnvelope ) );
  const qint32 srs = srsId;
  out.append( reinterpret_cast<const char *>( &srs ), 4 );
  if ( !empty )
  {
    appendDouble( out, env.minX );
    appendDouble( out, env.maxX );
    appendDouble( out, env.minY );
    appendDouble( out, env.maxY );
  }
  return out;
}

int envelopeSize( unsigned char flags )
{
  switch ( ( flags >> 1 ) & 0x07 )
  {
    case 0:
      return 0;
    case 1:
      return 32;
    case 2:
    case 3:
      return 48;
    case 4:
      return 64;
    default:
      return -1;
  }
}

double readDouble( const unsigned char *p, bool littleEndian )
{
  unsigned char b[8];
  std::memcpy( b, p, 8 );
  if ( !littleEndian )
    std::reverse( b, b + 8 );
  double v;
  std::memcpy( &v, b, 8 );
  return v;
}
} // namespace

QByteArray gpkgPointBlob( double x, double y, int srsId )
{
  GpkgEnvelope env { x, x, y, y };
  QByteArray out = header( srsId, env, false );
  out.append( char( 1 ) );  // little endian WKB
  const quint32 type = 1; // Point
  out.append( reinterpret_cast<const char *>( &type ), 4 );
  appendDouble( out, x );
  appendDouble( out, y );
  return out;
}

void writeGpkgPoint( double x, double y, int srsId, char *out )
{
  // Header without envelope (flags: little endian, no envelope), then the WKB point.
  out[0] = 'G';
  out[1] = 'P';
  out[2] = 0;
  out[3] = 0x01;
  const qint32 srs = srsId;
  std::memcpy( out + 4, &srs, 4 );
  out[8] = 1; // little endian WKB
  const quint32 type = 1; // Point
  std::memcpy( out + 9, &type, 4 );
  std::memcpy( out + 13, &x, 8 );
  std::memcpy( out + 21, &y, 8 );
}

QByteArray gpkgGeometryBlob( const QgsGeometry &geometry, int srsId )
{
  if ( geometry.isNull() )
    return QByteArray();
  const bool empty = geometry.isEmpty();
  GpkgEnvelope env;
  if ( !empty )
  {
    const QgsRectangle box = geometry.boundingBox();
    env = GpkgEnvelope { box.xMinimum(), box.xMaximum(), box.yMinimum(), box.yMaximum() };
  }
  QByteArray out = header( srsId, env, empty );
  out.append( geometry.asWkb() );
  return out;
}

QgsGeometry geometryFromGpkgBlob( const QByteArray &blob )
{
  if ( blob.size() < 8 || blob.at( 0 ) != 'G' || blob.at( 1 ) != 'P' )
    return QgsGeometry();
  const int envSize = envelopeSize( static_cast<unsigned char>( blob.at( 3 ) ) );
  if ( envSize < 0 || blob.size() < 8 + envSize )
    return QgsGeometry();
  QgsGeometry g;
  g.fromWkb( blob.mid( 8 + envSize ) );
  return g;
}

bool gpkgBlobIsEmpty( const unsigned char *data, int size )
{
  if ( size < 8 || data[0] != 'G' || data[1] != 'P' )
    return true;
  return ( data[3] & kFlagEmpty ) != 0;
}

bool gpkgBlobEnvelope( const unsigned char *data, int size, GpkgEnvelope &envelope )
{
  if ( size < 8 || data[0] != 'G' || data[1] != 'P' || gpkgBlobIsEmpty( data, size ) )
    return false;
  const unsigned char flags = data[3];
  const bool littleEndian = flags & 0x01;
  const int envSize = envelopeSize( flags );
  if ( envSize < 0 || size < 8 + envSize )
    return false;
  if ( envSize >= 32 )
  {
    envelope.minX = readDouble( data + 8, littleEndian );
    envelope.maxX = readDouble( data + 16, littleEndian );
    envelope.minY = readDouble( data + 24, littleEndian );
    envelope.maxY = readDouble( data + 32, littleEndian );
    return true;
  }
  // No envelope in the header (GDAL writes points like this): read the WKB.
  const unsigned char *wkb = data + 8;
  const int wkbSize = size - 8;
  if ( wkbSize >= 21 )
  {
    const bool wkbLittle = wkb[0] == 1;
    quint32 type;
    std::memcpy( &type, wkb + 1, 4 );
    if ( !wkbLittle )
      type = ( ( type & 0xff ) << 24 ) | ( ( type & 0xff00 ) << 8 ) | ( ( type >> 8 ) & 0xff00 ) | ( type >> 24 );
    if ( type % 1000 == 1 )
    {
      const double x = readDouble( wkb + 5, wkbLittle );
      const double y = readDouble( wkb + 13, wkbLittle );
      envelope = GpkgEnvelope { x, x, y, y };
      return true;
    }
  }
  QgsGeometry g;
  g.fromWkb( QByteArray( reinterpret_cast<const char *>( wkb ), wkbSize ) );
  if ( g.isNull() || g.isEmpty() )
    return false;
  const QgsRectangle box = g.boundingBox();
  envelope = GpkgEnvelope { box.xMinimum(), box.xMaximum(), box.yMinimum(), box.yMaximum() };
  return true;
}

} // namespace statdesk
