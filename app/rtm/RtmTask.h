/**
 * \file RtmTask.h
 * A Risk Terrain Modeling run in the task manager: reads the inputs through its own read-only
 * connection to the project file (never the window's ProjectFile or QGIS layers), runs the
 * engine and prepares the run's map tables in a temporary file. It never writes the project: the
 * panel saves the result in the GUI thread after taskCompleted (one short transaction), so a
 * cancelled or failed run leaves the project exactly as it was.
 */
#pragma once

#include "rtm/RtmEngine.h"

#include <QTemporaryDir>

#include <qgsfeedback.h>
#include <qgstaskmanager.h>

#include <memory>

namespace statdesk
{

class RtmTask : public QgsTask
{
  Q_OBJECT
public:
  RtmTask( const QString &projectPath, const rtm::RtmParameters &parameters );

  void cancel() override;

  const rtm::RtmParameters &parameters() const { return mParameters; }
  //! The result (valid after taskCompleted); moved out, so call once.
  rtm::RtmResult takeResult() { return std::move( mResult ); }
  QString errorString() const { return mError; }
  //! The run's map tables, prepared for saveRtmRun (empty when that failed: saveRtmRun writes them then).
  QString mapTablesFile() const { return mMapTables; }

protected:
  bool run() override;

private:
  QString mPath;
  rtm::RtmParameters mParameters;
  rtm::RtmResult mResult;
  QString mError;
  QgsFeedback mFeedback;
  std::unique_ptr<QTemporaryDir> mTempDir;
  QString mMapTables;
};

} // namespace statdesk
