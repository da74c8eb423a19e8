// Near repeat (Knox) against a brute-force pair count, the NRC banding, permutation
// consistency, determinism, and near-repeat chains against brute-force components.
#include "ClusteringTestSupport.h"
#include "TestSupport.h"
#include "clustering/NearRepeat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>
#include <map>
#include <numeric>
#include <random>

using namespace statdesk;
using namespace statdesk::clustering;

namespace
{

//! Events on integer coordinates and whole days (plus some same-location repeats), so many pairs
//! sit exactly on band limits.
ClusterPoints makeEvents( int n, quint64 seed )
{
  ClusterPoints p;
  std::mt19937_64 rng( seed );
  std::uniform_int_distribution<int> coord( 0, 1500 ), day( 0, 365 ), hour( 0, 23 ), pick( 0, 9 );
  for ( int i = 0; i < n; ++i )
  {
    if ( i > 10 && pick( rng ) == 0 )
    {
      // a repeat at an earlier event's place, 0..30 days later
      const int j = std::uniform_int_distribution<int>( 0, i - 1 )( rng );
      p.append( p.x[j], p.y[j], p.t[j] + std::uniform_int_distribution<int>( 0, 30 )( rng ) * 86400.0, i + 1 );
      continue;
    }
    const bool whole = pick( rng ) < 7;
    p.append( coord( rng ), coord( rng ), day( rng ) * 86400.0 + ( whole ? 0 : hour( rng ) * 3600.0 ), i + 1 );
  }
  return p;
}

//! The Knox table of observed pairs counted over all pairs, with the banding spelled out.
std::vector<qint64> bruteForce( const ClusterPoints &p, const KnoxParameters &k )
{
  const int rows = k.spatialBands + 2, cols = k.temporalBands + 1;
  std::vector<qint64> table( static_cast<std::size_t>( rows ) * cols, 0 );
  for ( std::size_t i = 0; i < p.size(); ++i )
    for ( std::size_t j = i + 1; j < p.size(); ++j )
    {
      const double d = std::hypot( p.x[i] - p.x[j], p.y[i] - p.y[j] );
      int row = rows - 1;
      if ( d == 0 )
        row = 0;
      else
        for ( int b = 0; b < k.spatialBands; ++b )
        {
          const double lo = b * k.spatialBandwidth, hi = ( b + 1 ) * k.spatialBandwidth;
          if ( k.nrcCompatible ? ( d >= lo && d < hi ) : ( d > lo && d <= hi ) )
          {
            row = b + 1;
            break;
          }
        }
      const double days = k.nrcCompatible ? std::abs( std::floor( p.t[i] / 86400 ) - std::floor( p.t[j] / 86400 ) )
                                          : std::abs( p.t[i] - p.t[j] ) / 86400;
      int col = cols - 1;
      for ( int b = 0; b < k.temporalBands; ++b )
      {
        const double lo = b * k.temporalBandwidthDays, hi = ( b + 1 ) * k.temporalBandwidthDays;
        if ( k.nrcCompatible ? ( days >= lo && days < hi ) : ( ( b == 0 ? days >= lo : days > lo ) && days <= hi ) )
        {
          col = b;
          break;
        }
      }
      ++table[static_cast<std::size_t>( row ) * cols + col];
    }
  return table;
}

} // namespace

class TestClusteringNearRepeat : public QObject
{
  Q_OBJECT

private slots:
  void observedEqualsBruteForce_data()
  {
    QTest::addColumn<double>( "bandwidth" );
    QTest::addColumn<int>( "bands" );
    QTest::addColumn<double>( "days" );
    QTest::addColumn<int>( "dayBands" );
    QTest::addColumn<bool>( "nrc" );
    QTest::newRow( "100 m x 5, 14 days x 5, (a,b]" ) << 100.0 << 5 << 14.0 << 5 << false;
    QTest::newRow( "100 m x 5, 14 days x 5, NRC [a-1,b)" ) << 100.0 << 5 << 14.0 << 5 << true;
    QTest::newRow( "50 m x 10, 7 days x 8, (a,b]" ) << 50.0 << 10 << 7.0 << 8 << false;
    QTest::newRow( "50 m x 10, 7 days x 8, NRC" ) << 50.0 << 10 << 7.0 << 8 << true;
    QTest::newRow( "37.5 m x 3, 0.5 days x 4" ) << 37.5 << 3 << 0.5 << 4 << false;
  }

