#include "ElasticNet.h"

#include <qgsfeedback.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>

namespace statdesk::rtm
{

DesignColumn DesignColumn::fromBinary( const std::vector<std::uint8_t> &values )
{
  DesignColumn c;
  c.mRows = static_cast<int>( values.size() );
  std::size_t ones = 0;
  for ( std::uint8_t v : values )
    ones += v != 0;
  // Store the minority value: a 90%-ones proximity band costs as little as a 10%-ones one.
  const bool complement = ones * 2 > values.size();
  c.mOffset = complement ? 1.0 : 0.0;
  c.mScale = complement ? -1.0 : 1.0;
  c.mIndex.reserve( complement ? values.size() - ones : ones );
  for ( int i = 0; i < c.mRows; ++i )
  {
    if ( ( values[i] != 0 ) != complement )
      c.mIndex.push_back( i );
  }
  return c;
}

DesignColumn DesignColumn::fromDense( std::vector<double> values )
{
  DesignColumn c;
  c.mIsDense = true;
  c.mRows = static_cast<int>( values.size() );
  c.mDense = std::move( values );
  return c;
}

double DesignColumn::value( int row ) const
{
  if ( mIsDense )
    return mDense[row];
  const bool in = std::binary_search( mIndex.begin(), mIndex.end(), row );
  return mOffset + ( in ? mScale : 0.0 );
}

int DesignColumn::nonZeroCount() const
{
  if ( mIsDense )
    return static_cast<int>( std::count_if( mDense.begin(), mDense.end(), []( double v )
                                            { return v != 0; } ) );
  return mOffset == 0 ? static_cast<int>( mIndex.size() ) : mRows - static_cast<int>( mIndex.size() );
}

double poissonUnitDeviance( double y, double mu )
{
  const double t = y > 0 ? y * std::log( y / mu ) : 0.0;
  return 2.0 * ( t - ( y - mu ) );
}

namespace
{

// Binary columns are coded in groups: a group of up to kMaxGroupColumns consecutive binary columns
// whose rows show at most kMaxCodes distinct bit patterns stores one byte per row (the pattern's
// code) and one bit mask per code. Sums over rows of a group's columns then reduce to a histogram
// of the rows by code (one sequential pass for all the group's columns), and the weighted Gram
// block of two groups to their weighted contingency table.
constexpr int kMaxGroupColumns = 16;
constexpr int kMaxCodes = 256;
constexpr int kChunk = 2048; //!< rows per chunk of a row pass (the chunk's eta stays in L1)

//! fn( t ) for each set bit t of \a mask, ascending.
template <typename Fn>
inline void forEachBit( unsigned mask, Fn fn )
{
  for ( int t = 0; mask; ++t, mask >>= 1 )
    if ( mask & 1 )
      fn( t );
}

struct ColumnGroup
{
  std::vector<int> columns;                    //!< design column indices, in order
  bool dense = false;                          //!< a single non-binary column
  std::vector<std::uint8_t> code;              //!< binary: the code of each row
  std::vector<std::uint16_t> mask;             //!< binary: bit t of code c = value of columns[t]
  const std::vector<double> *values = nullptr; //!< dense: the column
  // Binary: the most common code, and the rows with another code (ascending) with their codes.
  // Sums over the common code follow from the totals, so passes visit only the other rows.
  int mode = 0;
  std::vector<std::uint16_t> restOffset; //!< row - the first row of its kChunk block
  std::vector<std::uint8_t> restCode;
  std::vector<int> chunkStart; //!< index into restOffset of each kChunk block's first entry (+ end)

  int restCount() const { return static_cast<int>( restCode.size() ); }

  //! fn( row, code ) for the rows off the common code, ascending.
  template <typename Fn>
  void forEachRest( Fn fn ) const
  {
    for ( std::size_t b = 0; b + 1 < chunkStart.size(); ++b )
    {
      const int base = static_cast<int>( b ) * kChunk;
      for ( int t = chunkStart[b]; t < chunkStart[b + 1]; ++t )
        fn( base + restOffset[t], restCode[t] );
    }
  }

