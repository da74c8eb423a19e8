/**
 * \file ClusterLayers.h
 * A clustering run as attribute rows and map layers: the one list of fields of cluster polygons
 * (with the card), grid cells and chain lines that the project tables (ClusterStore.h), the memory
 * layers of the panel and the briefing, and the GeoPackage / CSV exports share; the default
 * styles of those layers; and the export.
 *
 * Layers are returned to the caller, who owns them (hand them to a QgsProject with release()).
 * Building a memory layer is safe in any thread; styling touches only the layer.
 */
#pragma once

#include "clustering/ClusterRun.h"
#include "statdesk_core_export.h"

#include <QTimeZone>

#include <qgsattributes.h>
#include <qgscoordinatereferencesystem.h>
#include <qgsfields.h>

#include <memory>

class QgsVectorLayer;

namespace statdesk::clustering
{

//! Custom property "statdesk/run" of result layers: the run id (or -1 when unsaved).
STATDESK_CORE_EXPORT const char *runProperty();
//! Value of the "statdesk/role" property of result layers.
inline const QString kClusterResultRole = QStringLiteral( "cluster_result" );

//! Fields of a cluster polygon: run_id, cluster_id (1-based), cluster_label, the card's figures, area, centre.
STATDESK_CORE_EXPORT QgsFields clusterPolygonFields();
STATDESK_CORE_EXPORT QgsAttributes clusterPolygonAttributes( const ClusterAnalysis &analysis, const ClusterRecord &cluster );
//! Reads a cluster (id, label, order, detail, area, centre and the card) back from clusterPolygonFields() values.
STATDESK_CORE_EXPORT void readClusterPolygonAttributes( const QgsAttributes &attributes, ClusterRecord *cluster );

//! Fields of a grid cell: run_id, cell, col, row, count, z, p, bin, persistence, hot_periods, hot_earlier, hot_recent.
STATDESK_CORE_EXPORT QgsFields clusterCellFields();
STATDESK_CORE_EXPORT QgsAttributes clusterCellAttributes( const ClusterAnalysis &analysis, const ClusterCell &cell );
STATDESK_CORE_EXPORT void readClusterCellAttributes( const QgsAttributes &attributes, ClusterCell *cell );

//! Fields of a chain line: run_id, chain_id (1-based), events, first_at, last_at (local, with offset), days.
STATDESK_CORE_EXPORT QgsFields clusterChainFields();
STATDESK_CORE_EXPORT QgsAttributes clusterChainAttributes( const ClusterAnalysis &analysis, const ClusterChain &chain, const QTimeZone &timeZone );

//! SQL column definitions ("run_id INTEGER, cluster_label TEXT, ...") of \a fields.
STATDESK_CORE_EXPORT QString sqlColumns( const QgsFields &fields );

//! Memory layers of a run (empty layers when the run has no such result).
STATDESK_CORE_EXPORT std::unique_ptr<QgsVectorLayer> makeClusterPolygonLayer( const ClusterAnalysis &analysis, const QgsCoordinateReferenceSystem &crs );
STATDESK_CORE_EXPORT std::unique_ptr<QgsVectorLayer> makeClusterCellLayer( const ClusterAnalysis &analysis, const QgsCoordinateReferenceSystem &crs );
STATDESK_CORE_EXPORT std::unique_ptr<QgsVectorLayer> makeClusterChainLayer( const ClusterAnalysis &analysis, const QgsCoordinateReferenceSystem &crs, const QTimeZone &timeZone );

//! Outlined, lightly filled polygons labelled with cluster_label.
STATDESK_CORE_EXPORT void styleClusterPolygons( QgsVectorLayer *layer );
//! Gi* cells by confidence bin (cold blue to hot red, 90/95/99%) or persistence cells by class.
STATDESK_CORE_EXPORT void styleClusterCells( QgsVectorLayer *layer, ClusterMethod method );
STATDESK_CORE_EXPORT void styleClusterChains( QgsVectorLayer *layer );

/**
 * Writes the run's clusters with their card attributes to \a path: a GeoPackage (.gpkg, one
 * layer "clusters") or a CSV (.csv, geometry as WKT in column WKT). Through a temporary file,
 * so a failed export leaves no partial file. False with \a error.
 */
STATDESK_CORE_EXPORT bool exportClusters( const ClusterAnalysis &analysis, const QgsCoordinateReferenceSystem &crs, const QString &path, QString *error );

} // namespace statdesk::clustering
