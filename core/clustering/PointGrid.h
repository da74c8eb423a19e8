/**
 * \file PointGrid.h
 * Internal to clustering/: points bucketed into square cells and stored cell by cell, the
 * spatial index every fixed-radius engine here uses (DBSCAN, Knox pairs, chains, NNH), with the
 * union-find and the large-array helper they share. Not exported; no Qt.
 */
#pragma once

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
 * Asks the kernel to back the 2 MiB-aligned interior of a large buffer that is about to be
 * written with transparent huge pages. A million points fill arrays of several MiB each; with
 * 4 KiB pages every first write of a page is a fault (under some hypervisors over 10 us each),
 * which can cost more than the computation. Only advice: the contents do not change, small
 * buffers and other systems are left alone.
 */
void adviseHugePages( const void *data, std::size_t bytes );

//! \a v becomes \a n copies of \a value, in huge pages when it is large.
template <typename T>
void assignLarge( std::vector<T> &v, std::size_t n, const T &value )
{
  if ( v.capacity() < n )
  {
    std::vector<T>().swap( v );
    v.reserve( n );
    adviseHugePages( v.data(), n * sizeof( T ) );
  }
  v.assign( n, value );
}

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
      const int64_t key = cy * mCols + cx;
      if ( mDense )
      {
        const uint32_t c = mDenseLookup[static_cast<std::size_t>( key )];
        return c == kNoCell ? -1 : static_cast<int64_t>( c );
      }
      const auto it = mSparseLookup.find( key );
      return it == mSparseLookup.end() ? -1 : static_cast<int64_t>( it->second );
    }
    //! Cells within \a reach cells in x and y of cell \a c (itself included), ascending.
    void neighbourCells( std::size_t c, int reach, std::vector<uint32_t> &out ) const;
    /**
     * Same as neighbourCells() into \a out, which has room for (2 Reach + 1)^2 cells; returns
     * their number. For inner loops: no allocation, direct table rows on dense grids.
     */
    template <int Reach>
    uint32_t neighbourBlock( std::size_t c, uint32_t *out ) const
    {
      const int64_t cx = mCellX[c], cy = mCellY[c];
      const int64_t x0 = std::max<int64_t>( cx - Reach, 0 ), x1 = std::min<int64_t>( cx + Reach, mCols - 1 );
      const int64_t y0 = std::max<int64_t>( cy - Reach, 0 ), y1 = std::min<int64_t>( cy + Reach, mRows - 1 );
      uint32_t count = 0;
      for ( int64_t y = y0; y <= y1; ++y )
      {
        if ( mDense )
        {
          const uint32_t *row = mDenseLookup.data() + y * mCols;
          for ( int64_t x = x0; x <= x1; ++x )
            if ( row[x] != kNoCell )
              out[count++] = row[x];
        }
        else
          for ( int64_t x = x0; x <= x1; ++x )
          {
            const auto it = mSparseLookup.find( y * mCols + x );
            if ( it != mSparseLookup.end() )
              out[count++] = it->second;
          }
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

    std::vector<uint32_t> order;
    std::vector<double> xs;
    std::vector<double> ys;

  private:
    double mMinX = 0, mMinY = 0, mCell = 1;
    int64_t mCols = 0, mRows = 0;
    bool mDense = false;
    std::vector<int32_t> mCellX, mCellY;
    std::vector<uint32_t> mCellStart;
    static constexpr uint32_t kNoCell = std::numeric_limits<uint32_t>::max();
    std::vector<uint32_t> mDenseLookup; // cy * cols + cx -> cell, kNoCell
    std::unordered_map<int64_t, uint32_t> mSparseLookup;

    int64_t cellKey( double x, double y ) const
    {
      return static_cast<int64_t>( std::floor( ( y - mMinY ) / mCell ) ) * mCols + static_cast<int64_t>( std::floor( ( x - mMinX ) / mCell ) );
    }
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
    std::vector<uint32_t> mParent;
    std::vector<uint32_t> mSize;
};

} // namespace statdesk::clustering::detail
