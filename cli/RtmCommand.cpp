// statdesk-cli rtm: Risk Terrain Modeling on a project (same engine as the app's RTM panel).
#include "Command.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"
#include "rtm/RtmEngine.h"

#include <qgsfeedback.h>

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLocale>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

namespace statdesk::cli
{

using namespace statdesk::rtm;

class RtmCommand : public Command
{
  public:
    QString name() const override { return QStringLiteral( "rtm" ); }
    QString summary() const override { return QStringLiteral( "Risk Terrain Modeling: select risk factors, fit the model, map and validate the risk." ); }
    void configure( QCommandLineParser &parser ) const override
    {
      parser.addOption( { QStringLiteral( "project" ), QStringLiteral( "Project file (.gpkg)." ), QStringLiteral( "P.gpkg" ) } );
      parser.addOption( { QStringLiteral( "factor" ),
                          QStringLiteral( "Risk factor (repeatable): \"name=N;layer=L[;filter=SQL][;op=proximity|density|both][;blocks=3][;increment=whole|half]\". "
                                          "Without --factor on a demo project, the demo's factor layers are used." ),
                          QStringLiteral( "SPEC" ) } );
      parser.addOption( { QStringLiteral( "outcome-layer" ), QStringLiteral( "Outcome point layer (default incidents)." ), QStringLiteral( "TABLE" ) } );
      parser.addOption( { QStringLiteral( "outcome-filter" ), QStringLiteral( "SQL WHERE clause for the outcome (default: violent = 1)." ), QStringLiteral( "SQL" ) } );
      parser.addOption( { QStringLiteral( "date-column" ), QStringLiteral( "Date column of the outcome layer for the windows." ), QStringLiteral( "COLUMN" ) } );
      parser.addOption( { QStringLiteral( "from" ), QStringLiteral( "Training window start (YYYY-MM-DD)." ), QStringLiteral( "DATE" ) } );
      parser.addOption( { QStringLiteral( "to" ), QStringLiteral( "Training window end, inclusive." ), QStringLiteral( "DATE" ) } );
      parser.addOption( { QStringLiteral( "test-from" ), QStringLiteral( "Validation window start." ), QStringLiteral( "DATE" ) } );
      parser.addOption( { QStringLiteral( "test-to" ), QStringLiteral( "Validation window end, inclusive." ), QStringLiteral( "DATE" ) } );
      parser.addOption( { QStringLiteral( "no-validation" ), QStringLiteral( "Skip the validation window." ) } );
      parser.addOption( { QStringLiteral( "study-layer" ), QStringLiteral( "Study-area polygon layer (default boundaries)." ), QStringLiteral( "TABLE" ) } );
      parser.addOption( { QStringLiteral( "study-filter" ), QStringLiteral( "SQL WHERE clause for the study area (default kind = 'city')." ), QStringLiteral( "SQL" ) } );
      parser.addOption( { QStringLiteral( "block-length" ), QStringLiteral( "Block length in CRS units (default 120 or the demo's)." ), QStringLiteral( "L" ) } );
      parser.addOption( { QStringLiteral( "cell-size" ), QStringLiteral( "Cell size (default half a block)." ), QStringLiteral( "C" ) } );
      parser.addOption( { QStringLiteral( "alpha" ), QStringLiteral( "Elastic-net mixing (default 0.5)." ), QStringLiteral( "A" ) } );
      parser.addOption( { QStringLiteral( "folds" ), QStringLiteral( "Cross-validation folds (default 10)." ), QStringLiteral( "K" ) } );
      parser.addOption( { QStringLiteral( "seed" ), QStringLiteral( "Random seed of the folds." ), QStringLiteral( "N" ) } );
      parser.addOption( { QStringLiteral( "nb" ), QStringLiteral( "Negative binomial: nb1 (RTMDx-compatible, default) or nb2." ), QStringLiteral( "nb1|nb2" ) } );
      parser.addOption( { QStringLiteral( "threads" ), QStringLiteral( "Worker threads (default 2)." ), QStringLiteral( "T" ) } );
      parser.addOption( { QStringLiteral( "export-design" ), QStringLiteral( "Write the design matrix and counts (rtm_design.csv) into DIR." ), QStringLiteral( "DIR" ) } );
      parser.addOption( { QStringLiteral( "export" ), QStringLiteral( "Write the tables (CSV) and the RRS raster (GeoTIFF) into DIR." ), QStringLiteral( "DIR" ) } );
      parser.addOption( { QStringLiteral( "save" ), QStringLiteral( "Save the run into the project under NAME." ), QStringLiteral( "NAME" ) } );
      parser.addOption( { QStringLiteral( "audit" ), QStringLiteral( "Write the audit trail (JSON) to FILE." ), QStringLiteral( "FILE" ) } );
      parser.addOption( { QStringLiteral( "json" ), QStringLiteral( "Print JSON on stdout." ) } );
    }

