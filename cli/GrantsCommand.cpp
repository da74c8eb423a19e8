// statdesk-cli grants: the grants ledger for scripted monthly reports (same core as the app's panel).
#include "Command.h"
#include "grants/GrantAnalysis.h"
#include "grants/GrantLedger.h"
#include "grants/Money.h"
#include "project/ProjectFile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QMimeDatabase>

namespace statdesk::cli
{

class GrantsCommand : public Command
{
public:
  QString name() const override { return QStringLiteral( "grants" ); }
  QString summary() const override { return QStringLiteral( "Neighborhood grants ledger: program, apply, award, disburse, expense, milestone, status, report, verify ..." ); }

  void configure( QCommandLineParser &parser ) const override
  {
    parser.addPositionalArgument( QStringLiteral( "action" ),
                                  QStringLiteral( "program | apply | award | disburse | expense | milestone | status | note | report | verify | "
                                                  "import | export | needs | outcomes | undo | redo" ) );
    const QList<QCommandLineOption> options{
        { QStringLiteral( "project" ), QStringLiteral( "Project file (.gpkg)." ), QStringLiteral( "P.gpkg" ) },
        { QStringLiteral( "json" ), QStringLiteral( "Print JSON on stdout." ) },
        { QStringLiteral( "user" ), QStringLiteral( "Name recorded in the audit log (default: the OS user)." ), QStringLiteral( "NAME" ) },
        { QStringLiteral( "name" ), QStringLiteral( "program: program name." ), QStringLiteral( "NAME" ) },
        { QStringLiteral( "cap" ), QStringLiteral( "program: per-neighborhood cap, e.g. 20,000.00." ), QStringLiteral( "AMOUNT" ) },
        { QStringLiteral( "budget" ), QStringLiteral( "program: total budget." ), QStringLiteral( "AMOUNT" ) },
        { QStringLiteral( "start" ), QStringLiteral( "program: cycle start; apply/award: grant start (YYYY-MM-DD)." ), QStringLiteral( "DATE" ) },
        { QStringLiteral( "end" ), QStringLiteral( "program: cycle end; apply/award: completion deadline." ), QStringLiteral( "DATE" ) },
        { QStringLiteral( "match" ), QStringLiteral( "program: a match is required." ) },
        { QStringLiteral( "program" ), QStringLiteral( "apply/award: program name." ), QStringLiteral( "NAME" ) },
        { QStringLiteral( "nbh" ), QStringLiteral( "apply/award/needs: neighborhood nbh_id." ), QStringLiteral( "ID" ) },
        { QStringLiteral( "grantee" ), QStringLiteral( "apply/award: grantee organisation." ), QStringLiteral( "ORG" ) },
        { QStringLiteral( "contact" ), QStringLiteral( "apply/award: contact." ), QStringLiteral( "TEXT" ) },
        { QStringLiteral( "registration" ), QStringLiteral( "apply/award: registration status." ), QStringLiteral( "TEXT" ) },
        { QStringLiteral( "category" ), QStringLiteral( "apply/award: priority category." ), QStringLiteral( "CATEGORY" ) },
        { QStringLiteral( "grant" ), QStringLiteral( "Grant id." ), QStringLiteral( "ID" ) },
        { QStringLiteral( "amount" ), QStringLiteral( "award/disburse/expense: amount, e.g. $6,666.67." ), QStringLiteral( "AMOUNT" ) },
        { QStringLiteral( "date" ), QStringLiteral( "disburse/expense/milestone --complete: date (default today)." ), QStringLiteral( "DATE" ) },
        { QStringLiteral( "kind" ), QStringLiteral( "disburse: advance or reimbursement." ), QStringLiteral( "KIND" ) },
        { QStringLiteral( "reference" ), QStringLiteral( "disburse: payment reference." ), QStringLiteral( "TEXT" ) },
        { QStringLiteral( "vendor" ), QStringLiteral( "expense: vendor." ), QStringLiteral( "TEXT" ) },
        { QStringLiteral( "description" ), QStringLiteral( "expense: description." ), QStringLiteral( "TEXT" ) },
        { QStringLiteral( "receipt" ), QStringLiteral( "expense: receipt file stored in the project." ), QStringLiteral( "FILE" ) },
        { QStringLiteral( "title" ), QStringLiteral( "milestone: title." ), QStringLiteral( "TEXT" ) },
        { QStringLiteral( "due" ), QStringLiteral( "milestone: due date." ), QStringLiteral( "DATE" ) },
        { QStringLiteral( "complete" ), QStringLiteral( "milestone: id of the milestone to mark completed." ), QStringLiteral( "ID" ) },
        { QStringLiteral( "to" ), QStringLiteral( "status: new status." ), QStringLiteral( "STATUS" ) },
        { QStringLiteral( "reason" ), QStringLiteral( "status: reason (kept as a note)." ), QStringLiteral( "TEXT" ) },
        { QStringLiteral( "text" ), QStringLiteral( "note: text." ), QStringLiteral( "TEXT" ) },
        { QStringLiteral( "as-of" ), QStringLiteral( "report/needs: reference date (default today)." ), QStringLiteral( "DATE" ) },
        { QStringLiteral( "input" ), QStringLiteral( "import: grants spreadsheet (CSV)." ), QStringLiteral( "FILE" ) },
        { QStringLiteral( "out" ), QStringLiteral( "export: CSV file to write." ), QStringLiteral( "FILE" ) },
        { QStringLiteral( "measure" ), QStringLiteral( "outcomes: violent (default) or blight." ), QStringLiteral( "MEASURE" ) },
        { QStringLiteral( "months-before" ), QStringLiteral( "outcomes: months before the start (default 12)." ), QStringLiteral( "N" ) },
        { QStringLiteral( "months-after" ), QStringLiteral( "outcomes: months from the start on (default 12)." ), QStringLiteral( "N" ) },
        { QStringLiteral( "comparisons" ), QStringLiteral( "outcomes: comparison neighborhoods per grant neighborhood (default 5)." ), QStringLiteral( "K" ) },
        { QStringLiteral( "default-start" ), QStringLiteral( "outcomes: start for is_grant neighborhoods without a dated grant." ), QStringLiteral( "DATE" ) },
    };
    for ( const QCommandLineOption &o : options )
      parser.addOption( o );
  }

