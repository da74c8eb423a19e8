#include "clustering/ClusterStore.h"

#include "clustering/ClusterLayers.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/FeatureTables.h"
#include "project/ProjectFile.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QObject>

#include <qgsfeedback.h>

#include <map>

namespace statdesk::clustering
{

namespace
{
QString compact( const QJsonObject &o )
{
  return QString::fromUtf8( QJsonDocument( o ).toJson( QJsonDocument::Compact ) );
}

QJsonObject parseObject( const QString &text )
{
  return QJsonDocument::fromJson( text.toUtf8() ).object();
}

QStringList names( const QgsFields &fields )
{
  QStringList list;
  for ( const QgsField &f : fields )
    list << QStringLiteral( "\"%1\"" ).arg( f.name() );
  return list;
}

//! "INSERT INTO table (geom, f1, ...) VALUES (?, ?, ...)" for a feature table with \a fields.
QString insertSql( const QString &table, const QgsFields &fields, bool geometry )
{
  QStringList columns = names( fields );
  if ( geometry )
    columns.prepend( QStringLiteral( "geom" ) );
  QStringList marks;
  for ( int i = 0; i < columns.size(); ++i )
    marks << QStringLiteral( "?" );
  return QStringLiteral( "INSERT INTO \"%1\" (%2) VALUES (%3)" ).arg( table, columns.join( QLatin1Char( ',' ) ), marks.join( QLatin1Char( ',' ) ) );
}

bool insertRow( SqliteStatement &st, const QByteArray &geometry, const QgsAttributes &values )
{
  st.reset();
  int column = 1;
  if ( !geometry.isNull() )
    st.bindBlob( column++, geometry );
  for ( const QVariant &v : values )
    st.bind( column++, v );
  return st.exec();
}

QgsAttributes rowValues( const SqliteStatement &st, int first, int count )
{
  QgsAttributes values( count );
  for ( int i = 0; i < count; ++i )
    values[i] = st.value( first + i );
  return values;
}

GridSpec gridFromJson( const QJsonObject &o )
{
  GridSpec g;
  g.originX = o.value( QStringLiteral( "origin_x" ) ).toDouble();
  g.originY = o.value( QStringLiteral( "origin_y" ) ).toDouble();
  g.cellSize = o.value( QStringLiteral( "cell_size" ) ).toDouble();
  g.columns = o.value( QStringLiteral( "columns" ) ).toInt();
  g.rows = o.value( QStringLiteral( "rows" ) ).toInt();
  return g;
}

//! Creates and registers the clustering tables that are missing, inside the caller's transaction.
bool ensureTables( SqliteDatabase &db, int srsId, QString *error )
{
  struct Def
  {
    QString name;
    QString geometryType; //!< empty: attributes
    QString columns;
    QString description;
  };
  const QVector<Def> defs{
      { kClusterRunsTable, QString(),
        QStringLiteral( "name TEXT NOT NULL, method TEXT NOT NULL, layer TEXT NOT NULL, filter TEXT, date_from TEXT, date_to TEXT, seed TEXT, "
                        "input_points INTEGER, clusters INTEGER, parameters TEXT NOT NULL, summary TEXT NOT NULL, created_at TEXT NOT NULL" ),
        QStringLiteral( "Task Force clustering runs" ) },
      { kClusterPolygonsTable, QStringLiteral( "MULTIPOLYGON" ), sqlColumns( clusterPolygonFields() ), QStringLiteral( "Task Force clusters with their cards" ) },
      { kClusterMembersTable, QString(), QStringLiteral( "run_id INTEGER NOT NULL, cluster_id INTEGER NOT NULL, member_fid INTEGER NOT NULL" ),
        QStringLiteral( "Rows of the input layer in each cluster" ) },
      { kClusterCellsTable, QStringLiteral( "POLYGON" ), sqlColumns( clusterCellFields() ), QStringLiteral( "Gi* and persistence grid cells" ) },
      { kClusterChainsTable, QStringLiteral( "LINESTRING" ), sqlColumns( clusterChainFields() ), QStringLiteral( "Near-repeat chains" ) },
  };
  for ( const Def &d : defs )
  {
    if ( db.tableExists( d.name ) )
      continue;
    const QString geometry = d.geometryType.isEmpty() ? QString() : QStringLiteral( "geom %1, " ).arg( d.geometryType );
    if ( !db.exec( QStringLiteral( "CREATE TABLE \"%1\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, %2%3)" ).arg( d.name, geometry, d.columns ) ) )
    {
      *error = db.errorString();
      return false;
    }
    if ( d.name != kClusterRunsTable && !db.exec( QStringLiteral( "CREATE INDEX \"idx_%1_run\" ON \"%1\"(run_id%2)" ).arg( d.name, d.name == kClusterMembersTable ? QStringLiteral( ", cluster_id" ) : QString() ) ) )
    {
      *error = db.errorString();
      return false;
    }
    const bool ok = d.geometryType.isEmpty() ? gpkg::registerAttributesTable( db, d.name, d.description, error )
                                             : gpkg::registerFeatureTable( db, d.name, d.geometryType, srsId, d.description, error );
    if ( !ok )
      return false;
  }
  return true;
}

//! The grid cells of a saved run, by cell index.
std::vector<ClusterCell> readCells( SqliteDatabase &db, qint64 runId )
{
  std::vector<ClusterCell> cells;
  const QgsFields fields = clusterCellFields();
  SqliteStatement st( db, QStringLiteral( "SELECT %1 FROM cluster_cells WHERE run_id = ? ORDER BY cell" ).arg( names( fields ).join( QLatin1Char( ',' ) ) ) );
  st.bindInt64( 1, runId );
  while ( st.next() )
  {
    ClusterCell c;
    readClusterCellAttributes( rowValues( st, 0, fields.count() ), &c );
    cells.push_back( c );
  }
  return cells;
}

bool canceled( QgsFeedback *feedback, QString *error )
{
  if ( feedback && feedback->isCanceled() )
  {
    *error = QObject::tr( "Cancelled." );
    return true;
  }
  return false;
}
} // namespace

qint64 saveClusterRun( ProjectFile &project, ClusterAnalysis &analysis, QgsFeedback *feedback, QString *error )
{
  if ( !analysis.ok )
  {
    *error = QObject::tr( "only successful runs are saved" );
    return -1;
  }
  if ( project.isReadOnly() )
  {
    *error = QObject::tr( "the project is open read-only" );
    return -1;
  }
  SqliteDatabase &db = project.database();
  SqliteTransaction tx( db );
  if ( !tx.isActive() )
  {
    *error = db.errorString();
    return -1;
  }
  if ( !ensureTables( db, project.srsId(), error ) )
    return -1;

  const QString name = analysis.name.isEmpty() ? analysis.spec.describe() : analysis.name;
  const QString createdAt = project.formatDateTime( QDateTime::currentDateTime() );
  const ClusterRunSpec &spec = analysis.spec;
  {
    SqliteStatement st( db, QStringLiteral( "INSERT INTO cluster_runs (name, method, layer, filter, date_from, date_to, seed, input_points, clusters, "
                                            "parameters, summary, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)" ) );
    st.bindText( 1, name );
    st.bindText( 2, clusterMethodName( spec.method ) );
    st.bindText( 3, spec.layer );
    st.bindText( 4, spec.filter );
    st.bind( 5, spec.from.isValid() ? QVariant( spec.from.toString( Qt::ISODate ) ) : QVariant() );
    st.bind( 6, spec.to.isValid() ? QVariant( spec.to.toString( Qt::ISODate ) ) : QVariant() );
    st.bind( 7, spec.seed() ? QVariant( QString::number( spec.seed() ) ) : QVariant() );
    st.bindInt64( 8, analysis.inputPoints );
    st.bindInt64( 9, static_cast<qint64>( analysis.clusters.size() ) );
    st.bindText( 10, compact( spec.toJson() ) );
    st.bindText( 11, compact( analysis.summary ) );
    st.bindText( 12, createdAt );
    if ( !st.exec() )
    {
      *error = st.errorString();
      return -1;
    }
  }
  const qint64 runId = db.scalar( QStringLiteral( "SELECT last_insert_rowid()" ) ).toLongLong();
  // Rows carry the run id: write them from a copy that has it, so a failed save leaves \a analysis unsaved.
  ClusterAnalysis saved = analysis;
  saved.runId = runId;

  const std::size_t total = saved.clusters.size() + saved.cells.size() + saved.chains.size();
  std::size_t done = 0;
  auto progress = [&]()
  {
    if ( feedback && ( ++done % 16 == 0 ) )
      feedback->setProgress( 100.0 * done / std::max<std::size_t>( 1, total ) );
  };

  SqliteStatement polygon( db, insertSql( kClusterPolygonsTable, clusterPolygonFields(), true ) );
  SqliteStatement member( db, QStringLiteral( "INSERT INTO cluster_members (run_id, cluster_id, member_fid) VALUES (?, ?, ?)" ) );
  for ( const ClusterRecord &c : saved.clusters )
  {
    if ( canceled( feedback, error ) )
      return -1;
    QgsGeometry g = c.polygon;
    g.convertToMultiType();
    if ( !insertRow( polygon, gpkgGeometryBlob( g, project.srsId() ), clusterPolygonAttributes( saved, c ) ) )
    {
      *error = polygon.errorString();
      return -1;
    }
    for ( qint64 fid : c.fids )
    {
      member.reset();
      member.bindInt64( 1, runId );
      member.bindInt64( 2, c.id + 1 );
      member.bindInt64( 3, fid );
      if ( !member.exec() )
      {
        *error = member.errorString();
        return -1;
      }
    }
    progress();
  }
  SqliteStatement cell( db, insertSql( kClusterCellsTable, clusterCellFields(), true ) );
  for ( const ClusterCell &c : saved.cells )
  {
    if ( canceled( feedback, error ) )
      return -1;
    if ( !insertRow( cell, gpkgGeometryBlob( QgsGeometry::fromRect( saved.grid.cellRect( static_cast<std::size_t>( c.cell ) ) ), project.srsId() ), clusterCellAttributes( saved, c ) ) )
    {
      *error = cell.errorString();
      return -1;
    }
    progress();
  }
  SqliteStatement chain( db, insertSql( kClusterChainsTable, clusterChainFields(), true ) );
  for ( const ClusterChain &c : saved.chains )
  {
    if ( canceled( feedback, error ) )
      return -1;
    if ( !insertRow( chain, gpkgGeometryBlob( c.line, project.srsId() ), clusterChainAttributes( saved, c, project.timeZone() ) ) )
    {
      *error = chain.errorString();
      return -1;
    }
    progress();
  }
  for ( const QString &table : { kClusterPolygonsTable, kClusterCellsTable, kClusterChainsTable } )
    if ( !project.refreshContents( table ) )
    {
      *error = db.errorString();
      return -1;
    }
  if ( canceled( feedback, error ) )
    return -1;
  if ( !tx.commit() )
  {
    *error = db.errorString();
    return -1;
  }
  analysis.runId = runId;
  analysis.name = name;
  analysis.createdAt = createdAt;
  if ( feedback )
    feedback->setProgress( 100 );
  return runId;
}

std::vector<ClusterRunInfo> listClusterRuns( SqliteDatabase &db )
{
  std::vector<ClusterRunInfo> runs;
  if ( !db.tableExists( kClusterRunsTable ) )
    return runs;
  SqliteStatement st( db, QStringLiteral( "SELECT fid, name, method, layer, parameters, created_at, clusters, input_points FROM cluster_runs ORDER BY fid DESC" ) );
  while ( st.next() )
  {
    ClusterRunInfo info;
    info.id = st.int64( 0 );
    info.name = st.text( 1 );
    parseClusterMethod( st.text( 2 ), &info.method );
    info.layer = st.text( 3 );
    ClusterRunSpec spec;
    if ( ClusterRunSpec::fromJson( parseObject( st.text( 4 ) ), &spec, nullptr ) )
      info.description = spec.describe();
    info.createdAt = st.text( 5 );
    info.clusters = static_cast<int>( st.int64( 6 ) );
    info.inputPoints = st.int64( 7 );
    runs.push_back( info );
  }
  return runs;
}

qint64 latestClusterRun( SqliteDatabase &db )
{
  if ( !db.tableExists( kClusterRunsTable ) )
    return -1;
  const QVariant id = db.scalar( QStringLiteral( "SELECT max(fid) FROM cluster_runs WHERE clusters > 0" ) );
  return id.isNull() ? -1 : id.toLongLong();
}

bool loadClusterRun( SqliteDatabase &db, qint64 runId, ClusterAnalysis *analysis, QString *error )
{
  ClusterAnalysis a;
  {
    if ( !db.tableExists( kClusterRunsTable ) )
    {
      *error = QObject::tr( "the project has no clustering runs" );
      return false;
    }
    SqliteStatement st( db, QStringLiteral( "SELECT name, parameters, summary, input_points, created_at FROM cluster_runs WHERE fid = ?" ) );
    st.bindInt64( 1, runId );
    if ( !st.next() )
    {
      *error = QObject::tr( "the project has no clustering run %1" ).arg( runId );
      return false;
    }
    a.name = st.text( 0 );
    if ( !ClusterRunSpec::fromJson( parseObject( st.text( 1 ) ), &a.spec, error ) )
      return false;
    a.summary = parseObject( st.text( 2 ) );
    a.inputPoints = st.int64( 3 );
    a.createdAt = st.text( 4 );
  }
  a.runId = runId;
  a.grid = gridFromJson( a.summary.value( QStringLiteral( "grid" ) ).toObject() );

  const QgsFields polygonFields = clusterPolygonFields();
  {
    SqliteStatement st( db, QStringLiteral( "SELECT geom, %1 FROM cluster_polygons WHERE run_id = ? ORDER BY cluster_id" ).arg( names( polygonFields ).join( QLatin1Char( ',' ) ) ) );
    st.bindInt64( 1, runId );
    while ( st.next() )
    {
      ClusterRecord c;
      c.polygon = geometryFromGpkgBlob( st.blob( 0 ) );
      readClusterPolygonAttributes( rowValues( st, 1, polygonFields.count() ), &c );
      a.clusters.push_back( std::move( c ) );
    }
  }
  {
    std::map<int, std::size_t> indexOf;
    for ( std::size_t i = 0; i < a.clusters.size(); ++i )
      indexOf[a.clusters[i].id + 1] = i;
    SqliteStatement st( db, QStringLiteral( "SELECT cluster_id, member_fid FROM cluster_members WHERE run_id = ? ORDER BY cluster_id, member_fid" ) );
    st.bindInt64( 1, runId );
    while ( st.next() )
    {
      const auto it = indexOf.find( static_cast<int>( st.int64( 0 ) ) );
      if ( it != indexOf.end() )
        a.clusters[it->second].fids.push_back( st.int64( 1 ) );
    }
  }
  a.cells = readCells( db, runId );
  {
    SqliteStatement st( db, QStringLiteral( "SELECT geom, chain_id, events, first_at, last_at FROM cluster_chains WHERE run_id = ? ORDER BY chain_id" ) );
    st.bindInt64( 1, runId );
    while ( st.next() )
    {
      ClusterChain c;
      c.line = geometryFromGpkgBlob( st.blob( 0 ) );
      c.id = static_cast<int>( st.int64( 1 ) ) - 1;
      c.events = static_cast<int>( st.int64( 2 ) );
      c.firstSeconds = QDateTime::fromString( st.text( 3 ), Qt::ISODate ).toMSecsSinceEpoch() / 1000.0;
      c.lastSeconds = QDateTime::fromString( st.text( 4 ), Qt::ISODate ).toMSecsSinceEpoch() / 1000.0;
      a.chains.push_back( std::move( c ) );
    }
  }
  a.ok = true;
  *analysis = std::move( a );
  return true;
}

bool deleteClusterRun( ProjectFile &project, qint64 runId, QString *error )
{
  if ( project.isReadOnly() )
  {
    *error = QObject::tr( "the project is open read-only" );
    return false;
  }
  SqliteDatabase &db = project.database();
  if ( !db.tableExists( kClusterRunsTable ) )
  {
    *error = QObject::tr( "the project has no clustering runs" );
    return false;
  }
  SqliteTransaction tx( db );
  if ( !tx.isActive() )
  {
    *error = db.errorString();
    return false;
  }
  {
    SqliteStatement st( db, QStringLiteral( "DELETE FROM cluster_runs WHERE fid = ?" ) );
    st.bindInt64( 1, runId );
    if ( !st.exec() )
    {
      *error = st.errorString();
      return false;
    }
    if ( db.scalar( QStringLiteral( "SELECT changes()" ) ).toLongLong() == 0 )
    {
      *error = QObject::tr( "the project has no clustering run %1" ).arg( runId );
      return false;
    }
  }
  for ( const QString &table : { kClusterPolygonsTable, kClusterMembersTable, kClusterCellsTable, kClusterChainsTable } )
  {
    SqliteStatement st( db, QStringLiteral( "DELETE FROM \"%1\" WHERE run_id = ?" ).arg( table ) );
    st.bindInt64( 1, runId );
    if ( !st.exec() )
    {
      *error = st.errorString();
      return false;
    }
  }
  for ( const QString &table : { kClusterPolygonsTable, kClusterCellsTable, kClusterChainsTable } )
    if ( !project.refreshContents( table ) )
    {
      *error = db.errorString();
      return false;
    }
  if ( !tx.commit() )
  {
    *error = db.errorString();
    return false;
  }
  return true;
}

PersistenceLookup loadPersistenceLookup( SqliteDatabase &db, const QString &layer )
{
  PersistenceLookup lookup;
  if ( !db.tableExists( kClusterRunsTable ) )
    return lookup;
  SqliteStatement run( db, QStringLiteral( "SELECT fid, summary FROM cluster_runs WHERE method = 'persistence' AND layer = ? ORDER BY fid DESC LIMIT 1" ) );
  run.bindText( 1, layer );
  if ( !run.next() )
    return lookup;
  lookup.runId = run.int64( 0 );
  lookup.grid = gridFromJson( parseObject( run.text( 1 ) ).value( QStringLiteral( "grid" ) ).toObject() );
  for ( const ClusterCell &c : readCells( db, lookup.runId ) )
    if ( c.persistence != PersistenceClass::None )
      lookup.classes.emplace( c.cell, c.persistence );
  return lookup;
}

} // namespace statdesk::clustering
