/**
 * \file ProjectFromGeoPackage.h
 * A StatDesk project made from the layers of another GeoPackage (or any multi-layer OGR source):
 * what the app offers when a user opens a GeoPackage that is not a project. Each source layer
 * is either imported as one of the project's kinds (crime, 311, vacant, dangerous,
 * neighborhoods, boundary) through the Importer, with its checks and rejects, or copied as it
 * is into an "other layers" table shown on the map, or skipped. The source file is only read.
 */
#pragma once

#include "ingest/ImportTypes.h"
#include "statdesk_core_export.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

#include <qgscoordinatereferencesystem.h>

class QgsFeedback;

namespace statdesk::ingest
{

//! One layer of a source file.
struct STATDESK_CORE_EXPORT SourceLayerInfo
{
    QString name;
    QString geometry; //!< "point", "line", "polygon" or "none"
    qint64 features = -1;
    QgsCoordinateReferenceSystem crs;
    QStringList fields;
    QString suggestedTarget; //!< see layerTargets()
    QString reason; //!< why that target was suggested, for people
};

//! Targets of a layer: the import kind names (kindNames()), "extra" (copied as it is) and "skip".
STATDESK_CORE_EXPORT QStringList layerTargets();
inline const QString kExtraTarget = QStringLiteral( "extra" );
inline const QString kSkipTarget = QStringLiteral( "skip" );

//! The layers of \a path with a suggested target each; empty with \a error when OGR cannot read it.
STATDESK_CORE_EXPORT QVector<SourceLayerInfo> listSourceLayers( const QString &path, QString *error );

/**
 * A projected CRS for a new project from \a layers: the first projected layer CRS, otherwise
 * the WGS 84 UTM zone of the layers' centre.
 */
STATDESK_CORE_EXPORT QgsCoordinateReferenceSystem suggestProjectCrs( const QString &path, const QVector<SourceLayerInfo> &layers );

//! What to make.
struct STATDESK_CORE_EXPORT ProjectFromSourcePlan
{
    QString sourcePath;
    QString projectPath; //!< must not exist
    QString cityName;
    QgsCoordinateReferenceSystem crs; //!< projected
    QString timeZone = QStringLiteral( "America/Chicago" );
    QMap<QString, QString> targets; //!< layer name -> target; layers not named are skipped
};

//! What was made.
struct STATDESK_CORE_EXPORT ProjectFromSourceResult
{
    bool ok = false;
    bool canceled = false;
    QString error;
    QVector<ImportSummary> imports; //!< one per imported layer, in source order
    QMap<QString, QString> extraTables; //!< layer name -> project table of the copied layers
    QMap<QString, qint64> extraFeatures; //!< layer name -> features copied
    QString toText() const;
};

/**
 * Creates the project of \a plan and fills it. Every import and every copied layer is its own
 * transaction; on error or cancel the new file is removed, so either a complete project exists
 * or nothing (the source is never written). Uses no QgsProject::instance() state besides the
 * transform context; may run in a QgsTask.
 */
STATDESK_CORE_EXPORT ProjectFromSourceResult createProjectFromSource( const ProjectFromSourcePlan &plan, QgsFeedback *feedback = nullptr );

} // namespace statdesk::ingest