  int run( const QCommandLineParser &parser ) override
  {
    mParser = &parser;
    const QStringList positional = parser.positionalArguments();
    if ( positional.size() != 1 )
      return fail( QStringLiteral( "give exactly one action (program, apply, award, disburse, expense, milestone, status, note, report, verify, import, export, needs, outcomes, undo, redo)" ) );
    const QString action = positional.first();
    static const QStringList readOnlyActions{ QStringLiteral( "report" ), QStringLiteral( "verify" ), QStringLiteral( "export" ),
                                              QStringLiteral( "needs" ), QStringLiteral( "outcomes" ) };
    static const QStringList writeActions{ QStringLiteral( "program" ), QStringLiteral( "apply" ), QStringLiteral( "award" ), QStringLiteral( "disburse" ),
                                           QStringLiteral( "expense" ), QStringLiteral( "milestone" ), QStringLiteral( "status" ), QStringLiteral( "note" ),
                                           QStringLiteral( "import" ), QStringLiteral( "undo" ), QStringLiteral( "redo" ) };
    if ( !readOnlyActions.contains( action ) && !writeActions.contains( action ) )
      return fail( QStringLiteral( "unknown action '%1'" ).arg( action ) );
    const QString path = parser.value( QStringLiteral( "project" ) );
    if ( path.isEmpty() )
      return fail( QStringLiteral( "--project is required" ) );
    QString error;
    mProject = ProjectFile::open( path, readOnlyActions.contains( action ) ? ProjectFile::Mode::ReadOnly : ProjectFile::Mode::ReadWrite, &error );
    if ( !mProject )
      return fail( QStringLiteral( "%1: %2" ).arg( path, error ) );
    mLedger = std::make_unique<grants::GrantLedger>( *mProject, parser.value( QStringLiteral( "user" ) ) );

    if ( action == QLatin1String( "program" ) )
      return program();
    if ( action == QLatin1String( "apply" ) || action == QLatin1String( "award" ) )
      return applyOrAward( action == QLatin1String( "award" ) );
    if ( action == QLatin1String( "disburse" ) )
      return disburse();
    if ( action == QLatin1String( "expense" ) )
      return expense();
    if ( action == QLatin1String( "milestone" ) )
      return milestone();
    if ( action == QLatin1String( "status" ) )
      return status();
    if ( action == QLatin1String( "note" ) )
      return note();
    if ( action == QLatin1String( "report" ) )
      return report();
    if ( action == QLatin1String( "verify" ) )
      return verify();
    if ( action == QLatin1String( "import" ) )
      return importCsv();
    if ( action == QLatin1String( "export" ) )
      return exportCsv();
    if ( action == QLatin1String( "needs" ) )
      return needs();
    if ( action == QLatin1String( "outcomes" ) )
      return outcomes();
    return undoRedo( action == QLatin1String( "undo" ) );
  }

private:
  QString value( const char *name ) const { return mParser->value( QString::fromLatin1( name ) ); }
  bool isSet( const char *name ) const { return mParser->isSet( QString::fromLatin1( name ) ); }

