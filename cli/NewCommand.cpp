// statdesk-cli new: an empty project for a real city.
#include "Command.h"
#include "project/ProjectFile.h"

namespace statdesk::cli
{

class NewCommand : public Command
{
  public:
    QString name() const override { return QStringLiteral( "new" ); }
    QString summary() const override { return QStringLiteral( "Create an empty project for a city (projected CRS in metres or feet)." ); }
    void configure( QCommandLineParser &parser ) const override
    {
      parser.addOption( { QStringLiteral( "out" ), QStringLiteral( "Project file to create (.gpkg)." ), QStringLiteral( "P.gpkg" ) } );
      parser.addOption( { QStringLiteral( "name" ), QStringLiteral( "City name." ), QStringLiteral( "NAME" ) } );
      parser.addOption( { QStringLiteral( "crs" ), QStringLiteral( "Projected CRS, e.g. EPSG:26915 for Kansas City." ), QStringLiteral( "EPSG:N" ) } );
      parser.addOption( { QStringLiteral( "time-zone" ), QStringLiteral( "IANA time zone of the city's data (default America/Chicago)." ), QStringLiteral( "TZ" ), QStringLiteral( "America/Chicago" ) } );
      parser.addOption( { QStringLiteral( "force" ), QStringLiteral( "Replace an existing file." ) } );
      parser.addOption( { QStringLiteral( "json" ), QStringLiteral( "Print JSON on stdout." ) } );
    }

    int run( const QCommandLineParser &parser ) override
    {
      const QString out = parser.value( QStringLiteral( "out" ) );
      if ( out.isEmpty() )
        return fail( QStringLiteral( "--out is required" ) );
      if ( !out.endsWith( QLatin1String( ".gpkg" ), Qt::CaseInsensitive ) )
        return fail( QStringLiteral( "the project file must end in .gpkg" ) );
      const QString name = parser.value( QStringLiteral( "name" ) ).trimmed();
      if ( name.isEmpty() )
        return fail( QStringLiteral( "--name is required" ) );
      const QString crsId = parser.value( QStringLiteral( "crs" ) );
      if ( crsId.isEmpty() )
        return fail( QStringLiteral( "--crs is required (e.g. EPSG:26915)" ) );
      ProjectSettings settings;
      settings.cityName = name;
      settings.crs = QgsCoordinateReferenceSystem( crsId );
      settings.timeZone = parser.value( QStringLiteral( "time-zone" ) );
      if ( !settings.crs.isValid() )
        return fail( QStringLiteral( "unknown CRS '%1'" ).arg( crsId ) );
      QString error;
      std::unique_ptr<ProjectFile> project = ProjectFile::create( out, settings, &error, parser.isSet( QStringLiteral( "force" ) ) );
      if ( !project )
        return fail( error );
      if ( parser.isSet( QStringLiteral( "json" ) ) )
        printJson( QJsonObject { { QStringLiteral( "project" ), project->path() }, { QStringLiteral( "city" ), project->cityName() },
                                 { QStringLiteral( "crs" ), project->crs().authid() }, { QStringLiteral( "schema_version" ), project->schemaVersion() } } );
      else
        print( QStringLiteral( "Created %1 (%2, %3)" ).arg( project->path(), name, settings.crs.authid() ) );
      return Ok;
    }
};

STATDESK_REGISTER_COMMAND( NewCommand );

} // namespace statdesk::cli
