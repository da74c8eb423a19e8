/**
 * \file HourDayGrid.h
 * A heat grid of counts by hour of day (columns, 0-23) and day of week (rows, Monday first):
 * the cluster card's picture of when incidents happen. Darker cells have more incidents; the
 * tooltip tells the count. Owns no data beyond the 168 counts it shows. GUI thread only.
 */
#pragma once

#include <QWidget>

#include <array>

namespace statdesk
{

class HourDayGrid : public QWidget
{
  Q_OBJECT
public:
  using Counts = std::array<std::array<int, 24>, 7>;

  explicit HourDayGrid( QWidget *parent = nullptr );

  void setCounts( const Counts &counts );
  const Counts &counts() const { return mCounts; }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

protected:
  void paintEvent( QPaintEvent *event ) override;
  bool event( QEvent *event ) override;

private:
  //! The grid cells' area inside the widget (labels take the rest).
  QRectF gridRect() const;

  Counts mCounts{};
};

} // namespace statdesk
