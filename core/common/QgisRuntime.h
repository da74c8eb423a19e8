/**
 * \file QgisRuntime.h
 * Starting and stopping QGIS inside our processes (app, CLI, tests) the same way everywhere.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

#include <memory>

class QgsApplication;

namespace statdesk
{

/**
 * Owns the one QgsApplication of a process: sets the prefix path (QGIS_PREFIX_PATH or /usr),
 * points the QGIS profile at \a profileDir when given (tests and the CLI use a throw-away one),
 * calls initQgis() and, on destruction, exitQgis().
 *
 * With \a gui false and no display, the offscreen platform is selected so rendering works.
 */
class STATDESK_CORE_EXPORT QgisRuntime
{
  public:
    QgisRuntime( int &argc, char **argv, bool gui, const QString &applicationName );
    ~QgisRuntime();
    QgisRuntime( const QgisRuntime & ) = delete;
    QgisRuntime &operator=( const QgisRuntime & ) = delete;

    QgsApplication *application() const { return mApp.get(); }

  private:
    std::unique_ptr<QgsApplication> mApp;
};

//! Version string of this build.
STATDESK_CORE_EXPORT QString statdeskVersion();

} // namespace statdesk
