// statdesk-cli demo: generate the synthetic demo city (see core/demo/DemoCity.h).
#include "Command.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

#include <qgsfeedback.h>

#include <cmath>
#include <cstdio>

namespace statdesk::cli
{

class DemoCommand : public Command
{
  public:
    QString name() const override { return QStringLiteral( "demo" ); }
    QString summary() const override { return QStringLiteral( "Generate the synthetic demo city as a project (planted risk factors recorded as truth)." ); }
    void configure( QCommandLineParser &parser ) const override
    {
      parser.addOption( { QStringLiteral( "out" ), QStringLiteral( "Project file to write (.gpkg); an existing file is replaced." ), QStringLiteral( "P.gpkg" ) } );
      parser.addOption( { QStringLiteral( "seed" ), QStringLiteral( "Random seed, a non-negative integer (default 1). Same seed, same content." ), QStringLiteral( "N" ), QStringLiteral( "1" ) } );
      parser.addOption( { QStringLiteral( "size" ), QStringLiteral( "small (seconds, for tests) or city (Kansas City volumes) (default small)." ), QStringLiteral( "small|city" ), QStringLiteral( "small" ) } );
      parser.addOption( { QStringLiteral( "json" ), QStringLiteral( "Print JSON on stdout." ) } );
      parser.addOption( { QStringLiteral( "quiet" ), QStringLiteral( "No progress on stderr." ) } );
    }

    int run( const QCommandLineParser &parser ) override
    {
      const QString out = parser.value( QStringLiteral( "out" ) );
      if ( out.isEmpty() )
        return fail( QStringLiteral( "--out is required" ) );
      if ( !out.endsWith( QLatin1String( ".gpkg" ), Qt::CaseInsensitive ) )
        return fail( QStringLiteral( "the project file must end in .gpkg" ) );
      const QFileInfo outInfo( out );
      if ( outInfo.isDir() )
        return fail( QStringLiteral( "%1 is a folder" ).arg( out ) );
      if ( !QFileInfo( outInfo.absolutePath() ).isDir() )
        return fail( QStringLiteral( "the folder %1 does not exist" ).arg( outInfo.absolutePath() ) );

      DemoOptions options;
      bool ok = false;
      const QString seedText = parser.value( QStringLiteral( "seed" ) ).trimmed();
      options.seed = seedText.toULongLong( &ok );
      if ( !ok )
        return fail( QStringLiteral( "--seed must be a non-negative integer (got '%1')" ).arg( seedText ) );
      if ( !parseDemoSize( parser.value( QStringLiteral( "size" ) ), &options.size ) )
        return fail( QStringLiteral( "--size must be small or city (got '%1')" ).arg( parser.value( QStringLiteral( "size" ) ) ) );

      const bool json = parser.isSet( QStringLiteral( "json" ) );
      const bool quiet = parser.isSet( QStringLiteral( "quiet" ) ) || json;
      QgsFeedback feedback;
      int lastTenth = -1;
      if ( !quiet )
      {
        QObject::connect( &feedback, &QgsFeedback::progressChanged, [&lastTenth]( double p ) {
          const int tenth = static_cast<int>( p / 10 );
          if ( tenth != lastTenth )
          {
            lastTenth = tenth;
            std::fprintf( stderr, "\r%3d%%", tenth * 10 );
            std::fflush( stderr );
          }
        } );
      }

      QElapsedTimer timer;
      timer.start();
      QString error;
      DemoSummary summary;
      const bool built = generateDemoCity( out, options, &feedback, &error, &summary );
      const double seconds = timer.elapsed() / 1000.0;
      if ( !quiet )
        std::fprintf( stderr, "\r     \r" );
      if ( !built )
        return fail( error, Failed );

      QString hash;
      {
        std::unique_ptr<ProjectFile> project = ProjectFile::open( out, ProjectFile::Mode::ReadOnly, &error );
        if ( !project )
          return fail( QStringLiteral( "the demo was written but cannot be reopened: %1" ).arg( error ), Failed );
        hash = project->contentHash();
      }

      if ( json )
      {
        printJson( QJsonObject {
          { QStringLiteral( "project" ), QFileInfo( out ).absoluteFilePath() },
          { QStringLiteral( "seed" ), seedText },
          { QStringLiteral( "size" ), demoSizeName( options.size ) },
          { QStringLiteral( "counts" ), summary.countsJson() },
          { QStringLiteral( "seconds" ), std::round( seconds * 100 ) / 100 },
          { QStringLiteral( "content_hash" ), hash },
          { QStringLiteral( "truth" ), summary.truth },
        } );
      }
      else
      {
        print( QStringLiteral( "Demo City (%1, seed %2) written to %3 in %4 s" )
                 .arg( demoSizeName( options.size ), seedText, QFileInfo( out ).absoluteFilePath() )
                 .arg( seconds, 0, 'f', 1 ) );
        print( QStringLiteral( "  %1 offenses (%2 violent, %3 shootings, %4 without location), %5 311 requests," )
                 .arg( summary.incidents )
                 .arg( summary.violent )
                 .arg( summary.shootings )
                 .arg( summary.incidentsWithoutLocation )
                 .arg( summary.serviceRequests ) );
        print( QStringLiteral( "  %1 vacant parcels, %2 dangerous buildings, %3 neighborhoods" )
                 .arg( summary.vacantParcels )
                 .arg( summary.dangerousBuildings )
                 .arg( summary.neighborhoods ) );
        print( QStringLiteral( "  content hash %1" ).arg( hash ) );
      }
      return Ok;
    }
};

STATDESK_REGISTER_COMMAND( DemoCommand );

} // namespace statdesk::cli
