/**
 * \file OgrSource.h
 * Vector files read through OGR (GeoJSON, Shapefile, zipped Shapefile, GeoPackage, KML ...):
 * opening one layer of them, and handing a point layer to the CSV import path as a CSV with a
 * WKT "Location" column, so city layouts and saved mappings work on any format. Internal to ingest.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>
#include <QStringList>

#include <memory>

class QgsFeedback;
class QgsVectorLayer;

namespace statdesk::ingest
{

//! True for files read through OGR rather than as delimited text (by extension).
STATDESK_CORE_EXPORT bool isOgrSource( const QString &path );

//! OGR data source URI of \a path (zipped files through /vsizip/) and, when given, one layer of it.
QString ogrUri( const QString &path, const QString &layerName = QString() );

//! Opens \a layerName of \a path (empty: the first layer); nullptr with \a error when OGR cannot read it.
std::unique_ptr<QgsVectorLayer> openOgrLayer( const QString &path, const QString &layerName, QString *error );

//! What writeOgrAsCsv did.
struct OgrCsvStats
{
    qint64 features = 0;
    qint64 withoutGeometry = 0;
    qint64 reducedToPoint = 0; //!< lines and polygons written as a point on their surface
    QString locationColumn; //!< name of the column holding the WKT point
};

/**
 * Writes the features of \a layer as UTF-8 CSV to \a csvPath: one column per attribute, then a
 * location column with "POINT (lon lat)" in WGS 84 (named "Location", or "statdesk_location"
 * when the layer already has a Location attribute). Polygons and lines are written as a point
 * on their surface. At most \a maxFeatures features (< 0: all).
 */
bool writeOgrAsCsv( QgsVectorLayer *layer, const QString &csvPath, qint64 maxFeatures, OgrCsvStats *stats, QString *error, QgsFeedback *feedback = nullptr );

} // namespace statdesk::ingest
