/**
 * \file GetisOrd.h
 * Getis-Ord Gi* hot spots of event counts on a square grid, with binary distance-band weights
 * that include the cell itself (as R spdep::localG(include.self(dnearneigh(...)), style "B")).
 */
#pragma once

#include "clustering/ClusterPoints.h"
#include "statdesk_core_export.h"

#include <qgsrectangle.h>

#include <QJsonObject>

class QgsFeedback;

namespace statdesk::clustering
{

/**
 * A regular grid of square cells. Cell (column, row) covers
 * [originX + column·cellSize, originX + (column+1)·cellSize) × [originY + row·cellSize, ...),
 * rows counted upwards from the lower-left origin; cell index = row·columns + column.
 */
struct STATDESK_CORE_EXPORT GridSpec
{
  double originX = 0;
  double originY = 0;
  double cellSize = 0;
  int columns = 0;
  int rows = 0;

  std::size_t cellCount() const { return static_cast<std::size_t>( columns ) * static_cast<std::size_t>( rows ); }
  //! Cell index of a point, or -1 outside the grid.
  long long cellOf( double x, double y ) const;
  QgsRectangle cellRect( std::size_t index ) const;
  //! A grid covering \a extent with cells aligned to multiples of \a cellSize.
  static GridSpec covering( const QgsRectangle &extent, double cellSize );
  QJsonObject toJson() const;
};

//! Gi* parameters.
struct STATDESK_CORE_EXPORT GiStarParameters
{
  double cellSize = 150;
  double band = 0;     //!< distance band between cell centres; <= 0: cellSize·√2 (queen)
  bool fdr = false;    //!< Benjamini-Hochberg correction of the confidence bins
  QgsRectangle extent; //!< null: the points' extent
  double effectiveBand() const;
  QJsonObject toJson() const;
};

/**
 * Gi* per cell. z is G*_i (a z-score), p = 2Φ(−|z|); bin is −3..+3 (99/95/90% confidence, sign of
 * z), FDR-corrected when requested (z and p stay uncorrected, as ArcGIS reports them).
 */
struct STATDESK_CORE_EXPORT GiStarResult
{
  bool ok = false;
  bool canceled = false;
  QString errorString;
  GiStarParameters parameters;
  GridSpec grid;
  std::vector<double> counts;
  std::vector<double> z;
  std::vector<double> p;
  std::vector<int8_t> bin;
  std::size_t pointsOutside = 0;
  int neighboursPerCell = 0; //!< stencil size, the cell itself included
  double seconds = 0;

  //! Summary: grid, parameters, counts per bin; with \a cells also every non-empty or significant cell.
  QJsonObject toJson( bool cells = false ) const;
};

/**
 * Gi* of \a values on a columns × rows grid of square cells (index = row·columns + column) with
 * binary weights for every cell whose centre lies within \a bandCells cell sizes (self included).
 * Cells at the edge have fewer neighbours, as with dnearneigh on the cell centres.
 */
STATDESK_CORE_EXPORT std::vector<double> giStarOnGrid( const std::vector<double> &values, int columns, int rows, double bandCells, int *stencilSize = nullptr );

//! Two-sided p-values 2Φ(−|z|).
STATDESK_CORE_EXPORT std::vector<double> twoSidedP( const std::vector<double> &z );

/**
 * Confidence bins −3..+3: ±3 at 99%, ±2 at 95%, ±1 at 90%. With \a fdr, a level counts only for
 * the cells that Benjamini-Hochberg (statsmodels multipletests 'fdr_bh') rejects at that level's
 * alpha over all cells.
 */
STATDESK_CORE_EXPORT std::vector<int8_t> confidenceBins( const std::vector<double> &z, const std::vector<double> &p, bool fdr );

//! Counts points per cell of the parameters' grid and computes Gi*.
STATDESK_CORE_EXPORT GiStarResult runGiStar( const ClusterPoints &points, const GiStarParameters &parameters, QgsFeedback *feedback = nullptr );

} // namespace statdesk::clustering