  int codes() const { return static_cast<int>( mask.size() ); }
};

struct GroupedDesign
{
  int n = 0;
  int p = 0;
  std::vector<ColumnGroup> groups;
};

void indexRest( ColumnGroup &g, int n )
{
  std::vector<int> count( g.codes(), 0 );
  for ( std::uint8_t c : g.code )
    ++count[c];
  g.mode = static_cast<int>( std::max_element( count.begin(), count.end() ) - count.begin() );
  g.restOffset.clear();
  g.restCode.clear();
  g.chunkStart.clear();
  for ( int i = 0; i < n; ++i )
  {
    if ( i % kChunk == 0 )
      g.chunkStart.push_back( g.restCount() );
    if ( g.code[i] != g.mode )
    {
      g.restOffset.push_back( static_cast<std::uint16_t>( i % kChunk ) );
      g.restCode.push_back( g.code[i] );
    }
  }
  g.chunkStart.push_back( g.restCount() );
}

GroupedDesign groupColumns( const std::vector<DesignColumn> &x, int n )
{
  GroupedDesign d;
  d.n = n;
  d.p = static_cast<int>( x.size() );
  std::vector<std::uint8_t> bits( n ), trial( n );
  std::vector<int> remap;
  int open = -1;
  for ( int j = 0; j < d.p; ++j )
  {
    const DesignColumn &c = x[j];
    if ( c.mIsDense )
    {
      ColumnGroup g;
      g.dense = true;
      g.columns.push_back( j );
      g.values = &c.mDense;
      d.groups.push_back( std::move( g ) );
      open = -1;
      continue;
    }
    std::fill( bits.begin(), bits.end(), c.mOffset != 0 ? 1 : 0 );
    const std::uint8_t in = c.mOffset + c.mScale != 0 ? 1 : 0;
    for ( int i : c.mIndex )
      bits[i] = in;
    if ( open >= 0 && static_cast<int>( d.groups[open].columns.size() ) < kMaxGroupColumns )
    {
      ColumnGroup &g = d.groups[open];
      const int C = g.codes();
      remap.assign( static_cast<std::size_t>( C ) * 2, -1 );
      int next = 0;
      bool fits = true;
      for ( int i = 0; i < n; ++i )
      {
        int &m = remap[static_cast<std::size_t>( g.code[i] ) * 2 + bits[i]];
        if ( m < 0 )
        {
          if ( next == kMaxCodes )
          {
            fits = false;
            break;
          }
          m = next++;
        }
        trial[i] = static_cast<std::uint8_t>( m );
      }
      if ( fits )
      {
        const int slot = static_cast<int>( g.columns.size() );
        std::vector<std::uint16_t> mask( next, 0 );
        for ( int k = 0; k < C; ++k )
          for ( int b = 0; b < 2; ++b )
            if ( remap[static_cast<std::size_t>( k ) * 2 + b] >= 0 )
              mask[remap[static_cast<std::size_t>( k ) * 2 + b]] = static_cast<std::uint16_t>( g.mask[k] | ( b << slot ) );
        g.mask = std::move( mask );
        g.code.swap( trial );
        trial.resize( n );
        g.columns.push_back( j );
        continue;
      }
    }
    // A new group; codes numbered by first appearance, so the layout depends on the data only.
    ColumnGroup g;
    g.columns.push_back( j );
    g.code.resize( n );
    int codeOf[2] = { -1, -1 };
    for ( int i = 0; i < n; ++i )
    {
      int &m = codeOf[bits[i]];
      if ( m < 0 )
      {
        m = g.codes();
        g.mask.push_back( bits[i] );
      }
      g.code[i] = static_cast<std::uint8_t>( m );
    }
    open = static_cast<int>( d.groups.size() );
    d.groups.push_back( std::move( g ) );
  }
  for ( ColumnGroup &g : d.groups )
    if ( !g.dense )
      indexRest( g, n );
  return d;
}

//! y -= a x over n entries (unrolled so that the compiler pairs the lanes into vector instructions).
inline void subtractScaled( double a, const double *__restrict x, double *__restrict y, int n )
{
  int k = 0;
  for ( ; k + 4 <= n; k += 4 )
  {
    y[k] -= a * x[k];
    y[k + 1] -= a * x[k + 1];
    y[k + 2] -= a * x[k + 2];
    y[k + 3] -= a * x[k + 3];
  }
  for ( ; k < n; ++k )
    y[k] -= a * x[k];
}

inline double softThreshold( double z, double g )
{
  if ( z > g )
    return z - g;
  if ( z < -g )
    return z + g;
  return 0.0;
}

/**
 * One path fit on fixed observation weights q (sum 1): glmnet's objective, solved by proximal
 * Newton steps. Each step solves the penalised quadratic model by covariance-mode coordinate
 * descent on a weighted Gram matrix of the working columns (p x p numbers, independent of the rows);
 * the gradient is exact at every step (one pass over the rows: codes -> eta -> mu -> histograms).
 * The Gram matrix is rebuilt from the current weights only when the steps stop contracting fast
 * (or a step fails to decrease the objective), so most lambdas cost two or three row passes.
 * The solution is the unique minimiser whatever the Gram's age; only the number of steps changes.
 * Working set: groups holding an ever-active column or passing the sequential strong rule, with a
 * KKT check of every other group at convergence. Keeps mu for every row (also rows with weight 0),
 * so cross-validation reads held-out predictions straight from the solver.
 */
class PathSolver
{
public:
  PathSolver( const GroupedDesign &d, const std::vector<double> &y, const std::vector<double> &q, const ElasticNetOptions &o )
      : mD( d ), mY( y ), mQ( q ), mO( o ), mN( d.n ), mP( d.p ), mG( static_cast<int>( d.groups.size() ) )
  {
  }

  //! Called after each lambda with (index, mu of every row).
  std::function<void( int, const std::vector<double> & )> onLambda;
  std::function<bool()> canceled;
  //! Asked before each lambda (by index): true ends the path there (the fits so far stand).
  std::function<bool( int )> stopBefore;

  //! Column moments and the intercept-only model; false (with \a error) when there is nothing to model.
  bool initialise( QString *error )
  {
    setupColumns();
    double ybar = 0;
    mSqYlogY = 0;
    for ( int i = 0; i < mN; ++i )
    {
      ybar += mQ[i] * mY[i];
      if ( mY[i] > 0 )
        mSqYlogY += mQ[i] * mY[i] * std::log( mY[i] );
    }
    mSqY = ybar;
    if ( !( ybar > 0 ) )
    {
      *error = QStringLiteral( "the outcome is zero everywhere: nothing to model" );
      return false;
    }
    mBeta.assign( mP, 0.0 );
    mA0 = std::log( ybar );
    for ( std::vector<double> *v : { &mMu, &mR, &mMuOld, &mROld } )
      v->assign( mN, 0.0 );
    mHist.assign( mG, {} );
    mU.assign( mG, {} );
    mDu.assign( mG, {} );
    mOwn.assign( mG, {} );
    mHistValid.assign( mG, false );
    mGrad.assign( mP, 0.0 );
    mWork.assign( mG, false );
    mEver.assign( mG, false );
    mInGram.assign( mG, false );
    mH.assign( static_cast<std::size_t>( mP + 1 ) * ( mP + 1 ), 0.0 );
    mSWG.assign( mP, 0.0 );
    mGramValid = false;

    mNullDeviance = 0;
    for ( int i = 0; i < mN; ++i )
      mNullDeviance += mQ[i] * poissonUnitDeviance( mY[i], ybar );
    if ( !rowPass() )
    {
      *error = QStringLiteral( "the linear predictor overflowed" );
      return false;
    }
    for ( int g = 0; g < mG; ++g )
      histogram( g );
    return true;
  }

