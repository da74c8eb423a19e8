/**
 * \file ElasticNet.h
 * rtm: elastic-net penalised Poisson regression with glmnet's objective, standardisation and
 * lambda path, and k-fold cross-validation on Poisson deviance (cv.glmnet semantics).
 *
 * Objective (weights q normalised to sum 1):
 *   min_{b0,b}  -sum_i q_i [ y_i eta_i - exp(eta_i) ] + lambda [ (1-alpha)/2 |b|^2 + alpha |b|_1 ]
 * with columns standardised by their weighted mean and (population) standard deviation, as
 * glmnet(standardize = TRUE) does; coefficients are returned on the original scale.
 *
 * Solver: proximal Newton steps along the path (warm starts, sequential strong rules on column
 * groups, a KKT check at convergence). Each step solves the penalised quadratic model by
 * coordinate descent on the weighted Gram matrix of the working columns, then makes one pass
 * over the rows for the exact gradient; the Gram matrix is rebuilt only when steps stop
 * contracting, so a lambda typically costs two row passes. Consecutive binary columns are coded
 * in groups of at most 16 columns / 256 bit patterns (one byte per row); a row pass visits each
 * group's rows off its most common pattern, and a Gram block of two groups is their weighted
 * contingency table. Cross-validation runs the full fit and the folds side by side on
 * options.threads threads; results do not depend on the thread count.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

#include <cstdint>
#include <vector>

class QgsFeedback;

namespace statdesk::rtm
{

/**
 * One column of a design matrix: x_i = offset + scale * u_i, where u is either a sparse 0/1
 * indicator (its row indices) or a dense vector. Immutable once built; safe to share between threads.
 */
class STATDESK_CORE_EXPORT DesignColumn
{
  public:
    //! A 0/1 column (any non-zero byte counts as 1); stored as the minority value's rows.
    static DesignColumn fromBinary( const std::vector<std::uint8_t> &values );
    static DesignColumn fromDense( std::vector<double> values );

    bool isSparse() const { return !mIsDense; }
    int rows() const { return mRows; }
    double value( int row ) const;
    //! Number of rows where the column is 1 (binary) or non-zero (dense).
    int nonZeroCount() const;

    // Representation (read by the solver).
    bool mIsDense = false;
    int mRows = 0;
    double mOffset = 0;         //!< x = mOffset + mScale * u
    double mScale = 1;
    std::vector<int> mIndex;    //!< sparse: rows where u = 1, ascending
    std::vector<double> mDense; //!< dense: u
};

struct ElasticNetOptions
{
    double alpha = 0.5;
    int nLambda = 100;
    double lambdaMinRatio = -1;   //!< < 0: glmnet default (1e-4 when N > p, else 1e-2)
    std::vector<double> lambda;   //!< explicit decreasing sequence (overrides nLambda / ratio)
    bool standardize = true;
    double threshold = 1e-12;     //!< converged when a Newton step has max_j v_j * step_j^2 below this (v: Gram diagonal; glmnet's thresh, tighter)
    int maxPasses = 100000;       //!< coordinate descent sweeps per quadratic model
    double fdev = 1e-5;           //!< stop the path when the deviance ratio gains less than this (0: never); glmnet's fdev
    double devMax = 0.999;        //!< stop the path when the deviance ratio exceeds this
    int folds = 10;
    quint64 seed = 20240601;
    int threads = 2;
};

//! A fitted lambda path. beta[k][j] is coefficient j at lambda[k], original scale.
struct STATDESK_CORE_EXPORT ElasticNetPath
{
    std::vector<double> lambda;
    std::vector<double> intercept;
    std::vector<std::vector<double>> beta;
    std::vector<double> devRatio;   //!< 1 - deviance / null deviance
    double nullDeviance = 0;        //!< weighted, with weights summing to the number of rows
    std::vector<int> nonZero;       //!< number of non-zero coefficients per lambda
    bool ok = false;
    QString error;
};

//! Cross-validated path (cv.glmnet with grouped = TRUE, type.measure = "deviance").
struct STATDESK_CORE_EXPORT ElasticNetCv
{
    ElasticNetPath path;            //!< fit on all rows
    std::vector<double> cvm;        //!< mean held-out Poisson deviance per lambda
    std::vector<double> cvsd;
    int indexMin = -1;              //!< largest lambda with the minimum cvm
    double lambdaMin = 0;
    std::vector<int> foldId;        //!< 1..folds per row
    bool ok = false;
    QString error;
};

/**
 * Fits the penalised Poisson path. \a weights may be empty (all 1). \a feedback (may be null)
 * is polled for cancellation between lambdas. Deterministic.
 */
STATDESK_CORE_EXPORT ElasticNetPath fitPoissonElasticNet( const std::vector<DesignColumn> &x, const std::vector<double> &y,
                                                          const std::vector<double> &weights, const ElasticNetOptions &options,
                                                          QgsFeedback *feedback = nullptr );

//! Fold ids 1..folds, a seeded random permutation of rep(1..folds) (cv.glmnet's recipe, our own RNG).
STATDESK_CORE_EXPORT std::vector<int> makeFoldIds( int rows, int folds, quint64 seed );

/**
 * Cross-validates the path: the lambda sequence comes from the full fit, each fold is refitted
 * on the other folds (its own standardisation) and scored by mean Poisson deviance on its rows.
 * \a foldId may be empty (makeFoldIds with the options' seed). Folds run on options.threads
 * threads; results do not depend on the thread count. Progress 0-100 on \a feedback.
 */
STATDESK_CORE_EXPORT ElasticNetCv crossValidatePoissonElasticNet( const std::vector<DesignColumn> &x, const std::vector<double> &y,
                                                                  const std::vector<double> &weights, const ElasticNetOptions &options,
                                                                  std::vector<int> foldId = {}, QgsFeedback *feedback = nullptr );

//! Unit Poisson deviance 2 [ y log(y / mu) - (y - mu) ].
STATDESK_CORE_EXPORT double poissonUnitDeviance( double y, double mu );

} // namespace statdesk::rtm
