#include "project/SpatialQuery.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"

#include <qgsgeometry.h>
#include <qgsgeometryengine.h>

#include <memory>

namespace statdesk
{

void forEachPointWithin( SqliteDatabase &db, const QString &table, const QgsGeometry &geometry, double distance, const QString &columns,
                         const QString &where, const std::function<void( SqliteStatement & )> &onRow )
{
  if ( geometry.isNull() || !db.tableExists( table ) )
    return;
  const double reach = std::max( 0.0, distance );
  const QgsRectangle box = geometry.boundingBox().buffered( reach );
  const QString rtree = QStringLiteral( "rtree_%1_geom" ).arg( table );
  const bool indexed = db.tableExists( rtree );
  const QString condition = where.isEmpty() ? QString() : QStringLiteral( " AND (%1)" ).arg( where );
  const QString sql = indexed ? QStringLiteral( "SELECT t.geom, %1 FROM \"%2\" t JOIN \"%3\" r ON r.id = t.fid WHERE r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?%4" )
                                    .arg( columns, table, rtree, condition )
                              : QStringLiteral( "SELECT t.geom, %1 FROM \"%2\" t WHERE t.geom IS NOT NULL%3" ).arg( columns, table, condition );
  SqliteStatement st( db, sql );
  if ( indexed )
  {
    st.bindDouble( 1, box.xMaximum() );
    st.bindDouble( 2, box.xMinimum() );
    st.bindDouble( 3, box.yMaximum() );
    st.bindDouble( 4, box.yMinimum() );
  }
  std::unique_ptr<QgsGeometryEngine> engine( QgsGeometry::createGeometryEngine( geometry.constGet() ) );
  engine->prepareGeometry();
  while ( st.next() )
  {
    const QgsGeometry point = geometryFromGpkgBlob( st.blob( 0 ) );
    if ( point.isNull() )
      continue;
    const bool near = distance > 0 ? engine->distance( point.constGet() ) <= distance : engine->contains( point.constGet() );
    if ( near )
      onRow( st );
  }
}

} // namespace statdesk