  void observedEqualsBruteForce()
  {
    QFETCH( double, bandwidth );
    QFETCH( int, bands );
    QFETCH( double, days );
    QFETCH( int, dayBands );
    QFETCH( bool, nrc );
    const ClusterPoints events = makeEvents( 1500, 11 );
    KnoxParameters k;
    k.spatialBandwidth = bandwidth;
    k.spatialBands = bands;
    k.temporalBandwidthDays = days;
    k.temporalBands = dayBands;
    k.nrcCompatible = nrc;
    k.iterations = 19;
    const KnoxResult r = runKnox( events, k );
    QVERIFY2( r.ok, qPrintable( r.errorString ) );
    QCOMPARE( r.rowCount(), bands + 2 );
    QCOMPARE( r.columnCount(), dayBands + 1 );
    QCOMPARE( r.observed, bruteForce( events, k ) );
    qint64 total = 0;
    for ( qint64 v : r.observed )
      total += v;
    QCOMPARE( total, qint64( 1500 ) * 1499 / 2 );
  }

  void nrcBanding()
  {
    // Pairs at exactly 100 m and exactly 14 days: (a,b] puts them in the first bands, the
    // calculator's [a-1,b) in the second.
    ClusterPoints p;
    p.append( 0, 0, 0, 1 );
    p.append( 100, 0, 14 * 86400.0, 2 );
    KnoxParameters k;
    k.spatialBandwidth = 100;
    k.spatialBands = 3;
    k.temporalBandwidthDays = 14;
    k.temporalBands = 3;
    k.iterations = 9;
    KnoxResult r = runKnox( p, k );
    QVERIFY( r.ok );
    QCOMPARE( r.observed[r.cell( 1, 0 )], qint64( 1 ) );
    QCOMPARE( r.rowLabels[1], QStringLiteral( "0 to 100" ) );
    k.nrcCompatible = true;
    r = runKnox( p, k );
    QCOMPARE( r.observed[r.cell( 2, 1 )], qint64( 1 ) );
    QCOMPARE( r.rowLabels[1], QStringLiteral( "1 to 100" ) );
    QCOMPARE( r.rowLabels[2], QStringLiteral( "101 to 200" ) );
    QCOMPARE( r.columnLabels[0], QStringLiteral( "0 to 14 days" ) );
    QCOMPARE( r.columnLabels[1], QStringLiteral( "15 to 28 days" ) );
    // NRC counts whole calendar days: 23:00 to 01:00 the next day is one day apart.
    ClusterPoints q;
    q.append( 0, 0, 13 * 86400.0 + 23 * 3600, 1 );
    q.append( 0, 0, 27 * 86400.0 + 1 * 3600, 2 ); // 14 calendar days, 13.1 days of time
    r = runKnox( q, k );
    QCOMPARE( r.observed[r.cell( 0, 1 )], qint64( 1 ) );
    k.nrcCompatible = false;
    r = runKnox( q, k );
    QCOMPARE( r.observed[r.cell( 0, 0 )], qint64( 1 ) );
  }

