// The grants panel drives the core ledger: tables fill from the project, undo/redo buttons follow
// the ledger's stacks, the outcomes tab shows the planted effect, the needs tab counts N01.
#include "../core/GrantsFixture.h"
#include "../core/TestSupport.h"

#include "grants/GrantLedger.h"
#include "grants/GrantsDock.h"
#include "grants/OutcomeChart.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectLayers.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>

#include <qgsmapcanvas.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

using namespace statdesk;

class TestGrantsDock : public QObject
{
    Q_OBJECT

  private slots:
    void panel()
    {
      QTemporaryDir dir;
      test::GrantsFixture f;
      QString error;
      QVERIFY2( test::buildGrantsFixture( dir.filePath( QStringLiteral( "dock.gpkg" ) ), &f, &error ), qPrintable( error ) );
      {
        grants::GrantLedger ledger( *f.project, QStringLiteral( "tester" ) );
        grants::ProgramInput p;
        p.name = QStringLiteral( "Neighborhood Pilot Grant" );
        p.capCents = 2000000;
        p.budgetCents = 26000000;
        const qint64 program = ledger.addProgram( p );
        for ( int i = 0; i < 4; ++i )
        {
          grants::GrantInput g;
          g.programId = program;
          g.nbhId = test::nbhId( i );
          g.grantee = QStringLiteral( "Association %1" ).arg( i );
          g.startDate = QDate( 2024, 1, 15 );
          QVERIFY( ledger.award( ledger.addGrant( g ), 1500000 ) );
        }
      }
      QgsMapCanvas canvas;
      GrantsDock dock( f.project.get(), &canvas );
      QTableWidget *grantsTable = nullptr; // the ledger table: 10 columns, "Id" first
      for ( QTableWidget *t : dock.findChildren<QTableWidget *>() )
        if ( t->columnCount() == 10 && t->horizontalHeaderItem( 0 )->text() == QLatin1String( "Id" ) )
          grantsTable = t;
      QVERIFY( grantsTable );
      QCOMPARE( grantsTable->rowCount(), 4 );
      QCOMPARE( grantsTable->item( 0, 6 )->text(), QStringLiteral( "$15,000.00" ) );
      QPushButton *undo = nullptr;
      for ( QPushButton *b : dock.findChildren<QPushButton *>() )
        if ( b->text() == QLatin1String( "Undo" ) )
          undo = b;
      QVERIFY( undo && undo->isEnabled() );
      undo->click(); // the last award
      QCOMPARE( grantsTable->item( 3, 6 )->text(), QStringLiteral( "$0.00" ) );

      QVERIFY( QMetaObject::invokeMethod( &dock, "runOutcomes" ) );
      QPlainTextEdit *outcomeText = nullptr;
      for ( QPlainTextEdit *e : dock.findChildren<QPlainTextEdit *>() )
        if ( e->toPlainText().contains( QStringLiteral( "All grant neighborhoods" ) ) )
          outcomeText = e;
      QVERIFY( outcomeText );
      QVERIFY2( outcomeText->toPlainText().contains( QStringLiteral( "All grant neighborhoods: Violent offenses fell" ) ), qPrintable( outcomeText->toPlainText() ) );

      QComboBox *hood = nullptr;
      for ( QComboBox *c : dock.findChildren<QComboBox *>() )
        if ( c->findData( QStringLiteral( "N01" ) ) >= 0 )
          hood = c;
      QVERIFY( hood );
      hood->setCurrentIndex( hood->findData( QStringLiteral( "N01" ) ) );
      QVERIFY( QMetaObject::invokeMethod( &dock, "showNeeds" ) );
      bool found = false;
      for ( QLabel *l : dock.findChildren<QLabel *>() )
        found |= l->text().contains( QStringLiteral( "%1 vacant parcels" ).arg( f.vacantInN01 ) );
      QVERIFY( found );
      QVERIFY( QMetaObject::invokeMethod( &dock, "zoomToNeighborhood" ) );

      // The outcomes chart: one line per estimated neighborhood and the pooled line, which fell.
      QTableWidget *outcomes = nullptr;
      for ( QTableWidget *t : dock.findChildren<QTableWidget *>() )
        if ( t->columnCount() == 9 )
          outcomes = t;
      QVERIFY( outcomes && outcomes->rowCount() > 0 );
      QCOMPARE( dock.outcomeChart()->lines().size(), outcomes->rowCount() + 1 );
      const OutcomeChart::Line pooled = dock.outcomeChart()->lines().last();
      QVERIFY( pooled.pooled );
      QVERIFY2( pooled.estimate.rateRatio < 1 && pooled.estimate.ciHigh < 1, qPrintable( QString::number( pooled.estimate.rateRatio ) ) );
      QVERIFY( dock.outcomeChart()->axisRange().first <= pooled.estimate.ciLow );
      if ( qEnvironmentVariableIsSet( "STATDESK_SCREENSHOT_DIR" ) ) // for people checking the look
      {
        dock.findChild<QTabWidget *>()->setCurrentIndex( 2 );
        dock.resize( 720, 900 );
        dock.show();
        QTest::qWait( 200 );
        dock.grab().save( QDir( qEnvironmentVariable( "STATDESK_SCREENSHOT_DIR" ) ).filePath( QStringLiteral( "grants-outcomes.png" ) ) );
        dock.findChild<QTabWidget *>()->setCurrentIndex( 0 );
      }

      // Sites drawn on the map for grant 1 inside its neighborhood: a point and an area.
      canvas.setDestinationCrs( f.project->crs() );
      QVERIFY( dock.selectGrant( 1 ) );
      const QString nbh = f.project->database().scalar( QStringLiteral( "SELECT nbh_id FROM grants WHERE fid = 1" ) ).toString();
      SqliteStatement polygon( f.project->database(), QStringLiteral( "SELECT geom FROM neighborhoods WHERE nbh_id = ?" ) );
      polygon.bindText( 1, nbh );
      QVERIFY( polygon.next() );
      const QgsGeometry area = geometryFromGpkgBlob( polygon.blob( 0 ) );
      const QgsPointXY inside = area.pointOnSurface().asPoint();
      SiteMapTool *tool = dock.startSiteDrawing( 1, SiteMapTool::Shape::Point, QStringLiteral( "Corner light" ), QStringLiteral( "lighting" ) );
      QVERIFY( tool && canvas.mapTool() == tool );
      tool->addVertex( inside );
      QCOMPARE( f.project->database().scalar( QStringLiteral( "SELECT COUNT(*) FROM grant_sites WHERE grant_id = 1" ) ).toInt(), 1 );
      QVERIFY( canvas.mapTool() != tool ); // the previous tool is back
      tool = dock.startSiteDrawing( 1, SiteMapTool::Shape::Area, QStringLiteral( "Cleaned lot" ), QStringLiteral( "lot clean-up" ) );
      QVERIFY( !tool->finish() ); // no corners yet
      tool->addVertex( inside );
      tool->addVertex( QgsPointXY( inside.x() + 30, inside.y() ) );
      QVERIFY( !tool->finish() ); // two corners are no area
      tool->addVertex( QgsPointXY( inside.x() + 30, inside.y() + 20 ) );
      QVERIFY( tool->finish() );
      SqliteStatement sites( f.project->database(), QStringLiteral( "SELECT label, kind, geom FROM grant_sites WHERE grant_id = 1 ORDER BY fid" ) );
      QVERIFY( sites.next() );
      QCOMPARE( sites.text( 0 ), QStringLiteral( "Corner light" ) );
      QVERIFY( area.contains( geometryFromGpkgBlob( sites.blob( 2 ) ) ) );
      QVERIFY( sites.next() );
      QCOMPARE( sites.text( 1 ), QStringLiteral( "lot clean-up" ) );
      QCOMPARE( geometryFromGpkgBlob( sites.blob( 2 ) ).area(), 300.0 ); // 30 m x 20 m / 2
      // The grant's records list both sites; the map gets the two site layers.
      QTableWidget *records = nullptr;
      for ( QTableWidget *t : dock.findChildren<QTableWidget *>() )
        if ( t->columnCount() == 4 && t->horizontalHeaderItem( 0 )->text() == QLatin1String( "Record" ) )
          records = t;
      QVERIFY( records );
      int siteRows = 0;
      for ( int r = 0; r < records->rowCount(); ++r )
        siteRows += records->item( r, 0 )->text() == QLatin1String( "Site" );
      QCOMPARE( siteRows, 2 );
      QgsProject map;
      QVERIFY2( ProjectLayers::buildDefault( f.project->path(), &map, &error ), qPrintable( error ) );
      QCOMPARE( ProjectLayers::ensureGrantSiteLayers( f.project->path(), &map ), 2 );
      QCOMPARE( ProjectLayers::ensureGrantSiteLayers( f.project->path(), &map ), 0 );
      int points = 0, areas = 0;
      for ( QgsMapLayer *l : map.mapLayers() )
      {
        auto *vl = qobject_cast<QgsVectorLayer *>( l );
        if ( vl && vl->customProperty( ProjectLayers::tableProperty() ).toString() == QLatin1String( "grant_sites" ) )
          ( vl->geometryType() == QgsWkbTypes::PolygonGeometry ? areas : points ) += static_cast<int>( vl->featureCount() );
      }
      QCOMPARE( points, 1 );
      QCOMPARE( areas, 1 );
      // Undo takes the area back.
      undo->click();
      QCOMPARE( f.project->database().scalar( QStringLiteral( "SELECT COUNT(*) FROM grant_sites WHERE grant_id = 1" ) ).toInt(), 1 );
    }
};

STATDESK_QGIS_TEST_MAIN( TestGrantsDock )
#include "test_grants_dock.moc"
