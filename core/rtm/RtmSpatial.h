/**
 * \file RtmSpatial.h
 * rtm: lattice operations behind the candidate variables: the grid over the study area, exact
 * Euclidean distances from cell centroids to the nearest feature (points, line segments,
 * polygon edges; 0 inside polygons), quartic kernel density at cell centroids, and dissolving
 * flagged cells into polygons. Work is "painting" each feature onto the cells within the
 * largest distance of interest, so the cost grows with features x (distance / cell)^2, not with
 * cells x features. Pure functions; thread-safe.
 */
#pragma once

#include "statdesk_core_export.h"
#include "rtm/RtmEngine.h"

#include <qgsgeometry.h>

#include <cstdint>
#include <vector>

namespace statdesk::rtm
{

//! Square cells over the bounding box of \a area from (xmin, ymin); in the area when the centroid is.
STATDESK_CORE_EXPORT RtmGrid makeGrid( const QgsGeometry &area, double cellSize );

/**
 * Squared distance from each in-area cell centroid to the nearest feature of \a features, exact
 * up to \a maxDistance; cells farther than that get +infinity.
 */
STATDESK_CORE_EXPORT std::vector<float> squaredDistanceField( const RtmGrid &grid, const FeatureSet &features, double maxDistance );

//! Quartic (biweight) kernel density, radius \a radius, of points at each in-area cell centroid (per unit area).
STATDESK_CORE_EXPORT std::vector<double> quarticDensity( const RtmGrid &grid, const std::vector<double> &x, const std::vector<double> &y, double radius );

/**
 * Labels the 4-connected groups of flagged in-area cells (0, 1, ... in the order of their first
 * in-area cell); \a labelOfRow receives each in-area cell's group or -1. Returns the group count.
 */
STATDESK_CORE_EXPORT int labelCellGroups( const RtmGrid &grid, const std::vector<std::uint8_t> &flags, std::vector<int> *labelOfRow );

//! The square of in-area cell \a row.
STATDESK_CORE_EXPORT QgsGeometry cellSquare( const RtmGrid &grid, int row );

//! Union of the in-area cells flagged in \a flags; \a components receives the number of 4-connected groups.
STATDESK_CORE_EXPORT QgsGeometry dissolveCells( const RtmGrid &grid, const std::vector<std::uint8_t> &flags, int *components );

} // namespace statdesk::rtm
