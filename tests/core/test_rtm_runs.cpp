// Saved RTM runs on a small demo city: a run saved with its map tables reads back as the result
// runRtm gave (model, classes, validation, cells, design), the project stays a valid GeoPackage
// whose raster GDAL reads, two runs compare side by side, a run deletes cleanly, the briefing's RTM
// section states the latest run's factors, RRVs, high-risk share and places, and a project that
// is not a demo gets defaults from its layers.
#include "TestSupport.h"

#include "briefing/Briefing.h"
#include "common/Sqlite.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"
#include "rtm/RtmBriefingSection.h"
#include "rtm/RtmEngine.h"
#include "rtm/RtmRuns.h"

#include <QLocale>

#include <gdal.h>

#include <qgsvectorlayer.h>

using namespace statdesk;
using namespace statdesk::rtm;

class TestRtmRuns : public QObject
{
  Q_OBJECT
private slots:
  void initTestCase();
  void briefingSectionWithoutRuns();
  void savedRunReadsBack();
  void projectStaysValidGeoPackage();
  void rasterInTheProject();
  void compareTwoRuns();
  void briefingSectionText();
  void deleteRun();
  void defaultsFromLayers();

private:
  BriefingContext context( ProjectFile &project ) const;
  RtmResult runOn( ProjectFile &project, const RtmParameters &p );

  QTemporaryDir mDir;
  QString mPath;
  RtmParameters mParameters, mSecondParameters;
  RtmResult mFirst, mSecond;
  qint64 mFirstId = -1, mSecondId = -1;
};

BriefingContext TestRtmRuns::context( ProjectFile &project ) const
{
  BriefingContext c;
  c.database = &project.database();
  c.projectPath = project.path();
  c.crsAuthId = project.crs().authid();
  return c;
}

RtmResult TestRtmRuns::runOn( ProjectFile &project, const RtmParameters &p )
{
  RtmInputs inputs;
  QString error;
  if ( !loadRtmInputs( project, p, &inputs, &error ) )
  {
    RtmResult failed;
    failed.error = error;
    return failed;
  }
  return runRtm( p, inputs );
}

void TestRtmRuns::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mPath = mDir.filePath( QStringLiteral( "runs.gpkg" ) );
  DemoOptions o;
  o.seed = 5;
  o.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mPath, o, nullptr, &error ), qPrintable( error ) );
}

void TestRtmRuns::briefingSectionWithoutRuns()
{
  QString error;
  std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadOnly, &error );
  QVERIFY2( project, qPrintable( error ) );
  RtmBriefingSection section;
  QVERIFY( section.citywideText( context( *project ) ).isEmpty() );
  QVERIFY( section.citywideLayers( context( *project ) ).empty() );
  // Registered for every exporter.
  int registered = 0;
  for ( const BriefingSection::Factory &f : BriefingSection::factories() )
    registered += f()->id() == QLatin1String( "rtm" );
  QCOMPARE( registered, 1 );
}

