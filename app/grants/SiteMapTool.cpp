#include "grants/SiteMapTool.h"

#include <QKeyEvent>

#include <qgsmapcanvas.h>
#include <qgsmapmouseevent.h>
#include <qgsrubberband.h>

namespace statdesk
{

SiteMapTool::SiteMapTool( QgsMapCanvas *canvas, Shape shape )
  : QgsMapTool( canvas ), mShape( shape )
{
  setCursor( Qt::CrossCursor );
}

SiteMapTool::~SiteMapTool()
{
  delete mBand;
}

void SiteMapTool::updateBand( const QgsPointXY *hover )
{
  if ( !mBand )
  {
    mBand = new QgsRubberBand( mCanvas, QgsWkbTypes::PolygonGeometry );
    mBand->setColor( QColor( 0, 140, 60, 200 ) );
    mBand->setFillColor( QColor( 0, 140, 60, 60 ) );
    mBand->setWidth( 2 );
  }
  mBand->reset( QgsWkbTypes::PolygonGeometry );
  for ( const QgsPointXY &p : std::as_const( mVertices ) )
    mBand->addPoint( p, false );
  if ( hover )
    mBand->addPoint( *hover, false );
  mBand->updatePosition();
  mBand->update();
}

void SiteMapTool::reset()
{
  mVertices.clear();
  if ( mBand )
    mBand->reset( QgsWkbTypes::PolygonGeometry );
}

void SiteMapTool::addVertex( const QgsPointXY &mapPoint )
{
  if ( mShape == Shape::Point )
  {
    emit siteDrawn( QgsGeometry::fromPointXY( mapPoint ) );
    return;
  }
  mVertices << mapPoint;
  updateBand();
}

bool SiteMapTool::finish()
{
  if ( mShape != Shape::Area || mVertices.size() < 3 )
    return false;
  QgsPolylineXY ring( mVertices.cbegin(), mVertices.cend() );
  ring << mVertices.first();
  const QgsGeometry polygon = QgsGeometry::fromPolygonXY( { ring } ).makeValid();
  reset();
  emit siteDrawn( polygon );
  return true;
}

void SiteMapTool::canvasMoveEvent( QgsMapMouseEvent *e )
{
  if ( mShape == Shape::Area && !mVertices.isEmpty() )
  {
    const QgsPointXY p = e->mapPoint();
    updateBand( &p );
  }
}

void SiteMapTool::canvasReleaseEvent( QgsMapMouseEvent *e )
{
  if ( e->button() == Qt::LeftButton )
    addVertex( e->mapPoint() );
  else if ( e->button() == Qt::RightButton )
    finish();
}

void SiteMapTool::canvasDoubleClickEvent( QgsMapMouseEvent *e )
{
  Q_UNUSED( e )
  // The double click's second release has added a corner already.
  finish();
}

void SiteMapTool::keyPressEvent( QKeyEvent *e )
{
  if ( e->key() == Qt::Key_Escape )
  {
    reset();
    emit canceled();
    e->accept();
  }
  else if ( e->key() == Qt::Key_Backspace && !mVertices.isEmpty() )
  {
    mVertices.removeLast();
    updateBand();
    e->accept();
  }
  else
    e->ignore();
}

void SiteMapTool::deactivate()
{
  reset();
  // The band belongs to the canvas scene: gone before the canvas goes (the tool may outlive it
  // as the canvas's child).
  delete mBand;
  mBand = nullptr;
  QgsMapTool::deactivate();
}

} // namespace statdesk
