#include "project/FeatureTables.h"

#include "common/Sqlite.h"

#include <QDateTime>
#include <QObject>
#include <QRegularExpression>
#include <QStringList>

namespace statdesk
{

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
  const QString now = QDateTime::currentDateTimeUtc().toString( Qt::ISODateWithMs ); // GeoPackage wants milliseconds
  {
    SqliteStatement c( db, QStringLiteral( "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
                                           "VALUES (?, 'features', ?, ?, ?, ?)" ) );
    c.bindText( 1, t );
    c.bindText( 2, spec.identifier.isEmpty() ? t : spec.identifier );
    c.bindText( 3, spec.description );
    c.bindText( 4, now );
    c.bindInt64( 5, spec.srsId );
    if ( !c.exec() )
    {
      if ( error )
        *error = c.errorString();
      return false;
    }
  }
  {
    SqliteStatement g( db, QStringLiteral( "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
                                           "VALUES (?, 'geom', ?, ?, 0, 0)" ) );
    g.bindText( 1, t );
    g.bindText( 2, spec.geometryType.toUpper() );
    g.bindInt64( 3, spec.srsId );
    if ( !g.exec() )
    {
      if ( error )
        *error = g.errorString();
      return false;
    }
  }
  // The R*Tree and triggers exactly as GDAL writes them (GeoPackage 1.2 rtree extension).
  const QString r = QStringLiteral( "rtree_%1_geom" ).arg( t );
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
  for ( const QString &sql : ddl )
    if ( !run( db, sql, error ) )
      return false;
  SqliteStatement e( db, QStringLiteral( "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', "
                                         "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')" ) );
  e.bindText( 1, t );
  if ( !e.exec() )
  {
    if ( error )
      *error = e.errorString();
    return false;
  }
  return true;
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
