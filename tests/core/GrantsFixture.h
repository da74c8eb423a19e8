/**
 * \file GrantsFixture.h
 * A small synthetic project for the grants tests: 20 square neighborhoods (1 km, EPSG:26915),
 * N01-N04 flagged as grant neighborhoods, three years of violent and other offenses and blight
 * 311 requests drawn from Poisson counts per month, with a planted effect: from 2024-01 on the
 * violent rate in N01-N04 is halved; blight requests have no effect. Counts actually written
 * are kept so tests can compare against them.
 */
#pragma once

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"

#include <QMap>
#include <QString>

#include <qgsgeometry.h>

#include <memory>
#include <random>

namespace statdesk::test
{

struct GrantsFixture
{
  std::unique_ptr<ProjectFile> project;
  //! nbh_id -> "YYYY-MM" -> violent offenses written inside it.
  QMap<QString, QMap<QString, int>> violent;
  int vacantInN01 = 0;
  int dangerousInN01 = 0;
  int openDumpingInN01 = 0;
};

inline double kOriginX()
{
  return 360000.0;
}
inline double kOriginY()
{
  return 4320000.0;
}
inline QString nbhId( int i )
{
  return QStringLiteral( "N%1" ).arg( i + 1, 2, 10, QLatin1Char( '0' ) );
}

//! The square of neighborhood \a i (0-based; 5 columns x 4 rows of 1 km).
inline QgsRectangle nbhRect( int i )
{
  const double x = kOriginX() + ( i % 5 ) * 1000.0;
  const double y = kOriginY() + ( i / 5 ) * 1000.0;
  return QgsRectangle( x, y, x + 1000.0, y + 1000.0 );
}

inline bool buildGrantsFixture( const QString &path, GrantsFixture *f, QString *error, double plantedRatio = 0.5 )
{
  ProjectSettings s;
  s.cityName = QStringLiteral( "Grantville" );
  s.crs = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:26915" ) );
  f->project = ProjectFile::create( path, s, error );
  if ( !f->project )
    return false;
  SqliteDatabase &db = f->project->database();
  const int srs = f->project->srsId();
  std::mt19937 rng( 20240101 );
  SqliteTransaction tx( db );
  SqliteStatement nb( db, QStringLiteral( "INSERT INTO neighborhoods (nbh_id, name, is_grant, area_sqkm, source, geom) VALUES (?, ?, ?, 1.0, 'test', ?)" ) );
  for ( int i = 0; i < 20; ++i )
  {
    const QgsRectangle r = nbhRect( i );
    nb.bindText( 1, nbhId( i ) );
    nb.bindText( 2, QStringLiteral( "Neighborhood %1" ).arg( i + 1 ) );
    nb.bindInt64( 3, i < 4 ? 1 : 0 );
    nb.bindBlob( 4, gpkgGeometryBlob( QgsGeometry::fromWkt( QStringLiteral( "MultiPolygon (((%1 %2, %3 %2, %3 %4, %1 %4, %1 %2)))" )
                                                                .arg( r.xMinimum(), 0, 'f', 1 )
                                                                .arg( r.yMinimum(), 0, 'f', 1 )
                                                                .arg( r.xMaximum(), 0, 'f', 1 )
                                                                .arg( r.yMaximum(), 0, 'f', 1 ) ),
                                      srs ) );
    if ( !nb.exec() )
    {
      *error = nb.errorString();
      return false;
    }
    nb.reset();
  }
  auto pointIn = [&]( int i )
  {
    const QgsRectangle r = nbhRect( i );
    std::uniform_real_distribution<double> ux( r.xMinimum() + 5, r.xMaximum() - 5 ), uy( r.yMinimum() + 5, r.yMaximum() - 5 );
    return std::make_pair( ux( rng ), uy( rng ) );
  };
  SqliteStatement inc( db, QStringLiteral( "INSERT INTO incidents (offense_key, report_no, ibrs, violent, occurred_at, geom) VALUES (?, ?, ?, ?, ?, ?)" ) );
  SqliteStatement req( db, QStringLiteral( "INSERT INTO service_requests (case_id, blight_class, status, created_at, geom) VALUES (?, ?, ?, ?, ?)" ) );
  int serial = 0;
  for ( int i = 0; i < 20; ++i )
  {
    const double base = 6.0 + ( i % 5 ) * 2.0;
    for ( int m = 0; m < 36; ++m )
    {
      const QDate month = QDate( 2022, 1, 1 ).addMonths( m );
      const bool after = month >= QDate( 2024, 1, 1 );
      const double lambda = ( i < 4 && after ) ? base * plantedRatio : base;
      const int nViolent = std::poisson_distribution<int>( lambda )( rng );
      const int nOther = std::poisson_distribution<int>( 5.0 )( rng );
      const int nBlight = std::poisson_distribution<int>( 4.0 )( rng );
      f->violent[nbhId( i )][month.toString( QStringLiteral( "yyyy-MM" ) )] += nViolent;
      for ( int k = 0; k < nViolent + nOther; ++k )
      {
        const auto p = pointIn( i );
        const QString day = month.addDays( k % 28 ).toString( Qt::ISODate );
        inc.bindText( 1, QStringLiteral( "O%1" ).arg( ++serial ) );
        inc.bindText( 2, QStringLiteral( "R%1" ).arg( serial ) );
        inc.bindText( 3, k < nViolent ? QStringLiteral( "13A" ) : QStringLiteral( "23H" ) );
        inc.bindInt64( 4, k < nViolent ? 1 : 0 );
        inc.bindText( 5, day + QStringLiteral( "T12:00:00-06:00" ) );
        inc.bindBlob( 6, gpkgPointBlob( p.first, p.second, srs ) );
        if ( !inc.exec() )
        {
          *error = inc.errorString();
          return false;
        }
        inc.reset();
      }
      for ( int k = 0; k < nBlight; ++k )
      {
        const auto p = pointIn( i );
        const bool open = m >= 30 && k % 2 == 0;
        if ( i == 0 && open )
          ++f->openDumpingInN01;
        req.bindText( 1, QStringLiteral( "C%1" ).arg( ++serial ) );
        req.bindText( 2, QStringLiteral( "dumping" ) );
        req.bindText( 3, open ? QStringLiteral( "open" ) : QStringLiteral( "closed" ) );
        req.bindText( 4, month.addDays( k % 28 ).toString( Qt::ISODate ) + QStringLiteral( "T09:00:00-06:00" ) );
        req.bindBlob( 5, gpkgPointBlob( p.first, p.second, srs ) );
        if ( !req.exec() )
        {
          *error = req.errorString();
          return false;
        }
        req.reset();
      }
    }
  }
  // Vacant parcels and dangerous buildings: some in N01, some just outside it (in N02, 1 m over the edge).
  SqliteStatement vac( db, QStringLiteral( "INSERT INTO vacant_parcels (parcel_id, geom) VALUES (?, ?)" ) );
  SqliteStatement dan( db, QStringLiteral( "INSERT INTO dangerous_buildings (case_number, geom) VALUES (?, ?)" ) );
  const QgsRectangle n01 = nbhRect( 0 );
  for ( int k = 0; k < 10; ++k )
  {
    const bool inside = k < 7;
    vac.bindText( 1, QStringLiteral( "P%1" ).arg( k ) );
    vac.bindBlob( 2, gpkgPointBlob( inside ? n01.xMinimum() + 100 + k * 50 : n01.xMaximum() + 1, n01.yMinimum() + 500, srs ) );
    vac.exec();
    vac.reset();
    f->vacantInN01 += inside;
  }
  for ( int k = 0; k < 5; ++k )
  {
    const bool inside = k < 3;
    dan.bindText( 1, QStringLiteral( "D%1" ).arg( k ) );
    dan.bindBlob( 2, gpkgPointBlob( n01.xMinimum() + 300, inside ? n01.yMinimum() + 100 + k * 100 : n01.yMaximum() + 2, srs ) );
    dan.exec();
    dan.reset();
    f->dangerousInN01 += inside;
  }
  for ( const QString &t : { QStringLiteral( "neighborhoods" ), QStringLiteral( "incidents" ), QStringLiteral( "service_requests" ),
                             QStringLiteral( "vacant_parcels" ), QStringLiteral( "dangerous_buildings" ) } )
    f->project->refreshContents( t );
  if ( !tx.commit() )
  {
    *error = db.errorString();
    return false;
  }
  return true;
}

} // namespace statdesk::test
