/**
 * \file CountModels.h
 * rtm: unpenalised maximum-likelihood count regressions with a log link, as the final RTM
 * model and the stepwise selection fit them:
 *  - Poisson;
 *  - NB1, Var = mu (1 + alpha): gamlss NBII (RTMDx's model, sigma = alpha) and statsmodels
 *    NegativeBinomialP(p = 1);
 *  - NB2, Var = mu + alpha mu^2 (theta = 1 / alpha): statsmodels NegativeBinomialP(p = 2), MASS::glm.nb.
 * Newton-Raphson on (beta, log alpha) with the analytic observed information; standard errors
 * from its inverse (for Poisson observed = expected information), Wald z p-values.
 *
 * Rows carry a frequency weight, so identical (covariates, count) rows can be merged first:
 * every likelihood here is a sum over rows, which keeps stepwise selection over 150,000 cells cheap.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

#include <vector>

namespace statdesk::rtm
{

enum class CountFamily
{
  Poisson,
  NB1, //!< Var = mu (1 + alpha) (gamlss NBII, RTMDx)
  NB2, //!< Var = mu + alpha mu^2
};

STATDESK_CORE_EXPORT QString countFamilyName( CountFamily family );

//! Rows of a count regression: x row-major (rows x columns, include the intercept column yourself).
struct CountData
{
    int columns = 0;
    std::vector<double> x;
    std::vector<double> y;
    std::vector<double> weight; //!< frequency weights; empty = all 1

    int rows() const { return static_cast<int>( y.size() ); }
};

struct STATDESK_CORE_EXPORT CountFit
{
    bool ok = false;
    QString error;
    CountFamily family = CountFamily::Poisson;
    std::vector<double> beta, se, z, p;
    double alpha = 0;      //!< dispersion (NB only)
    double alphaSe = 0;
    double logLik = 0;
    double nobs = 0;       //!< sum of weights
    int parameters = 0;    //!< k: coefficients incl. intercept, + 1 for NB dispersion
    double bic = 0;        //!< -2 logLik + k ln nobs
    double aic = 0;
    int iterations = 0;
    bool converged = false;
};

struct CountFitOptions
{
    int maxIterations = 200;
    double tolerance = 1e-10; //!< on the Newton decrement
    const std::vector<double> *startBeta = nullptr;
    //! NB only: with startBeta, start from (startBeta, max(startAlpha, 0.05)) and skip the Poisson pre-fit (0: no).
    double startAlpha = 0;
};

STATDESK_CORE_EXPORT CountFit fitCountModel( CountFamily family, const CountData &data, const CountFitOptions &options = CountFitOptions() );

//! BIC = -2 logL + k ln N.
STATDESK_CORE_EXPORT double bayesianInformationCriterion( double logLik, int parameters, double observations );

//! Two-sided normal p-value of a z statistic.
STATDESK_CORE_EXPORT double normalTwoSidedP( double z );

} // namespace statdesk::rtm