  void permutationIsConsistentAndSeeded()
  {
    const ClusterPoints events = makeEvents( 1200, 5 );
    KnoxParameters k;
    k.iterations = 99;
    k.seed = 42;
    const KnoxResult a = runKnox( events, k );
    const KnoxResult b = runKnox( events, k );
    QVERIFY( a.ok );
    QCOMPARE( a.expected, b.expected );
    QCOMPARE( a.p, b.p );
    k.seed = 43;
    const KnoxResult c = runKnox( events, k );
    QVERIFY( a.expected != c.expected );
    // Locations are fixed and times only permuted: every row total and every column total of
    // the expected table equals the observed one.
    for ( int r = 0; r < a.rowCount(); ++r )
    {
      double obs = 0, exp = 0;
      for ( int col = 0; col < a.columnCount(); ++col )
      {
        obs += a.observed[a.cell( r, col )];
        exp += a.expected[a.cell( r, col )];
      }
      QVERIFY2( std::abs( obs - exp ) < 1e-6 * std::max( 1.0, obs ), qPrintable( QStringLiteral( "row %1: %2 vs %3" ).arg( r ).arg( obs ).arg( exp ) ) );
    }
    for ( int col = 0; col < a.columnCount(); ++col )
    {
      double obs = 0, exp = 0;
      for ( int r = 0; r < a.rowCount(); ++r )
      {
        obs += a.observed[a.cell( r, col )];
        exp += a.expected[a.cell( r, col )];
      }
      QVERIFY( std::abs( obs - exp ) < 1e-6 * std::max( 1.0, obs ) );
    }
    for ( std::size_t i = 0; i < a.p.size(); ++i )
    {
      QVERIFY( a.p[i] >= 1.0 / 100 - 1e-12 );
      QVERIFY( a.p[i] <= 1.0 + 1e-12 );
    }
    // The planted same-place repeats within 30 days make the same-location, first-band cell
    // significant with a ratio well above 1, and the narrative says so.
    QVERIFY( a.ratio[a.cell( 0, 0 )] > 2 );
    QCOMPARE( a.p[a.cell( 0, 0 )], 0.01 );
  }

  void narrativeForNearRepeats()
  {
    // Events in tight space-time pairs: within 100 m and 14 days far more often than by chance.
    ClusterPoints p;
    std::mt19937_64 rng( 9 );
    std::uniform_real_distribution<double> u( 0, 5000 ), d( 0, 60 ), day( 0, 700 ), near( 0, 10 );
    for ( int i = 0; i < 400; ++i )
    {
      const double x = u( rng ), y = u( rng ), t = day( rng ) * 86400;
      p.append( x, y, t, 2 * i + 1 );
      p.append( x + d( rng ), y + d( rng ), t + near( rng ) * 86400, 2 * i + 2 );
    }
    KnoxParameters k;
    k.iterations = 199;
    const KnoxResult r = runKnox( p, k );
    QVERIFY( r.ok );
    QVERIFY( r.ratio[r.cell( 1, 0 )] > 3 );
    QVERIFY2( r.narrative.contains( QStringLiteral( "Within 100 units and 14 days" ) ) && r.narrative.contains( QStringLiteral( "% greater" ) ), qPrintable( r.narrative ) );
    const QString z = QString::number( ( r.ratio[r.cell( 1, 0 )] - 1 ) * 100, 'f', 0 );
    QVERIFY( r.narrative.contains( z + QStringLiteral( "% greater" ) ) );
  }

  void chainsAreConnectedComponents()
  {
    const ClusterPoints events = makeEvents( 800, 21 );
    KnoxParameters k;
    k.iterations = 9;
    k.chainDistance = 60;
    k.chainDays = 10;
    const KnoxResult r = runKnox( events, k );
    QVERIFY( r.ok );
    // Brute force: union every linked pair, keep components of two or more.
    const std::size_t n = events.size();
    std::vector<int32_t> comp( n );
    std::iota( comp.begin(), comp.end(), 0 );
    std::function<int32_t( int32_t )> find = [&]( int32_t a )
    { return comp[a] == a ? a : comp[a] = find( comp[a] ); };
    for ( std::size_t i = 0; i < n; ++i )
      for ( std::size_t j = i + 1; j < n; ++j )
        if ( std::hypot( events.x[i] - events.x[j], events.y[i] - events.y[j] ) <= 60 && std::abs( events.t[i] - events.t[j] ) <= 10 * 86400.0 )
          comp[find( static_cast<int32_t>( i ) )] = find( static_cast<int32_t>( j ) );
    std::map<int32_t, int> sizes;
    for ( std::size_t i = 0; i < n; ++i )
      ++sizes[find( static_cast<int32_t>( i ) )];
    std::vector<int32_t> expected( n, -1 );
    for ( std::size_t i = 0; i < n; ++i )
      expected[i] = sizes[find( static_cast<int32_t>( i ) )] >= 2 ? find( static_cast<int32_t>( i ) ) : -1;
    const QString diff = test::comparePartitions( r.chainOf, expected );
    QVERIFY2( diff.isEmpty(), qPrintable( diff ) );
    QVERIFY( !r.chains.empty() );
    std::size_t members = 0;
    for ( const NearRepeatChain &c : r.chains )
    {
      QVERIFY( c.events.size() >= 2 );
      members += c.events.size();
    }
    QCOMPARE( members, static_cast<std::size_t>( std::count_if( expected.begin(), expected.end(), []( int32_t v )
                                                                { return v >= 0; } ) ) );
  }

