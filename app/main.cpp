// statdesk: the desktop app. `statdesk [project.gpkg] [--screenshot FILE.png]`
#include "MainWindow.h"

#include "common/QgisRuntime.h"
#include "common/Translations.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QImage>
#include <QTimer>

#include <qgsapplication.h>
#include <qgsmapcanvas.h>

#include <cstdio>

int main( int argc, char **argv )
{
  statdesk::QgisRuntime runtime( argc, argv, true, QStringLiteral( "statdesk" ) );
  QCoreApplication::setApplicationVersion( statdesk::statdeskVersion() );
  statdesk::installTranslations(); // the user's locale (LANG / LC_ALL)

  QCommandLineParser parser;
  parser.setApplicationDescription( QStringLiteral( "StatDesk: a desktop GIS for a city's violence-reduction work." ) );
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument( QStringLiteral( "project" ), QStringLiteral( "Project file (.gpkg) to open." ), QStringLiteral( "[project.gpkg]" ) );
  QCommandLineOption screenshot( QStringLiteral( "screenshot" ), QStringLiteral( "Open the project, wait until the map is drawn, save the window to FILE.png and quit." ),
                                 QStringLiteral( "FILE.png" ) );
  parser.addOption( screenshot );
  parser.process( *runtime.application() );

  const QStringList positional = parser.positionalArguments();
  if ( positional.size() > 1 )
  {
    std::fprintf( stderr, "statdesk: one project file at most\n" );
    return 2;
  }
  const QString projectPath = positional.value( 0 );
  const QString shotPath = parser.value( screenshot );
  if ( parser.isSet( screenshot ) && projectPath.isEmpty() )
  {
    std::fprintf( stderr, "statdesk: --screenshot needs a project file\n" );
    return 2;
  }

  statdesk::MainWindow window;
  window.show();

  int exitCode = 0;
  if ( !projectPath.isEmpty() )
  {
    // After the first show, so the canvas has its final size before the first render.
    QTimer::singleShot( 0, &window, [&] {
      const bool interactive = shotPath.isEmpty();
      QString error;
      if ( !window.openProject( projectPath, statdesk::ProjectFile::Mode::ReadWrite, interactive, &error ) && !interactive )
      {
        // A screenshot of someone else's open project is still a screenshot.
        if ( !window.openProject( projectPath, statdesk::ProjectFile::Mode::ReadOnly, false, &error ) )
        {
          std::fprintf( stderr, "statdesk: %s\n", qPrintable( error ) );
          exitCode = 1;
          QCoreApplication::exit( 1 );
          return;
        }
      }
      if ( shotPath.isEmpty() )
        return;
      if ( !statdesk::waitForCanvasRendered( window.canvas(), 60000 ) )
      {
        std::fprintf( stderr, "statdesk: the map did not finish drawing within 60 s\n" );
        exitCode = 1;
        QCoreApplication::exit( 1 );
        return;
      }
      const QImage image = window.grab().toImage();
      if ( !image.save( shotPath ) )
      {
        std::fprintf( stderr, "statdesk: cannot write %s\n", qPrintable( shotPath ) );
        exitCode = 1;
        QCoreApplication::exit( 1 );
        return;
      }
      std::printf( "%s\n", qPrintable( QFileInfo( shotPath ).absoluteFilePath() ) );
      std::fflush( stdout );
      window.close();
      QCoreApplication::exit( 0 );
    } );
  }
  const int rc = QgsApplication::exec();
  return exitCode ? exitCode : rc;
}
