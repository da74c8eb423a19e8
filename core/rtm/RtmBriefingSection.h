/**
 * \file RtmBriefingSection.h
 * rtm: the Risk Terrain Modeling part of a PDF briefing. The citywide page gets the latest
 * saved run's selected factors with their relative risk values, the share of the area and of
 * the events in the highest-risk cells and the number of high-risk and priority places; its map
 * gets that run's priority and high-risk places. A project without saved runs adds nothing (the
 * briefing then says so).
 *
 * Registered with BriefingSection::registerFactory when statdesk_core loads, so every
 * BriefingExporter uses it. Reads through the context's read-only connection; no state.
 */
#pragma once

#include "briefing/Briefing.h"
#include "statdesk_core_export.h"

namespace statdesk::rtm
{

class STATDESK_CORE_EXPORT RtmBriefingSection : public BriefingSection
{
public:
  QString id() const override { return QStringLiteral( "rtm" ); }
  QString citywideText( const BriefingContext &context ) override;
  std::vector<std::unique_ptr<QgsMapLayer>> citywideLayers( const BriefingContext &context ) override;
};

} // namespace statdesk::rtm
