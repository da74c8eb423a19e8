#include "BriefingCharts.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace statdesk
{

namespace
{
QImage blankImage( const QSizeF &sizeMm, double dpi )
{
  const double pxPerMm = dpi / 25.4;
  QImage image( std::max( 16, static_cast<int>( std::lround( sizeMm.width() * pxPerMm ) ) ),
                std::max( 16, static_cast<int>( std::lround( sizeMm.height() * pxPerMm ) ) ), QImage::Format_RGB32 );
  image.setDotsPerMeterX( static_cast<int>( std::lround( dpi / 0.0254 ) ) );
  image.setDotsPerMeterY( static_cast<int>( std::lround( dpi / 0.0254 ) ) );
  image.fill( Qt::white );
  return image;
}

//! A font of \a points printed size on an image of \a dpi (QFont point sizes assume the device's dpi).
QFont chartFont( double points, double dpi, bool bold = false )
{
  QFont f( QStringLiteral( "DejaVu Sans" ) );
  f.setPixelSize( std::max( 6, static_cast<int>( std::lround( points * dpi / 72.0 ) ) ) );
  f.setBold( bold );
  return f;
}

//! White (0) to dark red (max) through orange: readable in print and in grey scale.
QColor heatColor( double t )
{
  t = std::clamp( t, 0.0, 1.0 );
  const QColor stops[] = { QColor( 255, 255, 255 ), QColor( 254, 224, 144 ), QColor( 252, 141, 89 ), QColor( 215, 48, 39 ), QColor( 120, 0, 20 ) };
  const double pos = t * 4.0;
  const int i = std::min( 3, static_cast<int>( pos ) );
  const double f = pos - i;
  const QColor &a = stops[i];
  const QColor &b = stops[i + 1];
  return QColor( static_cast<int>( a.red() + ( b.red() - a.red() ) * f ), static_cast<int>( a.green() + ( b.green() - a.green() ) * f ),
                 static_cast<int>( a.blue() + ( b.blue() - a.blue() ) * f ) );
}
} // namespace

QImage drawHourByDayChart( const std::array<std::array<int, 24>, 7> &counts, const QString &title, const QSizeF &sizeMm, double dpi )
{
  QImage image = blankImage( sizeMm, dpi );
  QPainter p( &image );
  p.setRenderHint( QPainter::Antialiasing );
  const double u = dpi / 25.4; // pixels per mm
  const QFont titleFont = chartFont( 7.5, dpi, true );
  const QFont small = chartFont( 6, dpi );
  p.setFont( titleFont );
  p.setPen( QColor( 30, 30, 30 ) );
  const double titleH = QFontMetricsF( titleFont ).height() + 0.8 * u;
  p.drawText( QRectF( 0, 0, image.width(), titleH ), Qt::AlignLeft | Qt::AlignVCenter, title );

  int maxCount = 0;
  for ( const auto &row : counts )
    for ( int c : row )
      maxCount = std::max( maxCount, c );

  p.setFont( small );
  const QFontMetricsF fm( small );
  const double left = fm.horizontalAdvance( QStringLiteral( "Wed" ) ) + 1.5 * u;
  const double legendH = fm.height() + 1.5 * u;
  const double bottom = fm.height() + 1.0 * u + legendH;
  const double gridW = image.width() - left - 1.0 * u;
  const double gridH = image.height() - titleH - bottom;
  const double cw = gridW / 24.0;
  const double ch = gridH / 7.0;
  static const char *kDays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  for ( int d = 0; d < 7; ++d )
  {
    const double y = titleH + d * ch;
    p.setPen( QColor( 60, 60, 60 ) );
    p.drawText( QRectF( 0, y, left - 1.0 * u, ch ), Qt::AlignRight | Qt::AlignVCenter, QString::fromLatin1( kDays[d] ) );
    for ( int h = 0; h < 24; ++h )
    {
      const int c = counts[static_cast<size_t>( d )][static_cast<size_t>( h )];
      const QRectF cell( left + h * cw, y, cw, ch );
      p.fillRect( cell, heatColor( maxCount > 0 ? static_cast<double>( c ) / maxCount : 0.0 ) );
      p.setPen( QPen( QColor( 220, 220, 220 ), std::max( 1.0, 0.1 * u ) ) );
      p.drawRect( cell );
    }
  }
  p.setPen( QColor( 60, 60, 60 ) );
  for ( int h = 0; h < 24; h += 3 )
    p.drawText( QRectF( left + h * cw - cw, titleH + gridH, 3 * cw, fm.height() + 1.0 * u ), Qt::AlignHCenter | Qt::AlignVCenter,
                QStringLiteral( "%1h" ).arg( h ) );
  // Colour key: 0 ... max.
  const double ky = image.height() - legendH + 0.5 * u;
  const double kw = std::min( gridW * 0.5, 40.0 * u );
  for ( int i = 0; i < 50; ++i )
    p.fillRect( QRectF( left + kw * i / 50.0, ky, kw / 50.0 + 1, legendH - 1.5 * u ), heatColor( i / 49.0 ) );
  p.drawText( QRectF( left + kw + 1.0 * u, ky - 0.5 * u, image.width(), legendH ), Qt::AlignLeft | Qt::AlignVCenter,
              QObject::tr( "0 to %1 offenses per hour slot" ).arg( maxCount ) );
  return image;
}

QImage drawMonthlyChart( const QVector<QPair<QString, int>> &monthly, const QString &highlightFrom, const QString &highlightTo, const QString &title,
                         const QSizeF &sizeMm, double dpi )
{
  QImage image = blankImage( sizeMm, dpi );
  QPainter p( &image );
  p.setRenderHint( QPainter::Antialiasing );
  const double u = dpi / 25.4;
  const QFont titleFont = chartFont( 7.5, dpi, true );
  const QFont small = chartFont( 6, dpi );
  p.setFont( titleFont );
  p.setPen( QColor( 30, 30, 30 ) );
  const double titleH = QFontMetricsF( titleFont ).height() + 0.8 * u;
  p.drawText( QRectF( 0, 0, image.width(), titleH ), Qt::AlignLeft | Qt::AlignVCenter, title );
  p.setFont( small );
  const QFontMetricsF fm( small );

  int maxCount = 1;
  for ( const auto &m : monthly )
    maxCount = std::max( maxCount, m.second );
  // A round axis maximum: 1, 2 or 5 times a power of ten.
  const double magnitude = std::pow( 10.0, std::floor( std::log10( static_cast<double>( maxCount ) ) ) );
  double axisMax = magnitude;
  for ( double f : { 1.0, 2.0, 5.0, 10.0 } )
  {
    axisMax = f * magnitude;
    if ( axisMax >= maxCount )
      break;
  }
  const double left = fm.horizontalAdvance( QString::number( static_cast<qint64>( axisMax ) ) ) + 1.5 * u;
  const double bottom = fm.height() * 2 + 1.0 * u;
  const double plotW = image.width() - left - 1.0 * u;
  const double plotH = image.height() - titleH - bottom - 1.0 * u;
  const double top = titleH + 1.0 * u;
  p.setPen( QPen( QColor( 200, 200, 200 ), std::max( 1.0, 0.1 * u ) ) );
  for ( int i = 0; i <= 2; ++i )
  {
    const double y = top + plotH - plotH * i / 2.0;
    p.drawLine( QPointF( left, y ), QPointF( left + plotW, y ) );
    p.setPen( QColor( 60, 60, 60 ) );
    p.drawText( QRectF( 0, y - fm.height() / 2, left - 1.0 * u, fm.height() ), Qt::AlignRight | Qt::AlignVCenter,
                QString::number( static_cast<qint64>( axisMax * i / 2.0 ) ) );
    p.setPen( QPen( QColor( 200, 200, 200 ), std::max( 1.0, 0.1 * u ) ) );
  }
  const int n = monthly.size();
  const double bw = n > 0 ? plotW / n : plotW;
  for ( int i = 0; i < n; ++i )
  {
    const auto &m = monthly.at( i );
    const bool highlighted = m.first >= highlightFrom && m.first <= highlightTo;
    const double h = plotH * m.second / axisMax;
    p.fillRect( QRectF( left + i * bw + bw * 0.12, top + plotH - h, bw * 0.76, h ), highlighted ? QColor( 178, 24, 43 ) : QColor( 150, 160, 175 ) );
    const bool nearJanuary = i == 0 && ( m.first.endsWith( QLatin1String( "-11" ) ) || m.first.endsWith( QLatin1String( "-12" ) ) );
    if ( !nearJanuary && ( m.first.endsWith( QLatin1String( "-01" ) ) || i == 0 || i == n - 1 ) )
    {
      p.setPen( QColor( 60, 60, 60 ) );
      const QString text = m.first.endsWith( QLatin1String( "-01" ) ) || i == 0 ? m.first.left( 4 ) + QLatin1Char( '\n' ) + m.first.mid( 5 ) : m.first.mid( 5 );
      p.drawText( QRectF( left + i * bw - bw, top + plotH + 0.5 * u, 3 * bw, bottom ), Qt::AlignHCenter | Qt::AlignTop, text );
    }
  }
  return image;
}

} // namespace statdesk
