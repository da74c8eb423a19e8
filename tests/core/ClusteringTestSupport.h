/**
 * \file ClusteringTestSupport.h
 * Helpers shared by the clustering tests: reading the committed reference fixtures and
 * comparing partitions.
 */
#pragma once

#include "clustering/ClusterPoints.h"

#include <QFile>
#include <QMap>
#include <QStringList>
#include <QVector>

#include <map>
#include <vector>

namespace statdesk::test
{

//! A small CSV with a header: columns by name, values as text.
struct CsvTable
{
  QStringList header;
  QVector<QStringList> rows;
  int column( const QString &name ) const { return header.indexOf( name ); }
  std::vector<double> numbers( const QString &name ) const
  {
    std::vector<double> v;
    const int c = column( name );
    for ( const QStringList &r : rows )
      v.push_back( c >= 0 && c < r.size() ? r[c].toDouble() : std::numeric_limits<double>::quiet_NaN() );
    return v;
  }
  std::vector<int32_t> integers( const QString &name ) const
  {
    std::vector<int32_t> v;
    const int c = column( name );
    for ( const QStringList &r : rows )
      v.push_back( c >= 0 && c < r.size() && !r[c].isEmpty() ? r[c].toInt() : -1 );
    return v;
  }
};

inline CsvTable readCsvTable( const QString &path )
{
  CsvTable t;
  QFile f( path );
  if ( !f.open( QIODevice::ReadOnly | QIODevice::Text ) )
    return t;
  bool first = true;
  while ( !f.atEnd() )
  {
    const QString line = QString::fromUtf8( f.readLine() ).trimmed();
    if ( line.isEmpty() )
      continue;
    const QStringList fields = line.split( QLatin1Char( ',' ) );
    if ( first )
      t.header = fields;
    else
      t.rows << fields;
    first = false;
  }
  return t;
}

/**
 * Empty when the partitions of the points selected by \a mask (all when empty) are the same up
 * to renaming (a one-to-one map between labels, -1 mapping to -1), else the first difference.
 */
inline QString comparePartitions( const std::vector<int32_t> &a, const std::vector<int32_t> &b, const std::vector<uint8_t> &mask = {} )
{
  if ( a.size() != b.size() )
    return QStringLiteral( "sizes differ: %1 vs %2" ).arg( a.size() ).arg( b.size() );
  std::map<int32_t, int32_t> ab, ba;
  for ( std::size_t i = 0; i < a.size(); ++i )
  {
    if ( !mask.empty() && !mask[i] )
      continue;
    if ( ( a[i] < 0 ) != ( b[i] < 0 ) )
      return QStringLiteral( "point %1: %2 vs %3" ).arg( i ).arg( a[i] ).arg( b[i] );
    if ( a[i] < 0 )
      continue;
    const auto [ita, newA] = ab.emplace( a[i], b[i] );
    const auto [itb, newB] = ba.emplace( b[i], a[i] );
    if ( ita->second != b[i] || itb->second != a[i] )
      return QStringLiteral( "point %1: label %2 vs %3 breaks the one-to-one map" ).arg( i ).arg( a[i] ).arg( b[i] );
  }
  return QString();
}

} // namespace statdesk::test
