// The grants ledger: exact money, cap/budget/award enforcement at the cent, the status workflow,
// the audit chain (including edits made directly in SQLite), undo/redo, receipts, CSV import.
#include "GrantsFixture.h"
#include "TestSupport.h"

#include "grants/GrantLedger.h"
#include "grants/Money.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

using namespace statdesk;
using namespace statdesk::grants;

class TestGrantsLedger : public QObject
{
  Q_OBJECT

private:
  QTemporaryDir mDir;
  int mCounter = 0;
  std::unique_ptr<test::GrantsFixture> mWorkflowProject; //!< shared by the workflow rows; closed before mDir goes

  //! A fresh fixture project with a $20,000 cap / $260,000 program and one applied grant per N01..N04.
  std::unique_ptr<test::GrantsFixture> freshProject()
  {
    auto f = std::make_unique<test::GrantsFixture>();
    QString error;
    const QString path = mDir.filePath( QStringLiteral( "ledger%1.gpkg" ).arg( ++mCounter ) );
    if ( !test::buildGrantsFixture( path, f.get(), &error ) )
      qWarning() << error;
    return f;
  }
  qint64 setupProgram( GrantLedger &ledger, qint64 budgetCents = 26000000 )
  {
    ProgramInput p;
    p.name = QStringLiteral( "Neighborhood Pilot Grant" );
    p.capCents = 2000000;
    p.budgetCents = budgetCents;
    p.cycleStart = QDate( 2024, 1, 1 );
    p.cycleEnd = QDate( 2024, 12, 31 );
    return ledger.addProgram( p );
  }
  qint64 apply( GrantLedger &ledger, qint64 program, const QString &nbh )
  {
    GrantInput g;
    g.programId = program;
    g.nbhId = nbh;
    g.grantee = QStringLiteral( "%1 Neighborhood Association" ).arg( nbh );
    g.category = QStringLiteral( "lighting" );
    g.startDate = QDate( 2024, 1, 15 );
    g.endDate = QDate( 2024, 12, 31 );
    return ledger.addGrant( g );
  }
  qint64 auditCount( ProjectFile &p ) { return p.database().scalar( QStringLiteral( "SELECT COUNT(*) FROM audit_log" ) ).toLongLong(); }

private slots:
  void money_data()
  {
    QTest::addColumn<QString>( "text" );
    QTest::addColumn<bool>( "ok" );
    QTest::addColumn<qint64>( "cents" );
    QTest::newRow( "grouped" ) << "20,000.00" << true << qint64( 2000000 );
    QTest::newRow( "dollar" ) << "$20000" << true << qint64( 2000000 );
    QTest::newRow( "one decimal" ) << "20000.5" << true << qint64( 2000050 );
    QTest::newRow( "cent" ) << "$20,000.01" << true << qint64( 2000001 );
    QTest::newRow( "leading dot" ) << ".07" << true << qint64( 7 );
    QTest::newRow( "negative" ) << "-$1.50" << true << qint64( -150 );
    QTest::newRow( "large exact" ) << "90,071,992,547.41" << true << qint64( 9007199254741 );
    QTest::newRow( "three decimals" ) << "20000.555" << false << qint64( 0 );
    QTest::newRow( "bad grouping" ) << "20,00.00" << false << qint64( 0 );
    QTest::newRow( "letters" ) << "20k" << false << qint64( 0 );
    QTest::newRow( "empty" ) << "" << false << qint64( 0 );
    QTest::newRow( "two dots" ) << "1.2.3" << false << qint64( 0 );
  }
  void money()
  {
    QFETCH( QString, text );
    QFETCH( bool, ok );
    QFETCH( qint64, cents );
    qint64 v = -1;
    QString error;
    QCOMPARE( parseMoney( text, &v, &error ), ok );
    if ( ok )
      QCOMPARE( v, cents );
    else
      QVERIFY( !error.isEmpty() );
  }
  void formatting()
  {
    QCOMPARE( formatMoney( 2000001 ), QStringLiteral( "$20,000.01" ) );
    QCOMPARE( formatMoney( 1 ), QStringLiteral( "$0.01" ) );
    QCOMPARE( formatMoney( -150 ), QStringLiteral( "-$1.50" ) );
    QCOMPARE( formatMoney( 123456789 ), QStringLiteral( "$1,234,567.89" ) );
    QCOMPARE( formatMoneyPlain( 2000000 ), QStringLiteral( "20000.00" ) );
  }

