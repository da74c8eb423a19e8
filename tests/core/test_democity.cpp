// The generated demo city: volumes, determinism, the planted structure (checked from the
// file's own rows with an independent count), privacy of person rows, GeoPackage validity,
// the CLI and cancel.
#include "TestSupport.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <qgsfeedback.h>
#include <qgsgeometry.h>
#include <qgsgeometryengine.h>

#include <cmath>
#include <map>
#include <memory>
#include <unordered_map>

using namespace statdesk;

namespace
{
struct Point
{
    double x, y;
};

std::vector<Point> points( ProjectFile &project, const QString &sql )
{
  std::vector<Point> out;
  SqliteStatement st( project.database(), sql );
  while ( st.next() )
  {
    if ( st.isNull( 0 ) )
      continue;
    const QgsGeometry g = geometryFromGpkgBlob( st.blob( 0 ) );
    if ( g.isNull() )
      continue;
    const QgsPointXY p = g.asPoint();
    out.push_back( Point { p.x(), p.y() } );
  }
  return out;
}

//! Nearest-feature distance by a plain hash of 250 m buckets (independent of the generator's method).
class NearestIndex
{
  public:
    explicit NearestIndex( const std::vector<Point> &pts )
      : mPts( pts )
    {
      for ( size_t i = 0; i < pts.size(); ++i )
        mBuckets[key( bucket( pts[i].x ), bucket( pts[i].y ) )].push_back( static_cast<int>( i ) );
    }
    //! True when some feature is within \a d (d <= 250 m) of (x, y).
    bool within( double x, double y, double d ) const
    {
      const qint64 bx = bucket( x ), by = bucket( y );
      for ( qint64 i = bx - 1; i <= bx + 1; ++i )
        for ( qint64 j = by - 1; j <= by + 1; ++j )
        {
          auto it = mBuckets.find( key( i, j ) );
          if ( it == mBuckets.end() )
            continue;
          for ( int k : it->second )
          {
            const double dx = mPts[k].x - x, dy = mPts[k].y - y;
            if ( std::sqrt( dx * dx + dy * dy ) <= d )
              return true;
          }
        }
      return false;
    }

  private:
    static qint64 bucket( double v ) { return static_cast<qint64>( std::floor( v / 250.0 ) ); }
    static qint64 key( qint64 i, qint64 j ) { return i * 1000003 + j; }
    const std::vector<Point> &mPts;
    std::unordered_map<qint64, std::vector<int>> mBuckets;
};

QString hashOf( const QString &path )
{
  std::unique_ptr<ProjectFile> p = ProjectFile::open( path, ProjectFile::Mode::ReadOnly, nullptr );
  return p ? p->contentHash() : QString();
}
} // namespace

class TestDemoCity : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void counts();
    void determinism();
    void truthRecorded();
    void grantNeighborhoods();
    void plantedRelativeRisks();
    void nearRepeatShootings();
    void missingLocations();
    void offenseFlags();
    void personsOnlyInRestrictedTable();
    void dateTimesFollowProjectConvention();
    void validatesAsGeoPackage();
    void cli();
    void cancelLeavesExistingFile();

  private:
    QTemporaryDir mDir;
    QString mA, mB, mC; // seed 1, seed 1 again, seed 2
    DemoSummary mSummary;
    std::unique_ptr<ProjectFile> mProject;
};

void TestDemoCity::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mA = mDir.filePath( QStringLiteral( "a.gpkg" ) );
  mB = mDir.filePath( QStringLiteral( "b.gpkg" ) );
  mC = mDir.filePath( QStringLiteral( "c.gpkg" ) );
  QString error;
  DemoOptions options;
  QVERIFY2( generateDemoCity( mA, options, nullptr, &error, &mSummary ), qPrintable( error ) );
  QVERIFY2( generateDemoCity( mB, options, nullptr, &error ), qPrintable( error ) );
  options.seed = 2;
  QVERIFY2( generateDemoCity( mC, options, nullptr, &error ), qPrintable( error ) );
  QVERIFY( !QFile::exists( mA + QStringLiteral( ".part.gpkg" ) ) );
  mProject = ProjectFile::open( mA, ProjectFile::Mode::ReadOnly, &error );
  QVERIFY2( mProject, qPrintable( error ) );
}

