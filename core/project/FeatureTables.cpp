#include "project/FeatureTables.h"

#include "common/Sqlite.h"

#include <QDateTime>
#include <QObject>
#include <QRegularExpression>
#include <QStringList>

namespace statdesk
{

namespace gpkg
{
namespace
{

//! GeoPackage wants the last change in UTC with milliseconds.
QString now()
{
  return QDateTime::currentDateTimeUtc().toString( Qt::ISODateWithMs );
}

bool registered( SqliteDatabase &db, const QString &table )
{
  SqliteStatement st( db, QStringLiteral( "SELECT 1 FROM gpkg_contents WHERE table_name = ?" ) );
  st.bindText( 1, table );
  return st.next();
}

bool execAll( SqliteDatabase &db, const QStringList &sql, QString *error )
{
  for ( const QString &s : sql )
  {
    if ( !db.exec( s ) )
    {
      if ( error )
        *error = db.errorString();
      return false;
    }
  }
  return true;
}

//! The gpkg_contents row of \a table ('attributes' without \a srsId, 'features' in it).
bool addContents( SqliteDatabase &db, const QString &table, const QString &identifier, const QString &description, int srsId, QString *error )
{
  SqliteStatement c( db, QStringLiteral( "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
                                         "VALUES (?, ?, ?, ?, ?, ?)" ) );
  c.bindText( 1, table );
  c.bindText( 2, srsId >= 0 ? QStringLiteral( "features" ) : QStringLiteral( "attributes" ) );
  c.bindText( 3, identifier.isEmpty() ? table : identifier );
  c.bindText( 4, description );
  c.bindText( 5, now() );
  if ( srsId >= 0 )
    c.bindInt64( 6, srsId );
  else
    c.bindNull( 6 );
  if ( !c.exec() )
  {
    if ( error )
      *error = c.errorString();
    return false;
  }
  return true;
}
} // namespace

bool registerAttributesTable( SqliteDatabase &db, const QString &table, const QString &description, QString *error )
{
  return registered( db, table ) || addContents( db, table, QString(), description, -1, error );
}

bool registerFeatureTable( SqliteDatabase &db, const QString &table, const QString &geometryType, int srsId, const QString &description, QString *error, const QString &identifier )
{
  if ( registered( db, table ) )
    return true;
  if ( !addContents( db, table, identifier, description, srsId, error ) )
    return false;
  {
    SqliteStatement g( db, QStringLiteral( "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
                                           "VALUES (?, 'geom', ?, ?, 0, 0)" ) );
    g.bindText( 1, table );
    g.bindText( 2, geometryType );
    g.bindInt64( 3, srsId );
    if ( !g.exec() )
    {
      if ( error )
        *error = g.errorString();
      return false;
    }
  }
  // The R*Tree with the triggers GDAL creates for a layer (GeoPackage 1.2 rtree extension).
  const QString t = table;
  const QString r = QStringLiteral( "rtree_%1_geom" ).arg( table );
  const QString vals = QStringLiteral( "(NEW.\"fid\",ST_MinX(NEW.\"geom\"), ST_MaxX(NEW.\"geom\"),ST_MinY(NEW.\"geom\"), ST_MaxY(NEW.\"geom\"))" );
  const QStringList ddl {
      QStringLiteral( "CREATE VIRTUAL TABLE \"%1\" USING rtree(id, minx, maxx, miny, maxy)" ).arg( r ),
      QStringLiteral( "CREATE TRIGGER \"%1_insert\" AFTER INSERT ON \"%2\" WHEN (new.\"geom\" NOT NULL AND NOT ST_IsEmpty(NEW.\"geom\")) "
                      "BEGIN INSERT OR REPLACE INTO \"%1\" VALUES %3; END" )
          .arg( r, t, vals ),
      QStringLiteral( "CREATE TRIGGER \"%1_update1\" AFTER UPDATE OF \"geom\" ON \"%2\" WHEN OLD.\"fid\" = NEW.\"fid\" AND "
                      "(NEW.\"geom\" NOTNULL AND NOT ST_IsEmpty(NEW.\"geom\")) BEGIN INSERT OR REPLACE INTO \"%1\" VALUES %3; END" )
          .arg( r, t, vals ),
      QStringLiteral( "CREATE TRIGGER \"%1_update2\" AFTER UPDATE OF \"geom\" ON \"%2\" WHEN OLD.\"fid\" = NEW.\"fid\" AND "
                      "(NEW.\"geom\" ISNULL OR ST_IsEmpty(NEW.\"geom\")) BEGIN DELETE FROM \"%1\" WHERE id = OLD.\"fid\"; END" )
          .arg( r, t ),
      QStringLiteral( "CREATE TRIGGER \"%1_update3\" AFTER UPDATE ON \"%2\" WHEN OLD.\"fid\" != NEW.\"fid\" AND "
                      "(NEW.\"geom\" NOTNULL AND NOT ST_IsEmpty(NEW.\"geom\")) BEGIN DELETE FROM \"%1\" WHERE id = OLD.\"fid\"; "
                      "INSERT OR REPLACE INTO \"%1\" VALUES %3; END" )
          .arg( r, t, vals ),
      QStringLiteral( "CREATE TRIGGER \"%1_update4\" AFTER UPDATE ON \"%2\" WHEN OLD.\"fid\" != NEW.\"fid\" AND "
                      "(NEW.\"geom\" ISNULL OR ST_IsEmpty(NEW.\"geom\")) BEGIN DELETE FROM \"%1\" WHERE id IN (OLD.\"fid\", NEW.\"fid\"); END" )
          .arg( r, t ),
      QStringLiteral( "CREATE TRIGGER \"%1_delete\" AFTER DELETE ON \"%2\" WHEN old.\"geom\" NOT NULL "
                      "BEGIN DELETE FROM \"%1\" WHERE id = OLD.\"fid\"; END" )
          .arg( r, t ),
      QStringLiteral( "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, "
                      "definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))" ),
  };
  if ( !execAll( db, ddl, error ) )
    return false;
  SqliteStatement e( db, QStringLiteral( "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', "
                                         "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')" ) );
  e.bindText( 1, table );
  if ( !e.exec() )
  {
    if ( error )
      *error = e.errorString();
    return false;
  }
  return true;
}

} // namespace gpkg

namespace
{
bool run( SqliteDatabase &db, const QString &sql, QString *error )
{
  if ( db.exec( sql ) )
    return true;
  if ( error )
    *error = db.errorString();
  return false;
}
} // namespace

bool createFeatureTableInTransaction( SqliteDatabase &db, const FeatureTableSpec &spec, QString *error )
{
  const QString t = spec.name;
  if ( t.isEmpty() || sanitizedTableName( t ) != t )
  {
    if ( error )
      *error = QObject::tr( "\"%1\" is not a usable table name" ).arg( t );
    return false;
  }
  if ( db.tableExists( t ) )
  {
    if ( error )
      *error = QObject::tr( "The project already has a table \"%1\"" ).arg( t );
    return false;
  }
  QString columns = QStringLiteral( "fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom %1" ).arg( spec.geometryType.toUpper() );
  if ( !spec.columnsSql.trimmed().isEmpty() )
    columns += QStringLiteral( ", " ) + spec.columnsSql;
  if ( !run( db, QStringLiteral( "CREATE TABLE \"%1\" (%2)" ).arg( t, columns ), error ) )
    return false;
  if ( !db.tableExists( QStringLiteral( "gpkg_contents" ) ) )
    return true; // a plain SQLite file (tests): the table is all there is
  return gpkg::registerFeatureTable( db, t, spec.geometryType.toUpper(), spec.srsId, spec.description, error, spec.identifier );
}

bool dropFeatureTableInTransaction( SqliteDatabase &db, const QString &table, QString *error )
{
  if ( !db.tableExists( table ) )
    return true;
  const QString r = QStringLiteral( "rtree_%1_geom" ).arg( table );
  if ( !run( db, QStringLiteral( "DROP TABLE \"%1\"" ).arg( table ), error ) ) // its triggers go with it
    return false;
  if ( db.tableExists( r ) && !run( db, QStringLiteral( "DROP TABLE \"%1\"" ).arg( r ), error ) )
    return false;
  for ( const QString &registry : { QStringLiteral( "gpkg_extensions" ), QStringLiteral( "gpkg_geometry_columns" ),
                                    QStringLiteral( "gpkg_contents" ), QStringLiteral( "layer_styles" ) } )
  {
    if ( !db.tableExists( registry ) )
      continue;
    const QString column = registry == QLatin1String( "layer_styles" ) ? QStringLiteral( "f_table_name" ) : QStringLiteral( "table_name" );
    SqliteStatement d( db, QStringLiteral( "DELETE FROM \"%1\" WHERE \"%2\" = ?" ).arg( registry, column ) );
    d.bindText( 1, table );
    if ( !d.exec() )
    {
      if ( error )
        *error = d.errorString();
      return false;
    }
  }
  return true;
}

QString sanitizedTableName( const QString &text )
{
  QString name = text.trimmed().toLower();
  static const QRegularExpression bad( QStringLiteral( "[^a-z0-9_]" ) );
  name.replace( bad, QStringLiteral( "_" ) );
  if ( name.isEmpty() || name.at( 0 ).isDigit() )
    name.prepend( QLatin1Char( '_' ) );
  return name;
}

} // namespace statdesk