    int run( const QCommandLineParser &parser ) override
    {
      const QString path = parser.value( QStringLiteral( "project" ) );
      if ( path.isEmpty() )
        return fail( QStringLiteral( "--project is required" ) );
      QString error;
      const bool save = parser.isSet( QStringLiteral( "save" ) );
      std::unique_ptr<ProjectFile> project = ProjectFile::open( path, save ? ProjectFile::Mode::ReadWrite : ProjectFile::Mode::ReadOnly, &error );
      if ( !project )
        return fail( QStringLiteral( "%1: %2" ).arg( path, error ) );

      RtmParameters p;
      const QStringList factorSpecs = parser.values( QStringLiteral( "factor" ) );
      if ( factorSpecs.isEmpty() )
      {
        const QString truth = project->metadata( schema::kMetaDemoTruth );
        if ( truth.isEmpty() )
          return fail( QStringLiteral( "no --factor given and the project is not a demo (no demo truth): name the risk factors" ) );
        if ( !rtmParametersFromDemoTruth( QJsonDocument::fromJson( truth.toUtf8() ).object(), &p, &error ) )
          return fail( QStringLiteral( "demo truth: %1" ).arg( error ) );
      }
      else
      {
        for ( const QString &spec : factorSpecs )
        {
          RiskFactorSpec f;
          if ( !parseFactor( spec, &f, &error ) )
            return fail( QStringLiteral( "--factor \"%1\": %2" ).arg( spec, error ) );
          p.factors << f;
        }
      }
      auto text = [&]( const char *opt, QString *target ) {
        if ( parser.isSet( QLatin1String( opt ) ) )
          *target = parser.value( QLatin1String( opt ) );
      };
      text( "outcome-layer", &p.outcomeLayer );
      text( "outcome-filter", &p.outcomeFilter );
      text( "date-column", &p.dateColumn );
      text( "study-layer", &p.studyAreaLayer );
      text( "study-filter", &p.studyAreaFilter );
      auto date = [&]( const char *opt, QDate *target ) {
        if ( !parser.isSet( QLatin1String( opt ) ) )
          return true;
        *target = QDate::fromString( parser.value( QLatin1String( opt ) ), Qt::ISODate );
        return target->isValid();
      };
      if ( !date( "from", &p.trainFrom ) || !date( "to", &p.trainTo ) || !date( "test-from", &p.testFrom ) || !date( "test-to", &p.testTo ) )
        return fail( QStringLiteral( "dates must be YYYY-MM-DD" ) );
      if ( parser.isSet( QStringLiteral( "no-validation" ) ) )
        p.testFrom = p.testTo = QDate();
      auto number = [&]( const char *opt, double *target ) {
        if ( !parser.isSet( QLatin1String( opt ) ) )
          return true;
        bool ok = false;
        *target = parser.value( QLatin1String( opt ) ).toDouble( &ok );
        return ok;
      };
      double folds = p.folds, threads = p.threads, seed = 0;
      if ( !number( "block-length", &p.blockLength ) || !number( "cell-size", &p.cellSize ) || !number( "alpha", &p.alpha ) || !number( "folds", &folds ) || !number( "threads", &threads ) )
        return fail( QStringLiteral( "numeric options need numbers" ) );
      p.folds = static_cast<int>( folds );
      p.threads = std::max( 1, static_cast<int>( threads ) );
      if ( parser.isSet( QStringLiteral( "seed" ) ) )
      {
        bool ok = false;
        p.seed = parser.value( QStringLiteral( "seed" ) ).toULongLong( &ok );
        if ( !ok )
          return fail( QStringLiteral( "--seed needs a non-negative integer" ) );
      }
      Q_UNUSED( seed )
      if ( parser.isSet( QStringLiteral( "nb" ) ) )
      {
        const QString nb = parser.value( QStringLiteral( "nb" ) ).toLower();
        if ( nb == QLatin1String( "nb1" ) )
          p.negativeBinomial = CountFamily::NB1;
        else if ( nb == QLatin1String( "nb2" ) )
          p.negativeBinomial = CountFamily::NB2;
        else
          return fail( QStringLiteral( "--nb must be nb1 or nb2" ) );
      }
      if ( !p.validate( &error ) )
        return fail( error );

      QgsFeedback feedback;
      RtmInputs inputs;
      if ( !loadRtmInputs( *project, p, &inputs, &error, &feedback ) )
        return fail( error, Failed );
      const RtmResult result = runRtm( p, inputs, &feedback );
      if ( !result.ok )
        return fail( result.error, Failed );

      QJsonObject exports;
      if ( parser.isSet( QStringLiteral( "export-design" ) ) )
      {
        const QString dir = parser.value( QStringLiteral( "export-design" ) );
        if ( !QDir().mkpath( dir ) )
          return fail( QStringLiteral( "cannot create %1" ).arg( dir ), Failed );
        const QString file = QDir( dir ).filePath( QStringLiteral( "rtm_design.csv" ) );
        if ( !exportDesignCsv( result, file, &error ) )
          return fail( error, Failed );
        exports.insert( QStringLiteral( "design" ), file );
      }
      if ( parser.isSet( QStringLiteral( "export" ) ) )
      {
        const QString dir = parser.value( QStringLiteral( "export" ) );
        if ( !exportTablesCsv( result, dir, &error ) )
          return fail( error, Failed );
        const QString tif = QDir( dir ).filePath( QStringLiteral( "rtm_rrs.tif" ) );
        if ( !exportRrsGeoTiff( result, project->crs().toWkt(), tif, &error ) )
          return fail( error, Failed );
        exports.insert( QStringLiteral( "tables" ), dir );
        exports.insert( QStringLiteral( "rrs" ), tif );
      }
      if ( parser.isSet( QStringLiteral( "audit" ) ) )
      {
        QFile f( parser.value( QStringLiteral( "audit" ) ) );
        if ( !f.open( QIODevice::WriteOnly ) || f.write( QJsonDocument( result.audit ).toJson() ) < 0 )
          return fail( QStringLiteral( "cannot write %1" ).arg( f.fileName() ), Failed );
        exports.insert( QStringLiteral( "audit" ), f.fileName() );
      }
      qint64 runId = -1;
      QJsonObject saveTimings;
      if ( save )
      {
        // As the app does it: the map tables first (no project involved), then one short transaction.
        QElapsedTimer timer;
        timer.start();
        QTemporaryDir temp;
        const QString mapTables = temp.filePath( QStringLiteral( "rtm_map_tables.gpkg" ) );
        if ( !temp.isValid() || !prepareRtmMapTables( result, mapTables, &error ) )
          return fail( QStringLiteral( "map tables: %1" ).arg( error ), Failed );
        saveTimings.insert( QStringLiteral( "map_tables" ), timer.restart() / 1e3 );
        runId = saveRtmRun( *project, parser.value( QStringLiteral( "save" ) ), p, result, &error, mapTables );
        if ( runId < 0 )
          return fail( error, Failed );
        saveTimings.insert( QStringLiteral( "save_transaction" ), timer.elapsed() / 1e3 );
      }

      if ( parser.isSet( QStringLiteral( "json" ) ) )
      {
        QJsonObject json = result.summaryJson();
        json.insert( QStringLiteral( "parameters" ), p.toJson() );
        if ( !exports.isEmpty() )
          json.insert( QStringLiteral( "exports" ), exports );
        if ( runId >= 0 )
        {
          json.insert( QStringLiteral( "run_id" ), runId );
          QJsonObject timings = json.value( QStringLiteral( "timings" ) ).toObject();
          for ( auto it = saveTimings.constBegin(); it != saveTimings.constEnd(); ++it )
            timings.insert( it.key(), it.value() );
          json.insert( QStringLiteral( "timings" ), timings );
        }
        printJson( json );
        return Ok;
      }
      printReport( p, result, runId, crsDistanceUnit( project->crs().authid() ) );
      return Ok;
    }

