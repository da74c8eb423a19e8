/**
 * \file DefaultStyles.h
 * The default look of every StatDesk layer: violent vs other offenses, 311 requests by blight
 * class, vacant and dangerous property, neighborhoods with the grant neighborhoods highlighted.
 * Dense point layers come in two roles: "features" (individual symbols, shown zoomed in) and
 * "density" (a heatmap, shown at city scale), switched by scale so the map stays readable.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

class QgsVectorLayer;

namespace statdesk
{

//! Scale denominator at which dense layers switch from heatmap to individual symbols.
inline constexpr double kDenseLayerSwitchScale = 25000;

/**
 * Applies the default renderer, labels and scale visibility for \a table in \a role
 * ("features" or "density") to \a layer. Returns false when the table has no default style.
 */
STATDESK_CORE_EXPORT bool applyDefaultStyle( QgsVectorLayer *layer, const QString &table, const QString &role );

//! The blight classes and their display names and colours, in legend order.
struct BlightClassStyle
{
    const char *id;
    const char *label;
    const char *color;
};
STATDESK_CORE_EXPORT const BlightClassStyle *blightClassStyles( int *count );

} // namespace statdesk
