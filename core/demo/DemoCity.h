/**
 * \file DemoCity.h
 * The generated demo city: a synthetic (not real) city in UTM 15N with neighborhoods, council
 * districts, patrol divisions, a street grid, vacant parcels, dangerous buildings, three years
 * of 311 requests and three years of crime, written as a complete StatDesk project.
 *
 * The city is a test bed with a known answer. Violent offenses follow an exactly log-linear
 * intensity on the RTM grid (constant base times a relative risk per planted factor, see
 * ../shared/specs/rtm.md), so a Risk Terrain Modeling run must recover the planted relative
 * risks and must not select the null factor; shootings carry near-repeat contagion. Everything
 * planted is recorded in the project's metadata (key demo_truth, JSON).
 *
 * Same seed and size give the same content (ProjectFile::contentHash): the generator uses its
 * own random numbers (DemoRandom.h), sorts before numbering and never reads the clock into
 * the data.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QJsonObject>
#include <QString>

class QgsFeedback;

namespace statdesk
{

//! What demo city to build.
struct DemoOptions
{
    quint64 seed = 1;
    enum class Size
    {
      Small, //!< ~8 x 6 km, ~30 neighborhoods, tens of thousands of rows: seconds, for tests
      City,  //!< Kansas City's volumes: ~150 neighborhoods, ~115,000 offenses and ~250,000 311 requests a year
    } size = Size::Small;
};

//! What a demo build produced (row counts per table and the recorded truth).
struct STATDESK_CORE_EXPORT DemoSummary
{
    qint64 incidents = 0;               //!< offense rows
    qint64 incidentsWithoutLocation = 0;
    qint64 violent = 0;
    qint64 shootings = 0;
    qint64 nearRepeatShootings = 0;     //!< follow-up shootings spawned by contagion
    qint64 serviceRequests = 0;
    qint64 vacantParcels = 0;
    qint64 dangerousBuildings = 0;
    qint64 neighborhoods = 0;
    qint64 boundaries = 0;
    qint64 persons = 0;                 //!< rows of restricted_person_involvements
    QJsonObject truth;                  //!< the JSON stored as metadata demo_truth

    QJsonObject countsJson() const;
};

//! "small" / "city".
STATDESK_CORE_EXPORT QString demoSizeName( DemoOptions::Size size );
//! Parses "small" / "city" (case-insensitive); false for anything else.
STATDESK_CORE_EXPORT bool parseDemoSize( const QString &text, DemoOptions::Size *size );

/**
 * Generates the demo city into the project file \a path (replacing an existing file).
 *
 * The project is built as "<path>.part.gpkg" and renamed over \a path only when complete, so a
 * failed or cancelled run never clobbers an existing file and leaves nothing behind. A \a path
 * that another StatDesk has open is refused. Needs an initialised QgsApplication (the QGIS
 * project with default styles is stored in the file).
 *
 * \a feedback (may be null) receives progress 0-100 and is polled for cancellation.
 * Returns false with \a error on failure or cancel; \a summary receives the counts and truth.
 * Synchronous: run it in a QgsTask from the GUI.
 */
STATDESK_CORE_EXPORT bool generateDemoCity( const QString &path, const DemoOptions &options, QgsFeedback *feedback, QString *error,
                                            DemoSummary *summary = nullptr );

} // namespace statdesk
