// Elastic-net Poisson path and cross-validation against R glmnet 4.1 (tests/data/rtm/make_glmnet_fixture.R).
#include "TestSupport.h"
#include "rtm/ElasticNet.h"

#include <QFile>
#include <QTextStream>

#include <random>

using namespace statdesk::rtm;

namespace
{
struct Table
{
    QStringList header;
    std::vector<std::vector<double>> rows;
    int column( const QString &name ) const { return header.indexOf( name ); }
};

Table readCsv( const QString &name )
{
  Table t;
  QFile f( statdesk::test::testData( QStringLiteral( "rtm/" ) + name ) );
  if ( !f.open( QIODevice::ReadOnly ) )
    return t;
  QTextStream in( &f );
  t.header = in.readLine().trimmed().split( ',' );
  while ( !in.atEnd() )
  {
    const QString line = in.readLine().trimmed();
    if ( line.isEmpty() )
      continue;
    std::vector<double> row;
    for ( const QString &v : line.split( ',' ) )
      row.push_back( v.toDouble() );
    t.rows.push_back( row );
  }
  return t;
}

struct Fixture
{
    std::vector<DesignColumn> x;
    std::vector<double> y;
    std::vector<int> foldId;
};

Fixture loadData()
{
  Fixture fx;
  const Table d = readCsv( QStringLiteral( "glmnet_data.csv" ) );
  const int p = 12;
  for ( int j = 0; j < p; ++j )
  {
    const int c = d.column( QStringLiteral( "x%1" ).arg( j + 1 ) );
    std::vector<double> v;
    std::vector<std::uint8_t> b;
    for ( const auto &r : d.rows )
    {
      v.push_back( r[c] );
      b.push_back( r[c] != 0 );
    }
    // x1..x10 are 0/1 and go through the sparse binary representation; x11, x12 dense.
    fx.x.push_back( j < 10 ? DesignColumn::fromBinary( b ) : DesignColumn::fromDense( v ) );
  }
  for ( const auto &r : d.rows )
  {
    fx.y.push_back( r[d.column( QStringLiteral( "y" ) )] );
    fx.foldId.push_back( static_cast<int>( r[d.column( QStringLiteral( "foldid" ) )] ) );
  }
  return fx;
}

void comparePath( const ElasticNetPath &path, const Table &ref, int maxRows )
{
  QVERIFY2( path.ok, qPrintable( path.error ) );
  QCOMPARE( static_cast<int>( path.lambda.size() ), maxRows );
  double worst = 0;
  for ( int k = 0; k < maxRows; ++k )
  {
    const auto &r = ref.rows[k];
    QVERIFY( std::fabs( path.lambda[k] - r[0] ) <= 1e-9 * r[0] );
    worst = std::max( worst, std::fabs( path.intercept[k] - r[1] ) );
    for ( int j = 0; j < 12; ++j )
    {
      worst = std::max( worst, std::fabs( path.beta[k][j] - r[2 + j] ) );
      // Same support: a coefficient R sets to zero is zero here too (unless R's is tiny).
      if ( r[2 + j] == 0 )
        QVERIFY2( std::fabs( path.beta[k][j] ) < 1e-6, qPrintable( QStringLiteral( "lambda %1 x%2: %3 vs 0" ).arg( k ).arg( j + 1 ).arg( path.beta[k][j] ) ) );
    }
  }
  qInfo( "max |coefficient difference| vs R glmnet: %.3g", worst );
  QVERIFY( worst < 1e-4 );
}
} // namespace

class TestRtmElasticNet : public QObject
{
    Q_OBJECT
  private slots:
    void pathMatchesGlmnet()
    {
      const Fixture fx = loadData();
      QCOMPARE( static_cast<int>( fx.y.size() ), 600 );
      const Table ref = readCsv( QStringLiteral( "glmnet_path.csv" ) );
      ElasticNetOptions o;
      o.alpha = 0.5;
      o.fdev = 0;
      for ( const auto &r : ref.rows )
        o.lambda.push_back( r[0] );
      comparePath( fitPoissonElasticNet( fx.x, fx.y, {}, o ), ref, static_cast<int>( ref.rows.size() ) );
    }

