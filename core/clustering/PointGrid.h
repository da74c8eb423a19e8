/**
 * \file PointGrid.h
 * Internal to clustering/: points bucketed into square cells and stored cell by cell, the
 * spatial index every fixed-radius engine here uses (DBSCAN, Knox pairs, chains, NNH).
 * Not exported; no Qt.
 */
#pragma once

#include <cmath>
#include <cstdint>
#include <numeric>
#include <unordered_map>
#include <vector>

namespace statdesk::clustering::detail
{

/**
 * Points sorted by cell. Cell (cx, cy) = floor((x - minX) / cellSize), floor((y - minY) / cellSize).
 * order[k] is the original index of the k-th point in cell order; xs/ys are the coordinates in
 * that order (contiguous per cell, so scanning a cell is a linear read).
 */
class PointGrid
{
public:
  PointGrid( const double *x, const double *y, std::size_t n, double cellSize );

  std::size_t cellCount() const { return mCellX.size(); }
  uint32_t cellBegin( std::size_t c ) const { return mCellStart[c]; }
  uint32_t cellEnd( std::size_t c ) const { return mCellStart[c + 1]; }
  int32_t cellX( std::size_t c ) const { return mCellX[c]; }
  int32_t cellY( std::size_t c ) const { return mCellY[c]; }
  //! Index of cell (cx, cy), or -1 when it holds no point.
  int64_t findCell( int64_t cx, int64_t cy ) const;
  //! Cells within \a reach cells in x and y of cell \a c (itself included), ascending.
  void neighbourCells( std::size_t c, int reach, std::vector<uint32_t> &out ) const;
  //! Cell of a sorted position.
  uint32_t cellOfPosition( uint32_t pos ) const { return mCellOfPos[pos]; }

  /**
   * Calls \a visit( i, j ) once for every unordered pair of points (original indices) whose
   * distance is <= \a distance (inclusive), with \a distance no larger than the cell size.
   */
  template<typename Visit>
  void forEachPairWithin( double distance, Visit visit ) const
  {
    const double d2 = distance * distance;
    std::vector<uint32_t> cells;
    for ( std::size_t c = 0; c < cellCount(); ++c )
    {
      neighbourCells( c, 1, cells );
      for ( uint32_t a = cellBegin( c ); a < cellEnd( c ); ++a )
        for ( uint32_t nc : cells )
        {
          if ( nc < c )
            continue;
          for ( uint32_t b = nc == c ? a + 1 : cellBegin( nc ); b < cellEnd( nc ); ++b )
          {
            const double dx = xs[a] - xs[b], dy = ys[a] - ys[b];
            if ( dx * dx + dy * dy <= d2 )
              visit( order[a], order[b] );
          }
        }
    }
  }

  std::vector<uint32_t> order;
  std::vector<double> xs;
  std::vector<double> ys;

private:
  double mMinX = 0, mMinY = 0, mCell = 1;
  int64_t mCols = 0, mRows = 0;
  bool mDense = false;
  std::vector<int32_t> mCellX, mCellY;
  std::vector<uint32_t> mCellStart;
  std::vector<uint32_t> mCellOfPos;
  std::vector<int32_t> mDenseLookup; // cy * cols + cx -> cell, -1
  std::unordered_map<int64_t, uint32_t> mSparseLookup;
};

//! Union-find with path halving and union by size.
class DisjointSets
{
public:
  explicit DisjointSets( std::size_t n )
      : mParent( n ), mSize( n, 1 )
  {
    std::iota( mParent.begin(), mParent.end(), 0u );
  }
  uint32_t find( uint32_t a )
  {
    while ( mParent[a] != a )
    {
      mParent[a] = mParent[mParent[a]];
      a = mParent[a];
    }
    return a;
  }
  bool unite( uint32_t a, uint32_t b )
  {
    a = find( a );
    b = find( b );
    if ( a == b )
      return false;
    if ( mSize[a] < mSize[b] )
      std::swap( a, b );
    mParent[b] = a;
    mSize[a] += mSize[b];
    return true;
  }

private:
  std::vector<uint32_t> mParent;
  std::vector<uint32_t> mSize;
};

} // namespace statdesk::clustering::detail
