/**
 * \file SiteMapTool.h
 * Draws one grant site on the map: a point (one click) or an area (clicks for the corners,
 * right click or double click to finish, Backspace removes the last corner, Esc cancels).
 */
#pragma once

#include <qgsgeometry.h>
#include <qgsmaptool.h>

#include <QPointer>

class QgsRubberBand;

namespace statdesk
{

class SiteMapTool : public QgsMapTool
{
    Q_OBJECT
  public:
    enum class Shape
    {
      Point,
      Area,
    };

    SiteMapTool( QgsMapCanvas *canvas, Shape shape );
    ~SiteMapTool() override;

    Shape shape() const { return mShape; }
    void canvasMoveEvent( QgsMapMouseEvent *e ) override;
    void canvasReleaseEvent( QgsMapMouseEvent *e ) override;
    void canvasDoubleClickEvent( QgsMapMouseEvent *e ) override;
    void keyPressEvent( QKeyEvent *e ) override;
    void deactivate() override;

    //! Adds a corner (or places the point) at \a mapPoint, in the canvas CRS (what a click does).
    void addVertex( const QgsPointXY &mapPoint );
    //! Finishes an area (what a right click does); false when it has fewer than three corners.
    bool finish();

  signals:
    //! The drawn site, in the canvas's destination CRS.
    void siteDrawn( const QgsGeometry &geometry );
    void canceled();

  private:
    void updateBand( const QgsPointXY *hover = nullptr );
    void reset();

    Shape mShape;
    QVector<QgsPointXY> mVertices;
    QgsRubberBand *mBand = nullptr;
};

} // namespace statdesk
