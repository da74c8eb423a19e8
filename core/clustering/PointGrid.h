/**
 * \file PointGrid.h
 * Internal to clustering/: points bucketed into square cells and stored cell by cell, the
 * spatial index every fixed-radius engine here uses (DBSCAN, Knox pairs, chains, NNH), and the
 * union-find they share. Not exported; no Qt.
 */
#pragma once

#include "common/LargeArray.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
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
    int64_t findCell( int64_t cx, int64_t cy ) const
    {
      if ( cx < 0 || cy < 0 || cx >= mCols || cy >= mRows )
        return -1;
      if ( mDense )
      {
        const uint32_t c = mDenseLookup[static_cast<std::size_t>( ( cy + kPad ) * mPaddedCols + cx + kPad )];
        return c == kNoCell ? -1 : static_cast<int64_t>( c );
      }
      const auto it = mSparseLookup.find( cy * mCols + cx );
      return it == mSparseLookup.end() ? -1 : static_cast<int64_t>( it->second );
    }
    //! Cells within \a reach cells in x and y of cell \a c (itself included), ascending.
    void neighbourCells( std::size_t c, int reach, std::vector<uint32_t> &out ) const;
    /**
     * Same as neighbourCells() into \a out; returns their number. With \a RingOnly, only the
     * cells exactly Reach cells away (the block's border). \a out must have room for every cell
     * of the block (of the ring with RingOnly): entries past the returned count may be written.
     * For inner loops: no allocation, and on dense grids no bounds checks either (the lookup
     * table has a margin of empty cells).
     */
    template <int Reach, bool RingOnly = false>
    uint32_t neighbourBlock( std::size_t c, uint32_t *out ) const
    {
      uint32_t count = 0;
      if ( mDense && Reach <= kPad )
      {
        const uint32_t *centre = mDenseLookup.data() + ( mCellY[c] + kPad ) * mPaddedCols + mCellX[c] + kPad;
        for ( int dy = -Reach; dy <= Reach; ++dy )
        {
          const uint32_t *row = centre + dy * mPaddedCols;
          for ( int dx = -Reach; dx <= Reach; ++dx )
          {
            if ( RingOnly && std::abs( dx ) < Reach && std::abs( dy ) < Reach )
              continue;
            out[count] = row[dx];
            count += row[dx] != kNoCell;
          }
        }
        return count;
      }
      for ( int dy = -Reach; dy <= Reach; ++dy )
        for ( int dx = -Reach; dx <= Reach; ++dx )
        {
          if ( RingOnly && std::abs( dx ) < Reach && std::abs( dy ) < Reach )
            continue;
          const int64_t nc = findCell( int64_t( mCellX[c] ) + dx, int64_t( mCellY[c] ) + dy );
          if ( nc >= 0 )
            out[count++] = static_cast<uint32_t>( nc );
        }
      return count;
    }

    /**
     * Calls \a visit( i, j ) once for every unordered pair of points (original indices) whose
     * distance is <= \a distance (inclusive), with \a distance no larger than the cell size.
     */
    template <typename Visit>
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

    LargeVector<uint32_t> order;
    LargeVector<double> xs;
    LargeVector<double> ys;

  private:
    double mMinX = 0, mMinY = 0, mCell = 1;
    int64_t mCols = 0, mRows = 0;
    bool mDense = false;
    LargeVector<int32_t> mCellX, mCellY;
    LargeVector<uint32_t> mCellStart;
    static constexpr uint32_t kNoCell = std::numeric_limits<uint32_t>::max();
    static constexpr int kPad = 2; // empty cells around a dense lookup table
    int64_t mPaddedCols = 0; // mCols + 2 kPad
    LargeVector<uint32_t> mDenseLookup; // (cy + kPad) * mPaddedCols + cx + kPad -> cell, kNoCell
    std::unordered_map<int64_t, uint32_t> mSparseLookup;

    // floor() for the points of the grid, whose offsets from the minimum are never negative:
    // truncation gives the same value without a libm call per coordinate.
    int64_t cellColumn( double x ) const { return static_cast<int64_t>( ( x - mMinX ) / mCell ); }
    int64_t cellRow( double y ) const { return static_cast<int64_t>( ( y - mMinY ) / mCell ); }
    void buildDense( const double *x, const double *y, std::size_t n );
    void buildSparse( const double *x, const double *y, std::size_t n );
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
    LargeVector<uint32_t> mParent;
    LargeVector<uint32_t> mSize;
};

} // namespace statdesk::clustering::detail
