#include "clustering/HourDayGrid.h"

#include "clustering/ClusterCard.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace statdesk
{

namespace
{
constexpr int kLabelWidth = 34;
constexpr int kLabelHeight = 14;
} // namespace

HourDayGrid::HourDayGrid( QWidget *parent )
    : QWidget( parent )
{
  setMouseTracking( true );
  setSizePolicy( QSizePolicy::Expanding, QSizePolicy::Fixed );
}

void HourDayGrid::setCounts( const Counts &counts )
{
  mCounts = counts;
  update();
}

QSize HourDayGrid::sizeHint() const
{
  return QSize( kLabelWidth + 24 * 14, kLabelHeight + 7 * 14 + 2 );
}

QSize HourDayGrid::minimumSizeHint() const
{
  return QSize( kLabelWidth + 24 * 7, kLabelHeight + 7 * 10 + 2 );
}

QRectF HourDayGrid::gridRect() const
{
  return QRectF( kLabelWidth, kLabelHeight, width() - kLabelWidth - 1, height() - kLabelHeight - 2 );
}

void HourDayGrid::paintEvent( QPaintEvent * )
{
  QPainter painter( this );
  painter.fillRect( rect(), palette().base() );
  const QRectF grid = gridRect();
  const double cw = grid.width() / 24.0, ch = grid.height() / 7.0;
  int maximum = 0;
  for ( const auto &day : mCounts )
    maximum = std::max( maximum, *std::max_element( day.begin(), day.end() ) );
  QFont font = painter.font();
  font.setPointSizeF( std::max( 6.0, font.pointSizeF() * 0.8 ) );
  painter.setFont( font );
  painter.setPen( palette().color( QPalette::Text ) );
  for ( int h = 0; h < 24; h += 3 )
    painter.drawText( QRectF( grid.left() + h * cw, 0, 3 * cw, kLabelHeight ), Qt::AlignLeft | Qt::AlignVCenter, QString::number( h ) );
  for ( int d = 0; d < 7; ++d )
  {
    painter.setPen( palette().color( QPalette::Text ) );
    painter.drawText( QRectF( 0, grid.top() + d * ch, kLabelWidth - 3, ch ), Qt::AlignRight | Qt::AlignVCenter, QLocale().dayName( d + 1, QLocale::ShortFormat ) );
    for ( int h = 0; h < 24; ++h )
    {
      const int v = mCounts[d][h];
      // White to dark red by the share of the busiest cell.
      const double t = maximum > 0 ? static_cast<double>( v ) / maximum : 0.0;
      const QColor colour = v == 0 ? QColor( 245, 245, 245 ) : QColor::fromRgbF( 1.0 - 0.3 * t, 0.85 * ( 1.0 - t ), 0.8 * ( 1.0 - t ) );
      const QRectF cell( grid.left() + h * cw, grid.top() + d * ch, cw, ch );
      painter.fillRect( cell.adjusted( 0.5, 0.5, -0.5, -0.5 ), colour );
    }
  }
}

bool HourDayGrid::event( QEvent *event )
{
  if ( event->type() == QEvent::ToolTip )
  {
    auto *help = static_cast<QHelpEvent *>( event );
    const QRectF grid = gridRect();
    const int h = static_cast<int>( ( help->pos().x() - grid.left() ) / ( grid.width() / 24.0 ) );
    const int d = static_cast<int>( ( help->pos().y() - grid.top() ) / ( grid.height() / 7.0 ) );
    if ( grid.contains( help->pos() ) && h >= 0 && h < 24 && d >= 0 && d < 7 )
      QToolTip::showText( help->globalPos(), tr( "%1 %2:00–%3:00: %4" )
                                                 .arg( QLocale().dayName( d + 1, QLocale::LongFormat ) )
                                                 .arg( h, 2, 10, QLatin1Char( '0' ) )
                                                 .arg( ( h + 1 ) % 24, 2, 10, QLatin1Char( '0' ) )
                                                 .arg( clustering::countPhrase( mCounts[d][h], tr( "1 incident" ), tr( "%1 incidents" ) ) ) );
    else
      QToolTip::hideText();
    return true;
  }
  return QWidget::event( event );
}

} // namespace statdesk
