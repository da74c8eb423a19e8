/**
 * \file StatusBarWidgets.h
 * The main window's status bar: cursor position and map scale.
 */
#pragma once

#include <QWidget>

#include <qgscoordinatetransform.h>
#include <qgspointxy.h>

class QLabel;
class QgsMapCanvas;
class QgsScaleComboBox;

namespace statdesk
{

/**
 * Shows the cursor position in the map CRS and as longitude/latitude (WGS 84). A point that
 * cannot be transformed (far outside the CRS's area) shows "outside the CRS's area" instead
 * of a wrong number.
 */
class CoordinateWidget : public QWidget
{
    Q_OBJECT
  public:
    explicit CoordinateWidget( QgsMapCanvas *canvas, QWidget *parent = nullptr );

    void showPoint( const QgsPointXY &mapPoint );
    QString text() const;

  private:
    void updateTransform();

    QgsMapCanvas *mCanvas = nullptr;
    QLabel *mLabel = nullptr;
    QgsCoordinateTransform mToWgs84;
};

/**
 * A scale box bound to the canvas both ways: the canvas's scale shows here, a scale typed or
 * chosen here zooms the canvas.
 */
class ScaleWidget : public QWidget
{
    Q_OBJECT
  public:
    explicit ScaleWidget( QgsMapCanvas *canvas, QWidget *parent = nullptr );
    QgsScaleComboBox *comboBox() const { return mScale; }

  private:
    QgsMapCanvas *mCanvas = nullptr;
    QgsScaleComboBox *mScale = nullptr;
};

} // namespace statdesk