void TestDemoCity::counts()
{
  ProjectFile &p = *mProject;
  QCOMPARE( p.cityName(), QStringLiteral( "Demo City" ) );
  QCOMPARE( p.crs().authid(), QStringLiteral( "EPSG:26915" ) );
  QCOMPARE( p.metadata( schema::kMetaTimeZone ), QStringLiteral( "America/Chicago" ) );
  const qint64 incidents = p.rowCount( schema::kIncidents );
  QVERIFY2( incidents >= 35000 && incidents <= 50000, qPrintable( QString::number( incidents ) ) );
  QCOMPARE( incidents, mSummary.incidents );
  const qint64 violentLocated = p.database().scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE violent = 1 AND geom IS NOT NULL" ) ).toLongLong();
  QVERIFY2( violentLocated >= 3000, qPrintable( QString::number( violentLocated ) ) );
  QCOMPARE( p.rowCount( schema::kServiceRequests ), qint64( 60000 ) );
  const qint64 blight = p.database().scalar( QStringLiteral( "SELECT COUNT(*) FROM service_requests WHERE blight_class IS NOT NULL" ) ).toLongLong();
  QVERIFY2( blight > 0.4 * 60000 && blight < 0.6 * 60000, qPrintable( QString::number( blight ) ) );
  QCOMPARE( p.rowCount( schema::kNeighborhoods ), qint64( 30 ) );
  QCOMPARE( p.database().scalar( QStringLiteral( "SELECT COUNT(*) FROM boundaries WHERE kind = 'city'" ) ).toLongLong(), qint64( 1 ) );
  QCOMPARE( p.database().scalar( QStringLiteral( "SELECT COUNT(*) FROM boundaries WHERE kind = 'council_district'" ) ).toLongLong(), qint64( 6 ) );
  const qint64 vacant = p.rowCount( schema::kVacantParcels );
  QVERIFY2( vacant >= 200 && vacant <= 3000, qPrintable( QString::number( vacant ) ) );
  const qint64 dangerous = p.rowCount( schema::kDangerousBuildings );
  QVERIFY2( dangerous >= 10 && dangerous <= 220, qPrintable( QString::number( dangerous ) ) );
  // Every layer has its extent and count in gpkg_contents / gpkg_ogr_contents for vanilla QGIS.
  QCOMPARE( p.database().scalar( QStringLiteral( "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'incidents'" ) ).toLongLong(), incidents );
  QVERIFY( !p.layerExtent( schema::kIncidents ).isNull() );
  // The city sits where the brief put it (UTM 15N, ~360 km E, ~4320 km N) and the layers inside it.
  const QgsRectangle city = p.layerExtent( schema::kBoundaries );
  QVERIFY( city.contains( QgsPointXY( 360000, 4320000 ) ) );
  QVERIFY( city.width() > 6000 && city.width() < 10000 );
  QVERIFY( city.buffered( 100 ).contains( p.layerExtent( schema::kIncidents ) ) );
  // 311 addresses and incidents' block addresses come from the street grid.
  const QString address = p.database().scalar( QStringLiteral( "SELECT address FROM incidents WHERE geom IS NOT NULL LIMIT 1" ) ).toString();
  QVERIFY2( QRegularExpression( QStringLiteral( "^\\d+ BLOCK [A-Z0-9 ]+$" ) ).match( address ).hasMatch(), qPrintable( address ) );
}

void TestDemoCity::determinism()
{
  const QString a = mProject->contentHash();
  QCOMPARE( hashOf( mB ), a );
  QVERIFY( hashOf( mC ) != a );
}

