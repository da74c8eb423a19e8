// The Task Force clusters in PDF briefings: one sheet per cluster of the latest saved run (its
// label and card), the top clusters on the citywide page, and their outlines on the citywide map.
// Registered with the briefing module when the library loads.
#include "briefing/Briefing.h"
#include "clustering/ClusterLayers.h"
#include "clustering/ClusterStore.h"
#include "common/Compat.h"
#include "common/Sqlite.h"

#include <QObject>

#include <qgsvectorlayer.h>

#include <algorithm>

namespace statdesk::clustering
{

namespace
{
QString unitOf( const BriefingContext &context )
{
  return QgsCoordinateReferenceSystem( context.crsAuthId ).mapUnits() == QgsUnitTypes::DistanceFeet ? QStringLiteral( "ft" ) : QStringLiteral( "m" );
}

class ClusterBriefingSection : public BriefingSection
{
public:
  QString id() const override { return QStringLiteral( "clusters" ); }

  QString citywideText( const BriefingContext &context ) override
  {
    if ( !load( context ) )
      return QString();
    std::vector<const ClusterRecord *> largest;
    for ( const ClusterRecord &c : mRun.clusters )
      largest.push_back( &c );
    std::stable_sort( largest.begin(), largest.end(), []( const ClusterRecord *a, const ClusterRecord *b )
                      { return a->fids.size() > b->fids.size(); } );
    QStringList top;
    for ( std::size_t i = 0; i < largest.size() && i < 3; ++i )
    {
      const ClusterRecord *c = largest[i];
      QString where;
      if ( !context.publicMode && !c->card.repeatAddresses.isEmpty() )
        where = QStringLiteral( ", %1" ).arg( c->card.repeatAddresses.first().first );
      top << QStringLiteral( "%1 (%2%3)" ).arg( c->label, countPhrase( static_cast<qint64>( c->fids.size() ), QObject::tr( "1 incident" ), QObject::tr( "%1 incidents" ) ), where );
    }
    return QObject::tr( "Task Force clusters: %1 in the latest run (%2, %3). Largest: %4." )
        .arg( countPhrase( static_cast<qint64>( mRun.clusters.size() ), QObject::tr( "1 cluster" ), QObject::tr( "%1 clusters" ) ), mRun.spec.describe(), mRun.createdAt.left( 10 ),
              top.join( QStringLiteral( "; " ) ) );
  }

  std::vector<std::unique_ptr<QgsMapLayer>> citywideLayers( const BriefingContext &context ) override
  {
    std::vector<std::unique_ptr<QgsMapLayer>> layers;
    // Cluster outlines run close to incident locations: not on public pages.
    if ( context.publicMode || !load( context ) )
      return layers;
    std::unique_ptr<QgsVectorLayer> layer = makeClusterPolygonLayer( mRun, QgsCoordinateReferenceSystem( context.crsAuthId ) );
    layer->setName( QObject::tr( "Task Force clusters" ) );
    styleClusterPolygons( layer.get() );
    layers.push_back( std::move( layer ) );
    return layers;
  }

  std::unique_ptr<QgsVectorLayer> clusterSheets( const BriefingContext &context ) override
  {
    if ( !load( context ) )
      return nullptr;
    auto layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "MultiPolygon?crs=%1" ).arg( context.crsAuthId ), QObject::tr( "Task Force clusters" ), QStringLiteral( "memory" ) );
    layer->dataProvider()->addAttributes( { QgsField( QStringLiteral( "cluster_label" ), compat::kString ), QgsField( QStringLiteral( "card" ), compat::kString ),
                                            QgsField( QStringLiteral( "incidents" ), compat::kInt ) } );
    layer->updateFields();
    const QString unit = unitOf( context );
    const QString description = mRun.spec.describe();
    const QString header = mRun.name.isEmpty() || mRun.name == description ? QObject::tr( "Run of %1: %2" ).arg( mRun.createdAt.left( 10 ), description )
                                                                           : QObject::tr( "Run \"%1\" of %2: %3" ).arg( mRun.name, mRun.createdAt.left( 10 ), description );
    QgsFeatureList features;
    for ( const ClusterRecord &c : mRun.clusters )
    {
      QgsFeature f( layer->fields() );
      QgsGeometry g = c.polygon;
      g.convertToMultiType();
      f.setGeometry( g );
      const QString card = QStringLiteral( "%1\n%2\n\n%3" ).arg( header, c.detail, c.card.text( context.publicMode, unit ) );
      f.setAttributes( QgsAttributes() << c.label << card << static_cast<int>( c.fids.size() ) );
      features << f;
    }
    layer->dataProvider()->addFeatures( features );
    layer->updateExtents();
    styleClusterPolygons( layer.get() );
    return layer;
  }

private:
  //! Loads the latest saved run with clusters once; false when the project has none.
  bool load( const BriefingContext &context )
  {
    if ( mLoaded )
      return mRun.ok;
    mLoaded = true;
    if ( !context.database )
      return false;
    const qint64 runId = latestClusterRun( *context.database );
    QString error;
    if ( runId < 0 || !loadClusterRun( *context.database, runId, &mRun, &error ) )
      mRun = ClusterAnalysis();
    return mRun.ok && !mRun.clusters.empty();
  }

  bool mLoaded = false;
  ClusterAnalysis mRun;
};

const bool sRegistered = []
{
  BriefingSection::registerFactory( []
                                    { return std::make_unique<ClusterBriefingSection>(); } );
  return true;
}();
} // namespace

} // namespace statdesk::clustering
