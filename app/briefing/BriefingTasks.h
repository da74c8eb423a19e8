/**
 * \file BriefingTasks.h
 * Background jobs of the briefing dialog: rendering one preview page and exporting the PDF,
 * each a QgsTask around the synchronous core call (core/briefing BriefingExporter) with
 * progress and cancel through a QgsFeedback.
 *
 * The exporter opens the project file read-only on its own connection and builds its own
 * QgsProject, so the tasks share nothing with the main window's project. Results are read in
 * the GUI thread after taskCompleted / taskTerminated.
 */
#pragma once

#include "briefing/Briefing.h"

#include <QImage>

#include <qgsfeedback.h>
#include <qgstaskmanager.h>

namespace statdesk
{

//! Shared part of the two tasks: the options, the feedback wired to the task's progress and cancel, the result.
class BriefingTask : public QgsTask
{
  Q_OBJECT
public:
  BriefingTask( const QString &description, const QString &projectPath, const BriefingOptions &options );
  void cancel() override;
  const BriefingResult &result() const { return mResult; }
  bool wasCanceled() const { return mFeedback.isCanceled(); }

protected:
  QString mProjectPath;
  BriefingOptions mOptions;
  QgsFeedback mFeedback;
  BriefingResult mResult;
};

//! Renders page \a page (0-based) of a briefing at \a dpi, from the layout the PDF would use.
class BriefingPreviewTask : public BriefingTask
{
  Q_OBJECT
public:
  BriefingPreviewTask( const QString &projectPath, const BriefingOptions &options, int page, double dpi );
  int page() const { return mPage; }
  QImage image() const { return mImage; }

protected:
  bool run() override;

private:
  int mPage = 0;
  double mDpi = 72;
  QImage mImage;
};

//! Writes the briefing PDF to \a pdfPath (through a temporary file: cancel leaves no PDF behind).
class BriefingExportTask : public BriefingTask
{
  Q_OBJECT
public:
  BriefingExportTask( const QString &projectPath, const BriefingOptions &options, const QString &pdfPath );
  QString pdfPath() const { return mPdfPath; }

protected:
  bool run() override;

private:
  QString mPdfPath;
};

} // namespace statdesk
