#include "ProjectLayers.h"
#include "ProjectFile.h"
#include "Schema.h"
#include "common/QgisRuntime.h"
#include "style/DefaultStyles.h"

#include <QFileInfo>

#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreelayer.h>
#include <qgspathresolver.h>
#include <qgsproject.h>
#include <qgsprojectviewsettings.h>
#include <qgsreferencedgeometry.h>
#include <qgsprojectstorage.h>
#include <qgsproviderregistry.h>
#include <qgsvectorlayer.h>

namespace statdesk
{

namespace
{
struct LayerSpec
{
    QString table;
    QString role;
    QString name;
    QString baseFilter;
    bool visible = true;
};

struct GroupSpec
{
    QString name;
    QVector<LayerSpec> layers;
};

QVector<GroupSpec> defaultGroups()
{
  return {
    { QObject::tr( "Crime incidents" ),
      { { schema::kIncidents, QStringLiteral( "features" ), QObject::tr( "Incidents" ), QString(), true },
        { schema::kIncidents, QStringLiteral( "density" ), QObject::tr( "Violent crime density" ), QStringLiteral( "\"violent\" = 1" ), true } } },
    { QObject::tr( "Vacant & dangerous property" ),
      { { schema::kDangerousBuildings, QStringLiteral( "features" ), QObject::tr( "Dangerous buildings" ), QString(), true },
        { schema::kVacantParcels, QStringLiteral( "features" ), QObject::tr( "Vacant parcels" ), QString(), true } } },
    { QObject::tr( "311 service requests" ),
      { { schema::kServiceRequests, QStringLiteral( "features" ), QObject::tr( "311 requests" ), QString(), true },
        { schema::kServiceRequests, QStringLiteral( "density" ), QObject::tr( "Blight request density" ), QStringLiteral( "\"blight_class\" IS NOT NULL" ), false } } },
    { QObject::tr( "Neighborhoods" ),
      { { schema::kNeighborhoods, QStringLiteral( "features" ), QObject::tr( "Neighborhoods" ), QString(), true },
        { schema::kBoundaries, QStringLiteral( "features" ), QObject::tr( "Boundaries" ), QString(), true } } },
  };
}

QString layerUri( const QString &gpkgPath, const QString &table )
{
  return QStringLiteral( "%1|layername=%2" ).arg( gpkgPath, table );
}

const char *kBaseFilterProperty = "statdesk/baseFilter";
const QString kStyleName = QStringLiteral( "StatDesk default" );
const char *kDateFilterProperty = "statdesk/dateFilter";

QString dateColumn( const QString &table )
{
  if ( table == schema::kIncidents )
    return QStringLiteral( "occurred_at" );
  if ( table == schema::kServiceRequests )
    return QStringLiteral( "created_at" );
  return QString();
}

QString combine( const QString &a, const QString &b )
{
  if ( a.isEmpty() )
    return b;
  if ( b.isEmpty() )
    return a;
  return QStringLiteral( "(%1) AND (%2)" ).arg( a, b );
}
} // namespace

const char *ProjectLayers::tableProperty()
{
  return "statdesk/table";
}

const char *ProjectLayers::roleProperty()
{
  return "statdesk/role";
}

QString ProjectLayers::qgisProjectUri( const QString &gpkgPath )
{
  return QStringLiteral( "geopackage:%1?projectName=%2" ).arg( QFileInfo( gpkgPath ).absoluteFilePath(), schema::kQgisProjectName );
}

bool ProjectLayers::buildDefault( const QString &gpkgPath, QgsProject *project, QString *error )
{
  std::unique_ptr<ProjectFile> file = ProjectFile::open( gpkgPath, ProjectFile::Mode::ReadOnly, error );
  QgsCoordinateReferenceSystem crs;
  QString city;
  QgsRectangle extent;
  if ( file )
  {
    crs = file->crs();
    city = file->cityName();
    extent = file->fullExtent();
  }
  else
  {
    // Creation builds the QGIS project before the file is final; it is readable as a GeoPackage.
    crs = QgsCoordinateReferenceSystem();
  }
  file.reset();

  project->clear();
  project->setTitle( city.isEmpty() ? QStringLiteral( "StatDesk" ) : QStringLiteral( "StatDesk — %1" ).arg( city ) );
  QgsLayerTree *root = project->layerTreeRoot();
  for ( const GroupSpec &group : defaultGroups() )
  {
    QgsLayerTreeGroup *node = root->addGroup( group.name );
    for ( const LayerSpec &spec : group.layers )
    {
      auto layer = std::make_unique<QgsVectorLayer>( layerUri( gpkgPath, spec.table ), spec.name, QStringLiteral( "ogr" ) );
      if ( !layer->isValid() )
      {
        if ( error )
          *error = QObject::tr( "Cannot load layer %1 from %2." ).arg( spec.table, gpkgPath );
        return false;
      }
      if ( !crs.isValid() )
        crs = layer->crs();
      layer->setCustomProperty( tableProperty(), spec.table );
      layer->setCustomProperty( roleProperty(), spec.role );
      layer->setCustomProperty( kBaseFilterProperty, spec.baseFilter );
      if ( !spec.baseFilter.isEmpty() )
        layer->setSubsetString( spec.baseFilter );
      applyDefaultStyle( layer.get(), spec.table, spec.role );
      QgsVectorLayer *added = qobject_cast<QgsVectorLayer *>( project->addMapLayer( layer.release(), false ) );
      QgsLayerTreeLayer *treeLayer = node->addLayer( added );
      treeLayer->setItemVisibilityChecked( spec.visible );
    }
  }
  project->setCrs( crs );
  if ( !extent.isNull() )
  {
    QgsReferencedRectangle view( extent.buffered( std::max( extent.width(), extent.height() ) * 0.03 ), crs );
    project->viewSettings()->setDefaultViewExtent( view );
  }
  project->setDirty( false );
  return true;
}

bool ProjectLayers::store( const QString &gpkgPath, QgsProject *project, QString *error )
{
  const QString uri = qgisProjectUri( gpkgPath );
  // QGIS 3.22 asks "overwrite?" in a modal dialog when a style of the same name exists (and
  // never returns without a display): replace our own default styles explicitly instead.
  {
    SqliteDatabase db;
    if ( db.open( gpkgPath, false ) && db.tableExists( QStringLiteral( "layer_styles" ) ) )
    {
      SqliteTransaction tx( db );
      SqliteStatement st( db, QStringLiteral( "DELETE FROM layer_styles WHERE styleName = ?" ) );
      st.bindText( 1, kStyleName );
      if ( !st.exec() || !tx.commit() )
      {
        if ( error )
          *error = QObject::tr( "Cannot replace the stored styles: %1" ).arg( db.errorString() );
        return false;
      }
    }
  }
  for ( QgsMapLayer *ml : project->mapLayers() )
  {
    auto *vl = qobject_cast<QgsVectorLayer *>( ml );
    if ( !vl || vl->customProperty( roleProperty() ).toString() != QLatin1String( "features" ) )
      continue;
    QString styleError;
    vl->saveStyleToDatabase( kStyleName, QObject::tr( "StatDesk default style" ), true, QString(), styleError );
    if ( !styleError.isEmpty() )
    {
      if ( error )
        *error = QObject::tr( "Cannot save the style of %1: %2" ).arg( vl->name(), styleError );
      return false;
    }
  }
  const QString previousFile = project->fileName();
  project->setFileName( uri );
  if ( !project->write() )
  {
    if ( error )
      *error = QObject::tr( "Cannot store the map in %1: %2" ).arg( gpkgPath, project->error() );
    return false;
  }
  Q_UNUSED( previousFile )
  // Record which StatDesk wrote the file last.
  SqliteDatabase db;
  if ( db.open( gpkgPath, false ) )
  {
    SqliteTransaction tx( db );
    SqliteStatement st( db, QStringLiteral( "UPDATE statdesk_metadata SET value = ? WHERE key = 'app_version'" ) );
    st.bindText( 1, statdeskVersion() );
    if ( st.exec() )
      tx.commit();
  }
  return true;
}

bool ProjectLayers::load( const QString &gpkgPath, QgsProject *project, QString *error )
{
  const QString absolute = QFileInfo( gpkgPath ).absoluteFilePath();
  bool hasProject = false;
  {
    SqliteDatabase db;
    if ( db.open( absolute, true ) && db.tableExists( QStringLiteral( "qgis_projects" ) ) )
    {
      SqliteStatement st( db, QStringLiteral( "SELECT 1 FROM qgis_projects WHERE name = ?" ) );
      st.bindText( 1, schema::kQgisProjectName );
      hasProject = st.next();
    }
  }
  if ( !hasProject )
    return buildDefault( absolute, project, error );

  // The file may have been renamed or moved since it was saved: any layer of our own tables
  // that points to a GeoPackage other than this one is pointed back at this file.
  QStringList tables;
  for ( const schema::Table &t : schema::tables() )
    tables << t.name;
  tables << schema::kResultLayerTables;
  const QString preprocessorId = QgsPathResolver::setPathPreprocessor( [absolute, tables]( const QString &source ) -> QString {
    const int bar = source.indexOf( QLatin1Char( '|' ) );
    const QString filePart = bar < 0 ? source : source.left( bar );
    if ( !filePart.endsWith( QLatin1String( ".gpkg" ), Qt::CaseInsensitive ) || bar < 0 )
      return source;
    const QString rest = source.mid( bar );
    for ( const QString &t : tables )
    {
      if ( rest.startsWith( QStringLiteral( "|layername=%1" ).arg( t ) ) )
      {
        const QString resolved = QFileInfo( filePart ).isRelative() ? QFileInfo( absolute ).absoluteDir().filePath( filePart ) : filePart;
        if ( QFileInfo( resolved ).absoluteFilePath() != absolute )
          return absolute + rest;
      }
    }
    return source;
  } );
  const bool ok = project->read( qgisProjectUri( absolute ) );
  QgsPathResolver::removePathPreprocessor( preprocessorId );
  if ( !ok )
  {
    if ( error )
      *error = QObject::tr( "Cannot read the map stored in %1: %2" ).arg( absolute, project->error() );
    return false;
  }
  return true;
}

QgsVectorLayer *ProjectLayers::layer( QgsProject *project, const QString &table, const QString &role )
{
  for ( QgsMapLayer *ml : project->mapLayers() )
  {
    auto *vl = qobject_cast<QgsVectorLayer *>( ml );
    if ( vl && vl->customProperty( tableProperty() ).toString() == table && vl->customProperty( roleProperty() ).toString() == role )
      return vl;
  }
  return nullptr;
}

QString ProjectLayers::applyDateFilter( QgsProject *project, const QDate &from, const QDate &to )
{
  QString incidentsFilter;
  for ( QgsMapLayer *ml : project->mapLayers() )
  {
    auto *vl = qobject_cast<QgsVectorLayer *>( ml );
    if ( !vl )
      continue;
    const QString column = dateColumn( vl->customProperty( tableProperty() ).toString() );
    if ( column.isEmpty() )
      continue;
    QStringList parts;
    // Stored date-times start with the local date, so comparing the text compares local dates.
    if ( from.isValid() )
      parts << QStringLiteral( "\"%1\" >= '%2'" ).arg( column, from.toString( Qt::ISODate ) );
    if ( to.isValid() )
      parts << QStringLiteral( "\"%1\" < '%2'" ).arg( column, to.addDays( 1 ).toString( Qt::ISODate ) );
    const QString dateFilter = parts.join( QLatin1String( " AND " ) );
    const QString subset = combine( vl->customProperty( kBaseFilterProperty ).toString(), dateFilter );
    vl->setCustomProperty( kDateFilterProperty, dateFilter );
    if ( vl->subsetString() != subset )
      vl->setSubsetString( subset );
    if ( vl->customProperty( tableProperty() ).toString() == schema::kIncidents && vl->customProperty( roleProperty() ).toString() == QLatin1String( "features" ) )
      incidentsFilter = subset;
  }
  return incidentsFilter;
}

} // namespace statdesk
