/**
 * \file MapImage.h
 * Rendering a project's map to an image without a window: used by `statdesk-cli render`,
 * the set-up command on machines without a display, tests and benchmarks.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <qgsrectangle.h>

class QgsProject;
class QgsMapSettings;

namespace statdesk
{

//! Map settings for the visible layers of \a project (layer-tree order) at \a size, on \a extent (full extent when null).
STATDESK_CORE_EXPORT QgsMapSettings mapSettingsForProject( QgsProject *project, const QSize &size, const QgsRectangle &extent = QgsRectangle() );

//! Renders \a settings with QGIS's parallel renderer and waits for it. \a renderMs receives the render time.
STATDESK_CORE_EXPORT QImage renderMap( const QgsMapSettings &settings, qint64 *renderMs = nullptr );

} // namespace statdesk
