/**
 * \file DemoRandom.h
 * A small, fully specified pseudo-random generator for the demo city.
 *
 * The demo must be byte-for-byte reproducible from its seed on every platform and standard
 * library, so it cannot use std:: distributions (their algorithms are implementation-defined).
 * DemoRandom is xoshiro256** seeded through splitmix64, with its own uniform, normal, Poisson,
 * exponential and discrete draws. Independent streams (one per part of the city) come from
 * the same seed and a stream id, so changing one part of the generator does not shift the
 * random numbers of the others.
 *
 * A DemoRandom is a plain value; use one per thread.
 */
#pragma once

#include <QtGlobal>

#include <cmath>
#include <cstdint>
#include <vector>

namespace statdesk::demo
{

class DemoRandom
{
  public:
    DemoRandom( quint64 seed, quint64 stream )
    {
      quint64 s = seed * 0x9E3779B97F4A7C15ull ^ ( stream + 0x632BE59BD9B4E019ull ) * 0xD1B54A32D192ED03ull;
      for ( quint64 &word : mState )
        word = splitmix64( s );
    }

    //! Next raw 64-bit value (xoshiro256**).
    quint64 next()
    {
      const quint64 result = rotl( mState[1] * 5, 7 ) * 9;
      const quint64 t = mState[1] << 17;
      mState[2] ^= mState[0];
      mState[3] ^= mState[1];
      mState[1] ^= mState[2];
      mState[0] ^= mState[3];
      mState[2] ^= t;
      mState[3] = rotl( mState[3], 45 );
      return result;
    }

    //! Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>( next() >> 11 ) * ( 1.0 / 9007199254740992.0 ); }
    //! Uniform in [a, b).
    double uniform( double a, double b ) { return a + ( b - a ) * uniform(); }
    //! Uniform integer in [0, n), n > 0 (Lemire's nearly-divisionless method, exact).
    quint64 below( quint64 n )
    {
      // 128-bit multiply keeps the result unbiased without a modulo in the common case.
      unsigned __int128 m = static_cast<unsigned __int128>( next() ) * n;
      quint64 low = static_cast<quint64>( m );
      if ( low < n )
      {
        const quint64 threshold = ( 0 - n ) % n;
        while ( low < threshold )
        {
          m = static_cast<unsigned __int128>( next() ) * n;
          low = static_cast<quint64>( m );
        }
      }
      return static_cast<quint64>( m >> 64 );
    }
    int belowInt( int n ) { return static_cast<int>( below( static_cast<quint64>( n ) ) ); }
    bool chance( double p ) { return uniform() < p; }

    //! Standard normal (Box-Muller; no cached second value, so the stream is simple to reason about).
    double normal()
    {
      double u1 = uniform();
      while ( u1 <= 0.0 )
        u1 = uniform();
      const double u2 = uniform();
      return std::sqrt( -2.0 * std::log( u1 ) ) * std::cos( 6.283185307179586 * u2 );
    }
    double normal( double mean, double sd ) { return mean + sd * normal(); }

    double exponential( double mean )
    {
      double u = uniform();
      while ( u <= 0.0 )
        u = uniform();
      return -mean * std::log( u );
    }

    //! Poisson count: multiplication method for small means, rounded normal beyond 30.
    int poisson( double mean )
    {
      if ( mean <= 0 )
        return 0;
      if ( mean > 30 )
      {
        const double v = std::floor( normal( mean, std::sqrt( mean ) ) + 0.5 );
        return v < 0 ? 0 : static_cast<int>( v );
      }
      const double limit = std::exp( -mean );
      int k = 0;
      double p = uniform();
      while ( p > limit )
      {
        ++k;
        p *= uniform();
      }
      return k;
    }

    //! Index drawn from \a cumulative (non-decreasing, last element = total weight).
    int pick( const std::vector<double> &cumulative )
    {
      const double target = uniform() * cumulative.back();
      size_t lo = 0, hi = cumulative.size() - 1;
      while ( lo < hi )
      {
        const size_t mid = ( lo + hi ) / 2;
        if ( cumulative[mid] > target )
          hi = mid;
        else
          lo = mid + 1;
      }
      return static_cast<int>( lo );
    }

    static std::vector<double> cumulate( const std::vector<double> &weights )
    {
      std::vector<double> c( weights.size() );
      double total = 0;
      for ( size_t i = 0; i < weights.size(); ++i )
      {
        total += weights[i];
        c[i] = total;
      }
      return c;
    }

  private:
    static quint64 rotl( quint64 x, int k ) { return ( x << k ) | ( x >> ( 64 - k ) ); }
    static quint64 splitmix64( quint64 &x )
    {
      quint64 z = ( x += 0x9E3779B97F4A7C15ull );
      z = ( z ^ ( z >> 30 ) ) * 0xBF58476D1CE4E5B9ull;
      z = ( z ^ ( z >> 27 ) ) * 0x94D049BB133111EBull;
      return z ^ ( z >> 31 );
    }

    quint64 mState[4];
};

} // namespace statdesk::demo