void TestDemoCity::truthRecorded()
{
  const QJsonObject truth = QJsonDocument::fromJson( mProject->metadata( schema::kMetaDemoTruth ).toUtf8() ).object();
  QVERIFY( !truth.isEmpty() );
  QCOMPARE( mProject->metadata( schema::kMetaDemoSeed ), QStringLiteral( "1" ) );
  QCOMPARE( truth.value( QStringLiteral( "seed" ) ).toInt(), 1 );
  QCOMPARE( truth.value( QStringLiteral( "size" ) ).toString(), QStringLiteral( "small" ) );
  QCOMPARE( truth.value( QStringLiteral( "block_length_m" ) ).toDouble(), 120.0 );
  QCOMPARE( truth.value( QStringLiteral( "cell_size_m" ) ).toDouble(), 60.0 );
  QCOMPARE( truth.value( QStringLiteral( "study_area" ) ).toString(), QStringLiteral( "boundaries kind=city" ) );
  QCOMPARE( truth.value( QStringLiteral( "outcome" ) ).toObject().value( QStringLiteral( "filter" ) ).toString(), QStringLiteral( "violent = 1" ) );
  QCOMPARE( truth.value( QStringLiteral( "period" ) ).toObject().value( QStringLiteral( "from" ) ).toString(), QStringLiteral( "2023-01-01" ) );
  const QJsonArray factors = truth.value( QStringLiteral( "factors" ) ).toArray();
  QCOMPARE( factors.size(), 4 );
  int nullFactors = 0;
  for ( const QJsonValue &v : factors )
  {
    const QJsonObject f = v.toObject();
    const double coverage = f.value( QStringLiteral( "coverage" ) ).toDouble();
    QVERIFY2( coverage >= 0.05 && coverage <= 0.40, qPrintable( f.value( QStringLiteral( "name" ) ).toString() ) );
    QCOMPARE( f.value( QStringLiteral( "operationalisation" ) ).toString(), QStringLiteral( "proximity" ) );
    QVERIFY( f.value( QStringLiteral( "distance_m" ) ).toDouble() > 0 );
    if ( f.value( QStringLiteral( "relative_risk" ) ).toDouble() == 1.0 )
      ++nullFactors;
    // The factor's layer and filter select exactly the recorded features.
    QString sql = QStringLiteral( "SELECT COUNT(*) FROM \"%1\" WHERE geom IS NOT NULL" ).arg( f.value( QStringLiteral( "layer" ) ).toString() );
    if ( !f.value( QStringLiteral( "filter" ) ).toString().isEmpty() )
      sql += QStringLiteral( " AND " ) + f.value( QStringLiteral( "filter" ) ).toString();
    QCOMPARE( mProject->database().scalar( sql ).toLongLong(), static_cast<qint64>( f.value( QStringLiteral( "features" ) ).toDouble() ) );
  }
  QCOMPARE( nullFactors, 1 );
  const QJsonObject nr = truth.value( QStringLiteral( "near_repeat" ) ).toObject();
  QCOMPARE( nr.value( QStringLiteral( "distance_m" ) ).toDouble(), 120.0 );
  QCOMPARE( nr.value( QStringLiteral( "days" ) ).toDouble(), 14.0 );
  QVERIFY( nr.value( QStringLiteral( "follow_ups" ) ).toInt() > 0 );
  QCOMPARE( static_cast<qint64>( truth.value( QStringLiteral( "counts" ) ).toObject().value( QStringLiteral( "incidents" ) ).toDouble() ),
            mProject->rowCount( schema::kIncidents ) );
}

void TestDemoCity::grantNeighborhoods()
{
  SqliteDatabase &db = mProject->database();
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM neighborhoods WHERE is_grant = 1" ) ).toLongLong(), qint64( 13 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(DISTINCT name) FROM neighborhoods" ) ).toLongLong(), qint64( 30 ) );
  const QJsonArray grants = QJsonDocument::fromJson( mProject->metadata( schema::kMetaGrantNeighborhoods ).toUtf8() ).array();
  QCOMPARE( grants.size(), 13 );
  for ( const QJsonValue &g : grants )
  {
    SqliteStatement st( db, QStringLiteral( "SELECT is_grant, name FROM neighborhoods WHERE nbh_id = ?" ) );
    st.bindText( 1, g.toObject().value( QStringLiteral( "nbh_id" ) ).toString() );
    QVERIFY( st.next() );
    QCOMPARE( st.int64( 0 ), qint64( 1 ) );
    QCOMPARE( st.text( 1 ), g.toObject().value( QStringLiteral( "name" ) ).toString() );
  }
  // Grants go to needier neighborhoods: more vacant parcels per km² than the others.
  auto density = [&]( int grant ) {
    return db.scalar( QStringLiteral( "SELECT CAST(COUNT(*) AS REAL) / (SELECT SUM(area_sqkm) FROM neighborhoods WHERE is_grant = %1) FROM vacant_parcels v "
                                      "JOIN neighborhoods n ON n.name = v.neighborhood WHERE n.is_grant = %1" )
                        .arg( grant ) )
      .toDouble();
  };
  QVERIFY2( density( 1 ) > 1.5 * density( 0 ), qPrintable( QStringLiteral( "%1 vs %2" ).arg( density( 1 ) ).arg( density( 0 ) ) ) );
  // Neighborhoods tile the city: their areas add up to the city's.
  const QgsGeometry city = geometryFromGpkgBlob( db.scalar( QStringLiteral( "SELECT geom FROM boundaries WHERE kind = 'city'" ) ).toByteArray() );
  const double sum = db.scalar( QStringLiteral( "SELECT SUM(area_sqkm) FROM neighborhoods" ) ).toDouble();
  QVERIFY( std::abs( sum - city.area() / 1e6 ) < 0.01 * sum );
}

