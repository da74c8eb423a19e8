/**
 * \file GpkgGeometry.h
 * GeoPackage geometry blobs ("GP" header + envelope + ISO WKB), written directly so that bulk
 * writers (demo generator, importers) can insert hundreds of thousands of features through one
 * prepared statement instead of going through OGR feature by feature.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QByteArray>

class QgsGeometry;

namespace statdesk
{

struct GpkgEnvelope
{
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
};

//! A GeoPackage blob of a 2D point, with its envelope.
STATDESK_CORE_EXPORT QByteArray gpkgPointBlob( double x, double y, int srsId );
//! Size of a writeGpkgPoint() blob.
constexpr int kGpkgPointSize = 29;
/**
 * A 2D point as GDAL writes points: the header without the envelope (optional for points, its
 * bounds are the point), then the WKB; kGpkgPointSize bytes at \a out. For bulk writers: no
 * allocation, and 32 bytes less per row than gpkgPointBlob().
 */
STATDESK_CORE_EXPORT void writeGpkgPoint( double x, double y, int srsId, char *out );
//! A GeoPackage blob of any QGIS geometry (WKB as QGIS exports it), with its envelope.
STATDESK_CORE_EXPORT QByteArray gpkgGeometryBlob( const QgsGeometry &geometry, int srsId );
//! Decodes a GeoPackage blob into a QGIS geometry (null geometry when the blob is not valid).
STATDESK_CORE_EXPORT QgsGeometry geometryFromGpkgBlob( const QByteArray &blob );

//! Envelope of a blob: from its header, or computed from the WKB when the header has none.
STATDESK_CORE_EXPORT bool gpkgBlobEnvelope( const unsigned char *data, int size, GpkgEnvelope &envelope );
STATDESK_CORE_EXPORT bool gpkgBlobIsEmpty( const unsigned char *data, int size );

} // namespace statdesk
