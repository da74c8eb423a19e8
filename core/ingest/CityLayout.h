/**
 * \file CityLayout.h
 * The plugin interface a city implements so that its open-data files import as they are:
 * recognise a file's layout from its header, say which column holds which semantic field,
 * and give city facts the importer needs (a lon/lat box for location checks, default 311
 * blight classes).
 *
 * Providers are Qt plugins (QPluginLoader) found by LayoutRegistry, or registered in-process.
 * A provider is stateless and used from any thread.
 */
#pragma once

#include "statdesk_core_export.h"
#include "ingest/ImportTypes.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <QVector>
#include <QtPlugin>

#include <qgsrectangle.h>

namespace statdesk::ingest
{

//! A layout recognised in a header: its identity, how sure the provider is and the column mapping.
struct LayoutMatch
{
    QString providerId;
    QString layoutId; //!< e.g. "kcpd-crime-2020"
    QString title;    //!< shown to users, e.g. "KCPD crime (2020 export)"
    ImportKind kind = ImportKind::Crime;
    int score = 0;            //!< 0 = not this provider's layout; higher wins
    FieldMap fields;          //!< semantic field -> column index
    QVariantMap options;      //!< see ingest::option
    QgsRectangle extentWgs84; //!< lon/lat box of the city (null = unknown)

    bool isValid() const { return score > 0; }
};

//! One row of the project's blight_mapping table: a 311 value of a field -> blight class.
struct BlightRule
{
    QString system; //!< "legacy", "current" or "*"
    QString field;  //!< request_type, type, category, issue_type, issue_sub_type
    QString value;  //!< exact source string
    QString blightClass;
};

//! The blight class vocabulary (DefaultStyles draws these).
STATDESK_CORE_EXPORT const QStringList &blightClasses();

/**
 * Interface of a city's layout provider. Implementations are QObjects declared with
 * Q_INTERFACES( statdesk::ingest::CityLayoutProvider ).
 */
class STATDESK_CORE_EXPORT CityLayoutProvider
{
  public:
    virtual ~CityLayoutProvider();
    //! Stable id, e.g. "kansascity".
    virtual QString id() const = 0;
    virtual QString displayName() const = 0;
    /**
     * Recognises \a header (raw column names, as in the file) as one of this city's layouts of
     * \a kind. Returns an invalid match (score 0) when it is not.
     */
    virtual LayoutMatch detect( ImportKind kind, const QStringList &header ) const = 0;
    //! Default 311 request value -> blight class rules, seeded into a project whose mapping is empty.
    virtual QVector<BlightRule> defaultBlightMapping() const = 0;
};

/**
 * Normalises a column name so that header drift between years matches: trims, case-folds,
 * turns runs of spaces and punctuation into one '_' ("Firearm Used Flag  " -> "firearm_used_flag",
 * "Zip Code" -> "zip_code", "CASE ID" -> "case_id").
 */
STATDESK_CORE_EXPORT QString normaliseColumnName( const QString &name );

/**
 * Helper for providers: index of the first column whose normalised name is one of
 * \a candidates (already normalised), or -1.
 */
STATDESK_CORE_EXPORT int findColumn( const QStringList &normalisedHeader, const QStringList &candidates );

} // namespace statdesk::ingest

#define StatDeskCityLayoutProvider_iid "org.statdesk.CityLayoutProvider/1.0"
Q_DECLARE_INTERFACE( statdesk::ingest::CityLayoutProvider, StatDeskCityLayoutProvider_iid )
