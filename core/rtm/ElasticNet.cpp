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
    return static_cast<int>( std::count_if( mDense.begin(), mDense.end(), []( double v ) { return v != 0; } ) );
  return mOffset == 0 ? static_cast<int>( mIndex.size() ) : mRows - static_cast<int>( mIndex.size() );
}

double poissonUnitDeviance( double y, double mu )
{
  const double t = y > 0 ? y * std::log( y / mu ) : 0.0;
  return 2.0 * ( t - ( y - mu ) );
}

namespace
{

// sum_i v_i u_i
inline double sumU( const DesignColumn &c, const double *v )
{
  double s = 0;
  if ( c.mIsDense )
  {
    const double *u = c.mDense.data();
    for ( int i = 0; i < c.mRows; ++i )
      s += v[i] * u[i];
  }
  else
  {
    for ( int i : c.mIndex )
      s += v[i];
  }
  return s;
}

// sum_i v_i u_i^2
inline double sumU2( const DesignColumn &c, const double *v )
{
  if ( !c.mIsDense )
    return sumU( c, v );
  double s = 0;
  const double *u = c.mDense.data();
  for ( int i = 0; i < c.mRows; ++i )
    s += v[i] * u[i] * u[i];
  return s;
}

// v_i += d * w_i * u_i (w may be null: 1)
inline void addU( const DesignColumn &c, double d, double *v, const double *w )
{
  if ( c.mIsDense )
  {
    const double *u = c.mDense.data();
    if ( w )
      for ( int i = 0; i < c.mRows; ++i )
        v[i] += d * w[i] * u[i];
    else
      for ( int i = 0; i < c.mRows; ++i )
        v[i] += d * u[i];
  }
  else if ( w )
  {
    for ( int i : c.mIndex )
      v[i] += d * w[i];
  }
  else
  {
    for ( int i : c.mIndex )
      v[i] += d;
  }
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
 * One glmnet-style path fit on fixed observation weights. Keeps eta for every row (also rows
 * with weight 0), so cross-validation reads held-out predictions straight from the solver.
 */
class PathSolver
{
  public:
    PathSolver( const std::vector<DesignColumn> &x, const std::vector<double> &y, const std::vector<double> &q, const ElasticNetOptions &o )
      : mX( x ), mY( y ), mQ( q ), mO( o ), mN( static_cast<int>( y.size() ) ), mP( static_cast<int>( x.size() ) )
    {
    }

    //! Called after each lambda with (index, eta vector including its scalar K).
    std::function<void( int, const std::vector<double> &, double )> onLambda;
    std::function<bool()> canceled;

    bool run( const std::vector<double> &lambdaIn, ElasticNetPath &out )
    {
      const double alpha = mO.alpha;
      // Column moments with the observation weights (sum 1).
      mMean.assign( mP, 0 );
      mSd.assign( mP, 1 );
      mUsable.assign( mP, false );
      for ( int j = 0; j < mP; ++j )
      {
        const DesignColumn &c = mX[j];
        const double su = sumU( c, mQ.data() );
        const double su2 = sumU2( c, mQ.data() );
        const double m = c.mOffset + c.mScale * su;
        const double ex2 = c.mOffset * c.mOffset + 2 * c.mOffset * c.mScale * su + c.mScale * c.mScale * su2;
        const double var = std::max( 0.0, ex2 - m * m );
        mMean[j] = m;
        mUsable[j] = var > 1e-24 * std::max( 1.0, ex2 );
        mSd[j] = mO.standardize ? ( mUsable[j] ? std::sqrt( var ) : 1.0 ) : 1.0;
      }
      double ybar = 0;
      for ( int i = 0; i < mN; ++i )
        ybar += mQ[i] * mY[i];
      if ( !( ybar > 0 ) )
      {
        out.error = QStringLiteral( "the outcome is zero everywhere: nothing to model" );
        return false;
      }
      mBeta.assign( mP, 0 );
      mB0 = std::log( ybar );
      mEta.assign( mN, 0 );
      mK = mB0;
      mMu.assign( mN, 0 );
      mW.assign( mN, 0 );
      mRho.assign( mN, 0 );
      mGrad.assign( mP, 0 );
      mV.assign( mP, 0 );
      mSW.assign( mP, 0 );

      double nullDev = 0;
      for ( int i = 0; i < mN; ++i )
        nullDev += mQ[i] * poissonUnitDeviance( mY[i], ybar );
      out.nullDeviance = nullDev;
      fullGradient();

      std::vector<double> lambda = lambdaIn;
      if ( lambda.empty() )
      {
        double gmax = 0;
        for ( int j = 0; j < mP; ++j )
          if ( mUsable[j] )
            gmax = std::max( gmax, std::fabs( mGrad[j] ) );
        const double lmax = gmax / std::max( alpha, 1e-3 );
        const double ratio = mO.lambdaMinRatio > 0 ? mO.lambdaMinRatio : ( mN > mP ? 1e-4 : 1e-2 );
        const int nl = std::max( 2, mO.nLambda );
        for ( int k = 0; k < nl; ++k )
          lambda.push_back( lmax * std::pow( ratio, static_cast<double>( k ) / ( nl - 1 ) ) );
      }

      std::vector<bool> ever( mP, false );
      double prevLambda = lambda.front();
      double prevRatio = 0;
      for ( std::size_t k = 0; k < lambda.size(); ++k )
      {
        if ( canceled && canceled() )
        {
          out.error = QStringLiteral( "canceled" );
          return false;
        }
        const double lam = lambda[k];
        // Strong set: ever active + sequential strong rule survivors.
        std::vector<bool> inSet( mP, false );
        for ( int j = 0; j < mP; ++j )
          inSet[j] = mUsable[j] && ( ever[j] || std::fabs( mGrad[j] ) >= alpha * ( 2 * lam - prevLambda ) );
        for ( ;; )
        {
          std::vector<int> set;
          for ( int j = 0; j < mP; ++j )
            if ( inSet[j] )
              set.push_back( j );
          if ( !solve( lam, set ) )
          {
            out.error = QStringLiteral( "the coordinate descent did not converge at lambda %1" ).arg( lam );
            return false;
          }
          fullGradient();
          bool violated = false;
          for ( int j = 0; j < mP; ++j )
          {
            if ( mUsable[j] && !inSet[j] && std::fabs( mGrad[j] ) > lam * alpha * ( 1 + 1e-9 ) )
            {
              inSet[j] = true;
              violated = true;
            }
          }
          if ( !violated )
            break;
        }
        for ( int j = 0; j < mP; ++j )
          ever[j] = ever[j] || mBeta[j] != 0;

        // Record on the original scale.
        std::vector<double> b( mP, 0 );
        double b0 = mB0;
        int nz = 0;
        for ( int j = 0; j < mP; ++j )
        {
          if ( mBeta[j] == 0 )
            continue;
          b[j] = mBeta[j] / mSd[j];
          b0 -= b[j] * mMean[j];
          ++nz;
        }
        double dev = 0;
        for ( int i = 0; i < mN; ++i )
          dev += mQ[i] * poissonUnitDeviance( mY[i], mMu[i] );
        const double ratio = nullDev > 0 ? 1 - dev / nullDev : 0;
        out.lambda.push_back( lam );
        out.intercept.push_back( b0 );
        out.beta.push_back( std::move( b ) );
        out.devRatio.push_back( ratio );
        out.nonZero.push_back( nz );
        if ( onLambda )
          onLambda( static_cast<int>( k ), mEta, mK );
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
    // mu, and the gradient of the weighted log-likelihood w.r.t. every standardised coefficient.
    void fullGradient()
    {
      double r = 0;
      for ( int i = 0; i < mN; ++i )
      {
        mMu[i] = std::exp( mEta[i] + mK );
        mRho[i] = mQ[i] * ( mY[i] - mMu[i] );
        r += mRho[i];
      }
      for ( int j = 0; j < mP; ++j )
      {
        if ( !mUsable[j] )
          continue;
        const DesignColumn &c = mX[j];
        mGrad[j] = ( ( c.mOffset - mMean[j] ) * r + c.mScale * sumU( c, mRho.data() ) ) / mSd[j];
      }
    }

    bool solve( double lam, const std::vector<int> &set )
    {
      const double alpha = mO.alpha;
      const double l1 = lam * alpha, l2 = lam * ( 1 - alpha );
      for ( int irls = 0; irls < 200; ++irls )
      {
        double W = 0, R = 0;
        for ( int i = 0; i < mN; ++i )
        {
          mMu[i] = std::exp( mEta[i] + mK );
          mW[i] = mQ[i] * mMu[i];
          mRho[i] = mQ[i] * ( mY[i] - mMu[i] );
          W += mW[i];
          R += mRho[i];
        }
        for ( int j : set )
        {
          const DesignColumn &c = mX[j];
          const double am = c.mOffset - mMean[j];
          mSW[j] = sumU( c, mW.data() );
          const double sww = sumU2( c, mW.data() );
          mV[j] = ( am * am * W + 2 * am * c.mScale * mSW[j] + c.mScale * c.mScale * sww ) / ( mSd[j] * mSd[j] );
        }
        // Weighted cross products of set columns for this IRLS iteration (weights fixed), filled lazily.
        const int ns = static_cast<int>( set.size() );
        std::vector<double> cross( static_cast<std::size_t>( ns ) * ns, std::numeric_limits<double>::quiet_NaN() );
        const std::vector<double> betaStart = mBeta;
        const double b0Start = mB0;
        double cRho = 0; // rho_i = mRho_i - cRho * w_i
        auto pass = [&]( bool activeOnly ) {
          double dlx = 0;
          const double d0 = R / W;
          if ( d0 != 0 )
          {
            mB0 += d0;
            mK += d0;
            cRho += d0;
            R -= d0 * W;
            dlx = std::max( dlx, W * d0 * d0 );
          }
          for ( int j : set )
          {
            if ( activeOnly && mBeta[j] == 0 )
              continue;
            const DesignColumn &c = mX[j];
            const double am = c.mOffset - mMean[j];
            const double sRho = sumU( c, mRho.data() ) - cRho * mSW[j];
            const double g = ( am * R + c.mScale * sRho ) / mSd[j];
            const double old = mBeta[j];
            const double nb = softThreshold( g + mV[j] * old, l1 ) / ( mV[j] + l2 );
            const double d = nb - old;
            if ( d == 0 )
              continue;
            mBeta[j] = nb;
            const double cc = d * am / mSd[j];
            const double dd = d * c.mScale / mSd[j];
            cRho += cc;
            addU( c, -dd, mRho.data(), mW.data() );
            R -= cc * W + dd * mSW[j];
            mK += cc;
            addU( c, dd, mEta.data(), nullptr );
            dlx = std::max( dlx, mV[j] * d * d );
          }
          return dlx;
        };
        int passes = 0;
        // Active-set iterations in covariance mode: correlated bands (nested distances) need many
        // passes, and each costs |A|^2 with the weighted Gram matrix of the active columns instead
        // of a sweep over their rows.
        auto activeLoop = [&]() {
          std::vector<int> act, pos;
          for ( int t = 0; t < ns; ++t )
            if ( mBeta[set[t]] != 0 )
            {
              act.push_back( set[t] );
              pos.push_back( t );
            }
          const int a = static_cast<int>( act.size() );
          const int m = a + 1; // index 0: intercept
          std::vector<double> gram( static_cast<std::size_t>( m ) * m, 0.0 ), grad( m, 0.0 ), delta( m, 0.0 );
          auto G = [&]( int r, int c ) -> double & { return gram[static_cast<std::size_t>( r ) * m + c]; };
          G( 0, 0 ) = W;
          grad[0] = R;
          if ( mTmp.size() != static_cast<std::size_t>( mN ) )
            mTmp.assign( mN, 0.0 );
          for ( int q = 0; q < a; ++q )
          {
            const DesignColumn &ck = mX[act[q]];
            const double amk = ck.mOffset - mMean[act[q]], sk = mSd[act[q]];
            G( q + 1, 0 ) = G( 0, q + 1 ) = ( amk * W + ck.mScale * mSW[act[q]] ) / sk;
            grad[q + 1] = ( amk * R + ck.mScale * ( sumU( ck, mRho.data() ) - cRho * mSW[act[q]] ) ) / sk;
            bool scattered = false;
            for ( int p = q; p < a; ++p )
            {
              const DesignColumn &cj = mX[act[p]];
              const double amj = cj.mOffset - mMean[act[p]], sj = mSd[act[p]];
              double &swuu = cross[static_cast<std::size_t>( pos[q] ) * ns + pos[p]];
              if ( std::isnan( swuu ) )
              {
                if ( !scattered )
                {
                  addU( ck, 1.0, mTmp.data(), mW.data() ); // mTmp = w * u_k
                  scattered = true;
                }
                swuu = sumU( cj, mTmp.data() );
                cross[static_cast<std::size_t>( pos[p] ) * ns + pos[q]] = swuu;
              }
              G( p + 1, q + 1 ) = G( q + 1, p + 1 ) = ( amj * amk * W + amj * ck.mScale * mSW[act[q]] + amk * cj.mScale * mSW[act[p]] + cj.mScale * ck.mScale * swuu ) / ( sj * sk );
            }
            if ( scattered )
            {
              if ( ck.mIsDense )
                std::fill( mTmp.begin(), mTmp.end(), 0.0 );
              else
                for ( int i : ck.mIndex )
                  mTmp[i] = 0.0;
            }
          }
          for ( ;; )
          {
            if ( ++passes > mO.maxPasses )
              return false;
            double dlx = 0;
            const double d0 = grad[0] / W;
            if ( d0 != 0 )
            {
              delta[0] += d0;
              for ( int k = 0; k < m; ++k )
                grad[k] -= d0 * G( k, 0 );
              dlx = std::max( dlx, W * d0 * d0 );
            }
            for ( int p = 0; p < a; ++p )
            {
              const int j = act[p];
              const double v = G( p + 1, p + 1 );
              const double old = mBeta[j];
              const double nb = softThreshold( grad[p + 1] + v * old, l1 ) / ( v + l2 );
              const double d = nb - old;
              if ( d == 0 )
                continue;
              mBeta[j] = nb;
              delta[p + 1] += d;
              const double *col = &gram[static_cast<std::size_t>( p + 1 ) * m];
              for ( int k = 0; k < m; ++k )
                grad[k] -= d * col[k];
              dlx = std::max( dlx, v * d * d );
            }
            if ( dlx < mO.threshold )
              break;
          }
          // Bring the row vectors up to date with the accumulated changes.
          if ( delta[0] != 0 )
          {
            mB0 += delta[0];
            mK += delta[0];
            cRho += delta[0];
            R -= delta[0] * W;
          }
          for ( int p = 0; p < a; ++p )
          {
            const double d = delta[p + 1];
            if ( d == 0 )
              continue;
            const int j = act[p];
            const DesignColumn &c = mX[j];
            const double cc = d * ( c.mOffset - mMean[j] ) / mSd[j];
            const double dd = d * c.mScale / mSd[j];
            cRho += cc;
            addU( c, -dd, mRho.data(), mW.data() );
            R -= cc * W + dd * mSW[j];
            mK += cc;
            addU( c, dd, mEta.data(), nullptr );
          }
          return true;
        };
        for ( ;; )
        {
          if ( ++passes > mO.maxPasses )
            return false;
          if ( pass( false ) < mO.threshold )
            break;
          if ( !activeLoop() )
            return false;
        }
        double change = W * ( mB0 - b0Start ) * ( mB0 - b0Start );
        for ( int j : set )
          change = std::max( change, mV[j] * ( mBeta[j] - betaStart[j] ) * ( mBeta[j] - betaStart[j] ) );
        if ( change < mO.threshold )
          return true;
      }
      return false;
    }

    const std::vector<DesignColumn> &mX;
    const std::vector<double> &mY;
    const std::vector<double> &mQ;
    const ElasticNetOptions &mO;
    const int mN, mP;
    std::vector<double> mMean, mSd;
    std::vector<bool> mUsable;
    std::vector<double> mBeta;
    double mB0 = 0;
    std::vector<double> mEta; // eta_i = mEta_i + mK
    double mK = 0;
    std::vector<double> mMu, mW, mRho, mGrad, mV, mSW;
    std::vector<double> mTmp; // scratch, all zero between uses
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

ElasticNetPath fitPoissonElasticNet( const std::vector<DesignColumn> &x, const std::vector<double> &y, const std::vector<double> &weights,
                                     const ElasticNetOptions &options, QgsFeedback *feedback )
{
  ElasticNetPath out;
  if ( !validate( x, y, weights, &out.error ) )
    return out;
  const std::vector<double> q = normalisedWeights( weights, static_cast<int>( y.size() ) );
  PathSolver solver( x, y, q, options );
  solver.canceled = [feedback] { return feedback && feedback->isCanceled(); };
  solver.run( options.lambda, out );
  double total = 0;
  for ( std::size_t i = 0; i < y.size(); ++i )
    total += weights.empty() ? 1.0 : weights[i];
  out.nullDeviance *= total;
  return out;
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

  cv.path = fitPoissonElasticNet( x, y, weights, options, feedback );
  if ( !cv.path.ok )
  {
    cv.error = cv.path.error;
    return cv;
  }
  const int nl = static_cast<int>( cv.path.lambda.size() );
  if ( feedback )
    feedback->setProgress( 100.0 / ( folds + 1 ) );

  ElasticNetOptions foldOptions = options;
  foldOptions.lambda = cv.path.lambda;
  foldOptions.fdev = 0; // score every lambda of the full path
  foldOptions.devMax = 2;

  std::vector<std::vector<double>> raw( folds, std::vector<double>( nl, std::numeric_limits<double>::quiet_NaN() ) );
  std::vector<double> foldWeight( folds, 0 );
  std::vector<QString> errors( folds );
  std::atomic<int> next( 0 ), done( 0 );
  std::mutex progressMutex;
  auto worker = [&] {
    for ( ;; )
    {
      const int f = next++;
      if ( f >= folds )
        return;
      const int fold = f + 1;
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
      PathSolver solver( x, y, q, foldOptions );
      solver.canceled = [feedback] { return feedback && feedback->isCanceled(); };
      solver.onLambda = [&]( int k, const std::vector<double> &eta, double kk ) {
        double s = 0;
        for ( int i : rows )
          s += ( weights.empty() ? 1.0 : weights[i] ) * poissonUnitDeviance( y[i], std::exp( eta[i] + kk ) );
        raw[f][k] = wsum > 0 ? s / wsum : 0;
      };
      ElasticNetPath p;
      if ( !solver.run( foldOptions.lambda, p ) )
        errors[f] = p.error;
      const int d = ++done;
      if ( feedback )
      {
        std::lock_guard<std::mutex> lock( progressMutex );
        feedback->setProgress( 100.0 * ( d + 1 ) / ( folds + 1 ) );
      }
    }
  };
  const int threads = std::max( 1, std::min( options.threads, folds ) );
  std::vector<std::thread> pool;
  for ( int t = 1; t < threads; ++t )
    pool.emplace_back( worker );
  worker();
  for ( std::thread &t : pool )
    t.join();
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