  //! glmnet's default lambda sequence (after initialise()): from the smallest lambda with all coefficients 0.
  std::vector<double> defaultLambdas() const
  {
    double gmax = 0;
    for ( int j = 0; j < mP; ++j )
      if ( mUsable[j] )
        gmax = std::max( gmax, std::fabs( mGrad[j] ) );
    const double lmax = gmax / std::max( mO.alpha, 1e-3 );
    const double ratio = mO.lambdaMinRatio > 0 ? mO.lambdaMinRatio : ( mN > mP ? 1e-4 : 1e-2 );
    const int nl = std::max( 2, mO.nLambda );
    std::vector<double> lambda;
    for ( int k = 0; k < nl; ++k )
      lambda.push_back( lmax * std::pow( ratio, static_cast<double>( k ) / ( nl - 1 ) ) );
    return lambda;
  }

  bool run( const std::vector<double> &lambdaIn, ElasticNetPath &out )
  {
    const double alpha = mO.alpha;
    if ( !initialise( &out.error ) )
      return false;
    out.nullDeviance = mNullDeviance;
    const double nullDev = mNullDeviance, sqy = mSqY;
    const std::vector<double> lambda = lambdaIn.empty() ? defaultLambdas() : lambdaIn;

    double prevLambda = lambda.front();
    double prevRatio = 0;
    for ( std::size_t k = 0; k < lambda.size(); ++k )
    {
      if ( stopBefore && stopBefore( static_cast<int>( k ) ) )
        break;
      if ( canceled && canceled() )
      {
        out.error = QStringLiteral( "canceled" );
        return false;
      }
      const double lam = lambda[k];
      // Working set: ever-active groups and sequential strong rule survivors. Every group's
      // gradient is current here (the previous lambda ended with a KKT check of all groups).
      for ( int g = 0; g < mG; ++g )
      {
        mWork[g] = mEver[g];
        if ( mWork[g] )
          continue;
        for ( int j : mD.groups[g].columns )
          if ( mUsable[j] && std::fabs( mGrad[j] ) >= alpha * ( 2 * lam - prevLambda ) )
            mWork[g] = true;
      }
      if ( !solveLambda( lam ) )
      {
        out.error = mError.isEmpty() ? QStringLiteral( "the coordinate descent did not converge at lambda %1" ).arg( lam ) : mError;
        return false;
      }
      for ( int g = 0; g < mG; ++g )
        for ( int j : mD.groups[g].columns )
          if ( mBeta[j] != 0 )
            mEver[g] = true;

      // Record on the original scale.
      std::vector<double> b( mP, 0 );
      double b0 = mA0;
      int nz = 0;
      for ( int j = 0; j < mP; ++j )
      {
        if ( mBeta[j] == 0 )
          continue;
        b[j] = mBeta[j] / mSd[j];
        b0 -= b[j] * mMean[j];
        ++nz;
      }
      const double dev = 2 * ( mSqYlogY - mSyEta - sqy + mSmu );
      const double ratio = nullDev > 0 ? 1 - dev / nullDev : 0;
      out.lambda.push_back( lam );
      out.intercept.push_back( b0 );
      out.beta.push_back( std::move( b ) );
      out.devRatio.push_back( ratio );
      out.nonZero.push_back( nz );
      if ( onLambda )
        onLambda( static_cast<int>( k ), mMu );
      prevLambda = lam;
      // glmnet's path stopping rules (after the first five lambdas).
      if ( static_cast<int>( k ) + 1 >= std::min<int>( 5, static_cast<int>( lambda.size() ) ) )
      {
        if ( mO.fdev > 0 && ratio - prevRatio < mO.fdev * ratio )
          break;
        if ( ratio > mO.devMax )
          break;
      }
      prevRatio = ratio;
    }
    out.ok = true;
    return true;
  }

private:
  void setupColumns()
  {
    mMean.assign( mP, 0 );
    mSd.assign( mP, 1 );
    mUsable.assign( mP, false );
    for ( const ColumnGroup &g : mD.groups )
    {
      if ( g.dense )
      {
        const int j = g.columns[0];
        double m = 0, ex2 = 0;
        for ( int i = 0; i < mN; ++i )
        {
          const double v = ( *g.values )[i];
          m += mQ[i] * v;
          ex2 += mQ[i] * v * v;
        }
        setMoments( j, m, ex2 );
        continue;
      }
      std::vector<double> qh( g.codes(), 0.0 );
      for ( int i = 0; i < mN; ++i )
        qh[g.code[i]] += mQ[i];
      for ( std::size_t t = 0; t < g.columns.size(); ++t )
      {
        double m = 0;
        for ( int c = 0; c < g.codes(); ++c )
          if ( g.mask[c] >> t & 1 )
            m += qh[c];
        setMoments( g.columns[t], m, m );
      }
    }
  }

  void setMoments( int j, double m, double ex2 )
  {
    const double var = std::max( 0.0, ex2 - m * m );
    mMean[j] = m;
    mUsable[j] = var > 1e-24 * std::max( 1.0, ex2 );
    mSd[j] = mO.standardize ? ( mUsable[j] ? std::sqrt( var ) : 1.0 ) : 1.0;
  }

