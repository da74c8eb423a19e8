// statdesk-cli render: the project's map as a PNG, without a display.
#include "Command.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"
#include "render/MapImage.h"

#include <QFileInfo>
#include <QSaveFile>

#include <qgsmapsettings.h>
#include <qgsproject.h>

namespace statdesk::cli
{

class RenderCommand : public Command
{
  public:
    QString name() const override { return QStringLiteral( "render" ); }
    QString summary() const override { return QStringLiteral( "Render the project's map (visible layers, full extent) to a PNG." ); }
    void configure( QCommandLineParser &parser ) const override
    {
      parser.addOption( { QStringLiteral( "project" ), QStringLiteral( "Project file (.gpkg)." ), QStringLiteral( "P.gpkg" ) } );
      parser.addOption( { QStringLiteral( "out" ), QStringLiteral( "PNG to write." ), QStringLiteral( "F.png" ) } );
      parser.addOption( { QStringLiteral( "size" ), QStringLiteral( "Image size WxH in pixels (default 1600x1100)." ), QStringLiteral( "WxH" ), QStringLiteral( "1600x1100" ) } );
      parser.addOption( { QStringLiteral( "json" ), QStringLiteral( "Print JSON on stdout." ) } );
    }

    int run( const QCommandLineParser &parser ) override
    {
      const QString path = parser.value( QStringLiteral( "project" ) );
      const QString out = parser.value( QStringLiteral( "out" ) );
      if ( path.isEmpty() || out.isEmpty() )
        return fail( QStringLiteral( "--project and --out are required" ) );
      const QStringList wh = parser.value( QStringLiteral( "size" ) ).split( QLatin1Char( 'x' ) );
      const QSize size = wh.size() == 2 ? QSize( wh[0].toInt(), wh[1].toInt() ) : QSize();
      if ( size.width() < 16 || size.height() < 16 || size.width() > 20000 || size.height() > 20000 )
        return fail( QStringLiteral( "--size must be WxH between 16 and 20000 pixels" ) );
      QString error;
      if ( ProjectFile::probe( path, &error ) != OpenFailure::None )
        return fail( QStringLiteral( "%1: %2" ).arg( path, error ) );
      QgsProject *project = QgsProject::instance();
      if ( !ProjectLayers::load( path, project, &error ) )
        return fail( error, Failed );
      qint64 ms = 0;
      const QImage image = renderMap( mapSettingsForProject( project, size ), &ms );
      QSaveFile file( out );
      if ( !file.open( QIODevice::WriteOnly ) || !image.save( &file, "PNG" ) || !file.commit() )
        return fail( QStringLiteral( "cannot write %1" ).arg( out ), Failed );
      const QString absolute = QFileInfo( out ).absoluteFilePath();
      if ( parser.isSet( QStringLiteral( "json" ) ) )
        printJson( QJsonObject { { QStringLiteral( "png" ), absolute }, { QStringLiteral( "render_ms" ), ms },
                                 { QStringLiteral( "width" ), size.width() }, { QStringLiteral( "height" ), size.height() } } );
      else
        print( absolute );
      project->clear();
      return Ok;
    }
};

STATDESK_REGISTER_COMMAND( RenderCommand );

} // namespace statdesk::cli
