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
  double maxX = x[0], maxY = y[0];
  mMinX = x[0];
  mMinY = y[0];
  for ( std::size_t i = 1; i < n; ++i )
  {
    mMinX = std::min( mMinX, x[i] );
    maxX = std::max( maxX, x[i] );
    mMinY = std::min( mMinY, y[i] );
    maxY = std::max( maxY, y[i] );
  }
  mCols = static_cast<int64_t>( std::floor( ( maxX - mMinX ) / mCell ) ) + 1;
  mRows = static_cast<int64_t>( std::floor( ( maxY - mMinY ) / mCell ) ) + 1;

  // A dense lookup table when the grid is not much larger than the point set (the usual case
  // for a city and eps of tens of metres); a hash map for sparse, very wide extents.
  const double gridCells = static_cast<double>( mCols + 2 * kPad ) * static_cast<double>( mRows + 2 * kPad );
  mDense = gridCells <= std::max<double>( 4.0 * static_cast<double>( n ), 1 << 22 )
           && gridCells < static_cast<double>( std::numeric_limits<uint32_t>::max() );
  if ( mDense )
    buildDense( x, y, n );
  else
    buildSparse( x, y, n );
}

void PointGrid::buildDense( const double *x, const double *y, std::size_t n )
{
  // Counting sort by key: linear and stable, so points keep their input order within a cell.
  // One table serves in turn as counts, cell starts, cell ends and finally the key -> cell
  // lookup: fresh memory costs a page fault per 4 KiB, more than the arithmetic here.
  // Keys index the padded table directly, so the margin simply stays empty.
  mPaddedCols = mCols + 2 * kPad;
  const std::size_t keyCount = static_cast<std::size_t>( mPaddedCols * ( mRows + 2 * kPad ) );
  LargeVector<uint32_t> keys( n );
  LargeVector<uint32_t> table( keyCount + 1, 0 );
  for ( std::size_t i = 0; i < n; ++i )
  {
    keys[i] = static_cast<uint32_t>( ( cellRow( y[i] ) + kPad ) * mPaddedCols + cellColumn( x[i] ) + kPad );
    ++table[keys[i] + 1];
  }
  std::partial_sum( table.begin(), table.end(), table.begin() );
  order.resize( n );
  xs.resize( n );
  ys.resize( n );
  for ( std::size_t i = 0; i < n; ++i )
  {
    const uint32_t k = table[keys[i]]++;
    order[k] = static_cast<uint32_t>( i );
    xs[k] = x[i];
    ys[k] = y[i];
  }

  // table[key] is now the end of the key's points, i.e. the start of the next key's.
  const std::size_t reserve = std::min( n, keyCount );
  mCellX.reserve( reserve );
  mCellY.reserve( reserve );
  mCellStart.reserve( reserve + 1 );
  uint32_t previousEnd = 0;
  for ( std::size_t key = 0; key < keyCount; ++key )
  {
    const uint32_t end = table[key];
    if ( end == previousEnd )
    {
      table[key] = kNoCell;
      continue;
    }
    table[key] = static_cast<uint32_t>( mCellX.size() );
    mCellX.push_back( static_cast<int32_t>( static_cast<int64_t>( key ) % mPaddedCols - kPad ) );
    mCellY.push_back( static_cast<int32_t>( static_cast<int64_t>( key ) / mPaddedCols - kPad ) );
    mCellStart.push_back( end );
    previousEnd = end;
  }
  table.pop_back();
  mDenseLookup = std::move( table );
}

void PointGrid::buildSparse( const double *x, const double *y, std::size_t n )
{
  LargeVector<int64_t> keys( n );
  for ( std::size_t i = 0; i < n; ++i )
    keys[i] = cellRow( y[i] ) * mCols + cellColumn( x[i] );
  order.resize( n );
  std::iota( order.begin(), order.end(), 0u );
  std::stable_sort( order.begin(), order.end(), [&keys]( uint32_t a, uint32_t b ) { return keys[a] < keys[b]; } );

  xs.resize( n );
  ys.resize( n );
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
  }
  mCellStart.push_back( static_cast<uint32_t>( n ) );
  mSparseLookup.reserve( mCellX.size() * 2 );
  for ( std::size_t c = 0; c < mCellX.size(); ++c )
    mSparseLookup.emplace( int64_t( mCellY[c] ) * mCols + mCellX[c], static_cast<uint32_t>( c ) );
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
