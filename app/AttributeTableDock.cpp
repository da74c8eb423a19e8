#include "AttributeTableDock.h"
#include "AppTasks.h"
#include "FeatureTableModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <qgsapplication.h>
#include <qgsexpression.h>
#include <qgsfeatureiterator.h>
#include <qgsmapcanvas.h>
#include <qgsvectorlayer.h>

namespace statdesk
{

AttributeTableDock::AttributeTableDock( QgsMapCanvas *canvas, QWidget *parent )
  : QDockWidget( tr( "Attribute Table" ), parent )
  , mCanvas( canvas )
{
  setObjectName( QStringLiteral( "AttributeTableDock" ) );
  auto *body = new QWidget( this );
  auto *layout = new QVBoxLayout( body );
  layout->setContentsMargins( 4, 4, 4, 4 );

  auto *filterRow = new QHBoxLayout();
  mFilterEdit = new QLineEdit( body );
  mFilterEdit->setClearButtonEnabled( true );
  mFilterEdit->setPlaceholderText( tr( "Filter expression, e.g. \"violent\" = 1 AND \"occurred_at\" >= '2024-01-01'" ) );
  auto *apply = new QPushButton( tr( "Apply" ), body );
  filterRow->addWidget( new QLabel( tr( "Filter:" ), body ) );
  filterRow->addWidget( mFilterEdit, 1 );
  filterRow->addWidget( apply );
  layout->addLayout( filterRow );

  mStatus = new QLabel( body );
  mStatus->setTextInteractionFlags( Qt::TextSelectableByMouse );
  layout->addWidget( mStatus );

  mModel = new FeatureTableModel( this );
  mView = new QTableView( body );
  mView->setModel( mModel );
  mView->setSelectionBehavior( QAbstractItemView::SelectRows );
  mView->setAlternatingRowColors( true );
  mView->verticalHeader()->setDefaultSectionSize( mView->fontMetrics().height() + 6 );
  mView->horizontalHeader()->setSectionResizeMode( QHeaderView::Interactive );
  layout->addWidget( mView, 1 );
  setWidget( body );

  connect( apply, &QPushButton::clicked, this, [this] { setFilterExpression( mFilterEdit->text() ); } );
  connect( mFilterEdit, &QLineEdit::returnPressed, this, [this] { setFilterExpression( mFilterEdit->text() ); } );
  connect( mView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AttributeTableDock::selectionToLayer );
  connect( mView, &QTableView::doubleClicked, this, [this]( const QModelIndex &index ) { zoomToRow( index.row() ); } );
  connect( mModel, &QAbstractItemModel::rowsInserted, this, &AttributeTableDock::updateStatus );
  // Nothing is read while the dock is closed: startup and layer switching stay cheap.
  connect( this, &QDockWidget::visibilityChanged, this, [this]( bool visible ) {
    if ( visible && mPending )
      reload();
  } );
  updateStatus();
}

void AttributeTableDock::setLayer( QgsVectorLayer *layer )
{
  if ( layer == mLayer && !mPending )
    return;
  if ( mLayer )
    disconnect( mLayer, nullptr, this, nullptr );
  mLayer = layer;
  if ( mLayer )
  {
    // The date filter changes the layer's subset: the rows shown must follow.
    connect( mLayer, &QgsVectorLayer::subsetStringChanged, this, [this] { mPending = true; if ( isVisible() ) reload(); } );
  }
  setWindowTitle( mLayer ? tr( "Attribute Table — %1" ).arg( mLayer->name() ) : tr( "Attribute Table" ) );
  mPending = true;
  if ( isVisible() )
    reload();
  else
    updateStatus();
}

void AttributeTableDock::setFilterExpression( const QString &expression )
{
  mFilter = expression.trimmed();
  if ( mFilterEdit->text() != expression )
    mFilterEdit->setText( expression );
  mPending = true;
  reload();
}

void AttributeTableDock::reload()
{
  mPending = false;
  mError.clear();
  mMatching = -1;
  if ( mCountTask )
    mCountTask->cancel();
  QString error;
  if ( mLayer && !mFilter.isEmpty() )
  {
    // Check the fields too: a typo in a field name is a user error, not an empty result.
    QgsExpression expression( mFilter );
    if ( !expression.hasParserError() )
    {
      const QSet<QString> columns = expression.referencedColumns();
      for ( const QString &column : columns )
      {
        if ( column != QgsFeatureRequest::ALL_ATTRIBUTES && mLayer->fields().lookupField( column ) < 0 )
        {
          error = tr( "No field named \"%1\" in %2." ).arg( column, mLayer->name() );
          break;
        }
      }
    }
  }
  if ( error.isEmpty() && !mModel->setLayer( mLayer, mFilter, &error ) )
    error = tr( "The filter does not parse: %1" ).arg( error );
  if ( !error.isEmpty() )
  {
    mModel->setLayer( nullptr, QString(), nullptr );
    mError = error;
  }
  else if ( mLayer )
  {
    startCount();
  }
  updateStatus();
}

void AttributeTableDock::startCount()
{
  if ( !mLayer )
    return;
  if ( mFilter.isEmpty() )
  {
    // The provider knows the count of the (subset) layer without reading rows.
    mMatching = mLayer->featureCount();
    if ( mMatching >= 0 )
    {
      updateStatus();
      emit countFinished( mMatching );
      return;
    }
  }
  QgsFeatureRequest request;
  if ( !mFilter.isEmpty() )
    request.setFilterExpression( mFilter );
  auto *task = new FeatureCountTask( mLayer, request );
  mCountTask = task;
  connect( task, &QgsTask::taskCompleted, this, [this, task] {
    if ( mCountTask != task )
      return;
    mMatching = task->count();
    updateStatus();
    emit countFinished( mMatching );
  } );
  QgsApplication::taskManager()->addTask( task );
}

void AttributeTableDock::updateStatus()
{
  if ( !mError.isEmpty() )
  {
    mStatus->setText( QStringLiteral( "<span style='color:#b00020'>%1</span>" ).arg( mError.toHtmlEscaped() ) );
    return;
  }
  if ( !mLayer )
  {
    mStatus->setText( tr( "Select a layer in the Layers panel to see its attributes." ) );
    return;
  }
  const int loaded = mModel->rowCount();
  const QString total = mLayer->featureCount() >= 0 ? QString::number( mLayer->featureCount() ) : tr( "?" );
  QString matching = mMatching >= 0 ? QString::number( mMatching ) : tr( "counting…" );
  QString text = mFilter.isEmpty() ? tr( "%1 features" ).arg( matching ) : tr( "%1 of %2 features match the filter" ).arg( matching, total );
  if ( !mModel->allLoaded() )
    text += tr( " — %1 rows loaded, more load as you scroll" ).arg( loaded );
  mStatus->setText( text );
}

void AttributeTableDock::selectionToLayer()
{
  if ( !mLayer )
    return;
  QgsFeatureIds ids;
  const QModelIndexList rows = mView->selectionModel()->selectedRows();
  for ( const QModelIndex &index : rows )
    ids.insert( mModel->featureId( index.row() ) );
  mLayer->selectByIds( ids );
}

void AttributeTableDock::zoomToRow( int row )
{
  if ( !mLayer || !mCanvas )
    return;
  const QgsFeatureId id = mModel->featureId( row );
  if ( id == FID_NULL )
    return;
  QgsFeature feature;
  if ( !mLayer->getFeatures( QgsFeatureRequest().setFilterFid( id ) ).nextFeature( feature ) || !feature.hasGeometry() )
    return; // a row without location (kept off the map)
  mCanvas->zoomToFeatureIds( mLayer, QgsFeatureIds() << id );
  mCanvas->flashFeatureIds( mLayer, QgsFeatureIds() << id );
}

} // namespace statdesk
