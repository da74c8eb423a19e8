#include "BriefingLayers.h"
#include "BriefingData.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectLayers.h"

#include <QHash>

#include <qgscoordinatereferencesystem.h>
#include <qgsfeature.h>
#include <qgsfillsymbol.h>
#include <qgsgeometry.h>
#include <qgsgraduatedsymbolrenderer.h>
#include <qgspolygon.h>
#include <qgslinestring.h>
#include <qgsunittypes.h>
#include <qgsvectorlayer.h>

#include <cmath>

namespace statdesk
{

namespace
{
struct Axial
{
    int q = 0;
    int r = 0;
};

//! The pointy-top hexagon of circumradius \a size containing (x, y) (cube rounding).
Axial hexAt( double x, double y, double size )
{
  const double q = ( std::sqrt( 3.0 ) / 3.0 * x - 1.0 / 3.0 * y ) / size;
  const double r = ( 2.0 / 3.0 * y ) / size;
  const double s = -q - r;
  double rq = std::round( q ), rr = std::round( r ), rs = std::round( s );
  const double dq = std::abs( rq - q ), dr = std::abs( rr - r ), ds = std::abs( rs - s );
  if ( dq > dr && dq > ds )
    rq = -rr - rs;
  else if ( dr > ds )
    rr = -rq - rs;
  return Axial { static_cast<int>( rq ), static_cast<int>( rr ) };
}

QgsGeometry hexPolygon( const Axial &a, double size )
{
  const double cx = size * std::sqrt( 3.0 ) * ( a.q + a.r / 2.0 );
  const double cy = size * 1.5 * a.r;
  QVector<double> xs, ys;
  for ( int i = 0; i <= 6; ++i )
  {
    const double angle = M_PI / 180.0 * ( 60.0 * ( i % 6 ) - 30.0 );
    xs << cx + size * std::cos( angle );
    ys << cy + size * std::sin( angle );
  }
  auto polygon = std::make_unique<QgsPolygon>();
  polygon->setExteriorRing( new QgsLineString( xs, ys ) );
  return QgsGeometry( polygon.release() );
}

QgsFillSymbol *hexSymbol( const QColor &color )
{
  return QgsFillSymbol::createSimple( { { QStringLiteral( "color" ), color.name() },
                                        { QStringLiteral( "outline_color" ), QStringLiteral( "#ffffff" ) },
                                        { QStringLiteral( "outline_width" ), QStringLiteral( "0.15" ) } } );
}
} // namespace

std::unique_ptr<QgsVectorLayer> makeHexagonLayer( SqliteDatabase &db, const QString &crsAuthId, const BriefingPeriod &period, double cellSizeMetres,
                                                  int threshold, HexAggregation *summary, QString *error )
{
  HexAggregation agg;
  agg.cellSizeMetres = cellSizeMetres;
  agg.threshold = threshold;
  const QgsCoordinateReferenceSystem crs( crsAuthId );
  const double toUnits = QgsUnitTypes::fromUnitToUnitFactor( QgsUnitTypes::DistanceMeters, crs.isValid() ? crs.mapUnits() : QgsUnitTypes::DistanceMeters );
  const double size = cellSizeMetres * toUnits / std::sqrt( 3.0 ); // circumradius from the width across flats

  QHash<qint64, int> counts;
  auto key = []( const Axial &a ) { return ( static_cast<qint64>( a.q ) << 32 ) ^ static_cast<quint32>( a.r ); };
  QHash<qint64, Axial> cells;
  {
    SqliteStatement st( db, QStringLiteral( "SELECT geom FROM incidents WHERE violent = 1 AND geom IS NOT NULL AND occurred_at >= ? AND occurred_at < ?" ) );
    if ( !st.isValid() )
    {
      if ( error )
        *error = QObject::tr( "Briefing query failed: %1" ).arg( db.lastSqliteError() );
      return nullptr;
    }
    st.bindText( 1, period.from.toString( Qt::ISODate ) );
    st.bindText( 2, period.to.addDays( 1 ).toString( Qt::ISODate ) );
    while ( st.next() )
    {
      const QByteArray blob = st.blob( 0 );
      const auto *data = reinterpret_cast<const unsigned char *>( blob.constData() );
      GpkgEnvelope env;
      if ( gpkgBlobIsEmpty( data, blob.size() ) || !gpkgBlobEnvelope( data, blob.size(), env ) )
        continue;
      const Axial a = hexAt( env.minX, env.minY, size );
      const qint64 k = key( a );
      ++counts[k];
      cells.insert( k, a );
      ++agg.offenses;
    }
  }

  auto layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "Polygon?crs=%1&field=cell_id:integer&field=offenses:integer" ).arg( crsAuthId ),
                                                 QObject::tr( "Violent offenses per hexagon" ), QStringLiteral( "memory" ) );
  if ( !layer->isValid() )
  {
    if ( error )
      *error = QObject::tr( "Cannot create the hexagon layer for CRS %1." ).arg( crsAuthId );
    return nullptr;
  }
  // Cells in a stable order so the same project gives the same PDF content.
  QList<qint64> keys = counts.keys();
  std::sort( keys.begin(), keys.end() );
  QgsFeatureList features;
  int maxCount = 0;
  for ( qint64 k : keys )
  {
    const int c = counts.value( k );
    if ( c < threshold )
    {
      ++agg.cellsSuppressed;
      agg.offensesSuppressed += c;
      continue;
    }
    ++agg.cellsShown;
    agg.offensesShown += c;
    maxCount = std::max( maxCount, c );
    QgsFeature f( layer->fields() );
    f.setGeometry( hexPolygon( cells.value( k ), size ) );
    f.setAttributes( { agg.cellsShown, c } );
    features << f;
  }
  layer->dataProvider()->addFeatures( features );
  layer->updateExtents();

  // Classes from the threshold up: doubling bands read well for skewed counts.
  const QColor colors[] = { QColor( 254, 217, 118 ), QColor( 253, 141, 60 ), QColor( 227, 26, 28 ), QColor( 128, 0, 38 ) };
  QgsRangeList ranges;
  int lower = threshold;
  for ( int i = 0; i < 4; ++i )
  {
    const bool last = i == 3 || lower * 2 > maxCount;
    const int upper = last ? std::max( maxCount, lower ) : lower * 2 - 1;
    const QString text = last ? QObject::tr( "%1 or more" ).arg( lower ) : QStringLiteral( "%1 – %2" ).arg( lower ).arg( upper );
    ranges << QgsRendererRange( lower - 0.5, upper + 0.5, hexSymbol( colors[i] ), text );
    if ( last )
      break;
    lower = upper + 1;
  }
  layer->setRenderer( new QgsGraduatedSymbolRenderer( QStringLiteral( "offenses" ), ranges ) );
  layer->setCustomProperty( ProjectLayers::tableProperty(), kHexagonLayerTable );
  layer->setCustomProperty( ProjectLayers::roleProperty(), QStringLiteral( "aggregate" ) );
  if ( summary )
    *summary = agg;
  return layer;
}

} // namespace statdesk
