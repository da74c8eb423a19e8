#include "RtmEngine.h"
#include "ElasticNet.h"
#include "RtmSpatial.h"

#include <qgscoordinatereferencesystem.h>
#include <qgsfeedback.h>

#include <QElapsedTimer>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>
#include <unordered_map>

namespace statdesk::rtm
{

// ---------------------------------------------------------------------------------------------
// Parameters

QString operationalisationName( Operationalisation op )
{
  switch ( op )
  {
    case Operationalisation::Proximity:
      return QStringLiteral( "proximity" );
    case Operationalisation::Density:
      return QStringLiteral( "density" );
    case Operationalisation::Both:
      return QStringLiteral( "both" );
  }
  return QString();
}

bool parseOperationalisation( const QString &text, Operationalisation *op )
{
  const QString t = text.trimmed().toLower();
  if ( t == QLatin1String( "proximity" ) || t == QLatin1String( "p" ) )
    *op = Operationalisation::Proximity;
  else if ( t == QLatin1String( "density" ) || t == QLatin1String( "d" ) )
    *op = Operationalisation::Density;
  else if ( t == QLatin1String( "both" ) || t == QLatin1String( "b" ) )
    *op = Operationalisation::Both;
  else
    return false;
  return true;
}

QString crsDistanceUnit( const QString &crs )
{
  if ( crs.trimmed().isEmpty() )
    return QStringLiteral( "m" );
  QgsCoordinateReferenceSystem c( crs );
  if ( !c.isValid() )
    c = QgsCoordinateReferenceSystem::fromWkt( crs );
  switch ( c.mapUnits() )
  {
    case QgsUnitTypes::DistanceFeet:
      return QStringLiteral( "ft" );
    default:
      return QStringLiteral( "m" );
  }
}

int RiskFactorSpec::bands() const
{
  const double step = increment == Increment::Half ? 0.5 : 1.0;
  return std::max( 1, static_cast<int>( std::floor( spatialInfluenceBlocks / step + 1e-9 ) ) );
}

QJsonObject RiskFactorSpec::toJson() const
{
  return QJsonObject {
    { QStringLiteral( "name" ), name },
    { QStringLiteral( "layer" ), layer },
    { QStringLiteral( "filter" ), filter },
    { QStringLiteral( "operationalisation" ), operationalisationName( operationalisation ) },
    { QStringLiteral( "spatial_influence_blocks" ), spatialInfluenceBlocks },
    { QStringLiteral( "increment" ), increment == Increment::Half ? QStringLiteral( "half" ) : QStringLiteral( "whole" ) },
  };
}

bool RiskFactorSpec::fromJson( const QJsonObject &json, RiskFactorSpec *spec, QString *error )
{
  RiskFactorSpec f;
  f.name = json.value( QStringLiteral( "name" ) ).toString();
  f.layer = json.value( QStringLiteral( "layer" ) ).toString();
  f.filter = json.value( QStringLiteral( "filter" ) ).toString();
  if ( !parseOperationalisation( json.value( QStringLiteral( "operationalisation" ) ).toString( QStringLiteral( "both" ) ), &f.operationalisation ) )
  {
    *error = QStringLiteral( "factor %1: unknown operationalisation" ).arg( f.name );
    return false;
  }
  f.spatialInfluenceBlocks = json.value( QStringLiteral( "spatial_influence_blocks" ) ).toDouble( 3 );
  f.increment = json.value( QStringLiteral( "increment" ) ).toString() == QLatin1String( "half" ) ? Increment::Half : Increment::Whole;
  *spec = f;
  return true;
}

bool RtmParameters::fromJson( const QJsonObject &json, RtmParameters *parameters, QString *error )
{
  RtmParameters p;
  auto text = [&json]( const char *key, const QString &fallback ) { return json.value( QLatin1String( key ) ).toString( fallback ); };
  auto date = [&json]( const char *key ) { return QDate::fromString( json.value( QLatin1String( key ) ).toString(), Qt::ISODate ); };
  p.outcomeLayer = text( "outcome_layer", p.outcomeLayer );
  p.outcomeFilter = text( "outcome_filter", p.outcomeFilter );
  p.dateColumn = text( "date_column", QString() );
  p.trainFrom = date( "train_from" );
  p.trainTo = date( "train_to" );
  p.testFrom = date( "test_from" );
  p.testTo = date( "test_to" );
  p.studyAreaLayer = text( "study_area_layer", p.studyAreaLayer );
  p.studyAreaFilter = text( "study_area_filter", p.studyAreaFilter );
  for ( const QJsonValue &v : json.value( QStringLiteral( "factors" ) ).toArray() )
  {
    RiskFactorSpec f;
    if ( !RiskFactorSpec::fromJson( v.toObject(), &f, error ) )
      return false;
    p.factors << f;
  }
  p.blockLength = json.value( QStringLiteral( "block_length" ) ).toDouble( p.blockLength );
  p.cellSize = json.value( QStringLiteral( "cell_size" ) ).toDouble( 0 );
  p.densityThresholdSd = json.value( QStringLiteral( "density_threshold_sd" ) ).toDouble( p.densityThresholdSd );
  p.alpha = json.value( QStringLiteral( "alpha" ) ).toDouble( p.alpha );
  p.folds = json.value( QStringLiteral( "folds" ) ).toInt( p.folds );
  bool seedOk = true;
  if ( json.contains( QStringLiteral( "seed" ) ) )
    p.seed = json.value( QStringLiteral( "seed" ) ).toString().toULongLong( &seedOk );
  if ( !seedOk )
  {
    *error = QStringLiteral( "seed is not a number" );
    return false;
  }
  p.negativeBinomial = text( "negative_binomial", QStringLiteral( "nb1" ) ) == QLatin1String( "nb2" ) ? CountFamily::NB2 : CountFamily::NB1;
  p.hotSpotRadius = json.value( QStringLiteral( "hot_spot_radius" ) ).toDouble( 0 );
  *parameters = p;
  return true;
}

QJsonObject RtmParameters::toJson() const
{
  QJsonArray f;
  for ( const RiskFactorSpec &s : factors )
    f.append( s.toJson() );
  auto date = []( const QDate &d ) { return d.isValid() ? QJsonValue( d.toString( Qt::ISODate ) ) : QJsonValue(); };
  return QJsonObject {
    { QStringLiteral( "outcome_layer" ), outcomeLayer },
    { QStringLiteral( "outcome_filter" ), outcomeFilter },
    { QStringLiteral( "date_column" ), dateColumn },
    { QStringLiteral( "train_from" ), date( trainFrom ) },
    { QStringLiteral( "train_to" ), date( trainTo ) },
    { QStringLiteral( "test_from" ), date( testFrom ) },
    { QStringLiteral( "test_to" ), date( testTo ) },
    { QStringLiteral( "study_area_layer" ), studyAreaLayer },
    { QStringLiteral( "study_area_filter" ), studyAreaFilter },
    { QStringLiteral( "factors" ), f },
    { QStringLiteral( "block_length" ), blockLength },
    { QStringLiteral( "cell_size" ), effectiveCellSize() },
    { QStringLiteral( "density_threshold_sd" ), densityThresholdSd },
    { QStringLiteral( "alpha" ), alpha },
    { QStringLiteral( "folds" ), folds },
    { QStringLiteral( "seed" ), QString::number( seed ) },
    { QStringLiteral( "negative_binomial" ), countFamilyName( negativeBinomial ) },
    { QStringLiteral( "hot_spot_radius" ), effectiveHotSpotRadius() },
  };
}

bool RtmParameters::validate( QString *error ) const
{
  auto fail = [error]( const QString &m ) {
    if ( error )
      *error = m;
    return false;
  };
  if ( !( blockLength > 0 ) )
    return fail( QStringLiteral( "block length must be positive" ) );
  if ( cellSize < 0 )
    return fail( QStringLiteral( "cell size must be positive" ) );
  if ( !( alpha > 0 && alpha <= 1 ) )
    return fail( QStringLiteral( "alpha must be in (0, 1]" ) );
  if ( folds < 3 )
    return fail( QStringLiteral( "at least 3 folds are needed" ) );
  if ( factors.isEmpty() )
    return fail( QStringLiteral( "no risk factors" ) );
  if ( negativeBinomial == CountFamily::Poisson )
    return fail( QStringLiteral( "the negative binomial family must be NB1 or NB2" ) );
  static const QRegularExpression nameRe( QStringLiteral( "^[A-Za-z0-9_]+$" ) );
  QStringList names;
  for ( const RiskFactorSpec &f : factors )
  {
    if ( !nameRe.match( f.name ).hasMatch() )
      return fail( QStringLiteral( "factor name \"%1\": use letters, digits and _" ).arg( f.name ) );
    if ( names.contains( f.name ) )
      return fail( QStringLiteral( "factor name \"%1\" is used twice" ).arg( f.name ) );
    names << f.name;
    if ( f.layer.isEmpty() )
      return fail( QStringLiteral( "factor %1 has no layer" ).arg( f.name ) );
    if ( !( f.spatialInfluenceBlocks > 0 ) )
      return fail( QStringLiteral( "factor %1: spatial influence must be positive" ).arg( f.name ) );
  }
  if ( trainFrom.isValid() && trainTo.isValid() && trainTo < trainFrom )
    return fail( QStringLiteral( "the training window ends before it starts" ) );
  if ( testFrom.isValid() && testTo.isValid() && testTo < testFrom )
    return fail( QStringLiteral( "the validation window ends before it starts" ) );
  return true;
}

// ---------------------------------------------------------------------------------------------
// Pipeline helpers

namespace
{

QString formatDistance( double d )
{
  return std::fabs( d - std::round( d ) ) < 1e-6 ? QString::number( static_cast<qint64>( std::llround( d ) ) ) : QString::number( d, 'f', 1 );
}

double meanOf( const std::vector<double> &v )
{
  return v.empty() ? 0 : std::accumulate( v.begin(), v.end(), 0.0 ) / v.size();
}

double sdOf( const std::vector<double> &v, double m )
{
  double s = 0;
  for ( double x : v )
    s += ( x - m ) * ( x - m );
  return v.empty() ? 0 : std::sqrt( s / v.size() );
}

std::uint64_t hashBytes( const std::vector<std::uint8_t> &v )
{
  std::uint64_t h = 1469598103934665603ULL;
  for ( std::uint8_t b : v )
  {
    h ^= b;
    h *= 1099511628211ULL;
  }
  return h;
}

/**
 * Groups in-area cells by (values of the model's variables, count) so that every count model
 * is fitted on a few hundred weighted rows instead of every cell. Exact: each likelihood is a
 * sum over cells of a function of (x, y). A candidate variable's rows come from the cells where
 * it takes its minority value (an index list per pool variable), not from a scan of every cell.
 */
class Aggregator
{
  public:
    //! Cells grouped by the values of some variables: group of each cell, a cell of each group, cells per (group, count level).
    struct Grouping
    {
        std::vector<int> group;
        std::vector<int> representative;
        std::vector<double> cells;
        int count = 0;
    };