  private:
    static bool parseFactor( const QString &spec, RiskFactorSpec *f, QString *error )
    {
      for ( const QString &part : spec.split( ';', Qt::SkipEmptyParts ) )
      {
        const int eq = part.indexOf( '=' );
        if ( eq <= 0 )
        {
          *error = QStringLiteral( "expected key=value, got \"%1\"" ).arg( part );
          return false;
        }
        const QString key = part.left( eq ).trimmed().toLower(), value = part.mid( eq + 1 ).trimmed();
        if ( key == QLatin1String( "name" ) )
          f->name = value;
        else if ( key == QLatin1String( "layer" ) )
          f->layer = value;
        else if ( key == QLatin1String( "filter" ) )
          f->filter = value;
        else if ( key == QLatin1String( "op" ) )
        {
          if ( !parseOperationalisation( value, &f->operationalisation ) )
          {
            *error = QStringLiteral( "op must be proximity, density or both" );
            return false;
          }
        }
        else if ( key == QLatin1String( "blocks" ) )
        {
          bool ok = false;
          f->spatialInfluenceBlocks = value.toDouble( &ok );
          if ( !ok || f->spatialInfluenceBlocks <= 0 )
          {
            *error = QStringLiteral( "blocks must be a positive number" );
            return false;
          }
        }
        else if ( key == QLatin1String( "increment" ) )
        {
          if ( value == QLatin1String( "half" ) )
            f->increment = Increment::Half;
          else if ( value == QLatin1String( "whole" ) )
            f->increment = Increment::Whole;
          else
          {
            *error = QStringLiteral( "increment must be half or whole" );
            return false;
          }
        }
        else
        {
          *error = QStringLiteral( "unknown key \"%1\"" ).arg( key );
          return false;
        }
      }
      if ( f->name.isEmpty() )
        f->name = f->layer;
      if ( f->layer.isEmpty() )
      {
        *error = QStringLiteral( "layer= is required" );
        return false;
      }
      return true;
    }

