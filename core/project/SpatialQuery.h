/**
 * \file SpatialQuery.h
 * Reading the point rows of a project layer that lie inside a polygon or within a distance of
 * it, with the layer's R*Tree narrowing the candidates first and an exact GEOS test after. Used
 * by the grants needs view and the cluster cards' environment counts.
 *
 * Read-only; one thread at a time per SqliteDatabase.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

#include <functional>

class QgsGeometry;

namespace statdesk
{
class SqliteDatabase;
class SqliteStatement;

/**
 * Calls \a onRow for every row of \a table whose point lies inside \a geometry (\a distance <= 0:
 * strictly inside, GEOS contains) or whose distance to \a geometry is at most \a distance
 * (boundary included), and that passes the SQL condition \a where on the alias t. The
 * statement's columns are t.geom (0) followed by \a columns. A table that does not exist has no rows.
 */
STATDESK_CORE_EXPORT void forEachPointWithin( SqliteDatabase &db, const QString &table, const QgsGeometry &geometry, double distance,
                                              const QString &columns, const QString &where,
                                              const std::function<void( SqliteStatement & )> &onRow );

} // namespace statdesk
