/**
 * \file GrantBriefingSection.h
 * grants/: what the grants ledger adds to a PDF briefing (core/briefing). On every grant
 * neighborhood page of the atlas: each grant's budget status (awarded, disbursed, remaining,
 * from GrantLedger::grantFigures, money from integer cents), its milestones with the overdue
 * ones flagged (the rule of GrantLedger::flags), the violent-offense change since the grant
 * began against comparison neighborhoods (estimateOutcomes), and the grant sites as a map layer.
 *
 * Registered with BriefingSection::registerFactory when the library loads, so every briefing
 * of a project with a ledger shows it. Read-only on the project.
 */
#pragma once

#include "briefing/Briefing.h"
#include "statdesk_core_export.h"

namespace statdesk::grants
{

/**
 * The grants section of briefings. Stateless; called from the exporting thread with the
 * exporter's read-only ProjectFile (BriefingContext::project).
 */
class STATDESK_CORE_EXPORT GrantBriefingSection : public BriefingSection
{
public:
  QString id() const override { return QStringLiteral( "grants" ); }
  //! Budget status, milestones and the since-the-start outcome of the grants of each neighborhood, by nbh_id.
  QMap<QString, QString> neighborhoodTexts( const BriefingContext &context ) override;
  /**
   * The grant sites of every grant not declined or withdrawn: one layer for point sites and
   * one for areas (each only when there are such sites), labelled, with the custom property
   * kBriefingPublicSafeProperty set (a site is a place a grant pays for, not a person).
   */
  std::vector<std::unique_ptr<QgsMapLayer>> neighborhoodLayers( const BriefingContext &context ) override;

  //! Value of the "statdesk/table" property of the site layers.
  static QString sitesTable() { return QStringLiteral( "grant_sites" ); }
};

} // namespace statdesk::grants
