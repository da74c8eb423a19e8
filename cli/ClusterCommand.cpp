// statdesk-cli cluster: the Task Force clustering engines on a project layer or a CSV file.
#include "Command.h"
#include "clustering/ClusterLayers.h"
#include "clustering/ClusterStore.h"
#include "clustering/Dbscan.h"
#include "clustering/GetisOrd.h"
#include "clustering/NearRepeat.h"
#include "clustering/NearestNeighbourHierarchical.h"
#include "clustering/Persistence.h"
#include "clustering/PointReader.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

#include <charconv>
#include <string>
#include <cmath>

namespace statdesk::cli
{

using namespace statdesk::clustering;

namespace
{
/**
 * A CSV file written through QSaveFile (complete or not at all), row by row into a buffer that is
 * written every 256 KiB; numbers in their shortest exact form (std::to_chars). A million rows
 * through QString or snprintf cost about as much as the clustering itself.
 */
class CsvWriter
{
  public:
    explicit CsvWriter( const QString &path )
      : mFile( path )
    {
    }
    bool open( const QByteArray &header, QString *error )
    {
      if ( !mFile.open( QIODevice::WriteOnly ) )
        return fail( error );
      mOut.assign( header.constData(), static_cast<std::size_t>( header.size() ) );
      mOut += '\n';
      return true;
    }
    template <typename T>
    CsvWriter &number( T v )
    {
      separator();
      char buffer[64];
      const auto r = std::to_chars( buffer, buffer + sizeof buffer, v );
      mOut.append( buffer, r.ptr );
      return *this;
    }
    CsvWriter &text( const QString &v )
    {
      separator();
      mOut += v.toStdString();
      return *this;
    }
    //! An empty field.
    CsvWriter &empty()
    {
      separator();
      return *this;
    }
    void endRow()
    {
      mOut += '\n';
      mFirst = true;
      if ( mOut.size() >= kChunk )
        flush();
    }
    bool commit( QString *error )
    {
      flush();
      return mFile.commit() || fail( error );
    }

  private:
    static constexpr std::size_t kChunk = 256 * 1024;
    void separator()
    {
      if ( !mFirst )
        mOut += ',';
      mFirst = false;
    }
    void flush()
    {
      mFile.write( mOut.data(), static_cast<qint64>( mOut.size() ) );
      mOut.clear();
    }
    bool fail( QString *error ) const
    {
      *error = QStringLiteral( "cannot write %1: %2" ).arg( mFile.fileName(), mFile.errorString() );
      return false;
    }
    QSaveFile mFile;
    std::string mOut;
    bool mFirst = true;
};
} // namespace

class ClusterCommand : public Command
{
public:
  QString name() const override { return QStringLiteral( "cluster" ); }
  QString summary() const override { return QStringLiteral( "DBSCAN, ST-DBSCAN, NNH, Knox near repeat, Gi* hot spots and persistence on points." ); }

