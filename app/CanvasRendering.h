/**
 * \file CanvasRendering.h
 * Stopping the map canvas's rendering for real before the project file is written or the canvas
 * and its layers go away.
 *
 * QgsMapCanvas::stopRendering(), which QGIS also calls whenever a refresh interrupts a render,
 * only asks the job to stop and lets it finish on its own; when it does, it still reads the
 * layers' data sources and writes into the canvas's image cache. In QGIS 3.22 that job reading a
 * GeoPackage while we write it can deadlock, and a job that outlives its canvas writes into freed
 * memory. The functions here wait for every such job.
 */
#pragma once

#include <QPointer>

class QgsMapCanvas;

namespace statdesk
{

/**
 * Cancels \a canvas's render job, waits for it and for every render job stopped earlier, and lets
 * them finish (their last step runs in this thread). Blocks for as long as the layers take to
 * notice the cancel, normally a few milliseconds.
 */
void finishCanvasRendering( QgsMapCanvas *canvas );

/**
 * While it lives: \a canvas renders nothing (frozen, every job finished) and the cursor shows a
 * wait. Put one around every write to the project file that the canvas's layers read.
 */
class CanvasWriteGuard
{
  public:
    //! \a refreshAfter: redraw the map when the guard goes (the write changed what it shows).
    explicit CanvasWriteGuard( QgsMapCanvas *canvas, bool refreshAfter = true );
    ~CanvasWriteGuard();
    CanvasWriteGuard( const CanvasWriteGuard & ) = delete;
    CanvasWriteGuard &operator=( const CanvasWriteGuard & ) = delete;

  private:
    QPointer<QgsMapCanvas> mCanvas;
    bool mRefreshAfter = true;
};

} // namespace statdesk