void TestRtmRuns::savedRunReadsBack()
{
  QString error;
  std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadWrite, &error );
  QVERIFY2( project, qPrintable( error ) );
  QVERIFY( defaultRtmParameters( *project, &mParameters, nullptr, &error ) );
  mFirst = runOn( *project, mParameters );
  QVERIFY2( mFirst.ok, qPrintable( mFirst.error ) );
  mFirstId = saveRtmRun( *project, QStringLiteral( "first" ), mParameters, mFirst, &error );
  QVERIFY2( mFirstId > 0, qPrintable( error ) );
  // A second run: NB2 instead of NB1, half-block bands for the dumping requests.
  mSecondParameters = mParameters;
  mSecondParameters.negativeBinomial = CountFamily::NB2;
  mSecondParameters.factors[2].increment = Increment::Half;
  mSecond = runOn( *project, mSecondParameters );
  QVERIFY2( mSecond.ok, qPrintable( mSecond.error ) );
  mSecondId = saveRtmRun( *project, QStringLiteral( "second" ), mSecondParameters, mSecond, &error );
  QVERIFY2( mSecondId > mFirstId, qPrintable( error ) );

  const QList<RtmRunInfo> runs = listRtmRuns( project->database() );
  QCOMPARE( runs.size(), 2 );
  QCOMPARE( runs[0].id, mSecondId ); // newest first
  QVERIFY( runs[0].hasMapTables && runs[1].hasMapTables );

  RtmSavedRun saved;
  QVERIFY2( loadRtmRun( project->database(), mFirstId, &saved, &error ), qPrintable( error ) );
  QCOMPARE( saved.info.name, QStringLiteral( "first" ) );
  QCOMPARE( QJsonDocument( saved.parameters.toJson() ).toJson(), QJsonDocument( mParameters.toJson() ).toJson() );
  QCOMPARE( saved.distanceUnit, QStringLiteral( "m" ) );
  const RtmResult &r = saved.result;
  QCOMPARE( r.chosenFamily, mFirst.chosenFamily );
  QCOMPARE( r.chosen().terms.size(), mFirst.chosen().terms.size() );
  for ( std::size_t t = 0; t < r.chosen().terms.size(); ++t )
  {
    QCOMPARE( r.chosen().terms[t].variable, mFirst.chosen().terms[t].variable );
    QCOMPARE( r.chosen().terms[t].rrv, mFirst.chosen().terms[t].rrv );
    QCOMPARE( r.chosen().variables[t], mFirst.chosen().variables[t] );
  }
  QCOMPARE( r.poisson.bic, mFirst.poisson.bic );
  QCOMPARE( r.negativeBinomial.bic, mFirst.negativeBinomial.bic );
  QCOMPARE( r.narrative, mFirst.narrative );
  QCOMPARE( r.classes.size(), mFirst.classes.size() );
  QCOMPARE( r.classes.back().eventShare, mFirst.classes.back().eventShare );
  QCOMPARE( r.validation.size(), mFirst.validation.size() );
  QCOMPARE( r.validation[8].pei, mFirst.validation[8].pei );
  // The cells: grid, counts and design exactly; the RRS as the float32 it is stored as.
  QCOMPARE( r.grid.cellOfRow, mFirst.grid.cellOfRow );
  QCOMPARE( r.trainCounts, mFirst.trainCounts );
  QCOMPARE( r.testCounts, mFirst.testCounts );
  QCOMPARE( r.designVariables, mFirst.designVariables );
  QVERIFY( r.design == mFirst.design );
  QCOMPARE( r.enetSelected, mFirst.enetSelected );
  for ( std::size_t i = 0; i < r.rrs.size(); ++i )
    QVERIFY( std::fabs( r.rrs[i] - mFirst.rrs[i] ) <= 1e-6 * mFirst.rrs[i] );
  QCOMPARE( r.highRiskPlaceCount, mFirst.highRiskPlaceCount );
  QVERIFY( !r.priorityPlaces.isNull() );
  QVERIFY( std::fabs( r.priorityPlaces.area() - mFirst.priorityPlaces.area() ) < 1e-6 * mFirst.priorityPlaces.area() );
}

void TestRtmRuns::projectStaysValidGeoPackage()
{
  const QString script = test::validateGpkgScript();
  if ( script.isEmpty() )
    QSKIP( "GDAL's validate_gpkg.py is not installed" );
  const test::ProcessResult r = test::run( QStringLiteral( "/usr/bin/python3" ), { script, mPath } );
  QVERIFY2( r.exitCode == 0, ( r.out + r.err ).constData() );
}

void TestRtmRuns::rasterInTheProject()
{
  // GDAL (and so vanilla QGIS) reads the stored RRS: the grid's size and origin, minimum 1, the run's maximum.
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx( QStringLiteral( "GPKG:%1:%2" ).arg( mPath, rtmRasterTable( mFirstId ) ).toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr );
  QVERIFY( ds );
  QCOMPARE( GDALGetRasterXSize( ds ), mFirst.grid.cols );
  QCOMPARE( GDALGetRasterYSize( ds ), mFirst.grid.rows );
  double gt[6];
  QCOMPARE( GDALGetGeoTransform( ds, gt ), CE_None );
  QVERIFY( std::fabs( gt[0] - mFirst.grid.x0 ) < 1e-6 && std::fabs( gt[1] - mFirst.grid.cell ) < 1e-9 );
  QVERIFY( std::fabs( gt[3] - ( mFirst.grid.y0 + mFirst.grid.rows * mFirst.grid.cell ) ) < 1e-6 );
  GDALRasterBandH band = GDALGetRasterBand( ds, 1 );
  int hasNoData = 0;
  QCOMPARE( GDALGetRasterNoDataValue( band, &hasNoData ), -9999.0 );
  double minmax[2];
  GDALComputeRasterMinMax( band, FALSE, minmax );
  QVERIFY( std::fabs( minmax[0] - 1.0 ) < 1e-6 );
  QVERIFY( std::fabs( minmax[1] - *std::max_element( mFirst.rrs.begin(), mFirst.rrs.end() ) ) < 1e-5 * minmax[1] );
  // The cell holding the most risk is where the grid says it is.
  const auto top = std::max_element( mFirst.rrs.begin(), mFirst.rrs.end() ) - mFirst.rrs.begin();
  const int c = mFirst.grid.cellOfRow[top];
  float value = 0;
  QCOMPARE( GDALRasterIO( band, GF_Read, c % mFirst.grid.cols, mFirst.grid.rows - 1 - c / mFirst.grid.cols, 1, 1, &value, 1, 1, GDT_Float32, 0, 0 ), CE_None );
  QCOMPARE( value, static_cast<float>( mFirst.rrs[top] ) );
  GDALClose( ds );
}