  /**
   * mu and q (y - mu) of every row at the current coefficients, their sums, and the gradient of
   * the working groups, in one pass over the rows in cache-sized chunks. False when mu overflows.
   */
  bool rowPass()
  {
    // eta = k + sum over groups of a table lookup by the row's code (+ dense columns).
    double k = mA0;
    mActive.clear();
    for ( int gi = 0; gi < mG; ++gi )
    {
      const ColumnGroup &g = mD.groups[gi];
      std::vector<double> &u = mU[gi];
      u.assign( g.dense ? 1 : g.codes(), 0.0 );
      bool any = false;
      double b[kMaxGroupColumns] = {};
      for ( std::size_t t = 0; t < g.columns.size(); ++t )
      {
        const int j = g.columns[t];
        if ( mBeta[j] == 0 )
          continue;
        any = true;
        b[t] = mBeta[j] / mSd[j];
        k -= b[t] * mMean[j];
      }
      if ( !any )
        continue;
      if ( g.dense )
        u[0] = b[0];
      else
        for ( int c = 0; c < g.codes(); ++c )
          forEachBit( g.mask[c], [&]( int t )
                      { u[c] += b[t]; } );
      mActive.push_back( gi );
      if ( !g.dense )
      {
        // The common code's value goes into the constant; the other rows add the difference.
        k += u[g.mode];
        mDu[gi].resize( u.size() );
        for ( std::size_t c = 0; c < u.size(); ++c )
          mDu[gi][c] = u[c] - u[g.mode];
      }
    }
    std::fill( mHistValid.begin(), mHistValid.end(), false );
    mHistGroups.clear();
    for ( int gi = 0; gi < mG; ++gi )
      if ( mWork[gi] )
      {
        mHistGroups.push_back( gi );
        clearHistogram( gi );
      }
    double R = 0, syeta = 0, smu = 0;
    double eta[kChunk];
    for ( int from = 0; from < mN; from += kChunk )
    {
      const int len = std::min( kChunk, mN - from );
      std::fill( eta, eta + len, k );
      for ( int gi : mActive )
      {
        const ColumnGroup &g = mD.groups[gi];
        const double *u = mU[gi].data();
        if ( g.dense )
        {
          const double *x = g.values->data() + from;
          for ( int i = 0; i < len; ++i )
            eta[i] += u[0] * x[i];
        }
        else
        {
          const std::uint16_t *row = g.restOffset.data();
          const std::uint8_t *code = g.restCode.data();
          const double *du = mDu[gi].data();
          for ( int t = g.chunkStart[from / kChunk], e = g.chunkStart[from / kChunk + 1]; t < e; ++t )
            eta[row[t]] += du[code[t]];
        }
      }
      double *mu = mMu.data() + from, *r = mR.data() + from;
      const double *q = mQ.data() + from, *y = mY.data() + from;
      for ( int i = 0; i < len; ++i )
      {
        mu[i] = std::exp( eta[i] );
        r[i] = q[i] * ( y[i] - mu[i] );
        R += r[i];
        syeta += q[i] * y[i] * eta[i];
        smu += q[i] * mu[i];
      }
      for ( int gi : mHistGroups )
        accumulateHistogram( gi, from, len );
    }
    mRsum = R;
    mSyEta = syeta;
    mSmu = smu;
    for ( int gi : mHistGroups )
      finishHistogram( gi );
    return std::isfinite( smu ) && std::isfinite( syeta );
  }

  // Histograms of q (y - mu) by code: two interleaved tables (even and odd rows) break the
  // add-to-the-same-bin dependency chains. Dense groups keep one running sum.
  void clearHistogram( int gi )
  {
    const ColumnGroup &g = mD.groups[gi];
    mHist[gi].assign( g.dense ? 1 : static_cast<std::size_t>( g.codes() ) * 4, 0.0 );
  }

  void accumulateHistogram( int gi, int from, int len )
  {
    const ColumnGroup &g = mD.groups[gi];
    double *h = mHist[gi].data();
    const double *r = mR.data() + from;
    if ( g.dense )
    {
      const double *x = g.values->data() + from;
      double s = 0;
      for ( int i = 0; i < len; ++i )
        s += r[i] * x[i];
      h[0] += s;
      return;
    }
    const int C = g.codes();
    double *h1 = h + C, *h2 = h + 2 * C, *h3 = h + 3 * C;
    const std::uint16_t *row = g.restOffset.data();
    const std::uint8_t *code = g.restCode.data();
    int t = g.chunkStart[from / kChunk];
    const int e = g.chunkStart[from / kChunk + 1];
    for ( ; t + 3 < e; t += 4 )
    {
      h[code[t]] += r[row[t]];
      h1[code[t + 1]] += r[row[t + 1]];
      h2[code[t + 2]] += r[row[t + 2]];
      h3[code[t + 3]] += r[row[t + 3]];
    }
    for ( ; t < e; ++t )
      h[code[t]] += r[row[t]];
  }

  //! Gradient of the log-likelihood for the standardised coefficients of group gi's columns.
  void finishHistogram( int gi )
  {
    const ColumnGroup &g = mD.groups[gi];
    double *h = mHist[gi].data();
    mHistValid[gi] = true;
    if ( !g.dense )
    {
      double rest = 0;
      for ( int c = 0; c < g.codes(); ++c )
        if ( c != g.mode )
        {
          h[c] += h[g.codes() + c] + h[2 * g.codes() + c] + h[3 * g.codes() + c];
          rest += h[c];
        }
      h[g.mode] = mRsum - rest;
    }
    double sr[kMaxGroupColumns] = {};
    if ( g.dense )
      sr[0] = h[0];
    else
      for ( int c = 0; c < g.codes(); ++c )
        forEachBit( g.mask[c], [&]( int t )
                    { sr[t] += h[c]; } );
    for ( std::size_t t = 0; t < g.columns.size(); ++t )
    {
      const int j = g.columns[t];
      mGrad[j] = mUsable[j] ? ( sr[t] - mMean[j] * mRsum ) / mSd[j] : 0.0;
    }
  }

  //! Gradient of group gi's columns from the stored row arrays (groups outside the working set).
  void histogram( int gi )
  {
    clearHistogram( gi );
    for ( int from = 0; from < mN; from += kChunk )
      accumulateHistogram( gi, from, std::min( kChunk, mN - from ) );
    finishHistogram( gi );
  }

  double &H( int a, int b ) { return mH[static_cast<std::size_t>( a ) * ( mP + 1 ) + b]; }

  //! Standardised Gram entry from the raw weighted cross product a = sum wG x_j x_k.
  void setGram( int j, int k, double a )
  {
    const double v = ( a - mMean[j] * mSWG[k] - mMean[k] * mSWG[j] + mMean[j] * mMean[k] * mWG ) / ( mSd[j] * mSd[k] );
    H( j + 1, k + 1 ) = v;
    H( k + 1, j + 1 ) = v;
  }