void TestDemoCity::plantedRelativeRisks()
{
  // Rebuild the RTM grid of rtm.md from the file (cells of cell_size_m from the city's
  // bounding-box origin, in the area when the centroid is), mark each factor's proximity from
  // its features, count located violent offenses per cell, and estimate each factor's rate
  // ratio with the Mantel-Haenszel estimator stratified by the other factors.
  ProjectFile &p = *mProject;
  const QJsonObject truth = QJsonDocument::fromJson( p.metadata( schema::kMetaDemoTruth ).toUtf8() ).object();
  const double cell = truth.value( QStringLiteral( "cell_size_m" ) ).toDouble();
  const QgsGeometry city = geometryFromGpkgBlob( p.database().scalar( QStringLiteral( "SELECT geom FROM boundaries WHERE kind = 'city'" ) ).toByteArray() );
  const QgsRectangle box = city.boundingBox();
  const int nx = static_cast<int>( std::ceil( box.width() / cell ) );
  const int ny = static_cast<int>( std::ceil( box.height() / cell ) );
  std::unique_ptr<QgsGeometryEngine> engine( QgsGeometry::createGeometryEngine( city.constGet() ) );
  engine->prepareGeometry();

  const QJsonArray factors = truth.value( QStringLiteral( "factors" ) ).toArray();
  std::vector<std::vector<Point>> features;
  std::vector<double> distance, planted;
  for ( const QJsonValue &v : factors )
  {
    const QJsonObject f = v.toObject();
    QString sql = QStringLiteral( "SELECT geom FROM \"%1\"" ).arg( f.value( QStringLiteral( "layer" ) ).toString() );
    if ( !f.value( QStringLiteral( "filter" ) ).toString().isEmpty() )
      sql += QStringLiteral( " WHERE " ) + f.value( QStringLiteral( "filter" ) ).toString();
    features.push_back( points( p, sql ) );
    distance.push_back( f.value( QStringLiteral( "distance_m" ) ).toDouble() );
    planted.push_back( f.value( QStringLiteral( "relative_risk" ) ).toDouble() );
  }
  const int nf = static_cast<int>( features.size() );
  std::vector<std::unique_ptr<NearestIndex>> indexes;
  for ( const auto &f : features )
    indexes.push_back( std::make_unique<NearestIndex>( f ) );

  std::vector<int> cellCounts( static_cast<size_t>( nx ) * ny, 0 );
  for ( const Point &e : points( p, QStringLiteral( "SELECT geom FROM incidents WHERE violent = 1" ) ) )
  {
    const int i = static_cast<int>( std::floor( ( e.x - box.xMinimum() ) / cell ) );
    const int j = static_cast<int>( std::floor( ( e.y - box.yMinimum() ) / cell ) );
    if ( i >= 0 && j >= 0 && i < nx && j < ny )
      ++cellCounts[j * nx + i];
  }
  // Per pattern of exposures (bit f = factor f): cells and events.
  std::map<int, std::pair<double, double>> strata;
  int inArea = 0;
  for ( int j = 0; j < ny; ++j )
  {
    for ( int i = 0; i < nx; ++i )
    {
      const double x = box.xMinimum() + ( i + 0.5 ) * cell, y = box.yMinimum() + ( j + 0.5 ) * cell;
      QgsPoint centroid( x, y );
      if ( !engine->contains( &centroid ) )
        continue;
      ++inArea;
      int pattern = 0;
      for ( int f = 0; f < nf; ++f )
      {
        if ( indexes[f]->within( x, y, distance[f] ) )
          pattern |= 1 << f;
      }
      strata[pattern].first += 1;
      strata[pattern].second += cellCounts[j * nx + i];
    }
  }
  QVERIFY( inArea > 5000 );
  for ( int f = 0; f < nf; ++f )
  {
    // Mantel-Haenszel rate ratio: sum(a_s * T0_s / T_s) / sum(b_s * T1_s / T_s).
    double num = 0, den = 0, exposedCells = 0;
    for ( int rest = 0; rest < ( 1 << nf ); ++rest )
    {
      if ( rest & ( 1 << f ) )
        continue;
      const auto s1 = strata.find( rest | ( 1 << f ) );
      const auto s0 = strata.find( rest );
      if ( s1 == strata.end() || s0 == strata.end() )
        continue;
      const double t1 = s1->second.first, a = s1->second.second;
      const double t0 = s0->second.first, b = s0->second.second;
      num += a * t0 / ( t0 + t1 );
      den += b * t1 / ( t0 + t1 );
      exposedCells += t1;
    }
    const double coverage = exposedCells / inArea;
    const double recorded = factors.at( f ).toObject().value( QStringLiteral( "coverage" ) ).toDouble();
    QVERIFY2( std::abs( coverage - recorded ) < 0.01, qPrintable( QStringLiteral( "factor %1 coverage %2 vs recorded %3" ).arg( f ).arg( coverage ).arg( recorded ) ) );
    const double rr = num / den;
    QVERIFY2( std::abs( rr / planted[f] - 1.0 ) < 0.15,
              qPrintable( QStringLiteral( "factor %1: rate ratio %2, planted %3" ).arg( factors.at( f ).toObject().value( QStringLiteral( "name" ) ).toString() ).arg( rr ).arg( planted[f] ) ) );
  }
}