    Aggregator( const std::vector<std::vector<std::uint8_t>> &design, const std::vector<int> &y, const std::vector<int> &pool )
      : mDesign( design ), mN( static_cast<int>( y.size() ) )
    {
      // Count levels: the distinct counts, ascending.
      std::vector<int> values( y.begin(), y.end() );
      std::sort( values.begin(), values.end() );
      values.erase( std::unique( values.begin(), values.end() ), values.end() );
      mLevelValue = values;
      mLevel.resize( mN );
      for ( int i = 0; i < mN; ++i )
        mLevel[i] = static_cast<int>( std::lower_bound( values.begin(), values.end(), y[i] ) - values.begin() );
      mMinority.resize( design.size() );
      mMinorityIsOne.assign( design.size(), true );
      for ( int c : pool )
      {
        const std::vector<std::uint8_t> &col = design[c];
        const int ones = static_cast<int>( std::count_if( col.begin(), col.end(), []( std::uint8_t v ) { return v != 0; } ) );
        const bool one = ones * 2 <= mN;
        mMinorityIsOne[c] = one;
        std::vector<int> &list = mMinority[c];
        list.reserve( one ? ones : mN - ones );
        for ( int i = 0; i < mN; ++i )
          if ( ( col[i] != 0 ) == one )
            list.push_back( i );
      }
    }

    int levels() const { return static_cast<int>( mLevelValue.size() ); }

    Grouping grouping( const std::vector<int> &columns ) const
    {
      Grouping gr;
      gr.group.assign( mN, 0 );
      int G = 1;
      std::vector<int> map;
      for ( int c : columns )
      {
        map.assign( static_cast<std::size_t>( G ) * 2, -1 );
        int next = 0;
        const std::vector<std::uint8_t> &col = mDesign[c];
        for ( int i = 0; i < mN; ++i )
        {
          int &m = map[static_cast<std::size_t>( gr.group[i] ) * 2 + ( col[i] != 0 )];
          if ( m < 0 )
            m = next++;
          gr.group[i] = m;
        }
        G = next;
      }
      gr.count = G;
      gr.representative.assign( G, -1 );
      gr.cells.assign( static_cast<std::size_t>( G ) * levels(), 0.0 );
      for ( int i = 0; i < mN; ++i )
      {
        const int g = gr.group[i];
        if ( gr.representative[g] < 0 )
          gr.representative[g] = i;
        gr.cells[static_cast<std::size_t>( g ) * levels() + mLevel[i]] += 1;
      }
      return gr;
    }

