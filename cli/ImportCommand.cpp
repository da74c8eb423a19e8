// statdesk-cli import: bring a city's data file into a project.
#include "Command.h"
#include "ingest/Importer.h"
#include "project/ProjectFile.h"

#include <QFileInfo>
#include <QTextStream>

#include <qgsfeedback.h>

namespace statdesk::cli
{

class ImportCommand : public Command
{
  public:
    QString name() const override { return QStringLiteral( "import" ); }
    QString summary() const override { return QStringLiteral( "Import a crime, 311, vacant, dangerous-building, neighborhood or boundary file." ); }
    void configure( QCommandLineParser &parser ) const override
    {
      parser.addOption( { QStringLiteral( "project" ), QStringLiteral( "Project file (.gpkg)." ), QStringLiteral( "P.gpkg" ) } );
      parser.addOption( { QStringLiteral( "kind" ), QStringLiteral( "What the file holds: %1." ).arg( ingest::kindNames().join( QLatin1Char( '|' ) ) ), QStringLiteral( "KIND" ) } );
      parser.addOption( { QStringLiteral( "mapping" ), QStringLiteral( "Column mapping: a JSON file (saved in the project under its name) or the name of a mapping saved in the project." ), QStringLiteral( "NAME|FILE" ) } );
      parser.addOption( { QStringLiteral( "boundary-kind" ), QStringLiteral( "For --kind boundary: city, council_district, patrol_division ... (default: detected)." ), QStringLiteral( "K" ) } );
      parser.addOption( { QStringLiteral( "progress" ), QStringLiteral( "Print progress on stderr." ) } );
      parser.addOption( { QStringLiteral( "json" ), QStringLiteral( "Print the summary as JSON on stdout." ) } );
      parser.addPositionalArgument( QStringLiteral( "FILE" ), QStringLiteral( "The file to import (CSV; GeoJSON, Shapefile, zipped Shapefile or GeoPackage for polygons)." ) );
    }

    bool needsQgisPlugins() const override { return false; } // local files through OGR only

    int run( const QCommandLineParser &parser ) override
    {
      const QString projectPath = parser.value( QStringLiteral( "project" ) );
      if ( projectPath.isEmpty() )
        return fail( QStringLiteral( "--project is required" ) );
      ingest::ImportOptions options;
      if ( !ingest::kindFromName( parser.value( QStringLiteral( "kind" ) ), &options.kind ) )
        return fail( QStringLiteral( "--kind must be one of %1" ).arg( ingest::kindNames().join( QLatin1String( ", " ) ) ) );
      const QStringList files = parser.positionalArguments();
      if ( files.size() != 1 )
        return fail( QStringLiteral( "give exactly one FILE to import" ) );
      options.filePath = files.first();
      if ( !QFileInfo( options.filePath ).isFile() )
        return fail( QStringLiteral( "no such file: %1" ).arg( options.filePath ) );
      options.mapping = parser.value( QStringLiteral( "mapping" ) );
      options.boundaryKind = parser.value( QStringLiteral( "boundary-kind" ) );
      if ( !options.mapping.isEmpty() && ingest::isPolygonKind( options.kind ) )
        return fail( QStringLiteral( "--mapping applies to CSV kinds only" ) );

      QString error;
      OpenFailure failure = OpenFailure::None;
      std::unique_ptr<ProjectFile> project = ProjectFile::open( projectPath, ProjectFile::Mode::ReadWrite, &error, &failure );
      if ( !project )
        return fail( error );

      QgsFeedback feedback;
      const bool progress = parser.isSet( QStringLiteral( "progress" ) );
      int lastPercent = -1;
      if ( progress )
      {
        QObject::connect( &feedback, &QgsFeedback::progressChanged, &feedback, [&lastPercent]( double p ) {
          if ( static_cast<int>( p ) / 10 != lastPercent / 10 )
          {
            lastPercent = static_cast<int>( p );
            QTextStream( stderr ) << "import: " << lastPercent << "%\n";
          }
        } );
      }
      ingest::Importer importer( *project );
      const ingest::ImportSummary summary = importer.run( options, &feedback );
      if ( parser.isSet( QStringLiteral( "json" ) ) )
        printJson( summary.toJson() );
      else if ( summary.ok )
        print( summary.toText() );
      if ( !summary.ok )
        return fail( summary.error, summary.rowsRead == 0 ? BadInput : Failed );
      return Ok;
    }
};

STATDESK_REGISTER_COMMAND( ImportCommand );

} // namespace statdesk::cli