  void configure( QCommandLineParser &parser ) const override
  {
    auto opt = [&parser]( const QString &name, const QString &help, const QString &value = QString() )
    {
      parser.addOption( value.isEmpty() ? QCommandLineOption( name, help ) : QCommandLineOption( name, help, value ) );
    };
    opt( QStringLiteral( "method" ), QStringLiteral( "dbscan | stdbscan | nnh | knox | gistar | persistence." ), QStringLiteral( "M" ) );
    opt( QStringLiteral( "project" ), QStringLiteral( "Project file (.gpkg) to read points from." ), QStringLiteral( "P.gpkg" ) );
    opt( QStringLiteral( "layer" ), QStringLiteral( "Project point layer (default incidents)." ), QStringLiteral( "NAME" ) );
    opt( QStringLiteral( "filter" ), QStringLiteral( "SQL filter on the layer, e.g. \"violent = 1\"." ), QStringLiteral( "EXPR" ) );
    opt( QStringLiteral( "time-column" ), QStringLiteral( "Layer time column (default occurred_at)." ), QStringLiteral( "COL" ) );
    opt( QStringLiteral( "input" ), QStringLiteral( "CSV file to read points from instead of a project." ), QStringLiteral( "F.csv" ) );
    opt( QStringLiteral( "x" ), QStringLiteral( "CSV x column." ), QStringLiteral( "COL" ) );
    opt( QStringLiteral( "y" ), QStringLiteral( "CSV y column." ), QStringLiteral( "COL" ) );
    opt( QStringLiteral( "t" ), QStringLiteral( "CSV time column (ISO date-time or numeric seconds)." ), QStringLiteral( "COL" ) );
    opt( QStringLiteral( "eps" ), QStringLiteral( "DBSCAN / ST-DBSCAN distance, inclusive (layer units)." ), QStringLiteral( "D" ) );
    opt( QStringLiteral( "eps-days" ), QStringLiteral( "ST-DBSCAN time window in days, inclusive." ), QStringLiteral( "DAYS" ) );
    opt( QStringLiteral( "min" ), QStringLiteral( "Minimum points, the point itself included (DBSCAN default 5, NNH default 10)." ), QStringLiteral( "N" ) );
    opt( QStringLiteral( "labels" ), QStringLiteral( "Write one row per input point with its cluster id (empty for noise): dbscan, stdbscan, nnh (first order), knox (chain)." ), QStringLiteral( "OUT.csv" ) );
    opt( QStringLiteral( "cells" ), QStringLiteral( "gistar / persistence: write the grid cells (id, bounds, count, z, p, bin or class) to a CSV." ), QStringLiteral( "OUT.csv" ) );
    opt( QStringLiteral( "cell" ), QStringLiteral( "gistar / persistence: grid cell size (layer units, default 150)." ), QStringLiteral( "D" ) );
    opt( QStringLiteral( "band" ), QStringLiteral( "gistar / persistence: distance band between cell centres (default cell x sqrt 2 = queen)." ), QStringLiteral( "D" ) );
    opt( QStringLiteral( "fdr" ), QStringLiteral( "gistar / persistence: Benjamini-Hochberg FDR-corrected confidence bins." ) );
    opt( QStringLiteral( "period-days" ), QStringLiteral( "persistence: period length in days (default 28)." ), QStringLiteral( "DAYS" ) );
    opt( QStringLiteral( "recent-periods" ), QStringLiteral( "persistence: how many final periods count as recent (default a quarter)." ), QStringLiteral( "N" ) );
    opt( QStringLiteral( "distance-band" ), QStringLiteral( "knox: spatial band width (default 100)." ), QStringLiteral( "D" ) );
    opt( QStringLiteral( "distance-bands" ), QStringLiteral( "knox: number of spatial bands (default 5)." ), QStringLiteral( "N" ) );
    opt( QStringLiteral( "days-band" ), QStringLiteral( "knox: temporal band width in days (default 14)." ), QStringLiteral( "DAYS" ) );
    opt( QStringLiteral( "day-bands" ), QStringLiteral( "knox: number of temporal bands (default 5)." ), QStringLiteral( "N" ) );
    opt( QStringLiteral( "iterations" ), QStringLiteral( "knox: Monte Carlo permutations (default 999); nnh: Monte Carlo runs (default 0)." ), QStringLiteral( "N" ) );
    opt( QStringLiteral( "seed" ), QStringLiteral( "knox / nnh: random seed (default 1)." ), QStringLiteral( "N" ) );
    opt( QStringLiteral( "nrc" ), QStringLiteral( "knox: Near Repeat Calculator banding [a-1, b)." ) );
    opt( QStringLiteral( "chain-distance" ), QStringLiteral( "knox: near-repeat chain link distance (default the first band)." ), QStringLiteral( "D" ) );
    opt( QStringLiteral( "chain-days" ), QStringLiteral( "knox: near-repeat chain link days (default the first band)." ), QStringLiteral( "DAYS" ) );
    opt( QStringLiteral( "area" ), QStringLiteral( "nnh: study area in squared layer units (default: the project's city boundary)." ), QStringLiteral( "A" ) );
    opt( QStringLiteral( "p" ), QStringLiteral( "nnh: one-tailed threshold probability (default 0.5)." ), QStringLiteral( "P" ) );
    opt( QStringLiteral( "fixed-distance" ), QStringLiteral( "nnh: fixed threshold distance instead of the random expectation." ), QStringLiteral( "D" ) );
    opt( QStringLiteral( "max-order" ), QStringLiteral( "nnh: highest order (default 5)." ), QStringLiteral( "N" ) );
    opt( QStringLiteral( "from" ), QStringLiteral( "Project input: first local date of the time column (YYYY-MM-DD)." ), QStringLiteral( "DATE" ) );
    opt( QStringLiteral( "to" ), QStringLiteral( "Project input: last local date of the time column (YYYY-MM-DD)." ), QStringLiteral( "DATE" ) );
    opt( QStringLiteral( "save" ), QStringLiteral( "Project input: save the run (parameters, clusters with cards, cells, chains) in the project." ) );
    opt( QStringLiteral( "name" ), QStringLiteral( "--save: name of the saved run (default: its description)." ), QStringLiteral( "NAME" ) );
    opt( QStringLiteral( "export" ), QStringLiteral( "Project input: write the clusters with their card attributes to a GeoPackage (.gpkg) or CSV (.csv)." ), QStringLiteral( "F" ) );
    opt( QStringLiteral( "shape" ), QStringLiteral( "--save / --export: cluster polygons as 'hull' (convex hull, buffered) or 'ellipse' (default hull)." ), QStringLiteral( "S" ) );
    opt( QStringLiteral( "buffer" ), QStringLiteral( "--save / --export: hull buffer (default the method's linking distance)." ), QStringLiteral( "D" ) );
    opt( QStringLiteral( "env-distance" ), QStringLiteral( "--save / --export: cards count blight, vacant and dangerous property this close (default 150)." ), QStringLiteral( "D" ) );
    opt( QStringLiteral( "list-runs" ), QStringLiteral( "List the clustering runs saved in --project." ) );
    opt( QStringLiteral( "run" ), QStringLiteral( "With --export: export the saved run ID instead of running a method." ), QStringLiteral( "ID" ) );
    opt( QStringLiteral( "delete-run" ), QStringLiteral( "Delete the saved run ID from --project." ), QStringLiteral( "ID" ) );
    opt( QStringLiteral( "json" ), QStringLiteral( "Print the summary as JSON on stdout." ) );
  }

