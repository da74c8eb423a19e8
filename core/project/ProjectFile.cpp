#include "ProjectFile.h"
#include "ProjectLayers.h"
#include "Schema.h"
#include "common/QgisRuntime.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>

#include <qgsproject.h>

#include <gdal.h>
#include <cpl_string.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>

namespace statdesk
{

namespace
{
constexpr qint32 kGpkgApplicationId = 0x47504B47; // "GPKG"

QString lockPath( const QString &path )
{
  return path + QStringLiteral( ".lock" );
}

//! RAII for a GDAL dataset handle.
struct GdalDataset
{
    GDALDatasetH handle = nullptr;
    ~GdalDataset()
    {
      if ( handle )
        GDALClose( handle );
    }
};

struct CslOptions
{
    char **list = nullptr;
    ~CslOptions() { CSLDestroy( list ); }
    void set( const char *key, const QString &value ) { list = CSLSetNameValue( list, key, value.toUtf8().constData() ); }
};

OGRFieldType ogrType( schema::FieldType type )
{
  switch ( type )
  {
    case schema::FieldType::Integer:
      return OFTInteger64;
    case schema::FieldType::Real:
      return OFTReal;
    case schema::FieldType::Text:
      break;
  }
  return OFTString;
}

QString sqlType( schema::FieldType type )
{
  switch ( type )
  {
    case schema::FieldType::Integer:
      return QStringLiteral( "INTEGER" );
    case schema::FieldType::Real:
      return QStringLiteral( "REAL" );
    case schema::FieldType::Text:
      break;
  }
  return QStringLiteral( "TEXT" );
}

//! Creates the GeoPackage with its registered tables through GDAL (so gpkg_* tables, SRS and R*Tree
//! triggers are exactly what GDAL and QGIS expect).
bool createGeoPackage( const QString &path, const QgsCoordinateReferenceSystem &crs, QString *error )
{
  GDALAllRegister();
  GDALDriverH driver = GDALGetDriverByName( "GPKG" );
  if ( !driver )
  {
    *error = QObject::tr( "GDAL has no GeoPackage driver" );
    return false;
  }
  GdalDataset ds;
  ds.handle = GDALCreate( driver, path.toUtf8().constData(), 0, 0, 0, GDT_Unknown, nullptr );
  if ( !ds.handle )
  {
    *error = QObject::tr( "Cannot create %1: %2" ).arg( path, QString::fromUtf8( CPLGetLastErrorMsg() ) );
    return false;
  }
  OGRSpatialReferenceH srs = OSRNewSpatialReference( nullptr );
  OSRSetAxisMappingStrategy( srs, OAMS_TRADITIONAL_GIS_ORDER );
  const QString authid = crs.authid();
  OGRErr srsErr = OGRERR_FAILURE;
  if ( authid.startsWith( QLatin1String( "EPSG:" ), Qt::CaseInsensitive ) )
    srsErr = OSRSetFromUserInput( srs, authid.toUtf8().constData() );
  if ( srsErr != OGRERR_NONE )
    srsErr = OSRSetFromUserInput( srs, crs.toWkt( QgsCoordinateReferenceSystem::WKT_PREFERRED_GDAL ).toUtf8().constData() );
  if ( srsErr != OGRERR_NONE )
  {
    OSRDestroySpatialReference( srs );
    *error = QObject::tr( "GDAL does not understand the CRS %1" ).arg( crs.userFriendlyIdentifier() );
    return false;
  }

  bool ok = true;
  for ( const schema::Table &table : schema::tables() )
  {
    if ( table.kind == schema::TableKind::Restricted )
      continue;
    OGRwkbGeometryType geomType = wkbNone;
    if ( table.kind == schema::TableKind::PointLayer )
      geomType = wkbPoint;
    else if ( table.kind == schema::TableKind::PolygonLayer )
      geomType = wkbMultiPolygon;
    CslOptions options;
    options.set( "FID", QStringLiteral( "fid" ) );
    options.set( "IDENTIFIER", table.title );
    if ( geomType != wkbNone )
    {
      options.set( "GEOMETRY_NAME", schema::kGeometryColumn );
      options.set( "SPATIAL_INDEX", QStringLiteral( "YES" ) );
      options.set( "GEOMETRY_NULLABLE", QStringLiteral( "YES" ) );
    }
    OGRLayerH layer = GDALDatasetCreateLayer( ds.handle, table.name.toUtf8().constData(), geomType == wkbNone ? nullptr : srs,
                                              geomType, options.list );
    if ( !layer )
    {
      *error = QObject::tr( "Cannot create table %1: %2" ).arg( table.name, QString::fromUtf8( CPLGetLastErrorMsg() ) );
      ok = false;
      break;
    }
    for ( const schema::Field &field : table.fields )
    {
      OGRFieldDefnH defn = OGR_Fld_Create( field.name.toUtf8().constData(), ogrType( field.type ) );
      const OGRErr err = OGR_L_CreateField( layer, defn, TRUE );
      OGR_Fld_Destroy( defn );
      if ( err != OGRERR_NONE )
      {
        *error = QObject::tr( "Cannot create column %1.%2" ).arg( table.name, field.name );
        ok = false;
        break;
      }
    }
    if ( !ok )
      break;
    // Make GDAL write the table now (it defers creation until first use).
    OGR_L_SyncToDisk( layer );
  }
  OSRDestroySpatialReference( srs );
  return ok;
}

//! A temporary sibling of \a finalPath (same folder, so rename(2) is atomic; still ".gpkg" for GDAL).
QString partPath( const QString &finalPath )
{
  const QFileInfo info( finalPath );
  return info.absoluteDir().filePath( QStringLiteral( ".%1.part-%2.gpkg" ).arg( info.completeBaseName() ).arg( QCoreApplication::applicationPid() ) );
}

bool hasSqliteHeader( const QString &path )
{
  QFile f( path );
  if ( !f.open( QIODevice::ReadOnly ) )
    return false;
  return f.read( 16 ) == QByteArray( "SQLite format 3\0", 16 );
}

} // namespace

QString describeOpenFailure( OpenFailure failure )
{
  switch ( failure )
  {
    case OpenFailure::None:
      return QString();
    case OpenFailure::NotFound:
      return QObject::tr( "The file does not exist." );
    case OpenFailure::NotSqlite:
      return QObject::tr( "This is not a StatDesk project: the file is not a SQLite/GeoPackage database." );
    case OpenFailure::NotGeoPackage:
      return QObject::tr( "This SQLite database is not a GeoPackage, so it cannot be a StatDesk project." );
    case OpenFailure::NotAProject:
      return QObject::tr( "This GeoPackage is not a StatDesk project (it has no StatDesk metadata). StatDesk can create a new project from its layers." );
    case OpenFailure::NewerSchema:
      return QObject::tr( "This project was written by a newer StatDesk. Update StatDesk to open it; the file was not changed." );
    case OpenFailure::ReadOnlyFile:
      return QObject::tr( "The file (or its folder) is read-only, so it cannot be opened for editing. Open it read-only, or use Save As to work on a copy." );
    case OpenFailure::Locked:
      return QObject::tr( "The project is open in another StatDesk window or on another workstation. Close it there, or open it read-only." );
    case OpenFailure::Invalid:
      return QObject::tr( "The project file is damaged or could not be upgraded; it was not changed." );
  }
  return QString();
}

ProjectFile::~ProjectFile()
{
  mDb.close();
  if ( mLock )
    mLock->unlock();
}

std::unique_ptr<ProjectFile> ProjectFile::create( const QString &path, const ProjectSettings &settings, QString *error, bool overwrite )
{
  QString dummy;
  if ( !error )
    error = &dummy;
  const QFileInfo info( path );
  if ( info.exists() && !overwrite )
  {
    *error = QObject::tr( "%1 already exists." ).arg( path );
    return nullptr;
  }
  if ( !settings.crs.isValid() || settings.crs.isGeographic() )
  {
    *error = QObject::tr( "A project needs a projected CRS in metres or feet (got %1)." ).arg( settings.crs.isValid() ? settings.crs.userFriendlyIdentifier() : QObject::tr( "no CRS" ) );
    return nullptr;
  }
  if ( settings.crs.mapUnits() != QgsUnitTypes::DistanceMeters && settings.crs.mapUnits() != QgsUnitTypes::DistanceFeet
       && settings.crs.mapUnits() != QgsUnitTypes::DistanceFeet )
  {
    *error = QObject::tr( "The CRS %1 is not in metres or feet." ).arg( settings.crs.userFriendlyIdentifier() );
    return nullptr;
  }
  if ( !QTimeZone( settings.timeZone.toUtf8() ).isValid() )
  {
    *error = QObject::tr( "Unknown time zone '%1'." ).arg( settings.timeZone );
    return nullptr;
  }
  if ( overwrite && info.exists() && QFileInfo::exists( lockPath( info.absoluteFilePath() ) ) )
  {
    QLockFile lock( lockPath( info.absoluteFilePath() ) );
    if ( !lock.tryLock( 0 ) )
    {
      *error = describeOpenFailure( OpenFailure::Locked );
      return nullptr;
    }
  }

  const QString finalPath = info.absoluteFilePath();
  const QString tempPath = partPath( finalPath );
  QFile::remove( tempPath );
  auto cleanup = [&]() { QFile::remove( tempPath ); };

  if ( !createGeoPackage( tempPath, settings.crs, error ) )
  {
    cleanup();
    return nullptr;
  }

  {
    SqliteDatabase db;
    if ( !db.open( tempPath, false ) )
    {
      *error = db.errorString();
      cleanup();
      return nullptr;
    }
    SqliteTransaction tx( db );
    bool ok = tx.isActive();
    for ( const schema::Table &table : schema::tables() )
    {
      if ( !ok )
        break;
      if ( table.kind == schema::TableKind::Restricted )
      {
        QStringList columns { QStringLiteral( "fid INTEGER PRIMARY KEY AUTOINCREMENT" ) };
        for ( const schema::Field &f : table.fields )
          columns << QStringLiteral( "\"%1\" %2" ).arg( f.name, sqlType( f.type ) );
        ok = db.exec( QStringLiteral( "CREATE TABLE \"%1\" (%2)" ).arg( table.name, columns.join( QLatin1String( ", " ) ) ) );
      }
      for ( const QString &sql : table.indexSql )
        ok = ok && db.exec( sql );
    }
    const QString now = QDateTime::currentDateTimeUtc().toString( Qt::ISODate );
    const QList<QPair<QString, QString>> meta {
      { schema::kMetaSchemaVersion, QString::number( schema::kVersion ) },
      { schema::kMetaAppVersion, statdeskVersion() },
      { schema::kMetaCreatedBy, statdeskVersion() },
      { schema::kMetaCityName, settings.cityName },
      { schema::kMetaCrs, settings.crs.authid().isEmpty() ? settings.crs.toWkt( QgsCoordinateReferenceSystem::WKT_PREFERRED ) : settings.crs.authid() },
      { schema::kMetaTimeZone, settings.timeZone },
      { schema::kMetaCreatedAt, now },
    };
    SqliteStatement insert( db, QStringLiteral( "INSERT INTO statdesk_metadata(key, value) VALUES (?, ?)" ) );
    for ( const auto &kv : meta )
    {
      if ( !ok )
        break;
      insert.bindText( 1, kv.first );
      insert.bindText( 2, kv.second );
      ok = insert.exec();
    }
    if ( !ok || !tx.commit() )
    {
      *error = QObject::tr( "Cannot initialise the project: %1" ).arg( db.errorString() );
      tx.rollback();
      db.close();
      cleanup();
      return nullptr;
    }
  }

  // Atomic replace: rename(2) swaps the finished file in, or leaves the old one.
  if ( std::rename( QFile::encodeName( tempPath ).constData(), QFile::encodeName( finalPath ).constData() ) != 0 )
  {
    *error = QObject::tr( "Cannot write %1 (%2)." ).arg( finalPath, QString::fromLocal8Bit( strerror( errno ) ) );
    cleanup();
    return nullptr;
  }

  // The QGIS project (layers, groups, styles) inside the file. Written after the rename so its
  // layer paths name the final file; a file without it is still a complete project (load()
  // rebuilds the default map).
  {
    QgsProject qgisProject;
    if ( !ProjectLayers::buildDefault( finalPath, &qgisProject, error ) || !ProjectLayers::store( finalPath, &qgisProject, error ) )
      return nullptr;
  }
  return open( finalPath, Mode::ReadWrite, error );
}

OpenFailure ProjectFile::probe( const QString &path, QString *message )
{
  std::unique_ptr<ProjectFile> p( new ProjectFile );
  OpenFailure failure = OpenFailure::None;
  QString error;
  p->openDatabase( path, Mode::ReadOnly, &error, &failure );
  if ( message )
    *message = error;
  return failure;
}

std::unique_ptr<ProjectFile> ProjectFile::open( const QString &path, Mode mode, QString *error, OpenFailure *failure )
{
  QString dummyError;
  OpenFailure dummyFailure = OpenFailure::None;
  if ( !error )
    error = &dummyError;
  if ( !failure )
    failure = &dummyFailure;
  std::unique_ptr<ProjectFile> p( new ProjectFile );
  if ( !p->openDatabase( path, mode, error, failure ) )
    return nullptr;
  return p;
}

bool ProjectFile::openDatabase( const QString &path, Mode mode, QString *error, OpenFailure *failure )
{
  *failure = OpenFailure::None;
  const QFileInfo info( path );
  auto refuse = [&]( OpenFailure why, const QString &detail = QString() ) {
    *failure = why;
    *error = detail.isEmpty() ? describeOpenFailure( why ) : describeOpenFailure( why ) + QLatin1Char( ' ' ) + detail;
    mDb.close();
    if ( mLock )
      mLock->unlock();
    mLock.reset();
    return false;
  };
  if ( !info.exists() || !info.isFile() )
    return refuse( OpenFailure::NotFound, path );
  if ( !hasSqliteHeader( path ) )
    return refuse( OpenFailure::NotSqlite );

  mPath = info.absoluteFilePath();
  mMode = mode;
  if ( mode == Mode::ReadWrite )
  {
    // SQLite needs to create its journal beside the file: both must be writable.
    // The owner's write bit counts even for root: a file marked read-only stays read-only.
    if ( !info.isWritable() || !info.permission( QFileDevice::WriteOwner ) || !QFileInfo( info.absolutePath() ).isWritable() )
      return refuse( OpenFailure::ReadOnlyFile );
    mLock = std::make_unique<QLockFile>( lockPath( mPath ) );
    mLock->setStaleLockTime( 0 ); // a lock is stale only when its process is gone
    if ( !mLock->tryLock( 0 ) )
    {
      qint64 pid = 0;
      QString host, app;
      mLock->getLockInfo( &pid, &host, &app );
      mLock.reset();
      return refuse( OpenFailure::Locked, pid ? QObject::tr( "(Held by process %1 on %2.)" ).arg( pid ).arg( host ) : QString() );
    }
  }

  // A crash mid-transaction leaves a hot journal: roll it back (SQLite does this on the first
  // read-write access) so the file is at its last committed state before we look at it.
  if ( QFileInfo::exists( mPath + QStringLiteral( "-journal" ) ) && info.isWritable() && QFileInfo( info.absolutePath() ).isWritable() )
  {
    SqliteDatabase recover;
    if ( recover.open( mPath, false ) )
      recover.scalar( QStringLiteral( "SELECT COUNT(*) FROM sqlite_master" ) );
  }

  // Inspect read-only first, so a refused file is never touched (no journal, no lock).
  {
    SqliteDatabase probe;
    if ( !probe.open( mPath, true ) )
      return refuse( OpenFailure::NotSqlite, probe.errorString() );
    const QVariant appId = probe.scalar( QStringLiteral( "PRAGMA application_id" ) );
    if ( !appId.isValid() )
      return refuse( OpenFailure::NotSqlite, probe.errorString() );
    if ( appId.toLongLong() != kGpkgApplicationId && !probe.tableExists( QStringLiteral( "gpkg_contents" ) ) )
      return refuse( OpenFailure::NotGeoPackage );
    if ( !probe.tableExists( schema::kMetadata ) )
      return refuse( OpenFailure::NotAProject );
    const QVariant version = probe.scalar( QStringLiteral( "SELECT value FROM statdesk_metadata WHERE key = 'schema_version'" ) );
    bool ok = false;
    const int v = version.toString().toInt( &ok );
    if ( !ok || v < 1 )
      return refuse( OpenFailure::Invalid, QObject::tr( "(No valid schema version.)" ) );
    if ( v > schema::kVersion )
      return refuse( OpenFailure::NewerSchema, QObject::tr( "(File schema %1, this StatDesk reads up to %2.)" ).arg( v ).arg( schema::kVersion ) );
    // quick_check reads every page: through a memory map instead of a read() and a copy each.
    probe.exec( QStringLiteral( "PRAGMA mmap_size = 1073741824" ) );
    const QString integrity = probe.scalar( QStringLiteral( "PRAGMA quick_check" ) ).toString();
    if ( integrity != QLatin1String( "ok" ) )
      return refuse( OpenFailure::Invalid, integrity );
    if ( v < schema::kVersion && mode == Mode::ReadOnly )
      return refuse( OpenFailure::Invalid, QObject::tr( "(The project needs an upgrade from schema %1; open it for editing to upgrade it.)" ).arg( v ) );
  }

  if ( !mDb.open( mPath, mode == Mode::ReadOnly ) )
    return refuse( OpenFailure::Invalid, mDb.errorString() );
  const int version = schemaVersion();
  if ( version < schema::kVersion )
  {
    QString migrationError;
    if ( !migrate( version, &migrationError ) )
      return refuse( OpenFailure::Invalid, migrationError );
  }
  if ( !readStatics() )
    return refuse( OpenFailure::Invalid, mError );
  return true;
}

bool ProjectFile::migrate( int fromVersion, QString *error )
{
  // Each step upgrades schema N to N+1; all steps run in one transaction, so a failed
  // upgrade leaves the file exactly as it was. Schema 1 is the first release: no steps yet.
  struct Step
  {
      int from;
      std::function<bool( SqliteDatabase & )> apply;
  };
  const QVector<Step> steps {};

  SqliteTransaction tx( mDb );
  if ( !tx.isActive() )
  {
    *error = mDb.errorString();
    return false;
  }
  for ( int v = fromVersion; v < schema::kVersion; ++v )
  {
    auto it = std::find_if( steps.begin(), steps.end(), [v]( const Step &s ) { return s.from == v; } );
    if ( it == steps.end() || !it->apply( mDb ) )
    {
      *error = QObject::tr( "No upgrade from schema %1 to %2: %3" ).arg( v ).arg( v + 1 ).arg( mDb.errorString() );
      return false;
    }
  }
  if ( !setMetadataInTransaction( schema::kMetaSchemaVersion, QString::number( schema::kVersion ) ) || !tx.commit() )
  {
    *error = mDb.errorString();
    return false;
  }
  return true;
}

bool ProjectFile::readStatics()
{
  SqliteStatement st( mDb, QStringLiteral( "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?" ) );
  st.bindText( 1, schema::kIncidents );
  if ( !st.next() )
  {
    mError = QObject::tr( "The project has no incidents layer." );
    return false;
  }
  mSrsId = static_cast<int>( st.int64( 0 ) );
  return true;
}

int ProjectFile::schemaVersion() const
{
  return metadata( schema::kMetaSchemaVersion ).toInt();
}

QString ProjectFile::cityName() const
{
  return metadata( schema::kMetaCityName );
}

QgsCoordinateReferenceSystem ProjectFile::crs() const
{
  const QString def = metadata( schema::kMetaCrs );
  QgsCoordinateReferenceSystem crs( def );
  if ( !crs.isValid() )
    crs = QgsCoordinateReferenceSystem::fromWkt( def );
  return crs;
}

QTimeZone ProjectFile::timeZone() const
{
  QTimeZone tz( metadata( schema::kMetaTimeZone ).toUtf8() );
  return tz.isValid() ? tz : QTimeZone::utc();
}

QString ProjectFile::formatDateTime( const QDateTime &dateTime ) const
{
  const QTimeZone tz = timeZone();
  QDateTime local = dateTime.toTimeZone( tz );
  if ( !dateTime.isValid() || !local.isValid() )
  {
    // A wall-clock time in the spring-forward gap (2:17 on a DST start day) does not exist:
    // read it as standard time, which names the instant 3:17 daylight time.
    if ( !dateTime.date().isValid() || !dateTime.time().isValid() )
      return QString();
    const QDateTime asStandard( dateTime.date(), dateTime.time(), Qt::OffsetFromUTC, tz.standardTimeOffset( QDateTime( dateTime.date(), QTime( 0, 0 ), Qt::UTC ) ) );
    local = asStandard.toTimeZone( tz );
  }
  return local.toOffsetFromUtc( local.offsetFromUtc() ).toString( Qt::ISODate );
}

QString ProjectFile::metadata( const QString &key ) const
{
  SqliteStatement st( mDb, QStringLiteral( "SELECT value FROM statdesk_metadata WHERE key = ?" ) );
  st.bindText( 1, key );
  return st.next() ? st.text( 0 ) : QString();
}

bool ProjectFile::setMetadata( const QString &key, const QString &value )
{
  if ( isReadOnly() )
  {
    mError = QObject::tr( "The project is open read-only." );
    return false;
  }
  SqliteTransaction tx( mDb );
  if ( !setMetadataInTransaction( key, value ) || !tx.commit() )
  {
    mError = mDb.errorString();
    return false;
  }
  return true;
}

bool ProjectFile::setMetadataInTransaction( const QString &key, const QString &value )
{
  SqliteStatement update( mDb, QStringLiteral( "UPDATE statdesk_metadata SET value = ? WHERE key = ?" ) );
  update.bindText( 1, value );
  update.bindText( 2, key );
  if ( !update.exec() )
    return false;
  if ( sqlite3_changes( mDb.handle() ) > 0 )
    return true;
  SqliteStatement insert( mDb, QStringLiteral( "INSERT INTO statdesk_metadata(key, value) VALUES (?, ?)" ) );
  insert.bindText( 1, key );
  insert.bindText( 2, value );
  return insert.exec();
}

qint64 ProjectFile::rowCount( const QString &table, bool located ) const
{
  const QString sql = located ? QStringLiteral( "SELECT COUNT(*) FROM \"%1\" WHERE geom IS NOT NULL" ).arg( table )
                              : QStringLiteral( "SELECT COUNT(*) FROM \"%1\"" ).arg( table );
  return mDb.scalar( sql ).toLongLong();
}

QgsRectangle ProjectFile::layerExtent( const QString &table ) const
{
  const QString rtree = QStringLiteral( "rtree_%1_geom" ).arg( table );
  if ( !mDb.tableExists( rtree ) )
    return QgsRectangle();
  SqliteStatement st( mDb, QStringLiteral( "SELECT MIN(minx), MIN(miny), MAX(maxx), MAX(maxy), COUNT(*) FROM \"%1\"" ).arg( rtree ) );
  if ( !st.next() || st.int64( 4 ) == 0 )
    return QgsRectangle();
  return QgsRectangle( st.real( 0 ), st.real( 1 ), st.real( 2 ), st.real( 3 ) );
}

QgsRectangle ProjectFile::fullExtent() const
{
  QgsRectangle full;
  for ( const schema::Table &t : schema::tables() )
  {
    if ( t.kind != schema::TableKind::PointLayer && t.kind != schema::TableKind::PolygonLayer )
      continue;
    const QgsRectangle r = layerExtent( t.name );
    if ( r.isNull() )
      continue;
    if ( full.isNull() )
      full = r;
    else
      full.combineExtentWith( r );
  }
  return full;
}

bool ProjectFile::refreshContents( const QString &table )
{
  const QgsRectangle extent = layerExtent( table );
  SqliteStatement st( mDb, QStringLiteral( "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
                                           "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?" ) );
  if ( extent.isNull() )
  {
    for ( int i = 1; i <= 4; ++i )
      st.bindNull( i );
  }
  else
  {
    st.bindDouble( 1, extent.xMinimum() );
    st.bindDouble( 2, extent.yMinimum() );
    st.bindDouble( 3, extent.xMaximum() );
    st.bindDouble( 4, extent.yMaximum() );
  }
  st.bindText( 5, table );
  if ( !st.exec() )
    return false;
  if ( mDb.tableExists( QStringLiteral( "gpkg_ogr_contents" ) ) )
  {
    SqliteStatement count( mDb, QStringLiteral( "UPDATE gpkg_ogr_contents SET feature_count = (SELECT COUNT(*) FROM \"%1\") WHERE table_name = ?" ).arg( table ) );
    count.bindText( 1, table );
    return count.exec();
  }
  return true;
}

QString ProjectFile::contentHash() const
{
  QCryptographicHash hash( QCryptographicHash::Sha256 );
  for ( const schema::Table &t : schema::tables() )
  {
    if ( !mDb.tableExists( t.name ) )
      continue;
    QStringList columns { QStringLiteral( "fid" ) };
    for ( const schema::Field &f : t.fields )
      columns << QStringLiteral( "\"%1\"" ).arg( f.name );
    if ( t.kind == schema::TableKind::PointLayer || t.kind == schema::TableKind::PolygonLayer )
      columns << schema::kGeometryColumn;
    QString where;
    if ( t.name == schema::kMetadata )
      where = QStringLiteral( " WHERE key NOT IN ('app_version','created_at','created_by_version')" );
    else if ( t.name == schema::kImportLog )
      columns = QStringList { QStringLiteral( "fid" ), QStringLiteral( "kind" ), QStringLiteral( "source_sha256" ), QStringLiteral( "rows_read" ) };
    SqliteStatement st( mDb, QStringLiteral( "SELECT %1 FROM \"%2\"%3 ORDER BY fid" ).arg( columns.join( QLatin1Char( ',' ) ), t.name, where ) );
    hash.addData( t.name.toUtf8() );
    while ( st.next() )
    {
      for ( int c = 0; c < st.columnCount(); ++c )
      {
        const QVariant v = st.value( c );
        hash.addData( v.isNull() ? QByteArray( "\x01N", 2 ) : ( v.userType() == QMetaType::QByteArray ? v.toByteArray() : v.toString().toUtf8() ) );
        hash.addData( "\x1f", 1 );
      }
      hash.addData( "\x1e", 1 );
    }
  }
  return QString::fromLatin1( hash.result().toHex() );
}

bool ProjectFile::saveAs( const QString &newPath, QString *error )
{
  const QString finalPath = QFileInfo( newPath ).absoluteFilePath();
  if ( finalPath == mPath )
    return true;
  QLockFile newLock( lockPath( finalPath ) );
  if ( QFileInfo::exists( finalPath ) && !newLock.tryLock( 0 ) )
  {
    *error = describeOpenFailure( OpenFailure::Locked );
    return false;
  }
  newLock.unlock();
  const QString tempPath = partPath( finalPath );
  QFile::remove( tempPath );
  {
    SqliteDatabase target;
    if ( !target.open( tempPath, false, true ) )
    {
      *error = target.errorString();
      return false;
    }
    sqlite3_backup *backup = sqlite3_backup_init( target.handle(), "main", mDb.handle(), "main" );
    if ( !backup )
    {
      *error = target.lastSqliteError();
      target.close();
      QFile::remove( tempPath );
      return false;
    }
    const int rc = sqlite3_backup_step( backup, -1 );
    sqlite3_backup_finish( backup );
    if ( rc != SQLITE_DONE )
    {
      *error = QObject::tr( "Copy failed: %1" ).arg( target.lastSqliteError() );
      target.close();
      QFile::remove( tempPath );
      return false;
    }
  }
  if ( std::rename( QFile::encodeName( tempPath ).constData(), QFile::encodeName( finalPath ).constData() ) != 0 )
  {
    *error = QObject::tr( "Cannot write %1 (%2)." ).arg( finalPath, QString::fromLocal8Bit( strerror( errno ) ) );
    QFile::remove( tempPath );
    return false;
  }
  // Switch to the copy.
  std::unique_ptr<ProjectFile> copy = open( finalPath, Mode::ReadWrite, error );
  if ( !copy )
    return false;
  mDb.close();
  if ( mLock )
    mLock->unlock();
  mLock = std::move( copy->mLock );
  mPath = copy->mPath;
  mMode = Mode::ReadWrite;
  copy->mDb.close();
  return mDb.open( mPath, false ) && readStatics();
}

} // namespace statdesk
