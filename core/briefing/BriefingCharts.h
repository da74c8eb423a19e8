/**
 * \file BriefingCharts.h
 * The two charts of the citywide briefing, drawn with QPainter into images that the layout
 * shows in picture items: violent offenses by hour of day x day of week (a heat grid) and by
 * month (bars, the months of the reporting period highlighted).
 *
 * Pure functions of their inputs; safe from any thread (QImage, not QPixmap).
 */
#pragma once

#include "statdesk_core_export.h"

#include <QImage>
#include <QSizeF>
#include <QString>
#include <QVector>

#include <array>

namespace statdesk
{

//! Heat grid of \a counts [day 0 = Monday][hour], \a sizeMm at \a dpi, with \a title.
STATDESK_CORE_EXPORT QImage drawHourByDayChart( const std::array<std::array<int, 24>, 7> &counts, const QString &title, const QSizeF &sizeMm, double dpi );

//! Bars of \a monthly ("yyyy-MM", count); months from \a highlightFrom to \a highlightTo ("yyyy-MM") are drawn darker.
STATDESK_CORE_EXPORT QImage drawMonthlyChart( const QVector<QPair<QString, int>> &monthly, const QString &highlightFrom, const QString &highlightTo,
                                              const QString &title, const QSizeF &sizeMm, double dpi );

} // namespace statdesk
