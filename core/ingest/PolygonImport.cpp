// Neighborhood and boundary polygons from any OGR source (part of Importer).
#include "Importer.h"
#include "Values.h"
#include "common/GpkgGeometry.h"
#include "ingest/OgrSource.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <qgscoordinatetransform.h>
#include <qgsdistancearea.h>
#include <qgsexception.h>
#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgsfeedback.h>
#include <qgsgeometry.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

namespace statdesk::ingest
{

namespace
{
std::unique_ptr<QgsVectorLayer> openPolygonLayer( const QString &path, const QString &layerName, QString *error )
{
  std::unique_ptr<QgsVectorLayer> layer = openOgrLayer( path, layerName, error );
  if ( layer && layer->geometryType() != QgsWkbTypes::PolygonGeometry )
  {
    *error = QObject::tr( "%1 holds %2 geometries, not polygons." ).arg( QFileInfo( path ).fileName(), QgsWkbTypes::geometryDisplayString( layer->geometryType() ) );
    return nullptr;
  }
  return layer;
}

int findField( const QgsFields &fields, const QStringList &candidates )
{
  for ( const QString &c : candidates )
  {
    for ( int i = 0; i < fields.count(); ++i )
      if ( fields.at( i ).name().compare( c, Qt::CaseInsensitive ) == 0 )
        return i;
  }
  return -1;
}

//! Polygons of \a g as one MultiPolygon (drops lines and points makeValid may leave).
QgsGeometry polygonsOnly( const QgsGeometry &g )
{
  if ( g.isNull() )
    return g;
  if ( QgsWkbTypes::geometryType( g.wkbType() ) == QgsWkbTypes::PolygonGeometry )
  {
    QgsGeometry out = g;
    out.convertToMultiType();
    return out;
  }
  QVector<QgsGeometry> parts;
  for ( const QgsGeometry &part : g.asGeometryCollection() )
    if ( part.type() == QgsWkbTypes::PolygonGeometry )
      parts << part;
  if ( parts.isEmpty() )
    return QgsGeometry();
  QgsGeometry out = QgsGeometry::collectGeometry( parts );
  out.convertToMultiType();
  return out;
}
} // namespace

ImportPreview Importer::previewPolygons( const QString &path, int rows )
{
  ImportPreview p;
  p.polygon = true;
  std::unique_ptr<QgsVectorLayer> layer = openPolygonLayer( path, QString(), &p.error );
  if ( !layer )
    return p;
  for ( const QgsField &f : layer->fields() )
    p.header << f.name();
  p.ogrFields = p.header;
  p.featureCount = layer->featureCount();
  QgsFeatureIterator it = layer->getFeatures( QgsFeatureRequest().setFlags( QgsFeatureRequest::NoGeometry ).setLimit( rows ) );
  QgsFeature f;
  while ( it.nextFeature( f ) )
  {
    QStringList row;
    for ( const QVariant &v : f.attributes() )
      row << v.toString();
    p.rows << row;
  }
  p.match.layoutId = QStringLiteral( "ogr" );
  p.match.title = QObject::tr( "%1 polygons (%2)" ).arg( p.featureCount ).arg( layer->dataProvider()->storageType() );
  p.match.score = 1;
  p.ok = true;
  return p;
}

ImportSummary Importer::runPolygons( const ImportOptions &options, QgsFeedback *feedback )
{
  ImportSummary summary;
  summary.kind = kindName( options.kind );
  summary.sourceFile = sourceName( options );
  summary.importId = QUuid::createUuid().toString( QUuid::WithoutBraces );
  const QString startedAt = mProject.formatDateTime( QDateTime::currentDateTime() );
  std::unique_ptr<QgsVectorLayer> layer = openPolygonLayer( options.filePath, options.layerName, &summary.error );
  if ( !layer )
    return summary;
  const bool neighborhoods = options.kind == ImportKind::Neighborhoods;
  const QgsFields fields = layer->fields();
  const int nameField = findField( fields, neighborhoods ? QStringList { QStringLiteral( "nbhname" ), QStringLiteral( "nbh_name" ), QStringLiteral( "name" ), QStringLiteral( "neighborhood" ), QStringLiteral( "nhood" ) }
                                                         : QStringList { QStringLiteral( "name" ), QStringLiteral( "districtordinal" ), QStringLiteral( "district_name" ), QStringLiteral( "label" ) } );
  const int idField = findField( fields, neighborhoods ? QStringList { QStringLiteral( "nbhid" ), QStringLiteral( "nbh_id" ), QStringLiteral( "cartodb_id" ), QStringLiteral( "gid" ), QStringLiteral( "objectid" ), QStringLiteral( "id" ) }
                                                       : QStringList { QStringLiteral( "district" ), QStringLiteral( "district_id" ), QStringLiteral( "division" ), QStringLiteral( "id" ), QStringLiteral( "objectid" ), QStringLiteral( "gid" ) } );
  if ( neighborhoods && nameField < 0 )
  {
    QStringList names;
    for ( const QgsField &f : fields )
      names << f.name();
    summary.error = QObject::tr( "No neighborhood name field (nbhname, name ...) in %1; fields: %2." ).arg( summary.sourceFile, names.join( QLatin1String( ", " ) ) );
    return summary;
  }
  QString boundaryKind = options.boundaryKind;
  if ( !neighborhoods && boundaryKind.isEmpty() )
  {
    if ( findField( fields, { QStringLiteral( "district" ), QStringLiteral( "council_district" ) } ) >= 0 )
      boundaryKind = QStringLiteral( "council_district" );
    else if ( findField( fields, { QStringLiteral( "division" ), QStringLiteral( "patrol_division" ) } ) >= 0 )
      boundaryKind = QStringLiteral( "patrol_division" );
    else if ( layer->featureCount() == 1 )
      boundaryKind = QStringLiteral( "city" );
    else
      boundaryKind = QStringLiteral( "other" );
  }
  summary.layoutId = neighborhoods ? QStringLiteral( "ogr-neighborhoods" ) : QStringLiteral( "ogr-boundary-%1" ).arg( boundaryKind );
  summary.layoutTitle = QObject::tr( "%1 (%2), name field %3, id field %4" )
                          .arg( neighborhoods ? QObject::tr( "Neighborhood polygons" ) : QObject::tr( "Boundary polygons: %1" ).arg( boundaryKind ),
                                layer->dataProvider()->storageType(), nameField >= 0 ? fields.at( nameField ).name() : QStringLiteral( "-" ),
                                idField >= 0 ? fields.at( idField ).name() : QStringLiteral( "-" ) );
  summary.provider = QStringLiteral( "ogr" );

  QgsCoordinateTransform ct( layer->crs(), mProject.crs(), QgsProject::instance() );
  QgsDistanceArea area;
  area.setSourceCrs( mProject.crs(), QgsProject::instance()->transformContext() );
  area.setEllipsoid( QStringLiteral( "EPSG:7030" ) );

  SqliteDatabase &db = mProject.database();
  SqliteTransaction tx( db );
  if ( !tx.isActive() )
  {
    summary.error = QObject::tr( "Cannot write to the project: %1" ).arg( db.errorString() );
    return summary;
  }
  const QString table = targetTable( options.kind );
  struct Existing
  {
      qint64 fid;
      QString hash;
      bool touched = false;
  };
  QHash<QString, Existing> existing;
  {
    SqliteStatement st( db, neighborhoods ? QStringLiteral( "SELECT nbh_id, fid, source FROM neighborhoods" )
                                          : QStringLiteral( "SELECT boundary_id, fid, source FROM boundaries WHERE kind = ?" ) );
    if ( !neighborhoods )
      st.bindText( 1, boundaryKind );
    while ( st.next() )
      existing.insert( st.text( 0 ), Existing { st.int64( 1 ), st.text( 2 ).section( QLatin1Char( '#' ), -1 ) } );
  }
  // Polygon layers have no row_hash column: the content hash rides in "source" after a '#'.
  SqliteStatement insertN( db, QStringLiteral( "INSERT INTO neighborhoods(geom, nbh_id, name, is_grant, area_sqkm, source) VALUES (?, ?, ?, 0, ?, ?)" ) );
  SqliteStatement updateN( db, QStringLiteral( "UPDATE neighborhoods SET geom = ?, nbh_id = ?, name = ?, area_sqkm = ?, source = ? WHERE fid = ?" ) );
  SqliteStatement insertB( db, QStringLiteral( "INSERT INTO boundaries(geom, boundary_id, name, source, kind) VALUES (?, ?, ?, ?, ?)" ) );
  SqliteStatement updateB( db, QStringLiteral( "UPDATE boundaries SET geom = ?, boundary_id = ?, name = ?, source = ?, kind = ? WHERE fid = ?" ) );
  SqliteStatement reject( db, QStringLiteral( "INSERT INTO import_rejects(import_id, source_file, line_no, raw_text, reason) VALUES (?, ?, ?, ?, ?)" ) );
  auto addReject = [&]( qint64 index, const QgsFeature &f, const QString &reason )
  {
    QJsonObject attributes;
    for ( int i = 0; i < fields.count(); ++i )
      attributes.insert( fields.at( i ).name(), QJsonValue::fromVariant( f.attribute( i ) ) );
    ++summary.rejected;
    summary.rejectedByReason[reason]++;
    reject.bindText( 1, summary.importId );
    reject.bindText( 2, summary.sourceFile );
    reject.bindInt64( 3, index );
    reject.bindText( 4, QString::fromUtf8( QJsonDocument( attributes ).toJson( QJsonDocument::Compact ) ) );
    reject.bindText( 5, reason );
    return reject.exec();
  };

  const qint64 total = std::max<qint64>( 1, layer->featureCount() );
  QgsFeatureIterator it = layer->getFeatures();
  QgsFeature f;
  qint64 index = 0;
  while ( it.nextFeature( f ) )
  {
    ++index;
    ++summary.rowsRead;
    if ( feedback )
    {
      feedback->setProgress( 99.0 * index / total );
      if ( feedback->isCanceled() )
      {
        summary.canceled = true;
        summary.error = QObject::tr( "Canceled." );
        return summary;
      }
    }
    QgsGeometry g = f.geometry();
    if ( g.isNull() || g.isEmpty() )
    {
      if ( !addReject( index, f, QStringLiteral( "no_geometry" ) ) )
        return summary.error = db.errorString(), summary;
      continue;
    }
    try
    {
      if ( g.transform( ct ) != Qgis::GeometryOperationResult::Success )
        throw QgsCsException( QStringLiteral( "transform failed" ) );
    }
    catch ( QgsCsException & )
    {
      if ( !addReject( index, f, QStringLiteral( "transform_failed" ) ) )
        return summary.error = db.errorString(), summary;
      continue;
    }
    if ( !g.isGeosValid() )
    {
      const QgsGeometry repaired = polygonsOnly( g.makeValid() );
      // A safe repair keeps a valid polygon and does not collapse it: a bow-tie or an unclosed
      // ring is fixed, a polygon whose repair loses half its (signed) area is not.
      const double before = std::fabs( g.area() );
      if ( repaired.isNull() || repaired.isEmpty() || !repaired.isGeosValid() || repaired.area() <= 0 || repaired.area() < 0.5 * before )
      {
        if ( !addReject( index, f, QStringLiteral( "invalid_geometry" ) ) )
          return summary.error = db.errorString(), summary;
        continue;
      }
      const QString name = nameField >= 0 ? f.attribute( nameField ).toString() : QString::number( index );
      summary.notes << QObject::tr( "Repaired an invalid polygon: %1 (feature %2)." ).arg( name ).arg( index );
      ++summary.repaired;
      g = repaired;
    }
    else
      g = polygonsOnly( g );
    if ( g.isNull() || g.area() <= 1e-6 )
    {
      // Degenerate rings (all points on a line) have no area to draw or count in.
      if ( !addReject( index, f, QStringLiteral( "zero_area" ) ) )
        return summary.error = db.errorString(), summary;
      continue;
    }
    QString id = idField >= 0 ? f.attribute( idField ).toString().trimmed() : QString();
    QString name = nameField >= 0 ? f.attribute( nameField ).toString().simplified() : QString();
    if ( id.isEmpty() )
      id = name.isEmpty() ? QString::number( index ) : name;
    if ( name.isEmpty() )
      name = neighborhoods ? id : QStringLiteral( "%1 %2" ).arg( boundaryKind, id );
    const QByteArray blob = gpkgGeometryBlob( g, mProject.srsId() );
    ContentHasher h;
    h.add( id.toUtf8() );
    h.add( name.toUtf8() );
    h.add( blob );
    const QString hash = QString::fromLatin1( hashToHex( h.value() ) );
    const QString source = summary.sourceFile + QLatin1Char( '#' ) + hash;
    auto e = existing.find( id );
    if ( e != existing.end() && e->touched )
      ++summary.merged;
    if ( e != existing.end() && e->hash == hash )
    {
      if ( !e->touched )
        ++summary.unchanged;
      e->touched = true;
      continue;
    }
    bool ok;
    if ( neighborhoods )
    {
      SqliteStatement &st = e != existing.end() ? updateN : insertN;
      st.bindBlob( 1, blob );
      st.bindText( 2, id );
      st.bindText( 3, name );
      st.bindDouble( 4, area.measureArea( g ) / 1e6 );
      st.bindText( 5, source );
      if ( e != existing.end() )
        st.bindInt64( 6, e->fid );
      ok = st.exec();
    }
    else
    {
      SqliteStatement &st = e != existing.end() ? updateB : insertB;
      st.bindBlob( 1, blob );
      st.bindText( 2, id );
      st.bindText( 3, name );
      st.bindText( 4, source );
      st.bindText( 5, boundaryKind );
      if ( e != existing.end() )
        st.bindInt64( 6, e->fid );
      ok = st.exec();
    }
    if ( !ok )
    {
      summary.error = QObject::tr( "Import failed, the project is unchanged: %1" ).arg( db.errorString() );
      return summary;
    }
    if ( e == existing.end() )
    {
      ++summary.imported;
      existing.insert( id, Existing { db.scalar( QStringLiteral( "SELECT last_insert_rowid()" ) ).toLongLong(), hash, true } );
    }
    else
    {
      if ( !e->touched )
        ++summary.updated;
      e->hash = hash;
      e->touched = true;
    }
  }
  summary.ok = true;
  QFile file( options.filePath );
  QCryptographicHash sha( QCryptographicHash::Sha256 );
  if ( file.open( QIODevice::ReadOnly ) )
    sha.addData( &file );
  if ( !writeImportLog( summary, QString::fromLatin1( sha.result().toHex() ), startedAt ) || !mProject.refreshContents( table ) || !mProject.refreshContents( schema::kImportLog ) || !mProject.refreshContents( schema::kImportRejects ) || !tx.commit() )
  {
    summary.ok = false;
    summary.error = QObject::tr( "Could not commit the import: %1" ).arg( db.errorString() );
    return summary;
  }
  if ( feedback )
    feedback->setProgress( 100 );
  return summary;
}

} // namespace statdesk::ingest