    /**
     * Weighted rows (intercept, columns..., [extra], count) for the grouping \a gr of \a columns,
     * split by the pool variable \a extra (-1: none). \a scratch holds zeros between calls.
     */
    CountData data( const Grouping &gr, const std::vector<int> &columns, int extra, std::vector<double> &scratch ) const
    {
      const int L = levels();
      const std::size_t size = static_cast<std::size_t>( gr.count ) * L;
      CountData d;
      d.columns = 1 + static_cast<int>( columns.size() ) + ( extra >= 0 ? 1 : 0 );
      auto addRow = [&]( int g, int level, double cells, double x ) {
        if ( cells <= 0 )
          return;
        d.x.push_back( 1.0 );
        for ( int c : columns )
          d.x.push_back( mDesign[c][gr.representative[g]] );
        if ( extra >= 0 )
          d.x.push_back( x );
        d.y.push_back( mLevelValue[level] );
        d.weight.push_back( cells );
      };
      if ( extra < 0 )
      {
        for ( int g = 0; g < gr.count; ++g )
          for ( int l = 0; l < L; ++l )
            addRow( g, l, gr.cells[static_cast<std::size_t>( g ) * L + l], 0 );
        return d;
      }
      if ( scratch.size() < size )
        scratch.resize( size, 0.0 );
      const std::vector<int> &list = mMinority[extra];
      for ( int i : list )
        scratch[static_cast<std::size_t>( gr.group[i] ) * L + mLevel[i]] += 1;
      const bool minorityIsOne = mMinorityIsOne[extra];
      for ( int g = 0; g < gr.count; ++g )
        for ( int x = 0; x <= 1; ++x )
          for ( int l = 0; l < L; ++l )
          {
            const std::size_t k = static_cast<std::size_t>( g ) * L + l;
            const bool minority = ( x == 1 ) == minorityIsOne;
            addRow( g, l, minority ? scratch[k] : gr.cells[k] - scratch[k], x );
          }
      for ( int i : list )
        scratch[static_cast<std::size_t>( gr.group[i] ) * L + mLevel[i]] = 0;
      return d;
    }

