// RTM on the generated demo city: the planted relative risks recorded in the project (demo_truth)
// are recovered through the project reader, the CLI prints them, runs save into the project and export.
#include "TestSupport.h"
#include "demo/DemoCity.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"
#include "rtm/RtmEngine.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gdal.h>

using namespace statdesk;
using namespace statdesk::rtm;

class TestRtmDemo : public QObject
{
    Q_OBJECT
  private slots:
    void initTestCase()
    {
      QVERIFY( mDir.isValid() );
      mPath = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
      DemoOptions o;
      o.seed = 1;
      o.size = DemoOptions::Size::Small;
      QString error;
      QVERIFY2( generateDemoCity( mPath, o, nullptr, &error, &mSummary ), qPrintable( error ) );
    }

    void recoversPlantedRisks()
    {
      QString error;
      std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadOnly, &error );
      QVERIFY2( project, qPrintable( error ) );
      const QJsonObject truth = QJsonDocument::fromJson( project->metadata( schema::kMetaDemoTruth ).toUtf8() ).object();
      RtmParameters p;
      QVERIFY2( rtmParametersFromDemoTruth( truth, &p, &error ), qPrintable( error ) );
      RtmInputs inputs;
      QVERIFY2( loadRtmInputs( *project, p, &inputs, &error ), qPrintable( error ) );
      const RtmResult r = runRtm( p, inputs );
      QVERIFY2( r.ok, qPrintable( r.error ) );
      qInfo( "%s", qPrintable( r.narrative ) );
      // The grid is the demo's: same origin and in-area cell count.
      const QJsonArray origin = truth.value( QStringLiteral( "grid_origin" ) ).toArray();
      if ( !origin.isEmpty() )
      {
        QVERIFY( std::fabs( r.grid.x0 - origin[0].toDouble() ) < 1e-6 );
        QVERIFY( std::fabs( r.grid.y0 - origin[1].toDouble() ) < 1e-6 );
      }
      if ( truth.contains( QStringLiteral( "grid_cells_in_area" ) ) )
        QCOMPARE( r.grid.cellsInArea(), truth.value( QStringLiteral( "grid_cells_in_area" ) ).toInt() );

