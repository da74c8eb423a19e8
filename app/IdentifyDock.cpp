#include "IdentifyDock.h"

#include "project/ProjectLayers.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <qgsapplication.h>
#include <qgslayertree.h>
#include <qgsmapcanvas.h>
#include <qgsmapmouseevent.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

namespace statdesk
{

IdentifyTool::IdentifyTool( QgsMapCanvas *canvas )
  : QgsMapToolIdentify( canvas )
{
  setCursor( QgsApplication::getThemeCursor( QgsApplication::Cursor::Identify ) );
}

QList<QgsMapLayer *> IdentifyTool::identifiableLayers() const
{
  QList<QgsMapLayer *> layers;
  const QList<QgsMapLayer *> visible = canvas()->layers();
  for ( QgsMapLayer *layer : visible )
  {
    auto *vl = qobject_cast<QgsVectorLayer *>( layer );
    if ( !vl )
      continue;
    const QString table = vl->customProperty( ProjectLayers::tableProperty() ).toString();
    const QString role = vl->customProperty( ProjectLayers::roleProperty() ).toString();
    if ( table.startsWith( QLatin1String( "restricted_" ) ) || vl->source().contains( QLatin1String( "restricted_" ) ) )
      continue;
    if ( role == QLatin1String( "density" ) )
      continue;
    layers << vl;
  }
  return layers;
}

QList<QgsMapToolIdentify::IdentifyResult> IdentifyTool::identifyAt( const QPoint &pixel )
{
  const QList<IdentifyResult> results = identify( pixel.x(), pixel.y(), identifiableLayers(), QgsMapToolIdentify::TopDownAll );
  emit identified( results );
  return results;
}

void IdentifyTool::canvasReleaseEvent( QgsMapMouseEvent *e )
{
  if ( e->button() == Qt::LeftButton )
    identifyAt( e->pos() );
}

IdentifyDock::IdentifyDock( QWidget *parent )
  : QDockWidget( tr( "Identify Results" ), parent )
{
  setObjectName( QStringLiteral( "IdentifyDock" ) );
  auto *body = new QWidget( this );
  auto *layout = new QVBoxLayout( body );
  layout->setContentsMargins( 4, 4, 4, 4 );
  mHint = new QLabel( tr( "Choose Identify in the toolbar and click a feature on the map." ), body );
  mHint->setWordWrap( true );
  layout->addWidget( mHint );
  mTree = new QTreeWidget( body );
  mTree->setColumnCount( 2 );
  mTree->setHeaderLabels( { tr( "Feature / field" ), tr( "Value" ) } );
  mTree->header()->setSectionResizeMode( 0, QHeaderView::ResizeToContents );
  mTree->setAlternatingRowColors( true );
  layout->addWidget( mTree, 1 );
  setWidget( body );
}

void IdentifyDock::clear()
{
  mTree->clear();
}

void IdentifyDock::showResults( const QList<QgsMapToolIdentify::IdentifyResult> &results )
{
  mTree->clear();
  mHint->setText( results.isEmpty() ? tr( "No feature here (features of hidden layers and layers outside their scale range are not identified)." )
                                    : tr( "%n feature(s) under the click.", nullptr, results.size() ) );
  for ( const QgsMapToolIdentify::IdentifyResult &result : results )
  {
    auto *featureItem = new QTreeWidgetItem( mTree );
    const QString layerName = result.mLayer ? result.mLayer->name() : QString();
    featureItem->setText( 0, layerName );
    featureItem->setText( 1, tr( "feature %1" ).arg( result.mFeature.id() ) );
    QFont bold = featureItem->font( 0 );
    bold.setBold( true );
    featureItem->setFont( 0, bold );
    const QgsFields fields = result.mFeature.fields();
    const QgsAttributes attributes = result.mFeature.attributes();
    for ( int i = 0; i < fields.count() && i < attributes.size(); ++i )
    {
      auto *item = new QTreeWidgetItem( featureItem );
      item->setText( 0, fields.at( i ).displayName() );
      const QVariant &value = attributes.at( i );
      item->setText( 1, value.isNull() ? QStringLiteral( "NULL" ) : value.toString() );
      item->setData( 1, Qt::UserRole, value );
    }
  }
  if ( mTree->topLevelItemCount() > 0 )
    mTree->topLevelItem( 0 )->setExpanded( true );
  if ( !isVisible() && !results.isEmpty() )
    show();
  raise();
}

} // namespace statdesk
