/**
 * \file MeasureTool.h
 * Measuring distances on the map.
 */
#pragma once

#include <QVector>

#include <qgsdistancearea.h>
#include <qgsmaptool.h>
#include <qgspointxy.h>

class QgsRubberBand;

namespace statdesk
{

/**
 * Click to add vertices, move to see the next segment, right-click or double-click to finish,
 * Esc to clear. Distances are ellipsoidal (the project's ellipsoid, WGS 84 when it has none)
 * and shown in metres/kilometres, or feet/miles when the map CRS is in feet.
 *
 * Owns its rubber band (a canvas item, deleted with the tool).
 */
class MeasureTool : public QgsMapTool
{
    Q_OBJECT
  public:
    explicit MeasureTool( QgsMapCanvas *canvas );
    ~MeasureTool() override;

    void canvasPressEvent( QgsMapMouseEvent *e ) override;
    void canvasMoveEvent( QgsMapMouseEvent *e ) override;
    void canvasDoubleClickEvent( QgsMapMouseEvent *e ) override;
    void keyPressEvent( QKeyEvent *e ) override;
    void deactivate() override;

    //! Adds a vertex in map coordinates (what a click does).
    void addVertex( const QgsPointXY &point );
    //! Ends the current line; the next vertex starts a new one.
    void finish();
    void clear();

    //! Ellipsoidal length of the finished/current vertices, in metres.
    double totalMetres() const;
    //! "1.23 km" or "4,040 ft", by the map CRS's units.
    QString formatLength( double metres ) const;

  signals:
    //! A sentence to show the user (status bar).
    void measurementChanged( const QString &text );

  private:
    void updateDistanceArea();
    void report( const QgsPointXY *hover );

    QgsRubberBand *mRubberBand = nullptr;
    QVector<QgsPointXY> mPoints;
    bool mFinished = false;
    QgsDistanceArea mDa;
};

} // namespace statdesk
