#include "ingest/OgrSource.h"

#include "grants/GrantCsv.h"

#include <QDate>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>

#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgsfeedback.h>
#include <qgsgeometry.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

namespace statdesk::ingest
{

bool isOgrSource( const QString &path )
{
  static const QStringList extensions { QStringLiteral( "geojson" ), QStringLiteral( "json" ), QStringLiteral( "shp" ), QStringLiteral( "zip" ),
                                        QStringLiteral( "gpkg" ), QStringLiteral( "kml" ), QStringLiteral( "gml" ), QStringLiteral( "fgb" ),
                                        QStringLiteral( "sqlite" ), QStringLiteral( "gdb" ) };
  return path.startsWith( QLatin1String( "/vsi" ) ) || extensions.contains( QFileInfo( path ).suffix().toLower() );
}

QString ogrUri( const QString &path, const QString &layerName )
{
  QString uri = path;
  if ( !path.startsWith( QLatin1String( "/vsi" ) ) && path.endsWith( QLatin1String( ".zip" ), Qt::CaseInsensitive ) )
    uri = QStringLiteral( "/vsizip/" ) + QFileInfo( path ).absoluteFilePath();
  if ( !layerName.isEmpty() )
    uri += QStringLiteral( "|layername=" ) + layerName;
  return uri;
}

std::unique_ptr<QgsVectorLayer> openOgrLayer( const QString &path, const QString &layerName, QString *error )
{
  QgsVectorLayer::LayerOptions options;
  options.loadDefaultStyle = false;
  options.readExtentFromXml = false;
  auto layer = std::make_unique<QgsVectorLayer>( ogrUri( path, layerName ), QStringLiteral( "import" ), QStringLiteral( "ogr" ), options );
  if ( !layer->isValid() )
  {
    const QString name = QFileInfo( path ).fileName();
    *error = layerName.isEmpty() ? QObject::tr( "%1 is not a vector data source OGR can read (GeoJSON, Shapefile, zipped Shapefile, GeoPackage ...)." ).arg( name )
                                 : QObject::tr( "%1 has no layer \"%2\" that OGR can read." ).arg( name, layerName );
    return nullptr;
  }
  return layer;
}

namespace
{
QString cellText( const QVariant &v )
{
  if ( v.isNull() )
    return QString();
  switch ( v.type() )
  {
    case QVariant::Date:
      return v.toDate().toString( Qt::ISODate );
    case QVariant::DateTime:
      return v.toDateTime().toString( Qt::ISODate );
    case QVariant::Double:
      return QString::number( v.toDouble(), 'g', 15 );
    default:
      return v.toString();
  }
}
} // namespace

bool writeOgrAsCsv( QgsVectorLayer *layer, const QString &csvPath, qint64 maxFeatures, OgrCsvStats *stats, QString *error, QgsFeedback *feedback )
{
  OgrCsvStats local;
  OgrCsvStats &s = stats ? *stats : local;
  s = OgrCsvStats();
  const QgsFields fields = layer->fields();
  QStringList header;
  bool hasLocation = false;
  for ( const QgsField &f : fields )
  {
    header << f.name();
    hasLocation = hasLocation || f.name().compare( QLatin1String( "location" ), Qt::CaseInsensitive ) == 0;
  }
  s.locationColumn = hasLocation ? QStringLiteral( "statdesk_location" ) : QStringLiteral( "Location" );
  header << s.locationColumn;

  QSaveFile out( csvPath );
  if ( !out.open( QIODevice::WriteOnly ) )
  {
    *error = QObject::tr( "Cannot write %1: %2" ).arg( csvPath, out.errorString() );
    return false;
  }
  out.write( grants::csvLine( header ) );
  const bool geometry = layer->isSpatial();
  QgsCoordinateTransform toWgs84;
  if ( geometry )
    toWgs84 = QgsCoordinateTransform( layer->crs(), QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:4326" ) ), QgsProject::instance() );
  QgsFeatureRequest request;
  if ( maxFeatures >= 0 )
    request.setLimit( maxFeatures );
  if ( !geometry )
    request.setFlags( QgsFeatureRequest::NoGeometry );
  const qint64 total = std::max<qint64>( 1, layer->featureCount() );
  QgsFeatureIterator it = layer->getFeatures( request );
  QgsFeature f;
  while ( it.nextFeature( f ) )
  {
    QStringList row;
    row.reserve( header.size() );
    for ( const QVariant &v : f.attributes() )
      row << cellText( v );
    QString wkt;
    QgsGeometry g = f.geometry();
    if ( !g.isNull() && !g.isEmpty() )
    {
      if ( g.type() != QgsWkbTypes::PointGeometry )
      {
        g = g.pointOnSurface();
        ++s.reducedToPoint;
      }
      try
      {
        g.transform( toWgs84 );
        const QgsPointXY p = g.isMultipart() ? g.asMultiPoint().value( 0 ) : g.asPoint();
        wkt = QStringLiteral( "POINT (%1 %2)" ).arg( p.x(), 0, 'f', 8 ).arg( p.y(), 0, 'f', 8 );
      }
      catch ( QgsCsException & )
      {
        wkt.clear();
      }
    }
    if ( wkt.isEmpty() )
      ++s.withoutGeometry;
    row << wkt;
    out.write( grants::csvLine( row ) );
    ++s.features;
    if ( feedback && s.features % 4096 == 0 )
    {
      feedback->setProgress( 100.0 * s.features / total );
      if ( feedback->isCanceled() )
      {
        out.cancelWriting();
        *error = QObject::tr( "Canceled" );
        return false;
      }
    }
  }
  if ( !out.commit() )
  {
    *error = QObject::tr( "Cannot write %1: %2" ).arg( csvPath, out.errorString() );
    return false;
  }
  return true;
}

} // namespace statdesk::ingest

// --- Importer: point records from OGR sources --------------------------------------------------

#include "ingest/Importer.h"

#include <QTemporaryDir>

namespace statdesk::ingest
{

ImportSummary Importer::runOgrPoints( const ImportOptions &options, QgsFeedback *feedback )
{
  ImportSummary summary;
  summary.kind = kindName( options.kind );
  summary.sourceFile = sourceName( options );
  std::unique_ptr<QgsVectorLayer> layer = openOgrLayer( options.filePath, options.layerName, &summary.error );
  if ( !layer )
    return summary;
  QTemporaryDir dir;
  if ( !dir.isValid() )
  {
    summary.error = QObject::tr( "Cannot create a temporary folder: %1" ).arg( dir.errorString() );
    return summary;
  }
  // The features as CSV first (a fifth of the progress), then the CSV path does the rest with
  // its layouts, checks, rejects and transaction; line N of the CSV is feature N - 1.
  const QString csv = dir.filePath( QStringLiteral( "features.csv" ) );
  OgrCsvStats stats;
  QgsFeedback conversion;
  if ( feedback )
    QObject::connect( feedback, &QgsFeedback::canceled, &conversion, &QgsFeedback::cancel );
  if ( !writeOgrAsCsv( layer.get(), csv, -1, &stats, &summary.error, feedback ? &conversion : nullptr ) )
  {
    summary.canceled = feedback && feedback->isCanceled();
    return summary;
  }
  layer.reset();
  ImportOptions csvOptions = options;
  csvOptions.filePath = csv;
  csvOptions.sourceName = summary.sourceFile;
  summary = runCsv( csvOptions, feedback );
  if ( stats.reducedToPoint > 0 )
    summary.notes << QObject::tr( "%n line or polygon feature(s) placed at a point on their surface.", nullptr, static_cast<int>( stats.reducedToPoint ) );
  summary.notes << QObject::tr( "Read through OGR: CSV line numbers in the rejects are feature numbers + 1; the location column is %1." ).arg( stats.locationColumn );
  return summary;
}

ImportPreview Importer::previewOgrPoints( const QString &path, ImportKind kind, ProjectFile *project, const QString &mapping, int rows )
{
  ImportPreview p;
  std::unique_ptr<QgsVectorLayer> layer = openOgrLayer( path, QString(), &p.error );
  if ( !layer )
    return p;
  QTemporaryDir dir;
  const QString csv = dir.filePath( QStringLiteral( "preview.csv" ) );
  if ( !dir.isValid() || !writeOgrAsCsv( layer.get(), csv, rows, nullptr, &p.error ) )
    return p;
  const qint64 features = layer->featureCount();
  p = preview( csv, kind, project, mapping, rows );
  p.featureCount = features;
  return p;
}

} // namespace statdesk::ingest