  //! Parses a required/optional option; returns false after printing the reason.
  bool money( const char *option, qint64 *cents, bool required = true )
  {
    const QString text = value( option );
    if ( text.isEmpty() )
    {
      if ( required )
        mExit = fail( QStringLiteral( "--%1 is required" ).arg( QLatin1String( option ) ) );
      return !required;
    }
    QString error;
    if ( !grants::parseMoney( text, cents, &error ) )
    {
      mExit = fail( QStringLiteral( "--%1: %2" ).arg( QLatin1String( option ), error ) );
      return false;
    }
    return true;
  }
  bool date( const char *option, QDate *d, bool required, const QDate &fallback = QDate() )
  {
    const QString text = value( option );
    if ( text.isEmpty() )
    {
      *d = fallback;
      if ( required && !fallback.isValid() )
      {
        mExit = fail( QStringLiteral( "--%1 is required" ).arg( QLatin1String( option ) ) );
        return false;
      }
      return true;
    }
    *d = QDate::fromString( text, Qt::ISODate );
    if ( !d->isValid() )
    {
      mExit = fail( QStringLiteral( "--%1: \"%2\" is not a date (YYYY-MM-DD)" ).arg( QLatin1String( option ), text ) );
      return false;
    }
    return true;
  }
  bool id( const char *option, qint64 *v )
  {
    bool ok = false;
    *v = value( option ).toLongLong( &ok );
    if ( !ok || *v <= 0 )
    {
      mExit = fail( value( option ).isEmpty() ? QStringLiteral( "--%1 is required" ).arg( QLatin1String( option ) )
                                              : QStringLiteral( "--%1: \"%2\" is not an id" ).arg( QLatin1String( option ), value( option ) ) );
      return false;
    }
    return true;
  }
  int refused() const { return fail( mLedger->errorString(), Failed ); }
  int done( const QJsonObject &json, const QString &line )
  {
    if ( isSet( "json" ) )
      printJson( json );
    else
      print( line );
    return Ok;
  }

  int program()
  {
    grants::ProgramInput in;
    in.name = value( "name" );
    if ( in.name.isEmpty() )
      return fail( QStringLiteral( "--name is required" ) );
    if ( !money( "cap", &in.capCents ) || !money( "budget", &in.budgetCents ) || !date( "start", &in.cycleStart, false ) || !date( "end", &in.cycleEnd, false ) )
      return mExit;
    in.matchRequired = isSet( "match" );
    const qint64 id = mLedger->addProgram( in );
    if ( !id )
      return refused();
    return done( { { QStringLiteral( "program" ), id } }, QStringLiteral( "program %1 \"%2\": cap %3 per neighborhood, budget %4" )
                                                              .arg( id )
                                                              .arg( in.name, grants::formatMoney( in.capCents ), grants::formatMoney( in.budgetCents ) ) );
  }

