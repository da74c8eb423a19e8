// statdesk-cli new: an empty project for a real city, or one made from the layers of a GeoPackage.
#include "Command.h"
#include "ingest/ProjectFromGeoPackage.h"
#include "project/ProjectFile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

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
      parser.addOption( { QStringLiteral( "from" ), QStringLiteral( "Make the project from the layers of this GeoPackage (or other OGR source); --name and --crs default to the file name and a suggested CRS." ),
                          QStringLiteral( "SOURCE" ) } );
      parser.addOption( { QStringLiteral( "layer" ), QStringLiteral( "With --from: what a layer becomes, LAYER=TARGET (crime, 311, vacant, dangerous, neighborhoods, boundary, extra, skip); "
                                                                     "repeatable; layers not named get the suggested target." ),
                          QStringLiteral( "LAYER=TARGET" ) } );
      parser.addOption( { QStringLiteral( "json" ), QStringLiteral( "Print JSON on stdout." ) } );
    }

    int run( const QCommandLineParser &parser ) override
    {
      const QString out = parser.value( QStringLiteral( "out" ) );
      if ( out.isEmpty() )
        return fail( QStringLiteral( "--out is required" ) );
      if ( !out.endsWith( QLatin1String( ".gpkg" ), Qt::CaseInsensitive ) )
        return fail( QStringLiteral( "the project file must end in .gpkg" ) );
      if ( parser.isSet( QStringLiteral( "from" ) ) )
        return fromSource( parser, out );
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
        printJson( QJsonObject { { QStringLiteral( "project" ), project->path() }, { QStringLiteral( "city" ), project->cityName() }, { QStringLiteral( "crs" ), project->crs().authid() }, { QStringLiteral( "schema_version" ), project->schemaVersion() } } );
      else
        print( QStringLiteral( "Created %1 (%2, %3)" ).arg( project->path(), name, settings.crs.authid() ) );
      return Ok;
    }

  private:
    int fromSource( const QCommandLineParser &parser, const QString &out )
    {
      ingest::ProjectFromSourcePlan plan;
      plan.sourcePath = parser.value( QStringLiteral( "from" ) );
      plan.projectPath = out;
      QString error;
      const QVector<ingest::SourceLayerInfo> layers = ingest::listSourceLayers( plan.sourcePath, &error );
      if ( layers.isEmpty() )
        return fail( error );
      plan.cityName = parser.value( QStringLiteral( "name" ) ).trimmed();
      if ( plan.cityName.isEmpty() )
        plan.cityName = QFileInfo( plan.sourcePath ).completeBaseName();
      plan.crs = parser.isSet( QStringLiteral( "crs" ) ) ? QgsCoordinateReferenceSystem( parser.value( QStringLiteral( "crs" ) ) ) : ingest::suggestProjectCrs( plan.sourcePath, layers );
      plan.timeZone = parser.value( QStringLiteral( "time-zone" ) );
      for ( const ingest::SourceLayerInfo &l : layers )
        plan.targets.insert( l.name, l.suggestedTarget );
      for ( const QString &spec : parser.values( QStringLiteral( "layer" ) ) )
      {
        const int eq = spec.lastIndexOf( QLatin1Char( '=' ) );
        const QString layer = spec.left( eq );
        const QString target = spec.mid( eq + 1 );
        if ( eq <= 0 || !plan.targets.contains( layer ) )
          return fail( QStringLiteral( "--layer %1: the source has no layer \"%2\"" ).arg( spec, layer ) );
        if ( !ingest::layerTargets().contains( target ) )
          return fail( QStringLiteral( "--layer %1: target must be one of %2" ).arg( spec, ingest::layerTargets().join( QLatin1String( ", " ) ) ) );
        plan.targets.insert( layer, target );
      }
      if ( QFileInfo::exists( out ) )
      {
        if ( !parser.isSet( QStringLiteral( "force" ) ) )
          return fail( QStringLiteral( "%1 exists (use --force to replace it)" ).arg( out ) );
        QFile::remove( out );
      }
      const ingest::ProjectFromSourceResult result = ingest::createProjectFromSource( plan );
      if ( parser.isSet( QStringLiteral( "json" ) ) )
      {
        QJsonArray imports;
        for ( const ingest::ImportSummary &s : result.imports )
          imports.append( s.toJson() );
        QJsonObject extra;
        for ( auto it = result.extraTables.constBegin(); it != result.extraTables.constEnd(); ++it )
          extra.insert( it.key(), QJsonObject { { QStringLiteral( "table" ), it.value() }, { QStringLiteral( "features" ), result.extraFeatures.value( it.key() ) } } );
        QJsonObject targets;
        for ( auto it = plan.targets.constBegin(); it != plan.targets.constEnd(); ++it )
          targets.insert( it.key(), it.value() );
        printJson( QJsonObject { { QStringLiteral( "ok" ), result.ok }, { QStringLiteral( "error" ), result.error }, { QStringLiteral( "project" ), out }, { QStringLiteral( "crs" ), plan.crs.authid() }, { QStringLiteral( "targets" ), targets }, { QStringLiteral( "imports" ), imports }, { QStringLiteral( "copied" ), extra } } );
      }
      else if ( result.ok )
        print( result.toText() );
      return result.ok ? Ok : fail( result.toText() );
    }
};

STATDESK_REGISTER_COMMAND( NewCommand );

} // namespace statdesk::cli
