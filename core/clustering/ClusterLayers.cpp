#include "clustering/ClusterLayers.h"

#include "common/Compat.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>

#include <qgscategorizedsymbolrenderer.h>
#include <qgscoordinatetransformcontext.h>
#include <qgsfillsymbol.h>
#include <qgslinesymbol.h>
#include <qgspallabeling.h>
#include <qgssinglesymbolrenderer.h>
#include <qgstextbuffersettings.h>
#include <qgstextformat.h>
#include <qgsvectorfilewriter.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

#include <cmath>

namespace statdesk::clustering
{

namespace
{
struct FieldSpec
{
  const char *name;
  compat::VariantType type;
};

QgsFields makeFields( std::initializer_list<FieldSpec> specs )
{
  QgsFields fields;
  for ( const FieldSpec &s : specs )
    fields.append( QgsField( QString::fromLatin1( s.name ), s.type ) );
  return fields;
}

//! Attribute values set by field name, in the fields' order.
class Row
{
public:
  explicit Row( const QgsFields &fields )
      : mFields( fields ), mValues( fields.count() ) {}
  Row &set( const char *name, const QVariant &value )
  {
    const int i = mFields.indexOf( QString::fromLatin1( name ) );
    if ( i >= 0 )
      mValues[i] = value;
    return *this;
  }
  QgsAttributes values() const { return mValues; }

private:
  QgsFields mFields;
  QgsAttributes mValues;
};

//! Reads attribute values by field name.
class Reader
{
public:
  Reader( const QgsFields &fields, const QgsAttributes &values )
      : mFields( fields ), mValues( values ) {}
  QVariant operator()( const char *name ) const
  {
    const int i = mFields.indexOf( QString::fromLatin1( name ) );
    return i >= 0 && i < mValues.size() ? mValues.at( i ) : QVariant();
  }

private:
  QgsFields mFields;
  QgsAttributes mValues;
};

QVariant runId( const ClusterAnalysis &a )
{
  return a.runId >= 0 ? QVariant( a.runId ) : QVariant();
}

QVariant optionalText( const QString &s )
{
  return s.isEmpty() ? QVariant() : QVariant( s );
}

QString timeText( double seconds, const QTimeZone &tz )
{
  const QDateTime utc = QDateTime::fromMSecsSinceEpoch( static_cast<qint64>( std::llround( seconds * 1000.0 ) ), Qt::UTC );
  const QDateTime local = utc.toTimeZone( tz.isValid() ? tz : QTimeZone::utc() );
  return local.toOffsetFromUtc( local.offsetFromUtc() ).toString( Qt::ISODate );
}

PersistenceClass parsePersistenceClass( const QString &name )
{
  for ( PersistenceClass c : { PersistenceClass::Persistent, PersistenceClass::Emerging, PersistenceClass::Former, PersistenceClass::Intermittent } )
    if ( persistenceClassName( c ) == name )
      return c;
  return PersistenceClass::None;
}

std::unique_ptr<QgsVectorLayer> memoryLayer( const QString &geometry, const QgsFields &fields, const QString &name, const QgsCoordinateReferenceSystem &crs,
                                             const ClusterAnalysis &analysis )
{
  auto layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "%1?crs=%2" ).arg( geometry, crs.authid() ), name, QStringLiteral( "memory" ) );
  layer->setCrs( crs );
  layer->dataProvider()->addAttributes( fields.toList() );
  layer->updateFields();
  // No "statdesk/table": that marks layers backed by the project file (Save As re-points those).
  layer->setCustomProperty( QStringLiteral( "statdesk/role" ), kClusterResultRole );
  layer->setCustomProperty( runProperty(), analysis.runId );
  return layer;
}

void addFeatures( QgsVectorLayer *layer, QgsFeatureList &features )
{
  layer->dataProvider()->addFeatures( features );
  layer->updateExtents();
}

QgsFillSymbol *cellSymbol( const QString &color, bool outline )
{
  return QgsFillSymbol::createSimple( { { QStringLiteral( "color" ), color },
                                        { QStringLiteral( "outline_color" ), outline ? QStringLiteral( "255,255,255,160" ) : QStringLiteral( "0,0,0,0" ) },
                                        { QStringLiteral( "outline_width" ), QStringLiteral( "0.1" ) } } );
}
} // namespace

const char *runProperty()
{
  return "statdesk/run";
}