      const FamilyModel &m = r.chosen();
      for ( const QJsonValue &v : truth.value( QStringLiteral( "factors" ) ).toArray() )
      {
        const QJsonObject f = v.toObject();
        const QString name = f.value( QStringLiteral( "name" ) ).toString();
        const double rr = f.value( QStringLiteral( "relative_risk" ) ).toDouble();
        const double distance = f.value( QStringLiteral( "distance_m" ) ).toDouble();
        const ModelTerm *term = nullptr;
        for ( const ModelTerm &t : m.terms )
          if ( t.factor == name )
            term = &t;
        if ( rr == 1.0 )
        {
          QVERIFY2( !term, qPrintable( QStringLiteral( "null factor %1 selected" ).arg( name ) ) );
          continue;
        }
        QVERIFY2( term, qPrintable( QStringLiteral( "planted factor %1 not selected" ).arg( name ) ) );
        qInfo( "%s: %s RRV %.3f (truth %.2f at %.0f m)", qPrintable( name ), qPrintable( term->variable ), term->rrv, rr, distance );
        QCOMPARE( term->operationalisation, QStringLiteral( "proximity" ) );
        QCOMPARE( term->distance, distance );
        QVERIFY2( std::fabs( term->rrv / rr - 1 ) <= 0.15, qPrintable( QStringLiteral( "%1 RRV %2 vs truth %3" ).arg( name ).arg( term->rrv ).arg( rr ) ) );
      }
    }

    void cliJsonSaveAndExports()
    {
      const QString out = mDir.filePath( QStringLiteral( "exports" ) );
      const test::ProcessResult run = test::cli( { QStringLiteral( "rtm" ), QStringLiteral( "--project" ), mPath, QStringLiteral( "--json" ), QStringLiteral( "--export-design" ), out,
                                                   QStringLiteral( "--export" ), out, QStringLiteral( "--save" ), QStringLiteral( "demo run" ) } );
      QVERIFY2( run.exitCode == 0, run.err.constData() );
      const QJsonObject json = QJsonDocument::fromJson( run.out ).object();
      QVERIFY( json.value( QStringLiteral( "ok" ) ).toBool() );
      QVERIFY( json.value( QStringLiteral( "model" ) ).toArray().size() >= 3 );
      QVERIFY( json.value( QStringLiteral( "bic" ) ).toObject().contains( QStringLiteral( "poisson" ) ) );
      QCOMPARE( json.value( QStringLiteral( "classes" ) ).toArray().size(), 4 );
      QCOMPARE( json.value( QStringLiteral( "validation" ) ).toArray().size(), 9 );
      const qint64 runId = json.value( QStringLiteral( "run_id" ) ).toVariant().toLongLong();
      QVERIFY( runId > 0 );

      // Design CSV: header + one line per in-area cell.
      QFile design( QDir( out ).filePath( QStringLiteral( "rtm_design.csv" ) ) );
      QVERIFY( design.open( QIODevice::ReadOnly ) );
      const QByteArray header = design.readLine();
      QVERIFY( header.startsWith( "cell,col,row,x,y,count,test_count,r1p1_" ) );
      int lines = 0;
      while ( !design.atEnd() )
        lines += !design.readLine().trimmed().isEmpty();
      QCOMPARE( lines, json.value( QStringLiteral( "cells" ) ).toInt() );

      // GeoTIFF: one band, nodata outside, minimum RRS 1.
      GDALAllRegister();
      GDALDatasetH ds = GDALOpen( QDir( out ).filePath( QStringLiteral( "rtm_rrs.tif" ) ).toUtf8().constData(), GA_ReadOnly );
      QVERIFY( ds );
      GDALRasterBandH band = GDALGetRasterBand( ds, 1 );
      double minmax[2];
      GDALComputeRasterMinMax( band, FALSE, minmax );
      QVERIFY( std::fabs( minmax[0] - 1.0 ) < 1e-6 );
      QVERIFY( std::fabs( minmax[1] - json.value( QStringLiteral( "rrs_max" ) ).toDouble() ) < 1e-3 * minmax[1] );
      GDALClose( ds );
      QVERIFY( QFile::exists( QDir( out ).filePath( QStringLiteral( "rtm_model.csv" ) ) ) );

      // The run is in the project, with its audit trail.
      QString error;
      std::unique_ptr<ProjectFile> project = ProjectFile::open( mPath, ProjectFile::Mode::ReadOnly, &error );
      QVERIFY2( project, qPrintable( error ) );
      SqliteStatement st( project->database(), QStringLiteral( "SELECT name, family, audit, rrs FROM rtm_runs WHERE fid = ?" ) );
      st.bindInt64( 1, runId );
      QVERIFY( st.next() );
      QCOMPARE( st.text( 0 ), QStringLiteral( "demo run" ) );
      QCOMPARE( st.text( 1 ), json.value( QStringLiteral( "family" ) ).toString() );
      const QJsonObject audit = QJsonDocument::fromJson( st.text( 2 ).toUtf8() ).object();
      QVERIFY( audit.value( QStringLiteral( "cv_curve" ) ).toArray().size() > 5 );
      QCOMPARE( qUncompress( st.blob( 3 ) ).size(), json.value( QStringLiteral( "cells" ) ).toInt() * 4 );
    }

    void cliRefusesBadInput()
    {
      test::ProcessResult r = test::cli( { QStringLiteral( "rtm" ), QStringLiteral( "--project" ), mPath, QStringLiteral( "--factor" ), QStringLiteral( "name=x;op=sideways;layer=vacant_parcels" ) } );
      QCOMPARE( r.exitCode, 2 );
      QVERIFY( r.err.contains( "op must be" ) );
      r = test::cli( { QStringLiteral( "rtm" ), QStringLiteral( "--project" ), mPath, QStringLiteral( "--factor" ), QStringLiteral( "name=x;layer=vacant_parcels;filter=no_such_column = 1" ) } );
      QCOMPARE( r.exitCode, 1 );
      QVERIFY( r.err.contains( "no_such_column" ) );
      r = test::cli( { QStringLiteral( "rtm" ) } );
      QCOMPARE( r.exitCode, 2 );
    }

  private:
    QTemporaryDir mDir;
    QString mPath;
    DemoSummary mSummary;
};

STATDESK_QGIS_TEST_MAIN( TestRtmDemo )
#include "test_rtm_demo.moc"