  int applyOrAward( bool award )
  {
    qint64 grantId = 0;
    if ( isSet( "grant" ) )
    {
      if ( !id( "grant", &grantId ) )
        return mExit;
    }
    qint64 cents = 0;
    if ( award && !money( "amount", &cents ) )
      return mExit;
    if ( !grantId )
    {
      grants::GrantInput in;
      in.programId = mLedger->programIdByName( value( "program" ) );
      if ( value( "program" ).isEmpty() )
        return fail( QStringLiteral( "--program (or --grant) is required" ) );
      if ( !in.programId )
        return fail( QStringLiteral( "program \"%1\" does not exist" ).arg( value( "program" ) ) );
      in.nbhId = value( "nbh" );
      in.grantee = value( "grantee" );
      in.contact = value( "contact" );
      in.registrationStatus = value( "registration" );
      in.category = value( "category" );
      if ( !date( "start", &in.startDate, false ) || !date( "end", &in.endDate, false ) )
        return mExit;
      if ( award && !mLedger->ensureTables() )
        return refused();
      grantId = mLedger->addGrant( in );
      if ( !grantId )
        return refused();
      if ( award && !mLedger->award( grantId, cents ) )
      {
        const QString why = mLedger->errorString();
        mLedger->undo(); // the application alone is not what was asked for
        return fail( why, Failed );
      }
    }
    else if ( award && !mLedger->award( grantId, cents ) )
      return refused();
    const QVariantMap g = mLedger->row( grants::tables::kGrants, grantId );
    return done( { { QStringLiteral( "grant" ), grantId }, { QStringLiteral( "status" ), g.value( QStringLiteral( "status" ) ).toString() }, { QStringLiteral( "award" ), grants::formatMoneyPlain( g.value( QStringLiteral( "award_cents" ) ).toLongLong() ) } },
                 QStringLiteral( "grant %1 (%2): %3, award %4" )
                     .arg( grantId )
                     .arg( g.value( QStringLiteral( "nbh_id" ) ).toString(), g.value( QStringLiteral( "status" ) ).toString(),
                           grants::formatMoney( g.value( QStringLiteral( "award_cents" ) ).toLongLong() ) ) );
  }

  int disburse()
  {
    qint64 grantId = 0, cents = 0;
    QDate d;
    if ( !id( "grant", &grantId ) || !money( "amount", &cents ) || !date( "date", &d, false, QDate::currentDate() ) )
      return mExit;
    const QString kind = value( "kind" ).isEmpty() ? QStringLiteral( "reimbursement" ) : value( "kind" );
    const qint64 rowId = mLedger->disburse( grantId, d, cents, kind, value( "reference" ) );
    if ( !rowId )
      return refused();
    return done( { { QStringLiteral( "disbursement" ), rowId } }, QStringLiteral( "disbursement %1: %2 to grant %3" ).arg( rowId ).arg( grants::formatMoney( cents ) ).arg( grantId ) );
  }

  int expense()
  {
    grants::ExpenseInput in;
    if ( !id( "grant", &in.grantId ) || !money( "amount", &in.amountCents ) || !date( "date", &in.spentOn, false, QDate::currentDate() ) )
      return mExit;
    in.vendor = value( "vendor" );
    in.description = value( "description" );
    QByteArray content;
    const QString receipt = value( "receipt" );
    if ( !receipt.isEmpty() )
    {
      QFile f( receipt );
      if ( !f.open( QIODevice::ReadOnly ) )
        return fail( QStringLiteral( "--receipt: cannot read %1: %2" ).arg( receipt, f.errorString() ) );
      content = f.readAll();
      if ( content.isEmpty() )
        return fail( QStringLiteral( "--receipt: %1 is empty" ).arg( receipt ) );
    }
    const qint64 expenseId = mLedger->addExpense( in );
    if ( !expenseId )
      return refused();
    qint64 receiptId = 0;
    if ( !receipt.isEmpty() )
    {
      receiptId = mLedger->attachReceipt( expenseId, QFileInfo( receipt ).fileName(), QMimeDatabase().mimeTypeForFile( receipt ).name(), content );
      if ( !receiptId )
        return fail( QStringLiteral( "expense %1 recorded, but the receipt was not: %2" ).arg( expenseId ).arg( mLedger->errorString() ), Failed );
    }
    return done( { { QStringLiteral( "expense" ), expenseId }, { QStringLiteral( "receipt" ), receiptId } },
                 QStringLiteral( "expense %1: %2 for grant %3%4" )
                     .arg( expenseId )
                     .arg( grants::formatMoney( in.amountCents ) )
                     .arg( in.grantId )
                     .arg( receiptId ? QStringLiteral( ", receipt %1 stored" ).arg( receiptId ) : QString() ) );
  }