QgsFields clusterPolygonFields()
{
  return makeFields( { { "run_id", compat::kLongLong },
                       { "cluster_id", compat::kInt },
                       { "cluster_label", compat::kString },
                       { "cluster_order", compat::kInt },
                       { "method", compat::kString },
                       { "detail", compat::kString },
                       { "incidents", compat::kInt },
                       { "distinct_addresses", compat::kInt },
                       { "repeat_addresses", compat::kString },
                       { "first_at", compat::kString },
                       { "last_at", compat::kString },
                       { "busiest_day", compat::kString },
                       { "busiest_hours", compat::kString },
                       { "hour_day", compat::kString },
                       { "offense_mix", compat::kString },
                       { "firearm", compat::kInt },
                       { "firearm_share", compat::kDouble },
                       { "persistence", compat::kString },
                       { "persistence_incidents", compat::kInt },
                       { "env_distance", compat::kDouble },
                       { "open_blight", compat::kInt },
                       { "open_blight_by_class", compat::kString },
                       { "vacant_parcels", compat::kInt },
                       { "dangerous_buildings", compat::kInt },
                       { "area", compat::kDouble },
                       { "centre_x", compat::kDouble },
                       { "centre_y", compat::kDouble } } );
}

QgsAttributes clusterPolygonAttributes( const ClusterAnalysis &analysis, const ClusterRecord &c )
{
  Row row( clusterPolygonFields() );
  row.set( "run_id", runId( analysis ) )
      .set( "cluster_id", c.id + 1 )
      .set( "cluster_label", c.label )
      .set( "cluster_order", c.order )
      .set( "method", clusterMethodName( analysis.spec.method ) )
      .set( "detail", c.detail )
      .set( "incidents", static_cast<int>( c.fids.size() ) )
      .set( "area", c.area )
      .set( "centre_x", c.centre.x() )
      .set( "centre_y", c.centre.y() );
  if ( c.hasCard )
  {
    const ClusterCard &k = c.card;
    row.set( "incidents", static_cast<int>( k.incidents ) )
        .set( "distinct_addresses", k.distinctAddresses )
        .set( "repeat_addresses", countListText( k.repeatAddresses ) )
        .set( "first_at", k.first.isValid() ? QVariant( k.first.toOffsetFromUtc( k.first.offsetFromUtc() ).toString( Qt::ISODate ) ) : QVariant() )
        .set( "last_at", k.last.isValid() ? QVariant( k.last.toOffsetFromUtc( k.last.offsetFromUtc() ).toString( Qt::ISODate ) ) : QVariant() )
        .set( "busiest_day", optionalText( k.busiestDay() ) )
        .set( "busiest_hours", optionalText( k.busiestHours() ) )
        .set( "hour_day", k.hourByDayText() )
        .set( "offense_mix", optionalText( countListText( k.offenseMix ) ) )
        .set( "firearm", k.firearm >= 0 ? QVariant( k.firearm ) : QVariant() )
        .set( "firearm_share", k.firearm >= 0 ? QVariant( k.firearmShare() ) : QVariant() )
        .set( "persistence", optionalText( k.persistence ) )
        .set( "persistence_incidents", k.persistenceIncidents )
        .set( "env_distance", k.environmentDistance )
        .set( "open_blight", k.openBlight )
        .set( "open_blight_by_class", countListText( k.openBlightByClass ) )
        .set( "vacant_parcels", k.vacantParcels )
        .set( "dangerous_buildings", k.dangerousBuildings );
  }
  return row.values();
}