  void capBoundary()
  {
    auto f = freshProject();
    QVERIFY( f->project );
    GrantLedger ledger( *f->project, QStringLiteral( "tester" ) );
    const qint64 program = setupProgram( ledger );
    QVERIFY2( program, qPrintable( ledger.errorString() ) );
    const qint64 a = apply( ledger, program, QStringLiteral( "N01" ) );
    const qint64 b = apply( ledger, program, QStringLiteral( "N02" ) );
    QVERIFY( a && b );
    QVERIFY2( ledger.award( a, 2000000 ), qPrintable( ledger.errorString() ) );
    QCOMPARE( ledger.row( tables::kGrants, a ).value( QStringLiteral( "status" ) ).toString(), QStringLiteral( "awarded" ) );
    const qint64 before = auditCount( *f->project );
    QVERIFY( !ledger.award( b, 2000001 ) );
    QVERIFY2( ledger.errorString().contains( QStringLiteral( "exceeds the $20,000.00 cap by $0.01" ) ), qPrintable( ledger.errorString() ) );
    QCOMPARE( auditCount( *f->project ), before ); // nothing written
    QCOMPARE( ledger.row( tables::kGrants, b ).value( QStringLiteral( "award_cents" ) ).toLongLong(), qint64( 0 ) );
    // A second grant in the same neighborhood shares its cap.
    const qint64 c = apply( ledger, program, QStringLiteral( "N01" ) );
    QVERIFY( !ledger.award( c, 1 ) );
    QVERIFY2( ledger.errorString().contains( QStringLiteral( "by $0.01" ) ), qPrintable( ledger.errorString() ) );
  }

  void programBudget()
  {
    auto f = freshProject();
    GrantLedger ledger( *f->project, QStringLiteral( "tester" ) );
    const qint64 program = setupProgram( ledger, 5000000 ); // $50,000
    const qint64 a = apply( ledger, program, QStringLiteral( "N01" ) );
    const qint64 b = apply( ledger, program, QStringLiteral( "N02" ) );
    const qint64 c = apply( ledger, program, QStringLiteral( "N03" ) );
    QVERIFY( ledger.award( a, 2000000 ) );
    QVERIFY( ledger.award( b, 2000000 ) );
    QVERIFY( !ledger.award( c, 1000001 ) );
    QVERIFY2( ledger.errorString().contains( QStringLiteral( "exceeding its $50,000.00 budget by $0.01" ) ), qPrintable( ledger.errorString() ) );
    QVERIFY2( ledger.award( c, 1000000 ), qPrintable( ledger.errorString() ) );
    // A declined grant's award no longer counts against the budget... but a declined grant cannot be awarded.
    QVERIFY( !ledger.setStatus( c, QStringLiteral( "declined" ) ) ); // awarded -> declined is not a transition
  }

