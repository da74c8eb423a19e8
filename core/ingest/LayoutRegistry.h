/**
 * \file LayoutRegistry.h
 * Finding a file's layout: the city layout plugins and saved column mappings.
 */
#pragma once

#include "statdesk_core_export.h"
#include "ingest/CityLayout.h"

#include <QMutex>
#include <QVector>

#include <memory>

namespace statdesk
{
class ProjectFile;
}

namespace statdesk::ingest
{

/**
 * The city layout providers of this process: Qt plugins implementing CityLayoutProvider, loaded
 * once from every folder of STATDESK_PLUGIN_PATH (':'-separated) and from
 * <application dir>/../lib/statdesk/plugins, plus providers registered in-process.
 *
 * Owns the plugin instances (QPluginLoader keeps them) for the life of the process.
 * Thread-safe: the first use loads, later uses only read.
 */
class STATDESK_CORE_EXPORT LayoutRegistry
{
  public:
    static LayoutRegistry &instance();

    //! Adds a provider (not owned; must outlive the registry's use).
    void addProvider( CityLayoutProvider *provider );
    QVector<CityLayoutProvider *> providers();
    CityLayoutProvider *provider( const QString &id );

    //! The best match of \a kind over all providers (invalid when none recognises the header).
    LayoutMatch detect( ImportKind kind, const QStringList &header );
    //! The best match over every kind: lets the wizard pre-select the kind and the CLI say
    //! "this looks like a 311 file".
    LayoutMatch detectAnyKind( const QStringList &header );

    QStringList searchPaths() const;
    //! Plugins that failed to load, with QPluginLoader's reason.
    QStringList loadErrors();

  private:
    LayoutRegistry() = default;
    void ensureLoaded();

    QMutex mMutex;
    bool mLoaded = false;
    QVector<CityLayoutProvider *> mProviders;
    QStringList mErrors;
};

/**
 * A column mapping for a layout no plugin knows (another city, a hand-made export): which source
 * column holds which semantic field (see ingest::field), options, and the city's lon/lat box.
 * Saved as JSON in a file or in the project (statdesk_metadata key "import_mapping:<name>"):
 *
 *     { "name": "chicago-crime", "kind": "crime", "delimiter": ",",
 *       "fields": { "report_no": "Case Number", "ibrs": "FBI Code", "reported_date": "Date",
 *                   "latitude": "Latitude", "longitude": "Longitude" },
 *       "options": { "date_order": "MDY", "source_crs": "EPSG:4326" },
 *       "extent_wgs84": [ -87.95, 41.64, -87.52, 42.03 ] }
 */
struct STATDESK_CORE_EXPORT ColumnMapping
{
    QString name;
    ImportKind kind = ImportKind::Crime;
    QHash<QString, QString> fields; //!< semantic field -> source column name
    QVariantMap options;
    QgsRectangle extentWgs84;
    char delimiter = 0;

    static bool fromJson( const QByteArray &json, ColumnMapping *mapping, QString *error );
    QByteArray toJson() const;
    //! Resolves column names against \a header (normalised comparison); fails listing missing columns.
    LayoutMatch resolve( const QStringList &header, QString *error ) const;
};

//! Semantic fields a layout of \a kind must map for rows to be importable.
STATDESK_CORE_EXPORT QStringList requiredFields( ImportKind kind );
//! Every semantic field of \a kind (for the mapping editor).
STATDESK_CORE_EXPORT QStringList knownFields( ImportKind kind );

//! Loads \a nameOrFile: an existing JSON file, else a mapping stored in \a project.
STATDESK_CORE_EXPORT bool loadMapping( ProjectFile *project, const QString &nameOrFile, ColumnMapping *mapping, QString *error );
//! Stores \a mapping in the project inside the caller's transaction.
STATDESK_CORE_EXPORT bool storeMappingInTransaction( ProjectFile &project, const ColumnMapping &mapping );
STATDESK_CORE_EXPORT QStringList storedMappingNames( ProjectFile &project );

} // namespace statdesk::ingest
