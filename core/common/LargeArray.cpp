#include "common/LargeArray.h"

#include <cstdint>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace statdesk
{

namespace
{
constexpr std::size_t kHugePage = std::size_t( 2 ) << 20;
constexpr std::size_t kLargeBlock = std::size_t( 1 ) << 20;

std::size_t roundUp( std::size_t bytes, std::size_t to )
{
  return ( bytes + to - 1 ) & ~( to - 1 );
}
} // namespace

void adviseHugePages( const void *data, std::size_t bytes )
{
#if defined( __linux__ ) && defined( MADV_HUGEPAGE )
  const std::uintptr_t begin = roundUp( reinterpret_cast<std::uintptr_t>( data ), kHugePage );
  const std::uintptr_t end = ( reinterpret_cast<std::uintptr_t>( data ) + bytes ) & ~( kHugePage - 1 );
  if ( data && end > begin )
    madvise( reinterpret_cast<void *>( begin ), end - begin, MADV_HUGEPAGE );
#else
  (void)data;
  (void)bytes;
#endif
}

#if defined( __linux__ ) && defined( MADV_HUGEPAGE )

void *allocateLarge( std::size_t bytes )
{
  if ( bytes < kLargeBlock )
    return ::operator new( bytes );
  // Map one huge page more than needed, then unmap the unaligned head and the rest of the tail.
  const std::size_t size = roundUp( bytes, kHugePage );
  void *mapped = mmap( nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0 );
  if ( mapped == MAP_FAILED )
    throw std::bad_alloc();
  const std::uintptr_t start = reinterpret_cast<std::uintptr_t>( mapped );
  const std::uintptr_t aligned = roundUp( start, kHugePage );
  if ( aligned > start )
    munmap( mapped, aligned - start );
  if ( start + kHugePage > aligned )
    munmap( reinterpret_cast<void *>( aligned + size ), start + kHugePage - aligned );
  madvise( reinterpret_cast<void *>( aligned ), size, MADV_HUGEPAGE );
  return reinterpret_cast<void *>( aligned );
}

void releaseLarge( void *data, std::size_t bytes )
{
  if ( bytes < kLargeBlock )
    ::operator delete( data );
  else if ( data )
    munmap( data, roundUp( bytes, kHugePage ) );
}

#else

void *allocateLarge( std::size_t bytes )
{
  return ::operator new( bytes );
}

void releaseLarge( void *data, std::size_t )
{
  ::operator delete( data );
}

#endif

} // namespace statdesk
