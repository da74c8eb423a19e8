#include "MeasureTool.h"

#include <QKeyEvent>
#include <QLocale>

#include <qgsapplication.h>
#include <qgsmapcanvas.h>
#include <qgsmapmouseevent.h>
#include <qgsproject.h>
#include <qgsrubberband.h>
#include <qgsunittypes.h>

namespace statdesk
{

MeasureTool::MeasureTool( QgsMapCanvas *canvas )
  : QgsMapTool( canvas )
{
  setCursor( QgsApplication::getThemeCursor( QgsApplication::Cursor::CrossHair ) );
  mRubberBand = new QgsRubberBand( canvas, QgsWkbTypes::LineGeometry );
  mRubberBand->setStrokeColor( QColor( 220, 40, 40, 200 ) );
  mRubberBand->setWidth( 2 );
}

MeasureTool::~MeasureTool()
{
  delete mRubberBand;
}

void MeasureTool::updateDistanceArea()
{
  mDa.setSourceCrs( canvas()->mapSettings().destinationCrs(), QgsProject::instance()->transformContext() );
  const QString ellipsoid = QgsProject::instance()->ellipsoid();
  if ( ellipsoid.isEmpty() || ellipsoid == QLatin1String( "NONE" ) || !mDa.setEllipsoid( ellipsoid ) )
    mDa.setEllipsoid( QStringLiteral( "EPSG:7030" ) ); // WGS 84
}

void MeasureTool::canvasPressEvent( QgsMapMouseEvent *e )
{
  if ( e->button() == Qt::RightButton )
  {
    finish();
    return;
  }
  if ( e->button() == Qt::LeftButton )
    addVertex( e->mapPoint() );
}

void MeasureTool::canvasMoveEvent( QgsMapMouseEvent *e )
{
  if ( mPoints.isEmpty() || mFinished )
    return;
  const QgsPointXY p = e->mapPoint();
  mRubberBand->movePoint( p );
  report( &p );
}

void MeasureTool::canvasDoubleClickEvent( QgsMapMouseEvent *e )
{
  Q_UNUSED( e )
  finish();
}

void MeasureTool::keyPressEvent( QKeyEvent *e )
{
  if ( e->key() == Qt::Key_Escape )
  {
    clear();
    e->accept();
    return;
  }
  e->ignore();
}

void MeasureTool::deactivate()
{
  clear();
  QgsMapTool::deactivate();
}

void MeasureTool::addVertex( const QgsPointXY &point )
{
  if ( mFinished )
    clear();
  if ( mPoints.isEmpty() )
  {
    updateDistanceArea();
    mRubberBand->reset( QgsWkbTypes::LineGeometry );
    mRubberBand->addPoint( point );
  }
  else
  {
    // The last rubber-band vertex follows the mouse: fix it here.
    mRubberBand->movePoint( point );
  }
  mPoints << point;
  mRubberBand->addPoint( point ); // the floating vertex
  report( nullptr );
}

void MeasureTool::finish()
{
  if ( mPoints.isEmpty() )
    return;
  mFinished = true;
  // Drop the floating vertex so the line ends at the last click.
  mRubberBand->reset( QgsWkbTypes::LineGeometry );
  for ( int i = 0; i < mPoints.size(); ++i )
    mRubberBand->addPoint( mPoints.at( i ), i == mPoints.size() - 1 );
  report( nullptr );
}

void MeasureTool::clear()
{
  mPoints.clear();
  mFinished = false;
  mRubberBand->reset( QgsWkbTypes::LineGeometry );
  emit measurementChanged( QString() );
}

double MeasureTool::totalMetres() const
{
  if ( mPoints.size() < 2 )
    return 0;
  return mDa.measureLine( mPoints );
}

QString MeasureTool::formatLength( double metres ) const
{
  const QgsUnitTypes::DistanceUnit mapUnits = canvas()->mapSettings().destinationCrs().mapUnits();
  const bool feet = mapUnits == QgsUnitTypes::DistanceFeet || mapUnits == QgsUnitTypes::DistanceYards || mapUnits == QgsUnitTypes::DistanceMiles;
  const QLocale locale;
  if ( feet )
  {
    const double ft = metres / 0.3048;
    if ( ft < 5280 )
      return tr( "%1 ft" ).arg( locale.toString( ft, 'f', 0 ) );
    return tr( "%1 mi" ).arg( locale.toString( ft / 5280.0, 'f', 2 ) );
  }
  if ( metres < 1000 )
    return tr( "%1 m" ).arg( locale.toString( metres, 'f', metres < 10 ? 1 : 0 ) );
  return tr( "%1 km" ).arg( locale.toString( metres / 1000.0, 'f', 2 ) );
}

void MeasureTool::report( const QgsPointXY *hover )
{
  QVector<QgsPointXY> points = mPoints;
  if ( hover )
    points << *hover;
  if ( points.size() < 2 )
  {
    emit measurementChanged( tr( "Measure: click the next point (right-click or double-click to finish, Esc to clear)." ) );
    return;
  }
  const double total = mDa.measureLine( points );
  const double segment = mDa.measureLine( points.at( points.size() - 2 ), points.constLast() );
  QString text = tr( "Distance: %1 (segment %2)" ).arg( formatLength( total ), formatLength( segment ) );
  if ( mFinished )
    text += tr( " — click to start a new line" );
  emit measurementChanged( text );
}

} // namespace statdesk
