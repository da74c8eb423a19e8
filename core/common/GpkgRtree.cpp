#include "GpkgRtree.h"
#include "LargeArray.h"
#include "Sqlite.h"

#include <QRegularExpression>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace statdesk
{

namespace
{
// The rtree module's rounding of a double to a 32-bit float: lower bounds down, upper bounds up
// (rtreeValueDown / rtreeValueUp in SQLite's rtree.c).
constexpr double kRoundTowards = 1.0 - 1.0 / 8388608.0;
constexpr double kRoundAway = 1.0 + 1.0 / 8388608.0;

float roundDown( double d )
{
  float f = static_cast<float>( d );
  if ( f > d )
    f = static_cast<float>( d * ( d < 0 ? kRoundAway : kRoundTowards ) );
  return f;
}

float roundUp( double d )
{
  float f = static_cast<float>( d );
  if ( f < d )
    f = static_cast<float>( d * ( d < 0 ? kRoundTowards : kRoundAway ) );
  return f;
}

//! Position of (x, y) on a Hilbert curve filling a 65536 x 65536 grid.
quint64 hilbertIndex( quint32 x, quint32 y )
{
  constexpr quint32 n = 1u << 16;
  quint64 d = 0;
  for ( quint32 s = n / 2; s > 0; s /= 2 )
  {
    const quint32 rx = ( x & s ) ? 1 : 0;
    const quint32 ry = ( y & s ) ? 1 : 0;
    d += static_cast<quint64>( s ) * s * ( ( 3 * rx ) ^ ry );
    if ( ry == 0 )
    {
      if ( rx == 1 )
      {
        x = n - 1 - x;
        y = n - 1 - y;
      }
      std::swap( x, y );
    }
  }
  return d;
}

void putBigEndian16( unsigned char *p, int v )
{
  p[0] = static_cast<unsigned char>( ( v >> 8 ) & 0xFF );
  p[1] = static_cast<unsigned char>( v & 0xFF );
}

void putBigEndian64( unsigned char *p, qint64 v )
{
  const quint64 u = static_cast<quint64>( v );
  for ( int i = 0; i < 8; ++i )
    p[i] = static_cast<unsigned char>( ( u >> ( 56 - 8 * i ) ) & 0xFF );
}

void putBigEndianFloat( unsigned char *p, float f )
{
  quint32 u;
  static_assert( sizeof u == sizeof f, "32-bit float" );
  std::memcpy( &u, &f, sizeof u );
  for ( int i = 0; i < 4; ++i )
    p[i] = static_cast<unsigned char>( ( u >> ( 24 - 8 * i ) ) & 0xFF );
}

//! A prepared statement that reports SQLite's message on failure.
class Statement
{
  public:
    Statement( sqlite3 *db, const QString &sql )
      : mDb( db )
    {
      const QByteArray utf8 = sql.toUtf8();
      if ( sqlite3_prepare_v2( db, utf8.constData(), utf8.size(), &mStmt, nullptr ) != SQLITE_OK )
        mStmt = nullptr;
    }
    ~Statement() { sqlite3_finalize( mStmt ); }
    Statement( const Statement & ) = delete;
    Statement &operator=( const Statement & ) = delete;
    sqlite3_stmt *get() const { return mStmt; }
    bool ok() const { return mStmt != nullptr; }
    bool run()
    {
      const int rc = sqlite3_step( mStmt );
      sqlite3_reset( mStmt );
      return rc == SQLITE_DONE;
    }
    QString error() const { return QString::fromUtf8( sqlite3_errmsg( mDb ) ); }

  private:
    sqlite3 *mDb;
    sqlite3_stmt *mStmt = nullptr;
};
} // namespace

GpkgRtreeBulkLoader::GpkgRtreeBulkLoader( SqliteDatabase &db, const QString &table, const QString &geometryColumn )
  : mDb( db ), mTable( table ), mRtree( QStringLiteral( "rtree_%1_%2" ).arg( table, geometryColumn ) )
{
}

GpkgRtreeBulkLoader::~GpkgRtreeBulkLoader() = default;

bool GpkgRtreeBulkLoader::begin( QString *error )
{
  mActive = false;
  mPrepared = false;
  mItems.clear();
  mTriggerSql.clear();
  // A 2D rtree of 32-bit floats without auxiliary columns, as the GeoPackage extension declares it.
  {
    SqliteStatement st( mDb, QStringLiteral( "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?" ) );
    st.bindText( 1, mRtree );
    if ( !st.next() )
      return false;
    static const QRegularExpression declaration( QStringLiteral( "^\\s*CREATE\\s+VIRTUAL\\s+TABLE\\s+\\S+\\s+USING\\s+rtree\\s*\\(\\s*\"?\\w+\"?\\s*(,\\s*\"?\\w+\"?\\s*){4}\\)\\s*$" ),
                                                 QRegularExpression::CaseInsensitiveOption );
    if ( !declaration.match( st.text( 0 ) ).hasMatch() )
      return false;
  }
  for ( const QString &shadow : { QStringLiteral( "_node" ), QStringLiteral( "_parent" ), QStringLiteral( "_rowid" ) } )
  {
    if ( !mDb.tableExists( mRtree + shadow ) )
      return false;
  }
  if ( mDb.scalar( QStringLiteral( "SELECT COUNT(*) FROM (SELECT 1 FROM \"%1_rowid\" LIMIT 1)" ).arg( mRtree ) ).toLongLong() != 0 )
    return false; // not empty: keep the triggers
  const QVariant columns = mDb.scalar( QStringLiteral( "SELECT COUNT(*) FROM pragma_table_info('%1_rowid')" ).arg( mRtree ) );
  if ( columns.toLongLong() != 2 )
    return false;
  mNodeSize = mDb.scalar( QStringLiteral( "SELECT length(data) FROM \"%1_node\" WHERE nodeno = 1" ).arg( mRtree ) ).toInt();
  constexpr int cellBytes = 8 + 4 * 4;
  mCapacity = ( mNodeSize - 4 ) / cellBytes;
  if ( mCapacity < 4 )
    return false;

  SqliteStatement triggers( mDb, QStringLiteral( "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND substr(name, 1, ?) = ?" ) );
  triggers.bindText( 1, mTable );
  triggers.bindInt64( 2, mRtree.size() + 1 );
  triggers.bindText( 3, mRtree + QLatin1Char( '_' ) );
  QStringList names;
  while ( triggers.next() )
  {
    names << triggers.text( 0 );
    mTriggerSql << triggers.text( 1 );
  }
  for ( const QString &name : std::as_const( names ) )
  {
    if ( !mDb.exec( QStringLiteral( "DROP TRIGGER \"%1\"" ).arg( name ) ) )
    {
      if ( error )
        *error = mDb.errorString();
      return false;
    }
  }
  mActive = true;
  return true;
}

GpkgRtreeBulkLoader::Item *GpkgRtreeBulkLoader::find( qint64 fid )
{
  auto it = std::lower_bound( mItems.begin(), mItems.end(), fid, []( const Item &item, qint64 f ) { return item.fid < f; } );
  return it != mItems.end() && it->fid == fid ? &*it : nullptr;
}

void GpkgRtreeBulkLoader::reserve( size_t count )
{
  if ( count <= mItems.capacity() )
    return;
  mItems.reserve( count );
  adviseHugePages( mItems );
}

void GpkgRtreeBulkLoader::setEnvelope( qint64 fid, double minX, double maxX, double minY, double maxY )
{
  const Item item { fid, { roundDown( minX ), roundUp( maxX ), roundDown( minY ), roundUp( maxY ) } };
  if ( mItems.empty() || mItems.back().fid < fid )
  {
    mItems.push_back( item );
    return;
  }
  if ( Item *existing = find( fid ) )
  {
    *existing = item;
    return;
  }
  mItems.insert( std::lower_bound( mItems.begin(), mItems.end(), fid, []( const Item &i, qint64 f ) { return i.fid < f; } ), item );
}

void GpkgRtreeBulkLoader::clearEnvelope( qint64 fid )
{
  if ( Item *existing = find( fid ) )
    existing->box[0] = std::numeric_limits<float>::quiet_NaN();
}

void GpkgRtreeBulkLoader::prepare()
{
  if ( !mActive || mPrepared )
    return;
  mPrepared = true;
  mItems.erase( std::remove_if( mItems.begin(), mItems.end(), []( const Item &i ) { return std::isnan( i.box[0] ); } ), mItems.end() );
  mNodes.clear();
  mNodeNumbers.clear();
  mParents.clear();
  mLeafOf.assign( mItems.size(), 0 );
  if ( mItems.empty() )
    return;

  // Leaves in Hilbert order of the box centres, so that each node covers a compact area.
  double minX = std::numeric_limits<double>::max(), minY = minX, maxX = -minX, maxY = -minX;
  for ( const Item &i : mItems )
  {
    minX = std::min( minX, static_cast<double>( i.box[0] ) );
    maxX = std::max( maxX, static_cast<double>( i.box[1] ) );
    minY = std::min( minY, static_cast<double>( i.box[2] ) );
    maxY = std::max( maxY, static_cast<double>( i.box[3] ) );
  }
  const double sx = maxX > minX ? 65535.0 / ( maxX - minX ) : 0;
  const double sy = maxY > minY ? 65535.0 / ( maxY - minY ) : 0;
  std::vector<std::pair<quint64, quint32>> order;
  order.reserve( mItems.size() );
  adviseHugePages( order );
  order.resize( mItems.size() );
  for ( size_t k = 0; k < mItems.size(); ++k )
  {
    const Item &i = mItems[k];
    const double cx = ( static_cast<double>( i.box[0] ) + i.box[1] ) / 2, cy = ( static_cast<double>( i.box[2] ) + i.box[3] ) / 2;
    order[k] = { hilbertIndex( static_cast<quint32>( std::clamp( ( cx - minX ) * sx, 0.0, 65535.0 ) ), static_cast<quint32>( std::clamp( ( cy - minY ) * sy, 0.0, 65535.0 ) ) ),
                 static_cast<quint32>( k ) };
  }
  std::sort( order.begin(), order.end() );

  // Bottom-up: full nodes of consecutive entries. Node numbers 2, 3 ... in creation order;
  // the root, created last, is node 1 and holds the depth of the tree.
  struct Entry
  {
      qint64 id;
      float box[4];
  };
  std::vector<Entry> level;
  level.reserve( mItems.size() );
  adviseHugePages( level );
  for ( const auto &o : order )
  {
    const Item &i = mItems[o.second];
    level.push_back( { i.fid, { i.box[0], i.box[1], i.box[2], i.box[3] } } );
  }
  mNodes.reserve( ( mItems.size() / mCapacity + 16 ) * static_cast<size_t>( mNodeSize ) * 51 / 50 );
  adviseHugePages( mNodes );
  qint64 nextNode = 2;
  int depth = 0;
  for ( ;; )
  {
    const bool root = static_cast<int>( level.size() ) <= mCapacity;
    std::vector<Entry> up;
    up.reserve( level.size() / mCapacity + 1 );
    for ( size_t first = 0; first < level.size(); first += mCapacity )
    {
      const size_t count = std::min( level.size() - first, static_cast<size_t>( mCapacity ) );
      const qint64 node = root ? 1 : nextNode++;
      const size_t offset = mNodes.size();
      mNodes.resize( offset + static_cast<size_t>( mNodeSize ), 0 );
      mNodeNumbers.push_back( node );
      unsigned char *blob = mNodes.data() + offset;
      putBigEndian16( blob, root ? depth : 0 );
      putBigEndian16( blob + 2, static_cast<int>( count ) );
      Entry parent { node, { level[first].box[0], level[first].box[1], level[first].box[2], level[first].box[3] } };
      for ( size_t c = 0; c < count; ++c )
      {
        const Entry &e = level[first + c];
        unsigned char *cell = blob + 4 + c * 24;
        putBigEndian64( cell, e.id );
        for ( int k = 0; k < 4; ++k )
          putBigEndianFloat( cell + 8 + 4 * k, e.box[k] );
        parent.box[0] = std::min( parent.box[0], e.box[0] );
        parent.box[1] = std::max( parent.box[1], e.box[1] );
        parent.box[2] = std::min( parent.box[2], e.box[2] );
        parent.box[3] = std::max( parent.box[3], e.box[3] );
        if ( depth == 0 )
          mLeafOf[order[first + c].second] = node;
        else
          mParents.push_back( { e.id, node } );
      }
      up.push_back( parent );
    }
    if ( root )
      break;
    level.swap( up );
    ++depth;
  }
  std::sort( mParents.begin(), mParents.end() );
}

bool GpkgRtreeBulkLoader::finish( QString *error )
{
  if ( !mActive )
    return true;
  prepare();
  mActive = false;
  mPrepared = false;
  auto fail = [&]( const QString &message ) {
    if ( error )
      *error = message;
    return false;
  };

  if ( !mItems.empty() )
  {
    sqlite3 *h = mDb.handle();
    Statement deleteNodes( h, QStringLiteral( "DELETE FROM \"%1_node\"" ).arg( mRtree ) );
    Statement insertNode( h, QStringLiteral( "INSERT INTO \"%1_node\"(nodeno, data) VALUES (?, ?)" ).arg( mRtree ) );
    Statement insertParent( h, QStringLiteral( "INSERT INTO \"%1_parent\"(nodeno, parentnode) VALUES (?, ?)" ).arg( mRtree ) );
    constexpr int rowsPerInsert = 200;
    QString rowidSql = QStringLiteral( "INSERT INTO \"%1_rowid\"(rowid, nodeno) VALUES (?, ?)" ).arg( mRtree );
    for ( int r = 1; r < rowsPerInsert; ++r )
      rowidSql += QStringLiteral( ", (?, ?)" );
    Statement insertRowids( h, rowidSql );
    Statement insertRowid( h, QStringLiteral( "INSERT INTO \"%1_rowid\"(rowid, nodeno) VALUES (?, ?)" ).arg( mRtree ) );
    for ( const Statement *s : { &deleteNodes, &insertNode, &insertParent, &insertRowids, &insertRowid } )
    {
      if ( !s->ok() )
        return fail( s->error() );
    }
    if ( !deleteNodes.run() )
      return fail( deleteNodes.error() );
    for ( size_t n = 0; n < mNodeNumbers.size(); ++n )
    {
      sqlite3_bind_int64( insertNode.get(), 1, mNodeNumbers[n] );
      sqlite3_bind_blob( insertNode.get(), 2, mNodes.data() + n * static_cast<size_t>( mNodeSize ), mNodeSize, SQLITE_STATIC );
      if ( !insertNode.run() )
        return fail( insertNode.error() );
    }
    for ( const auto &[node, parent] : mParents )
    {
      sqlite3_bind_int64( insertParent.get(), 1, node );
      sqlite3_bind_int64( insertParent.get(), 2, parent );
      if ( !insertParent.run() )
        return fail( insertParent.error() );
    }
    size_t k = 0;
    for ( ; k + rowsPerInsert <= mItems.size(); k += rowsPerInsert )
    {
      for ( int r = 0; r < rowsPerInsert; ++r )
      {
        sqlite3_bind_int64( insertRowids.get(), 2 * r + 1, mItems[k + r].fid );
        sqlite3_bind_int64( insertRowids.get(), 2 * r + 2, mLeafOf[k + r] );
      }
      if ( !insertRowids.run() )
        return fail( insertRowids.error() );
    }
    for ( ; k < mItems.size(); ++k )
    {
      sqlite3_bind_int64( insertRowid.get(), 1, mItems[k].fid );
      sqlite3_bind_int64( insertRowid.get(), 2, mLeafOf[k] );
      if ( !insertRowid.run() )
        return fail( insertRowid.error() );
    }
  }
  mItems = std::vector<Item>();
  mNodes = std::vector<unsigned char>();
  mNodeNumbers = std::vector<qint64>();
  mParents = std::vector<std::pair<qint64, qint64>>();
  mLeafOf = std::vector<qint64>();
  for ( const QString &sql : std::as_const( mTriggerSql ) )
  {
    if ( !mDb.exec( sql ) )
      return fail( mDb.errorString() );
  }
  mTriggerSql.clear();
  return true;
}

} // namespace statdesk