  //! Rows and columns of group gi in the Gram matrix (weights mWGram), against the groups already in it.
  void addToGram( int gi )
  {
    const ColumnGroup &g = mD.groups[gi];
    const double *wg = mWGram.data();
    if ( g.dense )
    {
      const int j = g.columns[0];
      const double *x = g.values->data();
      double sw = 0, sww = 0;
      for ( int i = 0; i < mN; ++i )
      {
        sw += wg[i] * x[i];
        sww += wg[i] * x[i] * x[i];
      }
      mSWG[j] = sw;
      setGram( j, j, sww );
    }
    else
    {
      std::vector<double> &own = mOwn[gi];
      own.assign( g.codes(), 0.0 );
      double rest = 0;
      g.forEachRest( [&]( int i, int c )
                     { own[c] += wg[i]; } );
      for ( double v : own )
        rest += v;
      own[g.mode] = mWG - rest;
      for ( std::size_t t = 0; t < g.columns.size(); ++t )
      {
        double sw = 0;
        for ( int c = 0; c < g.codes(); ++c )
          if ( g.mask[c] >> t & 1 )
            sw += own[c];
        mSWG[g.columns[t]] = sw;
      }
      for ( std::size_t t = 0; t < g.columns.size(); ++t )
        for ( std::size_t s = t; s < g.columns.size(); ++s )
        {
          double a = 0;
          for ( int c = 0; c < g.codes(); ++c )
            if ( ( g.mask[c] >> t & 1 ) && ( g.mask[c] >> s & 1 ) )
              a += own[c];
          setGram( g.columns[t], g.columns[s], a );
        }
    }
    for ( int j : g.columns )
    {
      const double v = ( mSWG[j] - mMean[j] * mWG ) / mSd[j];
      H( 0, j + 1 ) = v;
      H( j + 1, 0 ) = v;
    }
    for ( int oi = 0; oi < mG; ++oi )
      if ( mInGram[oi] && oi != gi )
        crossBlock( gi, oi );
    mInGram[gi] = true;
  }

  //! Gram block between two different groups: a weighted contingency table of their codes.
  void crossBlock( int ai, int bi )
  {
    const ColumnGroup *a = &mD.groups[ai], *b = &mD.groups[bi];
    if ( a->dense && !b->dense )
      std::swap( a, b );
    const double *wg = mWGram.data();
    if ( a->dense && b->dense )
    {
      const double *x = a->values->data(), *z = b->values->data();
      double s = 0;
      for ( int i = 0; i < mN; ++i )
        s += wg[i] * x[i] * z[i];
      setGram( a->columns[0], b->columns[0], s );
      return;
    }
    if ( !a->dense && b->dense )
    {
      // binary a, dense b
      std::vector<double> h( a->codes(), 0.0 );
      const double *z = b->values->data();
      double rest = 0;
      a->forEachRest( [&]( int i, int c )
                      { h[c] += wg[i] * z[i]; } );
      for ( double v : h )
        rest += v;
      h[a->mode] = mSWG[b->columns[0]] - rest;
      for ( std::size_t t = 0; t < a->columns.size(); ++t )
      {
        double s = 0;
        for ( int c = 0; c < a->codes(); ++c )
          if ( a->mask[c] >> t & 1 )
            s += h[c];
        setGram( a->columns[t], b->columns[0], s );
      }
      return;
    }
    // Weighted contingency table of the codes over a's rows off its common code; the common
    // code's row is b's weight histogram minus the others.
    if ( a->restCount() > b->restCount() )
      std::swap( a, b );
    const int ca = a->codes(), cb = b->codes();
    std::vector<double> &tab = mTable;
    tab.assign( static_cast<std::size_t>( ca ) * cb, 0.0 );
    const std::uint8_t *xb = b->code.data();
    a->forEachRest( [&]( int i, int c )
                    { tab[static_cast<std::size_t>( c ) * cb + xb[i]] += wg[i]; } );
    {
      const std::vector<double> &ownB = mOwn[&*b - mD.groups.data()];
      double *modeRow = &tab[static_cast<std::size_t>( a->mode ) * cb];
      for ( int d = 0; d < cb; ++d )
      {
        double rest = 0;
        for ( int c = 0; c < ca; ++c )
          if ( c != a->mode )
            rest += tab[static_cast<std::size_t>( c ) * cb + d];
        modeRow[d] = ownB[d] - rest;
      }
    }
    // m[ca][s] = sum over b's codes with bit s; then contract over a's codes with bit t.
    const int sb = static_cast<int>( b->columns.size() );
    std::vector<double> m( static_cast<std::size_t>( ca ) * sb, 0.0 );
    for ( int c = 0; c < ca; ++c )
    {
      const double *row = &tab[static_cast<std::size_t>( c ) * cb];
      for ( int d = 0; d < cb; ++d )
      {
        if ( row[d] == 0 )
          continue;
        for ( int s = 0; s < sb; ++s )
          if ( b->mask[d] >> s & 1 )
            m[static_cast<std::size_t>( c ) * sb + s] += row[d];
      }
    }
    for ( std::size_t t = 0; t < a->columns.size(); ++t )
      for ( int s = 0; s < sb; ++s )
      {
        double v = 0;
        for ( int c = 0; c < ca; ++c )
          if ( a->mask[c] >> t & 1 )
            v += m[static_cast<std::size_t>( c ) * sb + s];
        setGram( a->columns[t], b->columns[s], v );
      }
  }

  //! Rebuilds the Gram matrix of the working groups from the current weights.
  void refreshGram()
  {
    mWGram.resize( mN );
    for ( int i = 0; i < mN; ++i )
      mWGram[i] = mQ[i] * mMu[i];
    mWG = mSmu;
    H( 0, 0 ) = mWG;
    std::fill( mInGram.begin(), mInGram.end(), false );
    for ( int g = 0; g < mG; ++g )
      if ( mWork[g] )
        addToGram( g );
    mGramValid = true;
    mGramFresh = true;
  }

