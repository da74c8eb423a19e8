#include "Sqlite.h"
#include "GpkgGeometry.h"

#include <sqlite3.h>

namespace statdesk
{

namespace
{
// The GeoPackage spatial functions GDAL's R*Tree triggers use, evaluated on the blob's header.
template<int Which>
void envelopeFunction( sqlite3_context *ctx, int argc, sqlite3_value **argv )
{
  if ( argc != 1 || sqlite3_value_type( argv[0] ) != SQLITE_BLOB )
  {
    sqlite3_result_null( ctx );
    return;
  }
  const auto *data = static_cast<const unsigned char *>( sqlite3_value_blob( argv[0] ) );
  const int size = sqlite3_value_bytes( argv[0] );
  GpkgEnvelope env;
  if ( !gpkgBlobEnvelope( data, size, env ) )
  {
    sqlite3_result_null( ctx );
    return;
  }
  if constexpr ( Which == 0 )
    sqlite3_result_double( ctx, env.minX );
  else if constexpr ( Which == 1 )
    sqlite3_result_double( ctx, env.maxX );
  else if constexpr ( Which == 2 )
    sqlite3_result_double( ctx, env.minY );
  else
    sqlite3_result_double( ctx, env.maxY );
}

void isEmptyFunction( sqlite3_context *ctx, int argc, sqlite3_value **argv )
{
  if ( argc != 1 || sqlite3_value_type( argv[0] ) != SQLITE_BLOB )
  {
    sqlite3_result_null( ctx );
    return;
  }
  const auto *data = static_cast<const unsigned char *>( sqlite3_value_blob( argv[0] ) );
  sqlite3_result_int( ctx, gpkgBlobIsEmpty( data, sqlite3_value_bytes( argv[0] ) ) ? 1 : 0 );
}

void registerGpkgFunctions( sqlite3 *db )
{
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  sqlite3_create_function( db, "ST_MinX", 1, flags, nullptr, envelopeFunction<0>, nullptr, nullptr );
  sqlite3_create_function( db, "ST_MaxX", 1, flags, nullptr, envelopeFunction<1>, nullptr, nullptr );
  sqlite3_create_function( db, "ST_MinY", 1, flags, nullptr, envelopeFunction<2>, nullptr, nullptr );
  sqlite3_create_function( db, "ST_MaxY", 1, flags, nullptr, envelopeFunction<3>, nullptr, nullptr );
  sqlite3_create_function( db, "ST_IsEmpty", 1, flags, nullptr, isEmptyFunction, nullptr, nullptr );
}
} // namespace

SqliteDatabase::~SqliteDatabase()
{
  close();
}

bool SqliteDatabase::open( const QString &path, bool readOnly, bool create )
{
  close();
  int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if ( create && !readOnly )
    flags |= SQLITE_OPEN_CREATE;
  const QByteArray utf8 = path.toUtf8();
  if ( sqlite3_open_v2( utf8.constData(), &mDb, flags, nullptr ) != SQLITE_OK )
  {
    mError = QStringLiteral( "Cannot open %1: %2" ).arg( path, mDb ? QString::fromUtf8( sqlite3_errmsg( mDb ) ) : QStringLiteral( "out of memory" ) );
    close();
    return false;
  }
  sqlite3_busy_timeout( mDb, 5000 );
  sqlite3_extended_result_codes( mDb, 1 );
  registerGpkgFunctions( mDb );
  return true;
}

void SqliteDatabase::close()
{
  if ( mDb )
    sqlite3_close_v2( mDb );
  mDb = nullptr;
}

QString SqliteDatabase::lastSqliteError() const
{
  return mDb ? QString::fromUtf8( sqlite3_errmsg( mDb ) ) : QStringLiteral( "database not open" );
}

bool SqliteDatabase::exec( const QString &sql )
{
  char *err = nullptr;
  if ( sqlite3_exec( mDb, sql.toUtf8().constData(), nullptr, nullptr, &err ) != SQLITE_OK )
  {
    mError = QString::fromUtf8( err ? err : "unknown SQLite error" );
    sqlite3_free( err );
    return false;
  }
  return true;
}

QVariant SqliteDatabase::scalar( const QString &sql )
{
  SqliteStatement st( *this, sql );
  if ( st.isValid() && st.next() )
    return st.value( 0 );
  return QVariant();
}

bool SqliteDatabase::tableExists( const QString &table )
{
  SqliteStatement st( *this, QStringLiteral( "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?" ) );
  st.bindText( 1, table );
  return st.next();
}

SqliteStatement::SqliteStatement( SqliteDatabase &db, const QString &sql )
  : mDb( db )
{
  if ( sqlite3_prepare_v2( db.handle(), sql.toUtf8().constData(), -1, &mStmt, nullptr ) != SQLITE_OK )
  {
    db.setError( QStringLiteral( "%1 (in: %2)" ).arg( db.lastSqliteError(), sql.left( 200 ) ) );
    mStmt = nullptr;
  }
}

SqliteStatement::~SqliteStatement()
{
  if ( mStmt )
    sqlite3_finalize( mStmt );
}

void SqliteStatement::bind( int index, const QVariant &value )
{
  if ( value.isNull() || !value.isValid() )
    bindNull( index );
  else if ( value.userType() == QMetaType::QByteArray )
    bindBlob( index, value.toByteArray() );
  else if ( value.userType() == QMetaType::Int || value.userType() == QMetaType::LongLong || value.userType() == QMetaType::Bool
            || value.userType() == QMetaType::UInt || value.userType() == QMetaType::ULongLong )
    bindInt64( index, value.toLongLong() );
  else if ( value.userType() == QMetaType::Double || value.userType() == QMetaType::Float )
    bindDouble( index, value.toDouble() );
  else
    bindText( index, value.toString() );
}

void SqliteStatement::bindText( int index, const QString &value )
{
  if ( value.isNull() )
  {
    bindNull( index );
    return;
  }
  const QByteArray utf8 = value.toUtf8();
  sqlite3_bind_text( mStmt, index, utf8.constData(), utf8.size(), SQLITE_TRANSIENT );
}

void SqliteStatement::bindBlob( int index, const QByteArray &value )
{
  sqlite3_bind_blob( mStmt, index, value.constData(), value.size(), SQLITE_TRANSIENT );
}

void SqliteStatement::bindInt64( int index, qint64 value )
{
  sqlite3_bind_int64( mStmt, index, value );
}

void SqliteStatement::bindDouble( int index, double value )
{
  sqlite3_bind_double( mStmt, index, value );
}

void SqliteStatement::bindNull( int index )
{
  sqlite3_bind_null( mStmt, index );
}

bool SqliteStatement::next()
{
  if ( !mStmt )
    return false;
  const int rc = sqlite3_step( mStmt );
  if ( rc == SQLITE_ROW )
    return true;
  if ( rc != SQLITE_DONE )
    mDb.setError( mDb.lastSqliteError() );
  return false;
}

bool SqliteStatement::exec()
{
  if ( !mStmt )
    return false;
  int rc;
  while ( ( rc = sqlite3_step( mStmt ) ) == SQLITE_ROW )
    ;
  const bool ok = rc == SQLITE_DONE;
  if ( !ok )
    mDb.setError( mDb.lastSqliteError() );
  sqlite3_reset( mStmt );
  return ok;
}

void SqliteStatement::reset()
{
  if ( mStmt )
  {
    sqlite3_reset( mStmt );
    sqlite3_clear_bindings( mStmt );
  }
}

QVariant SqliteStatement::value( int column ) const
{
  switch ( sqlite3_column_type( mStmt, column ) )
  {
    case SQLITE_INTEGER:
      return QVariant( static_cast<qlonglong>( sqlite3_column_int64( mStmt, column ) ) );
    case SQLITE_FLOAT:
      return QVariant( sqlite3_column_double( mStmt, column ) );
    case SQLITE_TEXT:
      return QVariant( text( column ) );
    case SQLITE_BLOB:
      return QVariant( blob( column ) );
    default:
      return QVariant();
  }
}

QString SqliteStatement::text( int column ) const
{
  const auto *txt = reinterpret_cast<const char *>( sqlite3_column_text( mStmt, column ) );
  if ( !txt )
    return QString();
  return QString::fromUtf8( txt, sqlite3_column_bytes( mStmt, column ) );
}

qint64 SqliteStatement::int64( int column ) const
{
  return sqlite3_column_int64( mStmt, column );
}

double SqliteStatement::real( int column ) const
{
  return sqlite3_column_double( mStmt, column );
}

QByteArray SqliteStatement::blob( int column ) const
{
  const auto *data = static_cast<const char *>( sqlite3_column_blob( mStmt, column ) );
  return QByteArray( data, sqlite3_column_bytes( mStmt, column ) );
}

bool SqliteStatement::isNull( int column ) const
{
  return sqlite3_column_type( mStmt, column ) == SQLITE_NULL;
}

int SqliteStatement::columnCount() const
{
  return mStmt ? sqlite3_column_count( mStmt ) : 0;
}

QString SqliteStatement::columnName( int column ) const
{
  return QString::fromUtf8( sqlite3_column_name( mStmt, column ) );
}

QString SqliteStatement::errorString() const
{
  return mDb.errorString();
}

SqliteTransaction::SqliteTransaction( SqliteDatabase &db )
  : mDb( db )
{
  mActive = mDb.exec( QStringLiteral( "BEGIN IMMEDIATE" ) );
}

SqliteTransaction::~SqliteTransaction()
{
  rollback();
}

bool SqliteTransaction::commit()
{
  if ( !mActive )
    return false;
  if ( !mDb.exec( QStringLiteral( "COMMIT" ) ) )
    return false;
  mActive = false;
  return true;
}

void SqliteTransaction::rollback()
{
  if ( mActive )
  {
    const QString keep = mDb.errorString();
    mDb.exec( QStringLiteral( "ROLLBACK" ) );
    mDb.setError( keep );
    mActive = false;
  }
}

} // namespace statdesk