  void disbursementsInCents()
  {
    auto f = freshProject();
    GrantLedger ledger( *f->project, QStringLiteral( "tester" ) );
    const qint64 program = setupProgram( ledger );
    const qint64 a = apply( ledger, program, QStringLiteral( "N01" ) );
    QVERIFY( ledger.award( a, 2000000 ) );
    QVERIFY( ledger.disburse( a, QDate( 2024, 2, 1 ), 666667, QStringLiteral( "advance" ) ) );
    QVERIFY( ledger.disburse( a, QDate( 2024, 3, 1 ), 666667, QStringLiteral( "reimbursement" ) ) );
    QVERIFY( !ledger.disburse( a, QDate( 2024, 4, 1 ), 666667, QStringLiteral( "reimbursement" ) ) ); // 3 x $6,666.67 = $20,000.01
    QVERIFY2( ledger.errorString().contains( QStringLiteral( "$20,000.01, exceeding its $20,000.00 award by $0.01" ) ), qPrintable( ledger.errorString() ) );
    QVERIFY( ledger.disburse( a, QDate( 2024, 4, 1 ), 666666, QStringLiteral( "reimbursement" ) ) ); // exactly $20,000.00
    QVERIFY( !ledger.disburse( a, QDate( 2024, 4, 2 ), 1, QStringLiteral( "reimbursement" ) ) );
    QVERIFY( ledger.errorString().contains( QStringLiteral( "by $0.01" ) ) );

    // Many small amounts add up exactly: 199 x $100.50 + $0.50 = $20,000.00.
    const qint64 b = apply( ledger, program, QStringLiteral( "N02" ) );
    QVERIFY( ledger.award( b, 2000000 ) );
    QVERIFY( ledger.setStatus( b, QStringLiteral( "active" ) ) );
    for ( int i = 0; i < 199; ++i )
      QVERIFY2( ledger.disburse( b, QDate( 2024, 2, 1 ).addDays( i ), 10050, QStringLiteral( "reimbursement" ) ), qPrintable( ledger.errorString() ) );
    QVERIFY( !ledger.disburse( b, QDate( 2024, 9, 1 ), 51, QStringLiteral( "reimbursement" ) ) );
    QVERIFY( ledger.errorString().contains( QStringLiteral( "by $0.01" ) ) );
    QVERIFY( ledger.disburse( b, QDate( 2024, 9, 1 ), 50, QStringLiteral( "reimbursement" ) ) );
    const Dashboard d = ledger.dashboard( QDate( 2024, 10, 1 ) );
    QCOMPARE( d.programs.size(), 1 );
    QCOMPARE( d.programs.first().awardedCents, qint64( 4000000 ) );
    QCOMPARE( d.programs.first().disbursedCents, qint64( 4000000 ) );
    QCOMPARE( d.programs.first().remainingCents, qint64( 0 ) );
    QCOMPARE( d.programs.first().unallocatedCents, qint64( 22000000 ) );
    // An award cannot drop below what was paid.
    QVERIFY( !ledger.award( b, 1999999 ) );
    QVERIFY( ledger.errorString().contains( QStringLiteral( "$0.01 less than the $20,000.00 already disbursed" ) ) );
  }

