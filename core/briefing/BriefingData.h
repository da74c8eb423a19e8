/**
 * \file BriefingData.h
 * briefing/: PDF briefing maps (citywide page, grant neighborhood atlas, Task Force cluster
 * sheets) built from QGIS layout templates. This header owns the numbers a briefing prints:
 * the period and its comparison period, key figures, data currency, the hour-of-day x
 * day-of-week and monthly series, and the per-neighborhood before/after figures — all computed
 * by SQL on the project file, so tests can recompute them independently.
 *
 * Read-only on the project. Use from one thread at a time (one SqliteDatabase).
 */
#pragma once

#include "statdesk_core_export.h"

#include <QDate>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

#include <array>

namespace statdesk
{

class SqliteDatabase;

/**
 * The reporting period and the period it is compared with (inclusive local dates): the
 * equal-length period right before it, or, when the period is made of whole calendar months,
 * the same number of whole months before it (November against October, a year against the
 * year before).
 */
struct STATDESK_CORE_EXPORT BriefingPeriod
{
    QDate from;
    QDate to;
    QDate previousFrom;
    QDate previousTo;
    //! How a default period was chosen, for the page ("the 12 full months to December 2025 ..."); empty for dates a user gave.
    QString note;

    int days() const { return static_cast<int>( from.daysTo( to ) ) + 1; }
    //! "2025-12-04 – 2025-12-31"
    QString text() const;
    QString previousText() const;
    //! True when the period is one or more whole calendar months.
    bool isWholeMonths() const;

    /**
     * The period [\a from, \a to]; null dates are filled in as defaultPeriod() would:
     * a null \a to is the date of the latest incident (public mode: the end of the last full
     * month of data), a null \a from is 28 days (public: 12 months) ending at \a to.
     */
    static BriefingPeriod resolve( SqliteDatabase &db, const QDate &from, const QDate &to, bool publicMode = false );

    /**
     * The default period, the one the CLI and the app's briefing dialog use when no dates are
     * given. Restricted briefings: the 28 days ending with the latest incident (the usual
     * CompStat window). Public briefings: the 12 full calendar months ending with the last
     * full month of data — over 28 days or a quarter most public hexagons of a city stay below
     * the suppression threshold (the city demo: 1 of 437 cells shown for 28 days, 30% of the
     * offenses drawn for a quarter, 94% for 12 months), and a whole year compares without a
     * seasonal swing.
     */
    static BriefingPeriod defaultPeriod( SqliteDatabase &db, bool publicMode );

    //! Fills previousFrom/previousTo for from/to (see the class comment).
    void setComparison();
};

//! Citywide key figures and series. Counts of violent offenses use incidents.violent = 1.
struct STATDESK_CORE_EXPORT BriefingFigures
{
    qint64 violent = 0;          //!< violent offenses in the period
    qint64 violentPrevious = 0;  //!< in the previous period
    qint64 shootings = 0;
    qint64 shootingsPrevious = 0;
    qint64 openBlight = 0;       //!< 311 requests with a blight class and status 'open' (now)
    qint64 newBlight = 0;        //!< blight requests created in the period
    qint64 vacantParcels = 0;
    qint64 dangerousBuildings = 0;
    //! Latest record date per source ("incidents" -> "2025-12-31"), empty sources left out.
    QMap<QString, QString> currency;
    //! Violent offenses in the period by [day of week: 0 = Monday][hour].
    std::array<std::array<int, 24>, 7> hourByDay {};
    //! Violent offenses per calendar month, the 24 months ending with the period's last month.
    QVector<QPair<QString, int>> monthly;

    //! Percent change from previous to current, NaN when the previous count is 0.
    static double percentChange( qint64 current, qint64 previous );
    //! "+11.8%", "-3.0%", "n/a (none before)"
    static QString percentText( qint64 current, qint64 previous );

    //! Computes every figure for \a period. False with \a error when a query fails.
    bool compute( SqliteDatabase &db, const BriefingPeriod &period, QString *error );

    QJsonObject toJson() const;
};

//! Before (previous period) / after (period) figures inside one neighborhood polygon.
struct STATDESK_CORE_EXPORT NeighborhoodFigures
{
    QString nbhId;
    QString name;
    double areaSqKm = 0;
    qint64 violent = 0;
    qint64 violentPrevious = 0;
    qint64 blight = 0;           //!< blight 311 requests created in the period
    qint64 blightPrevious = 0;
    qint64 openBlight = 0;       //!< open now
    qint64 vacantParcels = 0;
    qint64 dangerousBuildings = 0;

    QJsonObject toJson() const;
};

/**
 * Figures for every neighborhood with is_grant = 1, sorted by name. Points are counted inside
 * the polygon (R*Tree bounding-box candidates, then an exact GEOS test).
 */
STATDESK_CORE_EXPORT bool computeGrantNeighborhoodFigures( SqliteDatabase &db, const BriefingPeriod &period,
                                                           QVector<NeighborhoodFigures> *figures, QString *error );

} // namespace statdesk