    void printReport( const RtmParameters &p, const RtmResult &r, qint64 runId, const QString &unit ) const
    {
      const QLocale c = QLocale::c();
      const FamilyModel &m = r.chosen();
      print( QStringLiteral( "Outcome: %1 where %2; %3 cells of %4 %5, %6 with events, %7 events." )
               .arg( p.outcomeLayer, p.outcomeFilter )
               .arg( r.grid.cellsInArea() )
               .arg( p.effectiveCellSize() )
               .arg( unit )
               .arg( r.cellsWithEvents )
               .arg( r.eventsInArea ) );
      int kept = 0;
      for ( const CandidateVariable &v : r.candidates )
        kept += v.status == QLatin1String( "candidate" );
      print( QStringLiteral( "Candidates: %1 (%2 dropped as constant or duplicate); elastic net kept %3 at lambda %4." )
               .arg( kept )
               .arg( static_cast<int>( r.candidates.size() ) - kept )
               .arg( r.enetSelected.size() )
               .arg( c.toString( r.lambdaMin, 'g', 4 ) ) );
      print( QStringLiteral( "Family: %1 (BIC %2; Poisson %3; %4 %5)." )
               .arg( countFamilyName( r.chosenFamily ), c.toString( m.bic, 'f', 2 ), c.toString( r.poisson.bic, 'f', 2 ), countFamilyName( r.negativeBinomial.family ), c.toString( r.negativeBinomial.bic, 'f', 2 ) ) );
      print( QStringLiteral( "%1 %2 %3 %4 %5 %6" ).arg( QStringLiteral( "variable" ), -48 ).arg( QStringLiteral( "coef" ), 9 ).arg( QStringLiteral( "se" ), 8 ).arg( QStringLiteral( "p" ), 10 ).arg( QStringLiteral( "RRV" ), 8 ).arg( QString() ) );
      print( QStringLiteral( "%1 %2 %3 %4" ).arg( QStringLiteral( "(intercept)" ), -48 ).arg( m.intercept, 9, 'f', 4 ).arg( m.interceptSe, 8, 'f', 4 ).arg( m.interceptP, 10, 'g', 3 ) );
      for ( const ModelTerm &t : m.terms )
        print( QStringLiteral( "%1 %2 %3 %4 %5 %6" ).arg( t.variable, -48 ).arg( t.beta, 9, 'f', 4 ).arg( t.se, 8, 'f', 4 ).arg( t.p, 10, 'g', 3 ).arg( t.rrv, 8, 'f', 3 ).arg( t.protective ? QStringLiteral( "protective" ) : QString() ) );
      if ( r.chosenFamily != CountFamily::Poisson )
        print( QStringLiteral( "%1 %2 %3" ).arg( QStringLiteral( "(dispersion alpha)" ), -48 ).arg( m.alpha, 9, 'f', 4 ).arg( m.alphaSe, 8, 'f', 4 ) );
      for ( const RiskClass &k : r.classes )
        print( QStringLiteral( "Class %1: %2% of area, %3% of events" ).arg( k.name, -20 ).arg( 100 * k.areaShare, 5, 'f', 1 ).arg( 100 * k.eventShare, 5, 'f', 1 ) );
      for ( const ValidationRow &v : r.validation )
        print( QStringLiteral( "Validation %1 top %2%: hit rate %3, PAI %4, PEI %5" ).arg( v.method, -12 ).arg( 100 * v.areaShare, 3, 'f', 0 ).arg( v.hitRate, 6, 'f', 3 ).arg( v.pai, 6, 'f', 2 ).arg( v.pei, 6, 'f', 3 ) );
      print( r.narrative );
      if ( runId >= 0 )
        print( QStringLiteral( "Saved as run %1." ).arg( runId ) );
    }
};

STATDESK_REGISTER_COMMAND( RtmCommand );

} // namespace statdesk::cli
