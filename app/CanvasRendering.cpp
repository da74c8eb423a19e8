#include "CanvasRendering.h"

#include <QApplication>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QThread>
#include <QThreadPool>

#include <qgsapplication.h>
#include <qgsmapcanvas.h>
#include <qgstaskmanager.h>

namespace statdesk
{

namespace
{
int runningTasks()
{
  int n = 0;
  const QList<QgsTask *> tasks = QgsApplication::taskManager()->tasks();
  for ( QgsTask *t : tasks )
    if ( t->status() == QgsTask::Running )
      ++n;
  return n;
}
} // namespace

void finishCanvasRendering( QgsMapCanvas *canvas )
{
  if ( canvas )
    canvas->cancelJobs(); // the current job, blocking (preview jobs are not enabled in StatDesk)
  // Jobs stopped earlier render their layers in the global thread pool (QtConcurrent), which also
  // runs the QgsTasks, and end in this thread through a QFutureWatcher event. Deliver those events
  // until the pool runs nothing but tasks; a cancelled job goes straight to its end.
  QThreadPool *pool = QThreadPool::globalInstance();
  QElapsedTimer timer;
  timer.start();
  for ( ;; )
  {
    QCoreApplication::sendPostedEvents( nullptr, QEvent::FutureCallOut );
    if ( pool->activeThreadCount() <= runningTasks() || timer.hasExpired( 30000 ) )
      break;
    QThread::msleep( 2 );
  }
  QCoreApplication::sendPostedEvents( nullptr, QEvent::FutureCallOut );
}

CanvasWriteGuard::CanvasWriteGuard( QgsMapCanvas *canvas, bool refreshAfter )
  : mCanvas( canvas ), mRefreshAfter( refreshAfter )
{
  QApplication::setOverrideCursor( Qt::WaitCursor );
  if ( mCanvas )
  {
    mCanvas->freeze( true );
    finishCanvasRendering( mCanvas );
  }
}

CanvasWriteGuard::~CanvasWriteGuard()
{
  QApplication::restoreOverrideCursor();
  if ( mCanvas )
  {
    mCanvas->freeze( false );
    if ( mRefreshAfter )
      mCanvas->refresh();
  }
}

} // namespace statdesk