  void refusesBadInput()
  {
    ClusterPoints noTime;
    noTime.append( 0, 0, 1 );
    noTime.append( 1, 1, 2 );
    QVERIFY( !runKnox( noTime, KnoxParameters() ).ok );
    ClusterPoints one;
    one.append( 0, 0, 0, 1 );
    QVERIFY( !runKnox( one, KnoxParameters() ).ok );
    KnoxParameters k;
    k.spatialBands = 0;
    QVERIFY( !runKnox( makeEvents( 10, 1 ), k ).ok );
  }

  void cliKnoxJson()
  {
    QTemporaryDir dir;
    const QString csv = dir.filePath( QStringLiteral( "events.csv" ) );
    const ClusterPoints events = makeEvents( 500, 3 );
    QFile f( csv );
    QVERIFY( f.open( QIODevice::WriteOnly ) );
    f.write( "x,y,when\n" );
    for ( std::size_t i = 0; i < events.size(); ++i )
      f.write( QStringLiteral( "%1,%2,%3\n" ).arg( events.x[i] ).arg( events.y[i] ).arg( QDateTime::fromSecsSinceEpoch( static_cast<qint64>( events.t[i] ), Qt::UTC ).toString( Qt::ISODate ) ).toUtf8() );
    f.close();
    const QString labels = dir.filePath( QStringLiteral( "chains.csv" ) );
    const test::ProcessResult r = test::cli( { QStringLiteral( "cluster" ), QStringLiteral( "--method" ), QStringLiteral( "knox" ), QStringLiteral( "--input" ), csv,
                                               QStringLiteral( "--x" ), QStringLiteral( "x" ), QStringLiteral( "--y" ), QStringLiteral( "y" ), QStringLiteral( "--t" ), QStringLiteral( "when" ),
                                               QStringLiteral( "--iterations" ), QStringLiteral( "99" ), QStringLiteral( "--nrc" ), QStringLiteral( "--labels" ), labels, QStringLiteral( "--json" ) } );
    QVERIFY2( r.exitCode == 0, r.err.constData() );
    const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
    QCOMPARE( json[QStringLiteral( "method" )].toString(), QStringLiteral( "knox" ) );
    const QJsonArray observed = json[QStringLiteral( "observed" )].toArray();
    QCOMPARE( observed.size(), 7 );
    KnoxParameters k;
    k.nrcCompatible = true;
    const std::vector<qint64> brute = bruteForce( events, k );
    for ( int row = 0; row < 7; ++row )
      for ( int col = 0; col < 6; ++col )
        QCOMPARE( static_cast<qint64>( observed[row].toArray()[col].toDouble() ), brute[static_cast<std::size_t>( row ) * 6 + col] );
    QVERIFY( json[QStringLiteral( "p" )].isArray() );
    QVERIFY( !json[QStringLiteral( "narrative" )].toString().isEmpty() );
    QCOMPARE( test::readCsvTable( labels ).rows.size(), 500 );
  }
};

STATDESK_QGIS_TEST_MAIN( TestClusteringNearRepeat )
#include "test_clustering_nearrepeat.moc"
