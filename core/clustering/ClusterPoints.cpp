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

void ClusterPoints::append( double px, double py, qint64 id )
{
  x.push_back( px );
  y.push_back( py );
  ids.push_back( id );
}

void ClusterPoints::append( double px, double py, double pt, qint64 id )
{
  append( px, py, id );
  t.push_back( pt );
}

} // namespace statdesk::clustering
