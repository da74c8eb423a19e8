// Grant outcomes and needs: the DiD arithmetic against hand-computed values, a planted halving of
// violent crime in four grant neighborhoods recovered against comparison neighborhoods, a
// no-effect measure that stays inconclusive, honest wording for small counts, and the needs
// view counting exactly the points inside a neighborhood.
#include "GrantsFixture.h"
#include "TestSupport.h"

#include "grants/GrantAnalysis.h"
#include "grants/GrantLedger.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace statdesk;
using namespace statdesk::grants;

class TestGrantsOutcomes : public QObject
{
  Q_OBJECT

private:
  QTemporaryDir mDir;
  test::GrantsFixture mFixture;

private slots:
  void initTestCase()
  {
    QString error;
    QVERIFY2( test::buildGrantsFixture( mDir.filePath( QStringLiteral( "outcomes.gpkg" ) ), &mFixture, &error ), qPrintable( error ) );
  }

  void didArithmetic()
  {
    // T0=100, T1=50, C0=400, C1=420 over K=4: RR = 0.5/1.05, log SE = sqrt(1/100+1/50+1/400+1/420).
    const DidEstimate e = estimateDid( 100, 50, 400, 420, 4 );
    QVERIFY( std::fabs( e.rateRatio - 0.5 / 1.05 ) < 1e-12 );
    const double se = std::sqrt( 1.0 / 100 + 1.0 / 50 + 1.0 / 400 + 1.0 / 420 );
    QVERIFY( std::fabs( e.ciLow - std::exp( std::log( 0.5 / 1.05 ) - 1.959963984540054 * se ) ) < 1e-12 );
    QVERIFY( std::fabs( e.ciHigh - std::exp( std::log( 0.5 / 1.05 ) + 1.959963984540054 * se ) ) < 1e-12 );
    QVERIFY( std::fabs( e.expectedAfter - 105.0 ) < 1e-12 );
    // WDD = (50-100) - (420-400)/4 = -55; SE = sqrt(150 + 820/16).
    QVERIFY( std::fabs( e.wdd + 55.0 ) < 1e-12 );
    QVERIFY( std::fabs( e.wddSe - std::sqrt( 150.0 + 820.0 / 16.0 ) ) < 1e-12 );
    // p from z = log(RR)/SE; statsmodels/scipy: 2*norm.sf(|z|).
    const double z = std::log( 0.5 / 1.05 ) / se;
    QVERIFY( std::fabs( e.pValue - std::erfc( std::fabs( z ) / std::sqrt( 2.0 ) ) ) < 1e-15 );
    QVERIFY( e.enough );
    QVERIFY( describeDid( e, QStringLiteral( "Violent offenses" ) ).startsWith( QStringLiteral( "Violent offenses fell 52%" ) ) );

    const DidEstimate small = estimateDid( 3, 1, 40, 38, 5 );
    QVERIFY( !small.enough );
    QVERIFY( describeDid( small, QStringLiteral( "Violent offenses" ) ).startsWith( QStringLiteral( "Too few events to say anything" ) ) );
    const DidEstimate zero = estimateDid( 30, 0, 40, 38, 5 );
    QVERIFY( zero.zeroCell );
    QVERIFY( !zero.enough );
    QVERIFY( std::isfinite( zero.ciHigh ) );
  }

  void referenceAgainstStatsmodels()
  {
    // The same ratio-of-ratios is the interaction of a Poisson GLM count ~ treated*after
    // (log link); its Wald interval is what we report. Check against statsmodels when present.
    // Each cell is split in two rows (same totals, same MLE and information) because statsmodels
    // refuses the saturated 4-row model as "perfect separation".
    const QString python = QStringLiteral( "/usr/bin/python3" );
    const QString script = QStringLiteral(
        "import numpy as np, statsmodels.api as sm\n"
        "y=np.array([60,40,20,30,200,200,210,210]); tr=np.array([1,1,1,1,0,0,0,0]); af=np.array([0,0,1,1,0,0,1,1])\n"
        "X=sm.add_constant(np.column_stack([tr,af,tr*af]))\n"
        "r=sm.GLM(y,X,family=sm.families.Poisson()).fit()\n"
        "ci=r.conf_int()[3]\n"
        "print('%.12f %.12f %.12f %.12f'%(np.exp(r.params[3]),np.exp(ci[0]),np.exp(ci[1]),r.pvalues[3]))\n" );
    const test::ProcessResult r = test::run( python, { QStringLiteral( "-c" ), script } );
    if ( r.exitCode != 0 )
      QSKIP( "statsmodels not available" );
    const QStringList v = QString::fromUtf8( r.out ).split( QLatin1Char( ' ' ) );
    QCOMPARE( v.size(), 4 );
    const DidEstimate e = estimateDid( 100, 50, 400, 420, 4 );
    QVERIFY( std::fabs( e.rateRatio - v.at( 0 ).toDouble() ) < 1e-6 );
    QVERIFY( std::fabs( e.ciLow - v.at( 1 ).toDouble() ) < 1e-6 );
    QVERIFY( std::fabs( e.ciHigh - v.at( 2 ).toDouble() ) < 1e-6 );
    QVERIFY( std::fabs( e.pValue - v.at( 3 ).toDouble() ) < 1e-6 );
  }

