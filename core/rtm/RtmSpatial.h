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

//! Union of the in-area cells flagged in \a flags; \a components receives the number of 4-connected groups.
STATDESK_CORE_EXPORT QgsGeometry dissolveCells( const RtmGrid &grid, const std::vector<std::uint8_t> &flags, int *components );

} // namespace statdesk::rtm
