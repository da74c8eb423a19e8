// rtm: reading RTM inputs from a project, saving runs into it, exports (CSV, GeoTIFF), demo defaults.
#include "RtmEngine.h"
#include "RtmStore.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <qgsfeedback.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QtEndian>
#include <QDir>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <gdal.h>
#include <cpl_conv.h>
#include <cpl_string.h>

#include <cmath>
#include <cstring>

namespace statdesk::rtm
{

namespace
{

QString quoted( const QString &identifier )
{
  QString s = identifier;
  return QStringLiteral( "\"%1\"" ).arg( s.replace( '"', QStringLiteral( "\"\"" ) ) );
}

QString defaultDateColumn( const QString &table )
{
  if ( table == schema::kIncidents )
    return QStringLiteral( "occurred_at" );
  if ( table == schema::kServiceRequests )
    return QStringLiteral( "created_at" );
  return QString();
}

//! Reads x/y of a GeoPackage point blob without building a geometry; false for other types.
bool readPointBlob( const QByteArray &blob, double *x, double *y )
{
  const auto *d = reinterpret_cast<const unsigned char *>( blob.constData() );
  const int size = blob.size();
  if ( size < 8 || d[0] != 'G' || d[1] != 'P' )
    return false;
  const int envCode = ( d[3] >> 1 ) & 0x07;
  static const int envSizes[] = { 0, 32, 48, 48, 64 };
  if ( envCode > 4 || ( d[3] & 0x10 ) )
    return false;
  const int off = 8 + envSizes[envCode];
  if ( size < off + 21 )
    return false;
  const bool le = d[off] == 1;
  auto u32 = [&]( int p ) {
    quint32 v;
    std::memcpy( &v, d + p, 4 );
    return le ? qFromLittleEndian( v ) : qFromBigEndian( v );
  };
  auto f64 = [&]( int p ) {
    quint64 v;
    std::memcpy( &v, d + p, 8 );
    v = le ? qFromLittleEndian( v ) : qFromBigEndian( v );
    double r;
    std::memcpy( &r, &v, 8 );
    return r;
  };
  const quint32 type = u32( off + 1 );
  if ( type != 1 && type != 1001 && type != 2001 && type != 3001 && type != 0x80000001 && type != 0x40000001 && type != 0xC0000001 )
    return false;
  *x = f64( off + 5 );
  *y = f64( off + 13 );
  return std::isfinite( *x ) && std::isfinite( *y );
}

bool readFeatures( SqliteDatabase &db, const QString &table, const QString &where, FeatureSet *out, QString *error, QgsFeedback *feedback )
{
  if ( !db.tableExists( table ) )
  {
    *error = QStringLiteral( "the project has no layer \"%1\"" ).arg( table );
    return false;
  }
  QString sql = QStringLiteral( "SELECT geom FROM %1" ).arg( quoted( table ) );
  if ( !where.trimmed().isEmpty() )
    sql += QStringLiteral( " WHERE (%1)" ).arg( where );
  sql += QStringLiteral( " ORDER BY fid" );
  SqliteStatement st( db, sql );
  if ( !st.isValid() )
  {
    *error = QStringLiteral( "layer %1, filter \"%2\": %3" ).arg( table, where, db.lastSqliteError() );
    return false;
  }
  QCryptographicHash hash( QCryptographicHash::Sha256 );
  std::vector<QgsGeometry> others;
  qint64 rows = 0;
  while ( st.next() )
  {
    if ( ( ++rows & 0xffff ) == 0 && feedback && feedback->isCanceled() )
    {
      *error = QStringLiteral( "canceled" );
      return false;
    }
    if ( st.isNull( 0 ) )
    {
      ++out->rowsWithoutGeometry;
      continue;
    }
    const QByteArray blob = st.blob( 0 );
    double x, y;
    if ( readPointBlob( blob, &x, &y ) )
    {
      out->x.push_back( x );
      out->y.push_back( y );
      hash.addData( reinterpret_cast<const char *>( &x ), sizeof x );
      hash.addData( reinterpret_cast<const char *>( &y ), sizeof y );
      continue;
    }
    QgsGeometry g = geometryFromGpkgBlob( blob );
    if ( g.isNull() || g.isEmpty() )
    {
      ++out->rowsWithoutGeometry;
      continue;
    }
    hash.addData( g.asWkb() );
    const QgsPointXY c = g.type() == QgsWkbTypes::PointGeometry ? g.centroid().asPoint() : g.pointOnSurface().asPoint();
    out->x.push_back( c.x() );
    out->y.push_back( c.y() );
    out->shapes.push_back( g );
  }
  if ( !out->shapes.empty() && out->shapes.size() != out->x.size() )
  {
    // Mixed layer: keep every feature as a geometry so distances see the points too.
    std::vector<QgsGeometry> all;
    std::size_t s = 0;
    for ( std::size_t i = 0; i < out->x.size(); ++i )
    {
      if ( s < out->shapes.size() )
      {
        const QgsPointXY c = out->shapes[s].type() == QgsWkbTypes::PointGeometry ? out->shapes[s].centroid().asPoint() : out->shapes[s].pointOnSurface().asPoint();
        if ( c.x() == out->x[i] && c.y() == out->y[i] )
        {
          all.push_back( out->shapes[s++] );
          continue;
        }
      }
      all.push_back( QgsGeometry::fromPointXY( QgsPointXY( out->x[i], out->y[i] ) ) );
    }
    out->shapes = std::move( all );
  }
  out->hash = QString::fromLatin1( hash.result().toHex() );
  return true;
}

QString dateWhere( const QString &column, const QDate &from, const QDate &to )
{
  QStringList parts;
  // ISO text with offset: local dates compare as text.
  if ( from.isValid() )
    parts << QStringLiteral( "%1 >= '%2'" ).arg( quoted( column ), from.toString( Qt::ISODate ) );
  if ( to.isValid() )
    parts << QStringLiteral( "%1 < '%2'" ).arg( quoted( column ), to.addDays( 1 ).toString( Qt::ISODate ) );
  return parts.join( QStringLiteral( " AND " ) );
}

QString andWhere( const QString &a, const QString &b )
{
  if ( a.trimmed().isEmpty() )
    return b;
  if ( b.trimmed().isEmpty() )
    return a;
  return QStringLiteral( "(%1) AND (%2)" ).arg( a, b );
}

bool writeText( const QString &path, const QString &text, QString *error )
{
  QSaveFile f( path );
  if ( !f.open( QIODevice::WriteOnly ) )
  {
    *error = QStringLiteral( "%1: %2" ).arg( path, f.errorString() );
    return false;
  }
  f.write( text.toUtf8() );
  if ( !f.commit() )
  {
    *error = QStringLiteral( "%1: %2" ).arg( path, f.errorString() );
    return false;
  }
  return true;
}

QString num( double v )
{
  return QString::number( v, 'g', 10 );
}

} // namespace

bool rtmParametersFromDemoTruth( const QJsonObject &truth, RtmParameters *p, QString *error )
{
  const QJsonArray factors = truth.value( QStringLiteral( "factors" ) ).toArray();
  if ( factors.isEmpty() )
  {
    *error = QStringLiteral( "the demo truth lists no factors" );
    return false;
  }
  *p = RtmParameters();
  const QJsonObject outcome = truth.value( QStringLiteral( "outcome" ) ).toObject();
  p->outcomeLayer = outcome.value( QStringLiteral( "layer" ) ).toString( p->outcomeLayer );
  p->outcomeFilter = outcome.value( QStringLiteral( "filter" ) ).toString( p->outcomeFilter );
  p->blockLength = truth.value( QStringLiteral( "block_length_m" ) ).toDouble( p->blockLength );
  p->cellSize = truth.value( QStringLiteral( "cell_size_m" ) ).toDouble( 0 );
  // "boundaries kind=city" -> layer boundaries, filter kind = 'city'.
  const QString area = truth.value( QStringLiteral( "study_area" ) ).toString();
  if ( !area.isEmpty() )
  {
    const QStringList parts = area.split( ' ', Qt::SkipEmptyParts );
    p->studyAreaLayer = parts.value( 0 );
    QStringList where;
    for ( int i = 1; i < parts.size(); ++i )
    {
      const int eq = parts[i].indexOf( '=' );
      if ( eq > 0 )
        where << QStringLiteral( "%1 = '%2'" ).arg( quoted( parts[i].left( eq ) ), parts[i].mid( eq + 1 ).replace( '\'', QStringLiteral( "''" ) ) );
    }
    p->studyAreaFilter = where.join( QStringLiteral( " AND " ) );
  }
  for ( const QJsonValue &v : factors )
  {
    const QJsonObject o = v.toObject();
    RiskFactorSpec f;
    f.name = o.value( QStringLiteral( "name" ) ).toString();
    f.layer = o.value( QStringLiteral( "layer" ) ).toString();
    f.filter = o.value( QStringLiteral( "filter" ) ).toString();
    if ( !parseOperationalisation( o.value( QStringLiteral( "operationalisation" ) ).toString( QStringLiteral( "both" ) ), &f.operationalisation ) )
      f.operationalisation = Operationalisation::Both;
    p->factors << f;
  }
  const QJsonObject period = truth.value( QStringLiteral( "period" ) ).toObject();
  const QDate from = QDate::fromString( period.value( QStringLiteral( "from" ) ).toString(), Qt::ISODate );
  const QDate to = QDate::fromString( period.value( QStringLiteral( "to" ) ).toString(), Qt::ISODate );
  if ( from.isValid() && to.isValid() && from.addYears( 1 ) <= to )
  {
    p->testTo = to;
    p->testFrom = to.addYears( -1 ).addDays( 1 );
    p->trainFrom = from;
    p->trainTo = p->testFrom.addDays( -1 );
  }
  return p->validate( error );
}

bool loadRtmInputs( ProjectFile &project, const RtmParameters &parameters, RtmInputs *inputs, QString *error, QgsFeedback *feedback )
{
  if ( !parameters.validate( error ) )
    return false;
  *inputs = RtmInputs();
  inputs->crsAuthid = project.crs().authid();
  inputs->distanceUnit = project.crs().mapUnits() == QgsUnitTypes::DistanceFeet ? QStringLiteral( "ft" ) : QStringLiteral( "m" );
  if ( project.crs().isGeographic() )
  {
    *error = QStringLiteral( "the project CRS %1 is geographic: RTM needs a projected CRS in metres or feet" ).arg( inputs->crsAuthid );
    return false;
  }
  SqliteDatabase &db = project.database();

  // Study area: union of the filtered polygons.
  FeatureSet area;
  if ( !readFeatures( db, parameters.studyAreaLayer, parameters.studyAreaFilter, &area, error, feedback ) )
    return false;
  QVector<QgsGeometry> polys;
  for ( const QgsGeometry &g : area.shapes )
    if ( g.type() == QgsWkbTypes::PolygonGeometry )
      polys << g;
  if ( polys.isEmpty() )
  {
    *error = QStringLiteral( "no study-area polygons in %1 where %2" ).arg( parameters.studyAreaLayer, parameters.studyAreaFilter.isEmpty() ? QStringLiteral( "(all rows)" ) : parameters.studyAreaFilter );
    return false;
  }
  inputs->studyArea = polys.size() == 1 ? polys.front() : QgsGeometry::unaryUnion( polys );
  inputs->studyAreaHash = area.hash;

  QString dateColumn = parameters.dateColumn.isEmpty() ? defaultDateColumn( parameters.outcomeLayer ) : parameters.dateColumn;
  const bool windows = parameters.trainFrom.isValid() || parameters.trainTo.isValid() || parameters.hasValidation();
  if ( windows && dateColumn.isEmpty() )
  {
    *error = QStringLiteral( "layer %1 has no known date column: name one for the windows" ).arg( parameters.outcomeLayer );
    return false;
  }
  if ( !readFeatures( db, parameters.outcomeLayer, andWhere( parameters.outcomeFilter, windows ? dateWhere( dateColumn, parameters.trainFrom, parameters.trainTo ) : QString() ), &inputs->outcome, error, feedback ) )
    return false;
  if ( parameters.hasValidation() )
  {
    if ( !readFeatures( db, parameters.outcomeLayer, andWhere( parameters.outcomeFilter, dateWhere( dateColumn, parameters.testFrom, parameters.testTo ) ), &inputs->outcomeTest, error, feedback ) )
      return false;
  }
  if ( inputs->outcome.count() == 0 )
  {
    *error = QStringLiteral( "no located %1 rows match the outcome filter and training window" ).arg( parameters.outcomeLayer );
    return false;
  }
  for ( const RiskFactorSpec &f : parameters.factors )
  {
    FeatureSet fs;
    if ( !readFeatures( db, f.layer, f.filter, &fs, error, feedback ) )
    {
      *error = QStringLiteral( "factor %1: %2" ).arg( f.name, *error );
      return false;
    }
    if ( fs.count() == 0 )
    {
      *error = QStringLiteral( "factor %1: no located features in %2%3" ).arg( f.name, f.layer, f.filter.isEmpty() ? QString() : QStringLiteral( " where " ) + f.filter );
      return false;
    }
    inputs->factors.push_back( std::move( fs ) );
  }
  return true;
}

namespace
{
//! One bit per value, least significant bit first.
QByteArray packBits( const std::vector<std::uint8_t> &values )
{
  QByteArray bits( static_cast<int>( ( values.size() + 7 ) / 8 ), '\0' );
  for ( std::size_t i = 0; i < values.size(); ++i )
    if ( values[i] )
      bits[static_cast<int>( i / 8 )] = static_cast<char>( bits[static_cast<int>( i / 8 )] | ( 1 << ( i % 8 ) ) );
  return bits;
}

QByteArray int32Blob( const std::vector<int> &values )
{
  QByteArray raw( static_cast<int>( values.size() * 4 ), Qt::Uninitialized );
  for ( std::size_t i = 0; i < values.size(); ++i )
    qToLittleEndian<qint32>( values[i], raw.data() + i * 4 );
  return qCompress( raw );
}

//! Detaches an attached database when it goes out of scope (after the transaction ended).
struct Attachment
{
    SqliteDatabase &db;
    QString schema;
    bool attached = false;
    ~Attachment()
    {
      if ( attached )
        db.exec( QStringLiteral( "DETACH DATABASE %1" ).arg( schema ) );
    }
};

//! rtm_runs, created or brought up to the columns this build writes (inside a transaction).
bool ensureRunsTable( SqliteDatabase &db, QString *error )
{
  if ( !db.exec( QStringLiteral( "CREATE TABLE IF NOT EXISTS rtm_runs (fid INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created_at TEXT NOT NULL, "
                                 "family TEXT, bic REAL, parameters TEXT NOT NULL, summary TEXT NOT NULL, audit TEXT NOT NULL, grid TEXT NOT NULL, rrs BLOB)" ) ) )
  {
    *error = db.errorString();
    return false;
  }
  QStringList columns;
  {
    SqliteStatement st( db, QStringLiteral( "PRAGMA table_info(rtm_runs)" ) );
    while ( st.next() )
      columns << st.text( 1 );
  }
  // Added after the first release of the table: the in-area mask, counts and design matrix.
  for ( const QString &c : { QStringLiteral( "cells" ), QStringLiteral( "train_counts" ), QStringLiteral( "test_counts" ), QStringLiteral( "design" ) } )
  {
    if ( !columns.contains( c ) && !db.exec( QStringLiteral( "ALTER TABLE rtm_runs ADD COLUMN %1 BLOB" ).arg( c ) ) )
    {
      *error = db.errorString();
      return false;
    }
  }
  // Registered as an attributes table so GeoPackage readers list it.
  SqliteStatement st( db, QStringLiteral( "INSERT OR IGNORE INTO gpkg_contents(table_name, data_type, identifier, description, last_change) "
                                          "VALUES ('rtm_runs', 'attributes', 'rtm_runs', 'Risk Terrain Modeling runs', strftime('%Y-%m-%dT%H:%M:%fZ','now'))" ) );
  if ( !st.exec() )
  {
    *error = st.errorString();
    return false;
  }
  return true;
}
} // namespace

bool prepareRtmMapTables( const RtmResult &result, const QString &path, QString *error )
{
  return writeRtmMapTablesFile( result, path, error );
}

qint64 saveRtmRun( ProjectFile &project, const QString &name, const RtmParameters &parameters, const RtmResult &result, QString *error, const QString &preparedMapTables )
{
  if ( !result.ok )
  {
    *error = QStringLiteral( "only successful runs are saved" );
    return -1;
  }
  if ( project.isReadOnly() )
  {
    *error = QStringLiteral( "the project is open read-only" );
    return -1;
  }
  // The map tables are written by GDAL into a file of their own, then copied in the transaction below.
  std::unique_ptr<QTemporaryDir> tempDir;
  QString mapTables = preparedMapTables;
  if ( mapTables.isEmpty() )
  {
    tempDir = std::make_unique<QTemporaryDir>();
    if ( !tempDir->isValid() )
    {
      *error = QStringLiteral( "cannot create a temporary folder: %1" ).arg( tempDir->errorString() );
      return -1;
    }
    mapTables = tempDir->filePath( QStringLiteral( "rtm_map_tables.gpkg" ) );
    if ( !writeRtmMapTablesFile( result, mapTables, error ) )
    {
      *error = QStringLiteral( "map tables: %1" ).arg( *error );
      return -1;
    }
  }
  SqliteDatabase &db = project.database();
  Attachment attachment { db, QStringLiteral( "rtm_map_tables" ) };
  {
    SqliteStatement attach( db, QStringLiteral( "ATTACH DATABASE ? AS rtm_map_tables" ) );
    attach.bindText( 1, mapTables );
    if ( !attach.exec() )
    {
      *error = attach.errorString();
      return -1;
    }
    attachment.attached = true;
  }
  SqliteTransaction tx( db );
  if ( !tx.isActive() )
  {
    *error = db.errorString();
    return -1;
  }
  if ( !ensureRunsTable( db, error ) )
    return -1;
  const RtmGrid &g = result.grid;
  QByteArray raw( static_cast<int>( g.cellsInArea() * sizeof( float ) ), Qt::Uninitialized );
  for ( int r = 0; r < g.cellsInArea(); ++r )
  {
    const float v = static_cast<float>( result.rrs[r] );
    std::memcpy( raw.data() + r * sizeof( float ), &v, sizeof v );
  }
  std::vector<std::uint8_t> inArea( static_cast<std::size_t>( g.cols ) * g.rows, 0 );
  for ( int c : g.cellOfRow )
    inArea[c] = 1;
  QByteArray design;
  for ( const auto &column : result.design )
    design += packBits( column );
  const QJsonObject grid { { QStringLiteral( "x0" ), g.x0 },
                           { QStringLiteral( "y0" ), g.y0 },
                           { QStringLiteral( "cell" ), g.cell },
                           { QStringLiteral( "columns" ), g.cols },
                           { QStringLiteral( "rows" ), g.rows },
                           { QStringLiteral( "cells_in_area" ), g.cellsInArea() },
                           { QStringLiteral( "rrs_encoding" ), QStringLiteral( "qCompress(float32 little-endian per in-area cell, row-major from the origin)" ) },
                           { QStringLiteral( "cells_encoding" ), QStringLiteral( "qCompress(1 bit per lattice cell, 1 = in the study area, row-major from the origin, least significant bit first)" ) },
                           { QStringLiteral( "counts_encoding" ), QStringLiteral( "qCompress(int32 little-endian per in-area cell)" ) },
                           { QStringLiteral( "design_encoding" ), QStringLiteral( "qCompress(per candidate kept, in candidate order: 1 bit per in-area cell, least significant bit first, padded to a byte)" ) } };
  SqliteStatement st( db, QStringLiteral( "INSERT INTO rtm_runs(name, created_at, family, bic, parameters, summary, audit, grid, rrs, cells, train_counts, test_counts, design) "
                                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)" ) );
  st.bindText( 1, name.isEmpty() ? QStringLiteral( "RTM run" ) : name );
  st.bindText( 2, project.formatDateTime( QDateTime::currentDateTime() ) );
  st.bindText( 3, countFamilyName( result.chosenFamily ) );
  st.bindDouble( 4, result.chosen().bic );
  st.bindText( 5, QString::fromUtf8( QJsonDocument( parameters.toJson() ).toJson( QJsonDocument::Compact ) ) );
  QJsonObject summary = result.summaryJson();
  summary.remove( QStringLiteral( "timings" ) );
  st.bindText( 6, QString::fromUtf8( QJsonDocument( summary ).toJson( QJsonDocument::Compact ) ) );
  st.bindText( 7, QString::fromUtf8( QJsonDocument( result.audit ).toJson( QJsonDocument::Compact ) ) );
  st.bindText( 8, QString::fromUtf8( QJsonDocument( grid ).toJson( QJsonDocument::Compact ) ) );
  st.bindBlob( 9, qCompress( raw ) );
  st.bindBlob( 10, qCompress( packBits( inArea ) ) );
  st.bindBlob( 11, int32Blob( result.trainCounts ) );
  if ( result.testCounts.empty() )
    st.bindNull( 12 );
  else
    st.bindBlob( 12, int32Blob( result.testCounts ) );
  st.bindBlob( 13, qCompress( design ) );
  if ( !st.exec() )
  {
    *error = st.errorString();
    return -1;
  }
  const qint64 id = db.scalar( QStringLiteral( "SELECT last_insert_rowid()" ) ).toLongLong();
  if ( !copyRtmMapTables( db, attachment.schema, id, name, project.srsId(), error ) )
    return -1;
  if ( !tx.commit() )
  {
    *error = db.errorString();
    return -1;
  }
  return id;
}

bool exportDesignCsv( const RtmResult &result, const QString &path, QString *error )
{
  QSaveFile f( path );
  if ( !f.open( QIODevice::WriteOnly ) )
  {
    *error = QStringLiteral( "%1: %2" ).arg( path, f.errorString() );
    return false;
  }
  const RtmGrid &g = result.grid;
  const bool test = !result.testCounts.empty();
  QByteArray line = "cell,col,row,x,y,count";
  if ( test )
    line += ",test_count";
  for ( int v : result.designVariables )
    line += ',' + result.candidates[v].name.toUtf8();
  line += '\n';
  f.write( line );
  for ( int r = 0; r < g.cellsInArea(); ++r )
  {
    const int c = g.cellOfRow[r];
    line = QByteArray::number( c ) + ',' + QByteArray::number( c % g.cols ) + ',' + QByteArray::number( c / g.cols ) + ',' + QByteArray::number( g.centreX( c ), 'f', 3 ) + ',' + QByteArray::number( g.centreY( c ), 'f', 3 ) + ',' + QByteArray::number( result.trainCounts[r] );
    if ( test )
      line += ',' + QByteArray::number( result.testCounts[r] );
    line.reserve( line.size() + 2 * static_cast<int>( result.design.size() ) + 1 );
    for ( const auto &col : result.design )
    {
      line += ',';
      line += col[r] ? '1' : '0';
    }
    line += '\n';
    f.write( line );
  }
  if ( !f.commit() )
  {
    *error = QStringLiteral( "%1: %2" ).arg( path, f.errorString() );
    return false;
  }
  return true;
}

bool exportTablesCsv( const RtmResult &result, const QString &directory, QString *error )
{
  if ( !QDir().mkpath( directory ) )
  {
    *error = QStringLiteral( "cannot create %1" ).arg( directory );
    return false;
  }
  const QDir dir( directory );
  const FamilyModel &m = result.chosen();
  QString model = QStringLiteral( "term,factor,operationalisation,spatial_influence,coefficient,se,p,rrv,protective\n" );
  model += QStringLiteral( "(intercept),,,,%1,%2,%3,%4,\n" ).arg( num( m.intercept ), num( m.interceptSe ), num( m.interceptP ), num( std::exp( m.intercept ) ) );
  for ( const ModelTerm &t : m.terms )
    model += QStringLiteral( "%1,%2,%3,%4,%5,%6,%7,%8,%9\n" ).arg( t.variable, t.factor, t.operationalisation, num( t.distance ), num( t.beta ), num( t.se ), num( t.p ), num( t.rrv ), t.protective ? QStringLiteral( "yes" ) : QStringLiteral( "no" ) );
  if ( result.chosenFamily != CountFamily::Poisson )
    model += QStringLiteral( "(dispersion %1),,,,%2,%3,,,\n" ).arg( countFamilyName( result.chosenFamily ), num( m.alpha ), num( m.alphaSe ) );
  QString classes = QStringLiteral( "class,rrs_from,rrs_to,cells,area_share,event_share\n" );
  for ( const RiskClass &c : result.classes )
    classes += QStringLiteral( "%1,%2,%3,%4,%5,%6\n" ).arg( c.name, num( c.lower ), num( c.upper ) ).arg( c.cells ).arg( num( c.areaShare ), num( c.eventShare ) );
  QString val = QStringLiteral( "method,area_share,cells,hits,hit_rate,pai,pei\n" );
  for ( const ValidationRow &v : result.validation )
    val += QStringLiteral( "%1,%2,%3,%4,%5,%6,%7\n" ).arg( v.method, num( v.areaShare ) ).arg( v.cells ).arg( num( v.hits ), num( v.hitRate ), num( v.pai ), num( v.pei ) );
  return writeText( dir.filePath( QStringLiteral( "rtm_model.csv" ) ), model, error ) && writeText( dir.filePath( QStringLiteral( "rtm_classes.csv" ) ), classes, error )
         && writeText( dir.filePath( QStringLiteral( "rtm_validation.csv" ) ), val, error );
}

bool exportRrsGeoTiff( const RtmResult &result, const QString &crsWkt, const QString &path, QString *error )
{
  GDALAllRegister();
  GDALDriverH driver = GDALGetDriverByName( "GTiff" );
  if ( !driver )
  {
    *error = QStringLiteral( "GDAL has no GTiff driver" );
    return false;
  }
  const RtmGrid &g = result.grid;
  const QString tmp = path + QStringLiteral( ".part.tif" );
  char **options = nullptr;
  options = CSLSetNameValue( options, "COMPRESS", "DEFLATE" );
  GDALDatasetH ds = GDALCreate( driver, tmp.toUtf8().constData(), g.cols, g.rows, 1, GDT_Float32, options );
  CSLDestroy( options );
  if ( !ds )
  {
    *error = QStringLiteral( "%1: %2" ).arg( path, QString::fromUtf8( CPLGetLastErrorMsg() ) );
    return false;
  }
  double gt[6] = { g.x0, g.cell, 0, g.y0 + g.rows * g.cell, 0, -g.cell };
  GDALSetGeoTransform( ds, gt );
  if ( !crsWkt.isEmpty() )
    GDALSetProjection( ds, crsWkt.toUtf8().constData() );
  GDALRasterBandH band = GDALGetRasterBand( ds, 1 );
  GDALSetRasterNoDataValue( band, -9999 );
  std::vector<float> row( g.cols );
  bool ok = true;
  for ( int r = 0; r < g.rows && ok; ++r )
  {
    const int gridRow = g.rows - 1 - r; // GeoTIFF rows run from the top
    for ( int c = 0; c < g.cols; ++c )
    {
      const int d = g.designRow[static_cast<std::size_t>( gridRow ) * g.cols + c];
      row[c] = d < 0 ? -9999.0f : static_cast<float>( result.rrs[d] );
    }
    ok = GDALRasterIO( band, GF_Write, 0, r, g.cols, 1, row.data(), g.cols, 1, GDT_Float32, 0, 0 ) == CE_None;
  }
  GDALClose( ds );
  if ( !ok )
  {
    QFile::remove( tmp );
    *error = QStringLiteral( "%1: %2" ).arg( path, QString::fromUtf8( CPLGetLastErrorMsg() ) );
    return false;
  }
  QFile::remove( path );
  if ( !QFile::rename( tmp, path ) )
  {
    QFile::remove( tmp );
    *error = QStringLiteral( "cannot write %1" ).arg( path );
    return false;
  }
  return true;
}

} // namespace statdesk::rtm