  void workflow_data()
  {
    QTest::addColumn<QStringList>( "path" );
    QTest::addColumn<QString>( "next" );
    QTest::addColumn<bool>( "allowed" );
    QTest::newRow( "applied->declined" ) << QStringList() << "declined" << true;
    QTest::newRow( "applied->withdrawn" ) << QStringList() << "withdrawn" << true;
    QTest::newRow( "applied->active" ) << QStringList() << "active" << false;
    QTest::newRow( "applied->closed" ) << QStringList() << "closed" << false;
    QTest::newRow( "awarded->active" ) << QStringList{ "award" } << "active" << true;
    QTest::newRow( "awarded->closed" ) << QStringList{ "award" } << "closed" << false;
    QTest::newRow( "awarded->declined" ) << QStringList{ "award" } << "declined" << false;
    QTest::newRow( "active->closed" ) << QStringList{ "award", "active" } << "closed" << true;
    QTest::newRow( "active->withdrawn" ) << QStringList{ "award", "active" } << "withdrawn" << true;
    QTest::newRow( "active->applied" ) << QStringList{ "award", "active" } << "applied" << false;
    QTest::newRow( "closed->active" ) << QStringList{ "award", "active", "closed" } << "active" << false;
    QTest::newRow( "declined->awarded" ) << QStringList{ "declined" } << "awarded" << false;
    QTest::newRow( "unknown status" ) << QStringList() << "finished" << false;
  }
  void workflow()
  {
    QFETCH( QStringList, path );
    QFETCH( QString, next );
    QFETCH( bool, allowed );
    if ( !mWorkflowProject )
      mWorkflowProject = freshProject();
    GrantLedger ledger( *mWorkflowProject->project, QStringLiteral( "tester" ) );
    qint64 program = ledger.programIdByName( QStringLiteral( "Neighborhood Pilot Grant" ) );
    if ( !program )
      program = setupProgram( ledger, 100000000 );
    const qint64 g = apply( ledger, program, QStringLiteral( "N%1" ).arg( 5 + QRandomGenerator::global()->bounded( 15 ), 2, 10, QLatin1Char( '0' ) ) );
    QVERIFY2( g, qPrintable( ledger.errorString() ) );
    for ( const QString &step : path )
      QVERIFY2( step == QLatin1String( "award" ) ? ledger.award( g, 100 ) : ledger.setStatus( g, step ), qPrintable( ledger.errorString() ) );
    const QString from = ledger.row( tables::kGrants, g ).value( QStringLiteral( "status" ) ).toString();
    QCOMPARE( ledger.setStatus( g, next ), allowed );
    QCOMPARE( ledger.row( tables::kGrants, g ).value( QStringLiteral( "status" ) ).toString(), allowed ? next : from );
    if ( !allowed )
      QVERIFY2( !ledger.errorString().isEmpty() && ledger.errorString().contains( from ), qPrintable( ledger.errorString() ) );
  }