  //! A CSV input needs none of QGIS's runtime: the reader, the engines and the labels writer are our own code.
  bool needsQgisRuntime( const QCommandLineParser &parser ) const override
  {
    return !parser.isSet( QStringLiteral( "input" ) ) || parser.isSet( QStringLiteral( "project" ) );
  }

  int run( const QCommandLineParser &parser ) override
  {
    mParser = &parser;
    if ( parser.isSet( QStringLiteral( "list-runs" ) ) || parser.isSet( QStringLiteral( "delete-run" ) ) || parser.isSet( QStringLiteral( "run" ) ) )
      return savedRuns( parser );
    const QString method = parser.value( QStringLiteral( "method" ) );
    static const QStringList methods{ QStringLiteral( "dbscan" ), QStringLiteral( "stdbscan" ), QStringLiteral( "nnh" ),
                                      QStringLiteral( "knox" ), QStringLiteral( "gistar" ), QStringLiteral( "persistence" ) };
    if ( !methods.contains( method ) )
      return fail( QStringLiteral( "--method must be one of %1" ).arg( methods.join( QLatin1Char( '|' ) ) ) );
    const bool gridMethod = method == QLatin1String( "gistar" ) || method == QLatin1String( "persistence" );
    if ( gridMethod && parser.isSet( QStringLiteral( "labels" ) ) )
      return fail( QStringLiteral( "%1 results are grid cells: use --cells OUT.csv instead of --labels" ).arg( method ) );
    if ( !gridMethod && parser.isSet( QStringLiteral( "cells" ) ) )
      return fail( QStringLiteral( "--cells is for gistar and persistence; %1 writes --labels" ).arg( method ) );
    const bool needsTime = method == QLatin1String( "stdbscan" ) || method == QLatin1String( "knox" ) || method == QLatin1String( "persistence" );

    // Every numeric option is checked before reading points, so a typo costs nothing.
    bool bad = false;
    QString badMessage;
    auto number = [&]( const QString &name, double fallback, double min = -1e300 )
    {
      if ( !parser.isSet( name ) )
        return fallback;
      bool ok = false;
      const double v = parser.value( name ).toDouble( &ok );
      if ( ( !ok || !std::isfinite( v ) || v < min ) && !bad )
      {
        bad = true;
        badMessage = QStringLiteral( "--%1 '%2' is not a valid number%3" ).arg( name, parser.value( name ), min > -1e300 ? QStringLiteral( " >= %1" ).arg( min ) : QString() );
      }
      return v;
    };
    auto integer = [&]( const QString &name, int fallback, int min )
    {
      const double v = number( name, fallback, min );
      if ( !bad && v != std::floor( v ) )
      {
        bad = true;
        badMessage = QStringLiteral( "--%1 must be a whole number" ).arg( name );
      }
      return static_cast<int>( v );
    };

    DbscanParameters db;
    GiStarParameters gi;
    KnoxParameters kx;
    NnhParameters nn;
    PersistenceParameters ps;
    if ( method == QLatin1String( "dbscan" ) || method == QLatin1String( "stdbscan" ) )
    {
      if ( !parser.isSet( QStringLiteral( "eps" ) ) )
        return fail( QStringLiteral( "--eps is required for %1" ).arg( method ) );
      db.eps = number( QStringLiteral( "eps" ), 0, 0 );
      db.minPoints = integer( QStringLiteral( "min" ), 5, 1 );
      if ( method == QLatin1String( "stdbscan" ) )
      {
        if ( !parser.isSet( QStringLiteral( "eps-days" ) ) )
          return fail( QStringLiteral( "--eps-days is required for stdbscan" ) );
        db.epsSeconds = number( QStringLiteral( "eps-days" ), 0, 0 ) * 86400.0;
      }
      if ( !bad && !( db.eps > 0 ) )
        return fail( QStringLiteral( "--eps must be positive" ) );
    }
    else if ( method == QLatin1String( "gistar" ) || method == QLatin1String( "persistence" ) )
    {
      gi.cellSize = number( QStringLiteral( "cell" ), 150, 0 );
      gi.band = number( QStringLiteral( "band" ), 0, 0 );
      gi.fdr = parser.isSet( QStringLiteral( "fdr" ) );
      ps.giStar = gi;
      ps.periodDays = number( QStringLiteral( "period-days" ), 28, 0 );
      ps.recentPeriods = integer( QStringLiteral( "recent-periods" ), 0, 0 );
      if ( !bad && !( gi.cellSize > 0 ) )
        return fail( QStringLiteral( "--cell must be positive" ) );
    }
    else if ( method == QLatin1String( "knox" ) )
    {
      kx.spatialBandwidth = number( QStringLiteral( "distance-band" ), 100, 0 );
      kx.spatialBands = integer( QStringLiteral( "distance-bands" ), 5, 1 );
      kx.temporalBandwidthDays = number( QStringLiteral( "days-band" ), 14, 0 );
      kx.temporalBands = integer( QStringLiteral( "day-bands" ), 5, 1 );
      kx.iterations = integer( QStringLiteral( "iterations" ), 999, 1 );
      kx.seed = static_cast<quint64>( number( QStringLiteral( "seed" ), 1, 0 ) );
      kx.nrcCompatible = parser.isSet( QStringLiteral( "nrc" ) );
      kx.chainDistance = number( QStringLiteral( "chain-distance" ), 0, 0 );
      kx.chainDays = number( QStringLiteral( "chain-days" ), 0, 0 );
    }
    else if ( method == QLatin1String( "nnh" ) )
    {
      nn.studyArea = number( QStringLiteral( "area" ), 0, 0 );
      nn.pValue = number( QStringLiteral( "p" ), 0.5, 0 );
      nn.fixedDistance = number( QStringLiteral( "fixed-distance" ), 0, 0 );
      nn.minPoints = integer( QStringLiteral( "min" ), 10, 2 );
      nn.maxOrder = integer( QStringLiteral( "max-order" ), 5, 1 );
      nn.monteCarloRuns = integer( QStringLiteral( "iterations" ), 0, 0 );
      nn.seed = static_cast<quint64>( number( QStringLiteral( "seed" ), 1, 0 ) );
    }
    if ( bad )
      return fail( badMessage );

    // Points.
    ClusterPoints points;
    QString error;
    const bool fromProject = parser.isSet( QStringLiteral( "project" ) );
    const bool fromCsv = parser.isSet( QStringLiteral( "input" ) );
    if ( fromProject == fromCsv )
      return fail( QStringLiteral( "give either --project (with --layer) or --input (with --x, --y)" ) );
    std::unique_ptr<ProjectFile> project;
    std::size_t skipped = 0;
    if ( fromCsv )
    {
      CsvPointSource source;
      source.path = parser.value( QStringLiteral( "input" ) );
      source.xColumn = parser.value( QStringLiteral( "x" ) );
      source.yColumn = parser.value( QStringLiteral( "y" ) );
      source.timeColumn = parser.value( QStringLiteral( "t" ) );
      if ( source.xColumn.isEmpty() || source.yColumn.isEmpty() )
        return fail( QStringLiteral( "--input needs --x and --y" ) );
      if ( needsTime && source.timeColumn.isEmpty() )
        return fail( QStringLiteral( "%1 needs a time column: --t COL" ).arg( method ) );
      if ( !readCsvPoints( source, points, &error ) )
        return fail( error );
    }
    else
    {
      const QString path = parser.value( QStringLiteral( "project" ) );
      ClusterRunSpec spec;
      parseClusterMethod( method, &spec.method );
      spec.layer = parser.isSet( QStringLiteral( "layer" ) ) ? parser.value( QStringLiteral( "layer" ) ) : schema::kIncidents;
      spec.filter = parser.value( QStringLiteral( "filter" ) );
      spec.timeColumn = parser.value( QStringLiteral( "time-column" ) );
      for ( const QString &name : { QStringLiteral( "from" ), QStringLiteral( "to" ) } )
      {
        if ( !parser.isSet( name ) )
          continue;
        const QDate d = QDate::fromString( parser.value( name ), Qt::ISODate );
        if ( !d.isValid() )
          return fail( QStringLiteral( "--%1 '%2' is not a date (YYYY-MM-DD)" ).arg( name, parser.value( name ) ) );
        ( name == QLatin1String( "from" ) ? spec.from : spec.to ) = d;
      }
      if ( parser.isSet( QStringLiteral( "save" ) ) || parser.isSet( QStringLiteral( "export" ) ) )
      {
        spec.dbscan = db;
        spec.nnh = nn;
        spec.knox = kx;
        spec.giStar = gi;
        spec.persistence = ps;
        return analyse( parser, path, spec );
      }
      project = ProjectFile::open( path, ProjectFile::Mode::ReadOnly, &error );
      if ( !project )
        return fail( QStringLiteral( "%1: %2" ).arg( path, error ) );
      LayerPointSource source;
      source.layer = spec.layer;
      source.filter = spec.whereClause();
      if ( needsTime )
        source.timeColumn = spec.effectiveTimeColumn();
      if ( !readLayerPoints( project->database(), source, points, &error, &skipped ) )
        return fail( error );
      if ( method == QLatin1String( "nnh" ) && nn.studyArea <= 0 && nn.fixedDistance <= 0 )
      {
        nn.studyAreaGeometry = readCityBoundary( project->database() );
        if ( nn.studyAreaGeometry.isNull() )
          return fail( QStringLiteral( "the project has no city boundary (boundaries kind 'city'); give --area or --fixed-distance" ) );
      }
      else if ( method == QLatin1String( "nnh" ) && nn.monteCarloRuns > 0 )
        nn.studyAreaGeometry = readCityBoundary( project->database() );
    }
    if ( points.size() == 0 )
      return fail( QStringLiteral( "no points to cluster (check the layer and the filter)" ) );

    QJsonObject json;
    if ( method == QLatin1String( "dbscan" ) || method == QLatin1String( "stdbscan" ) )
    {
      const DbscanResult r = runDbscan( points, db );
      if ( !r.ok )
        return fail( r.errorString );
      json = r.toJson();
      if ( !writeLabels( points, r.labels, &error ) )
        return fail( error, Failed );
      if ( !parser.isSet( QStringLiteral( "json" ) ) )
        print( QStringLiteral( "%1: %2 points, %3 clusters, %4 noise (%5 s)" ).arg( method ).arg( points.size() ).arg( r.clusterCount ).arg( r.noiseCount ).arg( r.seconds, 0, 'f', 3 ) );
    }
    else if ( method == QLatin1String( "gistar" ) )
    {
      const GiStarResult r = runGiStar( points, gi );
      if ( !r.ok )
        return fail( r.errorString );
      json = r.toJson();
      if ( parser.isSet( QStringLiteral( "cells" ) ) && !writeCells(
                                                            r.grid, [&r]( std::size_t i, CsvWriter &line )
                                                            { line.number( r.counts[i] ).number( r.z[i] ).number( r.p[i] ).number( r.bin[i] ); },
                                                            QStringLiteral( "count,z,p,bin" ), &error ) )
        return fail( error, Failed );
      if ( !parser.isSet( QStringLiteral( "json" ) ) )
      {
        print( QStringLiteral( "gistar: %1 cells (%2 x %3), %4 neighbours per cell" ).arg( r.grid.cellCount() ).arg( r.grid.columns ).arg( r.grid.rows ).arg( r.neighboursPerCell ) );
        const QJsonObject bins = json[QStringLiteral( "bins" )].toObject();
        for ( int b = 3; b >= -3; --b )
          print( QStringLiteral( "  bin %1: %2 cells" ).arg( b, 2 ).arg( bins[QString::number( b )].toInt() ) );
      }
    }
    else if ( method == QLatin1String( "persistence" ) )
    {
      const PersistenceResult r = runPersistence( points, ps );
      if ( !r.ok )
        return fail( r.errorString );
      json = r.toJson();
      if ( parser.isSet( QStringLiteral( "cells" ) ) && !writeCells(
                                                            r.grid, [&r]( std::size_t i, CsvWriter &line )
                                                            { line.number( r.totalCounts[i] ).number( r.hotPeriods[i] ).number( r.hotEarlier[i] ).number( r.hotRecent[i] ).text( persistenceClassName( r.classes[i] ) ); },
                                                            QStringLiteral( "count,hot_periods,hot_earlier,hot_recent,class" ), &error ) )
        return fail( error, Failed );
      if ( !parser.isSet( QStringLiteral( "json" ) ) )
      {
        print( QStringLiteral( "persistence: %1 periods of %2 days, %3 recent" ).arg( r.periods ).arg( ps.periodDays ).arg( r.recentPeriods ) );
        const QJsonObject classes = json[QStringLiteral( "classes" )].toObject();
        for ( auto it = classes.begin(); it != classes.end(); ++it )
          print( QStringLiteral( "  %1: %2 cells" ).arg( it.key() ).arg( it.value().toInt() ) );
      }
    }
    else if ( method == QLatin1String( "knox" ) )
    {
      const KnoxResult r = runKnox( points, kx );
      if ( !r.ok )
        return fail( r.errorString );
      json = r.toJson();
      if ( !writeLabels( points, r.chainOf, &error ) )
        return fail( error, Failed );
      if ( !parser.isSet( QStringLiteral( "json" ) ) )
      {
        print( QStringLiteral( "Knox test, %1 events, %2 permutations. Observed / expected (p):" ).arg( r.events ).arg( kx.iterations ) );
        QString header = QStringLiteral( "%1" ).arg( QString(), -20 );
        for ( const QString &c : r.columnLabels )
          header += QStringLiteral( " | %1" ).arg( c, -18 );
        print( header );
        for ( int row = 0; row < r.rowCount(); ++row )
        {
          QString line = QStringLiteral( "%1" ).arg( r.rowLabels[row], -20 );
          for ( int c = 0; c < r.columnCount(); ++c )
          {
            const std::size_t i = r.cell( row, c );
            line += QStringLiteral( " | %1" ).arg( QStringLiteral( "%1 (%2)" ).arg( std::isfinite( r.ratio[i] ) ? QString::number( r.ratio[i], 'f', 2 ) : QStringLiteral( "-" ) ).arg( r.p[i], 0, 'f', 3 ), -18 );
          }
          print( line );
        }
        print( r.narrative );
        print( QStringLiteral( "Near-repeat chains: %1" ).arg( r.chains.size() ) );
      }
    }
    else if ( method == QLatin1String( "nnh" ) )
    {
      const NnhResult r = runNnh( points, nn );
      if ( !r.ok )
        return fail( r.errorString );
      json = r.toJson();
      if ( !writeLabels( points, r.firstOrderLabel, &error ) )
        return fail( error, Failed );
      if ( !parser.isSet( QStringLiteral( "json" ) ) )
      {
        for ( const NnhOrderThreshold &t : r.orders )
          print( QStringLiteral( "order %1: %2 inputs, threshold %3" ).arg( t.order ).arg( t.inputs ).arg( t.threshold, 0, 'f', 2 ) );
        for ( const NnhCluster &c : r.clusters )
          print( QStringLiteral( "  order %1 cluster %2: %3 incidents, centre (%4, %5), ellipse %6 x %7 at %8 deg" )
                     .arg( c.order )
                     .arg( c.id + 1 )
                     .arg( c.incidents.size() )
                     .arg( c.meanCentre.x(), 0, 'f', 1 )
                     .arg( c.meanCentre.y(), 0, 'f', 1 )
                     .arg( c.ellipseMajor, 0, 'f', 1 )
                     .arg( c.ellipseMinor, 0, 'f', 1 )
                     .arg( c.ellipseAngle, 0, 'f', 1 ) );
      }
    }
    json[QStringLiteral( "input_points" )] = static_cast<qint64>( points.size() );
    if ( skipped )
      json[QStringLiteral( "skipped_rows" )] = static_cast<qint64>( skipped );
    if ( parser.isSet( QStringLiteral( "json" ) ) )
      printJson( json );
    return Ok;
  }

private:
  const QCommandLineParser *mParser = nullptr;

