#include "QgisRuntime.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <qgsapplication.h>

#include <cpl_conv.h>

namespace statdesk
{

QgisRuntime::QgisRuntime( int &argc, char **argv, bool gui, const QString &applicationName )
{
  // Without a display the CLI and tests still render (maps, charts, PDFs): use the offscreen platform.
  if ( !gui && qEnvironmentVariableIsEmpty( "QT_QPA_PLATFORM" ) && qEnvironmentVariableIsEmpty( "DISPLAY" )
       && qEnvironmentVariableIsEmpty( "WAYLAND_DISPLAY" ) )
    qputenv( "QT_QPA_PLATFORM", "offscreen" );

  // Qt warns on every start when XDG_RUNTIME_DIR is unset (CI, cron jobs): give it a private one.
  if ( qEnvironmentVariableIsEmpty( "XDG_RUNTIME_DIR" ) )
  {
    const QString runtimeDir = QDir::temp().filePath( QStringLiteral( "statdesk-runtime-%1" ).arg( QString::fromLocal8Bit( qgetenv( "USER" ) ) ) );
    if ( QDir().mkpath( runtimeDir ) && QFile::setPermissions( runtimeDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner ) )
      qputenv( "XDG_RUNTIME_DIR", runtimeDir.toLocal8Bit() );
  }

  QCoreApplication::setOrganizationName( QStringLiteral( "StatDesk" ) );
  QCoreApplication::setOrganizationDomain( QStringLiteral( "statdesk.org" ) );
  QCoreApplication::setApplicationName( applicationName );

  // QGIS keeps its own profile (settings, auth db) apart from the user's QGIS installation.
  const QString profileRoot = QStandardPaths::writableLocation( QStandardPaths::AppDataLocation );
  QDir().mkpath( profileRoot );
  mApp = std::make_unique<QgsApplication>( argc, argv, true, profileRoot, QStringLiteral( "desktop" ) );
  const QByteArray prefix = qgetenv( "QGIS_PREFIX_PATH" );
  QgsApplication::setPrefixPath( prefix.isEmpty() ? QStringLiteral( "/usr" ) : QString::fromLocal8Bit( prefix ), true );
  QgsApplication::initQgis();

  // QGIS 3.22 with GDAL 3.6 switches GeoPackages to WAL when a layer is opened for update and
  // reads others with NOLOCK; with both on one file, a layer with a subset string fails with
  // "unable to open database file". Keeping the rollback journal avoids that, and keeps the
  // project ONE file (no -wal / -shm companions) that our transactions already make crash-safe.
  CPLSetConfigOption( "OGR_SQLITE_JOURNAL", "DELETE" );
}

QgisRuntime::~QgisRuntime()
{
  QgsApplication::exitQgis();
  mApp.reset();
}

QString statdeskVersion()
{
  return QStringLiteral( STATDESK_VERSION );
}

} // namespace statdesk