  void auditChainDetectsTampering()
  {
    auto f = freshProject();
    const QString path = f->project->path();
    {
      GrantLedger ledger( *f->project, QStringLiteral( "coordinator" ) );
      const qint64 program = setupProgram( ledger );
      const qint64 a = apply( ledger, program, QStringLiteral( "N01" ) );
      QVERIFY( ledger.award( a, 1500000 ) );
      QVERIFY( ledger.disburse( a, QDate( 2024, 2, 1 ), 500000, QStringLiteral( "advance" ) ) );
      QVERIFY( ledger.disburse( a, QDate( 2024, 3, 1 ), 250000, QStringLiteral( "reimbursement" ) ) );
      const VerifyResult ok = ledger.verify();
      QVERIFY( ok.ok );
      QCOMPARE( ok.entries, qint64( 5 ) );
      // The log records who, when and before/after.
      SqliteStatement st( f->project->database(), QStringLiteral( "SELECT who, at, action, before_json, after_json FROM audit_log WHERE seq = 3" ) );
      QVERIFY( st.next() );
      QCOMPARE( st.text( 0 ), QStringLiteral( "coordinator" ) );
      QVERIFY( st.text( 1 ).endsWith( QLatin1Char( 'Z' ) ) );
      QCOMPARE( st.text( 2 ), QStringLiteral( "update" ) );
      QVERIFY( st.text( 3 ).contains( QStringLiteral( "\"award_cents\":0" ) ) );
      QVERIFY( st.text( 4 ).contains( QStringLiteral( "\"award_cents\":1500000" ) ) );
    }
    // Edit and delete rows directly in SQLite, behind the ledger's back.
    {
      SqliteDatabase raw;
      QVERIFY( raw.open( path, false ) );
      QVERIFY( raw.exec( QStringLiteral( "UPDATE grants SET award_cents = 2000000 WHERE fid = 1" ) ) );
      QVERIFY( raw.exec( QStringLiteral( "DELETE FROM disbursements WHERE fid = 2" ) ) );
    }
    {
      GrantLedger ledger( *f->project );
      const VerifyResult bad = ledger.verify();
      QVERIFY( !bad.ok );
      QStringList messages;
      for ( const AuditProblem &p : bad.problems )
        messages << p.message;
      QVERIFY2( messages.join( '\n' ).contains( QStringLiteral( "grants row 1 was edited outside the ledger (award_cents: 1500000 -> 2000000)" ) ),
                qPrintable( messages.join( '\n' ) ) );
      QVERIFY2( messages.join( '\n' ).contains( QStringLiteral( "disbursements row 2 was deleted outside the ledger" ) ), qPrintable( messages.join( '\n' ) ) );
      QCOMPARE( bad.problems.size(), 2 );
      // Undo refuses to work over a tampered row.
      QVERIFY( !ledger.undo() );
      QVERIFY( ledger.errorString().contains( QStringLiteral( "changed outside the ledger" ) ) );
    }
    // Rewriting history: the log is append-only (trigger) and an edited entry breaks its hash.
    {
      SqliteDatabase raw;
      QVERIFY( raw.open( path, false ) );
      QVERIFY( !raw.exec( QStringLiteral( "UPDATE audit_log SET after_json = replace(after_json, '1500000', '2000000') WHERE seq = 3" ) ) );
      QVERIFY( raw.exec( QStringLiteral( "DROP TRIGGER audit_log_no_update" ) ) );
      QVERIFY( raw.exec( QStringLiteral( "UPDATE audit_log SET after_json = replace(after_json, '1500000', '2000000') WHERE seq = 3" ) ) );
      QVERIFY( raw.exec( QStringLiteral( "DROP TRIGGER audit_log_no_delete" ) ) );
      QVERIFY( raw.exec( QStringLiteral( "DELETE FROM audit_log WHERE seq = 4" ) ) );
    }
    {
      GrantLedger ledger( *f->project );
      const VerifyResult bad = ledger.verify();
      QStringList messages;
      for ( const AuditProblem &p : bad.problems )
        messages << p.message;
      const QString all = messages.join( '\n' );
      QVERIFY2( all.contains( QStringLiteral( "audit entry 3 was altered" ) ), qPrintable( all ) );
      QVERIFY2( all.contains( QStringLiteral( "audit entries 4 to 4 are missing" ) ), qPrintable( all ) );
    }
    // The CLI says the same and exits non-zero.
    f->project.reset();
    const test::ProcessResult r = test::cli( { QStringLiteral( "grants" ), QStringLiteral( "verify" ), QStringLiteral( "--project" ), path } );
    QCOMPARE( r.exitCode, 1 );
    QVERIFY2( r.err.contains( "statdesk-cli grants:" ), r.err.constData() );
    QVERIFY( r.out.contains( "audit entry 3 was altered" ) );
  }