    void defaultLambdaSequenceMatchesGlmnet()
    {
      const Fixture fx = loadData();
      const Table ref = readCsv( QStringLiteral( "glmnet_default.csv" ) );
      ElasticNetOptions o;
      o.alpha = 0.5;
      o.fdev = 0;
      const ElasticNetPath path = fitPoissonElasticNet( fx.x, fx.y, {}, o );
      comparePath( path, ref, static_cast<int>( ref.rows.size() ) );
    }

    void crossValidationMatchesCvGlmnet()
    {
      const Fixture fx = loadData();
      const Table ref = readCsv( QStringLiteral( "glmnet_cv.csv" ) );
      ElasticNetOptions o;
      o.alpha = 0.5;
      o.fdev = 0;
      o.threads = 2;
      for ( const auto &r : ref.rows )
        o.lambda.push_back( r[0] );
      const ElasticNetCv cv = crossValidatePoissonElasticNet( fx.x, fx.y, {}, o, fx.foldId );
      QVERIFY2( cv.ok, qPrintable( cv.error ) );
      double worstM = 0, worstSd = 0;
      int refMin = 0;
      for ( std::size_t k = 0; k < ref.rows.size(); ++k )
      {
        worstM = std::max( worstM, std::fabs( cv.cvm[k] - ref.rows[k][1] ) );
        worstSd = std::max( worstSd, std::fabs( cv.cvsd[k] - ref.rows[k][2] ) );
        if ( ref.rows[k][1] < ref.rows[refMin][1] )
          refMin = static_cast<int>( k );
      }
      qInfo( "max |cvm difference| %.3g, |cvsd difference| %.3g", worstM, worstSd );
      QVERIFY( worstM < 1e-4 );
      QVERIFY( worstSd < 1e-4 );
      QCOMPARE( cv.indexMin, refMin );
    }

    void deterministicAcrossThreads()
    {
      const Fixture fx = loadData();
      ElasticNetOptions o;
      o.threads = 1;
      o.seed = 7;
      const ElasticNetCv a = crossValidatePoissonElasticNet( fx.x, fx.y, {}, o );
      o.threads = 3;
      const ElasticNetCv b = crossValidatePoissonElasticNet( fx.x, fx.y, {}, o );
      QVERIFY( a.ok && b.ok );
      QVERIFY( a.cvm == b.cvm );
      QCOMPARE( a.indexMin, b.indexMin );
      QVERIFY( a.foldId == b.foldId );
      // The fold ids are a permutation of rep(1..10).
      std::vector<int> counts( 11, 0 );
      for ( int f : a.foldId )
        ++counts[f];
      QCOMPARE( counts[1], 60 );
      QCOMPARE( counts[10], 60 );
    }

    void frequencyWeightsEqualRepeatedRows()
    {
      // Weight 2 on a row is the same fit as that row twice.
      const Fixture fx = loadData();
      std::vector<double> w( fx.y.size(), 1.0 );
      w[3] = 2;
      std::vector<DesignColumn> x2;
      for ( const DesignColumn &c : fx.x )
      {
        std::vector<double> v;
        for ( int i = 0; i < c.rows(); ++i )
          v.push_back( c.value( i ) );
        v.push_back( c.value( 3 ) );
        x2.push_back( DesignColumn::fromDense( v ) );
      }
      std::vector<double> y2 = fx.y;
      y2.push_back( fx.y[3] );
      ElasticNetOptions o;
      o.nLambda = 20;
      const ElasticNetPath a = fitPoissonElasticNet( fx.x, fx.y, w, o );
      o.lambda = a.lambda;
      const ElasticNetPath b = fitPoissonElasticNet( x2, y2, {}, o );
      QVERIFY( a.ok && b.ok );
      for ( std::size_t k = 0; k < a.lambda.size(); ++k )
        for ( int j = 0; j < 12; ++j )
          QVERIFY( std::fabs( a.beta[k][j] - b.beta[k][j] ) < 1e-8 );
    }