  private:
    const std::vector<std::vector<std::uint8_t>> &mDesign;
    const int mN;
    std::vector<int> mLevel;      //!< count level of each cell
    std::vector<int> mLevelValue; //!< count of each level
    std::vector<std::vector<int>> mMinority;
    std::vector<bool> mMinorityIsOne;
};

struct Move
{
    enum Kind
    {
      Add,
      Replace,
      Drop,
    } kind = Add;
    int variable = -1; //!< design column added (Add, Replace)
    int removed = -1;  //!< design column removed (Replace, Drop)
    CountFit fit;
};

/**
 * Bidirectional stepwise BIC selection from the intercept-only model over design columns
 * \a pool, at most one column per factor (adding another band of a factor in the model replaces it).
 */
FamilyModel stepwise( CountFamily family, const Aggregator &agg, const std::vector<int> &pool, const std::vector<int> &factorOf,
                      const std::vector<QString> &names, int threads, QgsFeedback *feedback, double progressFrom, double progressTo )
{
  FamilyModel out;
  out.family = family;
  std::vector<int> model;
  std::vector<double> scratch;
  Aggregator::Grouping grouping = agg.grouping( model );
  CountFit current = fitCountModel( family, agg.data( grouping, model, -1, scratch ) );
  if ( !current.ok )
  {
    out.error = QStringLiteral( "%1 intercept-only model: %2" ).arg( countFamilyName( family ), current.error );
    return out;
  }
  out.trace.append( QJsonObject { { QStringLiteral( "step" ), 0 }, { QStringLiteral( "action" ), QStringLiteral( "start" ) }, { QStringLiteral( "variable" ), QString() }, { QStringLiteral( "bic" ), current.bic } } );

  for ( int step = 1; step <= 4 * static_cast<int>( pool.size() ) + 10; ++step )
  {
    if ( feedback && feedback->isCanceled() )
    {
      out.error = QStringLiteral( "canceled" );
      return out;
    }
    // Groups of the model without each of its variables (for Replace and Drop).
    std::vector<Aggregator::Grouping> without( model.size() );
    for ( std::size_t m = 0; m < model.size(); ++m )
    {
      std::vector<int> rest = model;
      rest.erase( rest.begin() + static_cast<long>( m ) );
      without[m] = agg.grouping( rest );
    }
    std::vector<Move> moves;
    for ( int v : pool )
    {
      if ( std::find( model.begin(), model.end(), v ) != model.end() )
        continue;
      Move mv;
      mv.variable = v;
      for ( int o : model )
        if ( factorOf[o] == factorOf[v] )
        {
          mv.kind = Move::Replace;
          mv.removed = o;
        }
      moves.push_back( mv );
    }
    for ( int o : model )
    {
      Move mv;
      mv.kind = Move::Drop;
      mv.removed = o;
      moves.push_back( mv );
    }
    std::atomic<int> next( 0 );
    auto worker = [&] {
      std::vector<double> workerScratch;
      for ( ;; )
      {
        const int k = next++;
        if ( k >= static_cast<int>( moves.size() ) )
          return;
        Move &mv = moves[k];
        std::vector<int> cols;
        const Aggregator::Grouping *gr = &grouping;
        if ( mv.removed >= 0 )
        {
          const std::size_t m = std::find( model.begin(), model.end(), mv.removed ) - model.begin();
          gr = &without[m];
          for ( int c : model )
            if ( c != mv.removed )
              cols.push_back( c );
        }
        else
          cols = model;
        const CountData d = agg.data( *gr, cols, mv.variable, workerScratch );
        // Warm start from the current model (a new variable at 0): a few Newton steps, same optimum.
        std::vector<double> start { current.beta[0] };
        for ( std::size_t m = 0; m < model.size(); ++m )
          if ( model[m] != mv.removed )
            start.push_back( current.beta[m + 1] );
        if ( mv.variable >= 0 )
          start.push_back( 0.0 );
        CountFitOptions fitOptions;
        fitOptions.startBeta = &start;
        fitOptions.startAlpha = current.alpha;
        mv.fit = fitCountModel( family, d, fitOptions );
      }
    };
    std::vector<std::thread> pool2;
    for ( int t = 1; t < std::max( 1, threads ); ++t )
      pool2.emplace_back( worker );
    worker();
    for ( std::thread &t : pool2 )
      t.join();

    int best = -1;
    for ( int k = 0; k < static_cast<int>( moves.size() ); ++k )
    {
      if ( !moves[k].fit.ok )
        continue;
      if ( best < 0 || moves[k].fit.bic < moves[best].fit.bic - 1e-9 )
        best = k;
    }
    if ( best < 0 || !( moves[best].fit.bic < current.bic - 1e-9 ) )
      break;
    const Move &mv = moves[best];
    QString action;
    if ( mv.kind == Move::Add )
    {
      model.push_back( mv.variable );
      action = QStringLiteral( "add" );
    }
    else if ( mv.kind == Move::Drop )
    {
      model.erase( std::find( model.begin(), model.end(), mv.removed ) );
      action = QStringLiteral( "drop" );
    }
    else
    {
      model.erase( std::find( model.begin(), model.end(), mv.removed ) );
      model.push_back( mv.variable );
      action = QStringLiteral( "replace" );
    }
    current = mv.fit;
    grouping = agg.grouping( model );
    QJsonObject t { { QStringLiteral( "step" ), step }, { QStringLiteral( "action" ), action }, { QStringLiteral( "bic" ), current.bic } };
    t.insert( QStringLiteral( "variable" ), mv.variable >= 0 ? names[mv.variable] : names[mv.removed] );
    if ( mv.kind == Move::Replace )
      t.insert( QStringLiteral( "replaced" ), names[mv.removed] );
    out.trace.append( t );
    if ( feedback )
      feedback->setProgress( progressFrom + ( progressTo - progressFrom ) * std::min( 1.0, step / 12.0 ) );
  }
  // Final fit with the columns in model order (current's columns are in that order already).
  const CountData d = agg.data( grouping, model, -1, scratch );
  const CountFit fit = fitCountModel( family, d );
  if ( !fit.ok )
  {
    out.error = fit.error;
    return out;
  }
  out.ok = true;
  out.bic = fit.bic;
  out.logLik = fit.logLik;
  out.parameters = fit.parameters;
  out.intercept = fit.beta[0];
  out.interceptSe = fit.se[0];
  out.interceptP = fit.p[0];
  out.alpha = fit.alpha;
  out.alphaSe = fit.alphaSe;
  out.variables = model;
  for ( std::size_t m = 0; m < model.size(); ++m )
  {
    ModelTerm t;
    t.beta = fit.beta[m + 1];
    t.se = fit.se[m + 1];
    t.z = fit.z[m + 1];
    t.p = fit.p[m + 1];
    t.rrv = std::exp( t.beta );
    t.protective = t.beta < 0;
    out.terms.push_back( t );
  }
  return out;
}

//! Top-area hits for a score per cell; ties at the cut share their hits proportionally.
ValidationRow topAreaHits( const QString &method, const std::vector<double> &score, const std::vector<int> &test, double share )
{
  ValidationRow row;
  row.method = method;
  row.areaShare = share;
  const int n = static_cast<int>( score.size() );
  const int k = std::max( 1, static_cast<int>( std::llround( share * n ) ) );
  row.cells = k;
  std::vector<int> order( n );
  std::iota( order.begin(), order.end(), 0 );
  std::stable_sort( order.begin(), order.end(), [&]( int a, int b ) { return score[a] > score[b]; } );
  const double cut = score[order[k - 1]];
  double hitsAbove = 0, hitsTie = 0;
  int above = 0, tie = 0;
  for ( int i = 0; i < n; ++i )
  {
    if ( score[i] > cut )
    {
      ++above;
      hitsAbove += test[i];
    }
    else if ( score[i] == cut )
    {
      ++tie;
      hitsTie += test[i];
    }
  }
  row.hits = hitsAbove + ( tie > 0 ? hitsTie * ( k - above ) / tie : 0.0 );
  double total = 0;
  for ( int t : test )
    total += t;
  std::vector<int> best = test;
  std::sort( best.begin(), best.end(), std::greater<int>() );
  double nStar = 0;
  for ( int i = 0; i < k; ++i )
    nStar += best[i];
  row.hitRate = total > 0 ? row.hits / total : 0;
  row.pai = row.hitRate / ( static_cast<double>( k ) / n );
  row.pei = nStar > 0 ? row.hits / nStar : 0;
  return row;
}

QJsonObject termJson( const ModelTerm &t )
{
  return QJsonObject {
    { QStringLiteral( "variable" ), t.variable },
    { QStringLiteral( "factor" ), t.factor },
    { QStringLiteral( "operationalisation" ), t.operationalisation },
    { QStringLiteral( "spatial_influence" ), t.distance },
    { QStringLiteral( "coefficient" ), t.beta },
    { QStringLiteral( "se" ), t.se },
    { QStringLiteral( "z" ), t.z },
    { QStringLiteral( "p" ), t.p },
    { QStringLiteral( "rrv" ), t.rrv },
    { QStringLiteral( "protective" ), t.protective },
  };
}

QJsonObject familyJson( const FamilyModel &m )
{
  QJsonArray terms;
  for ( const ModelTerm &t : m.terms )
    terms.append( termJson( t ) );
  QJsonObject o {
    { QStringLiteral( "family" ), countFamilyName( m.family ) },
    { QStringLiteral( "ok" ), m.ok },
    { QStringLiteral( "bic" ), m.bic },
    { QStringLiteral( "log_likelihood" ), m.logLik },
    { QStringLiteral( "parameters" ), m.parameters },
    { QStringLiteral( "intercept" ), QJsonObject { { QStringLiteral( "coefficient" ), m.intercept }, { QStringLiteral( "se" ), m.interceptSe }, { QStringLiteral( "p" ), m.interceptP } } },
    { QStringLiteral( "terms" ), terms },
    { QStringLiteral( "trace" ), m.trace },
  };
  if ( m.family != CountFamily::Poisson )
    o.insert( QStringLiteral( "dispersion" ), QJsonObject { { QStringLiteral( "alpha" ), m.alpha }, { QStringLiteral( "se" ), m.alphaSe }, { QStringLiteral( "log_alpha" ), m.alpha > 0 ? std::log( m.alpha ) : 0.0 } } );
  if ( !m.error.isEmpty() )
    o.insert( QStringLiteral( "error" ), m.error );
  return o;
}

QString familyLabel( CountFamily f )
{
  switch ( f )
  {
    case CountFamily::Poisson:
      return QStringLiteral( "Poisson" );
    case CountFamily::NB1:
      return QStringLiteral( "negative binomial (NB1, Var = mu(1+sigma), RTMDx-compatible)" );
    case CountFamily::NB2:
      return QStringLiteral( "negative binomial (NB2, Var = mu + mu^2/theta)" );
  }
  return QString();
}

QString windowText( const QDate &from, const QDate &to )
{
  if ( !from.isValid() && !to.isValid() )
    return QStringLiteral( "all dates" );
  return QStringLiteral( "%1 to %2" ).arg( from.isValid() ? from.toString( Qt::ISODate ) : QStringLiteral( "the first record" ), to.isValid() ? to.toString( Qt::ISODate ) : QStringLiteral( "the last record" ) );
}

//! "240 m (2 blocks)": a distance in the CRS unit and in blocks of \a blockLength.
QString distanceText( double distance, double blockLength, const QString &unit )
{
  const double blocks = distance / blockLength;
  const QString b = std::fabs( blocks - 1 ) < 1e-9 ? QStringLiteral( "1 block" ) : QStringLiteral( "%1 blocks" ).arg( formatDistance( blocks ) );
  return QStringLiteral( "%1 %2 (%3)" ).arg( formatDistance( distance ), unit, b );
}

/**
 * The plain-language summary of a run: what was modelled over which windows and cells (with
 * units), the family, the factors by RRV, the highest-risk and priority places and, when there
 * is a validation window, how the top 10% of cells did against the baselines.
 */
QString narrativeText( const RtmParameters &parameters, const RtmResult &result, const QString &unit )
{
  const QLocale c = QLocale::c();
  const FamilyModel &model = result.chosen();
  const int n = result.grid.cellsInArea();
  const double cell = result.grid.cell;
  const QString outcome = parameters.outcomeFilter.trimmed().isEmpty() ? parameters.outcomeLayer : QStringLiteral( "%1 where %2" ).arg( parameters.outcomeLayer, parameters.outcomeFilter );
  QString text = QStringLiteral( "Outcome: %1, training window %2. " ).arg( outcome, windowText( parameters.trainFrom, parameters.trainTo ) );
  text += QStringLiteral( "%1 events fell in %2 of %3 cells of %4 x %4 %5 (block length %6 %5); %7 events were outside the study area. " )
            .arg( c.toString( result.eventsInArea ), c.toString( result.cellsWithEvents ), c.toString( n ), formatDistance( cell ), unit, formatDistance( parameters.blockLength ) )
            .arg( c.toString( result.eventsOutsideArea ) );
  QStringList risk, protective;
  std::vector<std::size_t> order( model.terms.size() );
  std::iota( order.begin(), order.end(), 0 );
  std::stable_sort( order.begin(), order.end(), [&]( std::size_t a, std::size_t b ) { return model.terms[a].rrv > model.terms[b].rrv; } );
  for ( std::size_t t : order )
  {
    const ModelTerm &term = model.terms[t];
    const QString d = distanceText( term.distance, parameters.blockLength, unit );
    const QString what = term.operationalisation == QLatin1String( "density" ) ? QStringLiteral( "with a high density of %1 (within %2)" ).arg( term.factor, d )
                                                                               : QStringLiteral( "within %1 of %2" ).arg( d, term.factor );
    ( term.protective ? protective : risk ) << QStringLiteral( "%1 (RRV %2)" ).arg( what, c.toString( term.rrv, 'f', 2 ) );
  }
  if ( risk.isEmpty() && protective.isEmpty() )
    text += QStringLiteral( "No risk factor improved on a uniform risk (BIC): the model has no variables." );
  else
  {
    const FamilyModel &other = result.chosenFamily == CountFamily::Poisson ? result.negativeBinomial : result.poisson;
    text += QStringLiteral( "The %1 model fits best (BIC %2" ).arg( familyLabel( result.chosenFamily ), c.toString( model.bic, 'f', 2 ) );
    if ( other.ok )
      text += QStringLiteral( "; %1 %2" ).arg( familyLabel( other.family ), c.toString( other.bic, 'f', 2 ) );
    text += QStringLiteral( "). " );
    if ( !risk.isEmpty() )
      text += QStringLiteral( "Places are riskier %1. " ).arg( risk.join( QStringLiteral( "; " ) ) );
    if ( !protective.isEmpty() )
      text += QStringLiteral( "Places are less risky %1. " ).arg( protective.join( QStringLiteral( "; " ) ) );
    const RiskClass &top = result.classes.back();
    const bool feet = unit == QLatin1String( "ft" );
    const double area = feet ? result.priorityArea / ( 5280.0 * 5280.0 ) : result.priorityArea / 1e6;
    text += QStringLiteral( "The highest-risk cells cover %1% of the area and held %2% of the training events (%3 places); %4 priority places (also hot spots of past events) cover %5 %6, %7% of the area." )
              .arg( c.toString( 100 * top.areaShare, 'f', 1 ), c.toString( 100 * top.eventShare, 'f', 1 ) )
              .arg( result.highRiskPlaceCount )
              .arg( result.priorityPlaceCount )
              .arg( c.toString( area, 'f', 2 ), feet ? QStringLiteral( "sq mi" ) : QStringLiteral( "km²" ), c.toString( 100 * result.priorityAreaShare, 'f', 1 ) );
  }
  if ( !result.validation.empty() )
  {
    auto at10 = [&result]( const char *method ) -> const ValidationRow * {
      for ( const ValidationRow &v : result.validation )
        if ( v.method == QLatin1String( method ) && std::fabs( v.areaShare - 0.10 ) < 1e-9 )
          return &v;
      return nullptr;
    };
    int testEvents = 0;
    for ( int t : result.testCounts )
      testEvents += t;
    const ValidationRow *rtm = at10( "rtm" ), *kde = at10( "kde" ), *prior = at10( "prior_count" );
    if ( rtm && kde && prior )
      text += QStringLiteral( " Validation window %1: the riskiest 10% of cells caught %2% of its %3 events (PAI %4); KDE hot spots of past events caught %5%, past counts %6%." )
                .arg( windowText( parameters.testFrom, parameters.testTo ), c.toString( 100 * rtm->hitRate, 'f', 1 ), c.toString( testEvents ), c.toString( rtm->pai, 'f', 2 ),
                      c.toString( 100 * kde->hitRate, 'f', 1 ), c.toString( 100 * prior->hitRate, 'f', 1 ) );
  }
  return text;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// runRtm

RtmResult runRtm( const RtmParameters &parameters, const RtmInputs &inputs, QgsFeedback *feedback )
{
  RtmResult result;
  QElapsedTimer total, stage;
  total.start();
  stage.start();
  auto lap = [&]( const QString &name ) {
    result.timings.insert( name, stage.nsecsElapsed() / 1e9 );
    stage.restart();
  };
  auto canceled = [&] {
    if ( feedback && feedback->isCanceled() )
    {
      result.error = QStringLiteral( "canceled" );
      return true;
    }
    return false;
  };
  if ( !parameters.validate( &result.error ) )
    return result;
  if ( static_cast<int>( inputs.factors.size() ) != parameters.factors.size() )
  {
    result.error = QStringLiteral( "inputs hold %1 factor layers for %2 factors" ).arg( inputs.factors.size() ).arg( parameters.factors.size() );
    return result;
  }
  if ( inputs.studyArea.isNull() || inputs.studyArea.isEmpty() )
  {
    result.error = QStringLiteral( "the study area is empty" );
    return result;
  }

  // Grid and counts.
  const double cell = parameters.effectiveCellSize();
  result.grid = makeGrid( inputs.studyArea, cell );
  RtmGrid &grid = result.grid;
  const int n = grid.cellsInArea();
  if ( n < 10 )
  {
    result.error = QStringLiteral( "the study area holds only %1 cells of %2: use a smaller cell size" ).arg( n ).arg( cell );
    return result;
  }
  if ( static_cast<qint64>( grid.cols ) * grid.rows > 50000000 )
  {
    result.error = QStringLiteral( "the grid would have %1 x %2 cells: use a larger cell size" ).arg( grid.cols ).arg( grid.rows );
    return result;
  }
  auto countPoints = [&]( const FeatureSet &fs, int *outside ) {
    std::vector<int> counts( n, 0 );
    int out = 0;
    for ( int i = 0; i < fs.count(); ++i )
    {
      const int r = grid.rowOfPoint( fs.x[i], fs.y[i] );
      if ( r < 0 )
        ++out;
      else
        ++counts[r];
    }
    if ( outside )
      *outside = out;
    return counts;
  };
  result.trainCounts = countPoints( inputs.outcome, &result.eventsOutsideArea );
  result.testCounts = countPoints( inputs.outcomeTest, nullptr );
  for ( int c : result.trainCounts )
  {
    result.eventsInArea += c;
    result.cellsWithEvents += c > 0;
  }
  if ( result.eventsInArea == 0 )
  {
    result.error = QStringLiteral( "no outcome events inside the study area" );
    return result;
  }
  if ( feedback )
    feedback->setProgress( 2 );
  lap( QStringLiteral( "grid" ) );

  // Candidate variables.
  const double bl = parameters.blockLength;
  std::vector<std::uint64_t> hashes;
  for ( int f = 0; f < parameters.factors.size(); ++f )
  {
    if ( canceled() )
      return result;
    const RiskFactorSpec &spec = parameters.factors[f];
    const FeatureSet &fs = inputs.factors[f];
    const double step = ( spec.increment == Increment::Half ? 0.5 : 1.0 ) * bl;
    const int bands = spec.bands();
    const double maxDistance = bands * step;
    auto addVariable = [&]( bool density, int band, double distance, std::vector<std::uint8_t> &&values ) {
      CandidateVariable v;
      v.factor = f;
      v.density = density;
      v.band = band;
      v.distance = distance;
      v.name = QStringLiteral( "r%1%2%3_%4_%5_%6" ).arg( f + 1 ).arg( density ? 'd' : 'p' ).arg( band ).arg( spec.name, density ? QStringLiteral( "density" ) : QStringLiteral( "proximity" ), formatDistance( distance ) );
      for ( std::uint8_t b : values )
        v.ones += b;
      if ( v.ones == 0 || v.ones == n )
        v.status = QStringLiteral( "constant" );
      else
      {
        const std::uint64_t h = hashBytes( values );
        for ( std::size_t k = 0; k < result.design.size(); ++k )
        {
          if ( hashes[k] == h && result.design[k] == values )
          {
            v.status = QStringLiteral( "duplicate of %1" ).arg( result.candidates[result.designVariables[k]].name );
            break;
          }
        }
        if ( v.status.isEmpty() )
        {
          v.status = QStringLiteral( "candidate" );
          hashes.push_back( h );
          result.designVariables.push_back( static_cast<int>( result.candidates.size() ) );
          result.design.push_back( std::move( values ) );
        }
      }
      result.candidates.push_back( v );
    };
    if ( spec.operationalisation != Operationalisation::Density )
    {
      const std::vector<float> d2 = squaredDistanceField( grid, fs, maxDistance );
      for ( int k = 1; k <= bands; ++k )
      {
        const double d = k * step;
        const double lim = d * d * ( 1 + 1e-9 );
        std::vector<std::uint8_t> v( n );
        for ( int r = 0; r < n; ++r )
          v[r] = d2[r] <= lim;
        addVariable( false, k, d, std::move( v ) );
      }
    }
    if ( spec.operationalisation != Operationalisation::Proximity )
    {
      for ( int k = 1; k <= bands; ++k )
      {
        const double d = k * step;
        const std::vector<double> dens = quarticDensity( grid, fs.x, fs.y, d );
        const double m = meanOf( dens );
        const double threshold = m + parameters.densityThresholdSd * sdOf( dens, m );
        std::vector<std::uint8_t> v( n );
        for ( int r = 0; r < n; ++r )
          v[r] = dens[r] > threshold;
        addVariable( true, k, d, std::move( v ) );
      }
    }
    if ( feedback )
      feedback->setProgress( 2 + 10.0 * ( f + 1 ) / parameters.factors.size() );
  }
  lap( QStringLiteral( "variables" ) );
  if ( result.design.empty() )
  {
    result.error = QStringLiteral( "every candidate variable is constant over the study area (no factor features near it?)" );
    return result;
  }

  // Elastic net with cross-validation.
  {
    std::vector<DesignColumn> columns;
    columns.reserve( result.design.size() );
    for ( const auto &col : result.design )
      columns.push_back( DesignColumn::fromBinary( col ) );
    std::vector<double> y( result.trainCounts.begin(), result.trainCounts.end() );
    ElasticNetOptions o;
    o.alpha = parameters.alpha;
    o.folds = parameters.folds;
    o.seed = parameters.seed;
    o.threads = parameters.threads;
    o.threshold = 1e-9;
    QgsFeedback sub;
    if ( feedback )
    {
      QObject::connect( feedback, &QgsFeedback::canceled, &sub, &QgsFeedback::cancel, Qt::DirectConnection );
      QObject::connect( &sub, &QgsFeedback::progressChanged, feedback, [feedback]( double p ) { feedback->setProgress( 12 + 0.55 * p ); }, Qt::DirectConnection );
    }
    const ElasticNetCv cv = crossValidatePoissonElasticNet( columns, y, {}, o, {}, &sub );
    if ( canceled() )
      return result;
    if ( !cv.ok )
    {
      result.error = QStringLiteral( "elastic net: %1" ).arg( cv.error );
      return result;
    }
    result.lambda = cv.path.lambda;
    result.cvm = cv.cvm;
    result.cvsd = cv.cvsd;
    result.nonZero = cv.path.nonZero;
    result.lambdaIndexMin = cv.indexMin;
    result.lambdaMin = cv.lambdaMin;
    for ( std::size_t k = 0; k < result.design.size(); ++k )
    {
      const double b = cv.path.beta[cv.indexMin][k];
      result.candidates[result.designVariables[k]].enetCoefficient = b;
      if ( b != 0 )
        result.enetSelected.push_back( static_cast<int>( k ) );
    }
  }
  lap( QStringLiteral( "elastic_net_cv" ) );

  // Stepwise BIC for Poisson and negative binomial.
  {
    std::vector<int> factorOf, pool = result.enetSelected;
    const Aggregator agg( result.design, result.trainCounts, pool );
    std::vector<QString> names;
    for ( int v : result.designVariables )
    {
      factorOf.push_back( result.candidates[v].factor );
      names.push_back( result.candidates[v].name );
    }
    result.poisson = stepwise( CountFamily::Poisson, agg, pool, factorOf, names, parameters.threads, feedback, 67, 78 );
    if ( canceled() )
      return result;
    result.negativeBinomial = stepwise( parameters.negativeBinomial, agg, pool, factorOf, names, parameters.threads, feedback, 78, 90 );
    if ( canceled() )
      return result;
    if ( !result.poisson.ok && !result.negativeBinomial.ok )
    {
      result.error = QStringLiteral( "model fit failed: %1" ).arg( result.poisson.error );
      return result;
    }
    for ( FamilyModel *m : { &result.poisson, &result.negativeBinomial } )
    {
      for ( std::size_t t = 0; t < m->terms.size(); ++t )
      {
        // Translate design columns to candidate indices for the public result.
        const CandidateVariable &c = result.candidates[result.designVariables[m->variables[t]]];
        m->terms[t].variable = c.name;
        m->terms[t].factor = parameters.factors[c.factor].name;
        m->terms[t].operationalisation = c.density ? QStringLiteral( "density" ) : QStringLiteral( "proximity" );
        m->terms[t].distance = c.distance;
      }
    }
    const bool nbBetter = result.negativeBinomial.ok && ( !result.poisson.ok || result.negativeBinomial.bic < result.poisson.bic );
    result.chosenFamily = nbBetter ? parameters.negativeBinomial : CountFamily::Poisson;
  }
  lap( QStringLiteral( "stepwise" ) );

  // Relative risk score, classes, places.
  const FamilyModel &model = result.chosen();
  result.rrs.assign( n, 0.0 );
  for ( int r = 0; r < n; ++r )
  {
    double s = 0;
    for ( std::size_t t = 0; t < model.terms.size(); ++t )
      s += model.terms[t].beta * result.design[model.variables[t]][r];
    result.rrs[r] = s;
  }
  const double minScore = *std::min_element( result.rrs.begin(), result.rrs.end() );
  for ( double &v : result.rrs )
    v = std::exp( v - minScore );
  {
    const double m = meanOf( result.rrs ), sd = sdOf( result.rrs, m );
    const double bounds[] = { -std::numeric_limits<double>::infinity(), m, m + sd, m + 2 * sd, std::numeric_limits<double>::infinity() };
    const char *names[] = { "at or below average", "above average", "moderately high", "highest" };
    for ( int c = 0; c < 4; ++c )
    {
      RiskClass rc;
      rc.name = QLatin1String( names[c] );
      rc.lower = c == 0 ? 1.0 : bounds[c];
      rc.upper = c == 3 ? *std::max_element( result.rrs.begin(), result.rrs.end() ) : bounds[c + 1];
      double events = 0;
      for ( int r = 0; r < n; ++r )
      {
        const double v = result.rrs[r];
        const bool in = ( c == 0 ? v <= bounds[1] : v > bounds[c] && v <= bounds[c + 1] );
        if ( in )
        {
          ++rc.cells;
          events += result.trainCounts[r];
        }
      }
      rc.areaShare = static_cast<double>( rc.cells ) / n;
      rc.eventShare = events / result.eventsInArea;
      result.classes.push_back( rc );
    }
    result.hotSpotDensity = quarticDensity( grid, inputs.outcome.x, inputs.outcome.y, parameters.effectiveHotSpotRadius() );
    const double hm = meanOf( result.hotSpotDensity ), hsd = sdOf( result.hotSpotDensity, hm );
    std::vector<std::uint8_t> highest( n ), priority( n );
    int priorityCells = 0;
    for ( int r = 0; r < n; ++r )
    {
      highest[r] = model.terms.empty() ? 0 : result.rrs[r] > m + 2 * sd;
      priority[r] = highest[r] && result.hotSpotDensity[r] > hm + 2 * hsd;
      priorityCells += priority[r];
    }
    result.highRiskPlaces = dissolveCells( grid, highest, &result.highRiskPlaceCount );
    result.priorityPlaces = dissolveCells( grid, priority, &result.priorityPlaceCount );
    result.priorityArea = priorityCells * cell * cell;
    result.priorityAreaShare = static_cast<double>( priorityCells ) / n;
    result.highRiskCells = std::move( highest );
    result.priorityCells = std::move( priority );
  }
  lap( QStringLiteral( "terrain" ) );

  // Validation.
  if ( parameters.hasValidation() )
  {
    std::vector<double> prior( result.trainCounts.begin(), result.trainCounts.end() );
    for ( double share : { 0.01, 0.05, 0.10 } )
    {
      result.validation.push_back( topAreaHits( QStringLiteral( "rtm" ), result.rrs, result.testCounts, share ) );
      result.validation.push_back( topAreaHits( QStringLiteral( "kde" ), result.hotSpotDensity, result.testCounts, share ) );
      result.validation.push_back( topAreaHits( QStringLiteral( "prior_count" ), prior, result.testCounts, share ) );
    }
  }

  // Narrative.
  result.narrative = narrativeText( parameters, result, inputs.distanceUnit.isEmpty() ? crsDistanceUnit( inputs.crsAuthid ) : inputs.distanceUnit );

  // Audit trail: everything needed to redo the run and see why it came out so.
  {
    QJsonObject hashes { { QStringLiteral( "study_area" ), inputs.studyAreaHash }, { QStringLiteral( "outcome" ), inputs.outcome.hash }, { QStringLiteral( "outcome_test" ), inputs.outcomeTest.hash } };
    QJsonArray factorHashes;
    for ( int f = 0; f < parameters.factors.size(); ++f )
      factorHashes.append( QJsonObject { { QStringLiteral( "factor" ), parameters.factors[f].name }, { QStringLiteral( "features" ), inputs.factors[f].count() }, { QStringLiteral( "hash" ), inputs.factors[f].hash } } );
    hashes.insert( QStringLiteral( "factors" ), factorHashes );
    QJsonArray cands;
    for ( const CandidateVariable &v : result.candidates )
      cands.append( QJsonObject {
        { QStringLiteral( "name" ), v.name },
        { QStringLiteral( "factor" ), parameters.factors[v.factor].name },
        { QStringLiteral( "operationalisation" ), v.density ? QStringLiteral( "density" ) : QStringLiteral( "proximity" ) },
        { QStringLiteral( "band" ), v.band },
        { QStringLiteral( "distance" ), v.distance },
        { QStringLiteral( "cells" ), v.ones },
        { QStringLiteral( "status" ), v.status },
        { QStringLiteral( "enet_coefficient" ), v.enetCoefficient },
      } );
    QJsonArray curve;
    for ( std::size_t k = 0; k < result.lambda.size(); ++k )
      curve.append( QJsonObject { { QStringLiteral( "lambda" ), result.lambda[k] }, { QStringLiteral( "cvm" ), result.cvm[k] }, { QStringLiteral( "cvsd" ), result.cvsd[k] }, { QStringLiteral( "nonzero" ), result.nonZero[k] } } );
    QJsonArray selected;
    for ( int k : result.enetSelected )
      selected.append( result.candidates[result.designVariables[k]].name );
    result.audit = QJsonObject {
      { QStringLiteral( "engine" ), QStringLiteral( "statdesk-rtm/1" ) },
      { QStringLiteral( "parameters" ), parameters.toJson() },
      { QStringLiteral( "seed" ), QString::number( parameters.seed ) },
      { QStringLiteral( "crs" ), inputs.crsAuthid },
      { QStringLiteral( "inputs" ), hashes },
      { QStringLiteral( "grid" ), QJsonObject { { QStringLiteral( "origin" ), QJsonArray { grid.x0, grid.y0 } }, { QStringLiteral( "cell_size" ), grid.cell }, { QStringLiteral( "columns" ), grid.cols }, { QStringLiteral( "rows" ), grid.rows }, { QStringLiteral( "cells_in_area" ), n }, { QStringLiteral( "cells_with_events" ), result.cellsWithEvents }, { QStringLiteral( "events_in_area" ), result.eventsInArea }, { QStringLiteral( "events_outside_area" ), result.eventsOutsideArea } } },
      { QStringLiteral( "candidates" ), cands },
      { QStringLiteral( "cv_curve" ), curve },
      { QStringLiteral( "lambda_min" ), result.lambdaMin },
      { QStringLiteral( "lambda_index_min" ), result.lambdaIndexMin },
      { QStringLiteral( "enet_selected" ), selected },
      { QStringLiteral( "poisson" ), familyJson( result.poisson ) },
      { QStringLiteral( "negative_binomial" ), familyJson( result.negativeBinomial ) },
      { QStringLiteral( "chosen_family" ), countFamilyName( result.chosenFamily ) },
    };
  }
  lap( QStringLiteral( "outputs" ) );
  result.timings.insert( QStringLiteral( "total" ), total.nsecsElapsed() / 1e9 );
  if ( feedback )
    feedback->setProgress( 100 );
  result.ok = true;
  return result;
}

QJsonObject RtmResult::summaryJson() const
{
  QJsonObject o;
  o.insert( QStringLiteral( "ok" ), ok );
  if ( !ok )
  {
    o.insert( QStringLiteral( "error" ), error );
    return o;
  }
  const FamilyModel &m = chosen();
  QJsonArray table;
  for ( const ModelTerm &t : m.terms )
    table.append( termJson( t ) );
  o.insert( QStringLiteral( "model" ), table );
  o.insert( QStringLiteral( "intercept" ), QJsonObject { { QStringLiteral( "coefficient" ), m.intercept }, { QStringLiteral( "se" ), m.interceptSe }, { QStringLiteral( "p" ), m.interceptP } } );
  if ( chosenFamily != CountFamily::Poisson )
    o.insert( QStringLiteral( "dispersion" ), QJsonObject { { QStringLiteral( "alpha" ), m.alpha }, { QStringLiteral( "se" ), m.alphaSe }, { QStringLiteral( "log_alpha" ), std::log( m.alpha ) } } );
  o.insert( QStringLiteral( "family" ), countFamilyName( chosenFamily ) );
  o.insert( QStringLiteral( "bic" ), QJsonObject { { QStringLiteral( "poisson" ), poisson.ok ? QJsonValue( poisson.bic ) : QJsonValue() }, { countFamilyName( negativeBinomial.family ), negativeBinomial.ok ? QJsonValue( negativeBinomial.bic ) : QJsonValue() } } );
  o.insert( QStringLiteral( "cells" ), grid.cellsInArea() );
  o.insert( QStringLiteral( "cells_with_events" ), cellsWithEvents );
  o.insert( QStringLiteral( "events" ), eventsInArea );
  int kept = 0;
  for ( const CandidateVariable &c : candidates )
    kept += c.status == QLatin1String( "candidate" );
  o.insert( QStringLiteral( "candidates" ), kept );
  o.insert( QStringLiteral( "candidates_dropped" ), static_cast<int>( candidates.size() ) - kept );
  o.insert( QStringLiteral( "enet_selected" ), static_cast<int>( enetSelected.size() ) );
  o.insert( QStringLiteral( "lambda_min" ), lambdaMin );
  QJsonArray classJson;
  for ( const RiskClass &c : classes )
    classJson.append( QJsonObject { { QStringLiteral( "class" ), c.name }, { QStringLiteral( "rrs_from" ), c.lower }, { QStringLiteral( "rrs_to" ), c.upper }, { QStringLiteral( "cells" ), c.cells }, { QStringLiteral( "area_share" ), c.areaShare }, { QStringLiteral( "event_share" ), c.eventShare } } );
  o.insert( QStringLiteral( "classes" ), classJson );
  o.insert( QStringLiteral( "rrs_max" ), rrs.empty() ? 0.0 : *std::max_element( rrs.begin(), rrs.end() ) );
  o.insert( QStringLiteral( "high_risk_places" ), highRiskPlaceCount );
  o.insert( QStringLiteral( "priority_places" ), priorityPlaceCount );
  o.insert( QStringLiteral( "priority_area_share" ), priorityAreaShare );
  QJsonArray val;
  for ( const ValidationRow &v : validation )
    val.append( QJsonObject { { QStringLiteral( "method" ), v.method }, { QStringLiteral( "area_share" ), v.areaShare }, { QStringLiteral( "cells" ), v.cells }, { QStringLiteral( "hits" ), v.hits }, { QStringLiteral( "hit_rate" ), v.hitRate }, { QStringLiteral( "pai" ), v.pai }, { QStringLiteral( "pei" ), v.pei } } );
  o.insert( QStringLiteral( "validation" ), val );
  o.insert( QStringLiteral( "narrative" ), narrative );
  o.insert( QStringLiteral( "timings" ), timings );
  return o;
}

} // namespace statdesk::rtm
