/**
 * \file GrantAnalysis.h
 * grants/: what the map says about grant neighborhoods — the needs view (open and recent blight
 * 311 requests by class, vacant parcels, dangerous buildings, violent crime by month inside a
 * neighborhood polygon) and the outcome estimate (before/after against comparison
 * neighborhoods of similar baseline: a difference-in-differences rate ratio and the weighted
 * displacement difference, with their uncertainty and honest wording).
 *
 * Read-only; synchronous, taking a QgsFeedback for progress and cancel. Use from the thread
 * that owns the ProjectFile (a QgsTask opens its own).
 */
#pragma once

#include "statdesk_core_export.h"

#include <QDate>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

class QgsFeedback;
class QgsGeometry;

namespace statdesk
{
class ProjectFile;
}

namespace statdesk::grants
{

struct BlightClassCount
{
  QString blightClass;
  int open = 0;   //!< status 'open' now
  int recent = 0; //!< created within the recent window (any status)
};

struct NeighborhoodNeeds
{
  QString nbhId;
  QString name;
  QDate asOf;
  int recentDays = 90;
  QVector<BlightClassCount> blight; //!< sorted by open count, descending
  int blightOpen = 0;
  int blightRecent = 0;
  int vacantParcels = 0;
  int dangerousBuildings = 0;
  QMap<QString, int> violentByMonth; //!< "YYYY-MM" -> violent offenses, every month of the window (zeros included)
  int violentLast12 = 0;
  int violentPrevious12 = 0;
  QVector<qint64> siteIds; //!< grant_sites of grants in this neighborhood
  QJsonObject toJson() const;
};

/**
 * Needs of one neighborhood (nbh_id) as of \a asOf: blight 311 requests by class (open now,
 * created in the last \a recentDays days), vacant parcels and dangerous buildings inside the
 * polygon, violent offenses per month for the \a months months up to \a asOf.
 * Points are prefiltered with the layers' R*Trees, then tested against the polygon.
 */
STATDESK_CORE_EXPORT bool neighborhoodNeeds( ProjectFile &project, const QString &nbhId, const QDate &asOf, NeighborhoodNeeds *needs,
                                             QString *error, int recentDays = 90, int months = 24 );

//! A difference-in-differences estimate from four counts.
struct DidEstimate
{
  qint64 treatedBefore = 0;
  qint64 treatedAfter = 0;
  qint64 comparisonBefore = 0; //!< summed over the comparison neighborhoods
  qint64 comparisonAfter = 0;
  int comparisons = 0;
  double rateRatio = 0; //!< (T1/T0)/(C1/C0); < 1 = fell relative to the comparison
  double ciLow = 0;     //!< 95% interval of the rate ratio (Wald on the log scale)
  double ciHigh = 0;
  double pValue = 1;        //!< two-sided, log rate ratio = 0
  double expectedAfter = 0; //!< T0 * C1/C0: the treated count had it followed the comparison
  double wdd = 0;           //!< weighted displacement difference: (T1-T0) - (C1-C0)/K
  double wddSe = 0;         //!< sqrt(T0 + T1 + (C0 + C1)/K^2), Poisson variances
  double wddP = 1;
  bool enough = false;   //!< enough events to say anything
  bool zeroCell = false; //!< a count was 0: 0.5 added to each for the ratio
};

/**
 * The DiD arithmetic on counts: \a k comparison neighborhoods summed into \a c0/\a c1.
 * "Enough" needs at least \a minimumEvents treated events over both windows and no empty cell.
 */
STATDESK_CORE_EXPORT DidEstimate estimateDid( qint64 t0, qint64 t1, qint64 c0, qint64 c1, int k, int minimumEvents = 20 );

//! A sentence for a coordinator, e.g. "Violent offenses fell 42% relative to ... (95% CI ...)".
STATDESK_CORE_EXPORT QString describeDid( const DidEstimate &e, const QString &what );

struct OutcomeOptions
{
  enum class Measure
  {
    ViolentOffenses, //!< incidents.violent = 1, by occurred_at
    Blight311,       //!< service_requests with a blight_class, by created_at
  };
  Measure measure = Measure::ViolentOffenses;
  int monthsBefore = 12; //!< whole calendar months before the start month
  int monthsAfter = 12;  //!< from the start month on (the start month counts as after)
  int comparisons = 5;   //!< comparison neighborhoods per grant neighborhood
  int minimumEvents = 20;
  //! Start date for grant neighborhoods (neighborhoods.is_grant = 1) with no dated grant in the ledger.
  QDate defaultStart;
};

struct OutcomeRow
{
  QString nbhId;
  QString name;
  qint64 grantId = 0; //!< 0 when the start came from OutcomeOptions::defaultStart
  QDate start;
  QString beforeWindow; //!< "2023-01..2023-12"
  QString afterWindow;
  int afterMonths = 0; //!< after-window months covered by the data
  QStringList comparisonIds;
  DidEstimate estimate;
  QString verdict;
};

struct OutcomeResult
{
  QString measure;
  QVector<OutcomeRow> rows;
  DidEstimate pooled; //!< all grant neighborhoods together
  QString pooledVerdict;
  QString dataEnd; //!< last month with data
  QStringList notes;
  QJsonObject toJson() const;
};

/**
 * Outcomes for every grant neighborhood: the ledger's grants with a start date (status awarded,
 * active or closed), plus the neighborhoods flagged is_grant with \a options.defaultStart.
 * Comparison neighborhoods are the non-grant neighborhoods whose count in the same before window
 * is closest to the grant neighborhood's. Returns false with \a error when nothing can be
 * estimated (no neighborhoods, no grant neighborhoods, cancelled).
 */
STATDESK_CORE_EXPORT bool estimateOutcomes( ProjectFile &project, const OutcomeOptions &options, OutcomeResult *result, QString *error,
                                            QgsFeedback *feedback = nullptr );

} // namespace statdesk::grants