  int milestone()
  {
    if ( isSet( "complete" ) )
    {
      qint64 milestoneId = 0;
      QDate d;
      if ( !id( "complete", &milestoneId ) || !date( "date", &d, false, QDate::currentDate() ) )
        return mExit;
      if ( !mLedger->completeMilestone( milestoneId, d ) )
        return refused();
      return done( { { QStringLiteral( "milestone" ), milestoneId } }, QStringLiteral( "milestone %1 completed on %2" ).arg( milestoneId ).arg( d.toString( Qt::ISODate ) ) );
    }
    qint64 grantId = 0;
    QDate due;
    if ( !id( "grant", &grantId ) || !date( "due", &due, true ) )
      return mExit;
    const qint64 m = mLedger->addMilestone( grantId, value( "title" ), due );
    if ( !m )
      return refused();
    return done( { { QStringLiteral( "milestone" ), m } }, QStringLiteral( "milestone %1 due %2" ).arg( m ).arg( due.toString( Qt::ISODate ) ) );
  }

  int status()
  {
    qint64 grantId = 0;
    if ( !id( "grant", &grantId ) )
      return mExit;
    if ( value( "to" ).isEmpty() )
      return fail( QStringLiteral( "--to is required" ) );
    if ( !mLedger->setStatus( grantId, value( "to" ).toLower(), value( "reason" ) ) )
      return refused();
    return done( { { QStringLiteral( "grant" ), grantId }, { QStringLiteral( "status" ), value( "to" ).toLower() } },
                 QStringLiteral( "grant %1 is now %2" ).arg( grantId ).arg( value( "to" ).toLower() ) );
  }

  int note()
  {
    qint64 grantId = 0;
    if ( !id( "grant", &grantId ) )
      return mExit;
    const qint64 n = mLedger->addNote( grantId, value( "text" ) );
    if ( !n )
      return refused();
    return done( { { QStringLiteral( "note" ), n } }, QStringLiteral( "note %1 added" ).arg( n ) );
  }

  int report()
  {
    QDate asOf;
    if ( !date( "as-of", &asOf, false, QDate::currentDate() ) )
      return mExit;
    const grants::Dashboard d = mLedger->dashboard( asOf );
    if ( isSet( "json" ) )
    {
      QJsonObject json = d.toJson();
      json.insert( QStringLiteral( "as_of" ), asOf.toString( Qt::ISODate ) );
      printJson( json );
      return Ok;
    }
    for ( const grants::ProgramFigures &p : d.programs )
      print( QStringLiteral( "%1: budget %2, awarded %3, unallocated %4, disbursed %5, remaining %6 (%7 grants)" )
                 .arg( p.name, grants::formatMoney( p.budgetCents ), grants::formatMoney( p.awardedCents ), grants::formatMoney( p.unallocatedCents ),
                       grants::formatMoney( p.disbursedCents ), grants::formatMoney( p.remainingCents ) )
                 .arg( p.grants ) );
    for ( const grants::GrantFigures &g : d.grants )
      print( QStringLiteral( "  grant %1 %2 (%3) %4: award %5, disbursed %6, remaining %7" )
                 .arg( g.grantId )
                 .arg( g.nbhId, g.grantee, g.status, grants::formatMoney( g.awardCents ), grants::formatMoney( g.disbursedCents ),
                       grants::formatMoney( g.remainingCents ) ) );
    for ( const grants::LedgerFlag &f : d.flags )
      print( QStringLiteral( "FLAG %1" ).arg( f.message ) );
    return Ok;
  }