void TestDemoCity::nearRepeatShootings()
{
  // Knox comparison: shooting pairs close in space (120 m) AND time (14 days) against what
  // independent space and time closeness would give. Contagion makes it clearly larger.
  SqliteStatement st( mProject->database(), QStringLiteral( "SELECT geom, occurred_at FROM incidents WHERE shooting = 1 AND geom IS NOT NULL" ) );
  struct Event
  {
      double x, y, t;
  };
  std::vector<Event> events;
  while ( st.next() )
  {
    const QgsPointXY pt = geometryFromGpkgBlob( st.blob( 0 ) ).asPoint();
    events.push_back( Event { pt.x(), pt.y(), QDateTime::fromString( st.text( 1 ), Qt::ISODate ).toSecsSinceEpoch() / 86400.0 } );
  }
  QVERIFY( events.size() > 1000 );
  double both = 0, space = 0, time = 0, pairs = 0;
  for ( size_t i = 0; i < events.size(); ++i )
  {
    for ( size_t j = i + 1; j < events.size(); ++j )
    {
      const bool s = std::hypot( events[i].x - events[j].x, events[i].y - events[j].y ) <= 120;
      const bool t = std::abs( events[i].t - events[j].t ) <= 14;
      both += s && t;
      space += s;
      time += t;
      pairs += 1;
    }
  }
  const double expected = space * time / pairs;
  QVERIFY2( both > 1.3 * expected, qPrintable( QStringLiteral( "observed %1, expected %2" ).arg( both ).arg( expected ) ) );
}

void TestDemoCity::missingLocations()
{
  SqliteDatabase &db = mProject->database();
  const double total = mProject->rowCount( schema::kIncidents );
  const double missing = total - mProject->rowCount( schema::kIncidents, true );
  QVERIFY2( missing / total > 0.10 && missing / total < 0.14, qPrintable( QString::number( missing / total ) ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE ibrs IN ('11A','11B','11C') AND geom IS NOT NULL" ) ).toLongLong(), qint64( 0 ) );
  QVERIFY( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE ibrs IN ('11A','11B','11C')" ) ).toLongLong() > 0 );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE (geom IS NULL) <> (location_flag = 'missing')" ) ).toLongLong(), qint64( 0 ) );
}