    void binaryGroupsMatchDenseColumns()
    {
      // 1,500 cells, 8 factors x (4 nested proximity bands + 4 density flags): the solver codes
      // binary columns in groups (up to 256 bit patterns each, so some factors are split) and
      // must give the same path and cross-validation as the same numbers held as dense columns.
      std::mt19937_64 rng( 11 );
      std::uniform_real_distribution<double> u( 0, 1 );
      const int n = 1500, factors = 8;
      std::vector<std::vector<std::uint8_t>> bits;
      std::vector<double> eta( n, -1.0 );
      for ( int f = 0; f < factors; ++f )
      {
        std::vector<double> d( n );
        for ( double &v : d )
          v = u( rng ) * 6;
        for ( int b = 1; b <= 4; ++b )
        {
          std::vector<std::uint8_t> col( n );
          for ( int i = 0; i < n; ++i )
            col[i] = d[i] <= b;
          bits.push_back( col );
        }
        for ( int b = 0; b < 4; ++b )
        {
          std::vector<std::uint8_t> col( n );
          for ( int i = 0; i < n; ++i )
            col[i] = u( rng ) < 0.1 + 0.2 * b;
          bits.push_back( col );
        }
        if ( f < 3 )
          for ( int i = 0; i < n; ++i )
            eta[i] += ( 0.3 + 0.2 * f ) * bits[f * 8 + 1][i];
      }
      std::vector<double> y( n );
      for ( int i = 0; i < n; ++i )
        y[i] = std::poisson_distribution<int>( std::exp( eta[i] ) )( rng );
      std::vector<DesignColumn> binary, dense;
      for ( const auto &col : bits )
      {
        binary.push_back( DesignColumn::fromBinary( col ) );
        dense.push_back( DesignColumn::fromDense( std::vector<double>( col.begin(), col.end() ) ) );
      }
      ElasticNetOptions o;
      o.nLambda = 40;
      o.threshold = 1e-14;
      const ElasticNetCv a = crossValidatePoissonElasticNet( binary, y, {}, o );
      const ElasticNetCv b = crossValidatePoissonElasticNet( dense, y, {}, o );
      QVERIFY2( a.ok, qPrintable( a.error ) );
      QVERIFY2( b.ok, qPrintable( b.error ) );
      QCOMPARE( a.path.lambda.size(), b.path.lambda.size() );
      double worst = 0;
      for ( std::size_t k = 0; k < a.path.lambda.size(); ++k )
      {
        worst = std::max( worst, std::fabs( a.path.intercept[k] - b.path.intercept[k] ) );
        for ( std::size_t j = 0; j < bits.size(); ++j )
          worst = std::max( worst, std::fabs( a.path.beta[k][j] - b.path.beta[k][j] ) );
        QVERIFY( std::fabs( a.cvm[k] - b.cvm[k] ) < 1e-9 );
      }
      qInfo( "max |coefficient difference| binary vs dense: %.3g", worst );
      QVERIFY( worst < 1e-6 );
      QCOMPARE( a.indexMin, b.indexMin );
      // The planted band of the first three factors is selected at lambda.min.
      for ( int f = 0; f < 3; ++f )
        QVERIFY( a.path.beta[a.indexMin][f * 8 + 1] > 0.1 );
    }

    void refusesBadInput()
    {
      const Fixture fx = loadData();
      std::vector<double> y( fx.y.size(), 0.0 );
      ElasticNetOptions o;
      const ElasticNetPath p = fitPoissonElasticNet( fx.x, y, {}, o );
      QVERIFY( !p.ok );
      QVERIFY( p.error.contains( QStringLiteral( "zero" ) ) );
      std::vector<double> shortY( 10, 1.0 );
      QVERIFY( !fitPoissonElasticNet( fx.x, shortY, {}, o ).ok );
    }
};

STATDESK_QGIS_TEST_MAIN( TestRtmElasticNet )
#include "test_rtm_elasticnet.moc"
