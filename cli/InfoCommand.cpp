// statdesk-cli info: what a project holds.
#include "Command.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace statdesk::cli
{

class InfoCommand : public Command
{
  public:
    QString name() const override { return QStringLiteral( "info" ); }
    QString summary() const override { return QStringLiteral( "Layers, feature counts, CRS, extent, date range and schema of a project." ); }
    void configure( QCommandLineParser &parser ) const override
    {
      parser.addOption( { QStringLiteral( "project" ), QStringLiteral( "Project file (.gpkg)." ), QStringLiteral( "P.gpkg" ) } );
      parser.addOption( { QStringLiteral( "json" ), QStringLiteral( "Print JSON on stdout." ) } );
    }

    int run( const QCommandLineParser &parser ) override
    {
      const QString path = parser.value( QStringLiteral( "project" ) );
      if ( path.isEmpty() )
        return fail( QStringLiteral( "--project is required" ) );
      QString error;
      OpenFailure failure = OpenFailure::None;
      std::unique_ptr<ProjectFile> project = ProjectFile::open( path, ProjectFile::Mode::ReadOnly, &error, &failure );
      if ( !project )
        return fail( QStringLiteral( "%1: %2" ).arg( path, error ) );

      SqliteDatabase &db = project->database();
      QJsonObject json;
      json[QStringLiteral( "project" )] = project->path();
      json[QStringLiteral( "city" )] = project->cityName();
      json[QStringLiteral( "crs" )] = project->crs().authid();
      json[QStringLiteral( "time_zone" )] = project->metadata( schema::kMetaTimeZone );
      json[QStringLiteral( "schema_version" )] = project->schemaVersion();
      json[QStringLiteral( "app_version" )] = project->metadata( schema::kMetaAppVersion );
      json[QStringLiteral( "content_hash" )] = project->contentHash();

      QJsonArray layers;
      for ( const schema::Table &t : schema::tables() )
      {
        if ( t.kind == schema::TableKind::Restricted )
          continue;
        QJsonObject layer;
        layer[QStringLiteral( "name" )] = t.name;
        layer[QStringLiteral( "title" )] = t.title;
        const bool spatial = t.kind == schema::TableKind::PointLayer || t.kind == schema::TableKind::PolygonLayer;
        layer[QStringLiteral( "geometry" )] = t.kind == schema::TableKind::PointLayer ? QStringLiteral( "Point" )
                                              : t.kind == schema::TableKind::PolygonLayer ? QStringLiteral( "MultiPolygon" )
                                                                                          : QStringLiteral( "None" );
        layer[QStringLiteral( "features" )] = project->rowCount( t.name );
        if ( spatial )
        {
          layer[QStringLiteral( "located" )] = project->rowCount( t.name, true );
          const QgsRectangle e = project->layerExtent( t.name );
          if ( !e.isNull() )
            layer[QStringLiteral( "extent" )] = QJsonArray { e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum() };
        }
        const QString dateColumn = t.name == schema::kIncidents ? QStringLiteral( "occurred_at" )
                                   : t.name == schema::kServiceRequests ? QStringLiteral( "created_at" ) : QString();
        if ( !dateColumn.isEmpty() )
        {
          SqliteStatement st( db, QStringLiteral( "SELECT MIN(%1), MAX(%1) FROM \"%2\"" ).arg( dateColumn, t.name ) );
          if ( st.next() && !st.isNull( 0 ) )
            layer[QStringLiteral( "date_range" )] = QJsonArray { st.text( 0 ), st.text( 1 ) };
        }
        layers.append( layer );
      }
      json[QStringLiteral( "layers" )] = layers;
      const QgsRectangle full = project->fullExtent();
      if ( !full.isNull() )
        json[QStringLiteral( "extent" )] = QJsonArray { full.xMinimum(), full.yMinimum(), full.xMaximum(), full.yMaximum() };
      const QString truth = project->metadata( schema::kMetaDemoTruth );
      if ( !truth.isEmpty() )
        json[QStringLiteral( "demo_truth" )] = QJsonDocument::fromJson( truth.toUtf8() ).object();

      if ( parser.isSet( QStringLiteral( "json" ) ) )
      {
        printJson( json );
        return Ok;
      }
      print( QStringLiteral( "Project:  %1" ).arg( project->path() ) );
      print( QStringLiteral( "City:     %1" ).arg( project->cityName() ) );
      print( QStringLiteral( "CRS:      %1 (%2)" ).arg( project->crs().authid(), project->crs().description() ) );
      print( QStringLiteral( "Schema:   %1 (written by StatDesk %2)" ).arg( project->schemaVersion() ).arg( json[QStringLiteral( "app_version" )].toString() ) );
      for ( const QJsonValue &v : layers )
      {
        const QJsonObject l = v.toObject();
        QString line = QStringLiteral( "  %1 %2" ).arg( l[QStringLiteral( "name" )].toString().leftJustified( 22 ) ).arg( l[QStringLiteral( "features" )].toInt(), 9 );
        if ( l.contains( QStringLiteral( "located" ) ) )
          line += QStringLiteral( " (%1 located)" ).arg( l[QStringLiteral( "located" )].toInt() );
        if ( l.contains( QStringLiteral( "date_range" ) ) )
          line += QStringLiteral( "  %1 .. %2" ).arg( l[QStringLiteral( "date_range" )].toArray().at( 0 ).toString(), l[QStringLiteral( "date_range" )].toArray().at( 1 ).toString() );
        print( line );
      }
      if ( !truth.isEmpty() )
        print( QStringLiteral( "Demo truth: %1" ).arg( truth ) );
      return Ok;
    }
};

STATDESK_REGISTER_COMMAND( InfoCommand );

} // namespace statdesk::cli