  void ensureGram()
  {
    if ( !mGramValid )
    {
      refreshGram();
      return;
    }
    for ( int g = 0; g < mG; ++g )
      if ( mWork[g] && !mInGram[g] )
        addToGram( g );
  }

  double objective( double lam ) const
  {
    double pen = 0;
    for ( int j = 0; j < mP; ++j )
      pen += ( 1 - mO.alpha ) / 2 * mBeta[j] * mBeta[j] + mO.alpha * std::fabs( mBeta[j] );
    return -( mSyEta - mSmu ) + lam * pen;
  }

  /**
   * Penalised quadratic model at the current point (exact gradient, Gram matrix): coordinate
   * descent over the intercept and the working columns. Fills mTarget and returns the size of the
   * step, max_j v_j step_j^2 (glmnet's convergence measure); < 0 when it does not converge.
   */
  double solveModel( double lam )
  {
    const double l1 = lam * mO.alpha, l2 = lam * ( 1 - mO.alpha );
    mSet.clear();
    for ( int g = 0; g < mG; ++g )
      if ( mWork[g] )
        for ( int j : mD.groups[g].columns )
          if ( mUsable[j] )
            mSet.push_back( j );
    const int m = static_cast<int>( mSet.size() ) + 1;
    std::vector<double> &hs = mHs;
    hs.resize( static_cast<std::size_t>( m ) * m );
    auto idx = [&]( int t )
    { return t == 0 ? 0 : mSet[t - 1] + 1; };
    for ( int a = 0; a < m; ++a )
      for ( int b = 0; b < m; ++b )
        hs[static_cast<std::size_t>( a ) * m + b] = H( idx( a ), idx( b ) );
    // x: coordinates being solved for (intercept first), b: where they start.
    std::vector<double> r( m ), x( m, 0.0 ), b( m, 0.0 );
    r[0] = mRsum;
    b[0] = x[0] = mA0;
    for ( int t = 1; t < m; ++t )
    {
      r[t] = mGrad[mSet[t - 1]];
      b[t] = x[t] = mBeta[mSet[t - 1]];
    }
    const double inner = mO.threshold * 1e-2;
    auto move = [&]( int t, double nb )
    {
      const double dd = nb - x[t];
      x[t] = nb;
      subtractScaled( dd, &hs[static_cast<std::size_t>( t ) * m], r.data(), m );
      return hs[static_cast<std::size_t>( t ) * m + t] * dd * dd;
    };
    auto sweep = [&]( bool activeOnly )
    {
      double dlx = 0;
      if ( r[0] != 0 )
        dlx = move( 0, x[0] + r[0] / hs[0] );
      for ( int t = 1; t < m; ++t )
      {
        if ( activeOnly && x[t] == 0 )
          continue;
        const double v = hs[static_cast<std::size_t>( t ) * m + t];
        const double nb = softThreshold( r[t] + v * x[t], l1 ) / ( v + l2 );
        if ( nb != x[t] )
          dlx = std::max( dlx, move( t, nb ) );
      }
      return dlx;
    };
    int passes = 0;
    for ( ;; )
    {
      if ( ++passes > mO.maxPasses )
        return -1;
      if ( sweep( false ) < inner )
        break;
      for ( ;; )
      {
        if ( ++passes > mO.maxPasses )
          return -1;
        if ( sweep( true ) < inner )
          break;
      }
    }
    mTarget0 = x[0];
    mTarget.assign( x.begin() + 1, x.end() );
    double dlx = hs[0] * ( x[0] - b[0] ) * ( x[0] - b[0] );
    for ( int t = 1; t < m; ++t )
      dlx = std::max( dlx, hs[static_cast<std::size_t>( t ) * m + t] * ( x[t] - b[t] ) * ( x[t] - b[t] ) );
    return dlx;
  }

  //! Moves a fraction t of the way from the old point to the model's solution (t = 1: onto it, zeros exact).
  void applyStep( double t )
  {
    mA0 = t == 1.0 ? mTarget0 : mA0Old + t * ( mTarget0 - mA0Old );
    for ( std::size_t s = 0; s < mSet.size(); ++s )
    {
      const int j = mSet[s];
      mBeta[j] = t == 1.0 ? mTarget[s] : mBetaOld[j] + t * ( mTarget[s] - mBetaOld[j] );
    }
  }

  bool histogramsOfWork()
  {
    for ( int g = 0; g < mG; ++g )
      if ( mWork[g] && !mHistValid[g] )
        histogram( g );
    return true;
  }

  bool solveLambda( double lam )
  {
    const double l1 = lam * mO.alpha;
    double prevDlx = -1;
    histogramsOfWork();
    double f = objective( lam );
    for ( int outer = 0; outer < 1000; ++outer )
    {
      ensureGram();
      double dlx = solveModel( lam );
      if ( dlx < 0 )
        return false;
      // Slow contraction with an old Gram matrix: rebuild it here and solve again.
      if ( !mGramFresh && prevDlx >= 0 && dlx > 3e-2 * prevDlx && dlx >= mO.threshold )
      {
        refreshGram();
        dlx = solveModel( lam );
        if ( dlx < 0 )
          return false;
      }
      if ( dlx < mO.threshold )
      {
        // Converged on the working set: KKT check of the other groups.
        bool violated = false;
        for ( int g = 0; g < mG; ++g )
        {
          if ( mWork[g] )
            continue;
          if ( !mHistValid[g] )
            histogram( g );
          for ( int j : mD.groups[g].columns )
            if ( mUsable[j] && std::fabs( mGrad[j] ) > l1 * ( 1 + 1e-9 ) )
            {
              mWork[g] = true;
              violated = true;
            }
        }
        if ( !violated )
          return true;
        continue;
      }
      prevDlx = dlx;
      // Take the step; keep the old point to fall back on.
      mBetaOld = mBeta;
      mA0Old = mA0;
      mMu.swap( mMuOld );
      mR.swap( mROld );
      const double rOld = mRsum, yeOld = mSyEta, smOld = mSmu;
      const std::vector<double> gradOld = mGrad;
      double t = 1;
      bool accepted = false;
      for ( int half = 0; half < 50; ++half, t *= 0.5 )
      {
        applyStep( t );
        if ( rowPass() )
        {
          const double fn = objective( lam );
          if ( fn <= f + 1e-12 * std::max( 1.0, std::fabs( f ) ) )
          {
            f = fn;
            accepted = true;
            break;
          }
        }
        if ( !mGramFresh )
        {
          // The old Gram matrix misled the step: back to the old point with an exact one.
          mBeta = mBetaOld;
          mA0 = mA0Old;
          mMu.swap( mMuOld );
          mR.swap( mROld );
          mRsum = rOld;
          mSyEta = yeOld;
          mSmu = smOld;
          mGrad = gradOld;
          std::fill( mHistValid.begin(), mHistValid.end(), false );
          refreshGram();
          break;
        }
      }
      if ( !accepted )
      {
        if ( mGramFresh && t < 1 )
        {
          mError = QStringLiteral( "no descent step at lambda %1" ).arg( lam );
          return false;
        }
        prevDlx = -1;
        histogramsOfWork(); // harmless: gradient restored, histograms recomputed on demand
        continue;
      }
      mGramFresh = false;
      histogramsOfWork();
    }
    return false;
  }