void TestDemoCity::offenseFlags()
{
  SqliteDatabase &db = mProject->database();
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE violent <> (ibrs IN ('09A','11A','11B','11C','120','13A'))" ) ).toLongLong(), qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE shooting <> (ibrs IN ('09A','13A','120') AND firearm = 1)" ) ).toLongLong(), qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE offense_key <> report_no || '|' || ibrs" ) ).toLongLong(), qint64( 0 ) );
  // Report numbers carry the year of the report (a late-December offense may be reported in 2026).
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE substr(report_no, 3, 2) <> substr(reported_at, 3, 2)" ) ).toLongLong(), qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE report_no NOT GLOB 'KC2[3456][0-9][0-9][0-9][0-9][0-9][0-9]'" ) ).toLongLong(), qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM incidents WHERE area NOT IN ('CPD','EPD','MPD','NPD','SPD','SCP')" ) ).toLongLong(), qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM service_requests WHERE status NOT IN ('open','closed') OR system <> 'current'" ) ).toLongLong(), qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM service_requests WHERE blight_class IS NOT NULL AND blight_class NOT IN "
                                       "('vacant_structure','dangerous_building','dumping','trash','weeds','rats','nuisance','streetlight')" ) )
              .toLongLong(),
            qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(DISTINCT blight_class) FROM service_requests" ) ).toLongLong(), qint64( 8 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM service_requests WHERE (status = 'closed') <> (closed_at IS NOT NULL) OR closed_at < created_at" ) ).toLongLong(), qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM dangerous_buildings WHERE case_number NOT GLOB '20[12][0-9]-[0-9][0-9][0-9][0-9][0-9]'" ) ).toLongLong(), qint64( 0 ) );
  // Dumping requests come from a few chronic sites: far fewer distinct 50 m spots than requests.
  const qint64 dumping = db.scalar( QStringLiteral( "SELECT COUNT(*) FROM service_requests WHERE blight_class = 'dumping'" ) ).toLongLong();
  const qint64 spots = db.scalar( QStringLiteral( "SELECT COUNT(*) FROM (SELECT DISTINCT CAST(r.minx / 50 AS INTEGER), CAST(r.miny / 50 AS INTEGER) FROM "
                                                  "rtree_service_requests_geom r JOIN service_requests s ON s.fid = r.id WHERE s.blight_class = 'dumping')" ) )
                        .toLongLong();
  QVERIFY2( spots * 10 < dumping, qPrintable( QStringLiteral( "%1 spots for %2 requests" ).arg( spots ).arg( dumping ) ) );
}

void TestDemoCity::personsOnlyInRestrictedTable()
{
  SqliteDatabase &db = mProject->database();
  const qint64 persons = db.scalar( QStringLiteral( "SELECT COUNT(*) FROM restricted_person_involvements" ) ).toLongLong();
  QVERIFY( persons > 0 );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM restricted_person_involvements p LEFT JOIN incidents i ON i.offense_key = p.offense_key "
                                       "WHERE i.fid IS NULL OR i.violent <> 1" ) )
              .toLongLong(),
            qint64( 0 ) );
  QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM gpkg_contents WHERE table_name LIKE 'restricted%'" ) ).toLongLong(), qint64( 0 ) );
  // No registered table carries a person-level column.
  SqliteStatement tables( db, QStringLiteral( "SELECT table_name FROM gpkg_contents" ) );
  while ( tables.next() )
  {
    SqliteStatement cols( db, QStringLiteral( "SELECT name FROM pragma_table_info(?)" ) );
    cols.bindText( 1, tables.text( 0 ) );
    while ( cols.next() )
    {
      const QString c = cols.text( 0 ).toLower();
      QVERIFY2( c != QLatin1String( "race" ) && c != QLatin1String( "sex" ) && c != QLatin1String( "age" ) && c != QLatin1String( "involvement" ),
                qPrintable( tables.text( 0 ) + QLatin1Char( '.' ) + c ) );
    }
  }
}

void TestDemoCity::dateTimesFollowProjectConvention()
{
  SqliteStatement st( mProject->database(), QStringLiteral( "SELECT occurred_at, reported_at FROM incidents WHERE fid % 37 = 0 "
                                                            "UNION ALL SELECT created_at, closed_at FROM service_requests WHERE fid % 53 = 0" ) );
  int checked = 0;
  while ( st.next() )
  {
    for ( int c = 0; c < 2; ++c )
    {
      if ( st.isNull( c ) )
        continue;
      const QString text = st.text( c );
      const QDateTime dt = QDateTime::fromString( text, Qt::ISODate );
      QVERIFY2( dt.isValid(), qPrintable( text ) );
      QCOMPARE( mProject->formatDateTime( dt ), text );
      ++checked;
    }
    QVERIFY( st.text( 0 ) >= QLatin1String( "2023-01-01" ) && st.text( 0 ) < QLatin1String( "2026-01-01" ) );
  }
  QVERIFY( checked > 1000 );
  // Violent offenses peak at night, thefts by day.
  SqliteDatabase &db = mProject->database();
  const double nightViolent = db.scalar( QStringLiteral( "SELECT AVG(CAST(substr(occurred_at, 12, 2) AS INTEGER) IN (21,22,23,0,1,2)) FROM incidents WHERE violent = 1" ) ).toDouble();
  const double nightOther = db.scalar( QStringLiteral( "SELECT AVG(CAST(substr(occurred_at, 12, 2) AS INTEGER) IN (21,22,23,0,1,2)) FROM incidents WHERE violent = 0" ) ).toDouble();
  QVERIFY( nightViolent > nightOther + 0.05 );
}