  //! --save / --export: the run with cluster polygons and cards, saved and / or exported.
  int analyse( const QCommandLineParser &parser, const QString &path, ClusterRunSpec spec )
  {
    if ( parser.isSet( QStringLiteral( "labels" ) ) || parser.isSet( QStringLiteral( "cells" ) ) )
      return fail( QStringLiteral( "--labels and --cells write the engine's raw result: run them without --save / --export" ) );
    const QString shape = parser.value( QStringLiteral( "shape" ) );
    if ( !shape.isEmpty() && shape != QLatin1String( "hull" ) && shape != QLatin1String( "ellipse" ) )
      return fail( QStringLiteral( "--shape must be hull or ellipse" ) );
    spec.shape = shape == QLatin1String( "ellipse" ) ? ClusterShape::Ellipse : ClusterShape::BufferedHull;
    for ( const QString &name : { QStringLiteral( "buffer" ), QStringLiteral( "env-distance" ) } )
    {
      if ( !parser.isSet( name ) )
        continue;
      bool ok = false;
      const double v = parser.value( name ).toDouble( &ok );
      if ( !ok || !std::isfinite( v ) || v < 0 )
        return fail( QStringLiteral( "--%1 '%2' is not a distance >= 0" ).arg( name, parser.value( name ) ) );
      ( name == QLatin1String( "buffer" ) ? spec.buffer : spec.environmentDistance ) = v;
    }
    const bool save = parser.isSet( QStringLiteral( "save" ) );
    QString error;
    std::unique_ptr<ProjectFile> project = ProjectFile::open( path, save ? ProjectFile::Mode::ReadWrite : ProjectFile::Mode::ReadOnly, &error );
    if ( !project )
      return fail( QStringLiteral( "%1: %2" ).arg( path, error ) );
    ClusterAnalysis analysis = runClusterAnalysis( *project, spec );
    if ( !analysis.ok )
      return fail( analysis.errorString );
    analysis.name = parser.value( QStringLiteral( "name" ) );
    if ( save && saveClusterRun( *project, analysis, nullptr, &error ) < 0 )
      return fail( error, Failed );
    return exportAndReport( parser, *project, analysis );
  }

