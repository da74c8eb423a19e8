#include "clustering/ClusterRun.h"

#include "clustering/ClusterStore.h"
#include "clustering/PointReader.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>

#include <qgsfeedback.h>
#include <qgslinestring.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace statdesk::clustering
{

namespace
{
constexpr double kDay = 86400.0;

const QVector<QPair<ClusterMethod, const char *>> &methodNames()
{
  static const QVector<QPair<ClusterMethod, const char *>> sNames{
      { ClusterMethod::Dbscan, "dbscan" }, { ClusterMethod::StDbscan, "stdbscan" }, { ClusterMethod::Nnh, "nnh" }, { ClusterMethod::Knox, "knox" }, { ClusterMethod::GiStar, "gistar" }, { ClusterMethod::Persistence, "persistence" } };
  return sNames;
}

QString number( double v )
{
  return QString::number( v, 'g', 10 );
}

//! Forwards a step's progress into [from, to] of \a parent and \a parent's cancel into the step.
class StepFeedback : public QgsFeedback
{
public:
  StepFeedback( QgsFeedback *parent, double from, double to )
  {
    if ( !parent )
      return;
    connect(
        this, &QgsFeedback::progressChanged, parent, [parent, from, to]( double p )
        { parent->setProgress( from + ( to - from ) * p / 100.0 ); },
        Qt::DirectConnection );
    connect( parent, &QgsFeedback::canceled, this, &QgsFeedback::cancel, Qt::DirectConnection );
    if ( parent->isCanceled() )
      cancel();
  }
};

//! Members, centre, polygon and area of a cluster made of the point indices \a indices.
ClusterRecord describeMembers( const ClusterPoints &points, std::vector<uint32_t> indices, const ClusterRunSpec &spec, double buffer,
                               const QgsGeometry &gridPolygon = QgsGeometry() )
{
  ClusterRecord record;
  std::sort( indices.begin(), indices.end() );
  NnhCluster shape;
  shape.incidents = indices;
  describeCluster( shape, points );
  record.centre = shape.meanCentre;
  for ( uint32_t i : indices )
    record.fids.push_back( points.ids[i] );
  std::sort( record.fids.begin(), record.fids.end() );
  if ( spec.shape == ClusterShape::Ellipse && !shape.ellipse.isNull() && shape.ellipseArea > 0 )
    record.polygon = shape.ellipse;
  else if ( !gridPolygon.isNull() )
    record.polygon = buffer > 0 ? gridPolygon.buffer( buffer, 8 ) : gridPolygon;
  else
  {
    // A hull of one or two incidents is a point or a line: it needs some buffer to be an area.
    record.polygon = shape.convexHull.buffer( buffer > 0 ? buffer : 1.0, 8 );
  }
  record.area = record.polygon.area();
  return record;
}

//! Contiguous groups (queen neighbours) of the cells with a non-negative \a group, same group only; numbered by lowest cell.
std::vector<int> cellComponents( const GridSpec &grid, const std::vector<int> &group, int *count )
{
  const std::size_t n = grid.cellCount();
  std::vector<int> component( n, -1 );
  int next = 0;
  std::vector<std::size_t> stack;
  for ( std::size_t start = 0; start < n; ++start )
  {
    if ( group[start] < 0 || component[start] >= 0 )
      continue;
    component[start] = next;
    stack.assign( 1, start );
    while ( !stack.empty() )
    {
      const std::size_t c = stack.back();
      stack.pop_back();
      const int col = static_cast<int>( c % grid.columns ), row = static_cast<int>( c / grid.columns );
      for ( int dy = -1; dy <= 1; ++dy )
        for ( int dx = -1; dx <= 1; ++dx )
        {
          const int x = col + dx, y = row + dy;
          if ( x < 0 || y < 0 || x >= grid.columns || y >= grid.rows )
            continue;
          const std::size_t nc = static_cast<std::size_t>( y ) * grid.columns + x;
          if ( component[nc] < 0 && group[nc] == group[c] )
          {
            component[nc] = next;
            stack.push_back( nc );
          }
        }
    }
    ++next;
  }
  *count = next;
  return component;
}

//! Clusters of grid cells: the points in each component's cells, the union of the cells as polygon.
void gridClusters( ClusterAnalysis &a, const ClusterPoints &points, const std::vector<int> &component, int count,
                   const std::function<QString( const std::vector<std::size_t> & )> &detail )
{
  std::vector<std::vector<std::size_t>> cellsOf( count );
  for ( std::size_t c = 0; c < component.size(); ++c )
    if ( component[c] >= 0 )
      cellsOf[component[c]].push_back( c );
  std::vector<std::vector<uint32_t>> membersOf( count );
  for ( std::size_t i = 0; i < points.size(); ++i )
  {
    const long long c = a.grid.cellOf( points.x[i], points.y[i] );
    if ( c >= 0 && component[c] >= 0 )
      membersOf[component[c]].push_back( static_cast<uint32_t>( i ) );
  }
  for ( int k = 0; k < count; ++k )
  {
    if ( membersOf[k].empty() )
      continue; // a hot cell without events of its own (its neighbours made it hot) forms no cluster alone
    QVector<QgsGeometry> rects;
    for ( std::size_t c : cellsOf[k] )
      rects << QgsGeometry::fromRect( a.grid.cellRect( c ) );
    ClusterRecord r = describeMembers( points, membersOf[k], a.spec, a.bufferUsed, QgsGeometry::unaryUnion( rects ) );
    r.id = static_cast<int>( a.clusters.size() );
    r.label = QStringLiteral( "C%1" ).arg( r.id + 1 );
    r.detail = detail( cellsOf[k] );
    a.clusters.push_back( std::move( r ) );
  }
}

void fromDbscan( ClusterAnalysis &a, const ClusterPoints &points, const DbscanResult &r )
{
  a.summary = r.toJson();
  a.bufferUsed = a.spec.buffer >= 0 ? a.spec.buffer : a.spec.dbscan.eps;
  std::vector<std::vector<uint32_t>> members( r.clusterCount );
  std::vector<int> cores( r.clusterCount, 0 );
  for ( std::size_t i = 0; i < r.labels.size(); ++i )
    if ( r.labels[i] >= 0 )
    {
      members[r.labels[i]].push_back( static_cast<uint32_t>( i ) );
      cores[r.labels[i]] += r.isCore[i];
    }
  for ( int k = 0; k < r.clusterCount; ++k )
  {
    ClusterRecord c = describeMembers( points, members[k], a.spec, a.bufferUsed );
    c.id = k;
    c.label = QStringLiteral( "C%1" ).arg( k + 1 );
    c.detail = QObject::tr( "%1 core, %2 border points" ).arg( cores[k] ).arg( members[k].size() - cores[k] );
    a.clusters.push_back( std::move( c ) );
  }
}

void fromNnh( ClusterAnalysis &a, const ClusterPoints &points, const NnhResult &r )
{
  a.spec.nnh.studyArea = r.parameters.studyArea; // the city boundary's area when none was given
  a.summary = r.toJson();
  // The polygons live in the tables; the summary keeps the numbers.
  QJsonArray clusters = a.summary.value( QStringLiteral( "clusters" ) ).toArray();
  for ( int i = 0; i < clusters.size(); ++i )
  {
    QJsonObject c = clusters[i].toObject();
    c.remove( QStringLiteral( "hull_wkt" ) );
    c.remove( QStringLiteral( "ellipse_wkt" ) );
    clusters[i] = c;
  }
  a.summary[QStringLiteral( "clusters" )] = clusters;
  a.bufferUsed = a.spec.buffer >= 0 ? a.spec.buffer : ( r.orders.empty() ? 0.0 : r.orders.front().threshold );
  for ( const NnhCluster &n : r.clusters )
  {
    ClusterRecord c = describeMembers( points, n.incidents, a.spec, a.bufferUsed );
    c.id = static_cast<int>( a.clusters.size() );
    c.order = n.order;
    c.label = n.order == 1 ? QStringLiteral( "C%1" ).arg( n.id + 1 ) : QStringLiteral( "O%1-C%2" ).arg( n.order ).arg( n.id + 1 );
    c.detail = n.ellipseArea > 0 ? QObject::tr( "order %1, ellipse %2 × %3" ).arg( n.order ).arg( 2 * n.ellipseMajor, 0, 'f', 0 ).arg( 2 * n.ellipseMinor, 0, 'f', 0 )
                                 : QObject::tr( "order %1" ).arg( n.order );
    a.clusters.push_back( std::move( c ) );
  }
}

void fromKnox( ClusterAnalysis &a, const ClusterPoints &points, const KnoxResult &r )
{
  a.summary = r.toJson();
  const KnoxParameters &k = a.spec.knox;
  a.bufferUsed = a.spec.buffer >= 0 ? a.spec.buffer : ( k.chainDistance > 0 ? k.chainDistance : k.spatialBandwidth );
  for ( const NearRepeatChain &chain : r.chains )
  {
    if ( chain.events.size() < 2 )
      continue;
    std::vector<uint32_t> byTime = chain.events;
    std::stable_sort( byTime.begin(), byTime.end(), [&points]( uint32_t i, uint32_t j )
                      { return points.t[i] < points.t[j]; } );
    QVector<double> xs, ys;
    ClusterChain line;
    line.id = chain.id;
    for ( uint32_t i : byTime )
    {
      xs << points.x[i];
      ys << points.y[i];
    }
    line.events = static_cast<int>( byTime.size() );
    line.line = QgsGeometry( new QgsLineString( xs, ys ) );
    line.firstSeconds = chain.firstTime;
    line.lastSeconds = chain.lastTime;
    a.chains.push_back( std::move( line ) );
    if ( static_cast<int>( chain.events.size() ) < a.spec.minimumChainEvents )
      continue;
    ClusterRecord c = describeMembers( points, chain.events, a.spec, a.bufferUsed );
    c.id = static_cast<int>( a.clusters.size() );
    c.label = QStringLiteral( "C%1" ).arg( c.id + 1 );
    c.detail = QObject::tr( "chain %1: %2 events over %3 days" ).arg( chain.id + 1 ).arg( chain.events.size() ).arg( ( chain.lastTime - chain.firstTime ) / kDay, 0, 'f', 1 );
    a.clusters.push_back( std::move( c ) );
  }
}

ClusterCell gridCell( const GridSpec &grid, std::size_t c, double count )
{
  ClusterCell cell;
  cell.cell = static_cast<qint64>( c );
  cell.column = static_cast<int>( c % grid.columns );
  cell.row = static_cast<int>( c / grid.columns );
  cell.count = count;
  return cell;
}

void fromGiStar( ClusterAnalysis &a, const ClusterPoints &points, const GiStarResult &r )
{
  a.summary = r.toJson();
  a.grid = r.grid;
  a.bufferUsed = std::max( 0.0, a.spec.buffer );
  std::vector<int> group( r.grid.cellCount(), -1 );
  for ( std::size_t c = 0; c < r.grid.cellCount(); ++c )
  {
    if ( r.counts[c] > 0 || r.bin[c] != 0 )
    {
      ClusterCell cell = gridCell( r.grid, c, r.counts[c] );
      cell.z = r.z[c];
      cell.p = r.p[c];
      cell.bin = r.bin[c];
      a.cells.push_back( cell );
    }
    if ( r.bin[c] >= a.spec.minimumBin )
      group[c] = 0;
  }
  int count = 0;
  const std::vector<int> component = cellComponents( r.grid, group, &count );
  gridClusters( a, points, component, count, [&r]( const std::vector<std::size_t> &cells )
                {
    double maxZ = -1e300;
    for ( std::size_t c : cells )
      maxZ = std::max( maxZ, r.z[c] );
    return QObject::tr( "%1, max z %2" ).arg( countPhrase( static_cast<qint64>( cells.size() ), QObject::tr( "1 hot cell" ), QObject::tr( "%1 hot cells" ) ) ).arg( maxZ, 0, 'f', 2 ); } );
}

void fromPersistence( ClusterAnalysis &a, const ClusterPoints &points, const PersistenceResult &r )
{
  a.spec.persistence = r.parameters; // with the extent every period used
  a.summary = r.toJson();
  a.grid = r.grid;
  a.bufferUsed = std::max( 0.0, a.spec.buffer );
  std::vector<int> group( r.grid.cellCount(), -1 );
  for ( std::size_t c = 0; c < r.grid.cellCount(); ++c )
  {
    if ( r.totalCounts[c] > 0 || r.classes[c] != PersistenceClass::None )
    {
      ClusterCell cell = gridCell( r.grid, c, r.totalCounts[c] );
      cell.persistence = r.classes[c];
      cell.hotPeriods = r.hotPeriods[c];
      cell.hotEarlier = r.hotEarlier[c];
      cell.hotRecent = r.hotRecent[c];
      a.cells.push_back( cell );
    }
    if ( r.classes[c] != PersistenceClass::None )
      group[c] = static_cast<int>( r.classes[c] );
  }
  int count = 0;
  const std::vector<int> component = cellComponents( r.grid, group, &count );
  gridClusters( a, points, component, count, [&r]( const std::vector<std::size_t> &cells )
                { return QStringLiteral( "%1, %2" ).arg( persistenceClassName( r.classes[cells.front()] ), countPhrase( static_cast<qint64>( cells.size() ), QObject::tr( "1 cell" ), QObject::tr( "%1 cells" ) ) ); } );
}

double jsonNumber( const QJsonObject &o, const char *key, double fallback )
{
  const QJsonValue v = o.value( QLatin1String( key ) );
  return v.isDouble() ? v.toDouble() : fallback;
}

quint64 jsonSeed( const QJsonObject &o, quint64 fallback )
{
  bool ok = false;
  const quint64 v = o.value( QStringLiteral( "seed" ) ).toString().toULongLong( &ok );
  return ok ? v : fallback;
}

GiStarParameters giStarFromJson( const QJsonObject &o )
{
  GiStarParameters g;
  g.cellSize = jsonNumber( o, "cell_size", g.cellSize );
  g.band = jsonNumber( o, "band", g.band );
  g.fdr = o.value( QStringLiteral( "fdr" ) ).toBool( g.fdr );
  const QJsonArray e = o.value( QStringLiteral( "extent" ) ).toArray();
  if ( e.size() == 4 )
    g.extent = QgsRectangle( e[0].toDouble(), e[1].toDouble(), e[2].toDouble(), e[3].toDouble() );
  return g;
}
} // namespace

QString clusterMethodName( ClusterMethod method )
{
  for ( const auto &m : methodNames() )
    if ( m.first == method )
      return QString::fromLatin1( m.second );
  return QString();
}

QString clusterMethodTitle( ClusterMethod method )
{
  switch ( method )
  {
    case ClusterMethod::Dbscan:
      return QObject::tr( "DBSCAN" );
    case ClusterMethod::StDbscan:
      return QObject::tr( "Space-time DBSCAN" );
    case ClusterMethod::Nnh:
      return QObject::tr( "Nearest-neighbour hierarchical (NNH)" );
    case ClusterMethod::Knox:
      return QObject::tr( "Near repeat (Knox test)" );
    case ClusterMethod::GiStar:
      return QObject::tr( "Getis-Ord Gi* hot spots" );
    case ClusterMethod::Persistence:
      return QObject::tr( "Hot-spot persistence" );
  }
  return QString();
}

bool parseClusterMethod( const QString &text, ClusterMethod *method )
{
  for ( const auto &m : methodNames() )
    if ( text.compare( QLatin1String( m.second ), Qt::CaseInsensitive ) == 0 )
    {
      *method = m.first;
      return true;
    }
  return false;
}

bool clusterMethodNeedsTime( ClusterMethod method )
{
  return method == ClusterMethod::StDbscan || method == ClusterMethod::Knox || method == ClusterMethod::Persistence;
}

QString ClusterRunSpec::effectiveTimeColumn() const
{
  return timeColumn.isEmpty() ? defaultTimeColumn( layer ) : timeColumn;
}

QString ClusterRunSpec::whereClause() const
{
  QStringList parts;
  if ( !filter.trimmed().isEmpty() )
    parts << QStringLiteral( "(%1)" ).arg( filter.trimmed() );
  const QString column = effectiveTimeColumn();
  // Stored date-times start with the local date: comparing text compares local dates.
  if ( !column.isEmpty() && from.isValid() )
    parts << QStringLiteral( "\"%1\" >= '%2'" ).arg( column, from.toString( Qt::ISODate ) );
  if ( !column.isEmpty() && to.isValid() )
    parts << QStringLiteral( "\"%1\" < '%2'" ).arg( column, to.addDays( 1 ).toString( Qt::ISODate ) );
  return parts.join( QLatin1String( " AND " ) );
}

QString ClusterRunSpec::describe() const
{
  QString params;
  switch ( method )
  {
    case ClusterMethod::Dbscan:
      params = QObject::tr( "eps %1, min %2" ).arg( number( dbscan.eps ) ).arg( dbscan.minPoints );
      break;
    case ClusterMethod::StDbscan:
      params = QObject::tr( "eps %1, %2 days, min %3" ).arg( number( dbscan.eps ), number( dbscan.epsSeconds / kDay ) ).arg( dbscan.minPoints );
      break;
    case ClusterMethod::Nnh:
      params = nnh.fixedDistance > 0 ? QObject::tr( "fixed %1, min %2" ).arg( number( nnh.fixedDistance ) ).arg( nnh.minPoints )
                                     : QObject::tr( "p %1, min %2" ).arg( number( nnh.pValue ) ).arg( nnh.minPoints );
      break;
    case ClusterMethod::Knox:
      params = QObject::tr( "%1 × %2, %3 days × %4, %5 iterations" ).arg( number( knox.spatialBandwidth ) ).arg( knox.spatialBands ).arg( number( knox.temporalBandwidthDays ) ).arg( knox.temporalBands ).arg( knox.iterations );
      break;
    case ClusterMethod::GiStar:
      params = QObject::tr( "cell %1%2" ).arg( number( giStar.cellSize ), giStar.fdr ? QObject::tr( ", FDR" ) : QString() );
      break;
    case ClusterMethod::Persistence:
      params = QObject::tr( "cell %1, %2-day periods" ).arg( number( persistence.giStar.cellSize ), number( persistence.periodDays ) );
      break;
  }
  QStringList parts{ QStringLiteral( "%1 %2" ).arg( clusterMethodTitle( method ), params ) };
  parts << ( filter.trimmed().isEmpty() ? layer : QStringLiteral( "%1: %2" ).arg( layer, filter.trimmed() ) );
  if ( from.isValid() || to.isValid() )
    parts << QStringLiteral( "%1 – %2" ).arg( from.isValid() ? from.toString( Qt::ISODate ) : QObject::tr( "start" ), to.isValid() ? to.toString( Qt::ISODate ) : QObject::tr( "end" ) );
  return parts.join( QStringLiteral( " · " ) );
}

quint64 ClusterRunSpec::seed() const
{
  if ( method == ClusterMethod::Knox )
    return knox.seed;
  if ( method == ClusterMethod::Nnh && nnh.monteCarloRuns > 0 )
    return nnh.seed;
  return 0;
}

QJsonObject ClusterRunSpec::toJson() const
{
  DbscanParameters db = dbscan;
  if ( method != ClusterMethod::StDbscan )
    db.epsSeconds = -1;
  return QJsonObject{ { QStringLiteral( "method" ), clusterMethodName( method ) },
                      { QStringLiteral( "layer" ), layer },
                      { QStringLiteral( "filter" ), filter },
                      { QStringLiteral( "from" ), from.isValid() ? from.toString( Qt::ISODate ) : QString() },
                      { QStringLiteral( "to" ), to.isValid() ? to.toString( Qt::ISODate ) : QString() },
                      { QStringLiteral( "time_column" ), effectiveTimeColumn() },
                      { QStringLiteral( "shape" ), shape == ClusterShape::Ellipse ? QStringLiteral( "ellipse" ) : QStringLiteral( "hull" ) },
                      { QStringLiteral( "buffer" ), buffer },
                      { QStringLiteral( "environment_distance" ), environmentDistance },
                      { QStringLiteral( "minimum_bin" ), minimumBin },
                      { QStringLiteral( "minimum_chain_events" ), minimumChainEvents },
                      { QStringLiteral( "dbscan" ), db.toJson() },
                      { QStringLiteral( "nnh" ), nnh.toJson() },
                      { QStringLiteral( "knox" ), knox.toJson() },
                      { QStringLiteral( "gistar" ), giStar.toJson() },
                      { QStringLiteral( "persistence" ), persistence.toJson() } };
}

bool ClusterRunSpec::fromJson( const QJsonObject &json, ClusterRunSpec *spec, QString *error )
{
  ClusterRunSpec s;
  if ( !parseClusterMethod( json.value( QStringLiteral( "method" ) ).toString(), &s.method ) )
  {
    if ( error )
      *error = QObject::tr( "unknown clustering method '%1'" ).arg( json.value( QStringLiteral( "method" ) ).toString() );
    return false;
  }
  s.layer = json.value( QStringLiteral( "layer" ) ).toString( s.layer );
  s.filter = json.value( QStringLiteral( "filter" ) ).toString();
  s.from = QDate::fromString( json.value( QStringLiteral( "from" ) ).toString(), Qt::ISODate );
  s.to = QDate::fromString( json.value( QStringLiteral( "to" ) ).toString(), Qt::ISODate );
  s.timeColumn = json.value( QStringLiteral( "time_column" ) ).toString();
  s.shape = json.value( QStringLiteral( "shape" ) ).toString() == QLatin1String( "ellipse" ) ? ClusterShape::Ellipse : ClusterShape::BufferedHull;
  s.buffer = jsonNumber( json, "buffer", s.buffer );
  s.environmentDistance = jsonNumber( json, "environment_distance", s.environmentDistance );
  s.minimumBin = json.value( QStringLiteral( "minimum_bin" ) ).toInt( s.minimumBin );
  s.minimumChainEvents = json.value( QStringLiteral( "minimum_chain_events" ) ).toInt( s.minimumChainEvents );

  const QJsonObject db = json.value( QStringLiteral( "dbscan" ) ).toObject();
  s.dbscan.eps = jsonNumber( db, "eps", s.dbscan.eps );
  s.dbscan.minPoints = db.value( QStringLiteral( "min_points" ) ).toInt( s.dbscan.minPoints );
  s.dbscan.epsSeconds = jsonNumber( db, "eps_seconds", -1 );

  const QJsonObject nn = json.value( QStringLiteral( "nnh" ) ).toObject();
  s.nnh.studyArea = jsonNumber( nn, "study_area", 0 );
  s.nnh.pValue = jsonNumber( nn, "p", s.nnh.pValue );
  s.nnh.fixedDistance = jsonNumber( nn, "fixed_distance", 0 );
  s.nnh.minPoints = nn.value( QStringLiteral( "min_points" ) ).toInt( s.nnh.minPoints );
  s.nnh.maxOrder = nn.value( QStringLiteral( "max_order" ) ).toInt( s.nnh.maxOrder );
  s.nnh.monteCarloRuns = nn.value( QStringLiteral( "monte_carlo_runs" ) ).toInt( 0 );
  s.nnh.seed = jsonSeed( nn, s.nnh.seed );

  const QJsonObject kx = json.value( QStringLiteral( "knox" ) ).toObject();
  s.knox.spatialBandwidth = jsonNumber( kx, "spatial_bandwidth", s.knox.spatialBandwidth );
  s.knox.spatialBands = kx.value( QStringLiteral( "spatial_bands" ) ).toInt( s.knox.spatialBands );
  s.knox.temporalBandwidthDays = jsonNumber( kx, "temporal_bandwidth_days", s.knox.temporalBandwidthDays );
  s.knox.temporalBands = kx.value( QStringLiteral( "temporal_bands" ) ).toInt( s.knox.temporalBands );
  s.knox.iterations = kx.value( QStringLiteral( "iterations" ) ).toInt( s.knox.iterations );
  s.knox.seed = jsonSeed( kx, s.knox.seed );
  s.knox.nrcCompatible = kx.value( QStringLiteral( "nrc_compatible" ) ).toBool( false );
  s.knox.chainDistance = jsonNumber( kx, "chain_distance", 0 );
  s.knox.chainDays = jsonNumber( kx, "chain_days", 0 );

  s.giStar = giStarFromJson( json.value( QStringLiteral( "gistar" ) ).toObject() );
  const QJsonObject ps = json.value( QStringLiteral( "persistence" ) ).toObject();
  s.persistence.giStar = giStarFromJson( ps.value( QStringLiteral( "gistar" ) ).toObject() );
  s.persistence.periodDays = jsonNumber( ps, "period_days", s.persistence.periodDays );
  s.persistence.startSeconds = jsonNumber( ps, "start_seconds", s.persistence.startSeconds );
  s.persistence.recentPeriods = ps.value( QStringLiteral( "recent_periods" ) ).toInt( 0 );
  s.persistence.minimumBin = ps.value( QStringLiteral( "minimum_bin" ) ).toInt( s.persistence.minimumBin );
  *spec = s;
  return true;
}

const ClusterRecord *ClusterAnalysis::cluster( int id ) const
{
  for ( const ClusterRecord &c : clusters )
    if ( c.id == id )
      return &c;
  return nullptr;
}

QJsonObject ClusterAnalysis::toJson() const
{
  QJsonObject o = summary;
  o[QStringLiteral( "run" )] = QJsonObject{ { QStringLiteral( "id" ), runId },
                                            { QStringLiteral( "name" ), name },
                                            { QStringLiteral( "created_at" ), createdAt },
                                            { QStringLiteral( "spec" ), spec.toJson() },
                                            { QStringLiteral( "description" ), spec.describe() } };
  QJsonArray list;
  for ( const ClusterRecord &c : clusters )
  {
    QJsonObject item{ { QStringLiteral( "id" ), c.id + 1 },
                      { QStringLiteral( "label" ), c.label },
                      { QStringLiteral( "order" ), c.order },
                      { QStringLiteral( "incidents" ), static_cast<qint64>( c.fids.size() ) },
                      { QStringLiteral( "area" ), c.area },
                      { QStringLiteral( "centre_x" ), c.centre.x() },
                      { QStringLiteral( "centre_y" ), c.centre.y() },
                      { QStringLiteral( "detail" ), c.detail } };
    if ( c.hasCard )
      item[QStringLiteral( "card" )] = c.card.toJson();
    list.append( item );
  }
  o[QStringLiteral( "cluster_list" )] = list;
  o[QStringLiteral( "input_points" )] = inputPoints;
  if ( skippedRows )
    o[QStringLiteral( "skipped_rows" )] = skippedRows;
  o[QStringLiteral( "grid_cells" )] = static_cast<qint64>( cells.size() );
  o[QStringLiteral( "timings" )] = QJsonObject{ { QStringLiteral( "read_seconds" ), readSeconds },
                                                { QStringLiteral( "analysis_seconds" ), analysisSeconds },
                                                { QStringLiteral( "card_seconds" ), cardSeconds } };
  o[QStringLiteral( "chain_lines" )] = static_cast<qint64>( chains.size() );
  return o;
}

ClusterAnalysis analyseClusters( const ClusterPoints &points, const ClusterRunSpec &spec, const QgsGeometry &studyArea, QgsFeedback *feedback )
{
  ClusterAnalysis a;
  a.spec = spec;
  a.inputPoints = static_cast<qint64>( points.size() );
  if ( points.size() == 0 )
  {
    a.errorString = QObject::tr( "no points to cluster (check the layer, the filter and the dates)" );
    return a;
  }
  if ( clusterMethodNeedsTime( spec.method ) && !points.hasTime() )
  {
    a.errorString = QObject::tr( "%1 needs a time for every event" ).arg( clusterMethodTitle( spec.method ) );
    return a;
  }
  StepFeedback engine( feedback, 0, 85 );
  bool ok = false, canceled = false;
  QString error;
  // Takes an engine's result and lets \a describe turn it into clusters.
  auto finish = [&]( const auto &r, const auto &describe )
  {
    ok = r.ok;
    canceled = r.canceled;
    error = r.errorString;
    if ( ok )
      describe( a, points, r );
  };
  switch ( spec.method )
  {
    case ClusterMethod::Dbscan:
    case ClusterMethod::StDbscan:
    {
      DbscanParameters p = spec.dbscan;
      if ( spec.method == ClusterMethod::Dbscan )
        p.epsSeconds = -1;
      else if ( p.epsSeconds < 0 )
      {
        a.errorString = QObject::tr( "space-time DBSCAN needs a time window" );
        return a;
      }
      finish( runDbscan( points, p, &engine ), fromDbscan );
      break;
    }
    case ClusterMethod::Nnh:
    {
      NnhParameters p = spec.nnh;
      p.studyAreaGeometry = studyArea; // its area is the study area when none is given
      finish( runNnh( points, p, &engine ), fromNnh );
      break;
    }
    case ClusterMethod::Knox:
      finish( runKnox( points, spec.knox, &engine ), fromKnox );
      break;
    case ClusterMethod::GiStar:
      finish( runGiStar( points, spec.giStar, &engine ), fromGiStar );
      break;
    case ClusterMethod::Persistence:
      finish( runPersistence( points, spec.persistence, &engine ), fromPersistence );
      break;
  }
  a.canceled = canceled || engine.isCanceled();
  if ( !ok || a.canceled )
  {
    a.errorString = a.canceled ? QObject::tr( "Cancelled." ) : error;
    a.clusters.clear();
    return a;
  }
  if ( feedback )
    feedback->setProgress( 100 );
  a.ok = true;
  return a;
}

PersistenceLookup persistenceLookup( const ClusterAnalysis &analysis )
{
  PersistenceLookup lookup;
  if ( analysis.spec.method != ClusterMethod::Persistence )
    return lookup;
  lookup.runId = analysis.runId;
  lookup.grid = analysis.grid;
  for ( const ClusterCell &c : analysis.cells )
    if ( c.persistence != PersistenceClass::None )
      lookup.classes.emplace( c.cell, c.persistence );
  return lookup;
}

ClusterCardOptions cardOptions( ProjectFile &project, const ClusterRunSpec &spec )
{
  ClusterCardOptions options;
  options.layer = spec.layer;
  options.timeColumn = spec.effectiveTimeColumn();
  options.environmentDistance = spec.environmentDistance;
  options.timeZone = project.timeZone();
  return options;
}

ClusterAnalysis runClusterAnalysis( ProjectFile &project, const ClusterRunSpec &spec, QgsFeedback *feedback )
{
  ClusterAnalysis failed;
  failed.spec = spec;
  SqliteDatabase &db = project.database();
  LayerPointSource source;
  source.layer = spec.layer;
  source.filter = spec.whereClause();
  if ( clusterMethodNeedsTime( spec.method ) )
  {
    source.timeColumn = spec.effectiveTimeColumn();
    if ( source.timeColumn.isEmpty() )
    {
      failed.errorString = QObject::tr( "the layer '%1' has no time column for %2" ).arg( spec.layer, clusterMethodTitle( spec.method ) );
      return failed;
    }
  }
  ClusterPoints points;
  std::size_t skipped = 0;
  QElapsedTimer timer;
  timer.start();
  if ( !readLayerPoints( db, source, points, &failed.errorString, &skipped ) )
    return failed;
  const double readSeconds = timer.nsecsElapsed() / 1e9;
  if ( feedback )
  {
    if ( feedback->isCanceled() )
    {
      failed.canceled = true;
      failed.errorString = QObject::tr( "Cancelled." );
      return failed;
    }
    feedback->setProgress( 10 );
  }
  QgsGeometry studyArea;
  if ( spec.method == ClusterMethod::Nnh && ( ( spec.nnh.studyArea <= 0 && spec.nnh.fixedDistance <= 0 ) || spec.nnh.monteCarloRuns > 0 ) )
  {
    studyArea = readCityBoundary( db );
    if ( studyArea.isNull() && spec.nnh.studyArea <= 0 && spec.nnh.fixedDistance <= 0 )
    {
      failed.errorString = QObject::tr( "the project has no city boundary (boundaries of kind 'city') for NNH's study area; give a study area or a fixed distance" );
      return failed;
    }
  }

  StepFeedback analysisFeedback( feedback, 10, 70 );
  timer.restart();
  ClusterAnalysis a = analyseClusters( points, spec, studyArea, &analysisFeedback );
  a.analysisSeconds = timer.nsecsElapsed() / 1e9;
  a.readSeconds = readSeconds;
  a.skippedRows = static_cast<qint64>( skipped );
  if ( !a.ok )
    return a;

  timer.restart();
  ClusterCardOptions options = cardOptions( project, a.spec );
  a.environment = ClusterEnvironment::load( db, &a.errorString );
  if ( !a.environment )
  {
    a.ok = false;
    return a;
  }
  options.environment = a.environment.get();
  const PersistenceLookup lookup = spec.method == ClusterMethod::Persistence ? persistenceLookup( a ) : loadPersistenceLookup( db, spec.layer );
  options.persistence = &lookup;
  for ( std::size_t i = 0; i < a.clusters.size(); ++i )
  {
    if ( feedback )
    {
      if ( feedback->isCanceled() )
      {
        a.ok = false;
        a.canceled = true;
        a.errorString = QObject::tr( "Cancelled." );
        return a;
      }
      feedback->setProgress( 70 + 30.0 * i / a.clusters.size() );
    }
    ClusterRecord &c = a.clusters[i];
    QString error;
    if ( !computeClusterCard( db, c.fids, c.polygon, options, &c.card, &error ) )
    {
      a.ok = false;
      a.errorString = error;
      return a;
    }
    c.hasCard = true;
  }
  a.cardSeconds = timer.nsecsElapsed() / 1e9;
  if ( feedback )
    feedback->setProgress( 100 );
  return a;
}

} // namespace statdesk::clustering
