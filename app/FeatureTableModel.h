/**
 * \file FeatureTableModel.h
 * A read-only table of a vector layer's attributes that loads rows as the view scrolls.
 */
#pragma once

#include <QAbstractTableModel>
#include <QPointer>
#include <QVector>

#include <qgsexpression.h>
#include <qgsfeature.h>
#include <qgsfields.h>
#include <qgsvectorlayer.h>

namespace statdesk
{

/**
 * Rows of \a layer that match an optional filter expression, in fid order, fetched in
 * batches when the view asks for more (canFetchMore/fetchMore). Each batch is a short,
 * separate query ("fid > last" with a limit), so no reader stays open on the project file
 * between batches and a 300,000-row layer opens instantly.
 *
 * Does not own the layer; the model empties itself when the layer is deleted.
 * GUI thread only.
 */
class FeatureTableModel : public QAbstractTableModel
{
    Q_OBJECT
  public:
    explicit FeatureTableModel( QObject *parent = nullptr );

    /**
     * Shows \a layer filtered by \a filterExpression (empty: all rows). Returns false with
     * \a error when the expression does not parse; the model is then empty.
     */
    bool setLayer( QgsVectorLayer *layer, const QString &filterExpression, QString *error );

    QgsVectorLayer *layer() const { return mLayer; }
    //! Feature id of \a row.
    QgsFeatureId featureId( int row ) const;
    //! True once every matching row has been loaded.
    bool allLoaded() const { return mExhausted; }

    int rowCount( const QModelIndex &parent = QModelIndex() ) const override;
    int columnCount( const QModelIndex &parent = QModelIndex() ) const override;
    QVariant data( const QModelIndex &index, int role = Qt::DisplayRole ) const override;
    QVariant headerData( int section, Qt::Orientation orientation, int role = Qt::DisplayRole ) const override;
    bool canFetchMore( const QModelIndex &parent ) const override;
    void fetchMore( const QModelIndex &parent ) override;

    static constexpr int kBatchSize = 500;

  private:
    void clear();
    QString idExpression() const;

    QPointer<QgsVectorLayer> mLayer;
    QgsFields mFields;
    QString mFilter;
    int mFidField = -1;
    QVector<QgsFeature> mRows;
    bool mExhausted = true;
};

} // namespace statdesk