void TestDemoCity::validatesAsGeoPackage()
{
  const QString script = test::validateGpkgScript();
  if ( script.isEmpty() )
    QSKIP( "validate_gpkg.py (python3-gdal examples) is not installed" );
  const test::ProcessResult r = test::run( QStringLiteral( "python3" ), { script, mA } );
  QVERIFY2( r.exitCode == 0, r.out.constData() + QByteArray( "\n" ) + r.err );
}

void TestDemoCity::cli()
{
  const QString out = mDir.filePath( QStringLiteral( "cli.gpkg" ) );
  test::ProcessResult r = test::cli( { QStringLiteral( "demo" ), QStringLiteral( "--out" ), out, QStringLiteral( "--seed" ), QStringLiteral( "1" ),
                                       QStringLiteral( "--size" ), QStringLiteral( "small" ), QStringLiteral( "--json" ) } );
  QVERIFY2( r.exitCode == 0, r.err.constData() );
  QJsonParseError parseError;
  const QJsonObject json = QJsonDocument::fromJson( r.out, &parseError ).object();
  QVERIFY2( parseError.error == QJsonParseError::NoError, r.out.constData() );
  QCOMPARE( json.value( QStringLiteral( "content_hash" ) ).toString(), mProject->contentHash() );
  QCOMPARE( json.value( QStringLiteral( "size" ) ).toString(), QStringLiteral( "small" ) );
  QCOMPARE( static_cast<qint64>( json.value( QStringLiteral( "counts" ) ).toObject().value( QStringLiteral( "incidents" ) ).toDouble() ), mProject->rowCount( schema::kIncidents ) );

  const QList<QStringList> bad {
    { QStringLiteral( "demo" ), QStringLiteral( "--out" ), out, QStringLiteral( "--size" ), QStringLiteral( "huge" ) },
    { QStringLiteral( "demo" ), QStringLiteral( "--out" ), out, QStringLiteral( "--seed" ), QStringLiteral( "-3" ) },
    { QStringLiteral( "demo" ), QStringLiteral( "--seed" ), QStringLiteral( "4" ) },
    { QStringLiteral( "demo" ), QStringLiteral( "--out" ), mDir.filePath( QStringLiteral( "no-such-dir/x.gpkg" ) ) },
  };
  for ( const QStringList &args : bad )
  {
    r = test::cli( args );
    QCOMPARE( r.exitCode, 2 );
    QCOMPARE( r.err.trimmed().count( '\n' ), 0 );
    QVERIFY( r.err.startsWith( "statdesk-cli demo: " ) );
  }
}

void TestDemoCity::cancelLeavesExistingFile()
{
  // An existing project at the target survives a cancelled run untouched, with no leftovers.
  const QString target = mDir.filePath( QStringLiteral( "existing.gpkg" ) );
  QVERIFY( QFile::copy( mC, target ) );
  const QString before = hashOf( target );
  for ( double cancelAt : { 1.0, 50.0, 93.0 } )
  {
    QgsFeedback feedback;
    connect( &feedback, &QgsFeedback::progressChanged, &feedback, [&feedback, cancelAt]( double p ) {
      if ( p >= cancelAt )
        feedback.cancel();
    } );
    QString error;
    DemoOptions options;
    QVERIFY( !generateDemoCity( target, options, &feedback, &error ) );
    QVERIFY( error.contains( QLatin1String( "cancel" ) ) );
    QCOMPARE( hashOf( target ), before );
    QVERIFY( !QFile::exists( target + QStringLiteral( ".part.gpkg" ) ) );
  }
}

STATDESK_QGIS_TEST_MAIN( TestDemoCity )
#include "test_democity.moc"