  //! Writes --export and prints the run (text or --json).
  int exportAndReport( const QCommandLineParser &parser, ProjectFile &project, const ClusterAnalysis &analysis )
  {
    QString error;
    const QString exportPath = parser.value( QStringLiteral( "export" ) );
    if ( !exportPath.isEmpty() && !exportClusters( analysis, project.crs(), exportPath, &error ) )
      return fail( error, Failed );
    if ( parser.isSet( QStringLiteral( "json" ) ) )
    {
      QJsonObject json = analysis.toJson();
      if ( !exportPath.isEmpty() )
        json[QStringLiteral( "export" )] = exportPath;
      printJson( json );
      return Ok;
    }
    print( QStringLiteral( "%1: %2 points, %3 clusters" ).arg( analysis.spec.describe() ).arg( analysis.inputPoints ).arg( analysis.clusters.size() ) );
    for ( const ClusterRecord &c : analysis.clusters )
      print( QStringLiteral( "  %1: %2 incidents, %3" ).arg( c.label ).arg( c.fids.size() ).arg( c.detail ) );
    if ( analysis.runId >= 0 )
      print( QStringLiteral( "Saved as run %1 (%2)." ).arg( analysis.runId ).arg( analysis.createdAt ) );
    if ( !exportPath.isEmpty() )
      print( QStringLiteral( "Exported to %1." ).arg( exportPath ) );
    return Ok;
  }

