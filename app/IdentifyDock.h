/**
 * \file IdentifyDock.h
 * Identify: a map tool that finds the features under a click and a dock listing their attributes.
 */
#pragma once

#include <QDockWidget>

#include <qgsmaptoolidentify.h>

class QTreeWidget;
class QLabel;

namespace statdesk
{

/**
 * Identifies the features of the visible StatDesk map layers under a click (all layers, top
 * down, honouring scale visibility). Density layers are skipped: they draw the same table as
 * its feature layer. Layers of restricted_ tables are never identified (they are not layers,
 * and this stays true if someone adds one by hand).
 */
class IdentifyTool : public QgsMapToolIdentify
{
    Q_OBJECT
  public:
    explicit IdentifyTool( QgsMapCanvas *canvas );

    //! Identifies at a canvas pixel position; also emits identified().
    QList<QgsMapToolIdentify::IdentifyResult> identifyAt( const QPoint &pixel );
    //! The layers a click looks at, top first.
    QList<QgsMapLayer *> identifiableLayers() const;

    void canvasReleaseEvent( QgsMapMouseEvent *e ) override;

  signals:
    void identified( const QList<QgsMapToolIdentify::IdentifyResult> &results );
};

/**
 * Lists identify results: one item per feature (layer and feature id), its attributes below.
 */
class IdentifyDock : public QDockWidget
{
    Q_OBJECT
  public:
    explicit IdentifyDock( QWidget *parent = nullptr );

    void showResults( const QList<QgsMapToolIdentify::IdentifyResult> &results );
    void clear();
    QTreeWidget *tree() const { return mTree; }

  private:
    QTreeWidget *mTree = nullptr;
    QLabel *mHint = nullptr;
};

} // namespace statdesk