void readClusterPolygonAttributes( const QgsAttributes &attributes, ClusterRecord *c )
{
  const Reader value( clusterPolygonFields(), attributes );
  c->id = value( "cluster_id" ).toInt() - 1;
  c->label = value( "cluster_label" ).toString();
  c->order = value( "cluster_order" ).toInt();
  c->detail = value( "detail" ).toString();
  c->area = value( "area" ).toDouble();
  c->centre = QgsPointXY( value( "centre_x" ).toDouble(), value( "centre_y" ).toDouble() );
  ClusterCard &k = c->card;
  k = ClusterCard();
  k.incidents = value( "incidents" ).toInt();
  k.distinctAddresses = value( "distinct_addresses" ).toInt();
  k.repeatAddresses = parseCountList( value( "repeat_addresses" ).toString() );
  k.first = QDateTime::fromString( value( "first_at" ).toString(), Qt::ISODate );
  k.last = QDateTime::fromString( value( "last_at" ).toString(), Qt::ISODate );
  k.setHourByDayText( value( "hour_day" ).toString() );
  k.offenseMix = parseCountList( value( "offense_mix" ).toString() );
  k.firearm = value( "firearm" ).isNull() ? -1 : value( "firearm" ).toInt();
  k.persistence = value( "persistence" ).toString();
  k.persistenceIncidents = value( "persistence_incidents" ).toInt();
  k.environmentDistance = value( "env_distance" ).toDouble();
  k.openBlight = value( "open_blight" ).toInt();
  k.openBlightByClass = parseCountList( value( "open_blight_by_class" ).toString() );
  k.vacantParcels = value( "vacant_parcels" ).toInt();
  k.dangerousBuildings = value( "dangerous_buildings" ).toInt();
  c->hasCard = !value( "env_distance" ).isNull();
}

QgsFields clusterCellFields()
{
  return makeFields( { { "run_id", compat::kLongLong },
                       { "cell", compat::kLongLong },
                       { "col", compat::kInt },
                       { "row", compat::kInt },
                       { "count", compat::kDouble },
                       { "z", compat::kDouble },
                       { "p", compat::kDouble },
                       { "bin", compat::kInt },
                       { "persistence", compat::kString },
                       { "hot_periods", compat::kInt },
                       { "hot_earlier", compat::kInt },
                       { "hot_recent", compat::kInt } } );
}

QgsAttributes clusterCellAttributes( const ClusterAnalysis &analysis, const ClusterCell &cell )
{
  const bool gi = analysis.spec.method == ClusterMethod::GiStar;
  Row row( clusterCellFields() );
  row.set( "run_id", runId( analysis ) ).set( "cell", cell.cell ).set( "col", cell.column ).set( "row", cell.row ).set( "count", cell.count );
  if ( gi )
    row.set( "z", std::isfinite( cell.z ) ? QVariant( cell.z ) : QVariant() ).set( "p", cell.p ).set( "bin", cell.bin );
  else
    row.set( "persistence", persistenceClassName( cell.persistence ) ).set( "hot_periods", cell.hotPeriods ).set( "hot_earlier", cell.hotEarlier ).set( "hot_recent", cell.hotRecent );
  return row.values();
}

void readClusterCellAttributes( const QgsAttributes &attributes, ClusterCell *cell )
{
  const Reader value( clusterCellFields(), attributes );
  cell->cell = value( "cell" ).toLongLong();
  cell->column = value( "col" ).toInt();
  cell->row = value( "row" ).toInt();
  cell->count = value( "count" ).toDouble();
  cell->z = value( "z" ).isNull() ? std::nan( "" ) : value( "z" ).toDouble();
  cell->p = value( "p" ).isNull() ? 1.0 : value( "p" ).toDouble();
  cell->bin = value( "bin" ).toInt();
  cell->persistence = parsePersistenceClass( value( "persistence" ).toString() );
  cell->hotPeriods = value( "hot_periods" ).toInt();
  cell->hotEarlier = value( "hot_earlier" ).toInt();
  cell->hotRecent = value( "hot_recent" ).toInt();
}

QgsFields clusterChainFields()
{
  return makeFields( { { "run_id", compat::kLongLong },
                       { "chain_id", compat::kInt },
                       { "events", compat::kInt },
                       { "first_at", compat::kString },
                       { "last_at", compat::kString },
                       { "days", compat::kDouble } } );
}

QgsAttributes clusterChainAttributes( const ClusterAnalysis &analysis, const ClusterChain &chain, const QTimeZone &timeZone )
{
  Row row( clusterChainFields() );
  row.set( "run_id", runId( analysis ) )
      .set( "chain_id", chain.id + 1 )
      .set( "events", chain.events )
      .set( "first_at", timeText( chain.firstSeconds, timeZone ) )
      .set( "last_at", timeText( chain.lastSeconds, timeZone ) )
      .set( "days", ( chain.lastSeconds - chain.firstSeconds ) / 86400.0 );
  return row.values();
}

QString sqlColumns( const QgsFields &fields )
{
  QStringList columns;
  for ( const QgsField &f : fields )
  {
    QString type = QStringLiteral( "TEXT" );
    if ( f.type() == compat::kInt || f.type() == compat::kLongLong )
      type = QStringLiteral( "INTEGER" );
    else if ( f.type() == compat::kDouble )
      type = QStringLiteral( "REAL" );
    columns << QStringLiteral( "\"%1\" %2" ).arg( f.name(), type );
  }
  return columns.join( QStringLiteral( ", " ) );
}

