// Poisson / NB1 / NB2 maximum-likelihood fits against statsmodels (tests/data/rtm/make_countmodel_fixture.py)
// and the BIC arithmetic of the Leeds RTMDx reference (../shared/specs/rtm.md).
#include "TestSupport.h"
#include "rtm/CountModels.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace statdesk::rtm;

namespace
{
CountData loadData()
{
  CountData d;
  d.columns = 4;
  QFile f( statdesk::test::testData( QStringLiteral( "rtm/countmodel_data.csv" ) ) );
  if ( !f.open( QIODevice::ReadOnly ) )
    return d;
  QTextStream in( &f );
  in.readLine();
  while ( !in.atEnd() )
  {
    const QStringList v = in.readLine().trimmed().split( ',' );
    if ( v.size() != 4 )
      continue;
    d.x.insert( d.x.end(), { 1.0, v[0].toDouble(), v[1].toDouble(), v[2].toDouble() } );
    d.y.push_back( v[3].toDouble() );
  }
  return d;
}

QJsonObject reference()
{
  QFile f( statdesk::test::testData( QStringLiteral( "rtm/countmodel_reference.json" ) ) );
  f.open( QIODevice::ReadOnly );
  return QJsonDocument::fromJson( f.readAll() ).object();
}
} // namespace

class TestRtmCountModels : public QObject
{
    Q_OBJECT
  private slots:
    void matchesStatsmodels_data()
    {
      QTest::addColumn<int>( "family" );
      QTest::addColumn<QString>( "key" );
      QTest::newRow( "poisson" ) << static_cast<int>( CountFamily::Poisson ) << QStringLiteral( "poisson" );
      QTest::newRow( "nb1" ) << static_cast<int>( CountFamily::NB1 ) << QStringLiteral( "nb1" );
      QTest::newRow( "nb2" ) << static_cast<int>( CountFamily::NB2 ) << QStringLiteral( "nb2" );
    }

    void matchesStatsmodels()
    {
      QFETCH( int, family );
      QFETCH( QString, key );
      const CountData data = loadData();
      QCOMPARE( data.rows(), 900 );
      const QJsonObject ref = reference().value( key ).toObject();
      const CountFit fit = fitCountModel( static_cast<CountFamily>( family ), data );
      QVERIFY2( fit.ok, qPrintable( fit.error ) );
      const QJsonArray params = ref.value( QStringLiteral( "params" ) ).toArray();
      const QJsonArray bse = ref.value( QStringLiteral( "bse" ) ).toArray();
      double worst = 0;
      for ( int c = 0; c < 4; ++c )
      {
        worst = std::max( worst, std::fabs( fit.beta[c] - params[c].toDouble() ) );
        worst = std::max( worst, std::fabs( fit.se[c] - bse[c].toDouble() ) );
      }
      worst = std::max( worst, std::fabs( fit.logLik - ref.value( QStringLiteral( "llf" ) ).toDouble() ) );
      if ( static_cast<CountFamily>( family ) != CountFamily::Poisson )
      {
        worst = std::max( worst, std::fabs( fit.alpha - ref.value( QStringLiteral( "alpha" ) ).toDouble() ) );
        worst = std::max( worst, std::fabs( fit.alphaSe - ref.value( QStringLiteral( "alpha_bse" ) ).toDouble() ) );
        QCOMPARE( fit.parameters, 5 );
      }
      else
        QCOMPARE( fit.parameters, 4 );
      qInfo( "%s: max |difference| vs statsmodels (params, SEs, alpha, logL) %.3g", qPrintable( key ), worst );
      QVERIFY( worst < 1e-4 );
      QVERIFY( std::fabs( fit.bic - ( -2 * fit.logLik + fit.parameters * std::log( 900.0 ) ) ) < 1e-9 );
      // p-values are two-sided Wald z.
      QVERIFY( std::fabs( fit.p[1] - std::erfc( std::fabs( fit.beta[1] / fit.se[1] ) / std::sqrt( 2.0 ) ) ) < 1e-12 );
    }

