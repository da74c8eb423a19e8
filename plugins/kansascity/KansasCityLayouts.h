/**
 * \file KansasCityLayouts.h
 * Kansas City, Missouri: the layouts of the KCMO open data portal (see specs/kc-data.md).
 */
#pragma once

#include "ingest/CityLayout.h"

#include <QObject>

namespace statdesk::kansascity
{

/**
 * Recognises KC's exports by their header (normalised, so the drift between years matches):
 * KCPD crime of every year (2010-2014 "Location 1", 2015-2019, 2020 without Invl_No, 2021-2025
 * with WKT points, separate Latitude / Longitude / "Longtitude" columns), 311 legacy and current,
 * Dangerous Buildings, Land Bank, vacant property violations and vacant lists.
 * Stateless; used from any thread.
 */
class KansasCityLayouts : public QObject, public ingest::CityLayoutProvider
{
    Q_OBJECT
    Q_PLUGIN_METADATA( IID StatDeskCityLayoutProvider_iid FILE "kansascity.json" )
    Q_INTERFACES( statdesk::ingest::CityLayoutProvider )

  public:
    QString id() const override { return QStringLiteral( "kansascity" ); }
    QString displayName() const override { return QStringLiteral( "Kansas City, Missouri" ); }
    ingest::LayoutMatch detect( ingest::ImportKind kind, const QStringList &header ) const override;
    QVector<ingest::BlightRule> defaultBlightMapping() const override;
};

} // namespace statdesk::kansascity