  //! --list-runs, --delete-run ID, --run ID --export F.
  int savedRuns( const QCommandLineParser &parser )
  {
    const QString path = parser.value( QStringLiteral( "project" ) );
    if ( path.isEmpty() )
      return fail( QStringLiteral( "--list-runs, --run and --delete-run need --project" ) );
    const bool remove = parser.isSet( QStringLiteral( "delete-run" ) );
    QString error;
    std::unique_ptr<ProjectFile> project = ProjectFile::open( path, remove ? ProjectFile::Mode::ReadWrite : ProjectFile::Mode::ReadOnly, &error );
    if ( !project )
      return fail( QStringLiteral( "%1: %2" ).arg( path, error ) );
    if ( parser.isSet( QStringLiteral( "list-runs" ) ) )
    {
      QJsonArray list;
      for ( const ClusterRunInfo &r : listClusterRuns( project->database() ) )
      {
        list.append( QJsonObject{ { QStringLiteral( "id" ), r.id },
                                  { QStringLiteral( "name" ), r.name },
                                  { QStringLiteral( "method" ), clusterMethodName( r.method ) },
                                  { QStringLiteral( "description" ), r.description },
                                  { QStringLiteral( "created_at" ), r.createdAt },
                                  { QStringLiteral( "clusters" ), r.clusters },
                                  { QStringLiteral( "input_points" ), r.inputPoints } } );
        if ( !parser.isSet( QStringLiteral( "json" ) ) )
          print( QStringLiteral( "%1  %2  %3 clusters  %4" ).arg( r.id ).arg( r.createdAt ).arg( r.clusters ).arg( r.name ) );
      }
      if ( parser.isSet( QStringLiteral( "json" ) ) )
        printJson( QJsonObject{ { QStringLiteral( "runs" ), list } } );
      return Ok;
    }
    const QString idText = parser.value( remove ? QStringLiteral( "delete-run" ) : QStringLiteral( "run" ) );
    bool ok = false;
    const qint64 id = idText.toLongLong( &ok );
    if ( !ok )
      return fail( QStringLiteral( "'%1' is not a run id" ).arg( idText ) );
    if ( remove )
    {
      if ( !deleteClusterRun( *project, id, &error ) )
        return fail( error, Failed );
      if ( !parser.isSet( QStringLiteral( "json" ) ) )
        print( QStringLiteral( "Deleted run %1." ).arg( id ) );
      return Ok;
    }
    if ( !parser.isSet( QStringLiteral( "export" ) ) )
      return fail( QStringLiteral( "--run ID needs --export F.gpkg|F.csv" ) );
    ClusterAnalysis analysis;
    if ( !loadClusterRun( project->database(), id, &analysis, &error ) )
      return fail( error );
    return exportAndReport( parser, *project, analysis );
  }