std::unique_ptr<QgsVectorLayer> makeClusterPolygonLayer( const ClusterAnalysis &analysis, const QgsCoordinateReferenceSystem &crs )
{
  const QgsFields fields = clusterPolygonFields();
  auto layer = memoryLayer( QStringLiteral( "MultiPolygon" ), fields, QObject::tr( "Clusters" ), crs, analysis );
  QgsFeatureList features;
  for ( const ClusterRecord &c : analysis.clusters )
  {
    QgsFeature f( fields );
    QgsGeometry g = c.polygon;
    g.convertToMultiType();
    f.setGeometry( g );
    f.setAttributes( clusterPolygonAttributes( analysis, c ) );
    features << f;
  }
  addFeatures( layer.get(), features );
  return layer;
}

std::unique_ptr<QgsVectorLayer> makeClusterCellLayer( const ClusterAnalysis &analysis, const QgsCoordinateReferenceSystem &crs )
{
  const QgsFields fields = clusterCellFields();
  auto layer = memoryLayer( QStringLiteral( "Polygon" ), fields, QObject::tr( "Grid cells" ), crs, analysis );
  QgsFeatureList features;
  for ( const ClusterCell &c : analysis.cells )
  {
    QgsFeature f( fields );
    f.setGeometry( QgsGeometry::fromRect( analysis.grid.cellRect( static_cast<std::size_t>( c.cell ) ) ) );
    f.setAttributes( clusterCellAttributes( analysis, c ) );
    features << f;
  }
  addFeatures( layer.get(), features );
  return layer;
}

std::unique_ptr<QgsVectorLayer> makeClusterChainLayer( const ClusterAnalysis &analysis, const QgsCoordinateReferenceSystem &crs, const QTimeZone &timeZone )
{
  const QgsFields fields = clusterChainFields();
  auto layer = memoryLayer( QStringLiteral( "LineString" ), fields, QObject::tr( "Near-repeat chains" ), crs, analysis );
  QgsFeatureList features;
  for ( const ClusterChain &c : analysis.chains )
  {
    QgsFeature f( fields );
    f.setGeometry( c.line );
    f.setAttributes( clusterChainAttributes( analysis, c, timeZone ) );
    features << f;
  }
  addFeatures( layer.get(), features );
  return layer;
}

void styleClusterPolygons( QgsVectorLayer *layer )
{
  QgsFillSymbol *symbol = QgsFillSymbol::createSimple( { { QStringLiteral( "color" ), QStringLiteral( "255,127,0,55" ) },
                                                         { QStringLiteral( "outline_color" ), QStringLiteral( "179,0,0,255" ) },
                                                         { QStringLiteral( "outline_width" ), QStringLiteral( "0.6" ) } } );
  layer->setRenderer( new QgsSingleSymbolRenderer( symbol ) );
  QgsPalLayerSettings settings;
  settings.fieldName = QStringLiteral( "cluster_label" );
  settings.placement = QgsPalLayerSettings::OverPoint;
  QgsTextFormat format;
  QFont font = format.font();
  font.setBold( true );
  format.setFont( font );
  format.setSize( 9 );
  format.setColor( QColor( 120, 0, 0 ) );
  QgsTextBufferSettings buffer;
  buffer.setEnabled( true );
  buffer.setSize( 1 );
  buffer.setColor( QColor( 255, 255, 255, 220 ) );
  format.setBuffer( buffer );
  settings.setFormat( format );
  layer->setLabeling( new QgsVectorLayerSimpleLabeling( settings ) );
  layer->setLabelsEnabled( true );
}