  void undoRedo()
  {
    auto f = freshProject();
    const QString path = f->project->path();
    qint64 a = 0;
    {
      GrantLedger ledger( *f->project );
      QVERIFY( !ledger.canUndo() );
      const qint64 program = setupProgram( ledger );
      a = apply( ledger, program, QStringLiteral( "N01" ) );
      QVERIFY( ledger.award( a, 1200000 ) );
      QVERIFY( ledger.disburse( a, QDate( 2024, 2, 1 ), 300000, QStringLiteral( "advance" ) ) );
      QVERIFY( ledger.undoText().startsWith( QStringLiteral( "Disburse $3,000.00" ) ) );
      QVERIFY( ledger.undo() ); // disbursement gone
      QCOMPARE( f->project->database().scalar( QStringLiteral( "SELECT COUNT(*) FROM disbursements" ) ).toLongLong(), qint64( 0 ) );
      QVERIFY( ledger.undo() ); // award gone
      QCOMPARE( ledger.row( tables::kGrants, a ).value( QStringLiteral( "award_cents" ) ).toLongLong(), qint64( 0 ) );
      QCOMPARE( ledger.row( tables::kGrants, a ).value( QStringLiteral( "status" ) ).toString(), QStringLiteral( "applied" ) );
      QVERIFY( ledger.canRedo() );
      QVERIFY( ledger.redo() ); // award back
      QCOMPARE( ledger.row( tables::kGrants, a ).value( QStringLiteral( "award_cents" ) ).toLongLong(), qint64( 1200000 ) );
      QVERIFY( ledger.verify().ok );
    }
    // The stacks survive closing the project.
    f->project.reset();
    QString error;
    auto reopened = ProjectFile::open( path, ProjectFile::Mode::ReadWrite, &error );
    QVERIFY2( reopened, qPrintable( error ) );
    GrantLedger ledger( *reopened );
    QVERIFY( ledger.canRedo() );
    QVERIFY( ledger.redo() ); // the disbursement, same row id
    QCOMPARE( ledger.row( tables::kDisbursements, 1 ).value( QStringLiteral( "amount_cents" ) ).toLongLong(), qint64( 300000 ) );
    QVERIFY( !ledger.canRedo() );
    QVERIFY( ledger.undo() );
    QVERIFY( ledger.canRedo() );
    // A new edit clears the redo stack.
    QVERIFY( ledger.addNote( a, QStringLiteral( "met the association" ) ) );
    QVERIFY( !ledger.canRedo() );
    QVERIFY( ledger.verify().ok );
    // Every undo/redo is itself in the log.
    QCOMPARE( reopened->database().scalar( QStringLiteral( "SELECT COUNT(DISTINCT op_id) FROM audit_log WHERE op_kind IN ('undo','redo')" ) ).toLongLong(), qint64( 5 ) );
  }

  void receiptsSurviveReopen()
  {
    auto f = freshProject();
    const QString path = f->project->path();
    QByteArray bytes( 70000, '\0' );
    for ( int i = 0; i < bytes.size(); ++i )
      bytes[i] = static_cast<char>( QRandomGenerator::global()->bounded( 256 ) );
    qint64 receipt = 0;
    {
      GrantLedger ledger( *f->project );
      const qint64 program = setupProgram( ledger );
      const qint64 a = apply( ledger, program, QStringLiteral( "N01" ) );
      QVERIFY( ledger.award( a, 2000000 ) );
      QVERIFY( ledger.disburse( a, QDate( 2024, 2, 1 ), 500000, QStringLiteral( "advance" ) ) );
      ExpenseInput e;
      e.grantId = a;
      e.spentOn = QDate( 2024, 2, 10 );
      e.amountCents = 320000;
      e.vendor = QStringLiteral( "Bright Lights LLC" );
      const qint64 expense = ledger.addExpense( e );
      QVERIFY( expense );
      // Flag: $5,000 disbursed, nothing receipted yet.
      bool flagged = false;
      for ( const LedgerFlag &fl : ledger.flags( QDate( 2024, 3, 1 ) ) )
        flagged |= fl.kind == QLatin1String( "unreceipted_disbursement" ) && fl.amountCents == 500000;
      QVERIFY( flagged );
      receipt = ledger.attachReceipt( expense, QStringLiteral( "invoice 17.pdf" ), QStringLiteral( "application/pdf" ), bytes );
      QVERIFY2( receipt, qPrintable( ledger.errorString() ) );
      for ( const LedgerFlag &fl : ledger.flags( QDate( 2024, 3, 1 ) ) )
        if ( fl.kind == QLatin1String( "unreceipted_disbursement" ) )
          QCOMPARE( fl.amountCents, qint64( 180000 ) );
      QVERIFY( ledger.addMilestone( a, QStringLiteral( "Lights installed" ), QDate( 2024, 2, 20 ) ) );
      bool overdue = false;
      for ( const LedgerFlag &fl : ledger.flags( QDate( 2024, 3, 1 ) ) )
        overdue |= fl.kind == QLatin1String( "overdue_milestone" ) && fl.message.contains( QStringLiteral( "10 days ago" ) );
      QVERIFY( overdue );
      QVERIFY( ledger.addSite( a, QgsGeometry::fromWkt( QStringLiteral( "Point (360500 4320500)" ) ), QStringLiteral( "lit corner" ) ) );
      QVERIFY( ledger.addSite( a, QgsGeometry::fromWkt( QStringLiteral( "Polygon ((360100 4320100, 360200 4320100, 360200 4320200, 360100 4320100))" ) ),
                               QStringLiteral( "cleaned lot" ) ) );
    }
    f->project.reset();
    QString error;
    auto reopened = ProjectFile::open( path, ProjectFile::Mode::ReadOnly, &error );
    QVERIFY2( reopened, qPrintable( error ) );
    GrantLedger ledger( *reopened );
    QByteArray back;
    QString name, mime;
    QVERIFY2( ledger.receiptContent( receipt, &back, &name, &mime ), qPrintable( ledger.errorString() ) );
    QCOMPARE( back, bytes );
    QCOMPARE( name, QStringLiteral( "invoice 17.pdf" ) );
    QCOMPARE( mime, QStringLiteral( "application/pdf" ) );
    QCOMPARE( ledger.row( tables::kReceipts, receipt ).value( QStringLiteral( "sha256" ) ).toString(),
              QString::fromLatin1( QCryptographicHash::hash( bytes, QCryptographicHash::Sha256 ).toHex() ) );
    QVERIFY( ledger.verify().ok );
    // grant_sites is a GeoPackage layer: R*Tree filled, file still valid.
    QCOMPARE( reopened->database().scalar( QStringLiteral( "SELECT COUNT(*) FROM rtree_grant_sites_geom" ) ).toLongLong(), qint64( 2 ) );
    reopened.reset();
    const QString script = test::validateGpkgScript();
    if ( script.isEmpty() )
      QSKIP( "validate_gpkg.py not installed" );
    const test::ProcessResult v = test::run( QStringLiteral( "/usr/bin/python3" ), { script, path } );
    QVERIFY2( v.exitCode == 0, ( v.out + v.err ).constData() );
  }

