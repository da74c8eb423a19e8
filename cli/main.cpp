// statdesk-cli: the automation interface on the same core as the app.
#include "Command.h"
#include "common/QgisRuntime.h"

#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

namespace statdesk::cli
{

std::vector<CommandFactory> &commandRegistry()
{
  static std::vector<CommandFactory> sRegistry;
  return sRegistry;
}

int Command::fail( const QString &message, int code ) const
{
  QTextStream err( stderr );
  err << "statdesk-cli " << name() << ": " << QString( message ).replace( QLatin1Char( '\n' ), QLatin1Char( ' ' ) ) << '\n';
  return code;
}

void Command::printJson( const QJsonObject &json ) const
{
  QTextStream out( stdout );
  out << QString::fromUtf8( QJsonDocument( json ).toJson( QJsonDocument::Indented ) );
}

void Command::print( const QString &line ) const
{
  QTextStream out( stdout );
  out << line << '\n';
}

} // namespace statdesk::cli

namespace
{
void usage( const std::vector<std::unique_ptr<statdesk::cli::Command>> &commands, FILE *stream )
{
  QTextStream out( stream );
  out << "Usage: statdesk-cli COMMAND [options]\n\nStatDesk " << statdesk::statdeskVersion()
      << " automation interface. Commands:\n";
  for ( const auto &c : commands )
    out << "  " << c->name().leftJustified( 12 ) << c->summary() << '\n';
  out << "\nRun 'statdesk-cli COMMAND --help' for a command's options.\n";
}

//! The command's options and -h/--help.
void setUpParser( const statdesk::cli::Command &command, QCommandLineParser &parser, const QCommandLineOption &help )
{
  parser.setApplicationDescription( command.summary() );
  parser.setSingleDashWordOptionMode( QCommandLineParser::ParseAsLongOptions );
  parser.addOption( help );
  command.configure( parser );
}

const QCommandLineOption &helpOption()
{
  static const QCommandLineOption help( { QStringLiteral( "h" ), QStringLiteral( "help" ) }, QStringLiteral( "Show this help." ) );
  return help;
}

/**
 * Asked before any application object exists. Arguments that do not parse (Qt's own options
 * such as -platform among them) keep the QGIS runtime, whose run reports or consumes them.
 */
bool needsQgisRuntime( const statdesk::cli::Command &command, int argc, char **argv )
{
  QStringList args;
  for ( int i = 0; i < argc; ++i )
    if ( i != 1 ) // the command name
      args << QString::fromLocal8Bit( argv[i] );
  QCommandLineParser parser;
  setUpParser( command, parser, helpOption() );
  return !parser.parse( args ) || parser.isSet( helpOption() ) || command.needsQgisRuntime( parser );
}

//! Parses the application's arguments and runs the command or prints its help.
int runCommand( statdesk::cli::Command &command, const QString &commandName )
{
  using namespace statdesk::cli;
  QStringList args = QCoreApplication::arguments();
  args.removeAt( 1 ); // the command name

  QCommandLineParser parser;
  setUpParser( command, parser, helpOption() );
  if ( !parser.parse( args ) )
  {
    QTextStream( stderr ) << "statdesk-cli " << commandName << ": " << parser.errorText() << '\n';
    return BadInput;
  }
  if ( parser.isSet( helpOption() ) )
  {
    QString text = parser.helpText();
    // Qt names the program as it was typed; the usage line names the subcommand instead.
    const int lineEnd = text.indexOf( QLatin1Char( '\n' ) );
    const int options = text.indexOf( QLatin1String( " [options]" ) );
    if ( text.startsWith( QLatin1String( "Usage: " ) ) && options > 0 && options < lineEnd )
      text.replace( 7, options - 7, QStringLiteral( "statdesk-cli %1" ).arg( commandName ) );
    if ( !text.endsWith( QLatin1Char( '\n' ) ) )
      text += QLatin1Char( '\n' );
    QTextStream( stdout ) << text;
    return Ok;
  }
  return command.run( parser );
}
} // namespace

int main( int argc, char **argv )
{
  using namespace statdesk::cli;
  std::vector<std::unique_ptr<Command>> commands;
  for ( const auto &factory : commandRegistry() )
    commands.push_back( factory() );
  std::sort( commands.begin(), commands.end(), []( const auto &a, const auto &b ) { return a->name() < b->name(); } );

  if ( argc < 2 || QString::fromLocal8Bit( argv[1] ) == QLatin1String( "--help" ) || QString::fromLocal8Bit( argv[1] ) == QLatin1String( "-h" ) )
  {
    usage( commands, argc < 2 ? stderr : stdout );
    return argc < 2 ? BadInput : Ok;
  }
  if ( QString::fromLocal8Bit( argv[1] ) == QLatin1String( "--version" ) )
  {
    QTextStream( stdout ) << "statdesk-cli " << statdesk::statdeskVersion() << '\n';
    return Ok;
  }

  const QString commandName = QString::fromLocal8Bit( argv[1] );
  auto it = std::find_if( commands.begin(), commands.end(), [&]( const auto &c ) { return c->name() == commandName; } );
  if ( it == commands.end() )
  {
    QTextStream( stderr ) << "statdesk-cli: unknown command '" << commandName << "'; run 'statdesk-cli --help'\n";
    return BadInput;
  }
  if ( !needsQgisRuntime( **it, argc, argv ) )
  {
    QCoreApplication::setOrganizationName( QStringLiteral( "StatDesk" ) );
    QCoreApplication::setApplicationName( QStringLiteral( "statdesk-cli" ) );
    QCoreApplication application( argc, argv );
    return runCommand( **it, commandName );
  }

  if ( !( *it )->needsQgisPlugins() )
  {
    // A file pattern no plugin matches (an explicit setting of the user wins).
    for ( const char *variable : { "QGIS_PROVIDER_FILE", "QGIS_AUTHMETHOD_FILE" } )
      if ( !qEnvironmentVariableIsSet( variable ) )
        qputenv( variable, "^$" );
  }
  statdesk::QgisRuntime runtime( argc, argv, false, QStringLiteral( "statdesk-cli" ) );
  return runCommand( **it, commandName );
}
