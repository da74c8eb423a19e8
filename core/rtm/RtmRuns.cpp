// rtm: saved runs read back, deleted, compared; default parameters for a project.
#include "RtmRuns.h"
#include "RtmStore.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace statdesk::rtm
{

namespace
{

QJsonObject jsonObject( const QString &text )
{
  return QJsonDocument::fromJson( text.toUtf8() ).object();
}

ModelTerm termFromJson( const QJsonObject &o )
{
  ModelTerm t;
  t.variable = o.value( QStringLiteral( "variable" ) ).toString();
  t.factor = o.value( QStringLiteral( "factor" ) ).toString();
  t.operationalisation = o.value( QStringLiteral( "operationalisation" ) ).toString();
  t.distance = o.value( QStringLiteral( "spatial_influence" ) ).toDouble();
  t.beta = o.value( QStringLiteral( "coefficient" ) ).toDouble();
  t.se = o.value( QStringLiteral( "se" ) ).toDouble();
  t.z = o.value( QStringLiteral( "z" ) ).toDouble();
  t.p = o.value( QStringLiteral( "p" ) ).toDouble( 1 );
  t.rrv = o.value( QStringLiteral( "rrv" ) ).toDouble( 1 );
  t.protective = o.value( QStringLiteral( "protective" ) ).toBool();
  return t;
}

FamilyModel familyFromJson( const QJsonObject &o, const QHash<QString, int> &designColumnOf )
{
  FamilyModel m;
  parseCountFamily( o.value( QStringLiteral( "family" ) ).toString(), &m.family );
  m.ok = o.value( QStringLiteral( "ok" ) ).toBool();
  m.error = o.value( QStringLiteral( "error" ) ).toString();
  m.bic = o.value( QStringLiteral( "bic" ) ).toDouble();
  m.logLik = o.value( QStringLiteral( "log_likelihood" ) ).toDouble();
  m.parameters = o.value( QStringLiteral( "parameters" ) ).toInt();
  const QJsonObject intercept = o.value( QStringLiteral( "intercept" ) ).toObject();
  m.intercept = intercept.value( QStringLiteral( "coefficient" ) ).toDouble();
  m.interceptSe = intercept.value( QStringLiteral( "se" ) ).toDouble();
  m.interceptP = intercept.value( QStringLiteral( "p" ) ).toDouble( 1 );
  const QJsonObject dispersion = o.value( QStringLiteral( "dispersion" ) ).toObject();
  m.alpha = dispersion.value( QStringLiteral( "alpha" ) ).toDouble();
  m.alphaSe = dispersion.value( QStringLiteral( "se" ) ).toDouble();
  for ( const QJsonValue &v : o.value( QStringLiteral( "terms" ) ).toArray() )
  {
    const ModelTerm t = termFromJson( v.toObject() );
    m.terms.push_back( t );
    m.variables.push_back( designColumnOf.value( t.variable, -1 ) );
  }
  m.trace = o.value( QStringLiteral( "trace" ) ).toArray();
  return m;
}

bool unpackBits( const QByteArray &bits, std::size_t count, std::vector<std::uint8_t> *values, std::size_t offset = 0 )
{
  if ( static_cast<std::size_t>( bits.size() ) < offset + ( count + 7 ) / 8 )
    return false;
  values->resize( count );
  const auto *d = reinterpret_cast<const unsigned char *>( bits.constData() ) + offset;
  for ( std::size_t i = 0; i < count; ++i )
    ( *values )[i] = ( d[i / 8] >> ( i % 8 ) ) & 1;
  return true;
}

bool int32Values( const QByteArray &blob, int count, std::vector<int> *values )
{
  const QByteArray raw = qUncompress( blob );
  if ( raw.size() != count * 4 )
    return false;
  values->resize( count );
  for ( int i = 0; i < count; ++i )
    ( *values )[i] = qFromLittleEndian<qint32>( raw.constData() + i * 4 );
  return true;
}

QgsGeometry placesGeometry( SqliteDatabase &db, const QString &table )
{
  if ( !db.tableExists( table ) )
    return QgsGeometry();
  QVector<QgsGeometry> parts;
  SqliteStatement st( db, QStringLiteral( "SELECT geom FROM \"%1\" ORDER BY fid" ).arg( table ) );
  while ( st.next() )
  {
    const QgsGeometry g = geometryFromGpkgBlob( st.blob( 0 ) );
    if ( !g.isNull() )
      parts << g;
  }
  return parts.isEmpty() ? QgsGeometry() : QgsGeometry::collectGeometry( parts );
}

//! Rebuilds the per-cell parts of a result from the stored blobs; false when they are missing.
bool readCells( SqliteStatement &st, const QJsonObject &grid, RtmResult *r, QString *error )
{
  RtmGrid &g = r->grid;
  g.x0 = grid.value( QStringLiteral( "x0" ) ).toDouble();
  g.y0 = grid.value( QStringLiteral( "y0" ) ).toDouble();
  g.cell = grid.value( QStringLiteral( "cell" ) ).toDouble();
  g.cols = grid.value( QStringLiteral( "columns" ) ).toInt();
  g.rows = grid.value( QStringLiteral( "rows" ) ).toInt();
  const int n = grid.value( QStringLiteral( "cells_in_area" ) ).toInt();
  if ( st.columnCount() < 14 || st.isNull( 10 ) )
    return true; // saved before the cells were stored: tables and narrative only
  std::vector<std::uint8_t> inArea;
  const std::size_t lattice = static_cast<std::size_t>( g.cols ) * g.rows;
  if ( !unpackBits( qUncompress( st.blob( 10 ) ), lattice, &inArea ) )
  {
    *error = QStringLiteral( "the stored study-area mask does not fit the grid" );
    return false;
  }
  g.designRow.assign( lattice, -1 );
  for ( std::size_t c = 0; c < lattice; ++c )
  {
    if ( !inArea[c] )
      continue;
    g.designRow[c] = static_cast<int>( g.cellOfRow.size() );
    g.cellOfRow.push_back( static_cast<int>( c ) );
  }
  const QByteArray rrs = qUncompress( st.blob( 9 ) );
  if ( g.cellsInArea() != n || rrs.size() != n * 4 || !int32Values( st.blob( 11 ), n, &r->trainCounts ) || ( !st.isNull( 12 ) && !int32Values( st.blob( 12 ), n, &r->testCounts ) ) )
  {
    *error = QStringLiteral( "the stored cells do not match the grid (%1 cells in the study area)" ).arg( n );
    g = RtmGrid();
    return false;
  }
  r->rrs.resize( n );
  for ( int i = 0; i < n; ++i )
  {
    float v; // written with memcpy on the same little-endian platforms
    std::memcpy( &v, rrs.constData() + i * 4, 4 );
    r->rrs[i] = v;
  }
  const QByteArray design = qUncompress( st.blob( 13 ) );
  const std::size_t bytesPerColumn = ( static_cast<std::size_t>( n ) + 7 ) / 8;
  r->design.resize( r->designVariables.size() );
  for ( std::size_t k = 0; k < r->designVariables.size(); ++k )
  {
    if ( !unpackBits( design, n, &r->design[k], k * bytesPerColumn ) )
    {
      *error = QStringLiteral( "the stored design matrix has fewer columns than the run's candidates" );
      return false;
    }
  }
  return true;
}

//! The first columns of both run queries: fid, name, created_at, family, bic.
RtmRunInfo infoFromRow( const SqliteStatement &st )
{
  RtmRunInfo info;
  info.id = st.int64( 0 );
  info.name = st.text( 1 );
  info.createdAt = st.text( 2 );
  info.family = st.text( 3 );
  info.bic = st.real( 4 );
  return info;
}

QString percent( double share )
{
  return QStringLiteral( "%1%" ).arg( 100 * share, 0, 'f', 1 );
}

QString number( double v, int decimals )
{
  return QString::number( v, 'f', decimals );
}

QString window( const QDate &from, const QDate &to )
{
  if ( !from.isValid() && !to.isValid() )
    return QObject::tr( "all dates" );
  return QStringLiteral( "%1 – %2" ).arg( from.isValid() ? from.toString( Qt::ISODate ) : QStringLiteral( "…" ), to.isValid() ? to.toString( Qt::ISODate ) : QStringLiteral( "…" ) );
}

QString methodTitle( const QString &method )
{
  if ( method == QLatin1String( "rtm" ) )
    return QObject::tr( "RTM" );
  if ( method == QLatin1String( "kde" ) )
    return QObject::tr( "KDE hot spots" );
  return QObject::tr( "Prior counts" );
}

} // namespace

QString rtmRasterTable( qint64 runId )
{
  return QStringLiteral( "rtm_rrs_%1" ).arg( runId );
}

QString rtmHighRiskTable( qint64 runId )
{
  return QStringLiteral( "rtm_high_risk_%1" ).arg( runId );
}

QString rtmPriorityTable( qint64 runId )
{
  return QStringLiteral( "rtm_priority_%1" ).arg( runId );
}

QString countFamilyTitle( CountFamily family )
{
  switch ( family )
  {
    case CountFamily::Poisson:
      return QObject::tr( "Poisson" );
    case CountFamily::NB1:
      return QObject::tr( "Negative binomial NB1 (RTMDx-compatible)" );
    case CountFamily::NB2:
      return QObject::tr( "Negative binomial NB2" );
  }
  return QString();
}

bool parseCountFamily( const QString &name, CountFamily *family )
{
  for ( CountFamily f : { CountFamily::Poisson, CountFamily::NB1, CountFamily::NB2 } )
  {
    if ( countFamilyName( f ) == name )
    {
      *family = f;
      return true;
    }
  }
  return false;
}

QList<RtmRunInfo> listRtmRuns( SqliteDatabase &db )
{
  QList<RtmRunInfo> runs;
  if ( !db.tableExists( kRtmRunsTable ) )
    return runs;
  SqliteStatement st( db, QStringLiteral( "SELECT fid, name, created_at, family, bic, summary FROM rtm_runs ORDER BY fid DESC" ) );
  while ( st.next() )
  {
    RtmRunInfo info = infoFromRow( st );
    const QJsonObject summary = jsonObject( st.text( 5 ) );
    std::vector<ModelTerm> terms;
    for ( const QJsonValue &v : summary.value( QStringLiteral( "model" ) ).toArray() )
      terms.push_back( termFromJson( v.toObject() ) );
    std::stable_sort( terms.begin(), terms.end(), []( const ModelTerm &a, const ModelTerm &b )
                      { return a.rrv > b.rrv; } );
    for ( const ModelTerm &t : terms )
      info.selected << t.factor;
    info.highRiskPlaces = summary.value( QStringLiteral( "high_risk_places" ) ).toInt();
    info.priorityPlaces = summary.value( QStringLiteral( "priority_places" ) ).toInt();
    runs << info;
  }
  for ( RtmRunInfo &info : runs )
    info.hasMapTables = db.tableExists( rtmRasterTable( info.id ) ) && db.tableExists( rtmHighRiskTable( info.id ) ) && db.tableExists( rtmPriorityTable( info.id ) );
  return runs;
}

bool loadRtmRun( SqliteDatabase &db, qint64 id, RtmSavedRun *run, QString *error )
{
  if ( !db.tableExists( kRtmRunsTable ) )
  {
    *error = QObject::tr( "The project has no saved RTM runs." );
    return false;
  }
  bool hasCells = false;
  {
    SqliteStatement info( db, QStringLiteral( "PRAGMA table_info(rtm_runs)" ) );
    while ( info.next() )
      hasCells |= info.text( 1 ) == QLatin1String( "design" );
  }
  SqliteStatement st( db, QStringLiteral( "SELECT fid, name, created_at, family, bic, parameters, summary, audit, grid, rrs%1 FROM rtm_runs WHERE fid = ?" )
                              .arg( hasCells ? QStringLiteral( ", cells, train_counts, test_counts, design" ) : QString() ) );
  st.bindInt64( 1, id );
  if ( !st.next() )
  {
    *error = QObject::tr( "There is no saved RTM run %1." ).arg( id );
    return false;
  }
  RtmSavedRun out;
  out.info = infoFromRow( st );
  if ( !RtmParameters::fromJson( jsonObject( st.text( 5 ) ), &out.parameters, error ) )
    return false;
  const QJsonObject summary = jsonObject( st.text( 6 ) );
  const QJsonObject audit = jsonObject( st.text( 7 ) );
  const QJsonObject grid = jsonObject( st.text( 8 ) );
  if ( summary.isEmpty() || audit.isEmpty() || grid.isEmpty() )
  {
    *error = QObject::tr( "Saved RTM run %1 is damaged (its summary cannot be read)." ).arg( id );
    return false;
  }
  out.crsAuthid = audit.value( QStringLiteral( "crs" ) ).toString();
  out.distanceUnit = crsDistanceUnit( out.crsAuthid );

  RtmResult &r = out.result;
  r.ok = true;
  r.audit = audit;
  // Candidates and the design columns they became.
  QHash<QString, int> designColumnOf;
  QHash<QString, int> factorIndex;
  for ( int f = 0; f < out.parameters.factors.size(); ++f )
    factorIndex.insert( out.parameters.factors[f].name, f );
  for ( const QJsonValue &v : audit.value( QStringLiteral( "candidates" ) ).toArray() )
  {
    const QJsonObject o = v.toObject();
    CandidateVariable c;
    c.name = o.value( QStringLiteral( "name" ) ).toString();
    c.factor = factorIndex.value( o.value( QStringLiteral( "factor" ) ).toString(), 0 );
    c.density = o.value( QStringLiteral( "operationalisation" ) ).toString() == QLatin1String( "density" );
    c.band = o.value( QStringLiteral( "band" ) ).toInt();
    c.distance = o.value( QStringLiteral( "distance" ) ).toDouble();
    c.ones = o.value( QStringLiteral( "cells" ) ).toInt();
    c.status = o.value( QStringLiteral( "status" ) ).toString();
    c.enetCoefficient = o.value( QStringLiteral( "enet_coefficient" ) ).toDouble();
    if ( c.status == QLatin1String( "candidate" ) )
    {
      designColumnOf.insert( c.name, static_cast<int>( r.designVariables.size() ) );
      r.designVariables.push_back( static_cast<int>( r.candidates.size() ) );
    }
    r.candidates.push_back( c );
  }
  for ( const QJsonValue &v : audit.value( QStringLiteral( "cv_curve" ) ).toArray() )
  {
    const QJsonObject o = v.toObject();
    r.lambda.push_back( o.value( QStringLiteral( "lambda" ) ).toDouble() );
    r.cvm.push_back( o.value( QStringLiteral( "cvm" ) ).toDouble() );
    r.cvsd.push_back( o.value( QStringLiteral( "cvsd" ) ).toDouble() );
    r.nonZero.push_back( o.value( QStringLiteral( "nonzero" ) ).toInt() );
  }
  r.lambdaMin = audit.value( QStringLiteral( "lambda_min" ) ).toDouble();
  r.lambdaIndexMin = audit.value( QStringLiteral( "lambda_index_min" ) ).toInt( -1 );
  for ( const QJsonValue &v : audit.value( QStringLiteral( "enet_selected" ) ).toArray() )
    r.enetSelected.push_back( designColumnOf.value( v.toString(), -1 ) );
  r.poisson = familyFromJson( audit.value( QStringLiteral( "poisson" ) ).toObject(), designColumnOf );
  r.negativeBinomial = familyFromJson( audit.value( QStringLiteral( "negative_binomial" ) ).toObject(), designColumnOf );
  if ( !parseCountFamily( audit.value( QStringLiteral( "chosen_family" ) ).toString(), &r.chosenFamily ) )
    parseCountFamily( out.info.family, &r.chosenFamily );
  const QJsonObject auditGrid = audit.value( QStringLiteral( "grid" ) ).toObject();
  r.cellsWithEvents = summary.value( QStringLiteral( "cells_with_events" ) ).toInt();
  r.eventsInArea = summary.value( QStringLiteral( "events" ) ).toInt();
  r.eventsOutsideArea = auditGrid.value( QStringLiteral( "events_outside_area" ) ).toInt();
  for ( const QJsonValue &v : summary.value( QStringLiteral( "classes" ) ).toArray() )
  {
    const QJsonObject o = v.toObject();
    RiskClass c;
    c.name = o.value( QStringLiteral( "class" ) ).toString();
    c.lower = o.value( QStringLiteral( "rrs_from" ) ).toDouble();
    c.upper = o.value( QStringLiteral( "rrs_to" ) ).toDouble();
    c.cells = o.value( QStringLiteral( "cells" ) ).toInt();
    c.areaShare = o.value( QStringLiteral( "area_share" ) ).toDouble();
    c.eventShare = o.value( QStringLiteral( "event_share" ) ).toDouble();
    r.classes.push_back( c );
  }
  for ( const QJsonValue &v : summary.value( QStringLiteral( "validation" ) ).toArray() )
  {
    const QJsonObject o = v.toObject();
    ValidationRow row;
    row.method = o.value( QStringLiteral( "method" ) ).toString();
    row.areaShare = o.value( QStringLiteral( "area_share" ) ).toDouble();
    row.cells = o.value( QStringLiteral( "cells" ) ).toInt();
    row.hits = o.value( QStringLiteral( "hits" ) ).toDouble();
    row.hitRate = o.value( QStringLiteral( "hit_rate" ) ).toDouble();
    row.pai = o.value( QStringLiteral( "pai" ) ).toDouble();
    row.pei = o.value( QStringLiteral( "pei" ) ).toDouble();
    r.validation.push_back( row );
  }
  r.narrative = summary.value( QStringLiteral( "narrative" ) ).toString();
  r.highRiskPlaceCount = summary.value( QStringLiteral( "high_risk_places" ) ).toInt();
  r.priorityPlaceCount = summary.value( QStringLiteral( "priority_places" ) ).toInt();
  r.priorityAreaShare = summary.value( QStringLiteral( "priority_area_share" ) ).toDouble();
  const double cell = grid.value( QStringLiteral( "cell" ) ).toDouble();
  r.priorityArea = r.priorityAreaShare * grid.value( QStringLiteral( "cells_in_area" ) ).toInt() * cell * cell;
  if ( !readCells( st, grid, &r, error ) )
    return false;
  r.highRiskPlaces = placesGeometry( db, rtmHighRiskTable( id ) );
  r.priorityPlaces = placesGeometry( db, rtmPriorityTable( id ) );

  for ( const ModelTerm &t : r.chosen().terms )
    out.info.selected << t.factor;
  out.info.highRiskPlaces = r.highRiskPlaceCount;
  out.info.priorityPlaces = r.priorityPlaceCount;
  out.info.hasMapTables = db.tableExists( rtmRasterTable( id ) ) && db.tableExists( rtmHighRiskTable( id ) ) && db.tableExists( rtmPriorityTable( id ) );
  *run = std::move( out );
  return true;
}

bool deleteRtmRun( ProjectFile &project, qint64 id, QString *error )
{
  if ( project.isReadOnly() )
  {
    *error = QObject::tr( "The project is open read-only." );
    return false;
  }
  SqliteDatabase &db = project.database();
  if ( !db.tableExists( kRtmRunsTable ) )
  {
    *error = QObject::tr( "There is no saved RTM run %1." ).arg( id );
    return false;
  }
  SqliteTransaction tx( db );
  if ( !tx.isActive() )
  {
    *error = db.errorString();
    return false;
  }
  SqliteStatement st( db, QStringLiteral( "DELETE FROM rtm_runs WHERE fid = ?" ) );
  st.bindInt64( 1, id );
  if ( !st.exec() )
  {
    *error = st.errorString();
    return false;
  }
  if ( !dropRtmMapTables( db, id, error ) )
    return false;
  if ( !tx.commit() )
  {
    *error = db.errorString();
    return false;
  }
  return true;
}

QList<RtmComparisonRow> compareRtmRuns( const RtmSavedRun &a, const RtmSavedRun &b )
{
  QList<RtmComparisonRow> rows;
  auto add = [&rows]( const QString &section, const QString &label, const QString &va, const QString &vb )
  { rows << RtmComparisonRow{ section, label, va, vb }; };
  const RtmParameters &pa = a.parameters, &pb = b.parameters;
  const QString parameters = QObject::tr( "Parameters" );
  auto outcome = []( const RtmParameters &p )
  { return p.outcomeFilter.isEmpty() ? p.outcomeLayer : QStringLiteral( "%1 where %2" ).arg( p.outcomeLayer, p.outcomeFilter ); };
  auto area = []( const RtmParameters &p )
  { return p.studyAreaFilter.isEmpty() ? p.studyAreaLayer : QStringLiteral( "%1 where %2" ).arg( p.studyAreaLayer, p.studyAreaFilter ); };
  add( parameters, QObject::tr( "Run" ), QStringLiteral( "%1 — %2" ).arg( a.info.id ).arg( a.info.name ), QStringLiteral( "%1 — %2" ).arg( b.info.id ).arg( b.info.name ) );
  add( parameters, QObject::tr( "Saved" ), a.info.createdAt, b.info.createdAt );
  add( parameters, QObject::tr( "Outcome" ), outcome( pa ), outcome( pb ) );
  add( parameters, QObject::tr( "Training window" ), window( pa.trainFrom, pa.trainTo ), window( pb.trainFrom, pb.trainTo ) );
  add( parameters, QObject::tr( "Validation window" ), pa.hasValidation() ? window( pa.testFrom, pa.testTo ) : QObject::tr( "none" ),
       pb.hasValidation() ? window( pb.testFrom, pb.testTo ) : QObject::tr( "none" ) );
  add( parameters, QObject::tr( "Study area" ), area( pa ), area( pb ) );
  add( parameters, QObject::tr( "Block length / cell size" ), QStringLiteral( "%1 / %2 %3" ).arg( pa.blockLength ).arg( pa.effectiveCellSize() ).arg( a.distanceUnit ),
       QStringLiteral( "%1 / %2 %3" ).arg( pb.blockLength ).arg( pb.effectiveCellSize() ).arg( b.distanceUnit ) );
  add( parameters, QObject::tr( "Risk factors" ), QString::number( pa.factors.size() ), QString::number( pb.factors.size() ) );
  add( parameters, QObject::tr( "Seed" ), QString::number( pa.seed ), QString::number( pb.seed ) );

  const RtmResult &ra = a.result, &rb = b.result;
  const QString model = QObject::tr( "Model" );
  add( model, QObject::tr( "Family chosen" ), countFamilyTitle( ra.chosenFamily ), countFamilyTitle( rb.chosenFamily ) );
  auto bic = []( const FamilyModel &m )
  { return m.ok ? number( m.bic, 2 ) : QObject::tr( "failed" ); };
  add( model, QObject::tr( "BIC Poisson" ), bic( ra.poisson ), bic( rb.poisson ) );
  add( model, QObject::tr( "BIC negative binomial" ), QStringLiteral( "%1 (%2)" ).arg( bic( ra.negativeBinomial ), countFamilyName( ra.negativeBinomial.family ).toUpper() ),
       QStringLiteral( "%1 (%2)" ).arg( bic( rb.negativeBinomial ), countFamilyName( rb.negativeBinomial.family ).toUpper() ) );
  add( model, QObject::tr( "Intercept" ), number( ra.chosen().intercept, 4 ), number( rb.chosen().intercept, 4 ) );
  auto dispersion = []( const RtmResult &r )
  { return r.chosenFamily == CountFamily::Poisson ? QObject::tr( "—" ) : number( r.chosen().alpha, 4 ); };
  add( model, QObject::tr( "Dispersion" ), dispersion( ra ), dispersion( rb ) );
  auto cells = []( const RtmResult &r )
  { return QObject::tr( "%1 cells, %2 with events, %3 events" ).arg( r.grid.cellsInArea() > 0 ? r.grid.cellsInArea() : r.audit.value( QStringLiteral( "grid" ) ).toObject().value( QStringLiteral( "cells_in_area" ) ).toInt() ).arg( r.cellsWithEvents ).arg( r.eventsInArea ); };
  add( model, QObject::tr( "Grid" ), cells( ra ), cells( rb ) );
  auto candidates = []( const RtmResult &r )
  { return QObject::tr( "%1 candidates, %2 after elastic net" ).arg( r.designVariables.size() ).arg( r.enetSelected.size() ); };
  add( model, QObject::tr( "Variables" ), candidates( ra ), candidates( rb ) );

  const QString factors = QObject::tr( "Factors (RRV)" );
  QStringList names;
  for ( const RiskFactorSpec &f : pa.factors )
    names << f.name;
  for ( const RiskFactorSpec &f : pb.factors )
    if ( !names.contains( f.name ) )
      names << f.name;
  auto factorText = []( const RtmSavedRun &run, const QString &name )
  {
    bool inRun = false;
    for ( const RiskFactorSpec &f : run.parameters.factors )
      inRun |= f.name == name;
    if ( !inRun )
      return QObject::tr( "not a factor" );
    for ( const ModelTerm &t : run.result.chosen().terms )
      if ( t.factor == name )
        return QObject::tr( "%1 %2 %3: %4" ).arg( t.operationalisation ).arg( t.distance ).arg( run.distanceUnit, number( t.rrv, 3 ) );
    return QObject::tr( "not selected" );
  };
  for ( const QString &name : names )
    add( factors, name, factorText( a, name ), factorText( b, name ) );

  const QString places = QObject::tr( "Risk and places" );
  auto highest = []( const RtmResult &r )
  { return r.classes.empty() ? QString() : QObject::tr( "%1 of area, %2 of events" ).arg( percent( r.classes.back().areaShare ), percent( r.classes.back().eventShare ) ); };
  add( places, QObject::tr( "Highest-risk cells" ), highest( ra ), highest( rb ) );
  add( places, QObject::tr( "High-risk places" ), QString::number( ra.highRiskPlaceCount ), QString::number( rb.highRiskPlaceCount ) );
  add( places, QObject::tr( "Priority places" ), QObject::tr( "%1 (%2 of area)" ).arg( ra.priorityPlaceCount ).arg( percent( ra.priorityAreaShare ) ),
       QObject::tr( "%1 (%2 of area)" ).arg( rb.priorityPlaceCount ).arg( percent( rb.priorityAreaShare ) ) );

  const QString validation = QObject::tr( "Validation" );
  auto validationText = []( const RtmResult &r, const QString &method, double share )
  {
    for ( const ValidationRow &v : r.validation )
      if ( v.method == method && std::fabs( v.areaShare - share ) < 1e-9 )
        return QObject::tr( "hit rate %1, PAI %2, PEI %3" ).arg( percent( v.hitRate ), number( v.pai, 2 ), number( v.pei, 3 ) );
    return QObject::tr( "—" );
  };
  for ( double share : { 0.01, 0.05, 0.10 } )
    for ( const QString &method : { QStringLiteral( "rtm" ), QStringLiteral( "kde" ), QStringLiteral( "prior_count" ) } )
      add( validation, QObject::tr( "%1, top %2% of area" ).arg( methodTitle( method ) ).arg( 100 * share, 0, 'f', 0 ), validationText( ra, method, share ), validationText( rb, method, share ) );
  return rows;
}

bool defaultRtmParameters( ProjectFile &project, RtmParameters *parameters, QString *note, QString *error )
{
  const QString truth = project.metadata( schema::kMetaDemoTruth );
  if ( !truth.isEmpty() )
  {
    QString truthError;
    if ( rtmParametersFromDemoTruth( jsonObject( truth ), parameters, &truthError ) )
    {
      if ( note )
        *note = QObject::tr( "Demo project: the demo's risk factor layers and windows, as statdesk-cli rtm uses them." );
      return true;
    }
  }
  SqliteDatabase &db = project.database();
  RtmParameters p;
  const bool feet = project.crs().mapUnits() == QgsUnitTypes::DistanceFeet;
  p.blockLength = feet ? 400 : 120;

  auto located = [&db]( const QString &table, const QString &where ) -> qint64
  {
    if ( !db.tableExists( table ) )
      return 0;
    return db.scalar( QStringLiteral( "SELECT COUNT(*) FROM \"%1\" WHERE geom IS NOT NULL%2" ).arg( table, where.isEmpty() ? QString() : QStringLiteral( " AND (%1)" ).arg( where ) ) ).toLongLong();
  };
  if ( located( schema::kBoundaries, QStringLiteral( "kind = 'city'" ) ) > 0 )
  {
    p.studyAreaLayer = schema::kBoundaries;
    p.studyAreaFilter = QStringLiteral( "kind = 'city'" );
  }
  else if ( located( schema::kNeighborhoods, QString() ) > 0 )
  {
    p.studyAreaLayer = schema::kNeighborhoods;
    p.studyAreaFilter.clear();
  }
  else
  {
    *error = QObject::tr( "The project has no city boundary or neighborhoods to use as the study area: import them first." );
    return false;
  }

  // One factor per 311 blight class with enough located requests to form a layer.
  if ( db.tableExists( schema::kServiceRequests ) )
  {
    SqliteStatement st( db, QStringLiteral( "SELECT blight_class, COUNT(*) FROM service_requests WHERE blight_class IS NOT NULL AND blight_class <> '' "
                                            "AND geom IS NOT NULL GROUP BY blight_class HAVING COUNT(*) >= 10 ORDER BY blight_class" ) );
    static const QRegularExpression notName( QStringLiteral( "[^A-Za-z0-9_]+" ) );
    while ( st.next() )
    {
      RiskFactorSpec f;
      const QString cls = st.text( 0 );
      f.name = QString( cls ).replace( notName, QStringLiteral( "_" ) ) + QStringLiteral( "_requests" );
      f.layer = schema::kServiceRequests;
      f.filter = QStringLiteral( "blight_class = '%1'" ).arg( QString( cls ).replace( '\'', QStringLiteral( "''" ) ) );
      p.factors << f;
    }
  }
  for ( const QString &table : { schema::kVacantParcels, schema::kDangerousBuildings } )
  {
    if ( located( table, QString() ) == 0 )
      continue;
    RiskFactorSpec f;
    f.name = table;
    f.layer = table;
    p.factors << f;
  }
  if ( p.factors.isEmpty() )
  {
    *error = QObject::tr( "The project has no located 311 blight requests, vacant parcels or dangerous buildings to use as risk factors: import them, or add factors by hand." );
    return false;
  }

  // The last year of offenses validates a model trained on the years before it.
  if ( db.tableExists( schema::kIncidents ) )
  {
    SqliteStatement st( db, QStringLiteral( "SELECT MIN(occurred_at), MAX(occurred_at) FROM incidents WHERE violent = 1 AND geom IS NOT NULL" ) );
    if ( st.next() )
    {
      const QDate from = QDate::fromString( st.text( 0 ).left( 10 ), Qt::ISODate );
      const QDate to = QDate::fromString( st.text( 1 ).left( 10 ), Qt::ISODate );
      if ( from.isValid() && to.isValid() && from.addYears( 1 ) <= to )
      {
        p.testTo = to;
        p.testFrom = to.addYears( -1 ).addDays( 1 );
        p.trainFrom = from;
        p.trainTo = p.testFrom.addDays( -1 );
      }
      else if ( from.isValid() && to.isValid() )
      {
        p.trainFrom = from;
        p.trainTo = to;
      }
    }
  }
  if ( !p.validate( error ) )
    return false;
  *parameters = p;
  if ( note )
    *note = QObject::tr( "Defaults from the project's layers: %1 risk factors (311 blight classes, vacant parcels, dangerous buildings), block length %2 %3." ).arg( p.factors.size() ).arg( p.blockLength ).arg( feet ? QStringLiteral( "ft" ) : QStringLiteral( "m" ) );
  return true;
}

} // namespace statdesk::rtm
