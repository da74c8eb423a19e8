#include "StatusBarWidgets.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>

#include <qgsexception.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>
#include <qgsscalecombobox.h>

namespace statdesk
{

CoordinateWidget::CoordinateWidget( QgsMapCanvas *canvas, QWidget *parent )
  : QWidget( parent )
  , mCanvas( canvas )
{
  auto *layout = new QHBoxLayout( this );
  layout->setContentsMargins( 0, 0, 0, 0 );
  mLabel = new QLabel( this );
  mLabel->setMinimumWidth( mLabel->fontMetrics().horizontalAdvance( QStringLiteral( "0000000.0, 0000000.0 EPSG:00000 │ -000.000000°, -00.000000°" ) ) );
  mLabel->setToolTip( tr( "Cursor position in the map CRS, and longitude/latitude (WGS 84)" ) );
  layout->addWidget( mLabel );
  connect( mCanvas, &QgsMapCanvas::xyCoordinates, this, &CoordinateWidget::showPoint );
  connect( mCanvas, &QgsMapCanvas::destinationCrsChanged, this, &CoordinateWidget::updateTransform );
  updateTransform();
}

void CoordinateWidget::updateTransform()
{
  mToWgs84 = QgsCoordinateTransform( mCanvas->mapSettings().destinationCrs(), QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:4326" ) ),
                                     QgsProject::instance()->transformContext() );
  mLabel->clear();
}

void CoordinateWidget::showPoint( const QgsPointXY &mapPoint )
{
  const QgsCoordinateReferenceSystem crs = mCanvas->mapSettings().destinationCrs();
  const QLocale c = QLocale::c();
  const int decimals = crs.isGeographic() ? 6 : 1;
  QString text = QStringLiteral( "%1, %2 %3" ).arg( c.toString( mapPoint.x(), 'f', decimals ), c.toString( mapPoint.y(), 'f', decimals ), crs.authid() );
  if ( crs.isValid() && !crs.isGeographic() )
  {
    try
    {
      const QgsPointXY lonLat = mToWgs84.transform( mapPoint );
      text += QStringLiteral( "  │  %1°, %2°" ).arg( c.toString( lonLat.x(), 'f', 6 ), c.toString( lonLat.y(), 'f', 6 ) );
    }
    catch ( const QgsCsException & )
    {
      text += tr( "  │  lon/lat: outside the CRS's area" );
    }
  }
  mLabel->setText( text );
}

QString CoordinateWidget::text() const
{
  return mLabel->text();
}

ScaleWidget::ScaleWidget( QgsMapCanvas *canvas, QWidget *parent )
  : QWidget( parent )
  , mCanvas( canvas )
{
  auto *layout = new QHBoxLayout( this );
  layout->setContentsMargins( 0, 0, 0, 0 );
  layout->addWidget( new QLabel( tr( "Scale" ), this ) );
  mScale = new QgsScaleComboBox( this );
  mScale->setMinimumWidth( 130 );
  mScale->setToolTip( tr( "Current map scale; type or choose one to zoom" ) );
  layout->addWidget( mScale );
  connect( mCanvas, &QgsMapCanvas::scaleChanged, this, [this]( double scale ) {
    const QSignalBlocker blocker( mScale );
    mScale->setScale( scale );
  } );
  connect( mScale, &QgsScaleComboBox::scaleChanged, this, [this]( double scale ) { mCanvas->zoomScale( scale ); } );
}

} // namespace statdesk
