#include "clustering/PointGrid.h"

#include <algorithm>
#include <limits>

namespace statdesk::clustering::detail
{

PointGrid::PointGrid( const double *x, const double *y, std::size_t n, double cellSize )
    : mCell( cellSize )
{
  mCellStart.push_back( 0 );
  if ( n == 0 )
    return;
  mMinX = *std::min_element( x, x + n );
  mMinY = *std::min_element( y, y + n );
  const double maxX = *std::max_element( x, x + n );
  const double maxY = *std::max_element( y, y + n );
  mCols = static_cast<int64_t>( std::floor( ( maxX - mMinX ) / mCell ) ) + 1;
  mRows = static_cast<int64_t>( std::floor( ( maxY - mMinY ) / mCell ) ) + 1;

  std::vector<int64_t> keys( n );
  for ( std::size_t i = 0; i < n; ++i )
  {
    const int64_t cx = static_cast<int64_t>( std::floor( ( x[i] - mMinX ) / mCell ) );
    const int64_t cy = static_cast<int64_t>( std::floor( ( y[i] - mMinY ) / mCell ) );
    keys[i] = cy * mCols + cx;
  }

  // A dense lookup table when the grid is not much larger than the point set (the usual case
  // for a city and eps of tens of metres); a hash map for sparse, very wide extents.
  const double gridCells = static_cast<double>( mCols ) * static_cast<double>( mRows );
  mDense = gridCells <= std::max<double>( 4.0 * static_cast<double>( n ), 1 << 22 );

  order.resize( n );
  if ( mDense )
  {
    // Counting sort by key: linear and stable, so points keep their input order within a cell.
    std::vector<uint32_t> counts( static_cast<std::size_t>( gridCells ) + 1, 0 );
    for ( std::size_t i = 0; i < n; ++i )
      ++counts[static_cast<std::size_t>( keys[i] ) + 1];
    std::partial_sum( counts.begin(), counts.end(), counts.begin() );
    for ( std::size_t i = 0; i < n; ++i )
      order[counts[static_cast<std::size_t>( keys[i] )]++] = static_cast<uint32_t>( i );
  }
  else
  {
    std::iota( order.begin(), order.end(), 0u );
    std::stable_sort( order.begin(), order.end(), [&keys]( uint32_t a, uint32_t b )
                      { return keys[a] < keys[b]; } );
  }

  xs.resize( n );
  ys.resize( n );
  mCellOfPos.resize( n );
  int64_t previous = std::numeric_limits<int64_t>::min();
  for ( std::size_t k = 0; k < n; ++k )
  {
    const uint32_t i = order[k];
    xs[k] = x[i];
    ys[k] = y[i];
    if ( keys[i] != previous )
    {
      if ( previous != std::numeric_limits<int64_t>::min() )
        mCellStart.push_back( static_cast<uint32_t>( k ) );
      previous = keys[i];
      mCellX.push_back( static_cast<int32_t>( keys[i] % mCols ) );
      mCellY.push_back( static_cast<int32_t>( keys[i] / mCols ) );
    }
    mCellOfPos[k] = static_cast<uint32_t>( mCellX.size() - 1 );
  }
  mCellStart.push_back( static_cast<uint32_t>( n ) );

  if ( mDense )
  {
    mDenseLookup.assign( static_cast<std::size_t>( gridCells ), -1 );
    for ( std::size_t c = 0; c < mCellX.size(); ++c )
      mDenseLookup[static_cast<std::size_t>( int64_t( mCellY[c] ) * mCols + mCellX[c] )] = static_cast<int32_t>( c );
  }
  else
  {
    mSparseLookup.reserve( mCellX.size() * 2 );
    for ( std::size_t c = 0; c < mCellX.size(); ++c )
      mSparseLookup.emplace( int64_t( mCellY[c] ) * mCols + mCellX[c], static_cast<uint32_t>( c ) );
  }
}

int64_t PointGrid::findCell( int64_t cx, int64_t cy ) const
{
  if ( cx < 0 || cy < 0 || cx >= mCols || cy >= mRows )
    return -1;
  const int64_t key = cy * mCols + cx;
  if ( mDense )
    return mDenseLookup[static_cast<std::size_t>( key )];
  const auto it = mSparseLookup.find( key );
  return it == mSparseLookup.end() ? -1 : static_cast<int64_t>( it->second );
}

void PointGrid::neighbourCells( std::size_t c, int reach, std::vector<uint32_t> &out ) const
{
  out.clear();
  for ( int dy = -reach; dy <= reach; ++dy )
    for ( int dx = -reach; dx <= reach; ++dx )
    {
      const int64_t nc = findCell( int64_t( mCellX[c] ) + dx, int64_t( mCellY[c] ) + dy );
      if ( nc >= 0 )
        out.push_back( static_cast<uint32_t>( nc ) );
    }
}

} // namespace statdesk::clustering::detail
