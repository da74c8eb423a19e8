// statdesk-cli import: bring a city's data file into a project.
#include "Command.h"
#include "ingest/Importer.h"
#include "project/ProjectFile.h"

#include <QFileInfo>
#include <QTextStream>

#include <qgsfeedback.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

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
#ifdef __GLIBC__
      // glibc hands the top of its heap back to the kernel as soon as 128 KiB of it are free and
      // takes it back page by page, a page fault each, at the next allocation. An import allocates
      // and frees in waves (SQLite's statement journals and index sorts, the parser's batches):
      // keep what was freed, and grow the heap 32 MiB at a time (measured on a 1M-row first
      // import: 79k page faults instead of 93k). The process ends after the import.
      mallopt( M_TRIM_THRESHOLD, 1 << 30 );
      mallopt( M_TOP_PAD, 32 << 20 );
#endif
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