    void frequencyWeightsEqualRepeatedRows()
    {
      // Merged identical rows with a weight give the same fit as the expanded rows.
      CountData d = loadData();
      CountData merged = d;
      merged.weight.assign( d.rows(), 1.0 );
      merged.weight[0] = 3;
      for ( int r = 0; r < 2; ++r )
      {
        d.x.insert( d.x.end(), d.x.begin(), d.x.begin() + 4 );
        d.y.push_back( d.y[0] );
      }
      for ( CountFamily f : { CountFamily::Poisson, CountFamily::NB1, CountFamily::NB2 } )
      {
        const CountFit a = fitCountModel( f, d ), b = fitCountModel( f, merged );
        QVERIFY( a.ok && b.ok );
        QVERIFY( std::fabs( a.logLik - b.logLik ) < 1e-7 );
        QVERIFY( std::fabs( a.beta[1] - b.beta[1] ) < 1e-7 );
        QVERIFY( std::fabs( a.se[1] - b.se[1] ) < 1e-7 );
        QCOMPARE( a.nobs, 902.0 );
        QCOMPARE( b.nobs, 902.0 );
      }
    }

    void negativeBinomialReachesThePoissonLimit_data()
    {
      QTest::addColumn<int>( "family" );
      QTest::newRow( "nb1" ) << static_cast<int>( CountFamily::NB1 );
      QTest::newRow( "nb2" ) << static_cast<int>( CountFamily::NB2 );
    }

    void negativeBinomialReachesThePoissonLimit()
    {
      // Counts less dispersed than Poisson (0/1 cells, as in a sparse RTM grid): the NB maximum is
      // at dispersion -> 0, the Poisson model, and the NB fit must get there with the Poisson
      // log-likelihood (its BIC exactly ln N above Poisson's), not stall on rounding noise.
      QFETCH( int, family );
      CountData d;
      d.columns = 3;
      for ( int i = 0; i < 4000; ++i )
      {
        const double x1 = i % 5 == 0, x2 = i % 3 == 0;
        d.x.insert( d.x.end(), { 1.0, x1, x2 } );
        d.y.push_back( ( i * 7919 ) % 13 < ( x1 ? 4 : 2 ) + ( x2 ? 1 : 0 ) ? 1.0 : 0.0 );
      }
      const CountFit p = fitCountModel( CountFamily::Poisson, d );
      const CountFit nb = fitCountModel( static_cast<CountFamily>( family ), d );
      QVERIFY2( p.ok, qPrintable( p.error ) );
      QVERIFY2( nb.ok, qPrintable( nb.error ) );
      QVERIFY( nb.converged );
      QVERIFY( nb.alpha < 1e-4 );
      QVERIFY( std::fabs( nb.logLik - p.logLik ) < 1e-4 );
      QVERIFY( std::fabs( nb.bic - p.bic - std::log( 4000.0 ) ) < 1e-3 );
      for ( int c = 0; c < 3; ++c )
        QVERIFY( std::fabs( nb.beta[c] - p.beta[c] ) < 1e-4 );
      // Warm start from a fitted model (stepwise selection): same optimum.
      const std::vector<double> start = p.beta;
      CountFitOptions o;
      o.startBeta = &start;
      o.startAlpha = 1e-12;
      const CountFit warm = fitCountModel( static_cast<CountFamily>( family ), d, o );
      QVERIFY2( warm.ok, qPrintable( warm.error ) );
      QVERIFY( std::fabs( warm.logLik - nb.logLik ) < 1e-6 );
    }

    void leedsBicArithmetic()
    {
      // RTMDx Leeds burglary 2011: global deviance 18288.17 (= -2 logL), intercept + 2 variables + log sigma, 9,199 cells.
      const double bic = bayesianInformationCriterion( -18288.17 / 2, 4, 9199 );
      QVERIFY2( std::fabs( bic - 18324.68 ) < 0.005, qPrintable( QString::number( bic, 'f', 4 ) ) );
      // RRS range: exp(3.0617 + 2.1578) = 21.36 x 8.65 = 184.8.
      QVERIFY( std::fabs( std::exp( 3.0617 ) * std::exp( 2.1578 ) - 184.8 ) < 0.1 );
    }

    void refusesBadInput()
    {
      CountData d;
      d.columns = 2;
      d.x = { 1, 0, 1, 1 };
      d.y = { 0, 0 };
      CountFit f = fitCountModel( CountFamily::Poisson, d );
      QVERIFY( !f.ok );
      d.y = { 1, -1 };
      QVERIFY( !fitCountModel( CountFamily::NB1, d ).ok );
      d.x = { 1, 0 };
      QVERIFY( !fitCountModel( CountFamily::NB2, d ).ok );
    }
};

STATDESK_QGIS_TEST_MAIN( TestRtmCountModels )
#include "test_rtm_countmodels.moc"