void TestRtmRuns::compareTwoRuns()
{
  QString error;
  std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadOnly, &error );
  QVERIFY2( project, qPrintable( error ) );
  RtmSavedRun a, b;
  QVERIFY( loadRtmRun( project->database(), mFirstId, &a, &error ) && loadRtmRun( project->database(), mSecondId, &b, &error ) );
  const QList<RtmComparisonRow> rows = compareRtmRuns( a, b );
  auto find = [&rows]( const QString &label ) -> const RtmComparisonRow *
  {
    for ( const RtmComparisonRow &r : rows )
      if ( r.label == label )
        return &r;
    return nullptr;
  };
  const RtmComparisonRow *nb = find( QStringLiteral( "BIC negative binomial" ) );
  QVERIFY( nb );
  QVERIFY2( nb->a.endsWith( QLatin1String( "(NB1)" ) ) && nb->b.endsWith( QLatin1String( "(NB2)" ) ), qPrintable( nb->a + " / " + nb->b ) );
  const RtmComparisonRow *poisson = find( QStringLiteral( "BIC Poisson" ) );
  QVERIFY( poisson );
  QCOMPARE( poisson->a, QString::number( mFirst.poisson.bic, 'f', 2 ) );
  // Every factor of either run, with its selected variable and RRV.
  for ( const RiskFactorSpec &f : mParameters.factors )
  {
    const RtmComparisonRow *row = find( f.name );
    QVERIFY2( row, qPrintable( f.name ) );
    bool selected = false;
    for ( const ModelTerm &t : mFirst.chosen().terms )
      if ( t.factor == f.name )
      {
        selected = true;
        QVERIFY2( row->a.endsWith( QString::number( t.rrv, 'f', 3 ) ), qPrintable( row->a ) );
      }
    if ( !selected )
      QCOMPARE( row->a, QStringLiteral( "not selected" ) );
  }
  int validation = 0;
  for ( const RtmComparisonRow &r : rows )
    validation += r.section == QLatin1String( "Validation" );
  QCOMPARE( validation, 9 );
  QVERIFY( find( QStringLiteral( "Seed" ) ) && !find( QStringLiteral( "Seed" ) )->differs() );
}

void TestRtmRuns::briefingSectionText()
{
  QString error;
  std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadOnly, &error );
  QVERIFY2( project, qPrintable( error ) );
  RtmBriefingSection section;
  const QString text = section.citywideText( context( *project ) );
  // The latest run: its factors with RRVs, the highest-risk share, the places.
  QVERIFY2( text.contains( QStringLiteral( "run %1 \"second\"" ).arg( mSecondId ) ), qPrintable( text ) );
  const QLocale locale;
  QVERIFY( !mSecond.chosen().terms.empty() );
  for ( const ModelTerm &t : mSecond.chosen().terms )
    QVERIFY2( text.contains( QStringLiteral( "%1 within %2 m (RRV %3)" ).arg( t.factor, locale.toString( t.distance, 'f', 0 ), locale.toString( t.rrv, 'f', 2 ) ) ), qPrintable( text ) );
  const RiskClass &top = mSecond.classes.back();
  QVERIFY2( text.contains( QStringLiteral( "Highest-risk cells: %1% of the area, %2% of the events" ).arg( locale.toString( 100 * top.areaShare, 'f', 1 ), locale.toString( 100 * top.eventShare, 'f', 1 ) ) ), qPrintable( text ) );
  QVERIFY2( text.contains( QStringLiteral( "%1 high-risk places, %2 priority places" ).arg( mSecond.highRiskPlaceCount ).arg( mSecond.priorityPlaceCount ) ), qPrintable( text ) );

  std::vector<std::unique_ptr<QgsMapLayer>> layers = section.citywideLayers( context( *project ) );
  QCOMPARE( layers.size(), std::size_t( 2 ) );
  auto *priority = qobject_cast<QgsVectorLayer *>( layers[0].get() );
  auto *highRisk = qobject_cast<QgsVectorLayer *>( layers[1].get() );
  QVERIFY( priority && priority->isValid() && highRisk && highRisk->isValid() );
  QCOMPARE( priority->geometryType(), QgsWkbTypes::PolygonGeometry );
  QCOMPARE( priority->featureCount(), static_cast<long long>( mSecond.priorityPlaceCount ) );
  QCOMPARE( highRisk->featureCount(), static_cast<long long>( mSecond.highRiskPlaceCount ) );
}

