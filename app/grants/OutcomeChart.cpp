#include "grants/OutcomeChart.h"

#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace statdesk
{

namespace
{
constexpr int kRowHeight = 22;
constexpr int kTop = 26;
constexpr int kBottom = 30;
} // namespace

OutcomeChart::OutcomeChart( QWidget *parent )
  : QWidget( parent )
{
  setSizePolicy( QSizePolicy::Expanding, QSizePolicy::Preferred );
}

void OutcomeChart::setLines( const QVector<Line> &lines, const QString &measure )
{
  mLines = lines;
  mMeasure = measure;
  updateGeometry();
  update();
}

QPair<double, double> OutcomeChart::axisRange() const
{
  // Symmetric on the log scale around 1, wide enough for every interval, at least 0.5 – 2.
  double extent = std::log( 2.0 );
  for ( const Line &l : mLines )
  {
    for ( double v : { l.estimate.ciLow, l.estimate.ciHigh, l.estimate.rateRatio } )
      if ( v > 0 && std::isfinite( v ) )
        extent = std::max( extent, std::abs( std::log( v ) ) );
  }
  extent = std::min( extent * 1.1, std::log( 20.0 ) );
  return { std::exp( -extent ), std::exp( extent ) };
}

QSize OutcomeChart::sizeHint() const
{
  return QSize( 420, kTop + kBottom + kRowHeight * std::max<int>( 2, mLines.size() ) );
}

QSize OutcomeChart::minimumSizeHint() const
{
  return QSize( 260, kTop + kBottom + kRowHeight * 2 );
}

void OutcomeChart::paintEvent( QPaintEvent *event )
{
  Q_UNUSED( event )
  QPainter p( this );
  p.setRenderHint( QPainter::Antialiasing );
  p.fillRect( rect(), palette().base() );
  const QFontMetrics fm( font() );
  if ( mLines.isEmpty() )
  {
    p.setPen( palette().color( QPalette::Disabled, QPalette::Text ) );
    p.drawText( rect(), Qt::AlignCenter | Qt::TextWordWrap, tr( "Press Estimate to compare each grant neighborhood with its comparison neighborhoods." ) );
    return;
  }
  int labelWidth = 0;
  QFont boldFont = font();
  boldFont.setBold( true );
  const QFontMetrics boldMetrics( boldFont );
  for ( const Line &l : mLines )
    labelWidth = std::max( labelWidth, ( l.pooled ? boldMetrics : fm ).horizontalAdvance( l.label ) );
  labelWidth = std::min( labelWidth + 12, width() * 2 / 5 );
  const QRect plot( labelWidth, kTop, width() - labelWidth - 16, kRowHeight * mLines.size() );
  const auto [lo, hi] = axisRange();
  auto xOf = [&]( double ratio ) {
    const double t = ( std::log( std::clamp( ratio, lo, hi ) ) - std::log( lo ) ) / ( std::log( hi ) - std::log( lo ) );
    return plot.left() + t * plot.width();
  };

  p.setPen( palette().color( QPalette::Text ) );
  p.drawText( QRect( 0, 2, width(), kTop - 4 ), Qt::AlignHCenter | Qt::AlignVCenter,
              tr( "%1: rate ratio after / before, relative to comparison neighborhoods (95% interval)" ).arg( mMeasure ) );

  // Axis: ticks at round ratios inside the range, the reference line at 1.
  const QColor grid = palette().color( QPalette::Mid );
  for ( double tick : { 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0, 5.0, 10.0, 20.0 } )
  {
    if ( tick < lo * 0.999 || tick > hi * 1.001 )
      continue;
    const double x = xOf( tick );
    p.setPen( QPen( grid, tick == 1.0 ? 1.5 : 0.5, tick == 1.0 ? Qt::SolidLine : Qt::DotLine ) );
    p.drawLine( QPointF( x, plot.top() ), QPointF( x, plot.bottom() ) );
    p.setPen( palette().color( QPalette::Text ) );
    const QString text = QString::number( tick );
    p.drawText( QRectF( x - 20, plot.bottom() + 2, 40, fm.height() ), Qt::AlignHCenter, text );
  }
  p.drawText( QRect( plot.left(), plot.bottom() + fm.height() + 2, plot.width(), fm.height() ), Qt::AlignLeft, tr( "← fell" ) );
  p.drawText( QRect( plot.left(), plot.bottom() + fm.height() + 2, plot.width(), fm.height() ), Qt::AlignRight, tr( "rose →" ) );

  for ( int i = 0; i < mLines.size(); ++i )
  {
    const Line &l = mLines.at( i );
    const double y = plot.top() + ( i + 0.5 ) * kRowHeight;
    QFont f = font();
    f.setBold( l.pooled );
    p.setFont( f );
    p.setPen( palette().color( QPalette::Text ) );
    p.drawText( QRectF( 0, y - kRowHeight / 2.0, labelWidth - 6, kRowHeight ), Qt::AlignRight | Qt::AlignVCenter,
                ( l.pooled ? boldMetrics : fm ).elidedText( l.label, Qt::ElideRight, labelWidth - 6 ) );
    if ( l.estimate.rateRatio <= 0 )
      continue;
    const bool clear = l.estimate.enough && ( l.estimate.ciHigh < 1.0 || l.estimate.ciLow > 1.0 );
    const QColor colour = !l.estimate.enough ? QColor( 150, 150, 150 ) : ( clear ? ( l.estimate.rateRatio < 1 ? QColor( 0, 120, 60 ) : QColor( 190, 40, 40 ) ) : QColor( 60, 60, 60 ) );
    p.setPen( QPen( colour, 2 ) );
    p.drawLine( QPointF( xOf( l.estimate.ciLow ), y ), QPointF( xOf( l.estimate.ciHigh ), y ) );
    const double size = l.pooled ? 6 : 4.5;
    if ( l.pooled )
    {
      QPainterPath diamond;
      const double x = xOf( l.estimate.rateRatio );
      diamond.moveTo( x, y - size );
      diamond.lineTo( x + size, y );
      diamond.lineTo( x, y + size );
      diamond.lineTo( x - size, y );
      diamond.closeSubpath();
      p.fillPath( diamond, l.estimate.enough ? colour : palette().base().color() );
      p.drawPath( diamond );
    }
    else
    {
      p.setBrush( l.estimate.enough ? QBrush( colour ) : palette().base() );
      p.drawEllipse( QPointF( xOf( l.estimate.rateRatio ), y ), size, size );
      p.setBrush( Qt::NoBrush );
    }
  }
}

} // namespace statdesk
