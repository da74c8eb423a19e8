/**
 * \file LargeArray.h
 * Memory for large arrays that are filled once: the clustering engines' arrays of one entry per
 * point or per cell, the importer's key map and the R*Tree packer's buffers.
 *
 * A million points or rows fill a dozen arrays of several MiB each. With 4 KiB pages the first
 * write of every page is a page fault, and under some hypervisors (the CI and benchmark machines)
 * a fault costs over 10 us: more than the clustering itself. Transparent huge pages (2 MiB) cut
 * the faults by 512. Internal to the core library; no Qt.
 */
#pragma once

#include <cstddef>
#include <vector>

namespace statdesk
{

/**
 * Asks the kernel to back the 2 MiB-aligned interior of a buffer that is about to be written
 * with huge pages (where transparent huge pages are "always" or "madvise"). Only advice: the
 * contents do not change; small buffers and pages already touched are left alone. For vectors
 * whose type is fixed by a public API (the ends of the buffer keep small pages).
 */
void adviseHugePages( const void *data, std::size_t bytes );

//! adviseHugePages() on the reserved capacity of \a v (a std::vector).
template <typename Vector>
void adviseHugePages( const Vector &v )
{
  adviseHugePages( v.data(), v.capacity() * sizeof( typename Vector::value_type ) );
}

//! \a v becomes \a n copies of \a value, mostly in huge pages when it is large.
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

//! Blocks of 1 MiB and more: a mapping of their own, 2 MiB-aligned, advised for huge pages.
void *allocateLarge( std::size_t bytes );
void releaseLarge( void *data, std::size_t bytes );

//! Allocator of LargeVector; small blocks come from operator new as usual.
template <typename T>
struct LargeArrayAllocator
{
    using value_type = T;
    LargeArrayAllocator() = default;
    template <typename U>
    LargeArrayAllocator( const LargeArrayAllocator<U> & ) {}
    T *allocate( std::size_t n ) { return static_cast<T *>( allocateLarge( n * sizeof( T ) ) ); }
    void deallocate( T *p, std::size_t n ) { releaseLarge( p, n * sizeof( T ) ); }
    template <typename U>
    bool operator==( const LargeArrayAllocator<U> & ) const { return true; }
    template <typename U>
    bool operator!=( const LargeArrayAllocator<U> & ) const { return false; }
};

//! A vector for per-point or per-cell scratch arrays inside the engines.
template <typename T>
using LargeVector = std::vector<T, LargeArrayAllocator<T>>;

} // namespace statdesk