  const GroupedDesign &mD;
  const std::vector<double> &mY;
  const std::vector<double> &mQ;
  const ElasticNetOptions &mO;
  const int mN, mP, mG;
  std::vector<double> mMean, mSd;
  std::vector<bool> mUsable;
  std::vector<double> mBeta, mBetaOld;
  double mA0 = 0, mA0Old = 0;
  double mSqYlogY = 0, mSqY = 0, mNullDeviance = 0;
  // Row arrays at the current point (and the previous one, for a rejected step).
  std::vector<double> mMu, mR, mMuOld, mROld;
  double mRsum = 0, mSyEta = 0, mSmu = 0;
  std::vector<std::vector<double>> mU;    //!< per group: eta contribution by code
  std::vector<std::vector<double>> mDu;   //!< per group: the same minus the common code's
  std::vector<std::vector<double>> mOwn;  //!< per group: Gram weights by code
  std::vector<std::vector<double>> mHist; //!< per group: histogram of q (y - mu) by code
  std::vector<bool> mHistValid;
  std::vector<int> mActive, mHistGroups;
  std::vector<double> mGrad;
  std::vector<bool> mWork, mEver, mInGram;
  // Gram matrix (intercept first) at the weights mWGram.
  std::vector<double> mH, mWGram, mSWG, mTable, mHs;
  double mWG = 0;
  bool mGramValid = false, mGramFresh = false;
  std::vector<int> mSet;
  std::vector<double> mTarget; //!< the quadratic model's solution for mSet
  double mTarget0 = 0;
  QString mError;
};

bool validate( const std::vector<DesignColumn> &x, const std::vector<double> &y, const std::vector<double> &weights, QString *error )
{
  const int n = static_cast<int>( y.size() );
  if ( n == 0 )
  {
    *error = QStringLiteral( "no rows" );
    return false;
  }
  for ( const DesignColumn &c : x )
  {
    if ( c.rows() != n )
    {
      *error = QStringLiteral( "design column with %1 rows for %2 outcomes" ).arg( c.rows() ).arg( n );
      return false;
    }
  }
  if ( !weights.empty() && static_cast<int>( weights.size() ) != n )
  {
    *error = QStringLiteral( "%1 weights for %2 rows" ).arg( weights.size() ).arg( n );
    return false;
  }
  for ( double v : y )
  {
    if ( !( v >= 0 ) || !std::isfinite( v ) )
    {
      *error = QStringLiteral( "Poisson outcome must be finite and non-negative" );
      return false;
    }
  }
  return true;
}

std::vector<double> normalisedWeights( const std::vector<double> &weights, int n, const std::vector<int> *foldId = nullptr, int leaveOut = 0 )
{
  std::vector<double> q( n );
  double s = 0;
  for ( int i = 0; i < n; ++i )
  {
    q[i] = weights.empty() ? 1.0 : weights[i];
    if ( foldId && ( *foldId )[i] == leaveOut )
      q[i] = 0;
    s += q[i];
  }
  for ( double &v : q )
    v /= s;
  return q;
}

} // namespace

namespace
{
ElasticNetPath fitPath( const GroupedDesign &design, const std::vector<double> &y, const std::vector<double> &weights, const ElasticNetOptions &options,
                        QgsFeedback *feedback )
{
  ElasticNetPath out;
  const std::vector<double> q = normalisedWeights( weights, static_cast<int>( y.size() ) );
  PathSolver solver( design, y, q, options );
  solver.canceled = [feedback]
  { return feedback && feedback->isCanceled(); };
  solver.run( options.lambda, out );
  double total = 0;
  for ( std::size_t i = 0; i < y.size(); ++i )
    total += weights.empty() ? 1.0 : weights[i];
  out.nullDeviance *= total;
  return out;
}
} // namespace

ElasticNetPath fitPoissonElasticNet( const std::vector<DesignColumn> &x, const std::vector<double> &y, const std::vector<double> &weights,
                                     const ElasticNetOptions &options, QgsFeedback *feedback )
{
  ElasticNetPath out;
  if ( !validate( x, y, weights, &out.error ) )
    return out;
  const GroupedDesign design = groupColumns( x, static_cast<int>( y.size() ) );
  return fitPath( design, y, weights, options, feedback );
}

std::vector<int> makeFoldIds( int rows, int folds, quint64 seed )
{
  std::vector<int> id( rows );
  for ( int i = 0; i < rows; ++i )
    id[i] = i % folds + 1;
  // Fisher-Yates with mt19937_64, whose output the standard fixes (std::shuffle's is not).
  std::mt19937_64 rng( seed );
  for ( int i = rows - 1; i > 0; --i )
  {
    const quint64 j = rng() % static_cast<quint64>( i + 1 );
    std::swap( id[i], id[static_cast<int>( j )] );
  }
  return id;
}

ElasticNetCv crossValidatePoissonElasticNet( const std::vector<DesignColumn> &x, const std::vector<double> &y, const std::vector<double> &weights,
                                             const ElasticNetOptions &options, std::vector<int> foldId, QgsFeedback *feedback )
{
  ElasticNetCv cv;
  const int n = static_cast<int>( y.size() );
  if ( !validate( x, y, weights, &cv.error ) )
    return cv;
  if ( options.folds < 3 || options.folds > n )
  {
    cv.error = QStringLiteral( "the number of folds must be between 3 and the number of rows" );
    return cv;
  }
  if ( foldId.empty() )
    foldId = makeFoldIds( n, options.folds, options.seed );
  if ( static_cast<int>( foldId.size() ) != n )
  {
    cv.error = QStringLiteral( "fold ids do not match the rows" );
    return cv;
  }
  const int folds = *std::max_element( foldId.begin(), foldId.end() );

  const GroupedDesign design = groupColumns( x, n );
  // The lambda sequence is known before the full fit, so the full fit and the folds run side by
  // side; a fold stops at the full path's length once that is known (the scores up to there do
  // not depend on when it stops).
  std::vector<double> lambdas = options.lambda;
  if ( lambdas.empty() )
  {
    const std::vector<double> q = normalisedWeights( weights, n );
    PathSolver probe( design, y, q, options );
    if ( !probe.initialise( &cv.error ) )
      return cv;
    lambdas = probe.defaultLambdas();
  }
  ElasticNetOptions pathOptions = options;
  pathOptions.lambda = lambdas;
  ElasticNetOptions foldOptions = options;
  foldOptions.lambda = lambdas;
  foldOptions.fdev = 0; // score every lambda of the full path
  foldOptions.devMax = 2;

  const int maxLambdas = static_cast<int>( lambdas.size() );
  std::vector<std::vector<double>> raw( folds, std::vector<double>( maxLambdas, std::numeric_limits<double>::quiet_NaN() ) );
  std::vector<double> foldWeight( folds, 0 );
  std::vector<QString> errors( folds );
  std::atomic<int> next( 0 ), done( 0 ), pathLength( -1 );
  std::mutex progressMutex;
  auto progress = [&]
  {
    const int d = ++done;
    if ( feedback )
    {
      std::lock_guard<std::mutex> lock( progressMutex );
      feedback->setProgress( 100.0 * d / ( folds + 1 ) );
    }
  };
  auto worker = [&]
  {
    for ( ;; )
    {
      const int task = next++;
      if ( task > folds )
        return;
      if ( task == 0 )
      {
        cv.path = fitPath( design, y, weights, pathOptions, feedback );
        pathLength = cv.path.ok ? static_cast<int>( cv.path.lambda.size() ) : 0;
        progress();
        continue;
      }
      const int f = task - 1;
      const int fold = task;
      const std::vector<double> q = normalisedWeights( weights, n, &foldId, fold );
      std::vector<int> rows;
      double wsum = 0;
      for ( int i = 0; i < n; ++i )
      {
        if ( foldId[i] == fold )
        {
          rows.push_back( i );
          wsum += weights.empty() ? 1.0 : weights[i];
        }
      }
      foldWeight[f] = wsum;
      PathSolver solver( design, y, q, foldOptions );
      solver.canceled = [feedback]
      { return feedback && feedback->isCanceled(); };
      solver.stopBefore = [&pathLength]( int k )
      {
        const int len = pathLength;
        return len >= 0 && k >= len;
      };
      solver.onLambda = [&]( int k, const std::vector<double> &mu )
      {
        double s = 0;
        for ( int i : rows )
          s += ( weights.empty() ? 1.0 : weights[i] ) * poissonUnitDeviance( y[i], mu[i] );
        raw[f][k] = wsum > 0 ? s / wsum : 0;
      };
      ElasticNetPath p;
      if ( !solver.run( foldOptions.lambda, p ) )
        errors[f] = p.error;
      progress();
    }
  };
  const int threads = std::max( 1, std::min( options.threads, folds + 1 ) );
  std::vector<std::thread> pool;
  for ( int t = 1; t < threads; ++t )
    pool.emplace_back( worker );
  worker();
  for ( std::thread &t : pool )
    t.join();
  if ( !cv.path.ok )
  {
    cv.error = cv.path.error;
    return cv;
  }
  const int nl = static_cast<int>( cv.path.lambda.size() );
  for ( const QString &e : errors )
  {
    if ( !e.isEmpty() )
    {
      cv.error = e;
      return cv;
    }
  }

  const double totalWeight = std::accumulate( foldWeight.begin(), foldWeight.end(), 0.0 );
  cv.cvm.assign( nl, 0 );
  cv.cvsd.assign( nl, 0 );
  for ( int k = 0; k < nl; ++k )
  {
    double m = 0;
    for ( int f = 0; f < folds; ++f )
      m += foldWeight[f] * raw[f][k];
    m /= totalWeight;
    double v = 0;
    for ( int f = 0; f < folds; ++f )
      v += foldWeight[f] * ( raw[f][k] - m ) * ( raw[f][k] - m );
    cv.cvm[k] = m;
    cv.cvsd[k] = std::sqrt( v / totalWeight / ( folds - 1 ) );
  }
  // Largest lambda reaching the minimum (cv.glmnet: max(lambda[cvm <= min(cvm)])).
  const double minCvm = *std::min_element( cv.cvm.begin(), cv.cvm.end() );
  for ( int k = 0; k < nl; ++k )
  {
    if ( cv.cvm[k] <= minCvm )
    {
      cv.indexMin = k;
      break;
    }
  }
  cv.lambdaMin = cv.path.lambda[cv.indexMin];
  cv.foldId = std::move( foldId );
  cv.ok = true;
  return cv;
}

} // namespace statdesk::rtm
