/**
 * \file AttributeTableDock.h
 * The attribute table of the layer selected in the layer tree, with a filter expression.
 */
#pragma once

#include <QDockWidget>
#include <QPointer>

#include <qgsvectorlayer.h>

class QLabel;
class QLineEdit;
class QTableView;
class QgsMapCanvas;

namespace statdesk
{

class FeatureTableModel;
class FeatureCountTask;

/**
 * Shows the rows of one vector layer (FeatureTableModel: loaded as the view scrolls, so large
 * layers open at once) filtered by a QGIS expression, with the number of matching features
 * counted in a background task. Selecting rows selects the features on the map; a double
 * click zooms to the feature.
 *
 * Work is deferred while the dock is hidden. Does not own the layer or the canvas.
 */
class AttributeTableDock : public QDockWidget
{
    Q_OBJECT
  public:
    AttributeTableDock( QgsMapCanvas *canvas, QWidget *parent = nullptr );

    //! Shows \a layer (nullptr: nothing). Keeps the filter text when it still parses.
    void setLayer( QgsVectorLayer *layer );
    QgsVectorLayer *layer() const { return mLayer; }

    //! Applies \a expression as the filter (as if typed and confirmed).
    void setFilterExpression( const QString &expression );

    FeatureTableModel *model() const { return mModel; }
    QTableView *view() const { return mView; }
    //! Matching features, -1 while counting.
    qint64 matchingCount() const { return mMatching; }

  signals:
    //! Emitted when the count of matching features is known.
    void countFinished( qint64 count );

  private:
    void reload();
    void startCount();
    void updateStatus();
    void selectionToLayer();
    void zoomToRow( int row );

    QgsMapCanvas *mCanvas = nullptr;
    QPointer<QgsVectorLayer> mLayer;
    QLineEdit *mFilterEdit = nullptr;
    QLabel *mStatus = nullptr;
    QTableView *mView = nullptr;
    FeatureTableModel *mModel = nullptr;
    QPointer<FeatureCountTask> mCountTask;
    QString mFilter;
    QString mError;
    qint64 mMatching = -1;
    bool mPending = false;
};

} // namespace statdesk
