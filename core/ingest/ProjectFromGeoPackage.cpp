#include "ingest/ProjectFromGeoPackage.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "ingest/Importer.h"
#include "ingest/LayoutRegistry.h"
#include "ingest/OgrSource.h"
#include "project/FeatureTables.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"

#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QRegularExpression>
#include <QSet>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgsfeedback.h>
#include <qgsgeometry.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <cmath>

namespace statdesk::ingest
{

namespace
{
const QString kOtherLayersGroup = QObject::tr( "Other layers" );

QString geometryName( OGRwkbGeometryType type )
{
  switch ( wkbFlatten( type ) )
  {
    case wkbPoint:
    case wkbMultiPoint:
      return QStringLiteral( "point" );
    case wkbLineString:
    case wkbMultiLineString:
      return QStringLiteral( "line" );
    case wkbPolygon:
    case wkbMultiPolygon:
      return QStringLiteral( "polygon" );
    case wkbNone:
      return QStringLiteral( "none" );
    default:
      return QStringLiteral( "geometry" );
  }
}

void suggest( SourceLayerInfo &info )
{
  static const QRegularExpression neighborhoodName( QStringLiteral( "neighbo|nbhd|hood" ), QRegularExpression::CaseInsensitiveOption );
  if ( info.geometry == QLatin1String( "none" ) )
  {
    info.suggestedTarget = kSkipTarget;
    info.reason = QObject::tr( "a table without geometries" );
    return;
  }
  if ( info.geometry == QLatin1String( "polygon" ) && neighborhoodName.match( info.name ).hasMatch() )
  {
    info.suggestedTarget = kindName( ImportKind::Neighborhoods );
    info.reason = QObject::tr( "polygons named like neighborhoods" );
    return;
  }
  // The city layouts know point records (crime, 311, vacant, dangerous) by their columns.
  QStringList header = info.fields;
  header << QStringLiteral( "Location" );
  const LayoutMatch match = LayoutRegistry::instance().detectAnyKind( header );
  if ( match.isValid() && !isPolygonKind( match.kind ) )
  {
    info.suggestedTarget = kindName( match.kind );
    info.reason = QObject::tr( "columns of the layout \"%1\"" ).arg( match.title );
    return;
  }
  if ( info.geometry == QLatin1String( "polygon" ) )
  {
    info.suggestedTarget = kindName( ImportKind::Boundary );
    info.reason = QObject::tr( "polygons" );
    return;
  }
  info.suggestedTarget = kExtraTarget;
  info.reason = QObject::tr( "no city layout recognises its columns: copied as it is" );
}

QString sqlColumnType( const QgsField &field )
{
  switch ( field.type() )
  {
    case QVariant::Int:
    case QVariant::LongLong:
    case QVariant::UInt:
    case QVariant::ULongLong:
    case QVariant::Bool:
      return QStringLiteral( "INTEGER" );
    case QVariant::Double:
      return QStringLiteral( "REAL" );
    default:
      return QStringLiteral( "TEXT" );
  }
}

QVariant sqlValue( const QVariant &v )
{
  if ( v.isNull() )
    return QVariant();
  switch ( v.type() )
  {
    case QVariant::Date:
      return v.toDate().toString( Qt::ISODate );
    case QVariant::DateTime:
      return v.toDateTime().toString( Qt::ISODateWithMs );
    case QVariant::Bool:
      return v.toBool() ? 1 : 0;
    default:
      return v;
  }
}

//! Copies one layer as it is into a new feature table; returns the features copied or -1.
qint64 copyLayer( ProjectFile &project, const QString &sourcePath, const QString &layerName, const QString &table, QgsFeedback *feedback, QString *error )
{
  std::unique_ptr<QgsVectorLayer> layer = openOgrLayer( sourcePath, layerName, error );
  if ( !layer )
    return -1;
  const QgsFields fields = layer->fields();
  QStringList columns;
  QStringList names;
  QSet<QString> used { QStringLiteral( "fid" ), QStringLiteral( "geom" ) };
  for ( const QgsField &f : fields )
  {
    QString name = sanitizedTableName( f.name() );
    while ( used.contains( name ) )
      name += QLatin1Char( '_' );
    used.insert( name );
    names << name;
    columns << QStringLiteral( "\"%1\" %2" ).arg( name, sqlColumnType( f ) );
  }
  FeatureTableSpec spec;
  spec.name = table;
  spec.columnsSql = columns.join( QLatin1String( ", " ) );
  const QgsWkbTypes::Type flat = QgsWkbTypes::flatType( layer->wkbType() );
  spec.geometryType = QgsWkbTypes::displayString( flat ).toUpper();
  spec.srsId = project.srsId();
  spec.identifier = layerName;
  spec.description = QObject::tr( "Copied from %1" ).arg( QFileInfo( sourcePath ).fileName() );
  const bool multi = QgsWkbTypes::isMultiType( flat );

  SqliteDatabase &db = project.database();
  SqliteTransaction tx( db );
  if ( !tx.isActive() || !createFeatureTableInTransaction( db, spec, error ) )
  {
    if ( error && error->isEmpty() )
      *error = db.errorString();
    return -1;
  }
  QStringList placeholders;
  for ( int i = 0; i < names.size() + 1; ++i )
    placeholders << QStringLiteral( "?" );
  QStringList quoted { QStringLiteral( "geom" ) };
  for ( const QString &n : names )
    quoted << QStringLiteral( "\"%1\"" ).arg( n );
  SqliteStatement insert( db, QStringLiteral( "INSERT INTO \"%1\" (%2) VALUES (%3)" ).arg( table, quoted.join( QLatin1String( ", " ) ), placeholders.join( QLatin1String( ", " ) ) ) );
  QgsCoordinateTransform ct( layer->crs(), project.crs(), QgsProject::instance() );
  const qint64 total = std::max<qint64>( 1, layer->featureCount() );
  qint64 copied = 0;
  QgsFeatureIterator it = layer->getFeatures();
  QgsFeature f;
  while ( it.nextFeature( f ) )
  {
    QgsGeometry g = f.geometry();
    if ( !g.isNull() )
    {
      try
      {
        g.transform( ct );
      }
      catch ( QgsCsException &e )
      {
        *error = QObject::tr( "Feature %1 of %2 cannot be transformed to the project CRS: %3" ).arg( f.id() ).arg( layerName, e.what() );
        return -1;
      }
      g.get()->dropZValue();
      g.get()->dropMValue();
      if ( multi )
        g.convertToMultiType();
      insert.bindBlob( 1, gpkgGeometryBlob( g, project.srsId() ) );
    }
    else
      insert.bindNull( 1 );
    for ( int i = 0; i < names.size(); ++i )
      insert.bind( i + 2, sqlValue( f.attribute( i ) ) );
    if ( !insert.exec() )
    {
      *error = insert.errorString();
      return -1;
    }
    insert.reset();
    ++copied;
    if ( feedback && copied % 1024 == 0 )
    {
      feedback->setProgress( 100.0 * copied / total );
      if ( feedback->isCanceled() )
        return -1;
    }
  }
  if ( !project.refreshContents( table ) || !tx.commit() )
  {
    *error = db.errorString();
    return -1;
  }
  return copied;
}
} // namespace

QStringList layerTargets()
{
  QStringList targets = kindNames();
  targets << kExtraTarget << kSkipTarget;
  return targets;
}

QVector<SourceLayerInfo> listSourceLayers( const QString &path, QString *error )
{
  QVector<SourceLayerInfo> layers;
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx( ogrUri( path ).toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr );
  if ( !ds )
  {
    *error = QObject::tr( "%1 is not a vector data source OGR can read." ).arg( QFileInfo( path ).fileName() );
    return layers;
  }
  const int count = GDALDatasetGetLayerCount( ds );
  for ( int i = 0; i < count; ++i )
  {
    OGRLayerH layer = GDALDatasetGetLayer( ds, i );
    SourceLayerInfo info;
    info.name = QString::fromUtf8( OGR_L_GetName( layer ) );
    info.geometry = geometryName( OGR_L_GetGeomType( layer ) );
    info.features = OGR_L_GetFeatureCount( layer, TRUE );
    if ( OGRSpatialReferenceH srs = OGR_L_GetSpatialRef( layer ) )
    {
      char *wkt = nullptr;
      if ( OSRExportToWkt( srs, &wkt ) == OGRERR_NONE && wkt )
        info.crs = QgsCoordinateReferenceSystem::fromWkt( QString::fromUtf8( wkt ) );
      CPLFree( wkt );
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn( layer );
    for ( int f = 0; f < OGR_FD_GetFieldCount( defn ); ++f )
      info.fields << QString::fromUtf8( OGR_Fld_GetNameRef( OGR_FD_GetFieldDefn( defn, f ) ) );
    suggest( info );
    layers << info;
  }
  GDALClose( ds );
  if ( layers.isEmpty() )
    *error = QObject::tr( "%1 has no vector layers." ).arg( QFileInfo( path ).fileName() );
  return layers;
}

QgsCoordinateReferenceSystem suggestProjectCrs( const QString &path, const QVector<SourceLayerInfo> &layers )
{
  for ( const SourceLayerInfo &l : layers )
  {
    if ( l.crs.isValid() && !l.crs.isGeographic() && l.geometry != QLatin1String( "none" ) )
      return l.crs;
  }
  // Geographic data: the UTM zone of the centre of the first layer with features.
  for ( const SourceLayerInfo &l : layers )
  {
    if ( l.geometry == QLatin1String( "none" ) || l.features == 0 )
      continue;
    QString error;
    std::unique_ptr<QgsVectorLayer> layer = openOgrLayer( path, l.name, &error );
    if ( !layer )
      continue;
    QgsRectangle extent = layer->extent();
    try
    {
      QgsCoordinateTransform ct( layer->crs(), QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:4326" ) ), QgsProject::instance() );
      extent = ct.transformBoundingBox( extent );
    }
    catch ( QgsCsException & )
    {
      continue;
    }
    if ( extent.isNull() || !std::isfinite( extent.center().x() ) )
      continue;
    const int zone = std::clamp( static_cast<int>( std::floor( ( extent.center().x() + 180.0 ) / 6.0 ) ) + 1, 1, 60 );
    return QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:%1" ).arg( ( extent.center().y() >= 0 ? 32600 : 32700 ) + zone ) );
  }
  return QgsCoordinateReferenceSystem();
}

QString ProjectFromSourceResult::toText() const
{
  QStringList lines;
  for ( const ImportSummary &s : imports )
    lines << QStringLiteral( "%1 (%2): %3" ).arg( s.sourceFile, s.kind, s.toText().simplified() );
  for ( auto it = extraTables.constBegin(); it != extraTables.constEnd(); ++it )
    lines << QObject::tr( "%1: %2 features copied as the layer %3" ).arg( it.key() ).arg( extraFeatures.value( it.key() ) ).arg( it.value() );
  if ( !ok )
    lines << ( canceled ? QObject::tr( "Canceled: no project was created." ) : QObject::tr( "Failed: %1 No project was created." ).arg( error ) );
  return lines.join( QLatin1Char( '\n' ) );
}

ProjectFromSourceResult createProjectFromSource( const ProjectFromSourcePlan &plan, QgsFeedback *feedback )
{
  ProjectFromSourceResult result;
  QString error;
  const QVector<SourceLayerInfo> layers = listSourceLayers( plan.sourcePath, &error );
  if ( layers.isEmpty() )
  {
    result.error = error;
    return result;
  }
  if ( !plan.crs.isValid() || plan.crs.isGeographic() )
  {
    result.error = QObject::tr( "The project needs a projected CRS in metres or feet." );
    return result;
  }
  QVector<SourceLayerInfo> todo;
  for ( const SourceLayerInfo &l : layers )
  {
    const QString target = plan.targets.value( l.name, kSkipTarget );
    if ( target == kSkipTarget )
      continue;
    if ( !layerTargets().contains( target ) )
    {
      result.error = QObject::tr( "Unknown target \"%1\" for layer %2." ).arg( target, l.name );
      return result;
    }
    todo << l;
  }
  ProjectSettings settings;
  settings.cityName = plan.cityName;
  settings.crs = plan.crs;
  settings.timeZone = plan.timeZone;
  std::unique_ptr<ProjectFile> project = ProjectFile::create( plan.projectPath, settings, &result.error );
  if ( !project )
    return result;
  auto fail = [&]( const QString &message ) {
    result.error = message;
    result.canceled = feedback && feedback->isCanceled();
    project.reset();
    QFile::remove( plan.projectPath );
    return result;
  };

  for ( int i = 0; i < todo.size(); ++i )
  {
    const SourceLayerInfo &l = todo.at( i );
    const QString target = plan.targets.value( l.name );
    // One child feedback per layer: progress scaled into this layer's share, cancel forwarded.
    QgsFeedback step;
    if ( feedback )
    {
      QObject::connect( &step, &QgsFeedback::progressChanged, feedback, [feedback, i, n = todo.size()]( double p ) { feedback->setProgress( ( i + p / 100.0 ) * 100.0 / n ); } );
      if ( feedback->isCanceled() )
        return fail( QObject::tr( "Canceled." ) );
      QObject::connect( feedback, &QgsFeedback::canceled, &step, &QgsFeedback::cancel );
    }
    if ( target == kExtraTarget )
    {
      QString table = QStringLiteral( "layer_" ) + sanitizedTableName( l.name ).remove( QRegularExpression( QStringLiteral( "^_+" ) ) );
      while ( project->database().tableExists( table ) )
        table += QLatin1Char( '_' );
      const qint64 copied = copyLayer( *project, plan.sourcePath, l.name, table, &step, &error );
      if ( copied < 0 )
        return fail( step.isCanceled() ? QObject::tr( "Canceled." ) : QObject::tr( "Layer %1: %2" ).arg( l.name, error ) );
      result.extraTables.insert( l.name, table );
      result.extraFeatures.insert( l.name, copied );
      continue;
    }
    ImportKind kind = ImportKind::Crime;
    kindFromName( target, &kind );
    ImportOptions options;
    options.kind = kind;
    options.filePath = plan.sourcePath;
    options.layerName = l.name;
    const ImportSummary summary = Importer( *project ).run( options, &step );
    result.imports << summary;
    if ( !summary.ok )
      return fail( summary.canceled ? QObject::tr( "Canceled." ) : QObject::tr( "Layer %1: %2" ).arg( l.name, summary.error ) );
  }

  // The map: the default layers, then the copied ones in their own group.
  if ( !result.extraTables.isEmpty() )
  {
    QgsProject map;
    if ( !ProjectLayers::load( plan.projectPath, &map, &error ) )
      return fail( error );
    for ( const SourceLayerInfo &l : std::as_const( todo ) )
    {
      if ( !result.extraTables.contains( l.name ) )
        continue;
      if ( !ProjectLayers::addTableLayer( plan.projectPath, &map, result.extraTables.value( l.name ), l.name, kOtherLayersGroup, &error ) )
        return fail( error );
    }
    if ( !ProjectLayers::store( plan.projectPath, &map, &error ) )
      return fail( error );
  }
  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  return result;
}

} // namespace statdesk::ingest