  int verify()
  {
    const grants::VerifyResult v = mLedger->verify();
    if ( isSet( "json" ) )
    {
      QJsonArray problems;
      for ( const grants::AuditProblem &p : v.problems )
        problems.append( QJsonObject{ { QStringLiteral( "table" ), p.table }, { QStringLiteral( "row" ), p.row }, { QStringLiteral( "seq" ), p.seq }, { QStringLiteral( "message" ), p.message } } );
      printJson( { { QStringLiteral( "ok" ), v.ok }, { QStringLiteral( "entries" ), v.entries }, { QStringLiteral( "head_hash" ), v.headHash }, { QStringLiteral( "problems" ), problems } } );
    }
    else
    {
      for ( const grants::AuditProblem &p : v.problems )
        print( QStringLiteral( "PROBLEM %1" ).arg( p.message ) );
      print( v.ok ? QStringLiteral( "audit log OK: %1 entries, head %2" ).arg( v.entries ).arg( v.headHash )
                  : QStringLiteral( "audit log FAILED: %1 problem(s) in %2 entries" ).arg( v.problems.size() ).arg( v.entries ) );
    }
    if ( !v.ok )
      return fail( QStringLiteral( "%1 (%2 problem(s))" ).arg( v.problems.first().message ).arg( v.problems.size() ), Failed );
    return Ok;
  }

  int importCsv()
  {
    if ( value( "input" ).isEmpty() )
      return fail( QStringLiteral( "--input is required" ) );
    const grants::ImportResult r = mLedger->importCsv( value( "input" ) );
    if ( !r.error.isEmpty() )
      return fail( r.error, Failed );
    if ( isSet( "json" ) )
    {
      QJsonArray errors;
      for ( const grants::ImportRowError &e : r.errors )
        errors.append( QJsonObject{ { QStringLiteral( "line" ), e.line }, { QStringLiteral( "message" ), e.message } } );
      printJson( { { QStringLiteral( "rows_read" ), r.rowsRead }, { QStringLiteral( "imported" ), r.imported }, { QStringLiteral( "errors" ), errors } } );
    }
    else
    {
      for ( const grants::ImportRowError &e : r.errors )
        print( QStringLiteral( "line %1: %2" ).arg( e.line ).arg( e.message ) );
      print( QStringLiteral( "%1 rows read, %2 imported, %3 refused" ).arg( r.rowsRead ).arg( r.imported ).arg( r.errors.size() ) );
    }
    if ( !r.errors.isEmpty() )
      return fail( QStringLiteral( "%1 row(s) refused, first at line %2: %3" ).arg( r.errors.size() ).arg( r.errors.first().line ).arg( r.errors.first().message ), Failed );
    return Ok;
  }

  int exportCsv()
  {
    if ( value( "out" ).isEmpty() )
      return fail( QStringLiteral( "--out is required" ) );
    if ( !mLedger->exportCsv( value( "out" ) ) )
      return refused();
    return done( { { QStringLiteral( "out" ), value( "out" ) } }, QStringLiteral( "wrote %1" ).arg( value( "out" ) ) );
  }

  int needs()
  {
    QDate asOf;
    if ( value( "nbh" ).isEmpty() )
      return fail( QStringLiteral( "--nbh is required" ) );
    if ( !date( "as-of", &asOf, false, QDate::currentDate() ) )
      return mExit;
    grants::NeighborhoodNeeds n;
    QString error;
    if ( !grants::neighborhoodNeeds( *mProject, value( "nbh" ), asOf, &n, &error ) )
      return fail( error, Failed );
    if ( isSet( "json" ) )
    {
      printJson( n.toJson() );
      return Ok;
    }
    print( QStringLiteral( "%1 %2 as of %3: %4 open blight requests, %5 in the last %6 days; %7 vacant parcels; %8 dangerous buildings; "
                           "violent offenses last 12 months %9 (previous 12: %10)" )
               .arg( n.nbhId, n.name, asOf.toString( Qt::ISODate ) )
               .arg( n.blightOpen )
               .arg( n.blightRecent )
               .arg( n.recentDays )
               .arg( n.vacantParcels )
               .arg( n.dangerousBuildings )
               .arg( n.violentLast12 )
               .arg( n.violentPrevious12 ) );
    for ( const grants::BlightClassCount &c : n.blight )
      print( QStringLiteral( "  %1: %2 open, %3 recent" ).arg( c.blightClass ).arg( c.open ).arg( c.recent ) );
    return Ok;
  }