void styleClusterCells( QgsVectorLayer *layer, ClusterMethod method )
{
  QgsCategoryList categories;
  if ( method == ClusterMethod::Persistence )
  {
    const QList<QPair<PersistenceClass, QString>> classes{ { PersistenceClass::Persistent, QStringLiteral( "178,24,43,200" ) },
                                                           { PersistenceClass::Emerging, QStringLiteral( "239,138,98,200" ) },
                                                           { PersistenceClass::Intermittent, QStringLiteral( "253,219,199,200" ) },
                                                           { PersistenceClass::Former, QStringLiteral( "103,169,207,200" ) } };
    for ( const auto &c : classes )
      categories << QgsRendererCategory( persistenceClassName( c.first ), cellSymbol( c.second, true ), persistenceClassName( c.first ) );
    categories << QgsRendererCategory( persistenceClassName( PersistenceClass::None ), cellSymbol( QStringLiteral( "0,0,0,0" ), false ), QObject::tr( "not a hot spot" ), false );
    layer->setRenderer( new QgsCategorizedSymbolRenderer( QStringLiteral( "persistence" ), categories ) );
    return;
  }
  // ArcGIS's hot spot colours, hot 99% first.
  const QList<QPair<int, QString>> bins{ { 3, QStringLiteral( "214,47,39,210" ) }, { 2, QStringLiteral( "237,117,81,210" ) }, { 1, QStringLiteral( "250,185,132,210" ) }, { 0, QStringLiteral( "0,0,0,0" ) }, { -1, QStringLiteral( "192,204,190,210" ) }, { -2, QStringLiteral( "132,158,186,210" ) }, { -3, QStringLiteral( "69,117,181,210" ) } };
  const QStringList confidence{ QStringLiteral( "90%" ), QStringLiteral( "95%" ), QStringLiteral( "99%" ) };
  for ( const auto &b : bins )
  {
    QString label = QObject::tr( "not significant" );
    if ( b.first > 0 )
      label = QObject::tr( "hot spot, %1 confidence" ).arg( confidence[b.first - 1] );
    else if ( b.first < 0 )
      label = QObject::tr( "cold spot, %1 confidence" ).arg( confidence[-b.first - 1] );
    categories << QgsRendererCategory( b.first, cellSymbol( b.second, b.first != 0 ), label, b.first != 0 );
  }
  layer->setRenderer( new QgsCategorizedSymbolRenderer( QStringLiteral( "bin" ), categories ) );
}

void styleClusterChains( QgsVectorLayer *layer )
{
  QgsLineSymbol *symbol = QgsLineSymbol::createSimple( { { QStringLiteral( "line_color" ), QStringLiteral( "106,61,154,230" ) },
                                                         { QStringLiteral( "line_width" ), QStringLiteral( "0.7" ) } } );
  layer->setRenderer( new QgsSingleSymbolRenderer( symbol ) );
}

bool exportClusters( const ClusterAnalysis &analysis, const QgsCoordinateReferenceSystem &crs, const QString &path, QString *error )
{
  const QFileInfo info( path );
  const QString suffix = info.suffix().toLower();
  if ( suffix != QLatin1String( "gpkg" ) && suffix != QLatin1String( "csv" ) )
  {
    *error = QObject::tr( "export to a .gpkg or .csv file (got %1)" ).arg( path );
    return false;
  }
  if ( !info.absoluteDir().exists() )
  {
    *error = QObject::tr( "the folder of %1 does not exist" ).arg( path );
    return false;
  }
  std::unique_ptr<QgsVectorLayer> layer = makeClusterPolygonLayer( analysis, crs );
  const QString part = info.absoluteDir().filePath( QStringLiteral( ".%1.part.%2" ).arg( info.completeBaseName(), suffix ) );
  QFile::remove( part );
  QgsVectorFileWriter::SaveVectorOptions options;
  options.driverName = suffix == QLatin1String( "gpkg" ) ? QStringLiteral( "GPKG" ) : QStringLiteral( "CSV" );
  options.fileEncoding = QStringLiteral( "UTF-8" );
  options.layerName = QStringLiteral( "clusters" );
  if ( suffix == QLatin1String( "csv" ) )
    options.layerOptions = QStringList{ QStringLiteral( "GEOMETRY=AS_WKT" ) };
  QString message;
  const QgsVectorFileWriter::WriterError written = QgsVectorFileWriter::writeAsVectorFormatV3( layer.get(), part, QgsCoordinateTransformContext(), options, &message );
  if ( written != QgsVectorFileWriter::NoError )
  {
    QFile::remove( part );
    *error = QObject::tr( "cannot write %1: %2" ).arg( path, message );
    return false;
  }
  QFile::remove( path );
  if ( !QFile::rename( part, path ) )
  {
    QFile::remove( part );
    *error = QObject::tr( "cannot write %1" ).arg( path );
    return false;
  }
  return true;
}

} // namespace statdesk::clustering
