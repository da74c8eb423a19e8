/**
 * \file ClusterCard.h
 * What the Task Force reads about one cluster: its incidents (count, distinct and repeat
 * addresses, first and last date, hour-of-day x day-of-week counts in the project's local time,
 * offense mix, firearm share), its hot-spot persistence, and the environment within a chosen
 * distance of its polygon (open blight 311 requests by class, vacant parcels, dangerous
 * buildings). Computed by SQL on the project file from the cluster's member rows.
 *
 * Read-only on the project; one thread at a time per SqliteDatabase.
 */
#pragma once

#include "clustering/GetisOrd.h"
#include "clustering/Persistence.h"
#include "statdesk_core_export.h"

#include <QDateTime>
#include <QJsonObject>
#include <QPair>
#include <QString>
#include <QTimeZone>
#include <QVector>

#include <array>
#include <memory>
#include <unordered_map>
#include <vector>

class QgsGeometry;

namespace statdesk
{
class SqliteDatabase;
}

namespace statdesk::clustering
{

//! (name, count) rows, most frequent first, ties by name.
using CountList = QVector<QPair<QString, int>>;

/**
 * The persistence class of every classified cell of one persistence run's grid, to tell which
 * class the incidents of a cluster fall in. Built from a run's cells (ClusterRun.h:
 * persistenceLookup) or from the latest run saved in the project (ClusterStore.h).
 */
struct STATDESK_CORE_EXPORT PersistenceLookup
{
  qint64 runId = -1; //!< saved run, -1 when built from an unsaved result
  GridSpec grid;
  std::unordered_map<qint64, PersistenceClass> classes; //!< cell index -> class; unclassified cells absent

  bool isValid() const { return grid.cellCount() > 0; }
  PersistenceClass classAt( double x, double y ) const;
};

//! The card of one cluster. Counts are of the cluster's member rows.
struct STATDESK_CORE_EXPORT ClusterCard
{
  qint64 incidents = 0;
  int distinctAddresses = 0; //!< non-empty addresses
  CountList repeatAddresses; //!< addresses with at least two incidents, at most five
  QDateTime first;           //!< earliest time, in the project's time zone (invalid: no times)
  QDateTime last;
  std::array<std::array<int, 24>, 7> hourByDay{}; //!< [day of week, 0 = Monday][local hour]
  int timedIncidents = 0;                         //!< incidents with a time of day (counted in hourByDay)
  CountList offenseMix;                           //!< by offense (layers without an offense column: empty)
  int firearm = -1;                               //!< incidents with firearm = 1; -1 when the layer has no firearm flag
  QString persistence;                            //!< class name of most member incidents' cells; empty: no persistence run
  int persistenceIncidents = 0;                   //!< members in cells of that class
  double environmentDistance = 0;
  CountList openBlightByClass; //!< open 311 requests with a blight class, by class label
  int openBlight = 0;
  int vacantParcels = 0;
  int dangerousBuildings = 0;

  double firearmShare() const { return incidents > 0 && firearm >= 0 ? static_cast<double>( firearm ) / incidents : 0.0; }
  //! "Saturday" (the day with most incidents; empty without times).
  QString busiestDay() const;
  //! "22:00–01:00": the three-hour window (wrapping midnight) with most incidents; empty without times.
  QString busiestHours( int *count = nullptr ) const;
  //! The 168 counts as text: seven ';'-separated rows (Monday first) of 24 ','-separated counts.
  QString hourByDayText() const;
  bool setHourByDayText( const QString &text );

  /**
   * The card as lines of text (briefing pages, exports). \a publicMode leaves out addresses.
   * Distances are printed in \a unit ("m" or "ft").
   */
  QString text( bool publicMode = false, const QString &unit = QStringLiteral( "m" ) ) const;
  QJsonObject toJson() const;
};

class ClusterEnvironment;

//! Where a card reads from.
struct STATDESK_CORE_EXPORT ClusterCardOptions
{
  QString layer;      //!< the members' table (incidents ...)
  QString timeColumn; //!< empty: the layer's default (occurred_at ...)
  double environmentDistance = 150;
  QTimeZone timeZone;                              //!< the project's; local hours and dates are in it
  const PersistenceLookup *persistence = nullptr;  //!< may be null: no persistence class
  const ClusterEnvironment *environment = nullptr; //!< may be null: read from the project for this card
};

/**
 * The points a card's environment counts: open 311 requests with a blight class (and their
 * class), vacant parcels and dangerous buildings, read from the project once so that the cards
 * of a whole run take no query each. Immutable after load(); may be shared between threads.
 */
class STATDESK_CORE_EXPORT ClusterEnvironment
{
public:
  //! Reads the three layers' points; nullptr with \a error when a query fails.
  static std::shared_ptr<const ClusterEnvironment> load( SqliteDatabase &db, QString *error );

  /**
   * Sets \a card's environment figures (distance, open blight by class, vacant parcels,
   * dangerous buildings) to the points whose distance to \a polygon is at most \a distance.
   */
  void count( const QgsGeometry &polygon, double distance, ClusterCard *card ) const;

private:
  struct Item
  {
    double x = 0;
    double y = 0;
    int kind = 0;         //!< 0 open blight request, 1 vacant parcel, 2 dangerous building
    int blightClass = -1; //!< index into mBlightLabels
  };
  std::vector<Item> mItems; //!< sorted by x
  QStringList mBlightLabels;
};

/**
 * Computes the card of the rows \a fids of options.layer with the environment around \a polygon.
 * Times are read as stored (ISO 8601 with offset) and converted to options.timeZone; a value
 * with a date only counts for the dates, not the hour grid. False with \a error when a query fails.
 */
STATDESK_CORE_EXPORT bool computeClusterCard( SqliteDatabase &db, const std::vector<qint64> &fids, const QgsGeometry &polygon,
                                              const ClusterCardOptions &options, ClusterCard *card, QString *error );

//! "1 vacant parcel" / "3 vacant parcels": \a one for n = 1, else \a many with %1 for n.
STATDESK_CORE_EXPORT QString countPhrase( qint64 n, const QString &one, const QString &many );

//! "a (2); b (3)" and back (the exported and stored form of a CountList).
STATDESK_CORE_EXPORT QString countListText( const CountList &list );
STATDESK_CORE_EXPORT CountList parseCountList( const QString &text );

} // namespace statdesk::clustering
