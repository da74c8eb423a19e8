#include "clustering/ClusterPoints.h"

#include "clustering/LargeArray.h"

namespace statdesk::clustering
{

void ClusterPoints::reserve( std::size_t n )
{
  x.reserve( n );
  y.reserve( n );
  ids.reserve( n );
  detail::adviseHugePages( x.data(), n * sizeof( double ) );
  detail::adviseHugePages( y.data(), n * sizeof( double ) );
  detail::adviseHugePages( ids.data(), n * sizeof( qint64 ) );
}

} // namespace statdesk::clustering