void TestRtmRuns::deleteRun()
{
  QString error;
  std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadWrite, &error );
  QVERIFY2( project, qPrintable( error ) );
  QVERIFY2( deleteRtmRun( *project, mFirstId, &error ), qPrintable( error ) );
  const QList<RtmRunInfo> runs = listRtmRuns( project->database() );
  QCOMPARE( runs.size(), 1 );
  QCOMPARE( runs[0].id, mSecondId );
  SqliteDatabase &db = project->database();
  for ( const QString &t : { rtmRasterTable( mFirstId ), rtmHighRiskTable( mFirstId ), rtmPriorityTable( mFirstId ) } )
  {
    QVERIFY( !db.tableExists( t ) );
    QCOMPARE( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM gpkg_contents WHERE table_name = '%1'" ).arg( t ) ).toInt(), 0 );
  }
  QVERIFY( db.tableExists( rtmRasterTable( mSecondId ) ) );
  project.reset();
  const QString script = test::validateGpkgScript();
  if ( script.isEmpty() )
    QSKIP( "GDAL's validate_gpkg.py is not installed" );
  const test::ProcessResult r = test::run( QStringLiteral( "/usr/bin/python3" ), { script, mPath } );
  QVERIFY2( r.exitCode == 0, ( r.out + r.err ).constData() );
}

void TestRtmRuns::defaultsFromLayers()
{
  // The same city without its demo truth: defaults come from the layers.
  const QString copy = mDir.filePath( QStringLiteral( "plain.gpkg" ) );
  QVERIFY( QFile::copy( mPath, copy ) );
  QString error;
  std::unique_ptr<ProjectFile> project = ProjectFile::open( copy, ProjectFile::Mode::ReadWrite, &error );
  QVERIFY2( project, qPrintable( error ) );
  QVERIFY( project->database().exec( QStringLiteral( "DELETE FROM statdesk_metadata WHERE key = 'demo_truth'" ) ) );
  RtmParameters p;
  QString note;
  QVERIFY2( defaultRtmParameters( *project, &p, &note, &error ), qPrintable( error ) );
  QVERIFY2( note.contains( QStringLiteral( "project's layers" ) ), qPrintable( note ) );
  QStringList names;
  for ( const RiskFactorSpec &f : p.factors )
    names << f.name;
  for ( const QString &expected : { QStringLiteral( "dumping_requests" ), QStringLiteral( "streetlight_requests" ), QStringLiteral( "vacant_parcels" ), QStringLiteral( "dangerous_buildings" ) } )
    QVERIFY2( names.contains( expected ), qPrintable( names.join( ',' ) ) );
  QCOMPARE( p.studyAreaLayer, schema::kBoundaries );
  QCOMPARE( p.outcomeFilter, QStringLiteral( "violent = 1" ) );
  QCOMPARE( p.blockLength, 120.0 );
  const QDate last = QDate::fromString( project->database().scalar( QStringLiteral( "SELECT MAX(occurred_at) FROM incidents WHERE violent = 1 AND geom IS NOT NULL" ) ).toString().left( 10 ), Qt::ISODate );
  QCOMPARE( p.testTo, last );
  QCOMPARE( p.testFrom, last.addYears( -1 ).addDays( 1 ) );
  QCOMPARE( p.trainTo, p.testFrom.addDays( -1 ) );
  // Every layer, filter and window they name reads (the engine itself is tested elsewhere).
  RtmInputs inputs;
  QVERIFY2( loadRtmInputs( *project, p, &inputs, &error ), qPrintable( error ) );
  QCOMPARE( inputs.factors.size(), static_cast<std::size_t>( p.factors.size() ) );
  for ( const FeatureSet &f : inputs.factors )
    QVERIFY( f.count() >= 10 );
  QVERIFY( inputs.outcome.count() > 0 && inputs.outcomeTest.count() > 0 );
}

STATDESK_QGIS_TEST_MAIN( TestRtmRuns )
#include "test_rtm_runs.moc"
