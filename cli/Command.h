/**
 * \file Command.h
 * Subcommands of statdesk-cli. Each lives in its own file and registers itself with
 * STATDESK_REGISTER_COMMAND; main() dispatches on the first argument.
 *
 * Conventions every command keeps: `--help`; on bad input one line "statdesk-cli NAME: reason"
 * on stderr and exit code 2; on a failure while working exit code 1; with `--json` the result
 * as one JSON document on stdout and nothing else there.
 */
#pragma once

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace statdesk::cli
{

enum ExitCode
{
  Ok = 0,
  Failed = 1,
  BadInput = 2,
};

class Command
{
  public:
    virtual ~Command() = default;
    virtual QString name() const = 0;
    virtual QString summary() const = 0;
    //! Declares options and positional arguments (help is added by the dispatcher).
    virtual void configure( QCommandLineParser &parser ) const = 0;
    /**
     * Whether this invocation needs the QGIS runtime (QgsApplication: providers, CRS database,
     * rendering). \a parser holds the arguments, parsed before any application object exists.
     * A command that works on plain files with its own code says no for such invocations and
     * runs in a QCoreApplication, which starts in a fraction of the time.
     */
    virtual bool needsQgisRuntime( const QCommandLineParser &parser ) const
    {
      Q_UNUSED( parser )
      return true;
    }
    //! Runs with parsed arguments; returns an ExitCode.
    virtual int run( const QCommandLineParser &parser ) = 0;
    /**
     * Whether the command needs QGIS's provider and authentication plugins (web services,
     * databases). A command that only reads local files through the built-in providers (OGR,
     * GDAL) says no and starts faster: the plugins are not loaded.
     */
    virtual bool needsQgisPlugins() const { return true; }

  protected:
    //! Prints "statdesk-cli NAME: message" on stderr and returns \a code.
    int fail( const QString &message, int code = BadInput ) const;
    //! Prints \a json compactly-indented on stdout.
    void printJson( const QJsonObject &json ) const;
    //! Prints a line of human-readable output on stdout.
    void print( const QString &line ) const;
};

using CommandFactory = std::function<std::unique_ptr<Command>()>;
std::vector<CommandFactory> &commandRegistry();

struct CommandRegistrar
{
    explicit CommandRegistrar( CommandFactory factory ) { commandRegistry().push_back( std::move( factory ) ); }
};

} // namespace statdesk::cli

#define STATDESK_REGISTER_COMMAND( Class ) \
  static const statdesk::cli::CommandRegistrar s##Class##Registrar( [] { return std::make_unique<Class>(); } )