  //! Labels file: id (fid or CSV row), cluster (1-based, empty for none). Written atomically.
  bool writeLabels( const ClusterPoints &points, const std::vector<int32_t> &labels, QString *error ) const
  {
    if ( !mParser->isSet( QStringLiteral( "labels" ) ) )
      return true;
    CsvWriter csv( mParser->value( QStringLiteral( "labels" ) ) );
    if ( !csv.open( "id,cluster", error ) )
      return false;
    for ( std::size_t i = 0; i < points.size(); ++i )
    {
      csv.number( points.ids[i] );
      if ( labels[i] >= 0 )
        csv.number( labels[i] + 1 );
      else
        csv.empty();
      csv.endRow();
    }
    return csv.commit( error );
  }

  template <typename Row>
  bool writeCells( const GridSpec &grid, Row row, const QString &columns, QString *error ) const
  {
    CsvWriter csv( mParser->value( QStringLiteral( "cells" ) ) );
    if ( !csv.open( "cell,column,row,xmin,ymin,xmax,ymax," + columns.toUtf8(), error ) )
      return false;
    for ( std::size_t i = 0; i < grid.cellCount(); ++i )
    {
      const QgsRectangle r = grid.cellRect( i );
      csv.number( i ).number( i % grid.columns ).number( i / grid.columns );
      csv.number( r.xMinimum() ).number( r.yMinimum() ).number( r.xMaximum() ).number( r.yMaximum() );
      row( i, csv );
      csv.endRow();
    }
    return csv.commit( error );
  }
};

STATDESK_REGISTER_COMMAND( ClusterCommand );

} // namespace statdesk::cli
