// statdesk-cli briefing: PDF briefing maps (citywide page, grant neighborhood atlas, cluster sheets).
#include "Command.h"
#include "briefing/Briefing.h"
#include "project/ProjectFile.h"

#include <QDate>
#include <QDir>
#include <QFileInfo>

#include <qgsfeedback.h>

namespace statdesk::cli
{

class BriefingCommand : public Command
{
  public:
    QString name() const override { return QStringLiteral( "briefing" ); }
    QString summary() const override { return QStringLiteral( "Export a PDF briefing: citywide page, grant neighborhood atlas or cluster sheets." ); }
    void configure( QCommandLineParser &parser ) const override
    {
      parser.addOption( { QStringLiteral( "project" ), QStringLiteral( "Project file (.gpkg)." ), QStringLiteral( "P.gpkg" ) } );
      parser.addOption( { QStringLiteral( "template" ), QStringLiteral( "citywide, neighborhoods or clusters." ), QStringLiteral( "NAME" ) } );
      parser.addOption( { QStringLiteral( "out" ), QStringLiteral( "PDF to write." ), QStringLiteral( "F.pdf" ) } );
      parser.addOption( { QStringLiteral( "from" ), QStringLiteral( "First day of the period (YYYY-MM-DD; default: 28 days ending at --to; with --public 12 months)." ), QStringLiteral( "D" ) } );
      parser.addOption( { QStringLiteral( "to" ), QStringLiteral( "Last day of the period (YYYY-MM-DD; default: date of the latest incident; with --public the end of the last full month of data)." ), QStringLiteral( "D" ) } );
      parser.addOption( { QStringLiteral( "public" ), QStringLiteral( "Public version: incidents only as hexagon counts, small counts suppressed." ) } );
      parser.addOption( { QStringLiteral( "threshold" ), QStringLiteral( "Public version: smallest count shown (default 5)." ), QStringLiteral( "N" ), QStringLiteral( "5" ) } );
      parser.addOption( { QStringLiteral( "page" ), QStringLiteral( "letter or a4 (default letter)." ), QStringLiteral( "SIZE" ), QStringLiteral( "letter" ) } );
      parser.addOption( { QStringLiteral( "orientation" ), QStringLiteral( "landscape or portrait (default landscape)." ), QStringLiteral( "O" ), QStringLiteral( "landscape" ) } );
      parser.addOption( { QStringLiteral( "title" ), QStringLiteral( "Page title (default: '<city>: citywide briefing' ...)." ), QStringLiteral( "TEXT" ) } );
      parser.addOption( { QStringLiteral( "logo" ), QStringLiteral( "Logo image (SVG or raster) shown in the header." ), QStringLiteral( "FILE" ) } );
      parser.addOption( { QStringLiteral( "layout" ), QStringLiteral( "An edited QGIS layout template (.qpt) to use instead of the built-in one." ), QStringLiteral( "FILE" ) } );
      parser.addOption( { QStringLiteral( "json" ), QStringLiteral( "Print JSON on stdout." ) } );
    }

    int run( const QCommandLineParser &parser ) override
    {
      const QString path = parser.value( QStringLiteral( "project" ) );
      const QString out = parser.value( QStringLiteral( "out" ) );
      if ( path.isEmpty() || out.isEmpty() || !parser.isSet( QStringLiteral( "template" ) ) )
        return fail( QStringLiteral( "--project, --template and --out are required" ) );
      BriefingOptions options;
      if ( !parseBriefingTemplate( parser.value( QStringLiteral( "template" ) ), &options.kind ) )
        return fail( QStringLiteral( "--template must be citywide, neighborhoods or clusters" ) );
      if ( !parseBriefingPageSize( parser.value( QStringLiteral( "page" ) ), &options.pageSize ) )
        return fail( QStringLiteral( "--page must be letter or a4" ) );
      if ( !parseBriefingOrientation( parser.value( QStringLiteral( "orientation" ) ), &options.orientation ) )
        return fail( QStringLiteral( "--orientation must be landscape or portrait" ) );
      for ( const char *key : { "from", "to" } )
      {
        const QString text = parser.value( QString::fromLatin1( key ) );
        if ( text.isEmpty() )
          continue;
        const QDate d = QDate::fromString( text, Qt::ISODate );
        if ( !d.isValid() )
          return fail( QStringLiteral( "--%1 must be a date YYYY-MM-DD, not '%2'" ).arg( QString::fromLatin1( key ), text ) );
        ( qstrcmp( key, "from" ) == 0 ? options.from : options.to ) = d;
      }
      if ( options.from.isValid() && options.to.isValid() && options.from > options.to )
        return fail( QStringLiteral( "--from is after --to" ) );
      bool ok = false;
      options.suppressionThreshold = parser.value( QStringLiteral( "threshold" ) ).toInt( &ok );
      if ( !ok || options.suppressionThreshold < 1 || options.suppressionThreshold > 1000 )
        return fail( QStringLiteral( "--threshold must be a whole number from 1 to 1000" ) );
      options.publicMode = parser.isSet( QStringLiteral( "public" ) );
      options.title = parser.value( QStringLiteral( "title" ) );
      options.logoPath = parser.value( QStringLiteral( "logo" ) );
      if ( !options.logoPath.isEmpty() && !QFileInfo::exists( options.logoPath ) )
        return fail( QStringLiteral( "logo %1 not found" ).arg( options.logoPath ) );
      options.templatePath = parser.value( QStringLiteral( "layout" ) );
      if ( !options.templatePath.isEmpty() && !QFileInfo::exists( options.templatePath ) )
        return fail( QStringLiteral( "layout template %1 not found" ).arg( options.templatePath ) );
      if ( !out.endsWith( QLatin1String( ".pdf" ), Qt::CaseInsensitive ) )
        return fail( QStringLiteral( "--out must name a .pdf file" ) );
      if ( !QFileInfo( out ).absoluteDir().exists() )
        return fail( QStringLiteral( "folder of %1 does not exist" ).arg( out ) );
      QString error;
      if ( ProjectFile::probe( path, &error ) != OpenFailure::None )
        return fail( QStringLiteral( "%1: %2" ).arg( path, error ) );

      BriefingExporter exporter( path );
      QgsFeedback feedback;
      const BriefingResult result = exporter.exportPdf( options, out, &feedback );
      if ( !result.ok )
        return fail( result.error, Failed );
      if ( parser.isSet( QStringLiteral( "json" ) ) )
        printJson( result.toJson() );
      else
        print( QStringLiteral( "%1 (%2 page%3, %4 KB, %5 s)" )
                 .arg( result.pdfPath )
                 .arg( result.pages )
                 .arg( result.pages == 1 ? QString() : QStringLiteral( "s" ) )
                 .arg( ( result.bytes + 1023 ) / 1024 )
                 .arg( result.elapsedMs / 1000.0, 0, 'f', 1 ) );
      return Ok;
    }
};

STATDESK_REGISTER_COMMAND( BriefingCommand );

} // namespace statdesk::cli