  void plantedEffectRecovered()
  {
    // The ledger knows the grants: N01-N04 awarded, starting 2024-01-15.
    GrantLedger ledger( *mFixture.project, QStringLiteral( "tester" ) );
    ProgramInput p;
    p.name = QStringLiteral( "Neighborhood Pilot Grant" );
    p.capCents = 2000000;
    p.budgetCents = 26000000;
    const qint64 program = ledger.addProgram( p );
    QVERIFY( program );
    for ( int i = 0; i < 4; ++i )
    {
      GrantInput g;
      g.programId = program;
      g.nbhId = test::nbhId( i );
      g.grantee = QStringLiteral( "Association %1" ).arg( i );
      g.startDate = QDate( 2024, 1, 15 );
      const qint64 id = ledger.addGrant( g );
      QVERIFY( id );
      QVERIFY( ledger.award( id, 2000000 ) );
    }
    OutcomeOptions o;
    o.monthsBefore = 12;
    o.monthsAfter = 12;
    o.comparisons = 5;
    OutcomeResult r;
    QString error;
    QVERIFY2( estimateOutcomes( *mFixture.project, o, &r, &error ), qPrintable( error ) );
    QCOMPARE( r.rows.size(), 4 );
    QCOMPARE( r.dataEnd, QStringLiteral( "2024-12" ) );
    for ( const OutcomeRow &row : std::as_const( r.rows ) )
    {
      // Counts equal what the fixture wrote inside the polygon.
      int before = 0, after = 0;
      const QMap<QString, int> months = mFixture.violent.value( row.nbhId );
      for ( auto it = months.begin(); it != months.end(); ++it )
      {
        if ( it.key() >= QLatin1String( "2023-01" ) && it.key() < QLatin1String( "2024-01" ) )
          before += it.value();
        else if ( it.key() >= QLatin1String( "2024-01" ) )
          after += it.value();
      }
      QCOMPARE( row.estimate.treatedBefore, qint64( before ) );
      QCOMPARE( row.estimate.treatedAfter, qint64( after ) );
      QCOMPARE( row.comparisonIds.size(), 5 );
      for ( const QString &c : row.comparisonIds )
        QVERIFY( c > QLatin1String( "N04" ) ); // never a grant neighborhood
      QCOMPARE( row.beforeWindow, QStringLiteral( "2023-01..2023-12" ) );
      QCOMPARE( row.afterWindow, QStringLiteral( "2024-01..2024-12" ) );
      QVERIFY2( row.estimate.rateRatio < 0.8, qPrintable( row.verdict ) );
    }
    // Pooled: planted 0.5, recovered with an interval that excludes "no effect" and covers the truth.
    QVERIFY2( r.pooled.rateRatio > 0.4 && r.pooled.rateRatio < 0.62, qPrintable( r.pooledVerdict ) );
    QVERIFY( r.pooled.ciHigh < 1.0 );
    QVERIFY( r.pooled.ciLow < 0.5 && r.pooled.ciHigh > 0.5 );
    QVERIFY( r.pooled.wdd < 0 && r.pooled.wddP < 0.05 );
    QVERIFY2( r.pooledVerdict.startsWith( QStringLiteral( "Violent offenses fell" ) ), qPrintable( r.pooledVerdict ) );

    // Blight requests had no planted effect: the interval covers 1 and the wording says so.
    o.measure = OutcomeOptions::Measure::Blight311;
    OutcomeResult b;
    QVERIFY2( estimateOutcomes( *mFixture.project, o, &b, &error ), qPrintable( error ) );
    QVERIFY2( b.pooled.ciLow < 1.0 && b.pooled.ciHigh > 1.0, qPrintable( b.pooledVerdict ) );
    QVERIFY2( b.pooledVerdict.startsWith( QStringLiteral( "No change that the data can distinguish from chance" ) ), qPrintable( b.pooledVerdict ) );

    // A one-month window has too few events per neighborhood: honest wording, not a verdict.
    o.measure = OutcomeOptions::Measure::ViolentOffenses;
    o.monthsBefore = 1;
    o.monthsAfter = 1;
    OutcomeResult tiny;
    QVERIFY( estimateOutcomes( *mFixture.project, o, &tiny, &error ) );
    int tooFew = 0;
    for ( const OutcomeRow &row : std::as_const( tiny.rows ) )
    {
      if ( row.estimate.treatedBefore + row.estimate.treatedAfter < o.minimumEvents || row.estimate.zeroCell )
      {
        QVERIFY2( row.verdict.startsWith( QStringLiteral( "Too few events" ) ), qPrintable( row.verdict ) );
        ++tooFew;
      }
    }
    QVERIFY( tooFew >= 2 ); // N01 and N02 see about 6-12 events in two months

    // A start after the data end: no after window, said plainly.
    o.monthsBefore = 12;
    o.defaultStart = QDate( 2025, 6, 1 );
    {
      SqliteDatabase &db = mFixture.project->database();
      QVERIFY( db.exec( QStringLiteral( "UPDATE neighborhoods SET is_grant = 1 WHERE nbh_id = 'N05'" ) ) );
    }
    OutcomeResult late;
    QVERIFY( estimateOutcomes( *mFixture.project, o, &late, &error ) );
    QCOMPARE( late.rows.size(), 5 );
    QCOMPARE( late.rows.last().nbhId, QStringLiteral( "N05" ) );
    QVERIFY2( late.rows.last().verdict.startsWith( QStringLiteral( "No data after the start" ) ), qPrintable( late.rows.last().verdict ) );
    QVERIFY( mFixture.project->database().exec( QStringLiteral( "UPDATE neighborhoods SET is_grant = 0 WHERE nbh_id = 'N05'" ) ) );
    // JSON for the CLI and the briefing.
    const QJsonObject json = r.toJson();
    QCOMPARE( json.value( QStringLiteral( "rows" ) ).toArray().size(), 4 );
    QVERIFY( json.value( QStringLiteral( "pooled" ) ).toObject().value( QStringLiteral( "ci95" ) ).toArray().size() == 2 );
  }

