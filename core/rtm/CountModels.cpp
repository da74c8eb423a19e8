#include "CountModels.h"

#include <Eigen/Dense>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <cmath>

namespace statdesk::rtm
{

QString countFamilyName( CountFamily family )
{
  switch ( family )
  {
    case CountFamily::Poisson:
      return QStringLiteral( "poisson" );
    case CountFamily::NB1:
      return QStringLiteral( "nb1" );
    case CountFamily::NB2:
      return QStringLiteral( "nb2" );
  }
  return QString();
}

double bayesianInformationCriterion( double logLik, int parameters, double observations )
{
  return -2.0 * logLik + parameters * std::log( observations );
}

double normalTwoSidedP( double z )
{
  return std::erfc( std::fabs( z ) / std::sqrt( 2.0 ) );
}

namespace
{

// Per-row log-likelihood and its derivatives in (eta, a = log alpha).
struct RowTerms
{
    double ll = 0, gEta = 0, hEtaEta = 0, gA = 0, hAA = 0, hEtaA = 0;
};

//! lgamma(y + r) - lgamma(r) and the same differences of digamma and trigamma.
struct GammaDifferences
{
    double lg = 0, dg = 0, tg = 0;
};

inline GammaDifferences gammaDifferences( double y, double r, bool derivatives )
{
  GammaDifferences g;
  if ( y == std::floor( y ) && y <= 64 )
  {
    // Counts: the exact finite sums, accurate for any r. Near the Poisson limit r grows without
    // bound and the lgamma (digamma) values are huge and nearly equal: their difference is noise.
    for ( int k = 0; k < static_cast<int>( y ); ++k )
    {
      g.lg += std::log( r + k );
      if ( derivatives )
      {
        const double inv = 1 / ( r + k );
        g.dg += inv;
        g.tg -= inv * inv;
      }
    }
    return g;
  }
  g.lg = std::lgamma( y + r ) - std::lgamma( r );
  if ( derivatives )
  {
    g.dg = boost::math::digamma( y + r ) - boost::math::digamma( r );
    g.tg = boost::math::trigamma( y + r ) - boost::math::trigamma( r );
  }
  return g;
}

inline RowTerms rowTerms( CountFamily family, double y, double eta, double a, bool derivatives )
{
  RowTerms t;
  const double mu = std::exp( eta );
  const double lgy1 = std::lgamma( y + 1 );
  switch ( family )
  {
    case CountFamily::Poisson:
      t.ll = y * eta - mu - lgy1;
      t.gEta = y - mu;
      t.hEtaEta = -mu;
      break;
    case CountFamily::NB2:
    {
      const double alpha = std::exp( a );
      const double th = 1 / alpha;
      const double tm = th + mu;
      const double l1m = std::log1p( mu / th ); // log(tm / th), accurate when th >> mu
      const GammaDifferences gd = gammaDifferences( y, th, derivatives );
      t.ll = gd.lg - lgy1 - th * l1m + y * std::log( mu / tm );
      if ( !derivatives )
        break;
      t.gEta = th * ( y - mu ) / tm;
      t.hEtaEta = -th * mu * ( th + y ) / ( tm * tm );
      const double gTh = gd.dg - l1m + ( mu - y ) / tm;
      const double hThTh = gd.tg + mu / ( th * tm ) - ( mu - y ) / ( tm * tm );
      t.gA = -th * gTh;
      t.hAA = th * gTh + th * th * hThTh;
      t.hEtaA = -th * ( y - mu ) * mu / ( tm * tm );
      break;
    }
    case CountFamily::NB1:
    {
      const double alpha = std::exp( a );
      const double r = mu / alpha;
      const double l1a = std::log1p( alpha );
      const GammaDifferences gd = gammaDifferences( y, r, derivatives );
      t.ll = gd.lg - lgy1 - r * l1a + y * a - y * l1a;
      if ( !derivatives )
        break;
      const double d = gd.dg - l1a;
      const double tt = y > 0 ? gd.tg : 0.0;
      const double q = alpha / ( 1 + alpha );
      t.gEta = r * d;
      t.hEtaEta = r * d + r * r * tt;
      t.gA = -r * d - r * q + y / ( 1 + alpha );
      t.hAA = r * d + r * r * tt + 2 * r * q - r * q / ( 1 + alpha ) - y * q / ( 1 + alpha );
      t.hEtaA = -r * d - r * r * tt - r * q;
      break;
    }
  }
  return t;
}

struct Evaluation
{
    double ll = 0;
    Eigen::VectorXd g;
    Eigen::MatrixXd h;
    bool finite = true;
};

Evaluation evaluate( CountFamily family, const CountData &data, const Eigen::VectorXd &theta, bool derivatives )
{
  const int k = data.columns;
  const bool nb = family != CountFamily::Poisson;
  const int np = k + ( nb ? 1 : 0 );
  Evaluation e;
  if ( derivatives )
  {
    e.g = Eigen::VectorXd::Zero( np );
    e.h = Eigen::MatrixXd::Zero( np, np );
  }
  const double a = nb ? theta[k] : 0.0;
  const int n = data.rows();
  for ( int i = 0; i < n; ++i )
  {
    const double *xi = data.x.data() + static_cast<std::size_t>( i ) * k;
    double eta = 0;
    for ( int c = 0; c < k; ++c )
      eta += xi[c] * theta[c];
    const double w = data.weight.empty() ? 1.0 : data.weight[i];
    if ( w == 0 )
      continue;
    const RowTerms t = rowTerms( family, data.y[i], eta, a, derivatives );
    e.ll += w * t.ll;
    if ( !derivatives )
      continue;
    for ( int c = 0; c < k; ++c )
    {
      e.g[c] += w * t.gEta * xi[c];
      for ( int d = 0; d <= c; ++d )
        e.h( c, d ) += w * t.hEtaEta * xi[c] * xi[d];
      if ( nb )
        e.h( k, c ) += w * t.hEtaA * xi[c];
    }
    if ( nb )
    {
      e.g[k] += w * t.gA;
      e.h( k, k ) += w * t.hAA;
    }
  }
  if ( derivatives )
    e.h = e.h.selfadjointView<Eigen::Lower>();
  e.finite = std::isfinite( e.ll ) && ( !derivatives || ( e.g.allFinite() && e.h.allFinite() ) );
  return e;
}

bool newton( CountFamily family, const CountData &data, Eigen::VectorXd &theta, const CountFitOptions &options, CountFit &fit, Evaluation &last )
{
  Evaluation e = evaluate( family, data, theta, true );
  if ( !e.finite )
  {
    fit.error = QStringLiteral( "the likelihood is not finite at the starting values" );
    return false;
  }
  const int np = static_cast<int>( theta.size() );
  for ( int it = 0; it < options.maxIterations; ++it )
  {
    fit.iterations = it + 1;
    Eigen::MatrixXd info = -e.h;
    Eigen::LLT<Eigen::MatrixXd> llt( info );
    double ridge = 0;
    while ( llt.info() != Eigen::Success )
    {
      // Not concave here: regularise towards gradient ascent until the step is an ascent direction.
      ridge = ridge == 0 ? 1e-8 * std::max( 1.0, info.diagonal().cwiseAbs().maxCoeff() ) : ridge * 10;
      llt.compute( info + ridge * Eigen::MatrixXd::Identity( np, np ) );
      if ( ridge > 1e12 )
      {
        fit.error = QStringLiteral( "the information matrix is singular (collinear variables?)" );
        return false;
      }
    }
    Eigen::VectorXd step = llt.solve( e.g );
    const double decrement = e.g.dot( step );
    if ( decrement < options.tolerance && ridge == 0 )
    {
      fit.converged = true;
      last = std::move( e );
      return true;
    }
    double t = 1;
    bool improved = false;
    for ( int half = 0; half < 60; ++half, t *= 0.5 )
    {
      Eigen::VectorXd cand = theta + t * step;
      if ( np > data.columns )
        cand[np - 1] = std::max( cand[np - 1], -40.0 ); // log alpha: alpha -> 0 is the Poisson limit
      Evaluation ce = evaluate( family, data, cand, false );
      if ( ce.finite && ce.ll >= e.ll - 1e-12 * std::fabs( e.ll ) )
      {
        theta = cand;
        improved = true;
        break;
      }
    }
    if ( !improved )
    {
      // No ascent possible in floating point: we are at the optimum to machine precision.
      fit.converged = decrement < 1e-6;
      last = std::move( e );
      if ( !fit.converged )
        fit.error = QStringLiteral( "the Newton iterations stalled" );
      return fit.converged;
    }
    e = evaluate( family, data, theta, true );
    if ( !e.finite )
    {
      fit.error = QStringLiteral( "the likelihood became non-finite" );
      return false;
    }
  }
  fit.error = QStringLiteral( "no convergence in %1 iterations" ).arg( options.maxIterations );
  last = std::move( e );
  return false;
}

//! Standard errors, z, p and information criteria at the optimum \a theta.
CountFit finishFit( CountFamily family, const CountData &data, const Eigen::VectorXd &theta, const Evaluation &last, CountFit &fit )
{
  const int k = data.columns;
  fit.logLik = last.ll;
  const Eigen::MatrixXd info = -last.h;
  Eigen::LDLT<Eigen::MatrixXd> ldlt( info );
  const Eigen::MatrixXd cov = ldlt.solve( Eigen::MatrixXd::Identity( info.rows(), info.cols() ) );
  fit.beta.resize( k );
  fit.se.resize( k );
  fit.z.resize( k );
  fit.p.resize( k );
  for ( int c = 0; c < k; ++c )
  {
    fit.beta[c] = theta[c];
    fit.se[c] = std::sqrt( std::max( 0.0, cov( c, c ) ) );
    fit.z[c] = fit.se[c] > 0 ? fit.beta[c] / fit.se[c] : 0;
    fit.p[c] = normalTwoSidedP( fit.z[c] );
  }
  if ( family != CountFamily::Poisson )
  {
    fit.alpha = std::exp( theta[k] );
    // At the optimum the gradient vanishes, so the delta method is exact for the reparametrisation.
    fit.alphaSe = fit.alpha * std::sqrt( std::max( 0.0, cov( k, k ) ) );
  }
  fit.parameters = k + ( family == CountFamily::Poisson ? 0 : 1 );
  fit.bic = bayesianInformationCriterion( fit.logLik, fit.parameters, fit.nobs );
  fit.aic = -2 * fit.logLik + 2 * fit.parameters;
  fit.ok = true;
  return fit;
}

} // namespace

CountFit fitCountModel( CountFamily family, const CountData &data, const CountFitOptions &options )
{
  CountFit fit;
  fit.family = family;
  const int k = data.columns;
  const int n = data.rows();
  if ( k < 1 || n == 0 || static_cast<int>( data.x.size() ) != n * k || ( !data.weight.empty() && static_cast<int>( data.weight.size() ) != n ) )
  {
    fit.error = QStringLiteral( "inconsistent count data" );
    return fit;
  }
  double sw = 0, swy = 0;
  for ( int i = 0; i < n; ++i )
  {
    const double w = data.weight.empty() ? 1.0 : data.weight[i];
    if ( data.y[i] < 0 || !std::isfinite( data.y[i] ) || w < 0 )
    {
      fit.error = QStringLiteral( "counts and weights must be non-negative" );
      return fit;
    }
    sw += w;
    swy += w * data.y[i];
  }
  if ( !( swy > 0 ) )
  {
    fit.error = QStringLiteral( "the outcome is zero everywhere" );
    return fit;
  }
  fit.nobs = sw;

  // Poisson first: it is the NB starting point too.
  Eigen::VectorXd beta = Eigen::VectorXd::Zero( k );
  if ( options.startBeta && static_cast<int>( options.startBeta->size() ) == k )
  {
    for ( int c = 0; c < k; ++c )
      beta[c] = ( *options.startBeta )[c];
  }
  else
  {
    // Intercept-like start: find a column that is constant 1.
    for ( int c = 0; c < k; ++c )
    {
      bool ones = true;
      for ( int i = 0; i < n && ones; ++i )
        ones = data.x[static_cast<std::size_t>( i ) * k + c] == 1.0;
      if ( ones )
      {
        beta[c] = std::log( swy / sw );
        break;
      }
    }
  }
  Evaluation last;
  const bool warmNb = family != CountFamily::Poisson && options.startBeta && static_cast<int>( options.startBeta->size() ) == k && options.startAlpha > 0;
  if ( warmNb )
  {
    // Warm start (stepwise selection: the current model's estimates): straight to the NB fit.
    Eigen::VectorXd theta( k + 1 );
    theta.head( k ) = beta;
    // Not below the cold start's floor: near the Poisson limit the NB log-likelihood is a
    // difference of huge lgamma values and Newton steps from there are noise.
    theta[k] = std::log( std::max( options.startAlpha, 0.05 ) );
    if ( !newton( family, data, theta, options, fit, last ) )
      return fit;
    return finishFit( family, data, theta, last, fit );
  }
  CountFit poisson;
  if ( !newton( CountFamily::Poisson, data, beta, options, poisson, last ) )
  {
    fit.error = poisson.error;
    return fit;
  }
  Eigen::VectorXd theta = beta;
  if ( family == CountFamily::Poisson )
  {
    fit.iterations = poisson.iterations;
    fit.converged = true;
  }
  else
  {
    // Moment estimate of alpha from the Poisson fit.
    double num = 0, den = 0;
    for ( int i = 0; i < n; ++i )
    {
      const double w = data.weight.empty() ? 1.0 : data.weight[i];
      double eta = 0;
      for ( int c = 0; c < k; ++c )
        eta += data.x[static_cast<std::size_t>( i ) * k + c] * beta[c];
      const double mu = std::exp( eta ), r = data.y[i] - mu;
      num += w * ( r * r - mu );
      den += w * ( family == CountFamily::NB2 ? mu * mu : mu );
    }
    const double alpha0 = std::max( 0.05, den > 0 ? num / den : 0.05 );
    theta.resize( k + 1 );
    theta.head( k ) = beta;
    theta[k] = std::log( alpha0 );
    if ( !newton( family, data, theta, options, fit, last ) )
      return fit;
  }

  return finishFit( family, data, theta, last, fit );
}

} // namespace statdesk::rtm
