// rtm: a saved run's map tables in the project GeoPackage (see RtmStore.h).
#include "RtmStore.h"
#include "RtmRuns.h"
#include "RtmSpatial.h"

#include "common/Sqlite.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <QtEndian>

#include <algorithm>
#include <cmath>

namespace statdesk::rtm
{

namespace
{
// Names inside the temporary GeoPackage: unique tokens, replaced by the run's names on copy.
const QString kTmpRaster = QStringLiteral( "statdesk_tmp_rrs" );
const QString kTmpHighRisk = QStringLiteral( "statdesk_tmp_high_risk" );
const QString kTmpPriority = QStringLiteral( "statdesk_tmp_priority" );
constexpr float kNoData = -9999.0f;

QString gdalError( const QString &what )
{
  return QStringLiteral( "%1: %2" ).arg( what, QString::fromUtf8( CPLGetLastErrorMsg() ) );
}

struct Options
{
  char **list = nullptr;
  ~Options() { CSLDestroy( list ); }
  void set( const char *key, const char *value ) { list = CSLSetNameValue( list, key, value ); }
};

struct Dataset
{
  GDALDatasetH handle = nullptr;
  ~Dataset() { close(); }
  bool close()
  {
    if ( !handle )
      return true;
    CPLErrorReset();
    GDALClose( handle );
    handle = nullptr;
    return CPLGetLastErrorType() < CE_Failure;
  }
};

//! One place: a 4-connected group of flagged cells with its figures.
struct Place
{
  QVector<QgsGeometry> squares;
  int cells = 0;
  double rrsSum = 0, rrsMax = 0;
  int events = 0, testEvents = 0;
};

bool writePlaces( GDALDatasetH ds, const QString &table, const RtmResult &result, const std::vector<std::uint8_t> &flags, QString *error )
{
  Options options;
  options.set( "FID", "fid" );
  options.set( "GEOMETRY_NAME", "geom" );
  options.set( "SPATIAL_INDEX", "YES" );
  OGRLayerH layer = GDALDatasetCreateLayer( ds, table.toUtf8().constData(), nullptr, wkbMultiPolygon, options.list );
  if ( !layer )
  {
    *error = gdalError( QStringLiteral( "cannot create %1" ).arg( table ) );
    return false;
  }
  const bool test = !result.testCounts.empty();
  struct FieldSpec
  {
    const char *name;
    OGRFieldType type;
  };
  std::vector<FieldSpec> fields{ { "place_id", OFTInteger }, { "cells", OFTInteger }, { "area", OFTReal }, { "area_share", OFTReal }, { "mean_rrs", OFTReal }, { "max_rrs", OFTReal }, { "events", OFTInteger } };
  if ( test )
    fields.push_back( { "test_events", OFTInteger } );
  for ( const FieldSpec &f : fields )
  {
    OGRFieldDefnH defn = OGR_Fld_Create( f.name, f.type );
    const OGRErr err = OGR_L_CreateField( layer, defn, TRUE );
    OGR_Fld_Destroy( defn );
    if ( err != OGRERR_NONE )
    {
      *error = gdalError( QStringLiteral( "%1.%2" ).arg( table, QLatin1String( f.name ) ) );
      return false;
    }
  }

  const RtmGrid &grid = result.grid;
  std::vector<int> label;
  const int groups = flags.empty() ? 0 : labelCellGroups( grid, flags, &label );
  std::vector<Place> places( groups );
  for ( int r = 0; r < grid.cellsInArea() && groups > 0; ++r )
  {
    if ( label[r] < 0 )
      continue;
    Place &p = places[label[r]];
    p.squares << cellSquare( grid, r );
    ++p.cells;
    p.rrsSum += result.rrs[r];
    p.rrsMax = std::max( p.rrsMax, result.rrs[r] );
    p.events += result.trainCounts[r];
    if ( test )
      p.testEvents += result.testCounts[r];
  }
  const double cellArea = grid.cell * grid.cell;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn( layer );
  for ( int i = 0; i < groups; ++i )
  {
    const Place &p = places[i];
    QgsGeometry g = QgsGeometry::unaryUnion( p.squares );
    g.convertToMultiType();
    const QByteArray wkb = g.asWkb();
    OGRGeometryH geometry = nullptr;
    if ( OGR_G_CreateFromWkb( reinterpret_cast<const unsigned char *>( wkb.constData() ), nullptr, &geometry, wkb.size() ) != OGRERR_NONE )
    {
      *error = QStringLiteral( "%1: place %2 has no valid geometry" ).arg( table ).arg( i + 1 );
      return false;
    }
    OGRFeatureH feature = OGR_F_Create( defn );
    OGR_F_SetGeometryDirectly( feature, geometry );
    OGR_F_SetFieldInteger( feature, 0, i + 1 );
    OGR_F_SetFieldInteger( feature, 1, p.cells );
    OGR_F_SetFieldDouble( feature, 2, p.cells * cellArea );
    OGR_F_SetFieldDouble( feature, 3, static_cast<double>( p.cells ) / grid.cellsInArea() );
    OGR_F_SetFieldDouble( feature, 4, p.rrsSum / p.cells );
    OGR_F_SetFieldDouble( feature, 5, p.rrsMax );
    OGR_F_SetFieldInteger( feature, 6, p.events );
    if ( test )
      OGR_F_SetFieldInteger( feature, 7, p.testEvents );
    const OGRErr err = OGR_L_CreateFeature( layer, feature );
    OGR_F_Destroy( feature );
    if ( err != OGRERR_NONE )
    {
      *error = gdalError( table );
      return false;
    }
  }
  return true;
}

bool exec( SqliteDatabase &db, const QString &sql, QString *error )
{
  if ( db.exec( sql ) )
    return true;
  *error = QStringLiteral( "%1 (%2)" ).arg( db.errorString(), sql.left( 160 ) );
  return false;
}

QString quoted( const QString &name )
{
  QString s = name;
  return QStringLiteral( "\"%1\"" ).arg( s.replace( '"', QStringLiteral( "\"\"" ) ) );
}

bool tableIn( SqliteDatabase &db, const QString &schema, const QString &table )
{
  SqliteStatement st( db, QStringLiteral( "SELECT 1 FROM %1.sqlite_master WHERE type = 'table' AND name = ?" ).arg( quoted( schema ) ) );
  st.bindText( 1, table );
  return st.next();
}

//! Runs \a sql with the binds given; the text of the statement for the error.
bool run( SqliteDatabase &db, const QString &sql, const QVariantList &binds, QString *error )
{
  SqliteStatement st( db, sql );
  for ( int i = 0; i < binds.size(); ++i )
    st.bind( i + 1, binds[i] );
  if ( st.isValid() && st.exec() )
    return true;
  *error = QStringLiteral( "%1 (%2)" ).arg( st.isValid() ? st.errorString() : db.lastSqliteError(), sql.left( 160 ) );
  return false;
}

/**
 * Makes sure the GeoPackage support tables the copied tables need exist in main: created from
 * the attached file's definitions (GDAL's) when the project has none yet, with the extension rows.
 */
bool ensureSupportTables( SqliteDatabase &db, const QString &schema, QString *error )
{
  const QStringList support{ QStringLiteral( "gpkg_extensions" ), QStringLiteral( "gpkg_tile_matrix_set" ), QStringLiteral( "gpkg_tile_matrix" ),
                             QStringLiteral( "gpkg_2d_gridded_coverage_ancillary" ), QStringLiteral( "gpkg_2d_gridded_tile_ancillary" ), QStringLiteral( "gpkg_ogr_contents" ) };
  for ( const QString &t : support )
  {
    if ( db.tableExists( t ) || !tableIn( db, schema, t ) )
      continue;
    SqliteStatement st( db, QStringLiteral( "SELECT sql FROM %1.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'table' DESC" ).arg( quoted( schema ) ) );
    st.bindText( 1, t );
    QStringList statements;
    while ( st.next() )
      statements << st.text( 0 );
    for ( const QString &sql : statements )
      if ( !exec( db, sql, error ) )
        return false;
  }
  // The gridded-coverage extension requires the WGS 84 3D CRS (EPSG:4979) in every file that has one.
  if ( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM main.gpkg_spatial_ref_sys WHERE srs_id = 4979" ) ).toInt() == 0 )
  {
    OGRSpatialReferenceH srs = OSRNewSpatialReference( nullptr );
    char *wkt = nullptr;
    // The definition column holds WKT1, which writes a 3D geographic CRS as a compound one.
    const char *const wktOptions[] = { "FORMAT=WKT1_GDAL", "ALLOW_ELLIPSOIDAL_HEIGHT_AS_VERTICAL_CRS=YES", nullptr };
    const bool ok = OSRImportFromEPSG( srs, 4979 ) == OGRERR_NONE && OSRExportToWktEx( srs, &wkt, wktOptions ) == OGRERR_NONE;
    const QString definition = ok ? QString::fromUtf8( wkt ) : QStringLiteral( "undefined" );
    CPLFree( wkt );
    OSRDestroySpatialReference( srs );
    if ( !run( db, QStringLiteral( "INSERT INTO main.gpkg_spatial_ref_sys(srs_name, srs_id, organization, organization_coordsys_id, definition, description) "
                                   "VALUES ('WGS 84 3D', 4979, 'EPSG', 4979, ?, 'WGS 84 3D, required by the gridded coverage extension')" ),
               { definition }, error ) )
      return false;
  }
  // The gridded-coverage extension registers its two ancillary tables once per file.
  return run( db, QStringLiteral( "INSERT INTO main.gpkg_extensions(table_name, column_name, extension_name, definition, scope) "
                                  "SELECT s.table_name, s.column_name, s.extension_name, s.definition, s.scope FROM %1.gpkg_extensions s "
                                  "WHERE s.table_name IN ('gpkg_2d_gridded_coverage_ancillary', 'gpkg_2d_gridded_tile_ancillary') "
                                  "AND NOT EXISTS (SELECT 1 FROM main.gpkg_extensions m WHERE m.table_name = s.table_name AND m.extension_name = s.extension_name)" )
                      .arg( quoted( schema ) ),
              {}, error );
}

/**
 * Copies the rows of \a from into \a to. GeoPackage geometry blobs carry the srs_id in their
 * header: those of the temporary file (no CRS) are rewritten to the project's \a srsId.
 */
bool copyRows( SqliteDatabase &db, const QString &schema, const QString &from, const QString &to, int srsId, QString *error )
{
  QString geometryColumn;
  {
    SqliteStatement st( db, QStringLiteral( "SELECT column_name FROM %1.gpkg_geometry_columns WHERE table_name = ?" ).arg( quoted( schema ) ) );
    st.bindText( 1, from );
    if ( st.next() )
      geometryColumn = st.text( 0 );
  }
  if ( geometryColumn.isEmpty() )
    return exec( db, QStringLiteral( "INSERT INTO main.%1 SELECT * FROM %2.%3" ).arg( quoted( to ), quoted( schema ), quoted( from ) ), error );
  SqliteStatement read( db, QStringLiteral( "SELECT * FROM %1.%2" ).arg( quoted( schema ), quoted( from ) ) );
  const int columns = read.columnCount();
  int geometry = -1;
  QStringList marks;
  for ( int c = 0; c < columns; ++c )
  {
    marks << QStringLiteral( "?" );
    if ( read.columnName( c ) == geometryColumn )
      geometry = c;
  }
  SqliteStatement write( db, QStringLiteral( "INSERT INTO main.%1 VALUES (%2)" ).arg( quoted( to ), marks.join( QLatin1Char( ',' ) ) ) );
  while ( read.next() )
  {
    for ( int c = 0; c < columns; ++c )
    {
      QVariant v = read.value( c );
      if ( c == geometry && v.userType() == QMetaType::QByteArray )
      {
        QByteArray blob = v.toByteArray();
        if ( blob.size() >= 8 && blob[0] == 'G' && blob[1] == 'P' )
        {
          const bool littleEndian = blob[3] & 1;
          if ( littleEndian )
            qToLittleEndian<qint32>( srsId, blob.data() + 4 );
          else
            qToBigEndian<qint32>( srsId, blob.data() + 4 );
        }
        v = blob;
      }
      write.bind( c + 1, v );
    }
    if ( !write.exec() )
    {
      *error = QStringLiteral( "%1: %2" ).arg( to, write.errorString() );
      return false;
    }
    write.reset();
  }
  return true;
}

//! Copies table \a from of the attached file as \a to: schema objects, rows, GeoPackage registrations.
bool copyTable( SqliteDatabase &db, const QString &schema, const QString &from, const QString &to, const QString &identifier, const QString &description, int srsId, QString *error )
{
  const QString src = quoted( schema );
  const QString rtreeFrom = QStringLiteral( "rtree_%1_geom" ).arg( from ), rtreeTo = QStringLiteral( "rtree_%1_geom" ).arg( to );
  struct Object
  {
    QString type, sql;
  };
  QList<Object> objects;
  {
    // GDAL's feature-count triggers are its own business: it recreates them when it writes.
    SqliteStatement st( db, QStringLiteral( "SELECT type, sql FROM %1.sqlite_master WHERE (tbl_name = ? OR name = ?) AND sql IS NOT NULL "
                                            "AND name NOT LIKE 'trigger_%_feature_count_%' ORDER BY rowid" )
                                .arg( src ) );
    st.bindText( 1, from );
    st.bindText( 2, rtreeFrom );
    while ( st.next() )
      objects << Object{ st.text( 0 ), st.text( 1 ).replace( from, to ) };
  }
  if ( objects.isEmpty() )
  {
    *error = QStringLiteral( "the temporary GeoPackage has no table %1" ).arg( from );
    return false;
  }
  for ( const Object &o : objects )
    if ( o.type == QLatin1String( "table" ) && !exec( db, o.sql, error ) )
      return false;
  if ( !copyRows( db, schema, from, to, srsId, error ) )
    return false;
  if ( tableIn( db, schema, rtreeFrom ) && !exec( db, QStringLiteral( "INSERT INTO main.%1 SELECT * FROM %2.%3" ).arg( quoted( rtreeTo ), src, quoted( rtreeFrom ) ), error ) )
    return false;
  for ( const Object &o : objects )
    if ( o.type != QLatin1String( "table" ) && !exec( db, o.sql, error ) )
      return false;

  const QVariantList names{ to, from };
  if ( !run( db, QStringLiteral( "INSERT INTO main.gpkg_contents(table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) "
                                 "SELECT ?, data_type, ?, ?, last_change, min_x, min_y, max_x, max_y, ? FROM %1.gpkg_contents WHERE table_name = ?" )
                     .arg( src ),
             { to, identifier, description, srsId, from }, error ) )
    return false;
  if ( !run( db, QStringLiteral( "INSERT INTO main.gpkg_geometry_columns(table_name, column_name, geometry_type_name, srs_id, z, m) "
                                 "SELECT ?, column_name, geometry_type_name, %2, z, m FROM %1.gpkg_geometry_columns WHERE table_name = ?" )
                     .arg( src )
                     .arg( srsId ),
             names, error ) )
    return false;
  if ( tableIn( db, schema, QStringLiteral( "gpkg_tile_matrix_set" ) ) )
  {
    if ( !run( db, QStringLiteral( "INSERT INTO main.gpkg_tile_matrix_set(table_name, srs_id, min_x, min_y, max_x, max_y) "
                                   "SELECT ?, %2, min_x, min_y, max_x, max_y FROM %1.gpkg_tile_matrix_set WHERE table_name = ?" )
                       .arg( src )
                       .arg( srsId ),
               names, error ) ||
         !run( db, QStringLiteral( "INSERT INTO main.gpkg_tile_matrix(table_name, zoom_level, matrix_width, matrix_height, tile_width, tile_height, pixel_x_size, pixel_y_size) "
                                   "SELECT ?, zoom_level, matrix_width, matrix_height, tile_width, tile_height, pixel_x_size, pixel_y_size FROM %1.gpkg_tile_matrix WHERE table_name = ?" )
                       .arg( src ),
               names, error ) )
      return false;
  }
  if ( tableIn( db, schema, QStringLiteral( "gpkg_2d_gridded_coverage_ancillary" ) ) )
  {
    if ( !run( db, QStringLiteral( "INSERT INTO main.gpkg_2d_gridded_coverage_ancillary(tile_matrix_set_name, datatype, scale, offset, precision, data_null, grid_cell_encoding, uom, field_name, quantity_definition) "
                                   "SELECT ?, datatype, scale, offset, precision, data_null, grid_cell_encoding, uom, field_name, quantity_definition "
                                   "FROM %1.gpkg_2d_gridded_coverage_ancillary WHERE tile_matrix_set_name = ?" )
                       .arg( src ),
               names, error ) ||
         !run( db, QStringLiteral( "INSERT INTO main.gpkg_2d_gridded_tile_ancillary(tpudt_name, tpudt_id, scale, offset, min, max, mean, std_dev) "
                                   "SELECT ?, tpudt_id, scale, offset, min, max, mean, std_dev FROM %1.gpkg_2d_gridded_tile_ancillary WHERE tpudt_name = ? ORDER BY id" )
                       .arg( src ),
               names, error ) )
      return false;
  }
  if ( !run( db, QStringLiteral( "INSERT INTO main.gpkg_extensions(table_name, column_name, extension_name, definition, scope) "
                                 "SELECT ?, column_name, extension_name, definition, scope FROM %1.gpkg_extensions WHERE table_name = ?" )
                     .arg( src ),
             names, error ) )
    return false;
  if ( db.tableExists( QStringLiteral( "gpkg_ogr_contents" ) ) && tableIn( db, schema, QStringLiteral( "gpkg_ogr_contents" ) ) )
  {
    if ( !run( db, QStringLiteral( "INSERT INTO main.gpkg_ogr_contents(table_name, feature_count) SELECT ?, feature_count FROM %1.gpkg_ogr_contents WHERE table_name = ?" ).arg( src ), names, error ) )
      return false;
  }
  return true;
}

} // namespace

bool writeRtmMapTablesFile( const RtmResult &result, const QString &path, QString *error )
{
  GDALAllRegister();
  GDALDriverH driver = GDALGetDriverByName( "GPKG" );
  if ( !driver )
  {
    *error = QStringLiteral( "GDAL has no GeoPackage driver" );
    return false;
  }
  const RtmGrid &g = result.grid;
  if ( g.cellsInArea() == 0 || result.rrs.size() != static_cast<std::size_t>( g.cellsInArea() ) )
  {
    *error = QStringLiteral( "the run has no relative risk scores" );
    return false;
  }
  // No CRS in the temporary file: the project's srs_id is set when the tables are copied.
  {
    Dataset ds;
    ds.handle = GDALCreate( driver, path.toUtf8().constData(), 0, 0, 0, GDT_Unknown, nullptr );
    if ( !ds.handle )
    {
      *error = gdalError( path );
      return false;
    }
    if ( !writePlaces( ds.handle, kTmpHighRisk, result, result.highRiskCells, error ) || !writePlaces( ds.handle, kTmpPriority, result, result.priorityCells, error ) )
      return false;
    if ( !ds.close() )
    {
      *error = gdalError( QStringLiteral( "closing %1" ).arg( path ) );
      return false;
    }
  }
  Options options;
  options.set( "APPEND_SUBDATASET", "YES" );
  options.set( "RASTER_TABLE", kTmpRaster.toUtf8().constData() );
  options.set( "FIELD_NAME", "RRS" );
  options.set( "QUANTITY_DEFINITION", "Relative risk score" );
  options.set( "GRID_CELL_ENCODING", "grid-value-is-area" );
  Dataset ds;
  ds.handle = GDALCreate( driver, path.toUtf8().constData(), g.cols, g.rows, 1, GDT_Float32, options.list );
  if ( !ds.handle )
  {
    *error = gdalError( path );
    return false;
  }
  double gt[6] = { g.x0, g.cell, 0, g.y0 + g.rows * g.cell, 0, -g.cell };
  GDALRasterBandH band = GDALGetRasterBand( ds.handle, 1 );
  // GDAL 3.6 reports a failure when a gridded coverage's nodata is set before its first tile,
  // yet records it: check the value instead of the return code.
  GDALSetRasterNoDataValue( band, kNoData );
  int hasNoData = FALSE;
  if ( GDALSetGeoTransform( ds.handle, gt ) != CE_None || GDALGetRasterNoDataValue( band, &hasNoData ) != kNoData || !hasNoData )
  {
    *error = gdalError( path );
    return false;
  }
  std::vector<float> row( g.cols );
  for ( int r = 0; r < g.rows; ++r )
  {
    const int gridRow = g.rows - 1 - r; // raster rows run from the top
    for ( int c = 0; c < g.cols; ++c )
    {
      const int d = g.designRow[static_cast<std::size_t>( gridRow ) * g.cols + c];
      row[c] = d < 0 ? kNoData : static_cast<float>( result.rrs[d] );
    }
    if ( GDALRasterIO( band, GF_Write, 0, r, g.cols, 1, row.data(), g.cols, 1, GDT_Float32, 0, 0 ) != CE_None )
    {
      *error = gdalError( path );
      return false;
    }
  }
  if ( !ds.close() )
  {
    *error = gdalError( QStringLiteral( "closing the raster of %1" ).arg( path ) );
    return false;
  }
  return true;
}

bool copyRtmMapTables( SqliteDatabase &db, const QString &schema, qint64 runId, const QString &runName, int srsId, QString *error )
{
  if ( !ensureSupportTables( db, schema, error ) )
    return false;
  const QString run = QStringLiteral( "RTM run %1" ).arg( runId );
  const QString about = runName.isEmpty() ? QString() : QStringLiteral( " (%1)" ).arg( runName );
  return copyTable( db, schema, kTmpRaster, rtmRasterTable( runId ), QStringLiteral( "%1: relative risk score" ).arg( run ),
                    QStringLiteral( "Relative risk score per cell of %1%2, lowest cell 1" ).arg( run, about ), srsId, error ) &&
         copyTable( db, schema, kTmpHighRisk, rtmHighRiskTable( runId ), QStringLiteral( "%1: high-risk places" ).arg( run ),
                    QStringLiteral( "Contiguous highest-risk cells of %1%2" ).arg( run, about ), srsId, error ) &&
         copyTable( db, schema, kTmpPriority, rtmPriorityTable( runId ), QStringLiteral( "%1: priority places" ).arg( run ),
                    QStringLiteral( "Highest-risk cells that are also hot spots of past events, %1%2" ).arg( run, about ), srsId, error );
}

bool dropRtmMapTables( SqliteDatabase &db, qint64 runId, QString *error )
{
  for ( const QString &t : { rtmRasterTable( runId ), rtmHighRiskTable( runId ), rtmPriorityTable( runId ) } )
  {
    const QString rtree = QStringLiteral( "rtree_%1_geom" ).arg( t );
    if ( db.tableExists( rtree ) && !exec( db, QStringLiteral( "DROP TABLE %1" ).arg( quoted( rtree ) ), error ) )
      return false;
    if ( db.tableExists( t ) && !exec( db, QStringLiteral( "DROP TABLE %1" ).arg( quoted( t ) ), error ) )
      return false;
    struct Registration
    {
      const char *table, *column;
    };
    const Registration registrations[] = { { "gpkg_2d_gridded_tile_ancillary", "tpudt_name" }, { "gpkg_2d_gridded_coverage_ancillary", "tile_matrix_set_name" }, { "gpkg_tile_matrix", "table_name" }, { "gpkg_tile_matrix_set", "table_name" }, { "gpkg_geometry_columns", "table_name" }, { "gpkg_extensions", "table_name" }, { "gpkg_ogr_contents", "table_name" }, { "gpkg_contents", "table_name" } };
    for ( const Registration &r : registrations )
    {
      if ( !db.tableExists( QLatin1String( r.table ) ) )
        continue;
      if ( !run( db, QStringLiteral( "DELETE FROM %1 WHERE %2 = ?" ).arg( QLatin1String( r.table ), QLatin1String( r.column ) ), { t }, error ) )
        return false;
    }
  }
  return true;
}

} // namespace statdesk::rtm