  int outcomes()
  {
    grants::OutcomeOptions o;
    const QString measure = value( "measure" ).toLower();
    if ( measure == QLatin1String( "blight" ) )
      o.measure = grants::OutcomeOptions::Measure::Blight311;
    else if ( !measure.isEmpty() && measure != QLatin1String( "violent" ) )
      return fail( QStringLiteral( "--measure is violent or blight, not \"%1\"" ).arg( measure ) );
    bool ok = true;
    if ( isSet( "months-before" ) && ( o.monthsBefore = value( "months-before" ).toInt( &ok ), !ok || o.monthsBefore < 1 ) )
      return fail( QStringLiteral( "--months-before must be a positive number" ) );
    if ( isSet( "months-after" ) && ( o.monthsAfter = value( "months-after" ).toInt( &ok ), !ok || o.monthsAfter < 1 ) )
      return fail( QStringLiteral( "--months-after must be a positive number" ) );
    if ( isSet( "comparisons" ) && ( o.comparisons = value( "comparisons" ).toInt( &ok ), !ok || o.comparisons < 1 ) )
      return fail( QStringLiteral( "--comparisons must be a positive number" ) );
    if ( !date( "default-start", &o.defaultStart, false ) )
      return mExit;
    grants::OutcomeResult r;
    QString error;
    if ( !grants::estimateOutcomes( *mProject, o, &r, &error ) )
      return fail( error, Failed );
    if ( isSet( "json" ) )
    {
      printJson( r.toJson() );
      return Ok;
    }
    for ( const grants::OutcomeRow &row : r.rows )
      print( QStringLiteral( "%1 %2 (start %3): before %4, after %5; comparisons %6 -> %7; rate ratio %8 [%9, %10]; WDD %11 (SE %12). %13" )
                 .arg( row.nbhId, row.name, row.start.toString( Qt::ISODate ) )
                 .arg( row.estimate.treatedBefore )
                 .arg( row.estimate.treatedAfter )
                 .arg( row.estimate.comparisonBefore )
                 .arg( row.estimate.comparisonAfter )
                 .arg( row.estimate.rateRatio, 0, 'f', 2 )
                 .arg( row.estimate.ciLow, 0, 'f', 2 )
                 .arg( row.estimate.ciHigh, 0, 'f', 2 )
                 .arg( row.estimate.wdd, 0, 'f', 1 )
                 .arg( row.estimate.wddSe, 0, 'f', 1 )
                 .arg( row.verdict ) );
    print( QStringLiteral( "All grant neighborhoods: %1" ).arg( r.pooledVerdict ) );
    return Ok;
  }

  int undoRedo( bool undo )
  {
    const QString label = undo ? mLedger->undoText() : mLedger->redoText();
    if ( !( undo ? mLedger->undo() : mLedger->redo() ) )
      return refused();
    return done( { { undo ? QStringLiteral( "undone" ) : QStringLiteral( "redone" ), label } },
                 QStringLiteral( "%1: %2" ).arg( undo ? QStringLiteral( "undone" ) : QStringLiteral( "redone" ), label ) );
  }

  const QCommandLineParser *mParser = nullptr;
  std::unique_ptr<ProjectFile> mProject;
  std::unique_ptr<grants::GrantLedger> mLedger;
  int mExit = BadInput;
};

STATDESK_REGISTER_COMMAND( GrantsCommand );

} // namespace statdesk::cli
