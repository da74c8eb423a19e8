/**
 * \file Compat.h
 * Every Qt 5 / Qt 6 and QGIS 3 / QGIS 4 difference StatDesk meets, in one place.
 * Code elsewhere uses these names and never tests versions itself.
 */
#pragma once

#include <QtGlobal>
#include <QString>
#include <QVariant>
#include <qgsconfig.h>
#include <qgis.h>
#include <qgswkbtypes.h>

namespace statdesk::compat
{
#if QT_VERSION >= QT_VERSION_CHECK( 6, 0, 0 )
//! Qt 6 renamed QVariant::Type to QMetaType::Type; fields are declared with the latter.
using VariantType = QMetaType::Type;
inline constexpr VariantType kString = QMetaType::QString;
inline constexpr VariantType kInt = QMetaType::Int;
inline constexpr VariantType kLongLong = QMetaType::LongLong;
inline constexpr VariantType kDouble = QMetaType::Double;
inline bool isNull( const QVariant &v ) { return v.isNull(); }
#else
using VariantType = QVariant::Type;
inline constexpr VariantType kString = QVariant::String;
inline constexpr VariantType kInt = QVariant::Int;
inline constexpr VariantType kLongLong = QVariant::LongLong;
inline constexpr VariantType kDouble = QVariant::Double;
inline bool isNull( const QVariant &v ) { return v.isNull(); }
#endif

//! QString::SkipEmptyParts moved to Qt::SkipEmptyParts in 5.14; both Qt versions we support have Qt::.
inline constexpr auto kSkipEmptyParts = Qt::SkipEmptyParts;

//! QGIS 3.30 moved geometry and WKB enums into Qgis::; 3.22 still has QgsWkbTypes.
#if _QGIS_VERSION_INT >= 33000
using WkbType = Qgis::WkbType;
#else
using WkbType = QgsWkbTypes::Type;
#endif
} // namespace statdesk::compat

#include <qgsmarkersymbollayer.h>

namespace statdesk::compat
{
//! QGIS 3.24 moved marker shapes from QgsSimpleMarkerSymbolLayerBase::Shape to Qgis::MarkerShape.
#if _QGIS_VERSION_INT >= 32400
using MarkerShape = Qgis::MarkerShape;
namespace markerShape
{
inline constexpr MarkerShape Circle = Qgis::MarkerShape::Circle;
inline constexpr MarkerShape Square = Qgis::MarkerShape::Square;
inline constexpr MarkerShape Diamond = Qgis::MarkerShape::Diamond;
inline constexpr MarkerShape Triangle = Qgis::MarkerShape::Triangle;
inline constexpr MarkerShape Star = Qgis::MarkerShape::Star;
} // namespace markerShape
#else
using MarkerShape = QgsSimpleMarkerSymbolLayerBase::Shape;
namespace markerShape
{
inline constexpr MarkerShape Circle = QgsSimpleMarkerSymbolLayerBase::Circle;
inline constexpr MarkerShape Square = QgsSimpleMarkerSymbolLayerBase::Square;
inline constexpr MarkerShape Diamond = QgsSimpleMarkerSymbolLayerBase::Diamond;
inline constexpr MarkerShape Triangle = QgsSimpleMarkerSymbolLayerBase::Triangle;
inline constexpr MarkerShape Star = QgsSimpleMarkerSymbolLayerBase::Star;
} // namespace markerShape
#endif
} // namespace statdesk::compat
