/**
 * \file ProjectLayers.h
 * The QGIS side of a project file: the map layers of its tables in four groups with default
 * styles, stored inside the GeoPackage (qgis_projects table, styles in layer_styles) so the
 * file opens in vanilla QGIS with the same layers and styles.
 *
 * Layers carry the custom property "statdesk/table" (schema table name) and
 * "statdesk/role" ("features" or "density") so the app and reports can find them.
 *
 * Use from the thread that owns the QgsProject (normally the GUI thread).
 */
#pragma once

#include "statdesk_core_export.h"

#include <QDate>
#include <QString>

class QgsProject;
class QgsVectorLayer;

namespace statdesk
{

class STATDESK_CORE_EXPORT ProjectLayers
{
  public:
    //! Property keys set on every StatDesk layer.
    static const char *tableProperty();
    static const char *roleProperty();

    //! "geopackage:<path>?projectName=statdesk"
    static QString qgisProjectUri( const QString &gpkgPath );

    //! Clears \a project and fills it with the default layers, groups and styles of \a gpkgPath.
    static bool buildDefault( const QString &gpkgPath, QgsProject *project, QString *error );

    /**
     * Writes \a project into the GeoPackage and saves each layer's style as its default in
     * layer_styles. Paths are written absolute and rewritten on load, so a renamed or moved
     * file still finds its layers.
     */
    static bool store( const QString &gpkgPath, QgsProject *project, QString *error );

    /**
     * Reads the QGIS project stored in \a gpkgPath into \a project, pointing every layer of
     * the project's own tables at \a gpkgPath wherever the file was when it was saved.
     * Falls back to buildDefault() when the file holds no QGIS project.
     */
    static bool load( const QString &gpkgPath, QgsProject *project, QString *error );

  /**
   * Adds the layer of \a table (a feature table of \a gpkgPath other than the default ones:
   * results, copied layers) to \a project under \a title, in the group \a groupName (made at
   * the bottom of the tree when missing), with the table property set and QGIS's default
   * symbol. Returns the layer (owned by \a project), or nullptr with \a error.
   */
  static QgsVectorLayer *addTableLayer( const QString &gpkgPath, QgsProject *project, const QString &table, const QString &title, const QString &groupName, QString *error );

    /**
     * Adds the grant sites (points and areas, styled) beside the neighborhoods when the file
     * has a grants ledger and \a project shows no sites yet. Returns the layers added.
     */
    static int ensureGrantSiteLayers( const QString &gpkgPath, QgsProject *project );

    //! First layer of \a project whose table and role match, or nullptr.
    static QgsVectorLayer *layer( QgsProject *project, const QString &table, const QString &role = QStringLiteral( "features" ) );

    /**
     * Restricts the incident and 311 layers (every role) to local dates in [\a from, \a to]
     * (inclusive); null dates clear that side. Returns the subset string used for incidents.
     */
    static QString applyDateFilter( QgsProject *project, const QDate &from, const QDate &to );
};

} // namespace statdesk
