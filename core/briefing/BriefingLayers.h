/**
 * \file BriefingLayers.h
 * Map layers made for a briefing rather than read from the project: the public-mode
 * aggregation of violent offenses into hexagons, with small counts suppressed so that no
 * cell can point at a victim's address.
 *
 * The layers are memory layers returned to the caller, who owns them (normally handed to the
 * briefing's private QgsProject with an explicit release()).
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

#include <memory>

#include <qgsvectorlayer.h>

namespace statdesk
{

class SqliteDatabase;
struct BriefingPeriod;

//! What the hexagon aggregation did, for the page statement, the JSON summary and tests.
struct STATDESK_CORE_EXPORT HexAggregation
{
    double cellSizeMetres = 0;  //!< across flats
    int threshold = 5;          //!< cells with fewer offenses than this are not shown
    qint64 offenses = 0;        //!< offenses with a location in the period
    int cellsShown = 0;
    int cellsSuppressed = 0;
    qint64 offensesShown = 0;   //!< offenses in shown cells
    qint64 offensesSuppressed = 0;
};

//! Custom property value ("statdesk/table") of the hexagon layer, so maps and tests can recognise it.
inline const QString kHexagonLayerTable = QStringLiteral( "aggregate:incidents_hexagons" );

/**
 * Violent offenses of \a period counted in pointy-top hexagons \a cellSizeMetres across
 * (converted to the project CRS units), keeping only cells with at least \a threshold offenses.
 * The layer has fields cell_id and offenses and a graduated style. Only the cells survive: no
 * point coordinate, address or person-level field enters the layer.
 */
STATDESK_CORE_EXPORT std::unique_ptr<QgsVectorLayer> makeHexagonLayer( SqliteDatabase &db, const QString &crsAuthId, const BriefingPeriod &period,
                                                                        double cellSizeMetres, int threshold, HexAggregation *summary, QString *error );

} // namespace statdesk