  void csvImportWithBadRows()
  {
    auto f = freshProject();
    GrantLedger ledger( *f->project );
    QVERIFY( setupProgram( ledger ) );
    const QByteArray csv =
        "program,nbh_id,grantee,contact,registration,category,award,status,start_date,end_date,disbursed\r\n"
        "Neighborhood Pilot Grant,N01,Oak Park NA,\"Smith, Ann\",registered,lighting,\"20,000.00\",active,2024-01-15,2024-12-31,\"$5,000\"\r\n"
        "Neighborhood Pilot Grant,N02,Elm NA,,registered,greening,20000.01,awarded,2024-01-15,,\r\n"
        "No Such Program,N03,Pine NA,,registered,greening,100,awarded,2024-01-15,,\r\n"
        "Neighborhood Pilot Grant,N04,Birch NA,,registered,safety,150.555,awarded,2024-01-15,,\r\n"
        "Neighborhood Pilot Grant,N99,Cedar NA,,pending,safety,100,awarded,2024-01-15,,\r\n"
        "Neighborhood Pilot Grant,N05,Maple NA,,registered,lighting,1000,awarded,2024-01-15,,2000\r\n"
        "Neighborhood Pilot Grant,N06,Walnut NA,,registered,lot clean-up,\"15,000\",closed,1/15/2024,,\r\n"
        "Neighborhood Pilot Grant,N07,Ash NA,,registered,graffiti art,100,awarded,2024-01-15,,\r\n";
    const qint64 auditBefore = auditCount( *f->project );
    const ImportResult r = ledger.importCsvData( csv );
    QVERIFY2( r.ok, qPrintable( r.error ) );
    QCOMPARE( r.rowsRead, 8 );
    QCOMPARE( r.imported, 2 );
    QCOMPARE( r.errors.size(), 6 );
    QCOMPARE( r.errors.at( 0 ).line, qint64( 3 ) );
    QVERIFY2( r.errors.at( 0 ).message.contains( QStringLiteral( "exceeds the $20,000.00 cap by $0.01" ) ), qPrintable( r.errors.at( 0 ).message ) );
    QCOMPARE( r.errors.at( 1 ).line, qint64( 4 ) );
    QVERIFY( r.errors.at( 1 ).message.contains( QStringLiteral( "No Such Program" ) ) );
    QCOMPARE( r.errors.at( 2 ).line, qint64( 5 ) );
    QVERIFY( r.errors.at( 2 ).message.contains( QStringLiteral( "more than two decimals" ) ) );
    QCOMPARE( r.errors.at( 3 ).line, qint64( 6 ) );
    QVERIFY( r.errors.at( 3 ).message.contains( QStringLiteral( "N99" ) ) );
    QCOMPARE( r.errors.at( 4 ).line, qint64( 7 ) );
    QVERIFY2( r.errors.at( 4 ).message.contains( QStringLiteral( "exceeding its $1,000.00 award by $1,000.00" ) ), qPrintable( r.errors.at( 4 ).message ) );
    QCOMPARE( r.errors.at( 5 ).line, qint64( 9 ) );
    // Only the two good rows are in the ledger, and they are one undoable operation.
    QCOMPARE( f->project->database().scalar( QStringLiteral( "SELECT COUNT(*) FROM grants" ) ).toLongLong(), qint64( 2 ) );
    QCOMPARE( f->project->database().scalar( QStringLiteral( "SELECT GROUP_CONCAT(nbh_id || ':' || status, ' ') FROM grants" ) ).toString(),
              QStringLiteral( "N01:active N06:closed" ) );
    QCOMPARE( f->project->database().scalar( QStringLiteral( "SELECT SUM(amount_cents) FROM disbursements" ) ).toLongLong(), qint64( 500000 ) );
    QCOMPARE( f->project->database().scalar( QStringLiteral( "SELECT contact FROM grants WHERE nbh_id = 'N01'" ) ).toString(), QStringLiteral( "Smith, Ann" ) );
    QCOMPARE( f->project->database().scalar( QStringLiteral( "SELECT COUNT(DISTINCT op_id) FROM audit_log WHERE seq > %1" ).arg( auditBefore ) ).toLongLong(), qint64( 1 ) );
    QVERIFY( ledger.verify().ok );
    // Export, and the export imports into another project unchanged.
    const QString out = mDir.filePath( QStringLiteral( "export.csv" ) );
    QVERIFY( ledger.exportCsv( out ) );
    QFile exported( out );
    QVERIFY( exported.open( QIODevice::ReadOnly ) );
    const QByteArray text = exported.readAll();
    QVERIFY2( text.contains( "N01,Neighborhood 1,Oak Park NA,\"Smith, Ann\",registered,lighting,active,2024-01-15,2024-12-31,20000.00,5000.00,15000.00" ), text.constData() );
    auto other = freshProject();
    GrantLedger second( *other->project );
    QVERIFY( setupProgram( second ) );
    const ImportResult again = second.importCsvData( text );
    QCOMPARE( again.imported, 2 );
    QVERIFY( again.errors.isEmpty() );
    QVERIFY( ledger.undo() );
    QCOMPARE( f->project->database().scalar( QStringLiteral( "SELECT COUNT(*) FROM grants" ) ).toLongLong(), qint64( 0 ) );
    // A file that is not a grants spreadsheet is refused as a whole.
    const ImportResult wrong = ledger.importCsvData( "a,b\n1,2\n" );
    QVERIFY( !wrong.ok );
    QVERIFY( wrong.error.contains( QStringLiteral( "program" ) ) );
  }
};

STATDESK_QGIS_TEST_MAIN( TestGrantsLedger )
#include "test_grants_ledger.moc"
