#include "BriefingTasks.h"

namespace statdesk
{

BriefingTask::BriefingTask( const QString &description, const QString &projectPath, const BriefingOptions &options )
    : QgsTask( description, QgsTask::CanCancel ), mProjectPath( projectPath ), mOptions( options )
{
  // The exporter reports on the feedback from the task's thread; QgsTask::setProgress is thread-safe.
  connect(
      &mFeedback, &QgsFeedback::progressChanged, this, [this]( double progress )
      { setProgress( progress ); },
      Qt::DirectConnection );
}

void BriefingTask::cancel()
{
  mFeedback.cancel();
  QgsTask::cancel();
}

BriefingPreviewTask::BriefingPreviewTask( const QString &projectPath, const BriefingOptions &options, int page, double dpi )
    : BriefingTask( tr( "Briefing preview, page %1" ).arg( page + 1 ), projectPath, options ), mPage( page ), mDpi( dpi )
{
}

bool BriefingPreviewTask::run()
{
  BriefingExporter exporter( mProjectPath );
  mResult = exporter.renderPreview( mOptions, mPage, mDpi, &mImage, &mFeedback );
  return mResult.ok && !isCanceled();
}

BriefingExportTask::BriefingExportTask( const QString &projectPath, const BriefingOptions &options, const QString &pdfPath )
    : BriefingTask( tr( "Exporting briefing %1" ).arg( pdfPath ), projectPath, options ), mPdfPath( pdfPath )
{
}

bool BriefingExportTask::run()
{
  BriefingExporter exporter( mProjectPath );
  mResult = exporter.exportPdf( mOptions, mPdfPath, &mFeedback );
  return mResult.ok;
}

} // namespace statdesk
