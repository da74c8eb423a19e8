/**
 * \file ClusterPoints.h
 * clustering/: the Task Force clustering engines (DBSCAN, ST-DBSCAN, Getis-Ord Gi*, near repeat,
 * CrimeStat NNH, persistence) and the point input they share. Engines are synchronous, take a
 * parameters struct and a QgsFeedback, and return a result struct with toJson(); the app wraps
 * them in a QgsTask, the CLI calls them directly.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace statdesk::clustering
{

/**
 * Event points in structure-of-arrays form: coordinates in layer units, optional times in
 * seconds (UTC epoch or any numeric seconds), and the caller's identifier of each point
 * (a feature id or a CSV row number) so labels can be written back.
 *
 * A plain value type; engines only read it, so one instance may be shared by several
 * engines running in different threads.
 */
struct STATDESK_CORE_EXPORT ClusterPoints
{
    std::vector<double> x;
    std::vector<double> y;
    std::vector<double> t; //!< seconds; empty when the points have no time
    std::vector<qint64> ids; //!< fid or 1-based CSV data row, same length as x

    std::size_t size() const { return x.size(); }
    bool hasTime() const { return !t.empty() && t.size() == x.size(); }
    void reserve( std::size_t n );
    void append( double px, double py, qint64 id )
    {
      x.push_back( px );
      y.push_back( py );
      ids.push_back( id );
    }
    void append( double px, double py, double pt, qint64 id )
    {
      append( px, py, id );
      t.push_back( pt );
    }
};

} // namespace statdesk::clustering
