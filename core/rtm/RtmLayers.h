/**
 * \file RtmLayers.h
 * rtm: QGIS map layers of a saved run, read from its tables in the project GeoPackage: the
 * relative risk score raster with a graduated style by risk class, and the high-risk and
 * priority places with their outlines. Used by the app's RTM panel and the briefing section.
 *
 * The layers carry the custom properties "statdesk/table" (the table) and "statdesk/rtmRun"
 * (the run id), so the app finds them again. Returned layers are owned by the caller (hand them
 * to a QgsProject with an explicit release()). Create them in the thread that will use them.
 */
#pragma once

#include "rtm/RtmEngine.h"
#include "statdesk_core_export.h"

#include <memory>
#include <vector>

class QgsRasterLayer;
class QgsVectorLayer;

namespace statdesk::rtm
{

//! Custom property holding the run id of a layer made here.
STATDESK_CORE_EXPORT const char *rtmRunProperty();

//! GDAL data source of run \a runId's RRS raster ("GPKG:<file>:rtm_rrs_<id>").
STATDESK_CORE_EXPORT QString rtmRasterSource( const QString &gpkgPath, qint64 runId );

/**
 * The RRS raster of run \a runId, styled by \a classes (the run's risk classes: at or below
 * average, above average, moderately high, highest) from pale to dark red. nullptr with
 * \a error when the table cannot be read.
 */
STATDESK_CORE_EXPORT std::unique_ptr<QgsRasterLayer> makeRrsLayer( const QString &gpkgPath, qint64 runId, const std::vector<RiskClass> &classes, const QString &name, QString *error );

//! The high-risk (\a priority false) or priority places of run \a runId, styled.
STATDESK_CORE_EXPORT std::unique_ptr<QgsVectorLayer> makePlacesLayer( const QString &gpkgPath, qint64 runId, bool priority, const QString &name, QString *error );

} // namespace statdesk::rtm
