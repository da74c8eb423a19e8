/**
 * \file SourceGpkgFixture.h
 * A plain GeoPackage (not a project) with the kinds of layers a city hands out: neighborhood
 * polygons, the Kansas City dangerous-building list as points, street lights no city layout
 * knows, and a table without geometries.
 */
#pragma once

#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDate>
#include <QFile>

#include <qgsproject.h>
#include <qgsvectorfilewriter.h>
#include <qgsvectorlayer.h>

#include <memory>

namespace statdesk::test
{
//! Writes \a layer as layer \a name of the GeoPackage \a path (added when the file exists).
inline bool writeLayer( QgsVectorLayer *layer, const QString &path, const QString &name )
{
  QgsVectorFileWriter::SaveVectorOptions options;
  options.driverName = QStringLiteral( "GPKG" );
  options.layerName = name;
  options.actionOnExistingFile = QFile::exists( path ) ? QgsVectorFileWriter::CreateOrOverwriteLayer : QgsVectorFileWriter::CreateOrOverwriteFile;
  QString error;
  const auto rc = QgsVectorFileWriter::writeAsVectorFormatV3( layer, path, QgsProject::instance()->transformContext(), options, &error );
  if ( rc != QgsVectorFileWriter::NoError )
    qWarning() << error;
  return rc == QgsVectorFileWriter::NoError;
}

//! The three Kansas City dangerous buildings of tests/data/kc as a WGS 84 point layer.
inline std::unique_ptr<QgsVectorLayer> dangerousBuildings()
{
  auto layer = std::make_unique<QgsVectorLayer>(
      QStringLiteral( "Point?crs=EPSG:4326&field=casenumber:string&field=address:string&field=zip_code:string&field=case_opened:string"
                      "&field=kivapin:string&field=statusofcase:string&field=neighborhood:string" ),
      QStringLiteral( "dangerous" ), QStringLiteral( "memory" ) );
  QFile csv( statdesk::test::testData( QStringLiteral( "kc/dangerous_buildings.csv" ) ) );
  if ( !csv.open( QIODevice::ReadOnly ) )
    return nullptr;
  csv.readLine();
  QgsFeatureList features;
  while ( !csv.atEnd() )
  {
    const QStringList cells = QString::fromUtf8( csv.readLine() ).trimmed().split( QLatin1Char( ',' ) );
    if ( cells.size() < 9 )
      continue;
    QgsFeature f( layer->fields() );
    for ( int i = 0; i < 7; ++i )
      f.setAttribute( i, cells.at( i ) );
    f.setGeometry( QgsGeometry::fromPointXY( QgsPointXY( cells.at( 8 ).toDouble(), cells.at( 7 ).toDouble() ) ) );
    features << f;
  }
  layer->dataProvider()->addFeatures( features );
  return layer;
}

//! Writes the four layers into the new GeoPackage \a path; false on failure.
inline bool writeCityLayersGpkg( const QString &path )
{
  // Two neighborhood squares in Kansas City, the dangerous buildings, street lights (no city
  // layout knows them) and a table without geometries.
  QgsVectorLayer nbh( QStringLiteral( "Polygon?crs=EPSG:4326&field=nbh_name:string&field=nbh_id:integer" ), QStringLiteral( "n" ), QStringLiteral( "memory" ) );
  QgsFeatureList polygons;
  for ( int i = 0; i < 2; ++i )
  {
    QgsFeature f( nbh.fields() );
    f.setAttributes( QgsAttributes() << ( i == 0 ? QStringLiteral( "Santa Fe" ) : QStringLiteral( "Blue Hills" ) ) << i + 1 );
    const double x0 = -94.56 + i * 0.02;
    f.setGeometry( QgsGeometry::fromWkt( QStringLiteral( "POLYGON((%1 39.02, %2 39.02, %2 39.04, %1 39.04, %1 39.02))" ).arg( x0 ).arg( x0 + 0.02 ) ) );
    polygons << f;
  }
  nbh.dataProvider()->addFeatures( polygons );
  if ( !( writeLayer( &nbh, path, QStringLiteral( "kc_neighborhoods" ) ) ) )
    return false;
  std::unique_ptr<QgsVectorLayer> dangerous = dangerousBuildings();
  if ( !( dangerous && dangerous->featureCount() == 3 ) )
    return false;
  if ( !( writeLayer( dangerous.get(), path, QStringLiteral( "dangerous_buildings_2025" ) ) ) )
    return false;
  QgsVectorLayer lights( QStringLiteral( "Point?crs=EPSG:4326&field=pole_id:integer&field=lumens:double&field=installed:date" ), QStringLiteral( "l" ), QStringLiteral( "memory" ) );
  QgsFeatureList poles;
  for ( int i = 0; i < 5; ++i )
  {
    QgsFeature f( lights.fields() );
    f.setAttributes( QgsAttributes() << 100 + i << 1500.5 + i << QDate( 2024, 1, i + 1 ) );
    f.setGeometry( QgsGeometry::fromPointXY( QgsPointXY( -94.55 + i * 0.001, 39.03 ) ) );
    poles << f;
  }
  lights.dataProvider()->addFeatures( poles );
  if ( !( writeLayer( &lights, path, QStringLiteral( "street lights" ) ) ) )
    return false;
  QgsVectorLayer notes( QStringLiteral( "None?field=note:string" ), QStringLiteral( "t" ), QStringLiteral( "memory" ) );
  QgsFeature note( notes.fields() );
  note.setAttributes( QgsAttributes() << QStringLiteral( "kept in the source only" ) );
  QgsFeatureList noteList { note };
  notes.dataProvider()->addFeatures( noteList );
  if ( !( writeLayer( &notes, path, QStringLiteral( "notes" ) ) ) )
    return false;
  return true;
}

} // namespace statdesk::test
