/**
 * \file HugePages.h
 * Transparent huge pages for large buffers that are filled once (bulk imports).
 */
#pragma once

#include <cstddef>
#include <cstdint>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace statdesk
{

/**
 * Asks Linux for 2 MiB pages on the whole 2 MiB blocks inside [data, data + bytes), where
 * transparent huge pages are enabled ("always" or "madvise"): filling such a buffer then takes
 * a page fault per 2 MiB instead of one per 4 KiB, and fewer TLB misses afterwards. Call it on
 * memory not written yet (reserved capacity); pages already touched stay as they are. A no-op
 * elsewhere, and the memory is the same either way.
 */
inline void adviseHugePages( const void *data, size_t bytes )
{
#ifdef __linux__
  constexpr uintptr_t kHugePage = uintptr_t( 2 ) << 20;
  const uintptr_t start = reinterpret_cast<uintptr_t>( data );
  const uintptr_t begin = ( start + kHugePage - 1 ) & ~( kHugePage - 1 );
  const uintptr_t end = ( start + bytes ) & ~( kHugePage - 1 );
  if ( data && end > begin )
    ::madvise( reinterpret_cast<void *>( begin ), end - begin, MADV_HUGEPAGE );
#else
  (void)data;
  (void)bytes;
#endif
}

//! adviseHugePages() on the reserved capacity of \a v (a std::vector).
template <typename Vector>
void adviseHugePages( const Vector &v )
{
  adviseHugePages( v.data(), v.capacity() * sizeof( typename Vector::value_type ) );
}

} // namespace statdesk
