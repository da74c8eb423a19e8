// The grants panel drives the core ledger: tables fill from the project, undo/redo buttons follow
// the ledger's stacks, the outcomes tab shows the planted effect, the needs tab counts N01.
#include "../core/GrantsFixture.h"
#include "../core/TestSupport.h"

#include "grants/GrantLedger.h"
#include "grants/GrantsDock.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>

#include <qgsmapcanvas.h>

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
  }
};

STATDESK_QGIS_TEST_MAIN( TestGrantsDock )
#include "test_grants_dock.moc"
