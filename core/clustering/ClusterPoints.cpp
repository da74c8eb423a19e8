#include "clustering/ClusterPoints.h"

#include "common/LargeArray.h"

namespace statdesk::clustering
{

void ClusterPoints::reserve( std::size_t n )
{
  x.reserve( n );
  y.reserve( n );
  ids.reserve( n );
  adviseHugePages( x.data(), n * sizeof( double ) );
  adviseHugePages( y.data(), n * sizeof( double ) );
  adviseHugePages( ids.data(), n * sizeof( qint64 ) );
}

} // namespace statdesk::clustering