  void cliOutcomesAndReport()
  {
    const QString path = mFixture.project->path();
    const test::ProcessResult r = test::cli( { QStringLiteral( "grants" ), QStringLiteral( "outcomes" ), QStringLiteral( "--project" ), path,
                                               QStringLiteral( "--json" ) } );
    QVERIFY2( r.exitCode == 0, r.err.constData() );
    const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
    QVERIFY( json.value( QStringLiteral( "pooled" ) ).toObject().value( QStringLiteral( "rate_ratio" ) ).toDouble() < 0.62 );
    const test::ProcessResult bad = test::cli( { QStringLiteral( "grants" ), QStringLiteral( "outcomes" ), QStringLiteral( "--project" ), path,
                                                 QStringLiteral( "--measure" ), QStringLiteral( "noise" ) } );
    QCOMPARE( bad.exitCode, 2 );
    QCOMPARE( bad.err.count( "statdesk-cli grants:" ), 1 );
    QVERIFY( bad.err.contains( "--measure is violent or blight" ) );
  }

  void needsInsidePolygon()
  {
    NeighborhoodNeeds n;
    QString error;
    QVERIFY2( neighborhoodNeeds( *mFixture.project, QStringLiteral( "N01" ), QDate( 2024, 12, 31 ), &n, &error ), qPrintable( error ) );
    QCOMPARE( n.vacantParcels, mFixture.vacantInN01 );
    QCOMPARE( n.dangerousBuildings, mFixture.dangerousInN01 );
    QCOMPARE( n.blightOpen, mFixture.openDumpingInN01 );
    QCOMPARE( n.blight.size(), 1 );
    QCOMPARE( n.blight.first().blightClass, QStringLiteral( "dumping" ) );
    QCOMPARE( n.violentByMonth.size(), 24 );
    const QMap<QString, int> truth = mFixture.violent.value( QStringLiteral( "N01" ) );
    for ( auto it = n.violentByMonth.begin(); it != n.violentByMonth.end(); ++it )
      QCOMPARE( it.value(), truth.value( it.key() ) );
    QVERIFY( !neighborhoodNeeds( *mFixture.project, QStringLiteral( "N77" ), QDate( 2024, 12, 31 ), &n, &error ) );
    QVERIFY( error.contains( QStringLiteral( "N77" ) ) );
  }
};

STATDESK_QGIS_TEST_MAIN( TestGrantsOutcomes )
#include "test_grants_outcomes.moc"
