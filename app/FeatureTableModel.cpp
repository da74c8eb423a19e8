#include "FeatureTableModel.h"

#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsvectorlayer.h>

namespace statdesk
{

FeatureTableModel::FeatureTableModel( QObject *parent )
  : QAbstractTableModel( parent )
{
}

void FeatureTableModel::clear()
{
  mRows.clear();
  mFields = QgsFields();
  mFilter.clear();
  mFidField = -1;
  mExhausted = true;
}

bool FeatureTableModel::setLayer( QgsVectorLayer *layer, const QString &filterExpression, QString *error )
{
  beginResetModel();
  clear();
  mLayer = layer;
  bool ok = true;
  if ( layer )
  {
    const QString trimmed = filterExpression.trimmed();
    if ( !trimmed.isEmpty() )
    {
      QgsExpression expression( trimmed );
      if ( expression.hasParserError() )
      {
        if ( error )
          *error = expression.parserErrorString();
        ok = false;
      }
    }
    if ( ok )
    {
      mFields = layer->fields();
      mFilter = trimmed;
      mFidField = mFields.lookupField( QStringLiteral( "fid" ) );
      mExhausted = false;
    }
    else
    {
      mLayer = nullptr;
    }
  }
  endResetModel();
  if ( ok && mLayer )
    fetchMore( QModelIndex() );
  return ok;
}

QString FeatureTableModel::idExpression() const
{
  return mFidField >= 0 ? QgsExpression::quotedColumnRef( mFields.at( mFidField ).name() ) : QStringLiteral( "$id" );
}

QgsFeatureId FeatureTableModel::featureId( int row ) const
{
  return row >= 0 && row < mRows.size() ? mRows.at( row ).id() : FID_NULL;
}

int FeatureTableModel::rowCount( const QModelIndex &parent ) const
{
  return parent.isValid() ? 0 : mRows.size();
}

int FeatureTableModel::columnCount( const QModelIndex &parent ) const
{
  return parent.isValid() ? 0 : mFields.count();
}

QVariant FeatureTableModel::data( const QModelIndex &index, int role ) const
{
  if ( !index.isValid() || index.row() >= mRows.size() || index.column() >= mFields.count() )
    return QVariant();
  const QVariant value = mRows.at( index.row() ).attribute( index.column() );
  switch ( role )
  {
    case Qt::DisplayRole:
      return value.isNull() ? QStringLiteral( "NULL" ) : value.toString();
    case Qt::ForegroundRole:
      return value.isNull() ? QVariant( QColor( Qt::gray ) ) : QVariant();
    case Qt::TextAlignmentRole:
      return mFields.at( index.column() ).isNumeric() ? QVariant( Qt::AlignRight | Qt::AlignVCenter ) : QVariant();
    case Qt::UserRole:
      return value;
    default:
      return QVariant();
  }
}

QVariant FeatureTableModel::headerData( int section, Qt::Orientation orientation, int role ) const
{
  if ( role != Qt::DisplayRole )
    return QVariant();
  if ( orientation == Qt::Horizontal )
    return section < mFields.count() ? QVariant( mFields.at( section ).displayName() ) : QVariant();
  return section + 1;
}

bool FeatureTableModel::canFetchMore( const QModelIndex &parent ) const
{
  return !parent.isValid() && mLayer && !mExhausted;
}

void FeatureTableModel::fetchMore( const QModelIndex &parent )
{
  if ( !canFetchMore( parent ) )
    return;
  // Continue after the last fid loaded. Rows come in fid order (the GeoPackage's rowid order),
  // so "fid > last" with a limit pages through the layer without an open cursor.
  const QgsFeatureId last = mRows.isEmpty() ? std::numeric_limits<QgsFeatureId>::min() : mRows.constLast().id();
  QgsFeatureRequest request;
  request.setFlags( QgsFeatureRequest::NoGeometry );
  QString filter = mFilter;
  if ( !mRows.isEmpty() )
  {
    // The GeoPackage fid column compiles to SQL (a rowid range); $id would be filtered client-side.
    const QString page = QStringLiteral( "%1 > %2" ).arg( idExpression(), QString::number( last ) );
    filter = filter.isEmpty() ? page : QStringLiteral( "(%1) AND %2" ).arg( filter, page );
  }
  if ( !filter.isEmpty() )
    request.setFilterExpression( filter );
  request.addOrderBy( idExpression(), true );
  request.setLimit( kBatchSize );

  QVector<QgsFeature> batch;
  batch.reserve( kBatchSize );
  QgsFeatureIterator it = mLayer->getFeatures( request );
  QgsFeature feature;
  while ( it.nextFeature( feature ) )
    batch << feature;
  it.close();

  if ( batch.size() < kBatchSize )
    mExhausted = true;
  if ( batch.isEmpty() )
    return;
  beginInsertRows( QModelIndex(), mRows.size(), mRows.size() + batch.size() - 1 );
  mRows += batch;
  endInsertRows();
}

} // namespace statdesk
